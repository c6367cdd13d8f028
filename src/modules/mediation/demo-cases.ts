/**
 * Demo mediation cases (issue 4, item 9): cases in every state of the flow, some past their day-32
 * and day-91 deadlines, so that every screen and `cobranza sweep` have real work on a fresh start.
 * Every case is built through the real service on back-dated days — the same guards, due dates,
 * events and audit trail as cases users create — so the demo cannot hold an impossible case.
 */
import { addDays, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { Role } from '../../db/schema.js';
import { scopeOf } from '../identity/identity.rules.js';
import type { AuthUser } from '../identity/identity.service.js';
import { changePolicy } from '../policy/policy.service.js';
import { applyCaseAction, openMediationCase, type ActionRequest } from './cases.service.js';
import { CHECKLIST_ITEMS, type CaseAction } from './mediation.rules.js';
import type { SolutionId } from '../solutions/solutions.rules.js';
import { eligibleSolutionIds } from '../convenios/convenios.service.js';

const FULL_CHECKLIST = Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, true])) as Record<(typeof CHECKLIST_ITEMS)[number], boolean>;
const OPENING_CHECKLIST = { ...FULL_CHECKLIST, 'CHK-10': false };

/** What each demo case goes through; `until` is how far along the flow it stops. */
const PLANS = [
  // [how many, how far, day 0 relative to today]
  { stop: 'tagged', count: 3, day0: 0 },
  { stop: 'offered', count: 2, day0: 0 },
  { stop: 'refused', count: 2, day0: -3 },
  { stop: 'solution_at_visit', count: 2, day0: -5 },
  { stop: 'accepted', count: 4, day0: 0 },
  { stop: 'accepted_late', count: 1, day0: -3 }, // DL-1 breached: not distributed by the next day
  { stop: 'distributed', count: 3, day0: -1 },
  { stop: 'contacting', count: 2, day0: -6 },
  { stop: 'scheduled', count: 3, day0: -8 },
  { stop: 'rescheduled', count: 1, day0: -20 },
  { stop: 'not_scheduled', count: 1, day0: -31 },
  { stop: 'session_held', count: 2, day0: -12 },
  { stop: 'refused_to_sign', count: 1, day0: -15 },
  { stop: 'closed_no_agreement', count: 1, day0: -25 },
  { stop: 'signed', count: 5, day0: -13 }, // convenios signed, in review and approved (issue 5)
  { stop: 'signed_earlier', count: 4, day0: -75 }, // convenios paid, broken and registered (issue 5)
  { stop: 'past_dl5', count: 3, day0: -40 }, // day 32 passed with no session and no NS record
  { stop: 'past_dl8', count: 2, day0: -95 }, // day 91 passed with no session held
] as const;

export type DemoStop = (typeof PLANS)[number]['stop'];
type Stop = DemoStop;

export interface DemoActors {
  fieldAgent: AuthUser;
  agency: AuthUser;
  mediator: AuthUser;
  manager: (delegationId: number) => Promise<AuthUser>;
  operations: AuthUser;
  mediatorId: number;
  representativeId: number;
}

/** A demo user as the services see him (role and scope), by id, username, or role and delegación. */
export async function demoUser(trx: Executor, where: { id?: number; username?: string; role?: Role; delegationId?: number; agencyId?: number }): Promise<AuthUser> {
  let query = trx.selectFrom('users').select(['id', 'username', 'full_name', 'role', 'delegation_id', 'agency_id', 'mediator_id', 'representative_id', 'credit_number']);
  if (where.id !== undefined) query = query.where('id', '=', where.id);
  if (where.username) query = query.where('username', '=', where.username);
  if (where.role) query = query.where('role', '=', where.role);
  if (where.delegationId !== undefined) query = query.where('delegation_id', '=', where.delegationId);
  if (where.agencyId !== undefined) query = query.where('agency_id', '=', where.agencyId);
  const row = await query.orderBy('id').limit(1).executeTakeFirstOrThrow();
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role,
    scope: scopeOf({
      id: row.id,
      role: row.role,
      delegationId: row.delegation_id,
      agencyId: row.agency_id,
      mediatorId: row.mediator_id,
      representativeId: row.representative_id,
      creditNumber: row.credit_number,
    }),
  };
}

export interface DemoCasesSummary {
  cases: number;
  byPlan: Record<string, number>;
}

/**
 * Creates the demo cases for the field agent, agency and mediator of the demo logins (agency
 * AS01, `asesor.as01.1`, `mediador.as01.1`). Needs the month's assignment (run it first).
 */
export async function seedDemoCases(trx: Executor, options: { today: IsoDate; now: Date }): Promise<DemoCasesSummary> {
  const { today, now } = options;
  const officeUser = await demoUser(trx, { role: 'mediation_office' });
  // Lineamiento 3: the office approves the remote tools the demo's mediators use.
  await changePolicy(trx, { userId: officeUser.id, role: officeUser.role }, {
    key: 'remote_session_tools',
    value: { tools: ['Microsoft Teams', 'Zoom'] },
    reason: 'Demostración: herramientas aprobadas para sesiones a distancia (Lineamiento 3).',
    effectiveFrom: addDays(today, -400),
    now,
  });
  const actors = await demoActors(trx, { fieldAgent: 'asesor.as01.1', mediator: 'mediador.as01.1' });
  const { fieldAgent } = actors;
  const agencyId = actors.mediator.scope.kind === 'mediator' ? actors.mediator.scope.agencyId : -1;

  // Credits of this month's assignment to the agency, for the field agent (or no agent), whose
  // convenio type a CJA-certified mediator may handle (CNV-2).
  const needed = PLANS.reduce((sum, plan) => sum + plan.count, 0);
  const credits = await trx
    .selectFrom('credit_assignments')
    .select(['credit_number', 'delegation_id'])
    .where('month', '=', today.slice(0, 7))
    .where('agency_id', '=', agencyId)
    .where((eb) => eb.or([eb('field_agent_user_id', '=', fieldAgent.id), eb('field_agent_user_id', 'is', null)]))
    .where('convenio_type', 'in', ['RATIFIED', 'ADMINISTRATIVE'])
    .where('entry', '=', 'monthly')
    // not the credits last month's demo cases already worked (the month before is in the demo too)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('mediation_cases as c').select('c.id').whereRef('c.credit_number', '=', 'credit_assignments.credit_number'))))
    .orderBy('credit_number')
    .limit(needed * 4)
    .execute();

  const byPlan: Record<string, number> = {};
  let next = 0;
  let built = 0;
  for (const plan of PLANS) {
    for (let i = 0; i < plan.count && next < credits.length; next++) {
      const credit = credits[next]!;
      const day0 = addDays(today, plan.day0 - i);
      // act. 2: the visit offers the solutions available to the credit that day (SPEC §8)
      const available = await eligibleSolutionIds(trx, credit.credit_number, day0);
      if (available.length === 0) continue;
      await buildDemoCase(trx, actors, { creditNumber: credit.credit_number, delegationId: credit.delegation_id, stop: plan.stop, day0, available, now });
      byPlan[plan.stop] = (byPlan[plan.stop] ?? 0) + 1;
      built++;
      i++;
    }
  }
  return { cases: built, byPlan };
}

/**
 * The people who work a demo case: the field agent and the mediator named, their agency's user
 * and first representative with legal powers, the DR managers, operations.
 */
export async function demoActors(trx: Executor, usernames: { fieldAgent: string; mediator: string }): Promise<DemoActors> {
  const fieldAgent = await demoUser(trx, { username: usernames.fieldAgent });
  const mediator = await demoUser(trx, { username: usernames.mediator });
  const agencyId = mediator.scope.kind === 'mediator' ? mediator.scope.agencyId : -1;
  const mediatorId = mediator.scope.kind === 'mediator' ? mediator.scope.mediatorId : -1;
  const agencyRow = await trx.selectFrom('users').select('username').where('role', '=', 'agency').where('agency_id', '=', agencyId).orderBy('id').executeTakeFirstOrThrow();
  const representative = await trx
    .selectFrom('representatives')
    .select('id')
    .where('agency_id', '=', agencyId)
    .where('has_legal_powers', '=', true)
    .where('active', '=', true)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  return {
    fieldAgent,
    agency: await demoUser(trx, { username: agencyRow.username }),
    mediator,
    manager: (delegationId) => demoUser(trx, { role: 'regional_manager', delegationId }),
    operations: await demoUser(trx, { role: 'operations' }),
    mediatorId,
    representativeId: representative.id,
  };
}

/** One demo case through the real service, from the visit on day 0 to `stop`; returns its id. */
export async function buildDemoCase(
  trx: Executor,
  actors: DemoActors,
  input: { creditNumber: string; delegationId: number; stop: Stop; day0: IsoDate; available: readonly SolutionId[]; now: Date },
): Promise<number> {
  const { day0, stop, now } = input;
  const day = (n: number) => addDays(day0, n);
  const caseId = await openMediationCase(trx, actors.fieldAgent, { creditNumber: input.creditNumber, today: day0, now });
  const step = async <A extends CaseAction>(user: AuthUser, action: A, request: ActionRequest[A], on: IsoDate) => {
    const { version } = await trx.selectFrom('mediation_cases').select('version').where('id', '=', caseId).executeTakeFirstOrThrow();
    await applyCaseAction(trx, user, { caseId, action, version, input: request, today: on, now });
  };
  if (stop === 'tagged') return caseId;
  if (stop === 'solution_at_visit') {
    await step(actors.fieldAgent, 'record_solution_at_visit', { solutionId: input.available[0]! }, day0);
    return caseId;
  }
  await step(actors.fieldAgent, 'offer_mediation', { channel: 'home_visit', solutionsOffered: input.available }, day0);
  if (stop === 'offered') return caseId;
  if (stop === 'refused') {
    await step(actors.fieldAgent, 'record_refusal', { note: 'Prefiere acudir directamente al Infonavit.' }, day0);
    return caseId;
  }
  await step(actors.fieldAgent, 'record_acceptance', { privacyNoticeShown: true, contactData: { mobile: `55${input.creditNumber.slice(2)}`, email: `acreditado.${input.creditNumber}@correo.example` } }, day0);
  if (stop === 'accepted' || stop === 'accepted_late') return caseId;
  await step(actors.agency, 'designate_representative', { representativeId: actors.representativeId }, day0);
  await step(actors.agency, 'distribute', { mediatorId: actors.mediatorId }, day(1));
  if (stop === 'distributed') return caseId;
  await step(actors.mediator, 'record_contact_attempt', { party: 'borrower', channel: 'phone', reached: stop !== 'past_dl5' && stop !== 'not_scheduled' }, day(1));
  if (stop === 'contacting' || stop === 'past_dl5') return caseId;
  if (stop === 'not_scheduled') {
    await step(actors.mediator, 'record_not_scheduled', { cause: 'NS-1' }, day(31));
    return caseId;
  }
  const remote = stop === 'session_held';
  await step(
    actors.mediator,
    'schedule_session',
    remote
      ? { sessionDate: day(10), sessionTime: '11:00', mode: 'remote', remoteTool: 'Microsoft Teams' }
      : { sessionDate: stop === 'scheduled' ? day(14) : day(10), sessionTime: '10:00', mode: 'in_person', place: 'Oficina de la agencia de soluciones' },
    day(3),
  );
  await step(actors.mediator, 'send_summons', { channel: 'email', recipients: ['borrower', 'representative'] }, day(3));
  if (stop === 'scheduled' || stop === 'past_dl8') return caseId;
  if (stop === 'rescheduled') {
    await step(actors.mediator, 'reschedule_session', { sessionDate: day(24), sessionTime: '12:00', mode: 'in_person', place: 'Oficina de la agencia de soluciones' }, day(10));
    await step(actors.mediator, 'send_summons', { channel: 'whatsapp', recipients: ['borrower', 'representative'] }, day(10));
    return caseId;
  }
  await step(actors.mediator, 'request_draft_convenios', {}, day(4));
  await step(await actors.manager(input.delegationId), 'provide_draft_convenios', {}, day(5));
  await step(
    actors.mediator,
    'hold_session',
    {
      heldOn: day(10),
      mode: remote ? 'remote' : 'in_person',
      remoteTool: remote ? 'Microsoft Teams' : undefined,
      borrowerAttended: true,
      fundAttendee: 'representative',
      privacyNoticeShownAtStart: true,
      checklist: OPENING_CHECKLIST,
    },
    day(10),
  );
  if (stop === 'session_held') return caseId;
  if (stop === 'refused_to_sign' || stop === 'closed_no_agreement') {
    await step(actors.mediator, 'record_refusal_to_sign', { cause: 'NR-1', finalSession: true }, day(10));
    await step(actors.mediator, 'invite_to_survey', { channel: 'link', complaintChannelsExplained: true }, day(10));
    if (stop === 'closed_no_agreement') await step(actors.operations, 'close_without_agreement', {}, day(11));
    return caseId;
  }
  const { convenio_type: convenioType, facts } = await trx.selectFrom('mediation_cases').select(['convenio_type', 'facts']).where('id', '=', caseId).executeTakeFirstOrThrow();
  // the borrower chooses among the drafts the DR provided (act. 13): a restructure when offered
  const drafts = (facts as { draftSolutionIds?: SolutionId[] }).draftSolutionIds ?? [];
  const solutionId = drafts.includes('SOL-2') ? 'SOL-2' : drafts[0]!;
  await step(
    actors.mediator,
    'sign_convenio',
    {
      signedOn: day(10),
      convenioType,
      solutionId,
      copies: 3,
      signedBy: ['borrower', 'representative', 'mediator'],
      acknowledgementSigned: true,
      firstPaymentExplained: true,
      checklist: FULL_CHECKLIST,
    },
    day(10),
  );
  await step(actors.mediator, 'invite_to_survey', { channel: 'device', complaintChannelsExplained: true }, day(10));
  return caseId;
}
