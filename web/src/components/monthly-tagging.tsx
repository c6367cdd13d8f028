import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { getCreditExplanation } from '../api/client';
import type { CreditExplanation, Month } from '../api/types';
import { currentMonth, formatDate, formatInteger, formatMonth, isMonth } from '../format';
import { MonthField } from './month-field';
import { Loading, QueryError } from './query-state';
import { RuleBadge } from './rule-badge';

const ENTRY_LABELS: Record<string, string> = {
  monthly: 'Etiquetado mensual',
  request: 'Solicitud o propuesta fuera del etiquetado mensual (ENT-A)',
  specialized_recovery: 'Cuentas habitadas de Recuperación Especializada (ENT-B)',
  re_mediation: 'Re-mediación (ENT-C)',
};

function Explanation({ explanation }: { explanation: CreditExplanation }) {
  const { assignment } = explanation;
  const month = formatMonth(explanation.month);
  return (
    <div className="explanation" data-testid="tagging-explanation">
      {explanation.tagged ? (
        <p className="verdict verdict--tagged" data-testid="tagging-verdict">
          Susceptible de mediación <span className="verdict__month">en {month}</span>
        </p>
      ) : explanation.evaluated ? (
        <p className="verdict verdict--excluded" data-testid="tagging-verdict">
          No susceptible de mediación <span className="verdict__month">en {month}</span>
        </p>
      ) : (
        <p className="notice" data-testid="tagging-message">
          {explanation.message}
        </p>
      )}

      {explanation.evaluated && !explanation.tagged && (
        <>
          <p>
            {explanation.reasons.length === 1
              ? 'Lo excluyó esta regla:'
              : `Lo excluyeron estas ${formatInteger(explanation.reasons.length)} reglas:`}
          </p>
          <ul className="reasons" data-testid="tagging-reasons">
            {explanation.reasons.map((reason) => (
              <li key={reason.rule} className="reasons__item" data-testid="tagging-reason" data-rule={reason.rule}>
                <RuleBadge rule={reason.rule} />
                <span>{reason.wording}</span>
              </li>
            ))}
          </ul>
        </>
      )}

      {explanation.tagged && assignment === null && (
        <p data-testid="tagging-message">{explanation.message}</p>
      )}

      {assignment !== null && (
        <dl className="fields" data-testid="tagging-assignment">
          <div className="fields__item" data-testid="field-tagging-agency">
            <dt>Agencia</dt>
            <dd>{assignment.agencyName}</dd>
          </div>
          <div className="fields__item" data-testid="field-tagging-convenio-type">
            <dt>Tipo de convenio</dt>
            <dd>{assignment.convenioTypeLabel}</dd>
          </div>
          <div className="fields__item" data-testid="field-tagging-assigned-on">
            <dt>Fecha de asignación</dt>
            <dd>{formatDate(assignment.assignedOn)}</dd>
          </div>
          {assignment.entry !== 'monthly' && (
            <div className="fields__item" data-testid="field-tagging-entry">
              <dt>Vía de entrada</dt>
              <dd>{ENTRY_LABELS[assignment.entry] ?? assignment.entry}</dd>
            </div>
          )}
        </dl>
      )}

      {explanation.policyVersion !== null && (
        <p className="muted explanation__policy" data-testid="tagging-policy-version">
          Criterios de exclusión aplicados: versión {formatInteger(explanation.policyVersion)}.
        </p>
      )}
    </div>
  );
}

/** Credit detail: was this credit tagged for mediation in a month, and if not, why (every rule). */
export function MonthlyTaggingSection({ creditNumber }: { creditNumber: string }) {
  const [draft, setDraft] = useState<Month>(() => currentMonth());
  const [month, setMonth] = useState<Month>(draft);
  const [invalid, setInvalid] = useState(false);
  const explanation = useQuery({
    queryKey: ['credit-explanation', creditNumber, month],
    queryFn: ({ signal }) => getCreditExplanation(creditNumber, month, signal),
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isMonth(draft)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setMonth(draft);
  }

  return (
    <section className="section card section--wide" aria-labelledby="section-monthly-tagging" data-testid="section-monthly-tagging">
      <h2 id="section-monthly-tagging">Etiquetado mensual</h2>
      <form className="inline-form" onSubmit={handleSubmit} noValidate aria-label="Mes del etiquetado">
        <MonthField id="tagging-month" label="Mes" value={draft} onChange={setDraft} />
        <button type="submit" className="button button--secondary inline-form__button">
          Consultar
        </button>
        {invalid && (
          <p role="alert" className="notice notice--error inline-form__error">
            Escriba el mes con la forma AAAA-MM.
          </p>
        )}
      </form>
      <div aria-live="polite" aria-busy={explanation.isFetching}>
        {explanation.isPending && <Loading label={`Consultando ${formatMonth(month)}…`} />}
        {explanation.isError && <QueryError error={explanation.error} onRetry={() => void explanation.refetch()} />}
        {explanation.isSuccess && <Explanation explanation={explanation.data} />}
      </div>
    </section>
  );
}
