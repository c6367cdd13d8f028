import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { isNetworkError, listCreditCases, newIdempotencyKey, openReMediation } from '../api/client';
import { useCurrentUser } from '../session';
import { formatDate } from '../format';
import { CaseStateChip } from './case-sections';
import { errorMessage, QueryError } from './query-state';

/** The credit page's mediation cases: each round (ENT-C) with its state, and a link to the case. */
export function CreditCasesSection({ creditNumber }: { creditNumber: string }) {
  const user = useCurrentUser();
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
      {user.role === 'mediation_office' && <ReMediationForm creditNumber={creditNumber} />}
    </section>
  );
}

/**
 * ENT-C: tag the credit for re-mediation. With a broken convenio the reason is optional; without
 * one the office must describe the new circumstances. The server applies EXC-1 (two broken
 * convenios end re-mediation) and ASG-5 (a case that has not ended is kept).
 */
function ReMediationForm({ creditNumber }: { creditNumber: string }) {
  const navigate = useNavigate();
  const fieldId = useId();
  const [circumstances, setCircumstances] = useState('');
  // one key per submission, kept while a retry of the same submission is possible
  const [key, setKey] = useState(newIdempotencyKey);
  const open = useMutation({
    mutationFn: () => openReMediation(creditNumber, circumstances.trim() || undefined, key),
    onSuccess: (detail) => void navigate(`/casos/${detail.id}`),
    // a request that got no answer is retried with the same key; an answered one needs a new key
    onError: (error) => {
      if (!isNetworkError(error)) setKey(newIdempotencyKey());
    },
  });
  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    open.mutate();
  }
  return (
    <form className="form" onSubmit={handleSubmit} noValidate aria-busy={open.isPending} data-testid="re-mediation-form">
      <h3>Re-mediación (ENT-C)</h3>
      <div className="field">
        <label htmlFor={fieldId}>Nuevas circunstancias (obligatorio si el crédito no tiene un convenio incumplido)</label>
        <textarea id={fieldId} rows={3} maxLength={2000} value={circumstances} onChange={(event) => setCircumstances(event.target.value)} />
      </div>
      {open.isError && (
        <p role="alert" className="notice notice--error" data-testid="re-mediation-error">
          {errorMessage(open.error)}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={open.isPending}>
        {open.isPending ? 'Etiquetando…' : 'Etiquetar para re-mediación'}
      </button>
    </form>
  );
}
