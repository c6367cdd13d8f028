import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listCreditCases } from '../api/client';
import { formatDate } from '../format';
import { CaseStateChip } from './case-sections';
import { QueryError } from './query-state';

/** The credit page's mediation cases: each round (ENT-C) with its state, and a link to the case. */
export function CreditCasesSection({ creditNumber }: { creditNumber: string }) {
  const cases = useQuery({
    queryKey: ['credit-cases', creditNumber],
    queryFn: ({ signal }) => listCreditCases(creditNumber, signal),
  });
  return (
    <section className="section card section--wide" aria-labelledby="section-credit-cases" data-testid="section-credit-cases">
      <h2 id="section-credit-cases">Casos de mediación</h2>
      {cases.isPending && (
        <p role="status" className="status">
          Cargando casos…
        </p>
      )}
      {cases.isError && <QueryError error={cases.error} onRetry={() => void cases.refetch()} />}
      {cases.isSuccess && cases.data.length === 0 && <p className="muted">El crédito no tiene casos de mediación en su alcance.</p>}
      {cases.isSuccess && cases.data.length > 0 && (
        <ul className="timeline">
          {cases.data.map((item) => (
            <li key={item.id} className="timeline__item" data-testid="credit-case" data-case={item.id}>
              <p className="timeline__title">
                <Link to={`/casos/${item.id}`}>
                  {item.round <= 1 ? 'Mediación' : `Re-mediación (ronda ${item.round})`}
                  <span className="visually-hidden">: caso {item.id}</span>
                </Link>{' '}
                <CaseStateChip state={item.state} label={item.stateLabel} testId="credit-case-state" />
              </p>
              <p className="timeline__meta">
                Abierto el {formatDate(item.openedOn)}
                {item.acceptedOn === null ? '' : ` · aceptado el ${formatDate(item.acceptedOn)}`}
                {item.closedOn === null ? '' : ` · terminó el ${formatDate(item.closedOn)}${item.closureRule === null ? '' : ` (${item.closureRule})`}`} ·{' '}
                {item.agencyName}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
