import type { CaseDueDate } from '../api/types';
import { DUE_STATUS_LABELS } from '../case-labels';
import { formatDate } from '../format';
import { RuleBadge } from './rule-badge';

/** Due dates with their rule, date, status and explanation (SPEC §5): the case's and the case file's. */
export function DueDateList({ dueDates, itemTestId }: { dueDates: readonly CaseDueDate[]; itemTestId: string }) {
  return (
    <ul className="due-list">
      {dueDates.map((due) => (
        <li key={due.rule} className={`due-list__item due-list__item--${due.status}`} data-testid={itemTestId} data-rule={due.rule} data-status={due.status}>
          <div className="due-list__head">
            <RuleBadge rule={due.rule} />
            <span className="due-list__date">{formatDate(due.dueOn)}</span>
            <span className={`state-chip due-chip due-chip--${due.status}`}>{DUE_STATUS_LABELS[due.status]}</span>
          </div>
          <p className="due-list__explanation">{due.explanation}</p>
        </li>
      ))}
    </ul>
  );
}
