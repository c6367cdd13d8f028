/**
 * What the convenio page shows everyone in scope (SPEC §6 CNV-1..5, §4 acts. 20–27, §5 DL-9..12
 * and SL-1): the parties and SL-1, the terms before and after, the review with its deadlines, the
 * first payment and the payments received, the CJA registration, the credit now against the
 * convenio with the reconciliation, the documents of CNV-3 and the history.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { acknowledgementPdfUrl, convenioPdfUrl, documentContentUrl } from '../api/client';
import type { CaseDueDate, ConvenioDetail, ConvenioEvent, ConvenioMismatch, ConvenioStatus, Denomination } from '../api/types';
import { CONVENIO_TYPE_LABELS } from '../assignment-labels';
import { DUE_STATUS_LABELS, MEDIATOR_KIND_LABELS } from '../case-labels';
import { CONVENIO_STATUS_LABELS, convenioStatusTone, mismatchCount, PAYMENT_CHANNEL_LABELS } from '../convenio-labels';
import { formatBasisPoints, formatCents, formatDate, formatDecimalText, formatInteger, formatYesNo, todayInMexicoCity } from '../format';
import { BreachList } from './breach-list';
import { Field as ConvenioField } from './field';
import { RuleBadge } from './rule-badge';
import { statusChange, TimelineEvent } from './timeline';

export { ConvenioField };

export function ConvenioStatusChip({ status, label, testId = 'convenio-status' }: { status: ConvenioStatus; label?: string; testId?: string }) {
  return (
    <span className={`state-chip convenio-chip convenio-chip--${convenioStatusTone(status)}`} data-testid={testId} data-status={status}>
      {label ?? CONVENIO_STATUS_LABELS[status]}
    </span>
  );
}

const DENOMINATION_LABELS: Record<Denomination, string> = { VSM: 'VSM (veces el salario mínimo)', MXN: 'Pesos (MXN)' };

/** Cents stored as decimal text (the credit at the signature) → "$1,234.56"; "—" when absent. */
function centsText(value: string | undefined): string {
  return value !== undefined && /^-?\d+$/.test(value) ? formatCents(BigInt(value)) : '—';
}

function months(count: number | undefined): string {
  if (count === undefined) return '—';
  return `${formatInteger(count)} ${count === 1 ? 'mes' : 'meses'}`;
}

function Section({ id, title, children, wide = false }: { id: string; title: string; children: ReactNode; wide?: boolean }) {
  const headingId = `convenio-${id}-title`;
  return (
    <section className={`section card${wide ? ' section--wide' : ''}`} aria-labelledby={headingId} data-testid={`convenio-${id}`}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

// --- parties, signature, SL-1 ----------------------------------------------------------------------

export function ConvenioSummary({ detail }: { detail: ConvenioDetail }) {
  return (
    <Section id="summary" title="Datos del convenio">
      <dl className="fields">
        <ConvenioField id="convenio-folio" label="Folio">
          {detail.folio}
        </ConvenioField>
        <ConvenioField id="convenio-credit" label="Crédito">
          <Link to={`/creditos/${detail.creditNumber}`}>{detail.creditNumber}</Link>
        </ConvenioField>
        <ConvenioField id="convenio-case" label="Caso de mediación">
          <Link to={`/casos/${detail.caseId}`}>{detail.round <= 1 ? 'Mediación' : `Re-mediación (ronda ${detail.round})`}</Link>
        </ConvenioField>
        <ConvenioField id="convenio-borrower" label="Acreditado">
          {detail.borrowerName}
        </ConvenioField>
        <ConvenioField id="convenio-type" label="Tipo de convenio">
          {CONVENIO_TYPE_LABELS[detail.convenioType] ?? detail.convenioType}
        </ConvenioField>
        <ConvenioField id="convenio-solution" label="Solución">
          {detail.solutionId} {detail.solutionName}
          <span className="results__sub">Parámetros de soluciones, versión {detail.solutionPolicyVersion}</span>
        </ConvenioField>
        <ConvenioField id="convenio-signed-on" label="Firma">
          {formatDate(detail.signedOn)}
          <span className="results__sub">
            {formatInteger(detail.copies)} ejemplares · acuse del acreditado {detail.acknowledgementSigned ? 'firmado' : 'sin firmar'}
          </span>
        </ConvenioField>
        <ConvenioField id="convenio-sl1" label="Nivel de servicio SL-1 (firma a 30 días de la aceptación)">
          <span className={`state-chip due-chip due-chip--${detail.sl1Met ? 'met' : 'breached'}`} data-testid="convenio-sl1-status" data-met={detail.sl1Met}>
            {detail.sl1Met ? 'Cumplido' : 'No cumplido'}
          </span>
          <span className="results__sub">
            Aceptación el {formatDate(detail.acceptedOn)}; plazo al {formatDate(detail.sl1DueOn)}.
          </span>
        </ConvenioField>
        <ConvenioField id="convenio-delegation" label="Delegación">
          {detail.delegationName}
        </ConvenioField>
        <ConvenioField id="convenio-agency" label="Agencia">
          {detail.agencyName}
        </ConvenioField>
        <ConvenioField id="convenio-mediator" label="Mediador">
          {detail.mediatorName}
          <span className="results__sub">{MEDIATOR_KIND_LABELS[detail.mediatorKind] ?? ''}</span>
        </ConvenioField>
        <ConvenioField id="convenio-representative" label="Representante del Infonavit">
          {detail.representativeName ?? 'Sin designar'}
        </ConvenioField>
      </dl>
    </Section>
  );
}

// --- terms (CNV-1) -----------------------------------------------------------------------------------

interface CompareRow {
  id: string;
  label: ReactNode;
  before: ReactNode;
  after: ReactNode;
}

/**
 * Two columns of figures side by side: a table on wide screens, one card per concept on phones
 * (each figure with its column's name). Cells are `term-<id>-before` and `term-<id>-after`.
 */
function CompareTable({ testId, caption, beforeLabel, afterLabel, rows }: { testId: string; caption: string; beforeLabel: string; afterLabel: string; rows: CompareRow[] }) {
  return (
    <div className="table-wrap">
      <table className="results results--compact results--wrap-head compare-table" role="table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">
              Concepto
            </th>
            <th scope="col" role="columnheader" className="results__numeric-head">
              {beforeLabel}
            </th>
            <th scope="col" role="columnheader" className="results__numeric-head">
              {afterLabel}
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={row.id} role="row" data-testid={`term-${row.id}`}>
              <th scope="row" role="rowheader">
                {row.label}
              </th>
              <td role="cell" data-label={beforeLabel} className="numeric" data-testid={`term-${row.id}-before`}>
                {row.before}
              </td>
              <td role="cell" data-label={afterLabel} className="numeric" data-testid={`term-${row.id}-after`}>
                {row.after}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ConvenioTermsSection({ detail }: { detail: ConvenioDetail }) {
  const { terms, creditBefore: before } = detail;
  return (
    <Section id="terms" title="Términos del convenio" wide>
      <p className="muted">
        Las cifras del catálogo de soluciones el día de la firma (SPEC §8), que se aplican al crédito cuando la DR aprueba la solución (CNV-4).
      </p>
      <CompareTable
        testId="convenio-terms-table"
        caption="Antes de la firma y con el convenio"
        beforeLabel="Antes de la firma"
        afterLabel="Con el convenio"
        rows={[
          { id: 'balance', label: 'Saldo (con los omisos capitalizados en el convenio)', before: centsText(before.balanceCents), after: formatCents(terms.balanceBeforeCents) },
          { id: 'discount', label: 'Descuento', before: '—', after: formatCents(terms.discountCents) },
          { id: 'balance-after', label: 'Saldo después del descuento', before: centsText(before.balanceCents), after: formatCents(terms.balanceAfterCents) },
          { id: 'monthly-payment', label: 'Mensualidad (sin seguros ni cuotas)', before: centsText(before.monthlyPaymentCents), after: formatCents(terms.monthlyPaymentCents) },
          {
            id: 'payment-factor',
            label: 'Factor de pago',
            before: before.paymentFactor === undefined ? '—' : formatDecimalText(before.paymentFactor),
            after: formatDecimalText(terms.paymentFactor),
          },
          {
            id: 'interest-rate',
            label: 'Tasa de interés anual',
            before: before.interestRateBp === undefined ? '—' : formatBasisPoints(before.interestRateBp),
            after: formatBasisPoints(terms.interestRateBp),
          },
          {
            id: 'term',
            label: 'Plazo',
            before: before.termMonths === undefined ? '—' : `${months(before.termMonths)} (${formatInteger(before.paymentsMade ?? 0)} pagados)`,
            after: `${months(terms.termMonths)} por pagar`,
          },
          { id: 'denomination', label: 'Denominación', before: before.denomination === undefined ? '—' : DENOMINATION_LABELS[before.denomination], after: DENOMINATION_LABELS.MXN },
          { id: 'arrears', label: 'Mensualidades omisas', before: months(before.monthsInArrears), after: 'Regularizadas' },
        ]}
      />
      <dl className="fields convenio-first-payment-terms">
        <ConvenioField id="first-payment-amount" label="Primer pago (un único pago por la cantidad completa)">
          <span data-testid="convenio-first-payment-amount">{formatCents(terms.firstPaymentCents)}</span>
        </ConvenioField>
        <ConvenioField id="first-payment-due" label="Plazo del primer pago">
          <span data-testid="convenio-first-payment-due">{formatDate(terms.firstPaymentDueOn)}</span>
        </ConvenioField>
        {terms.benefit !== null && (
          <ConvenioField id="benefit" label="Beneficio" wide>
            {terms.benefit}
          </ConvenioField>
        )}
      </dl>
      {terms.explanation.length > 0 && (
        <>
          <h3 className="convenio-subheading">Cómo se obtuvieron las cifras</h3>
          <ul className="plain-list" data-testid="convenio-terms-explanation">
            {terms.explanation.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

// --- review, DL-9..12 ---------------------------------------------------------------------------------

interface ReviewStep {
  rule: string;
  what: string;
  dueOn: string | null;
  doneOn: string | null;
}

function stepStatus(step: ReviewStep, flagged: boolean, today: string): CaseDueDate['status'] {
  if (flagged) return 'breached';
  if (step.doneOn !== null && step.dueOn !== null) return step.doneOn <= step.dueOn ? 'met' : 'breached';
  if (step.doneOn !== null) return 'met';
  if (step.dueOn !== null && today > step.dueOn) return 'breached';
  return 'pending';
}

function reviewSteps(detail: ConvenioDetail): ReviewStep[] {
  const review = detail.review;
  const answered = review.correctionsRequestedOn !== null && detail.status !== 'corrections_requested' ? review.submittedOn : null;
  const reviewed =
    review.approvedOn ?? (review.correctionsRequestedOn !== null && review.submittedOn !== null && review.correctionsRequestedOn >= review.submittedOn ? review.correctionsRequestedOn : null);
  const steps: ReviewStep[] = [
    { rule: 'DL-9', what: 'El mediador envía a la DR el convenio firmado digitalizado y la identificación (act. 22)', dueOn: review.dl9DueOn, doneOn: review.submittedOn },
    { rule: 'DL-10', what: 'La DR revisa el contenido del convenio y la identificación (act. 23)', dueOn: review.dl10DueOn, doneOn: reviewed },
  ];
  if (review.correctionsRequestedOn !== null) {
    steps.push({ rule: 'DL-11', what: 'El mediador atiende la solicitud de correcciones (act. 24)', dueOn: review.dl11DueOn, doneOn: answered });
  }
  steps.push({ rule: 'DL-12', what: 'La DR aprueba la solución y aplica la reestructura (act. 25)', dueOn: review.dl12DueOn, doneOn: review.approvedOn });
  return steps;
}

export function ConvenioReviewSection({ detail }: { detail: ConvenioDetail }) {
  const today = todayInMexicoCity();
  const review = detail.review;
  const flagged = new Set(detail.breaches.map((breach) => breach.rule));
  return (
    <Section id="review" title="Revisión de la DR (acts. 22–25)">
      <dl className="fields fields--compact">
        <ConvenioField id="review-submitted" label="Enviado a la DR">
          {review.submittedOn === null ? 'Sin enviar' : formatDate(review.submittedOn)}
        </ConvenioField>
        {review.correctionsRequestedOn !== null && (
          <ConvenioField id="review-corrections" label="Correcciones solicitadas">
            {formatDate(review.correctionsRequestedOn)}
          </ConvenioField>
        )}
        <ConvenioField id="review-rounds" label="Solicitudes de corrección">
          {formatInteger(review.reviewRounds ?? 0)}
        </ConvenioField>
        <ConvenioField id="review-approved" label="Aprobado">
          {review.approvedOn === null ? 'Sin aprobar' : formatDate(review.approvedOn)}
        </ConvenioField>
      </dl>
      <ol className="due-list convenio-review" data-testid="convenio-review-steps">
        {reviewSteps(detail).map((step) => {
          const status = stepStatus(step, flagged.has(step.rule), today);
          return (
            <li key={step.rule} className={`due-list__item due-list__item--${status}`} data-testid="review-step" data-rule={step.rule} data-status={status}>
              <div className="due-list__head">
                <RuleBadge rule={step.rule} />
                <span className="due-list__date">{step.dueOn === null ? 'Sin fecha todavía' : formatDate(step.dueOn)}</span>
                <span className={`state-chip due-chip due-chip--${status}`}>{DUE_STATUS_LABELS[status]}</span>
              </div>
              <p className="due-list__explanation">
                {step.what}
                {step.doneOn === null ? '.' : `: hecho el ${formatDate(step.doneOn)}.`}
              </p>
            </li>
          );
        })}
      </ol>
      <h3>Incumplimientos de nivel de servicio</h3>
      <BreachList breaches={detail.breaches} itemTestId="convenio-breach" emptyTestId="convenio-no-breaches" />
    </Section>
  );
}

// --- first payment (act. 26, CNV-5) and payments -------------------------------------------------------

function firstPaymentState(detail: ConvenioDetail): { text: string; tone: CaseDueDate['status'] } {
  const payment = detail.firstPayment;
  if (payment.paidOn !== null) {
    return { text: `Recibido el ${formatDate(payment.paidOn)} por ${formatCents(payment.paidCents ?? 0)}: el convenio está vigente (CNV-5).`, tone: 'met' };
  }
  if (payment.brokenOn !== null) {
    return { text: `No se recibió a más tardar el ${formatDate(payment.dueOn)}: convenio incumplido desde el ${formatDate(payment.brokenOn)} (${payment.brokenRule ?? 'CNV-5'}).`, tone: 'breached' };
  }
  if (detail.review.approvedOn === null) {
    return { text: 'El acreditado podrá pagar cuando la DR apruebe la solución y se aplique la reestructura (act. 25).', tone: 'pending' };
  }
  return { text: `Pendiente: un único pago de ${formatCents(payment.amountCents)} a más tardar el ${formatDate(payment.dueOn)} (act. 26).`, tone: 'pending' };
}

export function ConvenioFirstPaymentSection({ detail }: { detail: ConvenioDetail }) {
  const state = firstPaymentState(detail);
  return (
    <Section id="first-payment" title="Primer pago (act. 26, CNV-5)">
      <dl className="fields fields--compact">
        <ConvenioField id="first-payment-cents" label="Monto">
          {formatCents(detail.firstPayment.amountCents)}
        </ConvenioField>
        <ConvenioField id="first-payment-due-on" label="A más tardar">
          {formatDate(detail.firstPayment.dueOn)}
        </ConvenioField>
      </dl>
      <p className={`notice${state.tone === 'breached' ? ' notice--error' : state.tone === 'pending' ? ' notice--warning' : ' notice--success'}`} data-testid="convenio-first-payment-state" data-state={state.tone}>
        {state.text}
      </p>
      <h3>Pagos recibidos desde la firma</h3>
      {detail.payments.length === 0 ? (
        <p className="muted" data-testid="convenio-no-payments">
          No se han recibido pagos del crédito desde la firma.
        </p>
      ) : (
        <PaymentsTable
          testId="convenio-payments"
          caption="Pagos recibidos desde la firma"
          rows={detail.payments.map((payment) => ({
            key: String(payment.id),
            paidOn: payment.paidOn,
            amountCents: payment.amountCents,
            channel: PAYMENT_CHANNEL_LABELS[payment.channel] ?? payment.channel,
            reference: payment.reference,
          }))}
        />
      )}
    </Section>
  );
}

/** Payments (PAY-1): a table on wide screens, one card per payment on phones. */
export function PaymentsTable({
  testId,
  caption,
  rows,
}: {
  testId: string;
  caption: string;
  rows: { key: string; paidOn: string; amountCents: number; channel: string; reference: string }[];
}) {
  return (
    <div className="table-wrap">
      <table className="results results--compact results--wrap-head" role="table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">
              Fecha
            </th>
            <th scope="col" role="columnheader" className="results__numeric-head">
              Importe
            </th>
            <th scope="col" role="columnheader">
              Canal
            </th>
            <th scope="col" role="columnheader">
              Referencia
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={row.key} role="row" data-testid="payment">
              <td role="cell" data-label="Fecha" className="nowrap">
                {formatDate(row.paidOn)}
              </td>
              <td role="cell" data-label="Importe" className="numeric nowrap">
                {formatCents(row.amountCents)}
              </td>
              <td role="cell" data-label="Canal">
                {row.channel}
              </td>
              <td role="cell" data-label="Referencia" className="results__text">
                {row.reference}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// --- CJA registration (act. 27) --------------------------------------------------------------------

export function ConvenioCjaSection({ detail }: { detail: ConvenioDetail }) {
  if (detail.convenioType !== 'RATIFIED') return null;
  const cja = detail.cja;
  return (
    <Section id="cja" title="Registro ante el Centro de Justicia Alternativa (act. 27)">
      {cja === null ? (
        <p className="muted" data-testid="convenio-cja-pending">
          {detail.review.approvedOn === null
            ? 'El mediador registra el convenio Ratificado ante el CJA después de la aprobación de la solución.'
            : 'Pendiente: el mediador registra el convenio ante el CJA y captura aquí el centro, el número y la fecha.'}
        </p>
      ) : (
        <dl className="fields fields--compact" data-testid="convenio-cja-registered">
          <ConvenioField id="cja-centre" label="Centro">
            {cja.centre}
          </ConvenioField>
          <ConvenioField id="cja-number" label="Número de registro">
            {cja.registrationNumber}
          </ConvenioField>
          <ConvenioField id="cja-date" label="Fecha de registro">
            {formatDate(cja.registeredOn)}
          </ConvenioField>
          <ConvenioField id="cja-certificate" label="Constancia">
            {cja.certificateDocumentId === null ? 'Sin constancia cargada' : <a href={documentContentUrl(cja.certificateDocumentId)}>Descargar la constancia</a>}
          </ConvenioField>
        </dl>
      )}
    </Section>
  );
}

// --- the credit now against the convenio, and the reconciliation ---------------------------------------

function MismatchTable({ mismatches, caption }: { mismatches: readonly ConvenioMismatch[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="results results--compact results--wrap-head" role="table" data-testid="convenio-mismatches">
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">
              Diferencia
            </th>
            <th scope="col" role="columnheader">
              Esperado
            </th>
            <th scope="col" role="columnheader">
              En el crédito
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {mismatches.map((mismatch) => (
            <tr key={mismatch.check} role="row" data-testid="convenio-mismatch" data-check={mismatch.check}>
              <th scope="row" role="rowheader">
                {mismatch.description}
              </th>
              <td role="cell" data-label="Esperado">
                {mismatch.expected}
              </td>
              <td role="cell" data-label="En el crédito">
                {mismatch.actual}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const RECONCILED_STATUSES: readonly ConvenioStatus[] = ['approved', 'in_force', 'broken'];

export function ConvenioCreditSection({ detail }: { detail: ConvenioDetail }) {
  const { terms, creditNow: credit, restructure } = detail;
  const reconciled = RECONCILED_STATUSES.includes(detail.status);
  const expectedRestructure = detail.status === 'approved' || detail.status === 'in_force';
  return (
    <Section id="credit-now" title="El crédito ahora y el convenio" wide>
      {restructure === null ? (
        <p className="notice" data-testid="convenio-restructure-pending">
          {reconciled
            ? 'No hay registro de la reestructura de este convenio.'
            : 'La reestructura se aplica al crédito cuando la DR aprueba la solución (act. 25, CNV-4); hasta entonces el crédito conserva sus términos.'}
        </p>
      ) : (
        <p className="notice notice--success" data-testid="convenio-restructure-applied">
          Reestructura aplicada al crédito el {formatDate(restructure.appliedOn)} (CNV-4): saldo {formatCents(restructure.balanceCents)}, mensualidad{' '}
          {formatCents(restructure.monthlyPaymentCents)}, factor {formatDecimalText(restructure.paymentFactor)}, tasa {formatBasisPoints(restructure.interestRateBp)},{' '}
          {months(restructure.termMonths)} por pagar.
        </p>
      )}
      <CompareTable
        testId="convenio-credit-table"
        caption="Términos del convenio y del crédito hoy"
        beforeLabel="Convenio"
        afterLabel="Crédito ahora"
        rows={[
          { id: 'now-balance', label: 'Saldo', before: formatCents(terms.balanceAfterCents), after: formatCents(credit.balanceCents) },
          { id: 'now-monthly-payment', label: 'Mensualidad (sin seguros ni cuotas)', before: formatCents(terms.monthlyPaymentCents), after: formatCents(credit.monthlyPaymentCents) },
          { id: 'now-payment-factor', label: 'Factor de pago', before: formatDecimalText(terms.paymentFactor), after: formatDecimalText(credit.paymentFactor) },
          { id: 'now-interest-rate', label: 'Tasa de interés anual', before: formatBasisPoints(terms.interestRateBp), after: formatBasisPoints(credit.interestRateBp) },
          { id: 'now-term', label: 'Mensualidades por pagar', before: formatInteger(terms.termMonths), after: formatInteger(Math.max(0, credit.termMonths - credit.paymentsMade)) },
          { id: 'now-denomination', label: 'Denominación', before: DENOMINATION_LABELS.MXN, after: DENOMINATION_LABELS[credit.denomination] },
          { id: 'now-restructure', label: 'Reestructura activa', before: formatYesNo(expectedRestructure), after: formatYesNo(credit.activeRestructure) },
        ]}
      />
      <h3 className="convenio-subheading">Conciliación de lo firmado, lo aplicado y lo pagado</h3>
      {!reconciled ? (
        <p className="muted" data-testid="convenio-reconciliation-later">
          La conciliación se hace a partir de la aprobación: hoy no hay términos aplicados que comparar.
        </p>
      ) : detail.mismatches.length === 0 ? (
        <p className="notice notice--success" data-testid="convenio-no-mismatches">
          Sin diferencias: los términos firmados, los aplicados al crédito y los pagos recibidos coinciden.
        </p>
      ) : (
        <>
          <p className="notice notice--error" role="note" data-testid="convenio-mismatch-count">
            {mismatchCount(detail.mismatches.length)} entre el convenio y el crédito.
          </p>
          <MismatchTable mismatches={detail.mismatches} caption="Diferencias encontradas" />
        </>
      )}
    </Section>
  );
}

// --- CNV-3 documents -------------------------------------------------------------------------------------

export function ConvenioPdfLinks({ detail }: { detail: ConvenioDetail }) {
  return (
    <div className="downloads" data-testid="convenio-pdfs">
      <a className="button button--secondary" href={convenioPdfUrl(detail.id)} target="_blank" rel="noopener" data-testid="convenio-pdf">
        Convenio {detail.folio} (PDF)<span className="visually-hidden"> — se abre en otra pestaña</span>
      </a>
      <a className="button button--secondary" href={acknowledgementPdfUrl(detail.id)} target="_blank" rel="noopener" data-testid="acuse-pdf">
        Acuse de recibo (PDF)<span className="visually-hidden"> — se abre en otra pestaña</span>
      </a>
    </div>
  );
}

// --- history ------------------------------------------------------------------------------------------

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** What an event carries worth reading (a reason, a note, the CJA data). */
function eventDetails(event: ConvenioEvent): string | null {
  const data = (event.data ?? {}) as Record<string, unknown>;
  switch (event.action) {
    case 'request_corrections':
      return text(data.reason) === undefined ? null : `Motivo: ${text(data.reason)}`;
    case 'submit_documents':
    case 'approve':
      return text(data.note) === undefined ? null : `Nota: ${text(data.note)}`;
    case 'record_cja_registration':
      return [text(data.centre), text(data.registrationNumber) === undefined ? undefined : `registro ${text(data.registrationNumber)}`, typeof data.registeredOn === 'string' ? formatDate(data.registeredOn) : undefined]
        .filter(Boolean)
        .join(' · ');
    default:
      return null;
  }
}

export function ConvenioHistory({ detail }: { detail: ConvenioDetail }) {
  return (
    <Section id="history" title="Historial">
      <ol className="timeline">
        {detail.history.map((event) => (
          <TimelineEvent
            key={event.version}
            testId="convenio-event"
            action={event.action}
            label={event.actionLabel}
            activity={event.activity}
            onDate={event.onDate}
            actorName={event.actorName}
            actorRole={event.actorRole}
            change={statusChange(event.fromStatus, event.toStatus, CONVENIO_STATUS_LABELS)}
            details={eventDetails(event)}
          >
            {(event.rule !== null || event.explanation !== null) && (
              <p className="timeline__data convenio-event__rule">
                {event.rule !== null && <RuleBadge rule={event.rule} />} {event.explanation ?? ''}
              </p>
            )}
          </TimelineEvent>
        ))}
      </ol>
    </Section>
  );
}
