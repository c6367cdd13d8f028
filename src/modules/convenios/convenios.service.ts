/**
 * Signed convenios (SPEC §6 CNV-1..6, §4 acts. 20–27, §9 PAY-1): what the signature records, the
 * review and approval that applies the restructure to the credit, the first payment and the broken
 * convenio. Every change runs in the caller's transaction: the new status, one convenio event and
 * one audit event, and the messages it sends.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { formatDateEs, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { updateAtVersion } from '../../db/versioned.js';
import type { ConvenioStatus, ConveniosTable, ConvenioType, DB, SlaRule } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { centsToNumber, formatPesos } from '../../money.js';
import { actorOf, recordEvent, type Actor } from '../audit/audit.service.js';
import { createHolidayCalendar, dueDateOf, type DeadlinePolicy, type HolidayCalendar } from '../deadlines/deadlines.rules.js';
import { findCaseDocuments, type DocumentView } from '../documents/documents.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import type { Scope } from '../identity/identity.rules.js';
import { getPolicyInForce } from '../policy/policy.service.js';
import { applyRestructure, creditTermsSnapshot, moveToSpecializedRecovery } from '../portfolio/restructures.js';
import { creditForSolutions } from '../solutions/solutions.service.js';
import { firstPaymentDueOn, solutionCatalogue, type SolutionTerms } from '../solutions/solutions.terms.js';
import { SOLUTION_NAMES, type SolutionId } from '../solutions/solutions.rules.js';
import { PAYMENT_CHANNEL_LABELS } from '../payments/payments.csv-format.js';
import { notifyApproval, notifyCorrectionRequest } from './convenios.notifications.js';
import {
  availableConvenioActions,
  CONVENIO_ACTION_LABELS,
  CONVENIO_STATUS_LABELS,
  confirmedFirstPaymentDueOn,
  decideConvenio,
  meetsSl1,
  REVIEW_DOCUMENT_TYPES,
  type ConvenioAction,
  type ConvenioActor,
  type ConvenioFacts,
  type ConvenioInputs,
} from './convenios.rules.js';

const REFUSAL_STATUS = {
  FORBIDDEN_ROLE: 'FORBIDDEN',
  OUT_OF_SCOPE: 'FORBIDDEN',
  INVALID_INPUT: 'VALIDATION',
  INVALID_STATE: 'FORBIDDEN_TRANSITION',
  RULE: 'FORBIDDEN_TRANSITION',
} as const;

// ------------------------------------------------------------------------------------------------
// Scope (SEC-2)
// ------------------------------------------------------------------------------------------------

/**
 * SEC-2 over `convenios v`: a DR manager his delegación's, an agency its own, a mediator those he
 * signed, a representative those he signed for, the borrower his credit's, national roles all.
 */
export function convenioInScope(scope: Scope) {
  return (eb: ExpressionBuilder<DB & { v: ConveniosTable }, 'v'>): Expression<SqlBool> => {
    switch (scope.kind) {
      case 'national':
        return sql<boolean>`true`;
      case 'delegation':
        return eb('v.delegation_id', '=', scope.delegationId);
      case 'agency':
        return eb('v.agency_id', '=', scope.agencyId);
      case 'field_agent':
        return sql<boolean>`false`;
      case 'mediator':
        return eb('v.mediator_id', '=', scope.mediatorId);
      case 'representative':
        return eb('v.representative_id', '=', scope.representativeId);
      case 'credit':
        return eb('v.credit_number', '=', scope.creditNumber);
    }
  };
}

function actorOfUser(user: AuthUser): ConvenioActor {
  return {
    role: user.role,
    delegationId: user.scope.kind === 'delegation' ? user.scope.delegationId : null,
    mediatorId: user.scope.kind === 'mediator' ? user.scope.mediatorId : null,
  };
}

/** The terms as stored in `convenios.terms` (cents as text: JSON has no bigint). */
type StoredTerms = { [K in keyof SolutionTerms]: SolutionTerms[K] extends bigint ? string : SolutionTerms[K] };

function storeTerms(terms: SolutionTerms): StoredTerms {
  return Object.fromEntries(Object.entries(terms).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])) as StoredTerms;
}

// ------------------------------------------------------------------------------------------------
// act. 20: the signature records the convenio (CNV-1, CNV-2, SL-1)
// ------------------------------------------------------------------------------------------------

export interface SignatureRecord {
  caseId: number;
  creditNumber: string;
  round: number;
  delegationId: number;
  agencyId: number;
  mediatorId: number;
  representativeId: number | null;
  convenioType: ConvenioType;
  acceptedOn: IsoDate;
  signedOn: IsoDate;
  solutionId: SolutionId;
  copies: number;
  acknowledgementSigned: boolean;
  deadlines: { policy: DeadlinePolicy; version: number; holidays: HolidayCalendar };
  user: AuthUser;
  now: Date;
}

/** The terms of one solution for a credit on a day, or a 409 naming the conditions that fail (SPEC §8). */
export async function termsOnDay(trx: Executor, creditNumber: string, solutionId: SolutionId, on: IsoDate, holidays: HolidayCalendar) {
  const credit = await trx.selectFrom('credits').selectAll().where('credit_number', '=', creditNumber).executeTakeFirstOrThrow();
  const parameters = await getPolicyInForce(trx, 'solution_parameters', on);
  const offer = solutionCatalogue(creditForSolutions(credit), parameters.value, on, holidays).find((o) => o.solution === solutionId);
  if (!offer?.available || !offer.terms) {
    const failed = offer?.conditions.filter((c) => !c.passed).map((c) => c.description) ?? [];
    throw new AppError('FORBIDDEN_TRANSITION', {
      userMessage: `La solución ${SOLUTION_NAMES[solutionId]} (${solutionId}) no está disponible para el crédito ${creditNumber}: ${failed.join('; ') || 'no cumple las condiciones'} (SPEC §8).`,
      details: { rule: solutionId },
    });
  }
  return { terms: offer.terms, policyVersion: parameters.version, credit };
}

/** act. 13: the solutions of the catalogue available for the credit on a day, with their terms. */
export async function eligibleSolutionIds(trx: Executor, creditNumber: string, on: IsoDate): Promise<SolutionId[]> {
  const credit = await trx.selectFrom('credits').selectAll().where('credit_number', '=', creditNumber).executeTakeFirstOrThrow();
  const parameters = await getPolicyInForce(trx, 'solution_parameters', on);
  const holidays = createHolidayCalendar((await getPolicyInForce(trx, 'holiday_calendar', on)).value);
  return solutionCatalogue(creditForSolutions(credit), parameters.value, on, holidays)
    .filter((offer) => offer.available && offer.terms !== undefined)
    .map((offer) => offer.solution);
}

/**
 * CNV-1: records the signed convenio with the solution's terms on the signature day (the catalogue
 * of SPEC §8 under the policy in force), the first-payment deadline told to the borrower, SL-1,
 * and the DL-9 date by which the scan goes to the DR. The case's own guards (CNV-2: checklist,
 * representative's powers, mediator's certification or notary) ran before.
 */
export async function recordSignedConvenio(trx: Executor, input: SignatureRecord): Promise<number> {
  const { terms, policyVersion, credit } = await termsOnDay(trx, input.creditNumber, input.solutionId, input.signedOn, input.deadlines.holidays);
  const { policy, holidays } = input.deadlines;
  const sl1DueOn = dueDateOf('SL-1', input.acceptedOn, policy, holidays);
  const folio = `CM-${input.signedOn.slice(0, 4)}-${String(input.caseId).padStart(7, '0')}`;
  const creditBefore = creditTermsSnapshot(credit);
  const inserted = await trx
    .insertInto('convenios')
    .values({
      folio,
      case_id: input.caseId,
      credit_number: input.creditNumber,
      round: input.round,
      delegation_id: input.delegationId,
      agency_id: input.agencyId,
      mediator_id: input.mediatorId,
      representative_id: input.representativeId,
      convenio_type: input.convenioType,
      solution_id: input.solutionId,
      solution_policy_version: policyVersion,
      status: 'signed',
      accepted_on: input.acceptedOn,
      signed_on: input.signedOn,
      sl1_due_on: sl1DueOn,
      sl1_met: meetsSl1(input.signedOn, sl1DueOn),
      copies: input.copies,
      acknowledgement_signed: input.acknowledgementSigned,
      balance_before_cents: terms.balanceBeforeCents,
      discount_cents: terms.discountCents,
      balance_after_cents: terms.balanceAfterCents,
      monthly_payment_cents: terms.monthlyPaymentCents,
      payment_factor: terms.paymentFactor,
      interest_rate_bp: terms.interestRateBp,
      term_months: terms.termMonths,
      first_payment_cents: terms.firstPaymentCents,
      first_payment_due_on: terms.firstPaymentDueOn,
      terms: JSON.stringify(storeTerms(terms)),
      credit_before: JSON.stringify(creditBefore),
      deadline_policy_version: input.deadlines.version,
      dl9_due_on: dueDateOf('DL-9', input.signedOn, policy, holidays),
      created_at: input.now,
      updated_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('convenio_events')
    .values({
      convenio_id: inserted.id,
      version: 1,
      action: 'sign',
      activity: 'act. 20',
      from_status: null,
      to_status: 'signed',
      on_date: input.signedOn,
      actor_role: input.user.role,
      actor_user_id: input.user.id,
      data: JSON.stringify({ solutionId: input.solutionId, solutionPolicyVersion: policyVersion, folio }),
      rule: 'CNV-1',
      explanation: `Convenio ${folio} firmado: ${SOLUTION_NAMES[input.solutionId]}; primer pago de ${formatPesos(terms.firstPaymentCents)} a más tardar el ${formatDateEs(terms.firstPaymentDueOn)}; SL-1 ${meetsSl1(input.signedOn, sl1DueOn) ? 'cumplido' : 'no cumplido'} (plazo ${formatDateEs(sl1DueOn)}).`,
      recorded_at: input.now,
    })
    .execute();
  await recordEvent(trx, actorOf(input.user), input.now, {
    action: 'convenio.sign',
    entityType: 'convenio',
    entityId: String(inserted.id),
    after: { folio, caseId: input.caseId, status: 'signed', solutionId: input.solutionId, firstPaymentCents: terms.firstPaymentCents.toString() },
  });
  return inserted.id;
}

// ------------------------------------------------------------------------------------------------
// CNV-6: refusal to sign with a credit of the RE profile
// ------------------------------------------------------------------------------------------------

/**
 * CNV-6: when the borrower refuses to sign (act. 18) and the credit fits the profile of
 * Recuperación Especializada (policy `re_handover_profile`), the credit passes to that segment and
 * the hand-over record of the PR "Salidas" is written. Returns whether it was handed over.
 */
export async function handOverIfReProfile(
  trx: Executor,
  input: { caseId: number; creditNumber: string; delegationId: number; agencyId: number; assignedOn: IsoDate; today: IsoDate; user: AuthUser; now: Date },
): Promise<boolean> {
  const profile = (await getPolicyInForce(trx, 're_handover_profile', input.today)).value;
  if (!profile.enabled) return false;
  const credit = await trx
    .selectFrom('credits')
    .select(['borrower_name', 'months_in_arrears', 'legal_stage', 'segment'])
    .where('credit_number', '=', input.creditNumber)
    .executeTakeFirstOrThrow();
  const reasons: string[] = [];
  if (credit.months_in_arrears >= profile.minMonthsInArrears) reasons.push(`${credit.months_in_arrears} mensualidades omisas (perfil: ${profile.minMonthsInArrears} o más)`);
  if (profile.legalStages.includes(credit.legal_stage as never)) reasons.push('crédito con proceso judicial');
  if (reasons.length === 0) return false;
  await trx
    .insertInto('re_handovers')
    .values({
      case_id: input.caseId,
      credit_number: input.creditNumber,
      delegation_id: input.delegationId,
      agency_id: input.agencyId,
      borrower_name: credit.borrower_name,
      assigned_on: input.assignedOn,
      handed_over_on: input.today,
      reason: `CNV-6: negativa a firmar el convenio y ${reasons.join('; ')}.`,
      created_at: input.now,
    })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
  await moveToSpecializedRecovery(trx, input.creditNumber, input.now);
  await recordEvent(trx, actorOf(input.user), input.now, {
    action: 'credit.re_handover',
    entityType: 'credit',
    entityId: input.creditNumber,
    before: { segment: credit.segment },
    after: { segment: 'recuperacion_especializada', caseId: input.caseId, rule: 'CNV-6' },
  });
  return true;
}

// ------------------------------------------------------------------------------------------------
// acts. 22–27: review, approval, CJA registration
// ------------------------------------------------------------------------------------------------

const convenioColumns = [
  'v.id',
  'v.folio',
  'v.case_id',
  'v.credit_number',
  'v.round',
  'v.delegation_id',
  'v.agency_id',
  'v.mediator_id',
  'v.representative_id',
  'v.convenio_type',
  'v.solution_id',
  'v.solution_policy_version',
  'v.status',
  'v.version',
  'v.accepted_on',
  'v.signed_on',
  'v.sl1_due_on',
  'v.sl1_met',
  'v.copies',
  'v.acknowledgement_signed',
  'v.balance_before_cents',
  'v.discount_cents',
  'v.balance_after_cents',
  'v.monthly_payment_cents',
  'v.payment_factor',
  'v.interest_rate_bp',
  'v.term_months',
  'v.first_payment_cents',
  'v.first_payment_due_on',
  'v.terms',
  'v.credit_before',
  'v.deadline_policy_version',
  'v.dl9_due_on',
  'v.submitted_on',
  'v.dl10_due_on',
  'v.dl12_due_on',
  'v.corrections_requested_on',
  'v.dl11_due_on',
  'v.review_rounds',
  'v.approved_on',
  'v.first_paid_on',
  'v.first_paid_cents',
  'v.broken_on',
  'v.broken_rule',
  'v.cja_centre',
  'v.cja_registration_number',
  'v.cja_registered_on',
  'v.cja_certificate_document_id',
] as const;

async function lockConvenioInScope(trx: Executor, scope: Scope, id: number) {
  return trx.selectFrom('convenios as v').select(convenioColumns).where('v.id', '=', id).where(convenioInScope(scope)).forUpdate().executeTakeFirst();
}
type ConvenioRow = NonNullable<Awaited<ReturnType<typeof lockConvenioInScope>>>;

function factsOf(row: ConvenioRow, documents: readonly DocumentView[]): ConvenioFacts {
  const documentsUploadedOn: ConvenioFacts['documentsUploadedOn'] = {};
  for (const type of REVIEW_DOCUMENT_TYPES) {
    const current = documents.find((d) => d.documentType === type && d.current);
    if (current) documentsUploadedOn[type] = current.uploadedOn;
  }
  return {
    status: row.status,
    convenioType: row.convenio_type,
    delegationId: row.delegation_id,
    mediatorId: row.mediator_id,
    signedOn: row.signed_on,
    submittedOn: row.submitted_on,
    correctionsRequestedOn: row.corrections_requested_on,
    approvedOn: row.approved_on,
    cjaRegisteredOn: row.cja_registered_on,
    documentsUploadedOn,
  };
}

async function deadlinesOf(trx: Executor, row: ConvenioRow, today: IsoDate) {
  const holidays = await getPolicyInForce(trx, 'holiday_calendar', today);
  const version = row.deadline_policy_version;
  const policyRow = version
    ? await trx.selectFrom('policy_versions').select(['value', 'version']).where('policy_key', '=', 'deadlines').where('version', '=', version).executeTakeFirst()
    : undefined;
  const policy = policyRow ? (policyRow.value as DeadlinePolicy) : (await getPolicyInForce(trx, 'deadlines', today)).value;
  return { policy, holidays: createHolidayCalendar(holidays.value) };
}

/** Flags a breach found at the moment of a late action (the sweep flags those still pending). */
async function flagLate(trx: Executor, caseId: number, rule: SlaRule, dueOn: IsoDate | null, doneOn: IsoDate, policyVersion: number | null): Promise<void> {
  if (dueOn === null || doneOn <= dueOn) return;
  await trx
    .insertInto('case_deadline_breaches')
    .values({ case_id: caseId, rule, due_on: dueOn, flagged_on: doneOn, policy_version: policyVersion })
    .onConflict((oc) => oc.columns(['case_id', 'rule']).doNothing())
    .execute();
}

export interface ConvenioCommand<A extends ConvenioAction = ConvenioAction> {
  convenioId: number;
  action: A;
  version: number;
  input: ConvenioInputs[A];
  today: IsoDate;
  now: Date;
}

/**
 * One step of acts. 22–27: lock in scope (404), check the version (409 STALE_VERSION), decide by the
 * rules (403/400/409 with the rule), then store the status, its dates, one convenio event, one
 * audit event and the messages. Approval (act. 25) applies the restructure to the credit (CNV-4)
 * in the same transaction.
 */
export async function applyConvenioAction(trx: Executor, user: AuthUser, command: ConvenioCommand): Promise<void> {
  const row = await lockConvenioInScope(trx, user.scope, command.convenioId);
  if (!row) throw notFound('Convenio');
  if (row.version !== command.version) {
    throw new AppError('STALE_VERSION', {
      userMessage: `El convenio cambió mientras lo tenía abierto (usted vio la versión ${command.version}; ahora es la ${row.version}). Recargue y vuelva a intentarlo.`,
      details: { currentVersion: row.version },
    });
  }
  const documents = await findCaseDocuments(trx, [row.case_id]);
  const facts = factsOf(row, documents);
  const decision = decideConvenio(facts, command.action, command.input, actorOfUser(user), command.today);
  if (!decision.ok) {
    throw new AppError(REFUSAL_STATUS[decision.code], { userMessage: decision.message, details: { rule: decision.rule } });
  }
  const { today, now } = command;
  const { policy, holidays } = await deadlinesOf(trx, row, today);
  const policyVersion = row.deadline_policy_version;
  const changes: Partial<Record<string, unknown>> = { status: decision.to, version: row.version + 1, updated_at: now };
  let explanation: string | undefined;
  let rule: string | undefined;
  const data: Record<string, unknown> = { ...(command.input as object) };

  switch (command.action) {
    case 'submit_documents': {
      changes.submitted_on = today;
      changes.dl10_due_on = dueDateOf('DL-10', today, policy, holidays);
      changes.dl12_due_on = dueDateOf('DL-12', today, policy, holidays);
      if (row.status === 'signed') await flagLate(trx, row.case_id, 'DL-9', row.dl9_due_on, today, policyVersion);
      else await flagLate(trx, row.case_id, 'DL-11', row.dl11_due_on, today, policyVersion);
      data.documents = REVIEW_DOCUMENT_TYPES.map((type) => documents.find((d) => d.documentType === type && d.current)).map((d) => d && { id: d.id, type: d.documentType, version: d.version, sha256: d.sha256 });
      rule = row.status === 'signed' ? 'DL-9' : 'DL-11';
      break;
    }
    case 'request_corrections': {
      await flagLate(trx, row.case_id, 'DL-10', row.dl10_due_on, today, policyVersion);
      const answerBy = dueDateOf('DL-11', today, policy, holidays);
      changes.corrections_requested_on = today;
      changes.dl11_due_on = answerBy;
      changes.review_rounds = (row.review_rounds ?? 0) + 1;
      rule = 'DL-10';
      await notifyCorrectionRequest(trx, row.id, (command.input as ConvenioInputs['request_corrections']).reason.trim(), answerBy, now);
      break;
    }
    case 'approve': {
      await flagLate(trx, row.case_id, 'DL-10', row.dl10_due_on, today, policyVersion);
      await flagLate(trx, row.case_id, 'DL-12', row.dl12_due_on, today, policyVersion);
      const parameters = await getPolicyInForce(trx, 'solution_parameters', today);
      const dueOn = confirmedFirstPaymentDueOn(row.first_payment_due_on, firstPaymentDueOn(today, parameters.value, holidays));
      changes.approved_on = today;
      changes.approved_by_user_id = user.id;
      changes.first_payment_due_on = dueOn;
      const before = await applyRestructure(trx, {
        creditNumber: row.credit_number,
        convenioId: row.id,
        folio: row.folio,
        terms: {
          balanceCents: row.balance_after_cents,
          monthlyPaymentCents: row.monthly_payment_cents,
          paymentFactor: row.payment_factor,
          interestRateBp: row.interest_rate_bp,
          remainingTermMonths: row.term_months,
        },
        appliedOn: today,
        userId: user.id,
        now,
      });
      data.firstPaymentDueOn = dueOn;
      data.creditBefore = before;
      rule = 'CNV-4';
      explanation = `Solución aprobada y reestructura aplicada al crédito ${row.credit_number}: saldo ${formatPesos(row.balance_after_cents)}, mensualidad ${formatPesos(row.monthly_payment_cents)}, primer pago de ${formatPesos(row.first_payment_cents)} a más tardar el ${formatDateEs(dueOn)} (CNV-4).`;
      break;
    }
    case 'record_cja_registration': {
      const input = command.input as ConvenioInputs['record_cja_registration'];
      if (input.certificateDocumentId !== undefined) {
        const certificate = documents.find((d) => d.id === input.certificateDocumentId && d.documentType === 'cja_certificate');
        if (!certificate) {
          throw new AppError('VALIDATION', { userMessage: 'La constancia indicada no es un documento «Constancia de registro ante el CJA» de este caso (act. 27).' });
        }
      }
      changes.cja_centre = input.centre.trim();
      changes.cja_registration_number = input.registrationNumber.trim();
      changes.cja_registered_on = input.registeredOn;
      changes.cja_certificate_document_id = input.certificateDocumentId ?? null;
      rule = 'act. 27';
      break;
    }
  }

  await updateAtVersion(trx, 'convenios', row, changes, 'el convenio');
  await trx
    .insertInto('convenio_events')
    .values({
      convenio_id: row.id,
      version: row.version + 1,
      action: command.action,
      activity: decision.activity,
      from_status: row.status,
      to_status: decision.to,
      on_date: today,
      actor_role: user.role,
      actor_user_id: user.id,
      data: JSON.stringify(data),
      rule: rule ?? null,
      explanation: explanation ?? null,
      recorded_at: now,
    })
    .execute();
  await recordEvent(trx, actorOf(user), now, {
    action: `convenio.${command.action}`,
    entityType: 'convenio',
    entityId: String(row.id),
    before: { status: row.status, version: row.version },
    after: { status: decision.to, version: row.version + 1, activity: decision.activity },
  });
  if (command.action === 'approve') {
    await notifyApproval(trx, row.id, now);
    // a payment may already be in (paid between the signature and the approval)
    await detectFirstPayments(trx, { today, now });
  }
}

// ------------------------------------------------------------------------------------------------
// Reading
// ------------------------------------------------------------------------------------------------

export const CONVENIO_QUEUES = ['all', 'to_submit', 'to_review', 'first_payment', 'in_force', 'broken', 'cja_pending'] as const;
export type ConvenioQueue = (typeof CONVENIO_QUEUES)[number];

const QUEUE_STATUSES: Record<Exclude<ConvenioQueue, 'all' | 'cja_pending'>, readonly ConvenioStatus[]> = {
  to_submit: ['signed', 'corrections_requested'],
  to_review: ['under_review'],
  first_payment: ['approved'],
  in_force: ['in_force'],
  broken: ['broken'],
};

export async function listConvenios(
  db: Executor,
  scope: Scope,
  query: { queue: ConvenioQueue; q?: string | undefined; limit: number; offset: number },
) {
  let base = db
    .selectFrom('convenios as v')
    .innerJoin('credits as cr', 'cr.credit_number', 'v.credit_number')
    .innerJoin('agencies as ag', 'ag.id', 'v.agency_id')
    .innerJoin('mediators as m', 'm.id', 'v.mediator_id')
    .innerJoin('delegations as d', 'd.id', 'v.delegation_id')
    .where(convenioInScope(scope));
  if (query.queue === 'cja_pending') {
    base = base.where('v.convenio_type', '=', 'RATIFIED').where('v.status', 'in', ['approved', 'in_force']).where('v.cja_registered_on', 'is', null);
  } else if (query.queue !== 'all') {
    base = base.where('v.status', 'in', [...QUEUE_STATUSES[query.queue]]);
  }
  const q = query.q?.trim();
  if (q) {
    base = base.where((eb) => eb.or([eb('v.credit_number', '=', q), eb('v.folio', '=', q.toUpperCase()), eb('cr.borrower_name', 'ilike', `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`)]));
  }
  const [{ total }] = [await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow()];
  const rows = await base
    .select([
      'v.id',
      'v.folio',
      'v.credit_number',
      'v.status',
      'v.version',
      'v.convenio_type',
      'v.solution_id',
      'v.signed_on',
      'v.submitted_on',
      'v.approved_on',
      'v.first_payment_cents',
      'v.first_payment_due_on',
      'v.first_paid_on',
      'v.dl10_due_on',
      'v.dl11_due_on',
      'cr.borrower_name',
      'ag.name as agency_name',
      'm.full_name as mediator_name',
      'd.name as delegation_name',
    ])
    .orderBy(query.queue === 'first_payment' ? 'v.first_payment_due_on' : 'v.signed_on', query.queue === 'first_payment' ? 'asc' : 'desc')
    .orderBy('v.id', 'desc')
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return {
    total: Number(total),
    rows: rows.map((r) => ({
      id: r.id,
      folio: r.folio,
      creditNumber: r.credit_number,
      borrowerName: r.borrower_name,
      status: r.status,
      statusLabel: CONVENIO_STATUS_LABELS[r.status],
      version: r.version,
      convenioType: r.convenio_type,
      solutionId: r.solution_id,
      solutionName: SOLUTION_NAMES[r.solution_id],
      signedOn: r.signed_on,
      submittedOn: r.submitted_on,
      approvedOn: r.approved_on,
      reviewBy: r.status === 'under_review' ? r.dl10_due_on : r.status === 'corrections_requested' ? r.dl11_due_on : null,
      firstPaymentCents: centsToNumber(r.first_payment_cents),
      firstPaymentDueOn: r.first_payment_due_on,
      firstPaidOn: r.first_paid_on,
      agencyName: r.agency_name,
      mediatorName: r.mediator_name,
      delegationName: r.delegation_name,
    })),
  };
}

/** The convenio page: terms, credit before and now, review dates, history, documents, actions. */
export async function getConvenioDetail(db: Executor, user: AuthUser, id: number) {
  const row = await db.selectFrom('convenios as v').select(convenioColumns).where('v.id', '=', id).where(convenioInScope(user.scope)).executeTakeFirst();
  if (!row) throw notFound('Convenio');
  const [credit, parties, events, documents, breaches, restructure, payments] = await Promise.all([
    db
      .selectFrom('credits')
      .select(['borrower_name', 'denomination', 'balance_cents', 'monthly_payment_cents', 'payment_factor', 'interest_rate_bp', 'term_months', 'payments_made', 'months_in_arrears', 'active_restructure', 'broken_convenios', 'insurance_fees_cents'])
      .where('credit_number', '=', row.credit_number)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('convenios as v')
      .innerJoin('agencies as ag', 'ag.id', 'v.agency_id')
      .innerJoin('mediators as m', 'm.id', 'v.mediator_id')
      .innerJoin('delegations as d', 'd.id', 'v.delegation_id')
      .leftJoin('representatives as r', 'r.id', 'v.representative_id')
      .select(['ag.name as agency_name', 'm.full_name as mediator_name', 'm.kind as mediator_kind', 'd.name as delegation_name', 'r.full_name as representative_name'])
      .where('v.id', '=', id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('convenio_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_user_id')
      .select(['e.version', 'e.action', 'e.activity', 'e.from_status', 'e.to_status', 'e.on_date', 'e.actor_role', 'u.full_name', 'e.data', 'e.rule', 'e.explanation', 'e.recorded_at'])
      .where('e.convenio_id', '=', id)
      .orderBy('e.version')
      .execute(),
    findCaseDocuments(db, [row.case_id]),
    db.selectFrom('case_deadline_breaches').select(['rule', 'due_on', 'flagged_on']).where('case_id', '=', row.case_id).where('rule', 'in', ['DL-9', 'DL-10', 'DL-11', 'DL-12']).execute(),
    db.selectFrom('restructures').select(['applied_on', 'balance_cents', 'monthly_payment_cents', 'payment_factor', 'interest_rate_bp', 'term_months']).where('convenio_id', '=', id).executeTakeFirst(),
    db.selectFrom('payments').select(['id', 'paid_on', 'amount_cents', 'channel', 'reference']).where('credit_number', '=', row.credit_number).where('paid_on', '>=', row.signed_on).orderBy('paid_on').orderBy('id').execute(),
  ]);
  const mismatches = await findMismatches(db, user.scope, { convenioId: id });
  const actions = availableConvenioActions(factsOf(row, documents), actorOfUser(user));
  return {
    id: row.id,
    folio: row.folio,
    caseId: row.case_id,
    creditNumber: row.credit_number,
    borrowerName: credit.borrower_name,
    round: row.round,
    status: row.status,
    statusLabel: CONVENIO_STATUS_LABELS[row.status],
    version: row.version,
    convenioType: row.convenio_type,
    solutionId: row.solution_id,
    solutionName: SOLUTION_NAMES[row.solution_id],
    solutionPolicyVersion: row.solution_policy_version,
    delegationName: parties.delegation_name,
    agencyName: parties.agency_name,
    mediatorName: parties.mediator_name,
    mediatorKind: parties.mediator_kind,
    representativeName: parties.representative_name,
    acceptedOn: row.accepted_on,
    signedOn: row.signed_on,
    sl1DueOn: row.sl1_due_on,
    sl1Met: row.sl1_met,
    copies: row.copies,
    acknowledgementSigned: row.acknowledgement_signed,
    terms: {
      balanceBeforeCents: centsToNumber(row.balance_before_cents),
      discountCents: centsToNumber(row.discount_cents),
      balanceAfterCents: centsToNumber(row.balance_after_cents),
      monthlyPaymentCents: centsToNumber(row.monthly_payment_cents),
      paymentFactor: row.payment_factor,
      interestRateBp: row.interest_rate_bp,
      termMonths: row.term_months,
      firstPaymentCents: centsToNumber(row.first_payment_cents),
      firstPaymentDueOn: row.first_payment_due_on,
      explanation: ((row.terms as StoredTerms).explanation ?? []) as string[],
      benefit: (row.terms as StoredTerms).benefit ?? null,
    },
    creditBefore: row.credit_before as Record<string, unknown>,
    creditNow: {
      denomination: credit.denomination,
      balanceCents: centsToNumber(credit.balance_cents),
      monthlyPaymentCents: centsToNumber(credit.monthly_payment_cents),
      insuranceFeesCents: centsToNumber(credit.insurance_fees_cents),
      paymentFactor: credit.payment_factor,
      interestRateBp: credit.interest_rate_bp,
      termMonths: credit.term_months,
      paymentsMade: credit.payments_made,
      monthsInArrears: credit.months_in_arrears,
      activeRestructure: credit.active_restructure,
      brokenConvenios: credit.broken_convenios,
    },
    restructure: restructure
      ? {
          appliedOn: restructure.applied_on,
          balanceCents: centsToNumber(restructure.balance_cents),
          monthlyPaymentCents: centsToNumber(restructure.monthly_payment_cents),
          paymentFactor: restructure.payment_factor,
          interestRateBp: restructure.interest_rate_bp,
          termMonths: restructure.term_months,
        }
      : null,
    review: {
      dl9DueOn: row.dl9_due_on,
      submittedOn: row.submitted_on,
      dl10DueOn: row.dl10_due_on,
      dl12DueOn: row.dl12_due_on,
      correctionsRequestedOn: row.corrections_requested_on,
      dl11DueOn: row.dl11_due_on,
      reviewRounds: row.review_rounds,
      approvedOn: row.approved_on,
    },
    firstPayment: {
      amountCents: centsToNumber(row.first_payment_cents),
      dueOn: row.first_payment_due_on,
      paidOn: row.first_paid_on,
      paidCents: row.first_paid_cents === null ? null : centsToNumber(row.first_paid_cents),
      brokenOn: row.broken_on,
      brokenRule: row.broken_rule,
    },
    cja: row.cja_registered_on
      ? { centre: row.cja_centre!, registrationNumber: row.cja_registration_number!, registeredOn: row.cja_registered_on, certificateDocumentId: row.cja_certificate_document_id }
      : null,
    payments: payments.map((p) => ({
      id: Number(p.id),
      paidOn: p.paid_on,
      amountCents: centsToNumber(p.amount_cents),
      channel: p.channel,
      channelLabel: PAYMENT_CHANNEL_LABELS[p.channel],
      reference: p.reference,
    })),
    documents,
    breaches: breaches.map((b) => ({ rule: b.rule, dueOn: b.due_on, flaggedOn: b.flagged_on })),
    mismatches,
    history: events.map((e) => ({
      version: e.version,
      action: e.action,
      actionLabel: CONVENIO_ACTION_LABELS[e.action as ConvenioAction] ?? EVENT_LABELS[e.action] ?? e.action,
      activity: e.activity,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      onDate: e.on_date,
      actorRole: e.actor_role,
      actorName: e.full_name,
      data: e.data,
      rule: e.rule,
      explanation: e.explanation,
      recordedAt: e.recorded_at.toISOString(),
    })),
    actions: actions.map((a) => ({ action: a, label: CONVENIO_ACTION_LABELS[a] })),
  };
}

const EVENT_LABELS: Record<string, string> = {
  sign: 'Firma del convenio',
  record_first_payment: 'Primer pago recibido',
  break: 'Convenio incumplido',
};

export type ConvenioDetail = Awaited<ReturnType<typeof getConvenioDetail>>;

/** The convenio of a case, if it was signed (for the case page). */
export async function findConvenioOfCase(db: Executor, scope: Scope, caseId: number) {
  return db
    .selectFrom('convenios as v')
    .select(['v.id', 'v.folio', 'v.status'])
    .where('v.case_id', '=', caseId)
    .where(convenioInScope(scope))
    .executeTakeFirst();
}

// ------------------------------------------------------------------------------------------------
// Reconciliation: signed terms vs terms applied vs payments received
// ------------------------------------------------------------------------------------------------

export const RECONCILIATION_CHECKS = {
  restructure_missing: 'La reestructura no está registrada para un convenio aprobado',
  restructure_terms: 'Los términos aplicados (reestructura) difieren de los firmados',
  credit_payment: 'La mensualidad del crédito difiere de la del convenio',
  credit_rate: 'La tasa del crédito difiere de la del convenio',
  credit_factor: 'El factor de pago del crédito difiere del del convenio',
  credit_denomination: 'El crédito no quedó en pesos',
  credit_balance: 'El saldo del crédito no corresponde al saldo del convenio menos los pagos recibidos',
  restructure_flag: 'La marca de reestructura activa no corresponde al estado del convenio',
  first_payment_unrecorded: 'Hay un primer pago completo en plazo que no se registró',
  first_payment_short: 'El primer pago registrado es menor al convenido o fuera de plazo',
} as const;
export type ReconciliationCheck = keyof typeof RECONCILIATION_CHECKS;

export interface Mismatch {
  convenioId: number;
  folio: string;
  creditNumber: string;
  delegationId: number;
  delegationName: string;
  status: ConvenioStatus;
  check: ReconciliationCheck;
  description: string;
  expected: string;
  actual: string;
}

/**
 * Every mismatch between what was signed, what was applied to the credit and what was paid, for
 * the approved convenios in scope (set-based: one statement). An empty list is the proof that no
 * borrower is charged other than his agreement says.
 */
export async function findMismatches(db: Executor, scope: Scope, filter: { convenioId?: number; delegationId?: number } = {}): Promise<Mismatch[]> {
  const scoped = db
    .selectFrom('convenios as v')
    .select('v.id')
    .where(convenioInScope(scope))
    .where('v.status', 'in', ['approved', 'in_force', 'broken'])
    .$if(filter.convenioId !== undefined, (qb) => qb.where('v.id', '=', filter.convenioId!))
    .$if(filter.delegationId !== undefined, (qb) => qb.where('v.delegation_id', '=', filter.delegationId!));
  const { rows } = await sql<{
    convenio_id: number;
    folio: string;
    credit_number: string;
    delegation_id: number;
    delegation_name: string;
    status: ConvenioStatus;
    check: ReconciliationCheck;
    expected: string;
    actual: string;
  }>`
    WITH scoped AS (${scoped}),
    base AS (
      SELECT v.*, r.id AS r_id, r.applied_at, r.balance_cents AS r_balance, r.monthly_payment_cents AS r_payment,
             r.payment_factor AS r_factor, r.interest_rate_bp AS r_rate, r.term_months AS r_term,
             cr.balance_cents AS cr_balance, cr.monthly_payment_cents AS cr_payment, cr.payment_factor AS cr_factor,
             cr.interest_rate_bp AS cr_rate, cr.denomination AS cr_denomination, cr.active_restructure AS cr_restructure,
             (SELECT coalesce(sum(p.amount_cents), 0) FROM payments p JOIN import_runs i ON i.id = p.import_run_id
               WHERE p.credit_number = v.credit_number AND r.id IS NOT NULL AND i.started_at >= r.applied_at) AS paid_since,
             (SELECT min(p.paid_on) FROM payments p
               WHERE p.credit_number = v.credit_number AND p.paid_on BETWEEN v.signed_on AND v.first_payment_due_on
                 AND p.amount_cents >= v.first_payment_cents) AS qualifying_on
      FROM convenios v
      JOIN scoped s ON s.id = v.id
      JOIN credits cr ON cr.credit_number = v.credit_number
      LEFT JOIN restructures r ON r.convenio_id = v.id
    )
    SELECT b.id AS convenio_id, b.folio, b.credit_number, b.delegation_id, d.name AS delegation_name, b.status, k.check, k.expected, k.actual
    FROM base b
    JOIN delegations d ON d.id = b.delegation_id
    CROSS JOIN LATERAL (VALUES
      ('restructure_missing', b.r_id IS NULL, 'reestructura aplicada', 'sin registro'),
      ('restructure_terms', b.r_id IS NOT NULL AND (b.r_balance, b.r_payment, b.r_factor, b.r_rate, b.r_term)
          IS DISTINCT FROM (b.balance_after_cents, b.monthly_payment_cents, b.payment_factor, b.interest_rate_bp, b.term_months),
        concat_ws(' / ', b.balance_after_cents, b.monthly_payment_cents, b.payment_factor, b.interest_rate_bp, b.term_months),
        concat_ws(' / ', b.r_balance, b.r_payment, b.r_factor, b.r_rate, b.r_term)),
      ('credit_payment', b.status <> 'broken' AND b.cr_payment <> b.monthly_payment_cents, b.monthly_payment_cents::text, b.cr_payment::text),
      ('credit_rate', b.status <> 'broken' AND b.cr_rate <> b.interest_rate_bp, b.interest_rate_bp::text, b.cr_rate::text),
      ('credit_factor', b.status <> 'broken' AND b.cr_factor <> b.payment_factor, b.payment_factor::text, b.cr_factor::text),
      ('credit_denomination', b.cr_denomination <> 'MXN', 'MXN', b.cr_denomination),
      ('credit_balance', b.r_id IS NOT NULL AND b.cr_balance <> greatest(0, b.r_balance - b.paid_since),
        greatest(0, b.r_balance - b.paid_since)::text, b.cr_balance::text),
      ('restructure_flag', b.cr_restructure IS DISTINCT FROM (b.status <> 'broken'), (b.status <> 'broken')::text, b.cr_restructure::text),
      ('first_payment_unrecorded', b.status IN ('approved', 'broken') AND b.qualifying_on IS NOT NULL, 'primer pago registrado', 'pago del ' || b.qualifying_on::text || ' sin registrar'),
      ('first_payment_short', b.status = 'in_force' AND (b.first_paid_cents < b.first_payment_cents OR b.first_paid_on > b.first_payment_due_on),
        b.first_payment_cents::text || ' a más tardar ' || b.first_payment_due_on::text, b.first_paid_cents::text || ' el ' || b.first_paid_on::text)
    ) AS k("check", failed, expected, actual)
    WHERE k.failed
    ORDER BY b.delegation_id, b.id, k.check`.execute(db);
  return rows.map((r) => ({
    convenioId: r.convenio_id,
    folio: r.folio,
    creditNumber: r.credit_number,
    delegationId: r.delegation_id,
    delegationName: r.delegation_name,
    status: r.status,
    check: r.check,
    description: RECONCILIATION_CHECKS[r.check],
    expected: r.expected,
    actual: r.actual,
  }));
}

// ------------------------------------------------------------------------------------------------
// The daily sweep's part (CNV-5, DL-9..12)
// ------------------------------------------------------------------------------------------------

export interface ConvenioSweepSummary {
  firstPayments: number;
  broken: number;
  flagged: Record<'DL-9' | 'DL-10' | 'DL-11' | 'DL-12', number>;
}

/**
 * Set-based, for every convenio at once, idempotent: the first payments that arrived (CNV-5), the
 * convenios whose first-payment deadline passed unpaid → broken (the credit counts one more broken
 * convenio, EXC-1, becomes eligible for re-mediation, ENT-C, and its restructure is no longer
 * active), and the SLA breaches DL-9..12 still pending.
 */
export async function sweepConvenios(trx: Executor, input: { today: IsoDate; now: Date; actor: Actor }): Promise<ConvenioSweepSummary> {
  const firstPayments = await detectFirstPayments(trx, input);
  const { today, now } = input;
  const broken = await sql<{ n: number }>`
    WITH due AS (
      SELECT id FROM convenios WHERE status = 'approved' AND first_payment_due_on < ${today}::date ORDER BY id FOR UPDATE
    ), marked AS (
      UPDATE convenios v
      SET status = 'broken', broken_on = v.first_payment_due_on + 1, broken_rule = 'CNV-5', version = v.version + 1, updated_at = ${now}
      FROM due WHERE v.id = due.id
      RETURNING v.id, v.version, v.credit_number, v.first_payment_due_on, v.first_payment_cents
    ), credits_marked AS (
      UPDATE credits cr
      SET broken_convenios = cr.broken_convenios + m.n, active_restructure = false, updated_at = ${now}
      FROM (SELECT credit_number, count(*)::int AS n FROM marked GROUP BY credit_number) m
      WHERE cr.credit_number = m.credit_number
      RETURNING cr.credit_number
    ), events AS (
      INSERT INTO convenio_events (convenio_id, version, action, activity, from_status, to_status, on_date, actor_role, data, rule, explanation, recorded_at)
      SELECT id, version, 'break', 'CNV-5', 'approved', 'broken', ${today}::date, 'system',
             jsonb_build_object('firstPaymentDueOn', first_payment_due_on, 'firstPaymentCents', first_payment_cents::text),
             'CNV-5',
             'CNV-5: convenio incumplido: no se recibió el primer pago de $' || to_char(first_payment_cents / 100.0, 'FM999,999,999,990.00')
               || ' (un único pago por la cantidad completa) a más tardar el ' || to_char(first_payment_due_on, 'DD/MM/YYYY') || '.',
             ${now}
      FROM marked
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM marked`.execute(trx);
  const flagged = await sql<{ rule: 'DL-9' | 'DL-10' | 'DL-11' | 'DL-12'; n: number }>`
    WITH candidates AS (
      SELECT v.case_id, r.rule, r.due_on, v.deadline_policy_version
      FROM convenios v
      CROSS JOIN LATERAL (VALUES
        ('DL-9', v.dl9_due_on, v.submitted_on IS NULL AND v.status = 'signed' AND ${today}::date > v.dl9_due_on),
        ('DL-10', v.dl10_due_on, v.status = 'under_review' AND ${today}::date > v.dl10_due_on),
        ('DL-11', v.dl11_due_on, v.status = 'corrections_requested' AND ${today}::date > v.dl11_due_on),
        ('DL-12', v.dl12_due_on, v.status = 'under_review' AND ${today}::date > v.dl12_due_on)
      ) AS r(rule, due_on, breached)
      WHERE v.status IN ('signed', 'under_review', 'corrections_requested') AND r.breached
    ), inserted AS (
      INSERT INTO case_deadline_breaches (case_id, rule, due_on, flagged_on, policy_version)
      SELECT case_id, rule, due_on, ${today}::date, deadline_policy_version FROM candidates
      ON CONFLICT DO NOTHING
      RETURNING rule
    )
    SELECT rule, count(*)::int AS n FROM inserted GROUP BY rule`.execute(trx);
  const summary: ConvenioSweepSummary = { firstPayments, broken: broken.rows[0]?.n ?? 0, flagged: { 'DL-9': 0, 'DL-10': 0, 'DL-11': 0, 'DL-12': 0 } };
  for (const row of flagged.rows) summary.flagged[row.rule] = row.n;
  return summary;
}

/**
 * CNV-5: an approved convenio stays in force when a single payment of the full agreed amount
 * arrived between the signature and the first-payment deadline. Set-based: every convenio at once.
 * Returns how many convenios were marked in force.
 */
export async function detectFirstPayments(trx: Executor, input: { today: IsoDate; now: Date }): Promise<number> {
  const result = await sql<{ n: number }>`
    WITH paid AS (
      SELECT DISTINCT ON (c.id) c.id AS convenio_id, p.id AS payment_id, p.paid_on, p.amount_cents
      FROM convenios c
      JOIN payments p ON p.credit_number = c.credit_number
                     AND p.paid_on BETWEEN c.signed_on AND c.first_payment_due_on
                     AND p.paid_on <= ${input.today}::date
                     AND p.amount_cents >= c.first_payment_cents
      WHERE c.status = 'approved'
      ORDER BY c.id, p.paid_on, p.id
    ), marked AS (
      UPDATE convenios c
      SET status = 'in_force', first_paid_on = paid.paid_on, first_paid_cents = paid.amount_cents,
          first_payment_id = paid.payment_id, version = c.version + 1, updated_at = ${input.now}
      FROM paid
      WHERE c.id = paid.convenio_id
      RETURNING c.id, c.version, paid.paid_on, paid.amount_cents, paid.payment_id
    ), events AS (
      INSERT INTO convenio_events (convenio_id, version, action, activity, from_status, to_status, on_date, actor_role, data, rule, explanation, recorded_at)
      SELECT id, version, 'record_first_payment', 'act. 26', 'approved', 'in_force', ${input.today}::date, 'system',
             jsonb_build_object('paymentId', payment_id, 'paidOn', paid_on, 'amountCents', amount_cents::text),
             'CNV-5', 'Primer pago recibido: un único pago por la cantidad completa dentro del plazo (CNV-5).', ${input.now}
      FROM marked
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM events`.execute(trx);
  return result.rows[0]?.n ?? 0;
}
