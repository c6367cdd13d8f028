/**
 * The documents of CNV-3, filled from the database: the preliminary convenio of each available
 * solution (acts. 12–13), the signed convenio and the borrower's acknowledgement (act. 20). Reads
 * are in scope (SEC-2) and, since they carry personal data, logged (SEC-4).
 */
import type { IsoDate } from '../../clock.js';
import { config } from '../../config.js';
import type { Executor } from '../../db/index.js';
import { AppError, notFound } from '../../errors.js';
import { logPersonalDataRead } from '../audit/audit.service.js';
import { createHolidayCalendar } from '../deadlines/deadlines.rules.js';
import type { AuthUser } from '../identity/identity.service.js';
import { caseInScope } from '../mediation/cases.repository.js';
import type { CaseFacts } from '../mediation/mediation.rules.js';
import { getPolicyInForce } from '../policy/policy.service.js';
import { SOLUTION_NAMES, type SolutionId } from '../solutions/solutions.rules.js';
import { renderAcknowledgementPdf, renderConvenioPdf, type ConvenioDocumentData } from './convenio.documents.js';
import { convenioInScope, termsOnDay } from './convenios.service.js';

const PAYMENT_PLACE =
  'mediante depósito en cualquier sucursal bancaria o tienda de conveniencia autorizada por el Instituto, o por transferencia electrónica, con la referencia de pago del número de crédito';

async function partiesOf(db: Executor, input: { creditNumber: string; delegationId: number; agencyId: number; mediatorId: number | null; representativeId: number | null }) {
  const [credit, delegation, agency, mediator, representative] = await Promise.all([
    db.selectFrom('credits').selectAll().where('credit_number', '=', input.creditNumber).executeTakeFirstOrThrow(),
    db.selectFrom('delegations').select(['name', 'state']).where('id', '=', input.delegationId).executeTakeFirstOrThrow(),
    db.selectFrom('agencies').select(['name']).where('id', '=', input.agencyId).executeTakeFirstOrThrow(),
    input.mediatorId === null
      ? undefined
      : db
          .selectFrom('mediators')
          .select(['full_name', 'kind', 'certification_number', 'certification_expires_on', 'notary_number'])
          .where('id', '=', input.mediatorId)
          .executeTakeFirst(),
    input.representativeId === null
      ? undefined
      : db.selectFrom('representatives').select(['full_name', 'has_legal_powers', 'power_of_attorney']).where('id', '=', input.representativeId).executeTakeFirst(),
  ]);
  return { credit, delegation, agency, mediator, representative };
}

type Parties = Awaited<ReturnType<typeof partiesOf>>;

function documentData(
  p: Parties,
  kind: 'draft' | 'final',
  folio: string,
  date: IsoDate,
  convenioType: ConvenioDocumentData['convenioType'],
  creditAtSignature: { balanceCents: bigint; monthlyPaymentCents: bigint; interestRateBp: number; termMonths: number; monthsInArrears: number; denomination: 'VSM' | 'MXN' },
  solution: ConvenioDocumentData['solution'],
): ConvenioDocumentData {
  const c = p.credit;
  return {
    kind,
    convenioType,
    folio,
    place: `${c.address_municipality}, ${p.delegation.state}`,
    date,
    credit: {
      number: c.credit_number,
      denomination: creditAtSignature.denomination,
      originalAmountCents: c.original_amount_cents,
      balanceCents: creditAtSignature.balanceCents,
      monthlyPaymentCents: creditAtSignature.monthlyPaymentCents,
      interestRateBp: creditAtSignature.interestRateBp,
      termMonths: creditAtSignature.termMonths,
      monthsInArrears: creditAtSignature.monthsInArrears,
      originationDate: c.origination_date,
    },
    borrower: {
      name: c.borrower_name,
      nss: c.borrower_nss,
      curp: c.borrower_curp,
      rfc: c.borrower_rfc,
      birthDate: c.borrower_birth_date,
      address: `${c.address_street}, col. ${c.address_settlement}, ${c.address_municipality}, ${p.delegation.state}, C.P. ${c.address_postal_code}`,
      email: c.email,
      phone: c.phone_mobile ?? c.phone_landline,
    },
    delegation: { name: p.delegation.name, state: p.delegation.state },
    agency: { name: p.agency.name },
    representative: p.representative ? { name: p.representative.full_name, hasLegalPowers: p.representative.has_legal_powers, powerOfAttorney: p.representative.power_of_attorney } : null,
    mediator: p.mediator
      ? {
          name: p.mediator.full_name,
          kind: p.mediator.kind,
          certificationNumber: p.mediator.certification_number,
          certificationExpiresOn: p.mediator.certification_expires_on,
          notaryNumber: p.mediator.notary_number,
        }
      : null,
    solution,
    paymentPlace: PAYMENT_PLACE,
    complaintsContact: config().complaintsUrl,
  };
}

async function signedData(db: Executor, user: AuthUser, convenioId: number, now: Date): Promise<{ folio: string; data: ConvenioDocumentData }> {
  const v = await db.selectFrom('convenios as v').selectAll('v').where('v.id', '=', convenioId).where(convenioInScope(user.scope)).executeTakeFirst();
  if (!v) throw notFound('Convenio');
  const p = await partiesOf(db, { creditNumber: v.credit_number, delegationId: v.delegation_id, agencyId: v.agency_id, mediatorId: v.mediator_id, representativeId: v.representative_id });
  const before = v.credit_before as { balanceCents: string; monthlyPaymentCents: string; interestRateBp: number; termMonths: number; paymentsMade: number; monthsInArrears: number; denomination: 'VSM' | 'MXN' };
  const terms = v.terms as { insuranceFeesCents?: string; totalMonthlyPaymentCents?: string; benefit?: string; explanation?: string[] };
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, [v.credit_number], `convenio ${v.folio} (PDF)`);
  const insurance = BigInt(terms.insuranceFeesCents ?? '0');
  return {
    folio: v.folio,
    data: documentData(
      p,
      'final',
      v.folio,
      v.signed_on,
      v.convenio_type,
      {
        balanceCents: BigInt(before.balanceCents),
        monthlyPaymentCents: BigInt(before.monthlyPaymentCents),
        interestRateBp: before.interestRateBp,
        termMonths: before.termMonths,
        monthsInArrears: before.monthsInArrears,
        denomination: before.denomination,
      },
      {
        id: v.solution_id,
        name: SOLUTION_NAMES[v.solution_id],
        balanceBeforeCents: v.balance_before_cents,
        discountCents: v.discount_cents,
        balanceAfterCents: v.balance_after_cents,
        monthlyPaymentCents: v.monthly_payment_cents,
        insuranceFeesCents: insurance,
        totalMonthlyPaymentCents: BigInt(terms.totalMonthlyPaymentCents ?? (v.monthly_payment_cents + insurance).toString()),
        paymentFactor: v.payment_factor,
        interestRateBp: v.interest_rate_bp,
        termMonths: v.term_months,
        firstPaymentCents: v.first_payment_cents,
        firstPaymentDueOn: v.first_payment_due_on,
        benefit: terms.benefit,
        explanation: terms.explanation ?? [],
      },
    ),
  };
}

/** CNV-3: the signed convenio, with the terms recorded at the signature (CNV-1). */
export async function convenioPdfOf(db: Executor, user: AuthUser, convenioId: number, now: Date) {
  const { folio, data } = await signedData(db, user, convenioId, now);
  return { fileName: `convenio-${folio}.pdf`, pdf: await renderConvenioPdf(data) };
}

/** act. 20: the borrower's acknowledgement of receipt of his original. */
export async function acknowledgementPdfOf(db: Executor, user: AuthUser, convenioId: number, now: Date) {
  const { folio, data } = await signedData(db, user, convenioId, now);
  return { fileName: `acuse-${folio}.pdf`, pdf: await renderAcknowledgementPdf(data) };
}

/**
 * acts. 12–13, CNV-3: the preliminary convenio of one available solution, in the case's convenio
 * type, with today's terms. The DR manager produces it; the mediator receives the ones provided.
 */
export async function draftConvenioPdfOf(db: Executor, user: AuthUser, caseId: number, solutionId: SolutionId, today: IsoDate, now: Date) {
  const row = await db
    .selectFrom('mediation_cases as c')
    .select(['c.id', 'c.credit_number', 'c.delegation_id', 'c.agency_id', 'c.mediator_id', 'c.representative_id', 'c.convenio_type', 'c.facts'])
    .where('c.id', '=', caseId)
    .where(caseInScope(user.scope))
    .executeTakeFirst();
  if (!row) throw notFound('Caso');
  const facts = row.facts as CaseFacts;
  if (user.role === 'mediator' && !(facts.draftSolutionIds ?? []).includes(solutionId)) {
    throw new AppError('FORBIDDEN_TRANSITION', {
      userMessage: `La DR no ha entregado el convenio preliminar de ${SOLUTION_NAMES[solutionId]} para este caso (act. 13).`,
      details: { rule: 'act. 13' },
    });
  }
  const holidays = createHolidayCalendar((await getPolicyInForce(db, 'holiday_calendar', today)).value);
  const { terms, credit } = await termsOnDay(db, row.credit_number, solutionId, today, holidays);
  const p = await partiesOf(db, { creditNumber: row.credit_number, delegationId: row.delegation_id, agencyId: row.agency_id, mediatorId: row.mediator_id, representativeId: row.representative_id });
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, [row.credit_number], `convenio preliminar ${solutionId} del caso ${caseId} (PDF)`);
  const folio = `PRELIMINAR-${row.credit_number}-${solutionId}`;
  const data = documentData(
    p,
    'draft',
    folio,
    today,
    row.convenio_type,
    {
      balanceCents: credit.balance_cents,
      monthlyPaymentCents: credit.monthly_payment_cents,
      interestRateBp: credit.interest_rate_bp,
      termMonths: credit.term_months,
      monthsInArrears: credit.months_in_arrears,
      denomination: credit.denomination,
    },
    {
      id: solutionId,
      name: SOLUTION_NAMES[solutionId],
      balanceBeforeCents: terms.balanceBeforeCents,
      discountCents: terms.discountCents,
      balanceAfterCents: terms.balanceAfterCents,
      monthlyPaymentCents: terms.monthlyPaymentCents,
      insuranceFeesCents: terms.insuranceFeesCents,
      totalMonthlyPaymentCents: terms.totalMonthlyPaymentCents,
      paymentFactor: terms.paymentFactor,
      interestRateBp: terms.interestRateBp,
      termMonths: terms.termMonths,
      firstPaymentCents: terms.firstPaymentCents,
      firstPaymentDueOn: terms.firstPaymentDueOn,
      benefit: terms.benefit,
      explanation: terms.explanation,
    },
  );
  return { fileName: `convenio-preliminar-${row.credit_number}-${solutionId}.pdf`, pdf: await renderConvenioPdf(data) };
}
