/**
 * What the credit page adds about solutions, convenios and payments: the catalogue of solutions
 * with every condition and, when available, the exact terms (SPEC §8 SOL-1..5: transparent offer);
 * the active restructure a convenio's approval applied (CNV-4, EXC-3) with the credit's convenios;
 * and the payments received (PAY-1).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { getCreditPayments, getCreditSolutions, listConvenios } from '../api/client';
import type { CreditDetail, SolutionOffer, SolutionTerms } from '../api/types';
import { hasRole } from '../assignment-labels';
import { CONVENIO_LIST_ROLES, CONVENIO_READ_ROLES } from '../convenio-labels';
import { formatBasisPoints, formatCents, formatDate, formatDecimalText, formatInteger } from '../format';
import { useCurrentUser } from '../session';
import { conveniosQueryKey } from './convenio-actions';
import { ConvenioField, ConvenioStatusChip, PaymentsTable } from './convenio-sections';
import { QueryError } from './query-state';

function Loading({ label }: { label: string }) {
  return (
    <p role="status" className="status">
      {label}
    </p>
  );
}

// --- the active restructure and the credit's convenios (CNV-4) ------------------------------------------

/**
 * "Reestructura activa" when a convenio's approval applied its terms to the credit (CNV-4; EXC-3
 * keeps it out of the next monthly runs), and the credit's convenios for the roles that read them.
 */
export function CreditConveniosSection({ credit }: { credit: CreditDetail }) {
  const user = useCurrentUser();
  const canList = hasRole(user.role, CONVENIO_LIST_ROLES) || user.role === 'representative';
  const canOpen = hasRole(user.role, CONVENIO_READ_ROLES);
  const convenios = useQuery({
    queryKey: [...conveniosQueryKey, { queue: 'all', q: credit.creditNumber, offset: 0 }],
    queryFn: ({ signal }) => listConvenios({ queue: 'all', q: credit.creditNumber, limit: 25, offset: 0 }, signal),
    enabled: canList,
  });
  const rows = (convenios.data?.rows ?? []).filter((row) => row.creditNumber === credit.creditNumber);
  const restructure = credit.exclusionFacts.activeRestructure;
  if (!restructure && (!canList || rows.length === 0)) return null;
  return (
    <section className="section card section--wide convenio-card" aria-labelledby="section-credit-convenios" data-testid="section-credit-convenios">
      <h2 id="section-credit-convenios">Convenios y reestructura</h2>
      {restructure ? (
        <p className="notice notice--success" data-testid="credit-active-restructure">
          Términos aplicados por el convenio aprobado (CNV-4): mensualidad{' '}
          {formatCents(credit.monthlyPaymentCents)}, factor de pago {formatDecimalText(credit.paymentFactor)}, tasa {formatBasisPoints(credit.interestRateBp)}.
          Mientras esté activa, el crédito no se etiqueta para mediación (EXC-3).
        </p>
      ) : (
        <p className="muted" data-testid="credit-no-restructure">
          El crédito no tiene una reestructura activa.
        </p>
      )}
      {convenios.isError && <QueryError error={convenios.error} onRetry={() => void convenios.refetch()} />}
      {rows.length > 0 && (
        <ul className="timeline">
          {rows.map((row) => (
            <li key={row.id} className="timeline__item" data-testid="credit-convenio" data-convenio={row.id}>
              <p className="timeline__title">
                {canOpen ? <Link to={`/convenios/${row.id}`}>Convenio {row.folio}</Link> : `Convenio ${row.folio}`}{' '}
                <ConvenioStatusChip status={row.status} label={row.statusLabel} testId="credit-convenio-status" />
              </p>
              <p className="timeline__meta">
                {row.solutionId} {row.solutionName} · firmado el {formatDate(row.signedOn)}
                {row.approvedOn === null ? '' : ` · aprobado el ${formatDate(row.approvedOn)}`} · primer pago de {formatCents(row.firstPaymentCents)} a más tardar el{' '}
                {formatDate(row.firstPaymentDueOn)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// --- the solutions catalogue (SPEC §8) ---------------------------------------------------------------------

function months(count: number): string {
  return `${formatInteger(count)} ${count === 1 ? 'mes' : 'meses'}`;
}

function SolutionTermsFields({ terms }: { terms: SolutionTerms }) {
  const id = terms.solution.toLowerCase();
  return (
    <>
      <dl className="fields fields--compact" data-testid="solution-terms">
        <ConvenioField id={`${id}-balance-before`} label="Adeudo (saldo y omisos capitalizados)">
          {formatCents(terms.balanceBeforeCents)}
        </ConvenioField>
        {terms.capitalisedArrearsCents > 0 && (
          <ConvenioField id={`${id}-arrears`} label="Omisos capitalizados">
            {formatCents(terms.capitalisedArrearsCents)}
          </ConvenioField>
        )}
        <ConvenioField id={`${id}-discount`} label="Descuento">
          {formatCents(terms.discountCents)}
        </ConvenioField>
        <ConvenioField id={`${id}-balance-after`} label="Saldo después del descuento">
          {formatCents(terms.balanceAfterCents)}
        </ConvenioField>
        <ConvenioField id={`${id}-monthly-payment`} label="Mensualidad">
          {formatCents(terms.monthlyPaymentCents)}
          <span className="results__sub">
            {formatCents(terms.totalMonthlyPaymentCents)} con seguros y cuotas ({formatCents(terms.insuranceFeesCents)})
          </span>
        </ConvenioField>
        <ConvenioField id={`${id}-payment-factor`} label="Factor de pago">
          {formatDecimalText(terms.paymentFactor)}
        </ConvenioField>
        <ConvenioField id={`${id}-interest-rate`} label="Tasa de interés anual">
          {formatBasisPoints(terms.interestRateBp)}
        </ConvenioField>
        <ConvenioField id={`${id}-term`} label="Plazo">
          {months(terms.termMonths)}
        </ConvenioField>
        <ConvenioField id={`${id}-first-payment`} label="Primer pago">
          {formatCents(terms.firstPaymentCents)}
          <span className="results__sub">a más tardar el {formatDate(terms.firstPaymentDueOn)}</span>
        </ConvenioField>
        {terms.benefit !== undefined && (
          <ConvenioField id={`${id}-benefit`} label="Beneficio" wide>
            {terms.benefit}
          </ConvenioField>
        )}
      </dl>
      {terms.explanation.length > 0 && (
        <details className="solution__explanation">
          <summary>Cómo se obtuvieron las cifras</summary>
          <ul className="plain-list">
            {terms.explanation.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function SolutionItem({ offer }: { offer: SolutionOffer }) {
  return (
    <li className={`solution solution--${offer.available ? 'available' : 'unavailable'}`} data-testid="solution" data-solution={offer.solution} data-available={offer.available}>
      <h3 className="solution__title">
        <span className="rule-badge">{offer.solution}</span> {offer.name}{' '}
        <span className={`state-chip ${offer.available ? 'state-chip--on' : ''}`} data-testid="solution-availability">
          {offer.available ? 'Disponible' : 'No disponible'}
        </span>
      </h3>
      <ul className="check-list" aria-label={`Condiciones de ${offer.name}`}>
        {offer.conditions.map((condition) => (
          <li key={condition.description} className={`check-list__item check-list__item--${condition.passed ? 'ok' : 'missing'}`} data-testid="solution-condition" data-passed={condition.passed}>
            <span className="check-list__mark" aria-hidden="true">
              {condition.passed ? '✓' : '✗'}
            </span>
            <span>
              <span className="visually-hidden">{condition.passed ? 'Cumple: ' : 'No cumple: '}</span>
              {condition.description}
            </span>
          </li>
        ))}
      </ul>
      {offer.terms !== undefined && <SolutionTermsFields terms={offer.terms} />}
      {offer.available && offer.terms === undefined && offer.termsUnavailableReason !== undefined && (
        <p className="notice notice--warning" data-testid="solution-terms-unavailable">
          {offer.termsUnavailableReason}
        </p>
      )}
    </li>
  );
}

/** SPEC §8: each solution with every condition (✓/✗) and, when available, the exact terms. */
export function CreditSolutionsSection({ creditNumber }: { creditNumber: string }) {
  const solutions = useQuery({
    queryKey: ['credit-solutions', creditNumber],
    queryFn: ({ signal }) => getCreditSolutions(creditNumber, signal),
  });
  const data = solutions.data;
  const available = data?.solutions.filter((offer) => offer.available).length ?? 0;
  return (
    <section className="section card section--wide convenio-card" aria-labelledby="section-solutions" data-testid="section-solutions">
      <h2 id="section-solutions">Soluciones</h2>
      {solutions.isPending && <Loading label="Calculando las soluciones…" />}
      {solutions.isError && <QueryError error={solutions.error} onRetry={() => void solutions.refetch()} />}
      {data !== undefined && (
        <>
          <p className="muted" data-testid="solutions-summary">
            {available === 0
              ? 'Ninguna solución está disponible para este crédito (EXC-8).'
              : `${formatInteger(available)} de ${formatInteger(data.solutions.length)} soluciones disponibles`}{' '}
            al {formatDate(data.on)}, con los parámetros de soluciones versión {data.policy.solutionParametersVersion} (vigentes desde el{' '}
            {formatDate(data.policy.solutionParametersEffectiveFrom)}).
          </p>
          <ul className="solutions">
            {data.solutions.map((offer) => (
              <SolutionItem key={offer.solution} offer={offer} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// --- payments (PAY-1) ----------------------------------------------------------------------------------------

export function CreditPaymentsSection({ creditNumber }: { creditNumber: string }) {
  const payments = useQuery({
    queryKey: ['credit-payments', creditNumber],
    queryFn: ({ signal }) => getCreditPayments(creditNumber, signal),
  });
  const data = payments.data;
  return (
    <section className="section card section--wide convenio-card" aria-labelledby="section-payments" data-testid="section-payments">
      <h2 id="section-payments">Pagos</h2>
      {payments.isPending && <Loading label="Cargando los pagos…" />}
      {payments.isError && <QueryError error={payments.error} onRetry={() => void payments.refetch()} />}
      {data !== undefined && data.items.length === 0 && (
        <p className="muted" data-testid="no-payments">
          No hay pagos registrados para este crédito.
        </p>
      )}
      {data !== undefined && data.items.length > 0 && (
        <>
          <p data-testid="payments-total">
            {formatInteger(data.items.length)} {data.items.length === 1 ? 'pago' : 'pagos'} por {formatCents(data.totalCents)}.
          </p>
          <PaymentsTable
            testId="payments-table"
            caption="Pagos del crédito, del más reciente al más antiguo"
            rows={data.items.map((payment, index) => ({
              key: `${index}-${payment.reference}`,
              paidOn: payment.paidOn,
              amountCents: payment.amountCents,
              channel: payment.channelLabel,
              reference: payment.reference,
            }))}
          />
        </>
      )}
    </section>
  );
}
