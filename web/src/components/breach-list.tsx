import type { CaseBreach } from '../api/types';
import { formatDate } from '../format';
import { RuleBadge } from './rule-badge';

/** The service-level breaches flagged on a case, or "Ninguno registrado.". */
export function BreachList({ breaches, itemTestId, emptyTestId }: { breaches: readonly CaseBreach[]; itemTestId: string; emptyTestId?: string }) {
  if (breaches.length === 0) {
    return (
      <p className="muted" data-testid={emptyTestId}>
        Ninguno registrado.
      </p>
    );
  }
  return (
    <ul className="reasons">
      {breaches.map((breach) => (
        <li key={`${breach.rule}-${breach.dueOn}`} className="reasons__item" data-testid={itemTestId} data-rule={breach.rule}>
          <RuleBadge rule={breach.rule} />
          <span>
            Vencía el {formatDate(breach.dueOn)}; señalado el {formatDate(breach.flaggedOn)}.
          </span>
        </li>
      ))}
    </ul>
  );
}
