/**
 * The messages of a convenio, queued in the transaction of the change they announce:
 * - CNV-4: the borrower is told the solution, the first-payment amount and its deadline;
 * - act. 26: the agency is told to invite the borrower to the first payment (its work list);
 * - act. 24–25: the mediator learns of a correction request or of the approval.
 */
import { formatDateEs } from '../../clock.js';
import { config } from '../../config.js';
import type { Executor } from '../../db/index.js';
import { formatPesos } from '../../money.js';
import { enqueueMessage } from '../notify/outbox.service.js';
import { SOLUTION_NAMES, type SolutionId } from '../solutions/solutions.rules.js';

interface ConvenioParties {
  caseId: number;
  folio: string;
  creditNumber: string;
  solutionId: SolutionId;
  firstPaymentCents: bigint;
  firstPaymentDueOn: string;
  monthlyPaymentCents: bigint;
  borrowerName: string;
  borrowerEmail: string | null;
  borrowerMobile: string | null;
  agencyName: string;
  agencyEmail: string;
  mediatorName: string;
  mediatorEmail: string;
}

async function partiesOf(trx: Executor, convenioId: number): Promise<ConvenioParties> {
  const row = await trx
    .selectFrom('convenios as v')
    .innerJoin('mediation_cases as c', 'c.id', 'v.case_id')
    .innerJoin('credits as cr', 'cr.credit_number', 'v.credit_number')
    .innerJoin('agencies as ag', 'ag.id', 'v.agency_id')
    .innerJoin('mediators as m', 'm.id', 'v.mediator_id')
    .select([
      'v.case_id',
      'v.folio',
      'v.credit_number',
      'v.solution_id',
      'v.first_payment_cents',
      'v.first_payment_due_on',
      'v.monthly_payment_cents',
      'cr.borrower_name',
      // SEC-1: contact data captured with the privacy notice first, then the portfolio's
      'c.contact_email',
      'c.contact_mobile',
      'cr.email',
      'cr.phone_mobile',
      'ag.name as agency_name',
      'ag.contact_email as agency_email',
      'm.full_name as mediator_name',
      'm.email as mediator_email',
    ])
    .where('v.id', '=', convenioId)
    .executeTakeFirstOrThrow();
  return {
    caseId: row.case_id,
    folio: row.folio,
    creditNumber: row.credit_number,
    solutionId: row.solution_id,
    firstPaymentCents: row.first_payment_cents,
    firstPaymentDueOn: row.first_payment_due_on,
    monthlyPaymentCents: row.monthly_payment_cents,
    borrowerName: row.borrower_name,
    borrowerEmail: row.contact_email ?? row.email,
    borrowerMobile: row.contact_mobile ?? row.phone_mobile,
    agencyName: row.agency_name,
    agencyEmail: row.agency_email,
    mediatorName: row.mediator_name,
    mediatorEmail: row.mediator_email,
  };
}

/** CNV-4 and act. 26: the borrower's notice, the agency's first-payment work, the mediator's notice. */
export async function notifyApproval(trx: Executor, convenioId: number, now: Date): Promise<void> {
  const p = await partiesOf(trx, convenioId);
  const amount = formatPesos(p.firstPaymentCents);
  const due = formatDateEs(p.firstPaymentDueOn);
  const solution = `${SOLUTION_NAMES[p.solutionId]} (${p.solutionId})`;
  const complaints = config().complaintsUrl;
  if (p.borrowerEmail) {
    await enqueueMessage(trx, {
      purpose: 'convenio_approved',
      channel: 'email',
      recipientKind: 'borrower',
      recipientName: p.borrowerName,
      recipientAddress: p.borrowerEmail,
      subject: `Su convenio ${p.folio} fue aprobado: realice su primer pago`,
      body: [
        `Estimado(a) ${p.borrowerName}:`,
        '',
        `La solución que acordó en su convenio de mediación ${p.folio} para el crédito ${p.creditNumber} fue aprobada y ya está aplicada a su crédito.`,
        '',
        `Solución: ${solution}.`,
        `Primer pago: ${amount}, en un único pago por la cantidad completa, a más tardar el ${due}.`,
        `Mensualidad a partir de entonces: ${formatPesos(p.monthlyPaymentCents)} más seguros y comisiones.`,
        '',
        'Si el primer pago no se realiza completo dentro del plazo, el convenio se considera incumplido.',
        `Para dudas o quejas: ${complaints}`,
      ].join('\n'),
      caseId: p.caseId,
      now,
    });
  }
  if (p.borrowerMobile) {
    await enqueueMessage(trx, {
      purpose: 'convenio_approved',
      channel: 'sms',
      recipientKind: 'borrower',
      recipientName: p.borrowerName,
      recipientAddress: p.borrowerMobile,
      subject: 'Convenio aprobado',
      body: `Infonavit: su convenio ${p.folio} fue aprobado. Primer pago: ${amount} en un solo pago a más tardar el ${due}. Crédito ${p.creditNumber}.`,
      caseId: p.caseId,
      now,
    });
  }
  await enqueueMessage(trx, {
    purpose: 'first_payment_invitation',
    channel: 'email',
    recipientKind: 'agency',
    recipientName: p.agencyName,
    recipientAddress: p.agencyEmail,
    subject: `Invitar al primer pago: convenio ${p.folio}, crédito ${p.creditNumber}`,
    body: [
      `La DR aprobó la solución del convenio ${p.folio} (crédito ${p.creditNumber}, ${solution}).`,
      `Invite al acreditado a realizar su primer pago de ${amount}, en un único pago por la cantidad completa, a más tardar el ${due} (act. 26).`,
      'La cuenta aparece en su lista de trabajo «Primer pago» de la plataforma.',
    ].join('\n'),
    caseId: p.caseId,
    now,
  });
  await enqueueMessage(trx, {
    purpose: 'convenio_notice',
    channel: 'email',
    recipientKind: 'mediator',
    recipientName: p.mediatorName,
    recipientAddress: p.mediatorEmail,
    subject: `Convenio ${p.folio} aprobado por la DR`,
    body: `La DR aprobó el convenio ${p.folio} (crédito ${p.creditNumber}). Primer pago: ${amount} a más tardar el ${due}. Si el convenio es Ratificado, registre el convenio ante el Centro de Justicia Alternativa (act. 27).`,
    caseId: p.caseId,
    now,
  });
}

/** act. 24: the mediator is asked for changes or clarifications, to answer by the DL-11 date. */
export async function notifyCorrectionRequest(trx: Executor, convenioId: number, reason: string, answerBy: string, now: Date): Promise<void> {
  const p = await partiesOf(trx, convenioId);
  await enqueueMessage(trx, {
    purpose: 'convenio_notice',
    channel: 'email',
    recipientKind: 'mediator',
    recipientName: p.mediatorName,
    recipientAddress: p.mediatorEmail,
    subject: `Correcciones al convenio ${p.folio} (crédito ${p.creditNumber})`,
    body: `La DR solicita cambios o aclaraciones al convenio ${p.folio}:\n\n${reason}\n\nResponda a más tardar el ${formatDateEs(answerBy)} (DL-11, act. 24).`,
    caseId: p.caseId,
    now,
  });
}
