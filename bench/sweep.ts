/**
 * SPEC §5: the daily sweep over 1,000,000 open mediation cases, on PostgreSQL and on PGlite; side
 * by side, at 100,000 cases on PostgreSQL, the common alternative: one scheduled job per case
 * deadline in pg-boss 10.4 (time to schedule the jobs, time for a worker to close the due cases).
 *
 * The cases are generated set-based (INSERT … SELECT generate_series), with acceptance dates
 * spread over 120 days before the benchmark day and states consistent with each case's day, as a
 * portfolio swept every day looks: only the cases reaching day 32 or day 91 today are due, plus the
 * tag removals (acts. 10 and 19). Figures, per engine:
 * - first sweep: closes the day's cases and flags every SLA breach of the generated history;
 * - re-run of the same day (idempotent: nothing changes);
 * - next day's sweep: the steady state, what the server does at 00:10 every day (target ≤ 3 s for
 *   1M cases on PostgreSQL);
 * - the sweep after a missed week.
 * Between two sweeps the tables are vacuumed and analysed and a checkpoint is taken, as the day
 * between two runs would do (autovacuum, the checkpointer); that time is not counted.
 * Sizes: `SWEEP_CASES` (default 1000000), `SWEEP_PGBOSS_CASES` (default 100000).
 */
import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import { addDays, fixedClock, type IsoDate } from '../src/clock.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { SYSTEM_ACTOR } from '../src/modules/audit/audit.service.js';
import { DEFAULT_DEADLINE_POLICY, explainDeadline } from '../src/modules/deadlines/deadlines.rules.js';
import { explainSweep, sweepCases, type SweepSummary } from '../src/modules/mediation/sweep.service.js';
import { seedDefaultPolicies } from '../src/modules/policy/policy.service.js';
import { seedReferenceData } from '../src/modules/portfolio/demo.service.js';
import { BENCH_AS_OF } from './credit-file.js';
import { createScratchDatabase, formatCount, measure, MB, type BenchOptions, type BenchResult, type Figure } from './harness.js';

export const name = 'sweep';
export const description = 'SPEC §5: daily sweep of 1M open cases (DL-5, DL-8, acts. 10/19, SLA flags), PostgreSQL and PGlite, vs one pg-boss job per case deadline at 100k';

const TODAY: IsoDate = BENCH_AS_OF;
const DAY_AFTER: IsoDate = addDays(TODAY, 1);
const SPREAD_DAYS = 120;

// ------------------------------------------------------------------------------------------------
// Data: credits and cases, set-based
// ------------------------------------------------------------------------------------------------

interface Reference {
  policyVersion: number;
  delegations: number[];
  mediatorIds: number[];
  mediatorAgencies: number[];
  representatives: number[];
}

/** Migrations, reference data (delegations, agencies, mediators, representatives) and the default policies. */
async function prepareReference(database: Database, cases: number): Promise<Reference> {
  const db = database.db;
  await migrate(db);
  const clock = fixedClock(TODAY);
  await db.transaction().execute(async (trx) => {
    await seedReferenceData(trx, { seed: 2026, today: TODAY, expectedCredits: cases });
    await seedDefaultPolicies(trx, clock.now(), '2025-01-01');
  });
  const policy = await db.selectFrom('policy_versions').select('version').where('policy_key', '=', 'deadlines').executeTakeFirstOrThrow();
  const mediators = await db.selectFrom('mediators').select(['id', 'agency_id']).where('active', '=', true).orderBy('id').execute();
  return {
    policyVersion: policy.version,
    delegations: (await db.selectFrom('delegations').select('id').orderBy('id').execute()).map((row) => row.id),
    mediatorIds: mediators.map((m) => m.id),
    mediatorAgencies: mediators.map((m) => m.agency_id),
    representatives: (await db.selectFrom('representatives').select('id').orderBy('id').execute()).map((row) => row.id),
  };
}

/** Credits (when asked) and cases 1…n, in batches of 250,000, then ANALYZE. */
async function generate(database: Database, cases: number, reference: Reference, options: { credits: boolean; log: (m: string) => void }): Promise<void> {
  const batch = 250_000;
  for (let from = 1; from <= cases; from += batch) {
    const to = Math.min(cases, from + batch - 1);
    await database.db.transaction().execute(async (trx) => {
      if (options.credits) await insertSyntheticCredits(trx, from, to, reference.delegations);
      await insertCases(trx, from, to, reference);
    });
    options.log(`  generated ${formatCount(to)} / ${formatCount(cases)} cases`);
  }
  await sql`ANALYZE`.execute(database.db);
}

export async function prepare(database: Database, cases: number, log: (m: string) => void): Promise<Reference> {
  const reference = await prepareReference(database, cases);
  await generate(database, cases, reference, { credits: true, log });
  return reference;
}

/** Synthetic credits from..to (credit number = i, zero-padded), spread over the delegaciones; the other benchmarks reuse them. */
export async function insertSyntheticCredits(trx: Database['db'], from: number, to: number, delegations: number[]): Promise<void> {
  await sql`
    INSERT INTO credits (credit_number, borrower_name, borrower_nss, borrower_curp, borrower_rfc, borrower_birth_date,
                         address_street, address_settlement, address_municipality, address_postal_code, delegation_id, segment,
                         denomination, original_amount_cents, balance_cents, monthly_payment_cents, payment_factor,
                         interest_rate_bp, term_months, regime, months_in_arrears, origination_date)
    SELECT lpad(i::text, 10, '0'), 'Acreditado ' || i, lpad(i::text, 11, '0'), 'BECR' || lpad(i::text, 14, '0'), 'BECR' || lpad(i::text, 9, '0'),
           date '1970-01-01' + (i % 12000)::int, 'Calle ' || (i % 500), 'Centro', 'Municipio', lpad((10000 + i % 89999)::text, 5, '0'),
           (${delegations}::smallint[])[1 + (i % ${delegations.length})::int], 'cobranza_administrativa', 'MXN',
           50000000, 30000000 + (i % 1000) * 100, 450000, 1.0, 1200, 360, 'ROA', 6, date '2010-01-01' + (i % 3000)::int
    FROM generate_series(${from}::bigint, ${to}::bigint) AS i`.execute(trx);
}

/**
 * One case per credit, open, in a state consistent with its day `a` (0…119, acceptance = today − a)
 * under the default policy (calendar days: DL-1 1, DL-2 1, DL-4 31, DL-5 32, DL-6 0, DL-8 91):
 * - a ≤ 32: accepted, distributed, contacting or (from day 4) scheduled; on days 31–32, 10 % NS;
 * - 33 ≤ a ≤ 91: scheduled (45 %), rescheduled (10 %) or a session held (45 %);
 * - a ≥ 92: a session held, waiting for the convenio, or (1 %) the borrower refused to sign.
 * Some steps are late (a distribution on day 2, a first contact two days after, a summons a day late
 * or never sent) so that the SLA breaches DL-1, DL-2, DL-6 exist; facts carry the keys `evolve`
 * writes, so rows are as wide as real ones.
 */
async function insertCases(trx: Database['db'], from: number, to: number, input: Reference): Promise<void> {
  const m = input.mediatorIds.length;
  const now = fixedClock(TODAY).now();
  await sql`
    INSERT INTO mediation_cases (credit_number, round, entry, month, convenio_type, delegation_id, agency_id, mediator_id, representative_id,
                                 state, version, opened_on, accepted_on, distributed_on, first_contact_on, scheduled_on, session_date,
                                 summons_sent_on, not_scheduled_on, session_held_on, deadline_policy_version, dl1_due_on, dl2_due_on,
                                 dl4_due_on, dl5_closes_on, dl6_due_on, dl8_closes_on, facts, privacy_notice_shown_on, contact_mobile,
                                 contact_captured_on, created_at, updated_at)
    SELECT t.credit_number, 1, 'monthly', to_char(t.accepted_on, 'YYYY-MM'), 'RATIFIED', t.delegation_id, t.agency_id,
           CASE WHEN t.state <> 'accepted' THEN t.mediator_id END, t.representative_id,
           t.state, 5, t.accepted_on, t.accepted_on, t.distributed_on, t.first_contact_on, t.scheduled_on, t.session_date,
           t.summons_sent_on, t.not_scheduled_on, t.session_held_on, ${input.policyVersion}, t.accepted_on + 1, t.distributed_on + 1,
           t.accepted_on + 31, t.accepted_on + 32, coalesce(t.rescheduled_on, t.scheduled_on), t.accepted_on + 91,
           jsonb_strip_nulls(jsonb_build_object(
             'state', t.state, 'round', 1, 'entry', 'monthly', 'convenioType', 'RATIFIED', 'agencyId', t.agency_id,
             'delegationId', t.delegation_id, 'offeredOn', t.accepted_on::text, 'acceptedOn', t.accepted_on::text,
             'privacyNoticeShownOn', t.accepted_on::text, 'contactDataCapturedOn', t.accepted_on::text,
             'representative', jsonb_build_object('id', t.representative_id, 'hasLegalPowers', true),
             'mediatorId', CASE WHEN t.state <> 'accepted' THEN t.mediator_id END,
             'mediatorKind', CASE WHEN t.state <> 'accepted' THEN 'cja_certified' END,
             'appLicenceNumber', CASE WHEN t.state <> 'accepted' THEN 'GM-' || lpad(t.mediator_id::text, 4, '0') END,
             'distributedOn', t.distributed_on::text, 'firstContactOn', t.first_contact_on::text,
             'contactAttempts', CASE WHEN t.first_contact_on IS NULL THEN 0 ELSE 1 END,
             'scheduledOn', t.scheduled_on::text, 'sessionDate', t.session_date::text, 'summonsSentOn', t.summons_sent_on::text,
             'rescheduledOn', t.rescheduled_on::text, 'rescheduleSummonsSentOn', t.rescheduled_on::text,
             'rescheduleCount', CASE WHEN t.rescheduled_on IS NULL THEN 0 ELSE 1 END,
             'notScheduledRecordedOn', t.not_scheduled_on::text, 'notScheduledCause', CASE WHEN t.not_scheduled_on IS NOT NULL THEN 'NS-1' END,
             'sessionHeldOn', t.session_held_on::text, 'lastSessionOn', t.session_held_on::text,
             'lastSessionPrivacyNoticeAtStart', CASE WHEN t.session_held_on IS NOT NULL THEN true END,
             'sessionsHeld', CASE WHEN t.session_held_on IS NULL THEN 0 ELSE 1 END,
             'refusedToSignOn', t.refused_to_sign_on::text, 'refusalToSignCause', CASE WHEN t.refused_to_sign_on IS NOT NULL THEN 'NR-1' END
           )),
           t.accepted_on, '55' || lpad((t.i % 100000000)::text, 8, '0'), t.accepted_on, ${now}, ${now}
    FROM (
      SELECT s.*,
             CASE WHEN s.state <> 'accepted' THEN s.accepted_on + least(s.a, s.distribution_day) END AS distributed_on,
             CASE WHEN s.state NOT IN ('accepted', 'distributed')
                  THEN s.accepted_on + least(s.a, s.distribution_day + s.contact_delay) END AS first_contact_on,
             CASE WHEN s.scheduled_day IS NOT NULL THEN s.accepted_on + s.scheduled_day END AS scheduled_on,
             CASE WHEN s.state = 'rescheduled' THEN s.accepted_on + s.scheduled_day + 7 END AS rescheduled_on,
             CASE
               WHEN s.state = 'rescheduled' THEN s.accepted_on + s.scheduled_day + 17 + s.r2 % 30
               WHEN s.state IN ('session_held', 'refused_to_sign') THEN s.accepted_on + s.scheduled_day + 7
               WHEN s.scheduled_day IS NOT NULL THEN s.accepted_on + s.scheduled_day + 7 + s.r2 % 30
             END AS session_date,
             CASE WHEN s.scheduled_day IS NULL OR s.r2 % 13 = 0 THEN NULL
                  WHEN s.r2 % 13 = 1 THEN s.accepted_on + s.scheduled_day + 1
                  ELSE s.accepted_on + s.scheduled_day END AS summons_sent_on,
             CASE WHEN s.state = 'not_scheduled' THEN s.accepted_on + 31 END AS not_scheduled_on,
             CASE WHEN s.state IN ('session_held', 'refused_to_sign') THEN s.accepted_on + s.scheduled_day + 7 END AS session_held_on,
             CASE WHEN s.state = 'refused_to_sign' THEN ${TODAY}::date - 1 END AS refused_to_sign_on
      FROM (
        SELECT g.*, ${TODAY}::date - g.a AS accepted_on,
               CASE WHEN g.r2 % 10 < 8 THEN 1 ELSE 2 END AS distribution_day,
               CASE WHEN g.r2 % 7 = 0 THEN 2 ELSE 1 END AS contact_delay,
               CASE WHEN g.state IN ('scheduled', 'rescheduled', 'session_held', 'refused_to_sign') THEN least(g.a, 4 + g.r2 % 20) END AS scheduled_day
        FROM (
          SELECT r.*,
                 lpad(r.i::text, 10, '0') AS credit_number,
                 (${input.delegations}::smallint[])[1 + (r.i % ${input.delegations.length})::int] AS delegation_id,
                 (${input.mediatorIds}::int[])[1 + (r.i % ${m})::int] AS mediator_id,
                 (${input.mediatorAgencies}::int[])[1 + (r.i % ${m})::int] AS agency_id,
                 (${input.representatives}::int[])[1 + (r.i % ${input.representatives.length})::int] AS representative_id,
                 CASE
                   WHEN r.a = 0 THEN CASE WHEN r.r1 < 600 THEN 'accepted' ELSE 'distributed' END
                   WHEN r.a <= 32 THEN CASE
                     WHEN r.r1 < 100 AND r.a >= 31 THEN 'not_scheduled'
                     WHEN r.r1 < 100 THEN 'contacting'
                     WHEN r.r1 < 550 AND r.a >= 4 THEN 'scheduled'
                     WHEN r.r1 < 550 THEN 'contacting'
                     WHEN r.r1 < 620 THEN 'accepted'
                     WHEN r.r1 < 700 THEN 'distributed'
                     ELSE 'contacting' END
                   WHEN r.a <= 91 THEN CASE WHEN r.r1 < 450 THEN 'scheduled' WHEN r.r1 < 550 THEN 'rescheduled' ELSE 'session_held' END
                   ELSE CASE WHEN r.r1 < 10 THEN 'refused_to_sign' ELSE 'session_held' END
                 END AS state
          FROM (
            SELECT i, (i % ${SPREAD_DAYS})::int AS a, ((i * 7919) % 1000)::int AS r1, ((i * 104729) % 1000)::int AS r2
            FROM generate_series(${from}::bigint, ${to}::bigint) AS i
          ) r
        ) g
      ) s
    ) t`.execute(trx);
}

// ------------------------------------------------------------------------------------------------
// The sweep scenario
// ------------------------------------------------------------------------------------------------

function sweepOn(database: Database, today: IsoDate): Promise<SweepSummary> {
  return sweepCases(database.db, { today, now: fixedClock(today).now(), actor: SYSTEM_ACTOR });
}

/**
 * What happens between two daily sweeps and is not the sweep's cost: autovacuum has analysed the
 * tables the previous run wrote, and a checkpoint has written its pages (the generator and the
 * first sweep write about 1 GB, whose checkpoint would otherwise land inside the next timing).
 */
async function betweenDays(database: Database): Promise<void> {
  await sql`VACUUM (ANALYZE) mediation_cases, case_events, case_deadline_breaches`.execute(database.db);
  await sql`CHECKPOINT`.execute(database.db);
}

class RolledBack extends Error {
  constructor(readonly summary: SweepSummary) {
    super('rolled back');
  }
}

/** The sweep of `today` in a transaction that is then rolled back: timed, leaving the data as it was. */
async function sweepRolledBack(database: Database, today: IsoDate): Promise<SweepSummary> {
  try {
    await database.db.transaction().execute(async (trx) => {
      throw new RolledBack(await sweepCases(trx, { today, now: fixedClock(today).now(), actor: SYSTEM_ACTOR }));
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.summary;
    throw error;
  }
  throw new Error('unreachable');
}

const counts = (summary: SweepSummary) =>
  `closed ${formatCount(summary.totalClosed)} (DL-5 ${formatCount(summary.closed['DL-5'])}, DL-8 ${formatCount(summary.closed['DL-8'])}, ` +
  `act. 10 ${formatCount(summary.closed['act. 10'])}, act. 19 ${formatCount(summary.closed['act. 19'])}), flagged ${formatCount(summary.totalFlagged)}`;

interface SweepFigures {
  first: number;
  rerun: number;
  daily: number;
  week: number;
  summaries: Record<string, SweepSummary>;
  plans: Record<string, string[]>;
}

async function sweepScenario(engine: string, database: Database, cases: number, options: BenchOptions, figures: Figure[]): Promise<SweepFigures> {
  const label = `${engine} ${formatCount(cases)}`;
  const generated = await measure(() => prepare(database, cases, options.log));
  figures.push({ label: `${label}: generate credits and open cases (set-based, not the sweep)`, value: generated.seconds, unit: 's' });
  const summaries: Record<string, SweepSummary> = {};
  const step = async (key: string, title: string, day: IsoDate) => {
    await betweenDays(database);
    const run = await measure(() => sweepOn(database, day));
    summaries[key] = run.result;
    options.log(`  ${label} ${title}: ${run.seconds.toFixed(2)} s — ${counts(run.result)}`);
    figures.push({ label: `${label}: ${title}`, value: run.seconds, unit: 's', peakRss: run.peakRss });
    return run.seconds;
  };
  const first = await step('first', `first sweep ${TODAY} (flags the whole history's SLA breaches)`, TODAY);
  const plans = await explainSweep(database.db, DAY_AFTER);
  const rerun = await step('rerun', 're-run of the same day (idempotent: nothing to do)', TODAY);
  const daily = await step('daily', `daily sweep ${DAY_AFTER} (steady state)`, DAY_AFTER);
  const week = await step('week', `sweep ${addDays(TODAY, 8)} after 6 missed days`, addDays(TODAY, 8));
  return { first, rerun, daily, week, summaries, plans };
}

// ------------------------------------------------------------------------------------------------
// The alternative: one pg-boss job per case deadline
// ------------------------------------------------------------------------------------------------

const QUEUE = 'case-deadline';

interface DeadlineJob {
  caseId: number;
  /** The closure the job applies when it runs. */
  rule: 'DL-5' | 'DL-8' | 'act. 19';
}

/**
 * The job a case service would create for each closure deadline of a case, when its anchor is
 * recorded: DL-5 (or, after an NS record, act. 10) on day 32, DL-8 on day 91 once scheduled, the
 * act. 19 removal once the borrower refused to sign. startAfter maps the benchmark day to the
 * database clock (due = before now).
 */
async function jobsOf(database: Database, day: IsoDate): Promise<PgBoss.JobInsert<DeadlineJob>[]> {
  const rows = await sql<{ id: number; rule: DeadlineJob['rule']; days: number }>`
    SELECT id, 'DL-5' AS rule, dl5_closes_on - ${day}::date AS days FROM mediation_cases WHERE state IN ('accepted', 'distributed', 'contacting', 'not_scheduled')
    UNION ALL
    SELECT id, 'DL-8', dl8_closes_on - ${day}::date FROM mediation_cases WHERE state IN ('scheduled', 'rescheduled')
    UNION ALL
    SELECT id, 'act. 19', 0 FROM mediation_cases WHERE state = 'refused_to_sign'`.execute(database.db);
  const base = Date.now();
  return rows.rows.map((row) => ({
    name: QUEUE,
    data: { caseId: row.id, rule: row.rule },
    // Due jobs (today or before) start a minute ago; the others at their day.
    startAfter: new Date(row.days <= 0 ? base - 60_000 : base + row.days * 86_400_000),
  }));
}

/**
 * What a job handler does for one case, in its own transaction: lock the case, re-check the rule
 * (the case may have moved on since the job was scheduled), close it and append its event. Less
 * than the case service would do (no policy look-up, no audit event), so a lower bound.
 */
async function closeOneCase(database: Database, job: DeadlineJob, today: IsoDate, now: Date, policyVersion: number): Promise<boolean> {
  return database.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('mediation_cases')
      .select(['id', 'state', 'version', 'round', 'facts', 'scheduled_on', 'not_scheduled_on', 'session_held_on', 'session_date', 'dl5_closes_on', 'dl8_closes_on'])
      .where('id', '=', job.caseId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return false;
    let rule: 'DL-5' | 'DL-8' | 'act. 10' | 'act. 19' | undefined;
    if (job.rule === 'DL-5' && ['accepted', 'distributed', 'contacting'].includes(row.state) && row.scheduled_on === null && row.not_scheduled_on === null && row.dl5_closes_on! <= today) rule = 'DL-5';
    else if (job.rule === 'DL-5' && row.state === 'not_scheduled' && row.dl5_closes_on! <= today) rule = 'act. 10';
    else if (job.rule === 'DL-8' && ['scheduled', 'rescheduled'].includes(row.state) && row.session_held_on === null && (row.session_date === null || row.session_date < today) && row.dl8_closes_on! <= today) rule = 'DL-8';
    else if (job.rule === 'act. 19' && row.state === 'refused_to_sign') rule = 'act. 19';
    if (!rule) return false;
    const to = { 'DL-5': 'closed_dl5', 'DL-8': 'closed_dl8', 'act. 10': 'closed_not_scheduled', 'act. 19': 'closed_no_agreement' }[rule] as 'closed_dl5';
    const action = { 'DL-5': 'close_by_dl5', 'DL-8': 'close_by_dl8', 'act. 10': 'close_not_scheduled', 'act. 19': 'close_without_agreement' }[rule];
    const activity = { 'DL-5': 'act. 10', 'DL-8': 'act. 15', 'act. 10': 'act. 10', 'act. 19': 'act. 19' }[rule];
    const explanation =
      rule === 'DL-5' ? explainDeadline('DL-5', row.dl5_closes_on!, DEFAULT_DEADLINE_POLICY, policyVersion) : rule === 'DL-8' ? explainDeadline('DL-8', row.dl8_closes_on!, DEFAULT_DEADLINE_POLICY, policyVersion) : null;
    const facts = { ...(row.facts as object), state: to, closedOn: today, closureRule: rule };
    await trx
      .updateTable('mediation_cases')
      .set({ state: to, version: row.version + 1, closed_on: today, closure_rule: rule, facts: JSON.stringify(facts), updated_at: now })
      .where('id', '=', row.id)
      .execute();
    await trx
      .insertInto('case_events')
      .values({
        case_id: row.id,
        version: row.version + 1,
        action,
        activity,
        from_state: row.state,
        to_state: to,
        on_date: today,
        round: row.round,
        actor_role: 'system',
        actor_user_id: null,
        data: JSON.stringify({}),
        closure_rule: rule,
        policy_version: rule === 'act. 19' ? null : policyVersion,
        explanation,
        recorded_at: now,
      })
      .execute();
    return true;
  });
}

async function pgBossScenario(url: string, cases: number, options: BenchOptions, figures: Figure[], ratios: Figure[], details: Record<string, unknown>): Promise<void> {
  const label = `postgresql ${formatCount(cases)}`;
  const database = await openDatabase({ databaseUrl: url, maxConnections: 8 });
  try {
    const { policyVersion } = await prepare(database, cases, options.log);
    // Yesterday's work done (the generated history's SLA flags and the day's closures), so that
    // both sides then face one ordinary day: the jobs due and the sweep of ${DAY_AFTER}.
    await sweepOn(database, TODAY);
    await betweenDays(database);
    const sweep = await measure(() => sweepRolledBack(database, DAY_AFTER));
    figures.push({ label: `${label}: daily sweep ${DAY_AFTER} (one transaction, set-based; closures and SLA flags)`, value: sweep.seconds, unit: 's' });

    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 8, supervise: false, schedule: false });
    boss.on('error', (error: Error) => options.log(`  pg-boss error: ${error.message}`));
    try {
      await boss.start();
      await boss.createQueue(QUEUE);
      const jobs = await jobsOf(database, DAY_AFTER);
      options.log(`  pg-boss: ${formatCount(jobs.length)} deadline jobs for ${formatCount(cases)} cases`);
      const sample = jobs.slice(0, Math.min(10_000, jobs.length));
      const sent = await measure(async () => {
        for (const job of sample) await boss.send(QUEUE, job.data!, { startAfter: job.startAfter! });
      });
      figures.push({ label: `${label}: pg-boss send(), one call per job (${formatCount(sample.length)} jobs)`, value: sent.seconds, unit: 's' });
      await sql`DELETE FROM pgboss.job`.execute(database.db);
      const inserted = await measure(async () => {
        for (let i = 0; i < jobs.length; i += 1000) await boss.insert(jobs.slice(i, i + 1000));
      });
      figures.push({ label: `${label}: pg-boss insert() of ${formatCount(jobs.length)} deadline jobs (batches of 1,000)`, value: inserted.seconds, unit: 's' });
      figures.push({ label: `${label}: pg-boss send() extrapolated to the ${formatCount(jobs.length)} jobs`, value: (sent.seconds * jobs.length) / sample.length, unit: 's' });
      const due = jobs.filter((job) => new Date(job.startAfter!).getTime() <= Date.now()).length;
      const now = fixedClock(DAY_AFTER).now();
      let closed = 0;
      let processed = 0;
      let finish!: () => void;
      const allDone = new Promise<void>((resolve) => (finish = resolve));
      const processing = await measure(async () => {
        // pg-boss at its fastest: the shortest polling interval it accepts and large batches (a worker
        // waits for the interval between fetches), each batch's cases closed 8 at a time.
        await boss.work<DeadlineJob>(QUEUE, { batchSize: 1000, pollingIntervalSeconds: 0.5 }, async (batch) => {
          const results = await Promise.all(batch.map((job) => closeOneCase(database, job.data, DAY_AFTER, now, policyVersion)));
          closed += results.filter(Boolean).length;
          processed += batch.length;
          if (processed >= due) finish();
        });
        await allDone;
        // The last batch's completion is written after the handler returns: wait until pg-boss recorded it.
        for (;;) {
          const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = ${QUEUE} AND state IN ('created', 'retry', 'active') AND start_after <= now()`.execute(database.db);
          if (left.rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      options.log(`  pg-boss worker: ${formatCount(processed)} jobs processed, ${formatCount(closed)} cases closed in ${processing.seconds.toFixed(2)} s`);
      figures.push({ label: `${label}: pg-boss worker: ${formatCount(due)} due jobs fetched, each case closed in its own transaction`, value: processing.seconds, unit: 's' });
      ratios.push({ label: `${label}: pg-boss worker (closures only) / daily sweep (closures and SLA flags)`, value: processing.seconds / sweep.seconds, unit: 'ratio' });
      ratios.push({ label: `${label}: pg-boss scheduling (bulk insert) / sweep`, value: inserted.seconds / sweep.seconds, unit: 'ratio' });
      // pg-boss 10 partitions its job table by queue.
      const size = await sql<{ bytes: string }>`
        SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0)::text AS bytes FROM pg_inherits WHERE inhparent = 'pgboss.job'::regclass`.execute(database.db);
      figures.push({ label: `${label}: pg-boss job table size`, value: Number(size.rows[0]!.bytes) / MB, unit: 'MB' });
      details.pgBoss = { cases, day: DAY_AFTER, jobs: jobs.length, due, closedByJobs: closed, sweepClosed: sweep.result.totalClosed, sweepClosedByRule: sweep.result.closed, sweepFlagged: sweep.result.flagged };
      if (closed !== sweep.result.totalClosed) {
        throw new Error(`pg-boss jobs closed ${closed} cases but the sweep closed ${sweep.result.totalClosed}`);
      }
    } catch (error) {
      options.log(`  pg-boss scenario failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      await boss.stop({ graceful: false, close: true, wait: true, timeout: 5_000 });
    }
  } finally {
    await database.close();
  }
}

// ------------------------------------------------------------------------------------------------

function usesIndex(plan: string[], index: string): boolean {
  return plan.some((line) => line.includes(index));
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const cases = Number(process.env.SWEEP_CASES ?? 1_000_000);
  const bossCases = Number(process.env.SWEEP_PGBOSS_CASES ?? 100_000);
  const figures: Figure[] = [];
  const ratios: Figure[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  let serverDaily: number | undefined;

  const server = await createScratchDatabase(options, `${name}_${cases}`);
  if (server) {
    const database = await openDatabase({ databaseUrl: server.url, maxConnections: 2 });
    try {
      const result = await sweepScenario('postgresql', database, cases, options, figures);
      serverDaily = result.daily;
      details.postgresql = { summaries: result.summaries, plans: result.plans };
      for (const [rule, index] of [['DL-5', 'mediation_cases_dl5_idx'], ['DL-8', 'mediation_cases_dl8_idx']] as const) {
        notes.push(`PostgreSQL ${formatCount(cases)}: the ${rule} closure ${usesIndex(result.plans[rule]!, index) ? 'reads' : 'does NOT read'} ${index} (EXPLAIN in the JSON results).`);
      }
      notes.push(`PostgreSQL ${formatCount(cases)}: acts. 10/19 ${usesIndex(result.plans['act. 10 / act. 19']!, 'mediation_cases_agency_idx') ? 'walk' : 'do NOT walk'} mediation_cases_agency_idx per agency.`);
    } finally {
      await database.close();
      await server.drop();
    }
  }

  const pglite = await openDatabase({ dataDir: options.tempDir(`pglite-sweep-${cases}`) });
  try {
    const result = await sweepScenario('pglite', pglite, cases, options, figures);
    details.pglite = { summaries: result.summaries, plans: result.plans };
    if (serverDaily !== undefined) ratios.push({ label: `daily sweep ${formatCount(cases)}: PGlite / PostgreSQL`, value: result.daily / serverDaily, unit: 'ratio' });
  } finally {
    await pglite.close();
  }

  const bossServer = await createScratchDatabase(options, `${name}_pgboss_${bossCases}`);
  if (bossServer) {
    try {
      await pgBossScenario(bossServer.url, bossCases, options, figures, ratios, details);
    } finally {
      await bossServer.drop();
    }
  } else {
    notes.push('pg-boss comparison skipped: it needs a PostgreSQL server.');
  }

  notes.push(`Target (issue: daily sweep): ${formatCount(cases)} open cases swept in ≤ 3 s on PostgreSQL (the steady-state daily sweep).`);
  notes.push('pg-boss: one job per closure deadline (DL-5/act. 10, DL-8, act. 19); SLA breaches (DL-1, DL-2, DL-4, DL-6) would add up to four more jobs per case. The job handler is a lower bound of the case service (no policy look-up, no audit event).');
  return { figures, ratios, notes, details };
}
