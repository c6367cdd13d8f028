/**
 * The mediation case (SPEC §4 acts. 2–21, §5, ENT-C, SEC-1): opening a case for a tagged credit,
 * and every transition — load and lock the case in scope, check the caller's version, let the pure
 * rules decide, store the new facts, the due dates and one event, all in the caller's transaction.
 */
import { daysBetween, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { AssignmentEntry, CaseStateColumn, ConvenioType } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, logPersonalDataRead, recordEvent } from '../audit/audit.service.js';
import {
  caseDueDates,
  createHolidayCalendar,
  dueDateOf,
  type DeadlinePolicy,
  type HolidayCalendar,
} from '../deadlines/deadlines.rules.js';
import type { AuthUser } from '../identity/identity.service.js';
import { getPolicyInForce } from '../policy/policy.service.js';
import {
  countSignedConvenios,
  factsOf,
  findCaseBreaches,
  findCaseEvents,
  findCaseView,
  findLatestAssignment,
  findOpenCaseOfCredit,
  insertCase,
  insertCaseEvent,
  lockCaseInScope,
  updateCaseAtVersion,
  type CaseRow,
  type CaseUpdate,
} from './cases.repository.js';
import { listCaseMessages, notifyCaseEvent } from './cases.notifications.js';
import { eligibleSolutionIds, findConvenioOfCase, handOverIfReProfile, recordSignedConvenio } from '../convenios/convenios.service.js';
import {
  availableActions,
  CASE_STATE_LABELS,
  decide,
  evolve,
  openCase,
  REFUSAL_ERROR_CODE,
  roundLabel,
  TERMINAL_STATES,
  TRANSITIONS,
  type ActionInputs,
  type AnyCaseEvent,
  type CaseAction,
  type CaseActor,
  type CaseFacts,
  type ContactData,
} from './mediation.rules.js';

/** Roles that may open a case for a tagged credit (act. 2: the visit; ENT-C: the office). */
export const OPEN_CASE_ROLES = ['field_agent', 'agency', 'mediation_office', 'operations'] as const;

/** What the caller sends for an action; the service completes it from the database. */
export type ActionRequest = {
  [A in CaseAction]: A extends 'distribute'
    ? { mediatorId: number }
    : A extends 'designate_representative'
      ? { representativeId: number }
      : A extends 'send_summons'
        ? Omit<ActionInputs['send_summons'], 'evidenceRef'>
        : A extends 'schedule_session' | 'reschedule_session'
          ? ActionInputs[A] & { place?: string | undefined }
          : A extends 'provide_draft_convenios'
            ? { solutionIds?: ActionInputs[A]['solutionIds'] | undefined }
            : ActionInputs[A];
};

function caseActorOf(user: AuthUser): CaseActor {
  const scope = user.scope;
  return {
    role: user.role,
    userId: user.id,
    agencyId: 'agencyId' in scope ? scope.agencyId : null,
    mediatorId: scope.kind === 'mediator' ? scope.mediatorId : null,
    delegationId: scope.kind === 'delegation' ? scope.delegationId : null,
  };
}

export interface DeadlineContext {
  policy: DeadlinePolicy;
  version: number;
  holidays: HolidayCalendar;
}

/**
 * SPEC §5: "cases evaluate deadlines against the policy version in force". A case uses the
 * version in force on its day 0 (stored with its due dates); before acceptance, today's.
 */
export async function deadlineContext(db: Executor, date: IsoDate, version?: number | null): Promise<DeadlineContext> {
  const holidays = await getPolicyInForce(db, 'holiday_calendar', date);
  let policy: DeadlinePolicy;
  let policyVersion: number;
  if (version !== undefined && version !== null) {
    const row = await db
      .selectFrom('policy_versions')
      .select(['value', 'version'])
      .where('policy_key', '=', 'deadlines')
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    policy = row.value as DeadlinePolicy;
    policyVersion = row.version;
  } else {
    const inForce = await getPolicyInForce(db, 'deadlines', date);
    policy = inForce.value;
    policyVersion = inForce.version;
  }
  return { policy, version: policyVersion, holidays: createHolidayCalendar(holidays.value) };
}

// ------------------------------------------------------------------------------------------------
// Opening a case
// ------------------------------------------------------------------------------------------------

export interface OpenCaseRequest {
  creditNumber: string;
  /** ENT-C: re-mediation (the mediation office), with new circumstances when no convenio is broken. */
  reMediation?: { newCircumstances?: string | undefined; agencyId?: number | undefined } | undefined;
  today: IsoDate;
  now: Date;
}

/**
 * Opens the case of a tagged credit (act. 1–2), or a re-mediation round (ENT-C). A field agent or
 * an agency opens it for a credit currently assigned to the agency; ASG-5: a credit keeps the
 * case it has open; EXC-1: two broken convenios end re-mediation.
 */
export async function openMediationCase(trx: Executor, user: AuthUser, request: OpenCaseRequest): Promise<number> {
  const credit = await trx
    .selectFrom('credits')
    .select(['credit_number', 'delegation_id', 'broken_convenios'])
    .where('credit_number', '=', request.creditNumber)
    .forUpdate()
    .executeTakeFirst();
  if (!credit) throw notFound('Crédito');
  const assignment = await findLatestAssignment(trx, credit.credit_number);
  const reMediation = request.reMediation !== undefined;

  let entry: AssignmentEntry;
  let agencyId: number;
  let convenioType: ConvenioType;
  let month: string;
  if (reMediation) {
    if (user.role !== 'mediation_office' && user.role !== 'operations') {
      throw new AppError('FORBIDDEN', { userMessage: 'La re-mediación la etiqueta la Gerencia de Mediación y Convenios (ENT-C).' });
    }
    entry = 're_mediation';
    agencyId = request.reMediation?.agencyId ?? assignment?.agency_id ?? (await firstAgencyServing(trx, credit.delegation_id));
    const serves = await trx
      .selectFrom('agency_delegations')
      .select('agency_id')
      .where('agency_id', '=', agencyId)
      .where('delegation_id', '=', credit.delegation_id)
      .executeTakeFirst();
    if (!serves) throw new AppError('VALIDATION', { userMessage: 'La agencia elegida no atiende la delegación del crédito (ASG-4).' });
    convenioType = assignment?.convenio_type ?? 'ADMINISTRATIVE';
    month = request.today.slice(0, 7);
  } else {
    const agencyOfCaller = 'agencyId' in user.scope ? user.scope.agencyId : undefined;
    if (!assignment || (agencyOfCaller !== undefined && assignment.agency_id !== agencyOfCaller)) {
      // SEC-2: the same answer whether the credit exists or is another agency's
      throw notFound('Crédito asignado');
    }
    if (user.scope.kind === 'field_agent' && assignment.field_agent_user_id !== null && assignment.field_agent_user_id !== user.id) {
      throw notFound('Crédito asignado');
    }
    entry = assignment.entry;
    agencyId = assignment.agency_id;
    convenioType = assignment.convenio_type;
    month = assignment.month;
  }

  const exclusion = await getPolicyInForce(trx, 'exclusion_criteria', request.today);
  const open = await findOpenCaseOfCredit(trx, credit.credit_number);
  const opened = openCase({
    entry,
    convenioType,
    agencyId,
    delegationId: credit.delegation_id,
    // convenios signed before: the platform's signed cases, or the portfolio's count of broken
    // ones when they predate the platform (a broken convenio was signed first)
    priorConvenios: Math.max(await countSignedConvenios(trx, credit.credit_number), credit.broken_convenios),
    brokenConvenios: credit.broken_convenios,
    hasOpenCase: open !== undefined,
    newCircumstances: request.reMediation?.newCircumstances,
    maxBrokenConvenios: exclusion.value['EXC-1'].enabled ? exclusion.value['EXC-1'].maxBrokenConvenios : Number.MAX_SAFE_INTEGER,
  });
  if (!opened.ok) {
    throw new AppError(REFUSAL_ERROR_CODE[opened.code], { userMessage: opened.message, details: { rule: opened.rule, caseId: open?.id } });
  }
  const facts = opened.facts;
  const id = await insertCase(trx, {
    credit_number: credit.credit_number,
    round: facts.round,
    entry,
    month,
    convenio_type: convenioType,
    delegation_id: credit.delegation_id,
    agency_id: agencyId,
    field_agent_user_id: user.role === 'field_agent' ? user.id : (assignment?.field_agent_user_id ?? null),
    mediator_id: null,
    representative_id: null,
    state: 'tagged',
    opened_on: request.today,
    accepted_on: null,
    distributed_on: null,
    first_contact_on: null,
    scheduled_on: null,
    session_date: null,
    summons_sent_on: null,
    not_scheduled_on: null,
    session_held_on: null,
    closed_on: null,
    closure_rule: null,
    deadline_policy_version: null,
    dl1_due_on: null,
    dl2_due_on: null,
    dl4_due_on: null,
    dl5_closes_on: null,
    dl6_due_on: null,
    dl8_closes_on: null,
    facts: JSON.stringify(facts),
    privacy_notice_shown_on: null,
    contact_landline: null,
    contact_mobile: null,
    contact_email: null,
    contact_captured_on: null,
    created_at: request.now,
    updated_at: request.now,
  });
  await insertCaseEvent(trx, {
    case_id: id,
    version: 1,
    action: 'open_case',
    activity: reMediation ? 'ENT-C' : 'act. 1',
    from_state: 'tagged',
    to_state: 'tagged',
    on_date: request.today,
    round: facts.round,
    actor_role: user.role,
    actor_user_id: user.id,
    data: reMediation ? { newCircumstances: request.reMediation?.newCircumstances ?? null } : {},
    recorded_at: request.now,
  });
  await recordEvent(trx, actorOf(user), request.now, {
    action: reMediation ? 'case.re_mediation_opened' : 'case.opened',
    entityType: 'mediation_case',
    entityId: String(id),
    after: { creditNumber: credit.credit_number, round: facts.round, entry, agencyId, convenioType },
  });
  return id;
}

async function firstAgencyServing(db: Executor, delegationId: number): Promise<number> {
  const row = await db.selectFrom('agency_delegations').select('agency_id').where('delegation_id', '=', delegationId).orderBy('agency_id').limit(1).executeTakeFirst();
  if (!row) throw new AppError('CONFLICT', { userMessage: 'Ninguna agencia atiende la delegación del crédito (ASG-4).' });
  return row.agency_id;
}

// ------------------------------------------------------------------------------------------------
// Transitions
// ------------------------------------------------------------------------------------------------

export interface ActionCommand<A extends CaseAction = CaseAction> {
  caseId: number;
  action: A;
  /** The version the caller saw (optimistic locking: a stale write gets 409). */
  version: number;
  input: ActionRequest[A];
  today: IsoDate;
  now: Date;
}

/** Completes the caller's input from the database (the mediator's kind and licence, the representative's powers). */
async function completeInput(trx: Executor, row: CaseRow, command: ActionCommand, newVersion: number): Promise<unknown> {
  switch (command.action) {
    case 'distribute': {
      const { mediatorId } = command.input as ActionRequest['distribute'];
      const mediator = await trx
        .selectFrom('mediators')
        .select(['id', 'kind', 'app_licence_number', 'active', 'agency_id'])
        .where('id', '=', mediatorId)
        .executeTakeFirst();
      if (!mediator || mediator.agency_id !== row.agency_id || !mediator.active) {
        throw new AppError('VALIDATION', { userMessage: 'El mediador no pertenece a la agencia o no está activo (act. 5).' });
      }
      return { mediatorId, mediatorKind: mediator.kind, appLicenceNumber: mediator.app_licence_number ?? '' };
    }
    case 'designate_representative': {
      const { representativeId } = command.input as ActionRequest['designate_representative'];
      const representative = await trx
        .selectFrom('representatives')
        .select(['id', 'agency_id', 'has_legal_powers', 'email', 'phone', 'active'])
        .where('id', '=', representativeId)
        .executeTakeFirst();
      if (!representative || representative.agency_id !== row.agency_id || !representative.active) {
        throw new AppError('VALIDATION', { userMessage: 'El representante no fue designado por esta agencia o no está activo (act. 7).' });
      }
      return { representativeId, hasLegalPowers: representative.has_legal_powers, contact: `${representative.email} · ${representative.phone}` };
    }
    case 'offer_mediation':
    case 'record_solution_at_visit': {
      // act. 2: the visit offers the solutions the catalogue makes available to the credit today
      // (SPEC §8): the same computation as the session's drafts and the convenio
      const offered =
        command.action === 'offer_mediation'
          ? (command.input as ActionRequest['offer_mediation']).solutionsOffered
          : [(command.input as ActionRequest['record_solution_at_visit']).solutionId];
      const eligible = await eligibleSolutionIds(trx, row.credit_number, command.today);
      const unavailable = (offered ?? []).filter((solution) => !eligible.includes(solution));
      if (unavailable.length > 0) {
        throw new AppError('FORBIDDEN_TRANSITION', {
          userMessage: `No está disponible para este crédito: ${unavailable.join(', ')}. Soluciones disponibles hoy: ${eligible.length ? eligible.join(', ') : 'ninguna'} (act. 2, SPEC §8).`,
          details: { rule: 'act. 2', available: eligible },
        });
      }
      return command.input;
    }
    case 'provide_draft_convenios': {
      // act. 13: one preliminary convenio per solution available for the credit today (SPEC §8);
      // the DR manager does not choose them, the catalogue does
      const eligible = await eligibleSolutionIds(trx, row.credit_number, command.today);
      if (eligible.length === 0) {
        throw new AppError('FORBIDDEN_TRANSITION', {
          userMessage: 'Ninguna solución del catálogo está disponible hoy para este crédito: no hay convenios preliminares que entregar (SPEC §8, EXC-8).',
          details: { rule: 'EXC-8' },
        });
      }
      return { solutionIds: eligible };
    }
    case 'send_summons':
      // act. 11: the evidence is the outbox delivery of this event's messages (DL-6)
      return { ...(command.input as object), evidenceRef: `outbox:case-${row.id}:v${newVersion}` };
    default:
      return command.input;
  }
}

/** The columns SQL reads, derived from the facts after the event (and the due dates, SPEC §5). */
function columnsAfter(before: CaseFacts, after: CaseFacts, on: IsoDate, deadlines: DeadlineContext): CaseUpdate {
  const columns: CaseUpdate = {
    state: after.state as CaseStateColumn,
    facts: JSON.stringify(after),
    accepted_on: after.acceptedOn ?? null,
    distributed_on: after.distributedOn ?? null,
    first_contact_on: after.firstContactOn ?? null,
    scheduled_on: after.scheduledOn ?? null,
    session_date: after.sessionDate ?? null,
    summons_sent_on: after.summonsSentOn ?? null,
    not_scheduled_on: after.notScheduledRecordedOn ?? null,
    session_held_on: after.sessionHeldOn ?? null,
    // a case that ends without a closure rule (signed, refused, solution at the visit) ends on the event's day
    closed_on: after.closedOn ?? (TERMINAL_STATES.includes(after.state) ? on : null),
    closure_rule: after.closureRule ?? null,
    mediator_id: after.mediatorId ?? null,
    representative_id: after.representative?.id ?? null,
    privacy_notice_shown_on: after.privacyNoticeShownOn ?? null,
    contact_captured_on: after.contactDataCapturedOn ?? null,
  };
  const { policy, holidays } = deadlines;
  if (after.acceptedOn !== undefined && before.acceptedOn === undefined) {
    columns.deadline_policy_version = deadlines.version;
    columns.dl1_due_on = dueDateOf('DL-1', after.acceptedOn, policy, holidays);
    columns.dl4_due_on = dueDateOf('DL-4', after.acceptedOn, policy, holidays);
    columns.dl5_closes_on = dueDateOf('DL-5', after.acceptedOn, policy, holidays);
    columns.dl8_closes_on = dueDateOf('DL-8', after.acceptedOn, policy, holidays);
  }
  if (after.distributedOn !== undefined && before.distributedOn === undefined) {
    columns.dl2_due_on = dueDateOf('DL-2', after.distributedOn, policy, holidays);
  }
  const scheduling = after.rescheduledOn ?? after.scheduledOn;
  if (scheduling !== undefined && scheduling !== (before.rescheduledOn ?? before.scheduledOn)) {
    columns.dl6_due_on = dueDateOf('DL-6', scheduling, policy, holidays);
  }
  return columns;
}

/** The event's data as stored: contact data is personal data, so the log keeps which fields, not their values. */
function storedEventData(action: CaseAction, data: unknown): unknown {
  if (action !== 'record_acceptance' && action !== 'update_contact_data') return data;
  const { contactData, ...rest } = data as { contactData?: ContactData };
  const fields = contactData ? Object.entries(contactData).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k]) => k) : [];
  return { ...rest, contactDataFields: fields };
}

/**
 * One transition (SPEC §4): lock the case in scope (404 outside it), check the version (409
 * STALE_VERSION), decide by the rules (403/400/409 with the rule), store facts, columns, one case
 * event and one audit event, and enqueue the messages the event sends (act. 11, 14, 21).
 */
export async function applyCaseAction(trx: Executor, user: AuthUser, command: ActionCommand): Promise<void> {
  const row = await lockCaseInScope(trx, user.scope, command.caseId);
  if (!row) throw notFound('Caso');
  if (row.version !== command.version) {
    throw new AppError('STALE_VERSION', {
      userMessage: `El caso cambió mientras lo tenía abierto (usted vio la versión ${command.version}; ahora es la ${row.version}). Recargue y vuelva a intentarlo.`,
      details: { currentVersion: row.version },
    });
  }
  const facts = factsOf(row);
  const deadlines = await deadlineContext(trx, facts.acceptedOn ?? command.today, row.deadline_policy_version);
  const tools = await getPolicyInForce(trx, 'remote_session_tools', command.today);
  const newVersion = row.version + 1;
  const input = await completeInput(trx, row, command, newVersion);
  const decision = decide(facts, command.action, input as never, caseActorOf(user), command.today, deadlines.policy, deadlines.holidays, {
    policyVersion: deadlines.version,
    approvedRemoteTools: tools.value.tools,
  });
  if (!decision.ok) {
    throw new AppError(REFUSAL_ERROR_CODE[decision.code], { userMessage: decision.message, details: { rule: decision.rule } });
  }
  const event = decision.event as AnyCaseEvent;
  const after = evolve(facts, event);
  const columns = columnsAfter(facts, after, event.on, deadlines);
  const contact = contactDataOf(command.action, input);
  if (contact) {
    columns.contact_landline = blankToNull(contact.landline);
    columns.contact_mobile = blankToNull(contact.mobile);
    columns.contact_email = blankToNull(contact.email);
  }
  columns.updated_at = command.now;
  if (!(await updateCaseAtVersion(trx, row.id, row.version, columns))) {
    throw new AppError('STALE_VERSION', { userMessage: 'Otra persona modificó el caso al mismo tiempo. Recargue y vuelva a intentarlo.' });
  }
  const eventId = await insertCaseEvent(trx, {
    case_id: row.id,
    version: newVersion,
    action: event.action,
    activity: event.activity,
    from_state: event.from,
    to_state: event.to,
    on_date: event.on,
    round: event.round,
    actor_role: user.role,
    actor_user_id: user.id,
    data: storedEventData(command.action, event.data),
    closure_rule: event.closureRule,
    policy_version: event.policyVersion,
    explanation: event.explanation,
    recorded_at: command.now,
  });
  await recordEvent(trx, actorOf(user), command.now, {
    action: `case.${command.action}`,
    entityType: 'mediation_case',
    entityId: String(row.id),
    before: { state: row.state, version: row.version },
    after: { state: event.to, version: newVersion, activity: event.activity },
  });
  await notifyCaseEvent(trx, { caseId: row.id, eventId, event, before: facts, now: command.now });
  if (event.action === 'sign_convenio') {
    // act. 20, CNV-1: the signed convenio with its terms starts its own life (acts. 22–27)
    const signed = event.data as ActionInputs['sign_convenio'];
    await recordSignedConvenio(trx, {
      caseId: row.id,
      creditNumber: row.credit_number,
      round: row.round,
      delegationId: row.delegation_id,
      agencyId: row.agency_id,
      mediatorId: after.mediatorId!,
      representativeId: after.representative?.id ?? null,
      convenioType: row.convenio_type,
      acceptedOn: after.acceptedOn!,
      signedOn: signed.signedOn,
      solutionId: signed.solutionId,
      copies: signed.copies,
      acknowledgementSigned: signed.acknowledgementSigned,
      deadlines,
      user,
      now: command.now,
    });
  }
  if (event.action === 'record_refusal_to_sign') {
    // CNV-6: a refusal with a credit of the RE profile is handed over to Recuperación Especializada
    await handOverIfReProfile(trx, {
      caseId: row.id,
      creditNumber: row.credit_number,
      delegationId: row.delegation_id,
      agencyId: row.agency_id,
      assignedOn: row.opened_on,
      today: command.today,
      user,
      now: command.now,
    });
  }
}

function contactDataOf(action: CaseAction, input: unknown): ContactData | undefined {
  if (action !== 'record_acceptance' && action !== 'update_contact_data') return undefined;
  return (input as { contactData?: ContactData }).contactData;
}

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

// ------------------------------------------------------------------------------------------------
// Reading a case
// ------------------------------------------------------------------------------------------------

/** The case page: facts, due dates with explanations, history, breaches, the caller's actions. */
export async function getCaseDetail(db: Executor, user: AuthUser, id: number, today: IsoDate, now: Date) {
  const view = await findCaseView(db, user.scope, id);
  if (!view) throw notFound('Caso');
  const facts = factsOf(view);
  const [events, breaches] = await Promise.all([findCaseEvents(db, id), findCaseBreaches(db, id)]);
  let dueDates: ReturnType<typeof caseDueDates> = [];
  if (facts.acceptedOn !== undefined) {
    const deadlines = await deadlineContext(db, facts.acceptedOn, view.deadline_policy_version);
    dueDates = caseDueDates({ ...facts, acceptedOn: facts.acceptedOn }, deadlines.policy, deadlines.version, deadlines.holidays, today);
  }
  // SEC-4: reading the borrower's contact data is logged (roles that never see it get none)
  const seesContact = user.role !== 'representative' && user.role !== 'auditor';
  if (seesContact && user.role !== 'borrower') {
    await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, [view.credit_number], `caso de mediación ${id}`);
  }
  const actions = availableActions(facts.state, user.role).map((action) => ({
    action,
    label: TRANSITIONS[action].label,
    activity: TRANSITIONS[action].activity,
  }));
  return {
    id: view.id,
    creditNumber: view.credit_number,
    borrowerName: view.borrower_name,
    address: `${view.address_street}, ${view.address_settlement}, ${view.address_municipality}, C.P. ${view.address_postal_code}`,
    balanceCents: view.balance_cents,
    monthsInArrears: view.months_in_arrears,
    round: view.round,
    roundLabel: roundLabel(view.round),
    entry: view.entry,
    month: view.month,
    convenioType: view.convenio_type,
    delegationName: view.delegation_name,
    agencyId: view.agency_id,
    agencyName: view.agency_name,
    mediatorId: view.mediator_id,
    mediatorName: view.mediator_name,
    mediatorKind: view.mediator_kind,
    appLicenceNumber: view.app_licence_number,
    representativeId: view.representative_id,
    representativeName: view.representative_name,
    representativeHasPowers: view.representative_has_powers,
    state: view.state,
    stateLabel: CASE_STATE_LABELS[view.state],
    version: view.version,
    openedOn: view.opened_on,
    acceptedOn: view.accepted_on,
    sessionDate: view.session_date,
    closedOn: view.closed_on,
    closureRule: view.closure_rule,
    deadlinePolicyVersion: view.deadline_policy_version,
    // "day N" counts calendar days from acceptance, day 0 (SPEC §5)
    day: view.accepted_on ? daysBetween(view.accepted_on, today) : null,
    facts: facts as unknown as Record<string, unknown>,
    privacyNoticeShownOn: view.privacy_notice_shown_on,
    contact: seesContact
      ? {
          capturedOn: view.contact_captured_on,
          landline: view.contact_landline,
          mobile: view.contact_mobile,
          email: view.contact_email,
          onFile: { landline: view.credit_landline, mobile: view.credit_mobile, email: view.credit_email },
        }
      : null,
    dueDates: dueDates.map((due) => ({ rule: due.key, dueOn: due.dueOn, status: due.status, explanation: due.explanation })),
    breaches: breaches.map((b) => ({ rule: b.rule, dueOn: b.due_on, flaggedOn: b.flagged_on })),
    events: events.map((e) => ({
      version: e.version,
      action: e.action,
      label: e.action === 'open_case' ? 'Caso abierto' : (TRANSITIONS[e.action as CaseAction]?.label ?? e.action),
      activity: e.activity,
      fromState: e.from_state,
      toState: e.to_state,
      onDate: e.on_date,
      actorRole: e.actor_role,
      actorName: e.actor_name,
      data: e.data,
      closureRule: e.closure_rule,
      policyVersion: e.policy_version,
      explanation: e.explanation,
      recordedAt: e.recorded_at,
    })),
    messages: await listCaseMessages(db, id),
    // act. 20: the signed convenio continues on its own page (acts. 22–27), if in the user's scope
    convenio: (await findConvenioOfCase(db, user.scope, id)) ?? null,
    actions,
    approvedRemoteTools: (await getPolicyInForce(db, 'remote_session_tools', today)).value.tools,
  };
}

export type CaseDetail = Awaited<ReturnType<typeof getCaseDetail>>;
