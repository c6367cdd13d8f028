/**
 * Case files (SPEC §6 EXP-1..3, §4 acts. 28–31 and 35, §5 DL-13..15): the work lists, the file
 * page, the review loop between the mediator and the DR manager, the fee validation, the
 * digitisation, and the daily sweep's part. Every change runs in the caller's transaction: the
 * file's new state, one `case_file_events` row, one audit event, and the messages it sends.
 *
 * The archive side (shipments, receipts, REP-4) lives in `archive.service.ts` and is re-exported
 * here, so that callers (the demo, the sweep) import one module.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { updateAtVersion } from '../../db/versioned.js';
import type { CaseFileOutcome, CaseFilesTable, DB, SlaRule } from '../../db/schema.js';
import { AppError, notFound, type ErrorCode } from '../../errors.js';
import { CONVENIO_TYPE_LABELS } from '../assignment/assignment.rules.js';
import { actorOf, logPersonalDataRead, recordEvent, type Actor } from '../audit/audit.service.js';
import { DEADLINE_STATUS_LABELS, dueDateOf } from '../deadlines/deadlines.rules.js';
import { findCaseDocuments, type DocumentView } from '../documents/documents.service.js';
import type { Scope } from '../identity/identity.rules.js';
import type { AuthUser } from '../identity/identity.service.js';
import { caseInScope } from '../mediation/cases.repository.js';
import { deadlineContext } from '../mediation/cases.service.js';
import { CASE_STATE_LABELS, ROLE_LABELS, type CaseState } from '../mediation/mediation.rules.js';
import { SOLUTION_NAMES } from '../solutions/solutions.rules.js';
import { flagLateArchiveReports, READY_FOR_SHIPMENT_SQL } from './archive.service.js';
import { notifyFileAccepted, notifyFileCorrections } from './casefiles.notifications.js';
import {
  availableCaseFileActions,
  CASE_FILE_ACTION_LABELS,
  CASE_FILE_EVENT_LABELS,
  CASE_FILE_OUTCOME_LABELS,
  CASE_FILE_TRANSITIONS,
  caseFileChecklist,
  caseFileDueDates,
  caseFileStatusLabel,
  caseOutcome,
  decideCaseFile,
  digitisationApplies,
  pendingDueDates,
  requiresFeeValidation,
  serviceConcludes,
  type CaseFileAction,
  type CaseFileActor,
  type CaseFileFacts,
  type CaseFileInputs,
  type CaseFileRefusalCode,
  type CaseFileViewStatus,
} from './casefiles.rules.js';

export { acknowledgeReceipt, createShipment, sendArchiveProgressReport } from './archive.service.js';

const REFUSAL_ERROR: Record<CaseFileRefusalCode, ErrorCode> = {
  FORBIDDEN_ROLE: 'FORBIDDEN',
  OUT_OF_SCOPE: 'FORBIDDEN',
  INVALID_INPUT: 'VALIDATION',
  INVALID_STATE: 'FORBIDDEN_TRANSITION',
  RULE: 'FORBIDDEN_TRANSITION',
  // the file is not complete (EXP-1/EXP-2): 422 with the missing items
  INCOMPLETE: 'INVALID_FILE',
};

/** The breaches of a case file's own deadlines (case_deadline_breaches rows of the case). */
export const CASE_FILE_SLA_RULES = ['DL-13.request', 'DL-13.answer', 'DL-14', 'DL-15'] as const satisfies readonly SlaRule[];
export type CaseFileSlaRule = (typeof CASE_FILE_SLA_RULES)[number];

// ------------------------------------------------------------------------------------------------
// Scope (SEC-2)
// ------------------------------------------------------------------------------------------------

/**
 * SEC-2 over `case_files f` (the file carries its case's delegación, agency and mediator): a DR
 * manager his delegación's, an agency its own (read only), a mediator the files of the cases
 * distributed to him, national roles all; nobody else.
 */
export function caseFileInScope(scope: Scope) {
  return (eb: ExpressionBuilder<DB & { f: CaseFilesTable }, 'f'>): Expression<SqlBool> => {
    switch (scope.kind) {
      case 'national':
        return sql<boolean>`true`;
      case 'delegation':
        return eb('f.delegation_id', '=', scope.delegationId);
      case 'agency':
        return eb('f.agency_id', '=', scope.agencyId);
      case 'mediator':
        return eb('f.mediator_id', '=', scope.mediatorId);
      default:
        return sql<boolean>`false`;
    }
  };
}

function actorOfUser(user: AuthUser): CaseFileActor {
  return {
    role: user.role,
    delegationId: user.scope.kind === 'delegation' ? user.scope.delegationId : null,
    mediatorId: user.scope.kind === 'mediator' ? user.scope.mediatorId : null,
  };
}

/** The case states that can call for a file (act. 20 signed; act. 18 refused; act. 19 closed after it). */
const OUTCOME_STATES = ['signed', 'refused_to_sign', 'closed_no_agreement'] as const satisfies readonly CaseState[];

/** The SQL of "the case reached an outcome that calls for a file" (mirrors `caseOutcome`). */
const OUTCOME_SQL = sql<CaseFileOutcome | null>`CASE
  WHEN c.state = 'signed' AND v.id IS NOT NULL THEN 'signed'
  WHEN c.state IN ('refused_to_sign', 'closed_no_agreement') AND c.session_held_on IS NOT NULL THEN 'not_signed'
END`;

// ------------------------------------------------------------------------------------------------
// Reading one case's file
// ------------------------------------------------------------------------------------------------

async function findCaseContext(db: Executor, scope: Scope, caseId: number) {
  return db
    .selectFrom('mediation_cases as c')
    .innerJoin('credits as cr', 'cr.credit_number', 'c.credit_number')
    .innerJoin('delegations as d', 'd.id', 'c.delegation_id')
    .innerJoin('agencies as ag', 'ag.id', 'c.agency_id')
    .leftJoin('mediators as m', 'm.id', 'c.mediator_id')
    .leftJoin('convenios as v', 'v.case_id', 'c.id')
    .select([
      'c.id',
      'c.credit_number',
      'c.round',
      'c.state',
      'c.convenio_type',
      'c.delegation_id',
      'c.agency_id',
      'c.mediator_id',
      'c.session_held_on',
      'cr.borrower_name',
      'd.code as delegation_code',
      'd.name as delegation_name',
      'ag.name as agency_name',
      'm.full_name as mediator_name',
      'v.id as convenio_id',
      'v.folio as convenio_folio',
      'v.convenio_type as convenio_convenio_type',
      'v.solution_id',
      'v.status as convenio_status',
      'v.signed_on',
    ])
    .where('c.id', '=', caseId)
    .where(caseInScope(scope))
    .executeTakeFirst();
}
type CaseContext = NonNullable<Awaited<ReturnType<typeof findCaseContext>>>;

function outcomeOfContext(ctx: CaseContext): CaseFileOutcome | null {
  return caseOutcome({ state: ctx.state, sessionHeldOn: ctx.session_held_on, hasConvenio: ctx.convenio_id !== null });
}

async function findFileOfCase(db: Executor, caseId: number, lock = false) {
  const query = db.selectFrom('case_files').selectAll().where('case_id', '=', caseId);
  return lock ? query.forUpdate().executeTakeFirst() : query.executeTakeFirst();
}
type CaseFileRow = NonNullable<Awaited<ReturnType<typeof findFileOfCase>>>;

/** When the standing correction request was recorded (the answer must bring something newer). */
async function correctionsRequestedAt(db: Executor, file: CaseFileRow | undefined): Promise<string | null> {
  if (!file || file.status !== 'corrections_requested') return null;
  const event = await db
    .selectFrom('case_file_events')
    .select('recorded_at')
    .where('case_file_id', '=', file.id)
    .where('action', '=', 'request_corrections')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return event ? event.recorded_at.toISOString() : null;
}

function factsOf(ctx: CaseContext, outcome: CaseFileOutcome, file: CaseFileRow | undefined, documents: readonly DocumentView[], requestedAt: string | null): CaseFileFacts {
  const convenioType = file?.convenio_type ?? ctx.convenio_convenio_type ?? ctx.convenio_type;
  const current = documents.filter((d) => d.current);
  const checklist = caseFileChecklist(outcome, convenioType, documents);
  return {
    status: file?.status ?? 'building',
    outcome,
    convenioType,
    delegationId: ctx.delegation_id,
    mediatorId: file?.mediator_id ?? ctx.mediator_id ?? -1,
    feeValidationRequired: file?.fee_validation_required ?? requiresFeeValidation(outcome, convenioType),
    signedOn: outcome === 'signed' ? ctx.signed_on : null,
    correctionsRequestedOn: file?.corrections_requested_on ?? null,
    certificatesReceivedOn: file?.certificates_received_on ?? null,
    feeValidatedOn: file?.fee_validated_on ?? null,
    serviceConcludedOn: file?.service_concluded_on ?? null,
    checklist,
    correctionsRequestedAt: requestedAt,
    lastUploadAt: current.reduce<string | null>((latest, d) => (latest === null || d.uploadedAt > latest ? d.uploadedAt : latest), null),
    documentTypes: current.map((d) => d.documentType),
  };
}

// ------------------------------------------------------------------------------------------------
// Actions (acts. 28–31, 35)
// ------------------------------------------------------------------------------------------------

export interface CaseFileCommand<A extends CaseFileAction = CaseFileAction> {
  caseId: number;
  action: A;
  /** The version of the file the caller saw; required once the file exists (optimistic locking). */
  version?: number | undefined;
  input: CaseFileInputs[A];
  today: IsoDate;
  now: Date;
}

/** Flags a breach at the moment of a late action (the sweep flags those still pending). */
async function flagLate(trx: Executor, caseId: number, rule: CaseFileSlaRule, dueOn: IsoDate | null, doneOn: IsoDate, policyVersion: number | null): Promise<void> {
  if (dueOn === null || doneOn <= dueOn) return;
  await trx
    .insertInto('case_deadline_breaches')
    .values({ case_id: caseId, rule, due_on: dueOn, flagged_on: doneOn, policy_version: policyVersion })
    .onConflict((oc) => oc.columns(['case_id', 'rule']).doNothing())
    .execute();
}

/**
 * One step of the case file: lock the case in scope (404), check the file's version (409), decide
 * by the rules (403/400/409, or 422 with the missing items), then store the file, its due dates,
 * one event, one audit event and the mediator's notice. Returns the case file's id.
 */
export async function applyCaseFileAction(trx: Executor, user: AuthUser, command: CaseFileCommand): Promise<number> {
  const locked = await trx.selectFrom('mediation_cases as c').select('c.id').where('c.id', '=', command.caseId).where(caseInScope(user.scope)).forUpdate().executeTakeFirst();
  if (!locked) throw notFound('Caso');
  const ctx = (await findCaseContext(trx, user.scope, command.caseId))!;
  const outcome = outcomeOfContext(ctx);
  if (outcome === null) {
    throw new AppError('FORBIDDEN_TRANSITION', {
      userMessage: `El caso está en «${CASE_STATE_LABELS[ctx.state as CaseState] ?? ctx.state}»: el expediente se integra cuando se firmó el convenio (act. 20) o la sesión se celebró sin firma (act. 18) (act. 28).`,
      details: { rule: 'act. 28' },
    });
  }
  const file = await findFileOfCase(trx, command.caseId, true);
  if (file) {
    // without a version the caller saw the file before it existed (still being built): stale too
    if (command.version === undefined || file.version !== command.version) {
      throw new AppError('STALE_VERSION', {
        userMessage:
          command.version === undefined
            ? 'El expediente ya se entregó mientras lo tenía abierto. Recargue y vuelva a intentarlo.'
            : `El expediente cambió mientras lo tenía abierto (usted vio la versión ${command.version}; ahora es la ${file.version}). Recargue y vuelva a intentarlo.`,
        details: { currentVersion: file.version },
      });
    }
  }
  const documents = await findCaseDocuments(trx, [command.caseId]);
  const facts = factsOf(ctx, outcome, file, documents, await correctionsRequestedAt(trx, file));
  const decision = decideCaseFileOrThrow(facts, command, user);
  const { today, now } = command;
  const note = (command.input as { note?: string | undefined }).note?.trim() || undefined;

  if (!file) {
    // act. 28: the first delivery creates the file; the DR's receipt is today (DL-13.request)
    const deadlines = await deadlineContext(trx, today);
    const convenioType = facts.convenioType;
    const inserted = await trx
      .insertInto('case_files')
      .values({
        case_id: ctx.id,
        credit_number: ctx.credit_number,
        delegation_id: ctx.delegation_id,
        agency_id: ctx.agency_id,
        mediator_id: facts.mediatorId,
        convenio_id: outcome === 'signed' ? ctx.convenio_id : null,
        outcome,
        convenio_type: convenioType,
        status: 'submitted',
        version: 1,
        deadline_policy_version: deadlines.version,
        submitted_on: today,
        review_rounds: 1,
        dl13_request_due_on: dueDateOf('DL-13.request', today, deadlines.policy, deadlines.holidays),
        fee_validation_required: requiresFeeValidation(outcome, convenioType),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordCaseFileEvent(trx, user, {
      caseFileId: inserted.id,
      version: 1,
      action: 'submit',
      activity: decision.activity,
      fromStatus: null,
      toStatus: 'submitted',
      onDate: today,
      data: { note, checklist: facts.checklist.rule, documents: documentsSnapshot(documents) },
      now,
    });
    return inserted.id;
  }

  const deadlines = await deadlineContext(trx, today, file.deadline_policy_version);
  const policyVersion = file.deadline_policy_version;
  const changes: Partial<Record<keyof CaseFilesTable, unknown>> = {};
  const data: Record<string, unknown> = { note };
  let eventAction: string = command.action;
  let after: () => Promise<void> = async () => {};

  switch (command.action) {
    case 'submit': {
      // act. 30: the mediator's answer is a new receipt for the DR (DL-13.request again)
      await flagLate(trx, ctx.id, 'DL-13.answer', file.dl13_answer_due_on, today, policyVersion);
      changes.submitted_on = today;
      changes.review_rounds = file.review_rounds + 1;
      changes.dl13_request_due_on = dueDateOf('DL-13.request', today, deadlines.policy, deadlines.holidays);
      data.documents = documentsSnapshot(documents);
      eventAction = 'answer';
      break;
    }
    case 'request_corrections': {
      await flagLate(trx, ctx.id, 'DL-13.request', file.dl13_request_due_on, today, policyVersion);
      const answerBy = dueDateOf('DL-13.answer', today, deadlines.policy, deadlines.holidays);
      changes.corrections_requested_on = today;
      changes.dl13_answer_due_on = answerBy;
      data.answerBy = answerBy;
      after = () => notifyFileCorrections(trx, { caseFileId: file.id, creditNumber: file.credit_number, note: note ?? '', answerBy, now });
      break;
    }
    case 'accept': {
      await flagLate(trx, ctx.id, 'DL-13.request', file.dl13_request_due_on, today, policyVersion);
      changes.accepted_on = today;
      changes.accepted_by_user_id = user.id;
      const concluded = serviceConcludes({ status: 'accepted', feeValidationRequired: file.fee_validation_required, feeValidatedOn: file.fee_validated_on });
      if (concluded) Object.assign(changes, conclusion(file.outcome, today, deadlines));
      after = () => notifyFileAccepted(trx, { caseFileId: file.id, creditNumber: file.credit_number, acceptedOn: today, feesPending: !concluded, now });
      break;
    }
    case 'record_certificates': {
      const receivedOn = (command.input as CaseFileInputs['record_certificates']).receivedOn;
      changes.certificates_received_on = receivedOn;
      changes.dl14_due_on = dueDateOf('DL-14', receivedOn, deadlines.policy, deadlines.holidays);
      data.receivedOn = receivedOn;
      break;
    }
    case 'validate_fees': {
      await flagLate(trx, ctx.id, 'DL-14', file.dl14_due_on, today, policyVersion);
      changes.fee_validated_on = today;
      changes.fee_validated_by_user_id = user.id;
      if (serviceConcludes({ status: file.status, feeValidationRequired: true, feeValidatedOn: today })) Object.assign(changes, conclusion(file.outcome, today, deadlines));
      break;
    }
    case 'mark_digitised': {
      await flagLate(trx, ctx.id, 'DL-15', file.dl15_due_on, today, policyVersion);
      changes.digitised_on = today;
      break;
    }
  }

  await updateAtVersion(trx, 'case_files', file, { ...(changes as object), status: decision.to, version: file.version + 1, updated_at: now }, 'el expediente');
  if (changes.service_concluded_on) data.serviceConcludedOn = changes.service_concluded_on;
  await recordCaseFileEvent(trx, user, {
    caseFileId: file.id,
    version: file.version + 1,
    action: eventAction,
    activity: decision.activity,
    fromStatus: file.status,
    toStatus: decision.to,
    onDate: today,
    data,
    now,
  });
  await after();
  return file.id;
}

function decideCaseFileOrThrow(facts: CaseFileFacts, command: CaseFileCommand, user: AuthUser) {
  const decision = decideCaseFile(facts, command.action, command.input, actorOfUser(user), command.today);
  if (!decision.ok) {
    throw new AppError(REFUSAL_ERROR[decision.code], {
      userMessage: decision.message,
      details: { rule: decision.rule, ...(decision.missing ? { missing: decision.missing } : {}) },
    });
  }
  return decision;
}

/** act. 35 "después de concluido el servicio": the conclusion and, for signed files, DL-15. */
function conclusion(outcome: CaseFileOutcome, today: IsoDate, deadlines: Awaited<ReturnType<typeof deadlineContext>>) {
  return {
    service_concluded_on: today,
    dl15_due_on: digitisationApplies(outcome) ? dueDateOf('DL-15', today, deadlines.policy, deadlines.holidays) : null,
  };
}

/** What the file held when it was delivered: the current version of each document (EXP-3). */
function documentsSnapshot(documents: readonly DocumentView[]) {
  return documents.filter((d) => d.current).map((d) => ({ id: d.id, type: d.documentType, version: d.version, sha256: d.sha256 }));
}

export interface CaseFileEventInput {
  caseFileId: number;
  version: number;
  action: string;
  activity: string;
  fromStatus: CaseFileViewStatus | null;
  toStatus: CaseFileViewStatus;
  onDate: IsoDate;
  data: Record<string, unknown>;
  now: Date;
}

/** One `case_file_events` row and its audit event (SEC-3), in the caller's transaction. */
async function recordCaseFileEvent(trx: Executor, user: AuthUser, event: CaseFileEventInput): Promise<void> {
  await trx
    .insertInto('case_file_events')
    .values({
      case_file_id: event.caseFileId,
      version: event.version,
      action: event.action,
      activity: event.activity,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      on_date: event.onDate,
      actor_role: user.role,
      actor_user_id: user.id,
      data: JSON.stringify(event.data),
      recorded_at: event.now,
    })
    .execute();
  await recordEvent(trx, actorOf(user), event.now, {
    action: `case_file.${event.action}`,
    entityType: 'case_file',
    entityId: String(event.caseFileId),
    before: event.fromStatus === null ? null : { status: event.fromStatus, version: event.version - 1 },
    after: { status: event.toStatus, version: event.version, activity: event.activity },
  });
}

// ------------------------------------------------------------------------------------------------
// The file page
// ------------------------------------------------------------------------------------------------

/**
 * The case file of a case in scope: summary, outcome, status, checklist (EXP-1/EXP-2), documents
 * with every version (EXP-3), due dates and breaches (DL-13..15), timeline, the caller's actions,
 * and the shipment. 404 when the case is out of scope or reached no outcome. Logs the read (SEC-4).
 */
export async function getCaseFileDetail(db: Executor, user: AuthUser, caseId: number, today: IsoDate, now: Date) {
  const ctx = await findCaseContext(db, user.scope, caseId);
  if (!ctx) throw notFound('Caso');
  const outcome = outcomeOfContext(ctx);
  const file = await findFileOfCase(db, caseId);
  if (outcome === null && !file) {
    throw new AppError('NOT_FOUND', {
      userMessage: `El caso aún no tiene expediente: se integra cuando se firmó el convenio (act. 20) o la sesión se celebró sin firma (act. 18) (act. 28).`,
    });
  }
  const effectiveOutcome = file?.outcome ?? outcome!;
  const [documents, requestedAt, breaches, events, shipment] = await Promise.all([
    findCaseDocuments(db, [caseId]),
    correctionsRequestedAt(db, file),
    db.selectFrom('case_deadline_breaches').select(['rule', 'due_on', 'flagged_on']).where('case_id', '=', caseId).where('rule', 'in', [...CASE_FILE_SLA_RULES]).orderBy('due_on').execute(),
    file
      ? db
          .selectFrom('case_file_events as e')
          .leftJoin('users as u', 'u.id', 'e.actor_user_id')
          .select(['e.version', 'e.action', 'e.activity', 'e.from_status', 'e.to_status', 'e.on_date', 'e.actor_role', 'u.full_name', 'e.data', 'e.recorded_at'])
          .where('e.case_file_id', '=', file.id)
          .orderBy('e.version')
          .execute()
      : Promise.resolve([]),
    file?.shipment_id
      ? db.selectFrom('archive_shipments').select(['id', 'folio', 'courier', 'tracking_number', 'shipped_on']).where('id', '=', file.shipment_id).executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  const facts = factsOf(ctx, effectiveOutcome, file, documents, requestedAt);
  const checklist = caseFileChecklist(effectiveOutcome, facts.convenioType, documents);
  const deadlines = await deadlineContext(db, today, file?.deadline_policy_version);
  const dueDates = file
    ? caseFileDueDates(
        {
          status: file.status,
          outcome: file.outcome,
          submittedOn: file.submitted_on,
          correctionsRequestedOn: file.corrections_requested_on,
          acceptedOn: file.accepted_on,
          certificatesReceivedOn: file.certificates_received_on,
          feeValidatedOn: file.fee_validated_on,
          serviceConcludedOn: file.service_concluded_on,
          digitisedOn: file.digitised_on,
        },
        { policy: deadlines.policy, policyVersion: deadlines.version, holidays: deadlines.holidays, today },
      )
    : [];
  const actions = availableCaseFileActions(facts, actorOfUser(user), today);
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, [ctx.credit_number], `expediente del caso ${caseId}`);
  const status: CaseFileViewStatus = file?.status ?? 'building';
  return {
    caseId,
    caseFileId: file?.id ?? null,
    version: file?.version ?? null,
    case: {
      creditNumber: ctx.credit_number,
      borrowerName: ctx.borrower_name,
      round: ctx.round,
      state: ctx.state,
      stateLabel: CASE_STATE_LABELS[ctx.state as CaseState] ?? ctx.state,
      sessionHeldOn: ctx.session_held_on,
      delegation: { id: ctx.delegation_id, code: ctx.delegation_code, name: ctx.delegation_name },
      agencyName: ctx.agency_name,
      mediatorName: ctx.mediator_name,
      convenio:
        ctx.convenio_id !== null && effectiveOutcome === 'signed'
          ? {
              id: ctx.convenio_id,
              folio: ctx.convenio_folio!,
              convenioType: ctx.convenio_convenio_type!,
              convenioTypeLabel: CONVENIO_TYPE_LABELS[ctx.convenio_convenio_type!],
              solutionId: ctx.solution_id!,
              solutionName: SOLUTION_NAMES[ctx.solution_id!],
              status: ctx.convenio_status!,
              signedOn: ctx.signed_on!,
            }
          : null,
    },
    outcome: effectiveOutcome,
    outcomeLabel: CASE_FILE_OUTCOME_LABELS[effectiveOutcome],
    convenioType: facts.convenioType,
    convenioTypeLabel: CONVENIO_TYPE_LABELS[facts.convenioType],
    status,
    statusLabel: caseFileStatusLabel({ status, outcome: effectiveOutcome, feeValidationRequired: facts.feeValidationRequired, feeValidatedOn: facts.feeValidatedOn, serviceConcludedOn: facts.serviceConcludedOn }),
    feeValidationRequired: facts.feeValidationRequired,
    dates: {
      submittedOn: file?.submitted_on ?? null,
      reviewRounds: file?.review_rounds ?? 0,
      correctionsRequestedOn: file?.corrections_requested_on ?? null,
      acceptedOn: file?.accepted_on ?? null,
      certificatesReceivedOn: file?.certificates_received_on ?? null,
      feeValidatedOn: file?.fee_validated_on ?? null,
      serviceConcludedOn: file?.service_concluded_on ?? null,
      digitisedOn: file?.digitised_on ?? null,
      archivedOn: file?.archived_on ?? null,
    },
    deadlinePolicyVersion: file?.deadline_policy_version ?? null,
    checklist,
    documents,
    dueDates: dueDates.map((d) => ({ rule: d.key, dueOn: d.dueOn, status: d.status, statusLabel: DEADLINE_STATUS_LABELS[d.status], explanation: d.explanation })),
    breaches: breaches.map((b) => ({ rule: b.rule, dueOn: b.due_on, flaggedOn: b.flagged_on })),
    events: events.map((e) => ({
      version: e.version,
      action: e.action,
      label: CASE_FILE_EVENT_LABELS[e.action] ?? e.action,
      activity: e.activity,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      onDate: e.on_date,
      actorRole: e.actor_role,
      actorRoleLabel: ROLE_LABELS[e.actor_role as keyof typeof ROLE_LABELS] ?? e.actor_role,
      actorName: e.full_name,
      note: typeof (e.data as { note?: unknown })?.note === 'string' ? ((e.data as { note: string }).note) : null,
      data: e.data,
      recordedAt: e.recorded_at.toISOString(),
    })),
    availableActions: actions.map((action) => ({ action, label: CASE_FILE_ACTION_LABELS[action], activity: CASE_FILE_TRANSITIONS[action].activity })),
    shipment: shipment ? { id: shipment.id, folio: shipment.folio, courier: shipment.courier, trackingNumber: shipment.tracking_number, shippedOn: shipment.shipped_on } : null,
  };
}

export type CaseFileDetail = Awaited<ReturnType<typeof getCaseFileDetail>>;

// ------------------------------------------------------------------------------------------------
// Work lists
// ------------------------------------------------------------------------------------------------

export const CASE_FILE_QUEUES = ['to_build', 'to_review', 'corrections', 'fees', 'to_digitise', 'to_ship', 'shipped', 'archived', 'all'] as const;
export type CaseFileQueue = (typeof CASE_FILE_QUEUES)[number];

function queueCondition(queue: CaseFileQueue) {
  switch (queue) {
    case 'to_build':
      return sql<boolean>`f.id IS NULL`;
    case 'to_review':
      return sql<boolean>`f.status = 'submitted'`;
    case 'corrections':
      return sql<boolean>`f.status = 'corrections_requested'`;
    case 'fees':
      return sql<boolean>`f.status = 'accepted' AND f.fee_validation_required AND f.fee_validated_on IS NULL`;
    case 'to_digitise':
      return sql<boolean>`f.status = 'accepted' AND f.outcome = 'signed' AND f.service_concluded_on IS NOT NULL`;
    case 'to_ship':
      return READY_FOR_SHIPMENT_SQL;
    case 'shipped':
      return sql<boolean>`f.status = 'shipped'`;
    case 'archived':
      return sql<boolean>`f.status = 'archived'`;
    case 'all':
      return sql<boolean>`true`;
  }
}

const QUEUE_ORDER: Partial<Record<CaseFileQueue, ReturnType<typeof sql>>> = {
  to_review: sql`f.dl13_request_due_on`,
  corrections: sql`f.dl13_answer_due_on`,
  fees: sql`f.dl14_due_on NULLS LAST`,
  to_digitise: sql`f.dl15_due_on`,
};

/**
 * The case files in the caller's scope (SEC-2) by work list, with the ones still being built
 * (cases with an outcome and no file yet) and their checklist's missing count.
 */
export async function listCaseFiles(
  db: Executor,
  user: AuthUser,
  query: { queue: CaseFileQueue; delegationId?: number | undefined; page: number; pageSize: number },
) {
  const base = db
    .selectFrom('mediation_cases as c')
    .leftJoin('convenios as v', 'v.case_id', 'c.id')
    .leftJoin('case_files as f', 'f.case_id', 'c.id')
    .where(caseInScope(user.scope))
    // only these states reach an outcome (a file exists only for them): lets the scope indexes
    // (agency_id, state) and (mediator_id, state) narrow the cases
    .where('c.state', 'in', OUTCOME_STATES)
    .where(sql<boolean>`(f.id IS NOT NULL OR ${OUTCOME_SQL} IS NOT NULL)`)
    .where(queueCondition(query.queue))
    .$if(query.delegationId !== undefined, (qb) => qb.where('c.delegation_id', '=', query.delegationId!));
  const { total } = await base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .innerJoin('credits as cr', 'cr.credit_number', 'c.credit_number')
    .innerJoin('delegations as d', 'd.id', 'c.delegation_id')
    .innerJoin('agencies as ag', 'ag.id', 'c.agency_id')
    .leftJoin('mediators as m', 'm.id', 'c.mediator_id')
    .select([
      'c.id as case_id',
      'c.credit_number',
      'c.convenio_type as case_convenio_type',
      'v.convenio_type as convenio_convenio_type',
      'cr.borrower_name',
      'd.id as delegation_id',
      'd.code as delegation_code',
      'd.name as delegation_name',
      'ag.name as agency_name',
      'm.full_name as mediator_name',
      'f.id as case_file_id',
      'f.version',
      'f.outcome',
      'f.status',
      'f.fee_validation_required',
      'f.fee_validated_on',
      'f.service_concluded_on',
      'f.dl13_request_due_on',
      'f.dl13_answer_due_on',
      'f.certificates_received_on',
      'f.dl14_due_on',
      'f.dl15_due_on',
      'f.digitised_on',
      'f.shipment_id',
      'f.archived_on',
    ])
    .select(OUTCOME_SQL.as('case_outcome'))
    .orderBy(QUEUE_ORDER[query.queue] ?? sql`c.id DESC`)
    .orderBy('c.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const caseIds = rows.map((r) => r.case_id);
  const [documents, breaches] = await Promise.all([
    findCaseDocuments(db, caseIds),
    caseIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('case_deadline_breaches').select(['case_id', 'rule']).where('case_id', 'in', caseIds).where('rule', 'in', [...CASE_FILE_SLA_RULES]).orderBy('rule').execute(),
  ]);
  const items = rows.map((r) => {
    const outcome = (r.outcome ?? r.case_outcome)!;
    const convenioType = r.convenio_convenio_type ?? r.case_convenio_type;
    const status: CaseFileViewStatus = r.status ?? 'building';
    const checklist = caseFileChecklist(outcome, convenioType, documents.filter((d) => d.caseId === r.case_id));
    const next =
      r.status === null
        ? undefined
        : pendingDueDates({
            status,
            outcome,
            dl13RequestDueOn: r.dl13_request_due_on,
            dl13AnswerDueOn: r.dl13_answer_due_on,
            certificatesReceivedOn: r.certificates_received_on,
            feeValidatedOn: r.fee_validated_on,
            dl14DueOn: r.dl14_due_on,
            dl15DueOn: r.dl15_due_on,
            digitisedOn: r.digitised_on,
          })[0];
    return {
      caseId: r.case_id,
      caseFileId: r.case_file_id,
      version: r.version,
      creditNumber: r.credit_number,
      borrowerName: r.borrower_name,
      delegation: { id: r.delegation_id, code: r.delegation_code, name: r.delegation_name },
      agencyName: r.agency_name,
      mediatorName: r.mediator_name,
      outcome,
      outcomeLabel: CASE_FILE_OUTCOME_LABELS[outcome],
      convenioType,
      convenioTypeLabel: CONVENIO_TYPE_LABELS[convenioType],
      status,
      statusLabel: caseFileStatusLabel({
        status,
        outcome,
        feeValidationRequired: r.fee_validation_required ?? requiresFeeValidation(outcome, convenioType),
        feeValidatedOn: r.fee_validated_on,
        serviceConcludedOn: r.service_concluded_on,
      }),
      missingCount: checklist.missing.length,
      nextDue: next ?? null,
      breachedRules: breaches.filter((b) => b.case_id === r.case_id).map((b) => b.rule),
      shipmentId: r.shipment_id,
      archivedOn: r.archived_on,
    };
  });
  return { items, total: Number(total) };
}

// ------------------------------------------------------------------------------------------------
// The daily sweep's part (DL-13..16)
// ------------------------------------------------------------------------------------------------

export interface CaseFileSweepSummary {
  flagged: Record<CaseFileSlaRule | 'DL-16', number>;
}

/**
 * Set-based, every case file at once, idempotent (ON CONFLICT DO NOTHING): the breaches of the
 * deadlines still pending after their due date — DL-13.request (received, not yet reviewed),
 * DL-13.answer (corrections asked, not answered), DL-14 (certificates received, fees not
 * validated), DL-15 (signed file concluded, not digitised) — and DL-16, the monthly
 * archive-progress report of every delegación that owes one and did not send it in time.
 */
export async function sweepCaseFiles(trx: Executor, input: { today: IsoDate; now: Date; actor: Actor }): Promise<CaseFileSweepSummary> {
  const { today } = input;
  const { rows } = await sql<{ rule: CaseFileSlaRule; n: number }>`
    WITH candidates AS (
      SELECT f.case_id, r.rule, r.due_on, f.deadline_policy_version
      FROM case_files f
      CROSS JOIN LATERAL (VALUES
        ('DL-13.request', f.dl13_request_due_on, f.status = 'submitted'),
        ('DL-13.answer', f.dl13_answer_due_on, f.status = 'corrections_requested'),
        ('DL-14', f.dl14_due_on, f.certificates_received_on IS NOT NULL AND f.fee_validated_on IS NULL),
        ('DL-15', f.dl15_due_on, f.status = 'accepted' AND f.outcome = 'signed' AND f.digitised_on IS NULL)
      ) AS r(rule, due_on, pending)
      WHERE f.status IN ('submitted', 'corrections_requested', 'accepted') AND r.pending AND ${today}::date > r.due_on
    ), inserted AS (
      INSERT INTO case_deadline_breaches (case_id, rule, due_on, flagged_on, policy_version)
      SELECT case_id, rule, due_on, ${today}::date, deadline_policy_version FROM candidates
      ON CONFLICT DO NOTHING
      RETURNING rule
    )
    SELECT rule, count(*)::int AS n FROM inserted GROUP BY rule`.execute(trx);
  const flagged: CaseFileSweepSummary['flagged'] = { 'DL-13.request': 0, 'DL-13.answer': 0, 'DL-14': 0, 'DL-15': 0, 'DL-16': 0 };
  for (const row of rows) flagged[row.rule] = row.n;
  flagged['DL-16'] = await flagLateArchiveReports(trx, today);
  return { flagged };
}
