/**
 * The daily sweep (SPEC §5) on a real database: the automatic closures DL-5 (act. 10) and DL-8
 * (act. 15), the tag removals of act. 10 (NS) and act. 19 (NR), the SLA breaches DL-1, DL-2, DL-4
 * and DL-6 — each compared, case by case, with the pure rules (`closesByDl5`, `closesByDl8`,
 * `breachesDl1/2/4/6`, `decide` + `evolve`, `explainDeadline`); idempotency, missed days, the
 * real case service closing the same case, and the API's roles.
 *
 * Cases are inserted as rows whose facts come from the pure module (openCase, then decide/evolve
 * step by step) and whose due dates come from deadlines.rules, in transactions that are rolled
 * back, so every test starts from the seeded database.
 */
import fc from 'fast-check';
import { sql, type Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, fixedClock, type IsoDate } from '../../clock.js';
import type { Database, Executor, Tx } from '../../db/index.js';
import type { MediationCasesTable } from '../../db/schema.js';
import type { App } from '../../http/context.js';
import { buildTestServer, login, openSeededDatabase, TEST_TODAY, type Caller } from '../../../test/factories.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import {
  breachesDl1,
  breachesDl2,
  breachesDl4,
  breachesDl6,
  closesByDl5,
  closesByDl8,
  DEFAULT_DEADLINE_POLICY,
  dl5ClosesOn,
  dl8ClosesOn,
  dueDateOf,
  explainDeadline,
  MEXICAN_HOLIDAYS,
  type CaseDeadlineFacts,
  type DayUnit,
  type DeadlinePolicy,
} from '../deadlines/deadlines.rules.js';
import { scopeOf } from '../identity/identity.rules.js';
import type { AuthUser } from '../identity/identity.service.js';
import { changePolicy, getPolicyInForce } from '../policy/policy.service.js';
import { applyCaseAction } from './cases.service.js';
import {
  CHECKLIST_ITEMS,
  decide,
  evolve,
  openCase,
  type ActionInputs,
  type AnyCaseEvent,
  type CaseAction,
  type CaseActor,
  type CaseFacts,
  type SessionChecklist,
} from './mediation.rules.js';
import {
  explainNotScheduledClosure,
  explainSweep,
  explainRefusedToSignClosure,
  findSweeps,
  sweepCases,
  type SweepClosureRule,
  type SweepSlaRule,
  type SweepSummary,
} from './sweep.service.js';

const holidays = MEXICAN_HOLIDAYS;
const NOW = fixedClock(TEST_TODAY).now();

let database: Database;
let credits: Array<{ creditNumber: string; delegationId: number }>;
let mediator: { id: number; agencyId: number };
let representativeId: number;
/** The deadline policy version the seed put in force (the defaults). */
let defaultVersion: number;

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 400 });
  const rows = await database.db
    .selectFrom('credits as c')
    .select(['c.credit_number', 'c.delegation_id'])
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM mediation_cases m WHERE m.credit_number = c.credit_number)`)
    .orderBy('c.credit_number')
    .limit(60)
    .execute();
  credits = rows.map((row) => ({ creditNumber: row.credit_number, delegationId: row.delegation_id }));
  const certified = await database.db.selectFrom('mediators').select(['id', 'agency_id']).where('kind', '=', 'cja_certified').orderBy('id').executeTakeFirstOrThrow();
  mediator = { id: certified.id, agencyId: certified.agency_id };
  representativeId = (await database.db.selectFrom('representatives').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  defaultVersion = (await getPolicyInForce(database.db, 'deadlines', TEST_TODAY)).version;
});

afterAll(async () => {
  await database?.close();
});

class Rollback extends Error {}

/** Runs `work` in a transaction that is always rolled back. */
async function rolledBack<T>(work: (trx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await database.db.transaction().execute(async (trx) => {
      result = await work(trx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result as T;
}

// ------------------------------------------------------------------------------------------------
// Case histories through the pure rules
// ------------------------------------------------------------------------------------------------

const FULL_CHECKLIST = Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, true])) as SessionChecklist;
const OPENING_CHECKLIST: SessionChecklist = { ...FULL_CHECKLIST, 'CHK-10': false };

/** How far a case goes, in days counted from the step before (undefined: the step never happens). */
interface Plan {
  acceptedOn: IsoDate;
  distribute?: number | undefined;
  contact?: number | undefined;
  /** NS recorded this many days after the DL-4 day. */
  notScheduled?: number | undefined;
  /** Scheduled this many days after the last contact step, for a session this many days later. */
  schedule?: { after: number; sessionIn: number } | undefined;
  summons?: number | undefined;
  reschedule?: { after: number; sessionIn: number } | undefined;
  rescheduleSummons?: number | undefined;
  /** The session is held on its date; then, optionally, the borrower refuses to sign. */
  hold?: boolean | undefined;
  refuseToSign?: boolean | undefined;
  /** Data that broke the guards: a session date moved later, or set around the sweep day (DL-8's "nueva fecha"). */
  moveSessionDate?: { by: number } | { aroundToday: number } | undefined;
}

interface Built {
  facts: CaseFacts;
  /** Transitions accepted (the stored version is 1 + this). */
  steps: number;
}

/** Walks the plan through `decide`/`evolve`, up to `today`; a step the rules refuse ends the walk. */
function buildFacts(plan: Plan, credit: { delegationId: number }, policy: DeadlinePolicy, version: number, today: IsoDate): Built {
  const opened = openCase({ entry: 'monthly', convenioType: 'RATIFIED', agencyId: mediator.agencyId, delegationId: credit.delegationId, priorConvenios: 0, brokenConvenios: 0, hasOpenCase: false });
  if (!opened.ok) throw new Error(opened.message);
  let facts = opened.facts;
  let steps = 0;
  let last = plan.acceptedOn;
  const actors: Record<'field_agent' | 'agency' | 'mediator', CaseActor> = {
    field_agent: { role: 'field_agent', userId: 1, agencyId: mediator.agencyId },
    agency: { role: 'agency', userId: 2, agencyId: mediator.agencyId },
    mediator: { role: 'mediator', userId: 3, agencyId: mediator.agencyId, mediatorId: mediator.id },
  };
  const step = <A extends CaseAction>(action: A, input: ActionInputs[A], on: IsoDate, by: keyof typeof actors): boolean => {
    if (on > today || on < last) return false;
    const decision = decide(facts, action, input, actors[by], on, policy, holidays, { policyVersion: version, approvedRemoteTools: [] });
    if (!decision.ok) return false;
    facts = evolve(facts, decision.event as AnyCaseEvent);
    steps += 1;
    last = on;
    return true;
  };
  const built = (): Built => {
    if (plan.moveSessionDate !== undefined && facts.sessionDate !== undefined && (facts.state === 'scheduled' || facts.state === 'rescheduled')) {
      const move = plan.moveSessionDate;
      facts = { ...facts, sessionDate: 'by' in move ? addDays(facts.sessionDate, move.by) : addDays(today, move.aroundToday) };
    }
    return { facts, steps };
  };
  const d0 = plan.acceptedOn;
  if (!step('offer_mediation', { channel: 'home_visit', solutionsOffered: ['SOL-2'] }, d0, 'field_agent')) return built();
  if (!step('record_acceptance', { privacyNoticeShown: true, contactData: { mobile: '5512345678' } }, d0, 'field_agent')) throw new Error('acceptance refused');
  step('designate_representative', { representativeId, hasLegalPowers: true, contact: 'representante@example.com' }, d0, 'agency');
  if (plan.distribute === undefined) return built();
  if (!step('distribute', { mediatorId: mediator.id, mediatorKind: 'cja_certified', appLicenceNumber: 'GM-0001' }, addDays(d0, plan.distribute), 'agency')) return built();
  if (plan.contact !== undefined) step('record_contact_attempt', { party: 'borrower', channel: 'phone', reached: true }, addDays(last, plan.contact), 'mediator');
  if (plan.notScheduled !== undefined) {
    step('record_not_scheduled', { cause: 'NS-3' }, addDays(dueDateOf('DL-4', d0, policy, holidays), plan.notScheduled), 'mediator');
    return built();
  }
  if (plan.schedule === undefined) return built();
  const scheduledOn = addDays(last, plan.schedule.after);
  const session = (sessionDate: IsoDate) => ({ sessionDate, sessionTime: '10:00', mode: 'in_person' as const });
  if (!step('schedule_session', session(addDays(scheduledOn, plan.schedule.sessionIn)), scheduledOn, 'mediator')) return built();
  const summons = { channel: 'whatsapp', recipients: ['borrower', 'representative'], evidenceRef: 'captura.png' } as const;
  if (plan.summons !== undefined) step('send_summons', summons, addDays(scheduledOn, plan.summons), 'mediator');
  if (plan.reschedule !== undefined) {
    const rescheduledOn = addDays(last, plan.reschedule.after);
    if (step('reschedule_session', session(addDays(rescheduledOn, plan.reschedule.sessionIn)), rescheduledOn, 'mediator') && plan.rescheduleSummons !== undefined) {
      step('send_summons', summons, addDays(rescheduledOn, plan.rescheduleSummons), 'mediator');
    }
  }
  if (!plan.hold || facts.sessionDate === undefined) return built();
  const heldOn = facts.sessionDate;
  const held = step(
    'hold_session',
    { heldOn, mode: 'in_person', borrowerAttended: true, fundAttendee: 'representative', privacyNoticeShownAtStart: true, checklist: OPENING_CHECKLIST },
    heldOn,
    'mediator',
  );
  if (held && plan.refuseToSign) step('record_refusal_to_sign', { cause: 'NR-4', finalSession: true }, heldOn, 'mediator');
  return built();
}

/** The row the case service would store for these facts (columns SQL reads, due dates at their anchors). */
function caseRow(built: Built, credit: { creditNumber: string }, policy: DeadlinePolicy, version: number): Insertable<MediationCasesTable> {
  const { facts } = built;
  const accepted = facts.acceptedOn!;
  const due = (key: Parameters<typeof dueDateOf>[0], anchor: IsoDate | undefined) => (anchor === undefined ? null : dueDateOf(key, anchor, policy, holidays));
  return {
    credit_number: credit.creditNumber,
    round: facts.round,
    entry: facts.entry,
    month: accepted.slice(0, 7),
    convenio_type: facts.convenioType,
    delegation_id: facts.delegationId,
    agency_id: facts.agencyId,
    mediator_id: facts.mediatorId ?? null,
    representative_id: facts.representative?.id ?? null,
    state: facts.state,
    version: 1 + built.steps,
    opened_on: accepted,
    accepted_on: accepted,
    distributed_on: facts.distributedOn ?? null,
    first_contact_on: facts.firstContactOn ?? null,
    scheduled_on: facts.scheduledOn ?? null,
    session_date: facts.sessionDate ?? null,
    summons_sent_on: facts.summonsSentOn ?? null,
    not_scheduled_on: facts.notScheduledRecordedOn ?? null,
    session_held_on: facts.sessionHeldOn ?? null,
    closed_on: facts.closedOn ?? null,
    closure_rule: facts.closureRule ?? null,
    deadline_policy_version: version,
    dl1_due_on: due('DL-1', accepted),
    dl2_due_on: due('DL-2', facts.distributedOn),
    dl4_due_on: due('DL-4', accepted),
    dl5_closes_on: dl5ClosesOn(accepted, policy, holidays),
    dl6_due_on: due('DL-6', facts.rescheduledOn ?? facts.scheduledOn),
    dl8_closes_on: dl8ClosesOn(accepted, policy, holidays),
    facts: JSON.stringify(facts),
    privacy_notice_shown_on: facts.privacyNoticeShownOn ?? null,
    contact_mobile: '5512345678',
    contact_captured_on: facts.contactDataCapturedOn ?? null,
    created_at: NOW,
    updated_at: NOW,
  } as Insertable<MediationCasesTable>;
}

interface Inserted {
  id: number;
  built: Built;
  version: number;
}

async function insertCases(trx: Executor, plans: Plan[], policy: DeadlinePolicy, version: number, today: IsoDate): Promise<Inserted[]> {
  if (plans.length > credits.length) throw new Error('not enough free credits for the fixture');
  const built = plans.map((plan, i) => buildFacts(plan, credits[i]!, policy, version, today));
  const rows = built.map((b, i) => caseRow(b, credits[i]!, policy, version));
  const ids = await trx.insertInto('mediation_cases').values(rows).returning('id').execute();
  return ids.map((row, i) => ({ id: row.id, built: built[i]!, version: 1 + built[i]!.steps }));
}

/** A deadline policy version in force from 2025 (inside the test's transaction). */
async function storePolicy(trx: Executor, policy: DeadlinePolicy): Promise<number> {
  const stored = await changePolicy(trx, SYSTEM_ACTOR, { key: 'deadlines', value: policy, reason: 'Prueba del barrido diario', effectiveFrom: '2025-01-01', now: NOW });
  return stored.version;
}

// ------------------------------------------------------------------------------------------------
// What the rules say the sweep must do, and the comparison
// ------------------------------------------------------------------------------------------------

const CLOSURE_ACTION: Record<SweepClosureRule, CaseAction> = {
  'DL-5': 'close_by_dl5',
  'DL-8': 'close_by_dl8',
  'act. 10': 'close_not_scheduled',
  'act. 19': 'close_without_agreement',
};

function deadlineFacts(facts: CaseFacts): CaseDeadlineFacts {
  return { ...facts, acceptedOn: facts.acceptedOn! };
}

/** The closure the rules call for on `today`, if any. */
function expectedClosure(facts: CaseFacts, today: IsoDate, policy: DeadlinePolicy): SweepClosureRule | undefined {
  if (closesByDl5(deadlineFacts(facts), today, policy, holidays)) return 'DL-5';
  if (closesByDl8(deadlineFacts(facts), today, policy, holidays)) return 'DL-8';
  if (facts.state === 'not_scheduled' && today >= dl5ClosesOn(facts.acceptedOn!, policy, holidays)) return 'act. 10';
  if (facts.state === 'refused_to_sign') return 'act. 19';
  return undefined;
}

function expectedBreaches(facts: CaseFacts, today: IsoDate, policy: DeadlinePolicy): SweepSlaRule[] {
  const f = deadlineFacts(facts);
  const rules: SweepSlaRule[] = [];
  if (breachesDl1(f, today, policy, holidays)) rules.push('DL-1');
  if (breachesDl2(f, today, policy, holidays)) rules.push('DL-2');
  if (breachesDl4(f, today, policy, holidays)) rules.push('DL-4');
  if (breachesDl6(f, today, policy, holidays)) rules.push('DL-6');
  return rules;
}

/** The due date a breach records: the deadline's due date (DL-6: the first scheduling's when that one was missed). */
function expectedDueOn(rule: SweepSlaRule, facts: CaseFacts, today: IsoDate, policy: DeadlinePolicy): IsoDate {
  const due = (key: 'DL-1' | 'DL-2' | 'DL-4' | 'DL-6', anchor: IsoDate | undefined) => dueDateOf(key, anchor!, policy, holidays);
  switch (rule) {
    case 'DL-1':
      return due('DL-1', facts.acceptedOn);
    case 'DL-2':
      return due('DL-2', facts.distributedOn);
    case 'DL-4':
      return due('DL-4', facts.acceptedOn);
    case 'DL-6': {
      const first = due('DL-6', facts.scheduledOn);
      const firstMissed = facts.summonsSentOn === undefined ? today > first : facts.summonsSentOn > first;
      return firstMissed ? first : due('DL-6', facts.rescheduledOn);
    }
  }
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

interface Outcome {
  id: number;
  state: string;
  closure?: SweepClosureRule | undefined;
  explanation?: string | null | undefined;
  breaches: SweepSlaRule[];
}

/**
 * Asserts that the sweep of `today` did to each case exactly what the rules say: the closure
 * (`decide` accepts it and `evolve` gives the stored facts), its event with the rule, policy
 * version and the explanation of the pure module, and the SLA breaches flagged.
 */
async function expectRulesApplied(trx: Executor, cases: Inserted[], today: IsoDate, policy: DeadlinePolicy, version: number, options: { flaggedOn?: IsoDate } = {}): Promise<Outcome[]> {
  const ids = cases.map((c) => c.id);
  const rows = await trx.selectFrom('mediation_cases').selectAll().where('id', 'in', ids).execute();
  const events = await trx.selectFrom('case_events').selectAll().where('case_id', 'in', ids).execute();
  const breaches = await trx.selectFrom('case_deadline_breaches').selectAll().where('case_id', 'in', ids).execute();
  const outcomes: Outcome[] = [];
  for (const inserted of cases) {
    const { facts } = inserted.built;
    const row = rows.find((r) => r.id === inserted.id)!;
    const caseEvents = events.filter((e) => e.case_id === inserted.id);
    const rule = expectedClosure(facts, today, policy);
    const where = `case ${inserted.id} (${facts.state}, accepted ${facts.acceptedOn}, swept ${today})`;
    if (rule === undefined) {
      expect(row.state, where).toBe(facts.state);
      expect(row.version, where).toBe(inserted.version);
      expect(row.facts, where).toEqual(plain(facts));
      expect(caseEvents, where).toEqual([]);
    } else {
      const decision = decide(facts, CLOSURE_ACTION[rule], {} as never, { role: 'system' }, today, policy, holidays, { policyVersion: version });
      if (!decision.ok) throw new Error(`${where}: the rules refuse ${rule}: ${decision.message}`);
      const after = evolve(facts, decision.event as AnyCaseEvent);
      expect(row.state, where).toBe(decision.to);
      expect(row.version, where).toBe(inserted.version + 1);
      expect(row.closed_on, where).toBe(today);
      expect(row.closure_rule, where).toBe(rule);
      expect(row.facts, where).toEqual(plain(after));
      expect(caseEvents, where).toHaveLength(1);
      const event = caseEvents[0]!;
      const explanation =
        rule === 'act. 10'
          ? explainNotScheduledClosure({ cause: facts.notScheduledCause!, recordedOn: facts.notScheduledRecordedOn!, dl5ClosesOn: dl5ClosesOn(facts.acceptedOn!, policy, holidays) }, policy, version)
          : rule === 'act. 19'
            ? explainRefusedToSignClosure({ cause: facts.refusalToSignCause!, recordedOn: facts.refusedToSignOn! })
            : decision.event.explanation;
      expect(
        {
          version: event.version,
          action: event.action,
          activity: event.activity,
          from: event.from_state,
          to: event.to_state,
          on: event.on_date,
          round: event.round,
          actorRole: event.actor_role,
          actorUserId: event.actor_user_id,
          data: event.data,
          closureRule: event.closure_rule,
          policyVersion: event.policy_version,
          explanation: event.explanation,
        },
        where,
      ).toEqual({
        version: inserted.version + 1,
        action: decision.event.action,
        activity: decision.event.activity,
        from: facts.state,
        to: decision.to,
        on: today,
        round: facts.round,
        actorRole: 'system',
        actorUserId: null,
        data: {},
        closureRule: decision.event.closureRule,
        policyVersion: rule === 'act. 19' ? null : version,
        explanation,
      });
    }
    const flagged = breaches.filter((b) => b.case_id === inserted.id);
    const expected = expectedBreaches(facts, today, policy);
    expect(flagged.map((b) => b.rule).sort(), `${where}: SLA breaches`).toEqual([...expected].sort());
    for (const breach of flagged) {
      expect(breach.policy_version).toBe(version);
      if (options.flaggedOn) expect(breach.flagged_on).toBe(options.flaggedOn);
      if (breach.flagged_on === today) expect(breach.due_on, `${where}: ${breach.rule} due date`).toBe(expectedDueOn(breach.rule as SweepSlaRule, facts, today, policy));
    }
    outcomes.push({ id: inserted.id, state: row.state, closure: rule, explanation: caseEvents[0]?.explanation, breaches: flagged.map((b) => b.rule as SweepSlaRule) });
  }
  return outcomes;
}

async function sweep(trx: Executor, today: IsoDate): Promise<SweepSummary> {
  return sweepCases(trx, { today, now: fixedClock(today).now(), actor: SYSTEM_ACTOR });
}

/** Inserts the plans, sweeps on `today`, checks every case against the rules. */
async function sweepAndCheck(trx: Executor, plans: Plan[], today: IsoDate, policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY, version = defaultVersion) {
  const cases = await insertCases(trx, plans, policy, version, today);
  const summary = await sweep(trx, today);
  const outcomes = await expectRulesApplied(trx, cases, today, policy, version);
  return { cases, summary, outcomes };
}

// ------------------------------------------------------------------------------------------------
// Table-driven: one table per closure rule (default policy: calendar days, DL-5 day 32, DL-8 day 91)
// ------------------------------------------------------------------------------------------------

const D0: IsoDate = '2026-10-22'; // day 31 = 22/11/2026, day 32 = 23/11/2026, day 91 = 21/01/2027
const DAY = (n: number) => addDays(D0, n);

type Row = [description: string, plan: Omit<Plan, 'acceptedOn'>, sweptOn: IsoDate, expectedState: string];

const DL5_TABLE: Row[] = [
  ['accepted, never distributed — day 31: still open', {}, DAY(31), 'accepted'],
  ['accepted, never distributed — day 32: closed', {}, DAY(32), 'closed_dl5'],
  ['distributed on day 1 — day 32: closed', { distribute: 1 }, DAY(32), 'closed_dl5'],
  ['contacting since day 2 — day 32: closed', { distribute: 1, contact: 1 }, DAY(32), 'closed_dl5'],
  ['contacting — day 45, sweeps missed since day 32: closed', { distribute: 1, contact: 1 }, DAY(45), 'closed_dl5'],
  ['session scheduled on day 10 — day 32: DL-5 does not apply', { distribute: 1, contact: 1, schedule: { after: 8, sessionIn: 5 }, summons: 0 }, DAY(32), 'scheduled'],
  ['NS recorded on day 31 — day 32: DL-5 does not apply (act. 10 does)', { distribute: 1, contact: 1, notScheduled: 0 }, DAY(32), 'closed_not_scheduled'],
];

const DL8_TABLE: Row[] = [
  ['scheduled for day 14, not held — day 90: still open', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0 }, DAY(90), 'scheduled'],
  ['scheduled for day 14, not held — day 91: closed', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0 }, DAY(91), 'closed_dl8'],
  ['rescheduled once to day 60, not held — day 91: closed', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, reschedule: { after: 10, sessionIn: 46 }, rescheduleSummons: 0 }, DAY(91), 'closed_dl8'],
  ['rescheduled — day 100, sweeps missed: closed', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, reschedule: { after: 10, sessionIn: 46 }, rescheduleSummons: 0 }, DAY(100), 'closed_dl8'],
  ['session held on day 14 — day 91: DL-8 does not apply', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, hold: true }, DAY(91), 'session_held'],
  ['a session date still to come (day 95, data past DL-7) — day 91: no closure', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, moveSessionDate: { by: 81 } }, DAY(91), 'scheduled'],
  ['the same on day 95, the session day: no closure', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, moveSessionDate: { by: 81 } }, DAY(95), 'scheduled'],
  ['the same on day 96, the date passed: closed', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, moveSessionDate: { by: 81 } }, DAY(96), 'closed_dl8'],
];

const ACT10_TABLE: Row[] = [
  ['NS recorded on day 31 — day 31: the tag stays until the term ends', { distribute: 1, contact: 1, notScheduled: 0 }, DAY(31), 'not_scheduled'],
  ['NS recorded on day 31 — day 32: tag removed', { distribute: 1, contact: 1, notScheduled: 0 }, DAY(32), 'closed_not_scheduled'],
  ['NS recorded on day 31 — day 50, sweeps missed: tag removed', { distribute: 1, notScheduled: 0 }, DAY(50), 'closed_not_scheduled'],
];

const ACT19_TABLE: Row[] = [
  ['NR recorded at the end of the last session (day 14) — swept that day: tag removed', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, hold: true, refuseToSign: true }, DAY(14), 'closed_no_agreement'],
  ['NR on day 14 — day 20: tag removed', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, hold: true, refuseToSign: true }, DAY(20), 'closed_no_agreement'],
  ['session held, no NR — day 20: nothing to remove', { distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, hold: true }, DAY(20), 'session_held'],
];

describe.each<[string, Row[]]>([
  ['DL-5 (act. 10): automatic closure on day 32 with no scheduled session and no NS record', DL5_TABLE],
  ['DL-8 (act. 15): automatic closure on day 91 with no session held and no new date', DL8_TABLE],
  ['act. 10: the tag of a case with an NS record is removed from its DL-5 day on', ACT10_TABLE],
  ['act. 19: the tag of a case whose borrower refused to sign is removed', ACT19_TABLE],
])('%s', (_title, table) => {
  it.each(table)('%s', async (_description, plan, sweptOn, expectedState) => {
    await rolledBack(async (trx) => {
      const { outcomes } = await sweepAndCheck(trx, [{ acceptedOn: D0, ...plan }], sweptOn);
      expect(outcomes[0]!.state).toBe(expectedState);
    });
  });
});

// ------------------------------------------------------------------------------------------------
// Property: random acceptance dates, random policies (calendar and business days), random days
// ------------------------------------------------------------------------------------------------

/** Consistent policies: DL-3 < DL-4 < DL-5, DL-3 ≤ DL-7 < DL-8, one unit for the case clock. */
const arbPolicy: fc.Arbitrary<DeadlinePolicy> = fc
  .record({
    unit: fc.constantFrom<DayUnit>('calendar', 'business'),
    otherUnit: fc.constantFrom<DayUnit>('calendar', 'business'),
    dl3: fc.integer({ min: 1, max: 40 }),
    gap4: fc.integer({ min: 1, max: 3 }),
    gap5: fc.integer({ min: 1, max: 3 }),
    extra7: fc.integer({ min: 0, max: 60 }),
    gap8: fc.integer({ min: 1, max: 5 }),
    dl1: fc.integer({ min: 0, max: 3 }),
    dl2: fc.integer({ min: 0, max: 3 }),
    dl6: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ unit, otherUnit, dl3, gap4, gap5, extra7, gap8, dl1, dl2, dl6 }) => {
    const policy = structuredClone(DEFAULT_DEADLINE_POLICY);
    policy['DL-3'] = { amount: dl3, unit, from: 'acceptance' };
    policy['DL-4'] = { amount: dl3 + gap4, unit, from: 'acceptance' };
    policy['DL-5'] = { amount: dl3 + gap4 + gap5, unit, from: 'acceptance' };
    policy['DL-7'] = { amount: dl3 + extra7, unit, from: 'acceptance' };
    policy['DL-8'] = { amount: dl3 + extra7 + gap8, unit, from: 'acceptance' };
    policy['DL-1'] = { amount: dl1, unit: otherUnit, from: 'acceptance' };
    policy['DL-2'] = { amount: dl2, unit: otherUnit, from: 'distribution' };
    policy['DL-6'] = { amount: dl6, unit: otherUnit, from: 'scheduling' };
    return policy;
  });

/** Undefined (the step never happens) with weight `never` against 1 for a value. */
const maybe = <T>(arb: fc.Arbitrary<T>, never = 1) => fc.oneof({ arbitrary: fc.constant(undefined), weight: never }, { arbitrary: arb, weight: 1 });

const arbPlan = (today: IsoDate): fc.Arbitrary<Plan> =>
  fc.record({
    acceptedOn: fc.integer({ min: 0, max: 130 }).map((back) => addDays(today, -back)),
    distribute: maybe(fc.integer({ min: 0, max: 4 })),
    contact: maybe(fc.integer({ min: 0, max: 4 })),
    notScheduled: maybe(fc.integer({ min: 0, max: 3 }), 3),
    schedule: maybe(fc.record({ after: fc.integer({ min: 0, max: 30 }), sessionIn: fc.integer({ min: 0, max: 40 }) }), 1),
    summons: maybe(fc.integer({ min: 0, max: 2 })),
    reschedule: maybe(fc.record({ after: fc.integer({ min: 0, max: 20 }), sessionIn: fc.integer({ min: 0, max: 40 }) }), 1),
    rescheduleSummons: maybe(fc.integer({ min: 0, max: 2 })),
    hold: fc.boolean(),
    refuseToSign: fc.boolean(),
    moveSessionDate: maybe(
      fc.oneof(
        fc.integer({ min: 0, max: 90 }).map((by) => ({ by })),
        fc.integer({ min: -1, max: 1 }).map((aroundToday) => ({ aroundToday })),
      ),
      4,
    ),
  });

describe('property: the sweep does what the pure rules say, for any acceptance date, policy and day', () => {
  it('DL-5: day N closes exactly the cases with no session and no NS record, none earlier; DL-8, act. 10, act. 19 and DL-1/2/4/6 likewise', async () => {
    const arbToday = fc.integer({ min: 0, max: 900 }).map((offset) => addDays('2025-06-01', offset));
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        arbPolicy,
        arbToday.chain((today) => fc.tuple(fc.constant(today), fc.array(arbPlan(today), { minLength: 1, maxLength: 16 }))),
        async (policy, [today, plans]) => {
          await rolledBack(async (trx) => {
            const version = await storePolicy(trx, policy);
            const { outcomes } = await sweepAndCheck(trx, plans, today, policy, version);
            for (const outcome of outcomes) {
              seen.add(outcome.closure ?? 'open');
              for (const breach of outcome.breaches) seen.add(breach);
            }
          });
        },
      ),
      { numRuns: 50, seed: 20261123 },
    );
    // The generator reaches every outcome (a property that never closes anything proves little).
    expect([...seen].sort()).toEqual(['DL-1', 'DL-2', 'DL-4', 'DL-5', 'DL-6', 'DL-8', 'act. 10', 'act. 19', 'open'].sort());
  });

  it('DL-5: for every acceptance date and policy, the day before the closure day closes nothing and the closure day closes the case', async () => {
    await fc.assert(
      fc.asyncProperty(arbPolicy, fc.integer({ min: 0, max: 700 }), fc.boolean(), async (policy, offset, distributed) => {
        const acceptedOn = addDays('2025-02-01', offset);
        const closesOn = dl5ClosesOn(acceptedOn, policy, holidays);
        await rolledBack(async (trx) => {
          const version = await storePolicy(trx, policy);
          const plan: Plan = { acceptedOn, distribute: distributed ? 0 : undefined };
          const before = await sweepAndCheck(trx, [plan], addDays(closesOn, -1), policy, version);
          expect(before.outcomes[0]!.state).not.toBe('closed_dl5');
          const cases = before.cases;
          await sweep(trx, closesOn);
          const [after] = await expectRulesApplied(trx, cases, closesOn, policy, version);
          expect(after!.state).toBe('closed_dl5');
          expect(after!.explanation).toBe(explainDeadline('DL-5', closesOn, policy, version));
        });
      }),
      { numRuns: 15, seed: 32 },
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Explanations, idempotency, missed days, SLA flags
// ------------------------------------------------------------------------------------------------

describe('explainable afterwards: which rule, which policy version, which date (SPEC §5)', () => {
  it('DL-5 and DL-8: the event carries the rule, the policy version and explainDeadline’s text, built in SQL', async () => {
    await rolledBack(async (trx) => {
      const { outcomes } = await sweepAndCheck(
        trx,
        [
          { acceptedOn: D0, distribute: 1 },
          { acceptedOn: addDays(D0, -59), distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0 },
        ],
        DAY(32),
      );
      expect(outcomes.map((o) => o.explanation)).toEqual([
        `DL-5: cierre automático el día 32 desde la aceptación (23/11/2026) sin sesión agendada ni registro de no agendada — política v${defaultVersion}`,
        `DL-8: cierre automático el día 91 desde la aceptación (23/11/2026) sin sesión celebrada ni nueva fecha — política v${defaultVersion}`,
      ]);
    });
  });

  it('DL-5 in business days: the explanation names the business day and the version the case was accepted under', async () => {
    const policy = structuredClone(DEFAULT_DEADLINE_POLICY);
    for (const key of ['DL-3', 'DL-4', 'DL-5', 'DL-7', 'DL-8'] as const) policy[key] = { ...policy[key], unit: 'business', amount: { 'DL-3': 20, 'DL-4': 21, 'DL-5': 22, 'DL-7': 60, 'DL-8': 61 }[key] };
    await rolledBack(async (trx) => {
      const version = await storePolicy(trx, policy);
      const closesOn = dl5ClosesOn(D0, policy, holidays);
      const { outcomes } = await sweepAndCheck(trx, [{ acceptedOn: D0 }], closesOn, policy, version);
      expect(outcomes[0]!.explanation).toBe(
        `DL-5: cierre automático el día hábil 22 desde la aceptación (${closesOn.slice(8)}/${closesOn.slice(5, 7)}/${closesOn.slice(0, 4)}) sin sesión agendada ni registro de no agendada — política v${version}`,
      );
      // 16/11/2026 (third Monday of November) is a rest day (LFT art. 74): business day 22 is 24/11, not 23/11.
      expect(closesOn).toBe('2026-11-24');
    });
  });

  it('act. 10 and act. 19: the event says why and since when', async () => {
    await rolledBack(async (trx) => {
      const { outcomes } = await sweepAndCheck(
        trx,
        [
          { acceptedOn: D0, distribute: 1, notScheduled: 0 },
          { acceptedOn: addDays(D0, 18), distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, hold: true, refuseToSign: true },
        ],
        DAY(32),
      );
      expect(outcomes.map((o) => o.explanation)).toEqual([
        `act. 10: retiro de la etiqueta de mediación: no se logró agendar la sesión (NS-3, registrado el 22/11/2026); el plazo concluyó el día 32 desde la aceptación (23/11/2026, DL-5) — política v${defaultVersion}`,
        'act. 19: retiro de la etiqueta de mediación sin convenio: el acreditado se negó a firmar (NR-4, registrado el 23/11/2026)',
      ]);
    });
  });

  it('the sweep is recorded with its counts per rule and policy version, and in the audit trail', async () => {
    await rolledBack(async (trx) => {
      const { summary } = await sweepAndCheck(trx, [{ acceptedOn: D0 }, { acceptedOn: addDays(D0, -1), distribute: 0 }], DAY(32));
      expect(summary.closed['DL-5']).toBeGreaterThanOrEqual(2);
      expect(summary.byPolicyVersion).toContainEqual({ rule: 'DL-5', policyVersion: defaultVersion, cases: summary.closed['DL-5'] });
      const [recorded] = await findSweeps(trx, { limit: 1 });
      expect(recorded).toMatchObject({ id: summary.sweepId, sweptOn: DAY(32), closed: summary.closed, flagged: summary.flagged });
      const events = await trx.selectFrom('case_events').select(sql<number>`count(*)::int`.as('n')).where('sweep_id', '=', BigInt(summary.sweepId)).executeTakeFirstOrThrow();
      expect(events.n).toBe(summary.totalClosed);
      const audit = await trx.selectFrom('audit_events').select(['action', 'entity_type', 'entity_id', 'actor_role', 'after']).where('entity_type', '=', 'case_sweep').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ action: 'case_sweep.run', entity_id: String(summary.sweepId), actor_role: 'system' });
      expect(audit.after).toMatchObject({ sweptOn: DAY(32), closed: summary.closed, flagged: summary.flagged });
    });
  });
});

describe('plans (src/db/README.md: EXPLAIN batch statements)', () => {
  it('DL-5 and DL-8 read the partial indexes of migration 0003; acts. 10 and 19 the (agency, state) index', async () => {
    const plans = await explainSweep(database.db, DAY(32));
    expect(plans['DL-5']!.join('\n')).toContain('mediation_cases_dl5_idx');
    expect(plans['DL-8']!.join('\n')).toContain('mediation_cases_dl8_idx');
    expect(plans['act. 10 / act. 19']!.join('\n')).toContain('mediation_cases_agency_idx');
    expect(plans['DL-1, DL-2, DL-4, DL-6']!.join('\n')).not.toMatch(/Nested Loop Anti Join/);
  });
});

describe('idempotent (SPEC §5)', () => {
  async function snapshot(trx: Executor) {
    const cases = await trx.selectFrom('mediation_cases').selectAll().orderBy('id').execute();
    const events = await trx.selectFrom('case_events').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    const breaches = await trx.selectFrom('case_deadline_breaches').selectAll().orderBy('case_id').orderBy('rule').execute();
    return { cases, events: events.n, breaches };
  }

  it('running again the same day changes no case, event or flag', async () => {
    await rolledBack(async (trx) => {
      await sweepAndCheck(trx, [{ acceptedOn: D0 }, { acceptedOn: addDays(D0, -59), distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 } }, { acceptedOn: D0, distribute: 1, notScheduled: 0 }], DAY(32));
      const before = await snapshot(trx);
      const again = await sweep(trx, DAY(32));
      expect(again.totalClosed).toBe(0);
      expect(again.totalFlagged).toBe(0);
      expect(await snapshot(trx)).toEqual(before);
    });
  });

  it('after missed days the next sweep closes what became due meanwhile, dated the day it runs', async () => {
    await rolledBack(async (trx) => {
      const cases = await insertCases(trx, [{ acceptedOn: D0 }, { acceptedOn: addDays(D0, 2) }, { acceptedOn: addDays(D0, 6) }], DEFAULT_DEADLINE_POLICY, defaultVersion, DAY(37));
      await sweep(trx, DAY(31));
      const outcomes = await expectRulesApplied(trx, cases, DAY(31), DEFAULT_DEADLINE_POLICY, defaultVersion);
      expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted', 'accepted']);
      // Days 32–35 missed: the sweep of day 36 closes the cases whose day 32 fell on 32 and 34.
      await sweep(trx, DAY(36));
      const rows = await trx.selectFrom('mediation_cases').select(['state', 'closed_on']).where('id', 'in', cases.map((c) => c.id)).orderBy('id').execute();
      expect(rows).toEqual([
        { state: 'closed_dl5', closed_on: DAY(36) },
        { state: 'closed_dl5', closed_on: DAY(36) },
        { state: 'accepted', closed_on: null },
      ]);
    });
  });

  it('SLA breaches DL-1, DL-2, DL-4, DL-6 are flagged once, on the first sweep that sees them', async () => {
    await rolledBack(async (trx) => {
      const plans: Plan[] = [
        { acceptedOn: D0 }, // DL-1: not distributed by day 1 → flagged from day 2
        { acceptedOn: D0, distribute: 1 }, // DL-2: no first contact by day 2 → flagged from day 3
        { acceptedOn: D0, distribute: 1, contact: 0, schedule: { after: 3, sessionIn: 10 } }, // DL-6: no summons on day 4 → day 5
        { acceptedOn: D0, distribute: 1, contact: 0, schedule: { after: 3, sessionIn: 10 }, summons: 0 }, // summons the same day: nothing
        { acceptedOn: D0, distribute: 0, contact: 0, schedule: { after: 0, sessionIn: 10 }, summons: 0, reschedule: { after: 0, sessionIn: 12 }, rescheduleSummons: 1 }, // DL-6 of the new date: late
      ];
      const cases = await insertCases(trx, plans, DEFAULT_DEADLINE_POLICY, defaultVersion, DAY(5));
      await sweep(trx, DAY(1));
      await expectRulesApplied(trx, cases, DAY(1), DEFAULT_DEADLINE_POLICY, defaultVersion);
      await sweep(trx, DAY(5));
      const outcomes = await expectRulesApplied(trx, cases, DAY(5), DEFAULT_DEADLINE_POLICY, defaultVersion);
      expect(outcomes.map((o) => o.breaches)).toEqual([['DL-1'], ['DL-2'], ['DL-6'], [], ['DL-6']]);
      const dueOn = await trx.selectFrom('case_deadline_breaches').select(['rule', 'due_on', 'flagged_on']).where('case_id', 'in', cases.map((c) => c.id)).orderBy('case_id').execute();
      expect(dueOn).toEqual([
        { rule: 'DL-1', due_on: DAY(1), flagged_on: DAY(5) }, // not yet breached on day 1 (due that day)
        { rule: 'DL-2', due_on: DAY(2), flagged_on: DAY(5) },
        { rule: 'DL-6', due_on: DAY(4), flagged_on: DAY(5) },
        { rule: 'DL-6', due_on: DAY(0), flagged_on: DAY(1) }, // the new date's summons went out on day 1: late, seen on day 1
      ]);
      // DL-4 on day 32 for a case still contacting (closed by DL-5 the same sweep); nothing flagged twice.
      await sweep(trx, DAY(40));
      const again = await sweep(trx, DAY(41));
      expect(again.totalFlagged).toBe(0);
      const flagged = await trx.selectFrom('case_deadline_breaches').select(['case_id', 'rule', 'flagged_on']).where('case_id', 'in', cases.map((c) => c.id)).execute();
      expect(flagged.filter((f) => f.rule === 'DL-4').map((f) => f.flagged_on)).toEqual([DAY(40), DAY(40)]);
      expect(new Set(flagged.map((f) => `${f.case_id}${f.rule}`)).size).toBe(flagged.length);
    });
  });

  it('DL-6: a session rescheduled the day it was scheduled, whose first summons never went out, is flagged for the first date', async () => {
    await rolledBack(async (trx) => {
      const { outcomes } = await sweepAndCheck(
        trx,
        [
          { acceptedOn: D0, distribute: 1, contact: 0, schedule: { after: 3, sessionIn: 10 }, reschedule: { after: 0, sessionIn: 12 }, rescheduleSummons: 0 },
          { acceptedOn: D0, distribute: 1, contact: 0, schedule: { after: 3, sessionIn: 10 }, summons: 0, reschedule: { after: 0, sessionIn: 12 }, rescheduleSummons: 0 },
        ],
        DAY(5),
      );
      expect(outcomes.map((o) => o.breaches)).toEqual([['DL-6'], []]);
      const breach = await trx.selectFrom('case_deadline_breaches').select('due_on').where('case_id', '=', outcomes[0]!.id).executeTakeFirstOrThrow();
      expect(breach.due_on).toBe(DAY(4));
    });
  });

  it('DL-6 in business days: a rescheduled case whose first summons was never sent is flagged for the first date', async () => {
    const policy = structuredClone(DEFAULT_DEADLINE_POLICY);
    policy['DL-6'] = { amount: 1, unit: 'business', from: 'scheduling' };
    await rolledBack(async (trx) => {
      const version = await storePolicy(trx, policy);
      // Scheduled Friday 30/10/2026 (due Monday 2/11), rescheduled the same day, new summons sent on time.
      const acceptedOn = '2026-10-28';
      const { outcomes } = await sweepAndCheck(
        trx,
        [{ acceptedOn, distribute: 0, contact: 0, schedule: { after: 2, sessionIn: 10 }, reschedule: { after: 0, sessionIn: 12 }, rescheduleSummons: 0 }],
        '2026-11-03',
        policy,
        version,
      );
      expect(outcomes[0]!.breaches).toEqual(['DL-6']);
      const breach = await trx.selectFrom('case_deadline_breaches').select('due_on').where('case_id', '=', outcomes[0]!.id).executeTakeFirstOrThrow();
      expect(breach.due_on).toBe('2026-11-02');
    });
  });
});

// ------------------------------------------------------------------------------------------------
// The same closure through the case service (operations closing by hand) and through the sweep
// ------------------------------------------------------------------------------------------------

describe('the sweep stores what the case service stores for the same closure', () => {
  async function operationsUser(trx: Executor): Promise<AuthUser> {
    const row = await trx.selectFrom('users').selectAll().where('role', '=', 'operations').orderBy('id').executeTakeFirstOrThrow();
    return {
      id: row.id,
      username: row.username,
      fullName: row.full_name,
      role: row.role,
      scope: scopeOf({ id: row.id, role: row.role, delegationId: row.delegation_id, agencyId: row.agency_id, mediatorId: row.mediator_id, representativeId: row.representative_id, creditNumber: row.credit_number }),
    };
  }

  it.each<[SweepClosureRule, CaseAction, Plan]>([
    ['DL-5', 'close_by_dl5', { acceptedOn: D0, distribute: 1, contact: 1 }],
    ['DL-8', 'close_by_dl8', { acceptedOn: addDays(D0, -59), distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0 }],
    ['act. 10', 'close_not_scheduled', { acceptedOn: D0, distribute: 1, contact: 1, notScheduled: 0 }],
    ['act. 19', 'close_without_agreement', { acceptedOn: addDays(D0, 10), distribute: 1, contact: 1, schedule: { after: 2, sessionIn: 10 }, summons: 0, hold: true, refuseToSign: true }],
  ])('%s: same state, version, facts, closure and event as %s by the service', async (_rule, action, plan) => {
    const today = DAY(32);
    const read = async (trx: Executor, id: number) => ({
      row: await trx.selectFrom('mediation_cases').select(['state', 'version', 'facts', 'closed_on', 'closure_rule']).where('id', '=', id).executeTakeFirstOrThrow(),
      event: await trx
        .selectFrom('case_events')
        .select(['version', 'action', 'activity', 'from_state', 'to_state', 'on_date', 'round', 'data', 'closure_rule', 'policy_version', 'explanation'])
        .where('case_id', '=', id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow(),
    });
    const byService = await rolledBack(async (trx) => {
      const [inserted] = await insertCases(trx, [plan], DEFAULT_DEADLINE_POLICY, defaultVersion, today);
      await applyCaseAction(trx, await operationsUser(trx), { caseId: inserted!.id, action, version: inserted!.version, input: {} as never, today, now: NOW });
      return read(trx, inserted!.id);
    });
    const bySweep = await rolledBack(async (trx) => {
      const [inserted] = await insertCases(trx, [plan], DEFAULT_DEADLINE_POLICY, defaultVersion, today);
      await sweep(trx, today);
      return read(trx, inserted!.id);
    });
    expect(bySweep.row).toEqual(byService.row);
    // The service records no explanation for the tag removals (acts. 10 and 19); the sweep says why.
    const { explanation: sweepExplanation, policy_version: sweepVersion, ...sweepEvent } = bySweep.event;
    const { explanation: serviceExplanation, policy_version: serviceVersion, ...serviceEvent } = byService.event;
    expect(sweepEvent).toEqual(serviceEvent);
    if (action === 'close_by_dl5' || action === 'close_by_dl8') {
      expect(sweepExplanation).toBe(serviceExplanation);
      expect(sweepVersion).toBe(serviceVersion);
    } else {
      expect(sweepExplanation).toMatch(/^act\. 1[09]: retiro de la etiqueta/);
    }
  });
});

// ------------------------------------------------------------------------------------------------
// HTTP: POST /api/sweeps (operations, mediation_office), GET /api/sweeps (and the auditor)
// ------------------------------------------------------------------------------------------------

describe('API /api/sweeps: who may run and read the sweep', () => {
  let app: App;
  const callers = new Map<string, Caller>();
  /** One login per user (argon2id is slow on purpose). */
  const as = async (username: string): Promise<Caller> => {
    let caller = callers.get(username);
    if (!caller) {
      caller = await login(app, username);
      callers.set(username, caller);
    }
    return caller;
  };

  beforeAll(async () => {
    app = await buildTestServer(database, fixedClock(TEST_TODAY));
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['operacion', 'POST', 201],
    ['gmc', 'POST', 201],
    ['mediador.as01.1', 'POST', 403],
    ['agencia.as01', 'POST', 403],
    ['auditor', 'POST', 403],
    ['auditor', 'GET', 200],
    ['operacion', 'GET', 200],
    ['gerente.cdmx', 'GET', 403],
    ['mediador.as01.1', 'GET', 403],
  ] as const)('%s %s /api/sweeps → %i', async (username, method, status) => {
    const caller = await as(username);
    const response = await app.inject({ method, url: '/api/sweeps', headers: caller.headers });
    expect(response.statusCode, response.body).toBe(status);
  });

  it('POST runs today’s sweep once: the second run closes and flags nothing; GET lists both, newest first', async () => {
    const caller = await as('operacion');
    const first = await app.inject({ method: 'POST', url: '/api/sweeps', headers: caller.headers });
    expect(first.statusCode).toBe(201);
    const summary = first.json() as SweepSummary;
    expect(summary).toMatchObject({ sweptOn: TEST_TODAY, totalClosed: 0, totalFlagged: 0, actor: { role: 'operations' } });
    const list = await app.inject({ method: 'GET', url: '/api/sweeps?limit=2', headers: caller.headers });
    expect(list.statusCode).toBe(200);
    const sweeps = list.json() as Array<SweepSummary & { id: number }>;
    expect(sweeps).toHaveLength(2);
    expect(sweeps[0]!.id).toBe(summary.sweepId);
    expect(sweeps[0]!.id).toBeGreaterThan(sweeps[1]!.id);
  });

  it('unauthenticated callers are refused', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/sweeps' });
    expect(response.statusCode).toBe(401);
  });
});
