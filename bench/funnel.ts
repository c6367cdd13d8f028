/**
 * REP-5: the indicators over 1,000,000 mediation cases — the national funnel (target ≤ 2 s on
 * PostgreSQL), grouped by delegación, agency, mediator and month, one month, one agency, SL-1 and
 * the deadline counts — on PostgreSQL and on PGlite.
 *
 * The data are generated set-based (INSERT … SELECT generate_series): 12 months of assignments
 * (one partition per month, as the monthly run leaves them, with the run's stored summary), a
 * quarter more tagged credits than cases (credits tagged and never visited), one case per case
 * credit with dates and states consistent along the funnel (refusals, solutions at the visit,
 * DL-5/DL-8 closures, refusals to sign and about half signed), the signed cases' convenios
 * (review, approved, broken, paid), their case files (submitted, archived with a shipment), SLA
 * breaches and report breaches — every CHECK of the tables respected.
 *
 * Figures per engine: generation (not the indicators), then each report timed cold (first call)
 * and warm (median of three); "tagged" read from the run summaries and, for comparison, counted
 * in the 12 partitions; the EXPLAIN (ANALYZE) plan of the national funnel statement in the JSON.
 * Sizes: `FUNNEL_CASES` (default 1000000), `FUNNEL_PGLITE_CASES` (default the same);
 * `FUNNEL_KEEP=1` keeps the PostgreSQL database between invocations.
 */
import { sql } from 'kysely';
import { fixedClock } from '../src/clock.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import type { AuthUser } from '../src/modules/identity/identity.service.js';
import { seedDefaultPolicies } from '../src/modules/policy/policy.service.js';
import { seedReferenceData } from '../src/modules/portfolio/demo.service.js';
import { countFunnelCases, countTagged } from '../src/modules/reports/indicators.repository.js';
import { monthsBetween, resolveIndicatorQuery, type IndicatorRequest } from '../src/modules/reports/indicators.rules.js';
import { getDeadlineReport, getFunnelReport, getSl1Report } from '../src/modules/reports/indicators.service.js';
import { BENCH_AS_OF } from './credit-file.js';
import { createScratchDatabase, formatCount, measure, scratchDatabaseName, type BenchOptions, type BenchResult, type Figure } from './harness.js';
import { insertSyntheticCredits } from './sweep.js';

export const name = 'funnel';
export const description = 'REP-5: indicators over 1M cases (national funnel ≤ 2 s on PostgreSQL; by delegación/agency/mediator/month, SL-1, DL counts), PostgreSQL and PGlite';

const TODAY = BENCH_AS_OF;
const NOW = fixedClock(TODAY).now();
const MONTHS = monthsBetween('2025-12', '2026-11');
const BATCH = 250_000;
/** Tagged credits that never got a case, per case. */
const UNVISITED_SHARE = 4;

const OFFICE: AuthUser = { id: 1, username: 'gmc', fullName: 'Gerencia de Mediación y Convenios', role: 'mediation_office', scope: { kind: 'national' } };

interface Reference {
  delegations: number[];
  mediatorIds: number[];
  mediatorAgencies: number[];
  representatives: number[];
  userId: number;
  exclusionPolicyId: number;
  convenioPolicyId: number;
  deadlinePolicyVersion: number;
}

// ------------------------------------------------------------------------------------------------
// Data, set-based
// ------------------------------------------------------------------------------------------------

async function prepareReference(database: Database, cases: number): Promise<Reference> {
  const db = database.db;
  await migrate(db);
  await db.transaction().execute(async (trx) => {
    await seedReferenceData(trx, { seed: 2026, today: TODAY, expectedCredits: cases });
    await seedDefaultPolicies(trx, NOW, '2025-01-01');
    await trx
      .insertInto('users')
      .values({ username: 'gerente.bench', full_name: 'Gerente de Cobranza', email: 'gerente.bench@example.com', password_hash: 'x', role: 'regional_manager', delegation_id: 1 })
      .execute();
  });
  const mediators = await db.selectFrom('mediators').select(['id', 'agency_id']).where('active', '=', true).orderBy('id').execute();
  const policy = async (key: string) => (await db.selectFrom('policy_versions').select(['id', 'version']).where('policy_key', '=', key).executeTakeFirstOrThrow());
  return {
    delegations: (await db.selectFrom('delegations').select('id').orderBy('id').execute()).map((row) => row.id),
    mediatorIds: mediators.map((m) => m.id),
    mediatorAgencies: mediators.map((m) => m.agency_id),
    representatives: (await db.selectFrom('representatives').select('id').orderBy('id').execute()).map((row) => row.id),
    userId: (await db.selectFrom('users').select('id').where('username', '=', 'gerente.bench').executeTakeFirstOrThrow()).id,
    exclusionPolicyId: (await policy('exclusion_criteria')).id,
    convenioPolicyId: (await policy('convenio_type_criteria')).id,
    deadlinePolicyVersion: (await policy('deadlines')).version,
  };
}

/** The month of credit i and its first day (i spread evenly over the 12 months). */
const monthOf = (i: ReturnType<typeof sql>) => sql`(${sql.val(MONTHS)}::text[])[1 + (${i} % 12)::int]`;

/** Credits 1…n (cases first, then the tagged credits never visited), and their assignments. */
async function insertCreditsAndAssignments(trx: Database['db'], from: number, to: number, ref: Reference): Promise<void> {
  await insertSyntheticCredits(trx, from, to, ref.delegations);
  await sql`
    INSERT INTO credit_assignments (month, credit_number, run_id, entry, delegation_id, agency_id, convenio_type, assigned_on)
    SELECT ${monthOf(sql`i`)}, lpad(i::text, 10, '0'), r.id, 'monthly',
           (${ref.delegations}::smallint[])[1 + (i % ${ref.delegations.length})::int],
           (${ref.mediatorAgencies}::int[])[1 + (i % ${ref.mediatorIds.length})::int], 'RATIFIED', (${monthOf(sql`i`)} || '-01')::date
    FROM generate_series(${from}::bigint, ${to}::bigint) AS i
    JOIN assignment_runs r ON r.month = ${monthOf(sql`i`)}`.execute(trx);
}

/**
 * Case i (credit i) of the month of i: its stop along the funnel from r1 = i·7919 mod 1000 —
 * 5 % never visited after the case opened, 10 % a solution at the visit, 10 % refused, 3 %
 * offered, 2 % accepted, 3 % closed by DL-5, 3 % distributed, 4 % closed by DL-8, 3 % scheduled,
 * 5 % closed after a refusal to sign, 2 % a session held, 50 % signed. Dates from day 0 = the
 * month's first day + i mod 20.
 */
async function insertCases(trx: Database['db'], from: number, to: number, ref: Reference): Promise<void> {
  const m = ref.mediatorIds.length;
  await sql`
    INSERT INTO mediation_cases (credit_number, round, entry, month, convenio_type, delegation_id, agency_id, mediator_id, representative_id,
                                 state, version, opened_on, accepted_on, distributed_on, first_contact_on, scheduled_on, session_date,
                                 summons_sent_on, session_held_on, closed_on, closure_rule, deadline_policy_version, dl1_due_on, dl2_due_on,
                                 dl4_due_on, dl5_closes_on, dl6_due_on, dl8_closes_on, facts, privacy_notice_shown_on, contact_mobile,
                                 contact_captured_on, created_at, updated_at)
    SELECT t.credit_number, 1, 'monthly', t.month, 'RATIFIED', t.delegation_id, t.agency_id,
           CASE WHEN t.distributed_on IS NOT NULL THEN t.mediator_id END, t.representative_id,
           t.state, 6, t.day0, t.accepted_on, t.distributed_on, t.distributed_on + 1, t.scheduled_on, t.scheduled_on + 7,
           t.scheduled_on, t.session_held_on, t.closed_on, t.closure_rule, ${ref.deadlinePolicyVersion},
           t.accepted_on + 1, t.distributed_on + 1, t.accepted_on + 31, t.accepted_on + 32, t.scheduled_on, t.accepted_on + 91,
           jsonb_strip_nulls(jsonb_build_object(
             'state', t.state, 'round', 1, 'entry', 'monthly', 'convenioType', 'RATIFIED', 'agencyId', t.agency_id,
             'delegationId', t.delegation_id, 'offeredOn', CASE WHEN t.offered THEN t.day0::text END, 'acceptedOn', t.accepted_on::text,
             'privacyNoticeShownOn', t.accepted_on::text, 'contactDataCapturedOn', t.accepted_on::text,
             'representative', jsonb_build_object('id', t.representative_id, 'hasLegalPowers', true),
             'mediatorId', CASE WHEN t.distributed_on IS NOT NULL THEN t.mediator_id END,
             'mediatorKind', CASE WHEN t.distributed_on IS NOT NULL THEN 'cja_certified' END,
             'distributedOn', t.distributed_on::text, 'firstContactOn', (t.distributed_on + 1)::text,
             'scheduledOn', t.scheduled_on::text, 'sessionDate', (t.scheduled_on + 7)::text, 'summonsSentOn', t.scheduled_on::text,
             'sessionHeldOn', t.session_held_on::text, 'lastSessionOn', t.session_held_on::text,
             'sessionsHeld', CASE WHEN t.session_held_on IS NULL THEN 0 ELSE 1 END, 'closedOn', t.closed_on::text, 'closureRule', t.closure_rule
           )),
           t.accepted_on, CASE WHEN t.accepted_on IS NOT NULL THEN '55' || lpad((t.i % 100000000)::text, 8, '0') END, t.accepted_on, ${NOW}, ${NOW}
    FROM (
      SELECT s.*,
             CASE WHEN s.stop >= 3 THEN s.day0 END AS accepted_on,
             CASE WHEN s.stop >= 4 THEN s.day0 + 1 END AS distributed_on,
             CASE WHEN s.stop >= 5 THEN s.day0 + 3 END AS scheduled_on,
             CASE WHEN s.stop >= 6 THEN s.day0 + 10 END AS session_held_on,
             CASE s.state WHEN 'solution_at_visit' THEN s.day0 WHEN 'refused' THEN s.day0 WHEN 'closed_dl5' THEN s.day0 + 32
                          WHEN 'closed_dl8' THEN s.day0 + 91 WHEN 'closed_no_agreement' THEN s.day0 + 11 WHEN 'signed' THEN s.day0 + 10 END AS closed_on,
             CASE s.state WHEN 'closed_dl5' THEN 'DL-5' WHEN 'closed_dl8' THEN 'DL-8' WHEN 'closed_no_agreement' THEN 'act. 19' END AS closure_rule,
             s.state NOT IN ('tagged', 'solution_at_visit') AS offered
      FROM (
        SELECT g.*,
               -- how far along: 0 tagged/solution, 1 refused/offered, 3 accepted, 4 distributed, 5 scheduled, 6 held or signed
               CASE WHEN g.state IN ('tagged', 'solution_at_visit') THEN 0 WHEN g.state IN ('refused', 'offered') THEN 1
                    WHEN g.state = 'accepted' THEN 3 WHEN g.state IN ('closed_dl5', 'distributed') THEN 4
                    WHEN g.state IN ('closed_dl8', 'scheduled') THEN 5 ELSE 6 END AS stop
        FROM (
          SELECT i, lpad(i::text, 10, '0') AS credit_number, ${monthOf(sql`i`)} AS month,
                 (${monthOf(sql`i`)} || '-01')::date + (i % 20)::int AS day0,
                 (${ref.delegations}::smallint[])[1 + (i % ${ref.delegations.length})::int] AS delegation_id,
                 (${ref.mediatorIds}::int[])[1 + (i % ${m})::int] AS mediator_id,
                 (${ref.mediatorAgencies}::int[])[1 + (i % ${m})::int] AS agency_id,
                 (${ref.representatives}::int[])[1 + (i % ${ref.representatives.length})::int] AS representative_id,
                 CASE
                   WHEN (i * 7919) % 1000 < 50 THEN 'tagged'
                   WHEN (i * 7919) % 1000 < 150 THEN 'solution_at_visit'
                   WHEN (i * 7919) % 1000 < 250 THEN 'refused'
                   WHEN (i * 7919) % 1000 < 280 THEN 'offered'
                   WHEN (i * 7919) % 1000 < 300 THEN 'accepted'
                   WHEN (i * 7919) % 1000 < 330 THEN 'closed_dl5'
                   WHEN (i * 7919) % 1000 < 360 THEN 'distributed'
                   WHEN (i * 7919) % 1000 < 400 THEN 'closed_dl8'
                   WHEN (i * 7919) % 1000 < 430 THEN 'scheduled'
                   WHEN (i * 7919) % 1000 < 480 THEN 'closed_no_agreement'
                   WHEN (i * 7919) % 1000 < 500 THEN 'session_held'
                   ELSE 'signed' END AS state
          FROM generate_series(${from}::bigint, ${to}::bigint) AS i
        ) g
      ) s
    ) t`.execute(trx);
}

/**
 * The convenios of the signed cases (r2 = id·104729 mod 1000): 10 % in review, 10 % approved,
 * 8 % approved and broken, 72 % paid (in force); 80 % within SL-1. Their case files: submitted
 * for paid convenios from r2 400, archived (accepted, shipped, acknowledged) from r2 650.
 */
async function insertConveniosAndFiles(trx: Database['db'], ref: Reference): Promise<void> {
  await sql`
    INSERT INTO convenios (folio, case_id, credit_number, round, delegation_id, agency_id, mediator_id, representative_id, convenio_type,
                           solution_id, solution_policy_version, status, accepted_on, signed_on, sl1_due_on, sl1_met, copies,
                           acknowledgement_signed, balance_before_cents, discount_cents, balance_after_cents, monthly_payment_cents,
                           payment_factor, interest_rate_bp, term_months, first_payment_cents, first_payment_due_on, terms, credit_before,
                           deadline_policy_version, dl9_due_on, submitted_on, approved_on, first_paid_on, first_paid_cents, broken_on,
                           broken_rule, created_at, updated_at)
    SELECT 'CM-' || c.id, c.id, c.credit_number, 1, c.delegation_id, c.agency_id, c.mediator_id, c.representative_id, 'RATIFIED',
           'SOL-2', 1, CASE WHEN r2 < 100 THEN 'under_review' WHEN r2 < 200 THEN 'approved' WHEN r2 < 280 THEN 'broken' ELSE 'in_force' END,
           c.accepted_on, c.session_held_on, c.accepted_on + 30, (c.id % 10) < 8, 3, true, 30000000, 0, 30000000, 450000, 1.0, 1200, 240,
           450000, c.session_held_on + 30, '{}', '{}', ${ref.deadlinePolicyVersion}, c.session_held_on, c.session_held_on,
           CASE WHEN r2 >= 100 THEN c.session_held_on + 1 END,
           CASE WHEN r2 >= 280 THEN c.session_held_on + 15 END, CASE WHEN r2 >= 280 THEN 450000 END,
           CASE WHEN r2 >= 200 AND r2 < 280 THEN c.session_held_on + 31 END, CASE WHEN r2 >= 200 AND r2 < 280 THEN 'CNV-5' END,
           ${NOW}, ${NOW}
    FROM (SELECT c.*, ((c.id::bigint * 104729) % 1000)::int AS r2 FROM mediation_cases c WHERE c.state = 'signed') c`.execute(trx);
  // One archive shipment per delegación and month of signature; ids set so files can point to them.
  await sql`
    INSERT INTO archive_shipments (id, folio, delegation_id, courier, tracking_number, shipped_on, files_count, created_by_user_id, created_at)
    SELECT m.n * 100 + d.id, 'ENV-' || m.month || '-' || d.id, d.id, 'Mensajería', 'GUIA-' || m.month || '-' || d.id,
           (m.month || '-28')::date, 1, ${ref.userId}, ${NOW}
    FROM unnest(${sql.val(MONTHS)}::text[]) WITH ORDINALITY AS m(month, n) CROSS JOIN delegations d`.execute(trx);
  await sql`
    INSERT INTO case_files (case_id, credit_number, delegation_id, agency_id, mediator_id, convenio_id, outcome, convenio_type, status,
                            deadline_policy_version, submitted_on, dl13_request_due_on, accepted_on, fee_validation_required,
                            certificates_received_on, fee_validated_on, service_concluded_on, dl15_due_on, digitised_on, shipment_id,
                            archived_on, created_at, updated_at)
    SELECT v.case_id, v.credit_number, v.delegation_id, v.agency_id, v.mediator_id, v.id, 'signed', 'RATIFIED',
           CASE WHEN r2 >= 650 THEN 'archived' ELSE 'submitted' END, ${ref.deadlinePolicyVersion}, v.first_paid_on + 5, v.first_paid_on + 7,
           CASE WHEN r2 >= 650 THEN v.first_paid_on + 6 END, true,
           CASE WHEN r2 >= 650 THEN v.first_paid_on + 6 END, CASE WHEN r2 >= 650 THEN v.first_paid_on + 7 END,
           CASE WHEN r2 >= 650 THEN v.first_paid_on + 7 END, CASE WHEN r2 >= 650 THEN v.first_paid_on + 9 END,
           CASE WHEN r2 >= 650 THEN v.first_paid_on + 8 END,
           CASE WHEN r2 >= 650 THEN m.n * 100 + v.delegation_id END, CASE WHEN r2 >= 650 THEN v.first_paid_on + 40 END, ${NOW}, ${NOW}
    FROM (SELECT v.*, ((v.case_id::bigint * 104729) % 1000)::int AS r2 FROM convenios v WHERE v.status = 'in_force') v
    JOIN unnest(${sql.val(MONTHS)}::text[]) WITH ORDINALITY AS m(month, n) ON m.month = to_char(v.signed_on, 'YYYY-MM')
    WHERE r2 >= 400`.execute(trx);
}

/** SLA breaches on some cases (DL-1, DL-2, DL-6, DL-9, DL-13.request) and the report deadlines of some delegaciones and agencies. */
async function insertBreaches(trx: Database['db']): Promise<void> {
  await sql`
    INSERT INTO case_deadline_breaches (case_id, rule, due_on, flagged_on)
    SELECT c.id, b.rule, c.accepted_on + 1, c.accepted_on + 2
    FROM mediation_cases c
    CROSS JOIN LATERAL (VALUES
      (CASE WHEN c.accepted_on IS NOT NULL AND c.id % 17 = 0 THEN 'DL-1' END),
      (CASE WHEN c.distributed_on IS NOT NULL AND c.id % 19 = 0 THEN 'DL-2' END),
      (CASE WHEN c.scheduled_on IS NOT NULL AND c.id % 23 = 0 THEN 'DL-6' END),
      (CASE WHEN c.state = 'signed' AND c.id % 29 = 0 THEN 'DL-9' END)
    ) AS b(rule)
    WHERE b.rule IS NOT NULL`.execute(trx);
  await sql`
    INSERT INTO case_deadline_breaches (case_id, rule, due_on, flagged_on)
    SELECT f.case_id, 'DL-13.request', f.dl13_request_due_on, f.dl13_request_due_on + 1 FROM case_files f WHERE f.case_id % 31 = 0`.execute(trx);
  await sql`
    INSERT INTO report_deadline_breaches (subject, rule, delegation_id, agency_id, month, due_on, flagged_on)
    SELECT 'archive_report:' || d.id || ':' || m.month, 'DL-16', d.id, NULL, m.month, (m.month || '-15')::date, (m.month || '-16')::date
    FROM delegations d CROSS JOIN unnest(${sql.val(MONTHS)}::text[]) AS m(month) WHERE (d.id + length(m.month)) % 3 = 0
    UNION ALL
    SELECT 'report_request:' || a.id || ':' || m.month, 'DL-17.request', NULL, a.id, m.month, (m.month || '-20')::date, (m.month || '-21')::date
    FROM agencies a CROSS JOIN unnest(${sql.val(MONTHS)}::text[]) AS m(month) WHERE a.id % 4 = 0`.execute(trx);
}

/** The months' runs, as the monthly run leaves them: one partition per month and the stored summary (ASG-6). */
async function insertRuns(trx: Database['db'], ref: Reference): Promise<void> {
  for (const month of MONTHS) {
    await sql`CREATE TABLE ${sql.table(`credit_assignments_m${month.replace('-', '_')}`)} PARTITION OF credit_assignments FOR VALUES IN (${sql.lit(month)})`.execute(trx);
    await sql`
      INSERT INTO assignment_runs (month, run_on, exclusion_policy_id, convenio_policy_id, started_at, finished_at, summary)
      VALUES (${month}, (${month} || '-01')::date, ${ref.exclusionPolicyId}, ${ref.convenioPolicyId}, ${NOW}, ${NOW}, '{}')`.execute(trx);
  }
}

async function summariseRuns(database: Database): Promise<void> {
  await sql`
    UPDATE assignment_runs r SET summary = jsonb_build_object(
      'month', r.month,
      'assigned', (SELECT count(*) FROM credit_assignments a WHERE a.month = r.month),
      'byDelegation', (SELECT coalesce(jsonb_agg(jsonb_build_object('delegationId', d.delegation_id, 'assigned', d.n) ORDER BY d.delegation_id), '[]')
                       FROM (SELECT delegation_id, count(*) AS n FROM credit_assignments a WHERE a.month = r.month GROUP BY 1) d),
      'byAgency', (SELECT coalesce(jsonb_agg(jsonb_build_object('agencyId', g.agency_id, 'assigned', g.n) ORDER BY g.agency_id), '[]')
                   FROM (SELECT agency_id, count(*) AS n FROM credit_assignments a WHERE a.month = r.month GROUP BY 1) g))`.execute(database.db);
}

async function generate(database: Database, cases: number, log: (m: string) => void): Promise<void> {
  const ref = await prepareReference(database, cases);
  const credits = cases + Math.floor(cases / UNVISITED_SHARE);
  await database.db.transaction().execute((trx) => insertRuns(trx, ref));
  for (let from = 1; from <= credits; from += BATCH) {
    const to = Math.min(credits, from + BATCH - 1);
    await database.db.transaction().execute(async (trx) => {
      await insertCreditsAndAssignments(trx, from, to, ref);
      if (from <= cases) await insertCases(trx, from, Math.min(to, cases), ref);
    });
    log(`  generated ${formatCount(to)} / ${formatCount(credits)} credits (${formatCount(Math.min(to, cases))} cases)`);
  }
  await database.db.transaction().execute(async (trx) => {
    await insertConveniosAndFiles(trx, ref);
    await insertBreaches(trx);
  });
  await summariseRuns(database);
  await sql`VACUUM ANALYZE`.execute(database.db);
}

async function caseCount(database: Database): Promise<number> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('mediation_cases')::text AS t`.execute(database.db);
  if (!exists.rows[0]!.t) return 0;
  return Number((await sql<{ n: bigint }>`SELECT count(*) AS n FROM mediation_cases`.execute(database.db)).rows[0]!.n);
}

// ------------------------------------------------------------------------------------------------
// The indicators, timed
// ------------------------------------------------------------------------------------------------

const YEAR: IndicatorRequest = { monthFrom: MONTHS[0], monthTo: MONTHS[MONTHS.length - 1] };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function scenario(engine: 'postgresql' | 'pglite', database: Database, cases: number, options: BenchOptions, figures: Figure[], details: Record<string, unknown>) {
  const label = `${engine} ${formatCount(cases)}`;
  const existing = await caseCount(database);
  if (existing === cases) {
    options.log(`${label}: reusing the kept database`);
    const migrated = await measure(() => migrate(database.db));
    if (migrated.result.applied.length > 0) {
      figures.push({ label: `${label}: migrations ${migrated.result.applied.join(', ')} on the kept database (index build)`, value: migrated.seconds, unit: 's' });
      await sql`VACUUM ANALYZE mediation_cases`.execute(database.db);
    }
  } else {
    const generated = await measure(() => generate(database, cases, options.log));
    figures.push({ label: `${label}: generate credits, assignments, cases, convenios, files, breaches (set-based, not the indicators)`, value: generated.seconds, unit: 's' });
  }
  const agency = (await database.db.selectFrom('agencies').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  const reports: Array<[string, (trx: Database['db']) => Promise<unknown>]> = [
    ['national funnel, 12 months (target ≤ 2 s)', (trx) => getFunnelReport(trx, OFFICE, YEAR, TODAY)],
    ['national funnel by delegación, 12 months', (trx) => getFunnelReport(trx, OFFICE, { ...YEAR, groupBy: 'delegation' }, TODAY)],
    ['national funnel by agency, 12 months', (trx) => getFunnelReport(trx, OFFICE, { ...YEAR, groupBy: 'agency' }, TODAY)],
    ['national funnel by mediator, 12 months', (trx) => getFunnelReport(trx, OFFICE, { ...YEAR, groupBy: 'mediator' }, TODAY)],
    ['national funnel by month, 12 months', (trx) => getFunnelReport(trx, OFFICE, { ...YEAR, groupBy: 'month' }, TODAY)],
    ['national funnel, one month', (trx) => getFunnelReport(trx, OFFICE, { monthFrom: MONTHS[MONTHS.length - 1] }, TODAY)],
    [`one agency's funnel (id ${agency}), 12 months`, (trx) => getFunnelReport(trx, OFFICE, { ...YEAR, agencyId: agency }, TODAY)],
    ['SL-1 by delegación, 12 months', (trx) => getSl1Report(trx, OFFICE, { ...YEAR, groupBy: 'delegation' }, TODAY)],
    ['DL-1..DL-17 counts by delegación, 12 months', (trx) => getDeadlineReport(trx, OFFICE, { ...YEAR, groupBy: 'delegation' }, TODAY)],
  ];
  const results: Record<string, unknown> = {};
  for (const [title, read] of reports) {
    const runs: number[] = [];
    let result: unknown;
    for (let attempt = 0; attempt < 4; attempt++) {
      const run = await measure(() => database.db.transaction().execute((trx) => read(trx)));
      runs.push(run.seconds);
      result = run.result;
    }
    const warm = median(runs.slice(1));
    options.log(`  ${label} ${title}: first ${runs[0]!.toFixed(2)} s, warm ${warm.toFixed(2)} s`);
    figures.push({ label: `${label}: ${title} — first call`, value: runs[0]!, unit: 's' });
    figures.push({ label: `${label}: ${title} — warm (median of 3)`, value: warm, unit: 's' });
    results[title] = result;
  }
  // "Tagged": the run summaries (what the national funnel used) against counting the partitions.
  const query = resolveIndicatorQuery({ kind: 'national' }, YEAR, MONTHS[MONTHS.length - 1]!);
  const counted = await measure(() => countTagged(database.db, query, MONTHS));
  figures.push({ label: `${label}: "tagged" counted in the 12 assignment partitions (the summaries avoid it)`, value: counted.seconds, unit: 's' });
  const casesOnly = await measure(() => countFunnelCases(database.db, { kind: 'national' }, query));
  figures.push({ label: `${label}: the funnel's case statement alone (cases ⟕ convenios ⟕ case files)`, value: casesOnly.seconds, unit: 's' });
  // The plan under the report's settings (indicators.service readOneSnapshot); TIMING OFF so that
  // per-row clock calls do not inflate the total.
  const plan = await database.db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`.execute(trx);
    return sql<{ 'QUERY PLAN': string }>`
    EXPLAIN (ANALYZE, BUFFERS, TIMING OFF)
    SELECT 'total'::text AS key,
           count(*) FILTER (WHERE c.accepted_on IS NOT NULL OR c.state IN ('offered', 'refused')) AS offered,
           count(c.accepted_on), count(c.distributed_on), count(c.scheduled_on), count(c.session_held_on),
           count(v.id), count(v.approved_on), count(v.first_paid_on), count(f.id), count(f.archived_on)
    FROM mediation_cases c LEFT JOIN convenios v ON v.case_id = c.id LEFT JOIN case_files f ON f.case_id = c.id AND f.outcome = 'signed'
    WHERE c.month >= ${YEAR.monthFrom!} AND c.month <= ${YEAR.monthTo!} GROUP BY 1`.execute(trx);
  });
  details[`${engine}-${cases}`] = { plan: plan.rows.map((row) => row['QUERY PLAN']), totals: (results['national funnel, 12 months (target ≤ 2 s)'] as { totals: unknown }).totals };
  return results;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const cases = Number(process.env.FUNNEL_CASES ?? 1_000_000);
  const pgliteCases = Number(process.env.FUNNEL_PGLITE_CASES ?? cases);
  const keep = process.env.FUNNEL_KEEP === '1';
  const figures: Figure[] = [];
  const ratios: Figure[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const national = (engine: string, n: number) => figures.find((f) => f.label === `${engine} ${formatCount(n)}: national funnel, 12 months (target ≤ 2 s) — warm (median of 3)`)?.value;

  let server: { url: string; drop(): Promise<void> } | undefined;
  if (options.postgresUrl && keep) {
    const databaseName = `${scratchDatabaseName(name)}_keep_${cases}`;
    const admin = await openDatabase({ databaseUrl: options.postgresUrl, maxConnections: 1 });
    try {
      const exists = await sql`SELECT 1 FROM pg_database WHERE datname = ${databaseName}`.execute(admin.db);
      if (exists.rows.length === 0) await sql`CREATE DATABASE ${sql.id(databaseName)}`.execute(admin.db);
    } finally {
      await admin.close();
    }
    const url = new URL(options.postgresUrl);
    url.pathname = `/${databaseName}`;
    server = { url: url.toString(), drop: async () => {} };
  } else {
    server = await createScratchDatabase(options, `${name}_${cases}`);
  }
  if (server) {
    const database = await openDatabase({ databaseUrl: server.url, maxConnections: 2 });
    try {
      await scenario('postgresql', database, cases, options, figures, details);
    } finally {
      await database.close();
      await server.drop();
    }
  }
  if (pgliteCases > 0) {
    const pglite = await openDatabase({ dataDir: options.tempDir(`pglite-funnel-${pgliteCases}`) });
    try {
      await scenario('pglite', pglite, pgliteCases, options, figures, details);
    } finally {
      await pglite.close();
    }
  }
  const serverFigure = national('postgresql', cases);
  const pgliteFigure = national('pglite', pgliteCases);
  if (serverFigure !== undefined) ratios.push({ label: `postgresql ${formatCount(cases)}: national funnel / 2 s target`, value: serverFigure / 2, unit: 'ratio' });
  if (serverFigure !== undefined && pgliteFigure !== undefined && pgliteCases === cases) {
    ratios.push({ label: `national funnel ${formatCount(cases)}: PGlite / PostgreSQL`, value: pgliteFigure / serverFigure, unit: 'ratio' });
  }
  notes.push('Target (issue 6 item 7): the national funnel over 1,000,000 cases in ≤ 2 s on PostgreSQL — one set-based statement over the cases, their convenios and case files; "tagged" from the runs\' stored summaries.');
  notes.push(`Data: ${MONTHS[0]} to ${MONTHS[MONTHS.length - 1]}, one case per credit, a quarter more tagged credits never visited; plans in the JSON details (EXPLAIN ANALYZE of the national statement).`);
  return { figures, ratios, notes, details };
}
