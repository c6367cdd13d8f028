/**
 * REP-1 (SPEC §7, act. 32) for an agency with 100,000 tagged credits in a month, on PostgreSQL and
 * on PGlite: the time to write the report to a file (the `cobranza report agency` path: one
 * statement through a cursor, piped into the streaming XLSX writer) and the peak RSS of the Node
 * process meanwhile; side by side, the statement alone read through the same cursor (the floor).
 * Targets (issue 6): ≤ 5 s and ≤ 250 MB.
 *
 * The month is generated set-based (INSERT … SELECT over generate_series): credits of the agency's
 * delegaciones, their assignments, and for 70 % of them a case with its append-only history as the
 * platform writes it — refused at the visit, a solution at the visit, closed by DL-5, NS-1..3 then
 * closed (act. 10), rescheduled, refused to sign (NR-1..5), signed — and the signed convenios with
 * their events (submission, approval, first payment, CJA registration). Acceptance days spread over
 * the month, so the report as of the month end sees part of each history and the report as of
 * today all of it. Size: `REPORTS_CREDITS` (default 100000); engines: `REPORTS_ENGINES`
 * (default postgresql,pglite).
 */
import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFlags } from '../bin/node-flags.mjs';
import { fixedClock } from '../src/clock.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { migrate } from '../src/db/migrate.js';
import { seedDefaultPolicies } from '../src/modules/policy/policy.service.js';
import { seedReferenceData } from '../src/modules/portfolio/demo.service.js';
import { agencyReport, planAgencyReport, writeAgencyReportFile } from '../src/modules/reports/rep1.export.js';
import { cursorPages } from '../src/modules/reports/report-xlsx.js';
import { BENCH_AS_OF } from './credit-file.js';
import { createScratchDatabase, formatCount, measure, MB, type BenchOptions, type BenchResult, type Figure } from './harness.js';

export const name = 'reports';
export const description = 'REP-1: an agency month of 100k tagged credits with their case histories written to XLSX as of a date, PostgreSQL and PGlite (target ≤ 5 s, ≤ 250 MB)';

const MONTH = '2026-09';
const TODAY = BENCH_AS_OF;
const clock = fixedClock(TODAY);

interface Reference {
  agencyId: number;
  delegations: number[];
  mediators: number[];
  representative: number;
}

export async function prepareReference(database: Database, credits: number): Promise<Reference> {
  await migrate(database.db);
  await database.db.transaction().execute(async (trx) => {
    await seedReferenceData(trx, { seed: 2026, today: TODAY, expectedCredits: credits });
    await seedDefaultPolicies(trx, clock.now(), '2025-01-01');
  });
  const agency = await database.db.selectFrom('agencies').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const delegations = await database.db.selectFrom('agency_delegations').select('delegation_id').where('agency_id', '=', agency.id).orderBy('delegation_id').execute();
  const mediators = await database.db.selectFrom('mediators').select('id').where('agency_id', '=', agency.id).orderBy('id').execute();
  const representative = await database.db.selectFrom('representatives').select('id').where('agency_id', '=', agency.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
  return { agencyId: agency.id, delegations: delegations.map((d) => d.delegation_id), mediators: mediators.map((m) => m.id), representative: representative.id };
}

/**
 * The plan of each credit i (1…n): its delegación, convenio type, acceptance day in the month and
 * path. 30 % have no case yet; the rest follow the month's funnel.
 */
function planSql(n: number, ref: Reference) {
  return sql`
    SELECT i, lpad(i::text, 10, '0') AS credit_number,
           (${ref.delegations}::smallint[])[1 + (i % ${ref.delegations.length})::int] AS delegation_id,
           (${ref.mediators}::int[])[1 + (i % ${ref.mediators.length})::int] AS mediator_id,
           CASE WHEN i % 20 < 10 THEN 'RATIFIED' WHEN i % 20 < 17 THEN 'ADMINISTRATIVE' ELSE 'NOTARIAL' END AS convenio_type,
           ${`${MONTH}-02`}::date + (i % 24)::int AS day0,
           CASE
             WHEN r < 300 THEN 'none'
             WHEN r < 380 THEN 'tagged'
             WHEN r < 460 THEN 'refused'
             WHEN r < 500 THEN 'visit_solution'
             WHEN r < 540 THEN 'dl5'
             WHEN r < 610 THEN 'ns'
             WHEN r < 680 THEN 'not_held'
             WHEN r < 760 THEN 'refused_to_sign'
             ELSE 'signed'
           END AS path
    FROM (SELECT i, ((i * 7919) % 1000)::int AS r FROM generate_series(1, ${n}::int) AS i) g`;
}

/** The steps of a case as the platform logs them (mediation.rules TRANSITIONS), per path, with their day. */
const STEPS = sql`(VALUES
  (1, 'open_case', 'act. 1', 'tagged', 0, '{tagged,refused,visit_solution,dl5,ns,not_held,refused_to_sign,signed}'::text[]),
  (2, 'offer_mediation', 'act. 2–3', 'offered', 0, '{refused,dl5,ns,not_held,refused_to_sign,signed}'),
  (2, 'record_solution_at_visit', 'act. 2', 'solution_at_visit', 0, '{visit_solution}'),
  (3, 'record_refusal', 'act. 3, ENT-C act. 3', 'refused', 0, '{refused}'),
  (3, 'record_acceptance', 'act. 4, ENT-C act. 2', 'accepted', 0, '{dl5,ns,not_held,refused_to_sign,signed}'),
  (4, 'designate_representative', 'act. 7', NULL, 1, '{dl5,ns,not_held,refused_to_sign,signed}'),
  (5, 'close_by_dl5', 'act. 10', 'closed_dl5', 32, '{dl5}'),
  (5, 'distribute', 'act. 5', 'distributed', 1, '{ns,not_held,refused_to_sign,signed}'),
  (6, 'record_contact_attempt', 'act. 8', 'contacting', 2, '{ns,not_held,refused_to_sign,signed}'),
  (7, 'record_not_scheduled', 'act. 9', 'not_scheduled', 31, '{ns}'),
  (8, 'close_not_scheduled', 'act. 10', 'closed_not_scheduled', 32, '{ns}'),
  (7, 'schedule_session', 'act. 11', 'scheduled', 3, '{not_held,refused_to_sign,signed}'),
  (8, 'send_summons', 'act. 11', NULL, 3, '{not_held,refused_to_sign,signed}'),
  (9, 'request_draft_convenios', 'act. 12', NULL, 3, '{refused_to_sign,signed}'),
  (10, 'provide_draft_convenios', 'act. 13', NULL, 4, '{refused_to_sign,signed}'),
  (9, 'reschedule_session', 'act. 14', 'rescheduled', 10, '{not_held}'),
  (11, 'hold_session', 'act. 16–17', 'session_held', 10, '{refused_to_sign,signed}'),
  (12, 'record_refusal_to_sign', 'act. 18', 'refused_to_sign', 10, '{refused_to_sign}'),
  (12, 'sign_convenio', 'act. 20', 'signed', 10, '{signed}'),
  (13, 'invite_to_survey', 'act. 21', NULL, 10, '{refused_to_sign,signed}'),
  (14, 'close_without_agreement', 'act. 19', 'closed_no_agreement', 11, '{refused_to_sign}')
) AS s(seq, action, activity, to_state, offset_days, paths)`;

const CHECKLIST = `{"CHK-1":true,"CHK-2":true,"CHK-3":true,"CHK-4":true,"CHK-5":true,"CHK-6":true,"CHK-7":true,"CHK-8":true,"CHK-9":true,"CHK-10":false}`;

export async function generate(database: Database, n: number, ref: Reference, log: (m: string) => void): Promise<void> {
  const now = clock.now();
  await database.db.transaction().execute(async (trx) => {
    await sql`CREATE TEMP TABLE bench_plan ON COMMIT DROP AS ${planSql(n, ref)}`.execute(trx);
    await sql`
      INSERT INTO credits (credit_number, borrower_name, borrower_nss, borrower_curp, borrower_rfc, borrower_birth_date,
                           address_street, address_settlement, address_municipality, address_postal_code, delegation_id, segment,
                           denomination, original_amount_cents, balance_cents, monthly_payment_cents, payment_factor,
                           interest_rate_bp, term_months, regime, months_in_arrears, origination_date)
      SELECT p.credit_number, 'Acreditado ' || p.i, lpad(p.i::text, 11, '0'), 'BECR' || lpad(p.i::text, 14, '0'), 'BECR' || lpad(p.i::text, 9, '0'),
             date '1970-01-01' + (p.i % 12000)::int, 'Calle ' || (p.i % 500), 'Centro', 'Municipio', lpad((10000 + p.i % 89999)::text, 5, '0'),
             p.delegation_id, 'cobranza_administrativa', 'MXN', 50000000, 30000000 + (p.i % 1000) * 100, 450000, 1.0, 1200, 360, 'ROA', 6,
             date '2010-01-01' + (p.i % 3000)::int
      FROM bench_plan p`.execute(trx);
    log(`  ${formatCount(n)} credits`);
    await sql`
      INSERT INTO credit_assignments (month, credit_number, run_id, entry, delegation_id, agency_id, convenio_type, assigned_on)
      SELECT ${MONTH}, p.credit_number, NULL, 'monthly', p.delegation_id, ${ref.agencyId}, p.convenio_type, ${`${MONTH}-01`}::date
      FROM bench_plan p`.execute(trx);
    // one case per credit with a path, id = i; its final state as the platform leaves it
    await sql`
      INSERT INTO mediation_cases (id, credit_number, round, entry, month, convenio_type, delegation_id, agency_id, mediator_id, representative_id,
                                   state, version, opened_on, accepted_on, distributed_on, scheduled_on, session_date, session_held_on,
                                   not_scheduled_on, closed_on, closure_rule, facts, created_at, updated_at)
      SELECT p.i, p.credit_number, 1, 'monthly', ${MONTH}, p.convenio_type, p.delegation_id, ${ref.agencyId},
             CASE WHEN p.path IN ('ns', 'not_held', 'refused_to_sign', 'signed') THEN p.mediator_id END, ${ref.representative},
             f.state, 1, p.day0,
             CASE WHEN p.path NOT IN ('tagged', 'refused', 'visit_solution') THEN p.day0 END,
             CASE WHEN p.path IN ('ns', 'not_held', 'refused_to_sign', 'signed') THEN p.day0 + 1 END,
             CASE WHEN p.path IN ('not_held', 'refused_to_sign', 'signed') THEN p.day0 + 3 END,
             CASE WHEN p.path = 'not_held' THEN p.day0 + 20 WHEN p.path IN ('refused_to_sign', 'signed') THEN p.day0 + 10 END,
             CASE WHEN p.path IN ('refused_to_sign', 'signed') THEN p.day0 + 10 END,
             CASE WHEN p.path = 'ns' THEN p.day0 + 31 END,
             f.closed_on, f.closure_rule, jsonb_build_object('state', f.state, 'round', 1, 'convenioType', p.convenio_type), ${now}, ${now}
      FROM bench_plan p
      CROSS JOIN LATERAL (SELECT * FROM (VALUES
        ('tagged', 'tagged', NULL::date, NULL),
        ('refused', 'refused', p.day0, 'act. 3'),
        ('visit_solution', 'solution_at_visit', p.day0, 'act. 2'),
        ('dl5', 'closed_dl5', p.day0 + 32, 'DL-5'),
        ('ns', 'closed_not_scheduled', p.day0 + 32, 'act. 10'),
        ('not_held', 'rescheduled', NULL, NULL),
        ('refused_to_sign', 'closed_no_agreement', p.day0 + 11, 'act. 19'),
        ('signed', 'signed', p.day0 + 10, NULL)
      ) AS v(path, state, closed_on, closure_rule) WHERE v.path = p.path) f
      WHERE p.path <> 'none'`.execute(trx);
    log('  cases');
    await sql`
      INSERT INTO case_events (case_id, version, action, activity, from_state, to_state, on_date, round, actor_role, actor_user_id, data, closure_rule, recorded_at)
      SELECT e.i, e.version, e.action, e.activity, coalesce(lag(e.state) OVER w, 'tagged'), e.state, e.on_date, 1, e.actor_role, NULL, e.data, e.closure_rule,
             (e.on_date + time '12:00') AT TIME ZONE 'America/Mexico_City'
      FROM (
        SELECT p.i, s.seq, s.action, s.activity, p.day0 + s.offset_days AS on_date,
               row_number() OVER (PARTITION BY p.i ORDER BY s.seq) AS version,
               -- a step that records data keeps the state (to_state NULL in STEPS): carry the last one
               (array_agg(s.to_state) FILTER (WHERE s.to_state IS NOT NULL) OVER (PARTITION BY p.i ORDER BY s.seq))[
                 count(s.to_state) OVER (PARTITION BY p.i ORDER BY s.seq)] AS state,
               CASE WHEN s.action IN ('close_by_dl5') THEN 'system' WHEN s.action IN ('close_not_scheduled', 'close_without_agreement') THEN 'operations'
                    WHEN s.action IN ('offer_mediation', 'record_solution_at_visit', 'record_refusal', 'record_acceptance') THEN 'field_agent'
                    WHEN s.action IN ('designate_representative', 'distribute') THEN 'agency' WHEN s.action = 'provide_draft_convenios' THEN 'regional_manager'
                    WHEN s.action = 'open_case' THEN 'field_agent' ELSE 'mediator' END AS actor_role,
               CASE s.action
                 WHEN 'offer_mediation' THEN jsonb_build_object('channel', 'home_visit', 'solutionsOffered', jsonb_build_array('SOL-2'))
                 WHEN 'record_solution_at_visit' THEN jsonb_build_object('solutionId', 'SOL-2')
                 WHEN 'record_acceptance' THEN jsonb_build_object('privacyNoticeShown', true, 'contactDataFields', jsonb_build_array('mobile'))
                 WHEN 'designate_representative' THEN jsonb_build_object('representativeId', ${ref.representative}::int, 'hasLegalPowers', true, 'contact', 'rep@example.com')
                 WHEN 'distribute' THEN jsonb_build_object('mediatorId', p.mediator_id, 'mediatorKind', 'cja_certified', 'appLicenceNumber', 'GM-' || p.mediator_id)
                 WHEN 'record_contact_attempt' THEN jsonb_build_object('party', 'borrower', 'channel', 'phone', 'reached', true)
                 WHEN 'record_not_scheduled' THEN jsonb_build_object('cause', 'NS-' || (1 + p.i % 3))
                 WHEN 'schedule_session' THEN jsonb_build_object('sessionDate', p.day0 + 10, 'sessionTime', '10:00', 'mode', 'in_person')
                 WHEN 'send_summons' THEN jsonb_build_object('channel', 'email', 'recipients', jsonb_build_array('borrower', 'representative'), 'evidenceRef', 'outbox:case-' || p.i)
                 WHEN 'provide_draft_convenios' THEN jsonb_build_object('solutionIds', jsonb_build_array('SOL-2'))
                 WHEN 'reschedule_session' THEN jsonb_build_object('sessionDate', p.day0 + 20, 'sessionTime', '10:00', 'mode', 'in_person')
                 WHEN 'hold_session' THEN jsonb_build_object('heldOn', p.day0 + 10, 'mode', 'in_person', 'borrowerAttended', true, 'fundAttendee', 'representative',
                                                              'privacyNoticeShownAtStart', true, 'checklist', ${CHECKLIST}::jsonb)
                 WHEN 'record_refusal_to_sign' THEN jsonb_build_object('cause', 'NR-' || (1 + p.i % 5), 'finalSession', true)
                 WHEN 'sign_convenio' THEN jsonb_build_object('signedOn', p.day0 + 10, 'convenioType', p.convenio_type, 'solutionId', 'SOL-2', 'copies', 3,
                                                              'signedBy', jsonb_build_array('borrower', 'representative', 'mediator'), 'acknowledgementSigned', true,
                                                              'firstPaymentExplained', true, 'checklist', ${CHECKLIST}::jsonb || '{"CHK-10":true}'::jsonb)
                 WHEN 'invite_to_survey' THEN jsonb_build_object('channel', 'link', 'complaintChannelsExplained', true)
                 ELSE '{}'::jsonb
               END AS data,
               CASE s.action WHEN 'close_by_dl5' THEN 'DL-5' WHEN 'close_not_scheduled' THEN 'act. 10' WHEN 'close_without_agreement' THEN 'act. 19'
                             WHEN 'record_refusal' THEN 'act. 3' WHEN 'record_solution_at_visit' THEN 'act. 2' END AS closure_rule
        FROM bench_plan p
        JOIN ${STEPS} ON p.path = ANY (s.paths)
      ) e
      WINDOW w AS (PARTITION BY e.i ORDER BY e.seq)`.execute(trx);
    log('  case events');
    // the signed convenios: 80 % approved, 60 % of them paid, the paid RATIFIED ones registered before the CJA
    await sql`
      INSERT INTO convenios (id, folio, case_id, credit_number, round, delegation_id, agency_id, mediator_id, representative_id, convenio_type,
                             solution_id, solution_policy_version, status, version, accepted_on, signed_on, sl1_due_on, sl1_met, copies,
                             acknowledgement_signed, balance_before_cents, discount_cents, balance_after_cents, monthly_payment_cents, payment_factor,
                             interest_rate_bp, term_months, first_payment_cents, first_payment_due_on, terms, credit_before, dl9_due_on,
                             submitted_on, approved_on, first_paid_on, first_paid_cents, cja_centre, cja_registration_number, cja_registered_on,
                             created_at, updated_at)
      SELECT p.i, 'CM-2026-' || lpad(p.i::text, 7, '0'), p.i, p.credit_number, 1, p.delegation_id, ${ref.agencyId}, p.mediator_id, ${ref.representative},
             p.convenio_type, 'SOL-2', 1, c.status, c.version, p.day0, p.day0 + 10, p.day0 + 30, true, 3, true, 30000000, 0, 30000000, 450000, 1.0,
             1200, 240, 450000, p.day0 + 40, '{}'::jsonb, '{}'::jsonb, p.day0 + 10, p.day0 + 10,
             CASE WHEN c.approved THEN p.day0 + 11 END, CASE WHEN c.paid THEN p.day0 + 20 END, CASE WHEN c.paid THEN 450000 END,
             CASE WHEN c.registered THEN 'Centro de Justicia Alternativa' END, CASE WHEN c.registered THEN 'CJA-' || p.i END,
             CASE WHEN c.registered THEN p.day0 + 24 END, ${now}, ${now}
      FROM bench_plan p
      CROSS JOIN LATERAL (
        SELECT x.*, CASE WHEN x.paid THEN 'in_force' WHEN x.approved THEN 'approved' ELSE 'under_review' END AS status,
               2 + x.approved::int + x.paid::int + x.registered::int AS version
        FROM (SELECT p.i % 5 <> 0 AS approved, p.i % 5 <> 0 AND p.i % 5 <> 1 AS paid,
                     p.i % 5 NOT IN (0, 1) AND p.convenio_type = 'RATIFIED' AS registered) x
      ) c
      WHERE p.path = 'signed'`.execute(trx);
    await sql`
      INSERT INTO convenio_events (convenio_id, version, action, activity, from_status, to_status, on_date, actor_role, data, rule, recorded_at)
      SELECT v.id, row_number() OVER (PARTITION BY v.id ORDER BY s.seq), s.action, s.activity,
             lag(s.to_status) OVER (PARTITION BY v.id ORDER BY s.seq), s.to_status, v.signed_on + s.offset_days, s.actor_role,
             CASE s.action
               WHEN 'record_first_payment' THEN jsonb_build_object('paymentId', v.id, 'paidOn', v.first_paid_on, 'amountCents', v.first_paid_cents::text)
               WHEN 'record_cja_registration' THEN jsonb_build_object('centre', v.cja_centre, 'registrationNumber', v.cja_registration_number, 'registeredOn', v.cja_registered_on)
               ELSE '{}'::jsonb END,
             s.rule, ((v.signed_on + s.offset_days) + time '12:00') AT TIME ZONE 'America/Mexico_City'
      FROM convenios v
      JOIN (VALUES
        (1, 'sign', 'act. 20', 'signed', 0, 'mediator', 'CNV-1'),
        (2, 'submit_documents', 'act. 22', 'under_review', 0, 'mediator', 'DL-9'),
        (3, 'approve', 'act. 25', 'approved', 1, 'regional_manager', 'CNV-4'),
        (4, 'record_first_payment', 'act. 26', 'in_force', 10, 'system', 'CNV-5'),
        (5, 'record_cja_registration', 'act. 27', 'in_force', 14, 'mediator', 'act. 27')
      ) AS s(seq, action, activity, to_status, offset_days, actor_role, rule)
        ON s.seq <= 2 OR (s.seq = 3 AND v.approved_on IS NOT NULL) OR (s.seq = 4 AND v.first_paid_on IS NOT NULL) OR (s.seq = 5 AND v.cja_registered_on IS NOT NULL)`.execute(trx);
    log('  convenios and their events');
  });
  // as a month of the platform's writes looks when its report is asked for: vacuumed and analysed
  // by autovacuum, hint bits set, dirty pages written out
  await sql`VACUUM ANALYZE`.execute(database.db);
  await sql`CHECKPOINT`.execute(database.db);
}

/** Prints the process's peak RSS when it exits (a preload of the command's process). */
const PEAK_RSS_PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('peak-rss-kb='+process.resourceUsage().maxRSS+'\\n'))`;

/**
 * `cobranza report agency` in its own process, as an operator runs it (bin/cobranza.mjs: Node's
 * flags from bin/node-flags.mjs, not the bench's NODE_OPTIONS): its summary line's seconds (the
 * report, without start-up) and the whole process's peak RSS (tsx, the modules, the report).
 */
async function commandLine(env: Record<string, string>, agencyId: number, out: string): Promise<{ seconds: number; peakRss: number; line: string }> {
  const args = ['--date', TODAY, 'report', 'agency', '--agency', String(agencyId), '--month', MONTH, '--out', out];
  const child = spawn(process.execPath, [...nodeFlags(args), '--import', PEAK_RSS_PRELOAD, '--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: new URL('..', import.meta.url),
    // an empty value removes the variable: NODE_OPTIONS (`npm run bench` sets a larger young
    // generation for its bulk loads) and, on PGlite, DATABASE_URL
    env: Object.fromEntries(Object.entries({ ...process.env, NODE_OPTIONS: '', ...env }).filter(([, value]) => value !== '')),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = /en ([\d.]+) s/.exec(stdout)?.[1];
  const peak = /peak-rss-kb=(\d+)/.exec(stderr)?.[1];
  if (code !== 0 || seconds === undefined || peak === undefined) throw new Error(`cobranza report agency failed (${code}): ${stdout} ${stderr}`);
  return { seconds: Number(seconds), peakRss: Number(peak) * 1024, line: stdout.trim() };
}

/** Generates the month, then times REP-1 as of the month end and as of today; returns the agency. */
async function scenario(engine: 'postgresql' | 'pglite', database: Database, credits: number, options: BenchOptions, figures: Figure[], ratios: Figure[], details: Record<string, unknown>): Promise<number> {
  options.log(`${engine}: generating an agency month of ${formatCount(credits)} credits…`);
  const ref = await prepareReference(database, credits);
  const generated = await measure(() => generate(database, credits, ref, options.log));
  figures.push({ label: `${engine}: generate the month (set-based)`, value: generated.seconds, unit: 's' });
  const counts = await sql<{ cases: number; events: number; convenios: number }>`
    SELECT (SELECT count(*)::int FROM mediation_cases) AS cases, (SELECT count(*)::int FROM case_events) AS events, (SELECT count(*)::int FROM convenios) AS convenios`.execute(database.db);
  details[engine] = counts.rows[0];
  const directory = mkdtempSync(join(tmpdir(), 'cobranza-rep1-'));
  try {
    for (const asOf of [undefined, TODAY]) {
      const plan = await planAgencyReport(database.db, undefined, { agency: ref.agencyId, month: MONTH, asOf, today: TODAY });
      const floor = await measure(() =>
        database.db.transaction().execute(async (trx) => {
          let rows = 0;
          for await (const page of cursorPages(trx, agencyReport(plan, { now: clock.now() }).query)) rows += page.length;
          return rows;
        }),
      );
      const path = join(directory, `rep1-${plan.asOf}.xlsx`);
      const written = await measure(() => writeAgencyReportFile(database.db, plan, { path, now: clock.now() }));
      if (written.result !== credits || floor.result !== credits) throw new Error(`REP-1 wrote ${written.result} rows (the statement gave ${floor.result}) for ${credits} credits`);
      const label = `${engine} ${formatCount(credits)}, as of ${plan.asOf}`;
      figures.push({ label: `${label}: REP-1 written to a file`, value: written.seconds, unit: 's', peakRss: written.peakRss });
      figures.push({ label: `${label}: peak Node RSS while writing`, value: written.peakRss / MB, unit: 'MB' });
      figures.push({ label: `${label}: Node RSS growth while writing (peak − before)`, value: Math.max(0, written.peakRss - written.rssBefore) / MB, unit: 'MB' });
      figures.push({ label: `${label}: floor, the statement alone through the cursor`, value: floor.seconds, unit: 's' });
      figures.push({ label: `${label}: file size`, value: statSync(path).size / MB, unit: 'MB' });
      ratios.push({ label: `${label}: report / floor`, value: written.seconds / floor.seconds, unit: 'ratio' });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return ref.agencyId;
}

function addCommandLine(engine: string, credits: number, cli: { seconds: number; peakRss: number; line: string }, figures: Figure[], details: Record<string, unknown>) {
  figures.push({ label: `${engine} ${formatCount(credits)}: \`cobranza report agency\` in its own process, the report (its summary line)`, value: cli.seconds, unit: 's', peakRss: cli.peakRss });
  figures.push({ label: `${engine} ${formatCount(credits)}: \`cobranza report agency\`, peak RSS of the whole process`, value: cli.peakRss / MB, unit: 'MB' });
  details[`${engine}-command-line`] = cli.line;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const credits = Number(process.env.REPORTS_CREDITS ?? 100_000);
  const engines = (process.env.REPORTS_ENGINES ?? 'postgresql,pglite').split(',');
  const figures: Figure[] = [];
  const ratios: Figure[] = [];
  const details: Record<string, unknown> = {};
  if (engines.includes('postgresql')) {
    const server = await createScratchDatabase(options, name);
    if (server) {
      try {
        const database = await openDatabase({ databaseUrl: server.url, maxConnections: 2 });
        let agencyId: number;
        try {
          agencyId = await scenario('postgresql', database, credits, options, figures, ratios, details);
        } finally {
          await database.close();
        }
        const cli = await commandLine({ DATABASE_URL: server.url }, agencyId, join(options.tempDir('rep1-cli'), 'rep1.xlsx'));
        addCommandLine('postgresql', credits, cli, figures, details);
      } finally {
        await server.drop();
      }
    }
  }
  if (engines.includes('pglite')) {
    // laid out as the command line's data directory (DATA_DIR/pglite)
    const dataDir = options.tempDir('pglite-reports');
    // in a worker thread, as the server and `cobranza report` run it
    const database = await openDatabase({ dataDir: join(dataDir, 'pglite'), worker: true });
    let agencyId: number;
    try {
      agencyId = await scenario('pglite', database, credits, options, figures, ratios, details);
    } finally {
      await database.close();
    }
    const cli = await commandLine({ DATA_DIR: dataDir, DATABASE_URL: '' }, agencyId, join(options.tempDir('rep1-cli'), 'rep1.xlsx'));
    addCommandLine('pglite', credits, cli, figures, details);
  }
  return {
    figures,
    ratios,
    notes: [
      'Targets (issue 6): REP-1 of an agency month of 100,000 credits written in ≤ 5 s with a peak Node RSS ≤ 250 MB.',
      'In this process, PGlite\'s WASM heap counts in the RSS (PostgreSQL runs in its own) and the generation leaves its memory: the RSS growth while writing is the report\'s; the command line\'s own process gives the whole picture (started as bin/cobranza.mjs starts `report`: Node\'s default young generation, no NODE_OPTIONS).',
    ],
    details,
  };
}
