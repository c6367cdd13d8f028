/**
 * The daily sweep (SPEC §5): "the automatic closures (DL-5, DL-8) are run by the platform itself
 * every day, for all cases at once, idempotently, and must be explainable afterwards (which rule,
 * which policy version, which date)".
 *
 * One transaction, a few set-based statements, no loop over cases:
 *
 * - DL-5 (Guía act. 10): accepted, distributed or contacting cases on or after day 32 with no
 *   session scheduled and no NS record → `closed_dl5` — `closesByDl5` in SQL, on the partial
 *   index `mediation_cases_dl5_idx`.
 * - DL-8 (Guía act. 15): scheduled or rescheduled cases on or after day 91 with no session held
 *   and no session date still to come → `closed_dl8` — `closesByDl8`, on `mediation_cases_dl8_idx`.
 * - act. 10: a case whose mediator recorded NS (act. 9) has its mediation tag removed
 *   (`closed_not_scheduled`) from its DL-5 day on. The Guía: "una vez que el mediador haya
 *   registrado que no se concretó una cita … y que el plazo mencionado y autorizado por la Gerencia
 *   … expiró"; NS may be recorded from the DL-4 day until the day before DL-5 (guard `ns_window`),
 *   so the term has expired on the DL-5 day, when the automatic process of day 32 runs.
 * - act. 19: a case whose borrower refused to sign (act. 18, recorded only at the end of the last
 *   session) has its tag removed (`closed_no_agreement`) at the next sweep.
 * - SLA breaches DL-1, DL-2, DL-4, DL-6 (`breachesDl1/2/4/6`), flagged once per case and rule.
 *
 * Each closure bumps the case version, stores the facts `evolve` would produce and appends one
 * case event with the rule, the deadline policy version of the case and the Spanish explanation
 * `explainDeadline` gives (built in SQL from its wording). The run is recorded in `case_sweeps`
 * with its counts and in the audit trail. Running it again the same day finds nothing to do;
 * after missed days it closes everything that became due meanwhile (every predicate is "on or
 * after" its day).
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays, formatDateEs, type IsoDate } from '../../clock.js';
import type { Db, Executor } from '../../db/index.js';
import { recordEvent, type Actor } from '../audit/audit.service.js';
import {
  addDeadlineDays,
  createHolidayCalendar,
  explainDeadline,
  timingPhrase,
  type DeadlinePolicy,
} from '../deadlines/deadlines.rules.js';
import { findPolicyVersions } from '../policy/policy.service.js';
import { TRANSITIONS, type CaseAction } from './mediation.rules.js';
import { sweepConvenios, type ConvenioSweepSummary } from '../convenios/convenios.service.js';
import { sweepCaseFiles } from '../casefiles/casefiles.service.js';
import { sweepReportRequests } from '../reports/report-requests.service.js';

// ------------------------------------------------------------------------------------------------
// What a sweep reports
// ------------------------------------------------------------------------------------------------

/** The rules a sweep closes by, as stored in `closure_rule`. */
export const SWEEP_CLOSURE_RULES = ['DL-5', 'DL-8', 'act. 10', 'act. 19'] as const;
export type SweepClosureRule = (typeof SWEEP_CLOSURE_RULES)[number];

/** The SLA breaches a sweep flags (`case_deadline_breaches.rule`). */
export const SWEEP_SLA_RULES = ['DL-1', 'DL-2', 'DL-4', 'DL-6'] as const;
export type SweepSlaRule = (typeof SWEEP_SLA_RULES)[number];

/** The transition each closure applies (mediation.rules TRANSITIONS). */
const CLOSURE_ACTION: Record<SweepClosureRule, CaseAction> = {
  'DL-5': 'close_by_dl5',
  'DL-8': 'close_by_dl8',
  'act. 10': 'close_not_scheduled',
  'act. 19': 'close_without_agreement',
};

export const SWEEP_CLOSURE_LABELS: Record<SweepClosureRule, string> = {
  'DL-5': 'Cierre automático: sin sesión agendada ni registro de no agendada (act. 10)',
  'DL-8': 'Cierre automático: sin sesión celebrada ni nueva fecha (act. 15)',
  'act. 10': 'Etiqueta retirada: no se logró agendar la sesión (NS) y venció el plazo',
  'act. 19': 'Etiqueta retirada: el acreditado se negó a firmar el convenio (NR)',
};

export const SWEEP_SLA_LABELS: Record<SweepSlaRule, string> = {
  'DL-1': 'La agencia no aprobó y distribuyó el caso a tiempo',
  'DL-2': 'El mediador no hizo el primer contacto a tiempo',
  'DL-4': 'No se registró a tiempo que no se logró agendar la sesión',
  'DL-6': 'La convocatoria no se envió el día en que se agendó la sesión',
};

export interface SweepSummary {
  sweepId: number;
  /** The day swept ("today" of the run). */
  sweptOn: IsoDate;
  startedAt: string;
  finishedAt: string;
  actor: { role: string; userId: number | null };
  closed: Record<SweepClosureRule, number>;
  totalClosed: number;
  /** Closures by rule and deadline policy version (which rule, which policy version). */
  byPolicyVersion: Array<{ rule: SweepClosureRule; policyVersion: number | null; cases: number }>;
  flagged: Record<SweepSlaRule, number>;
  totalFlagged: number;
  /** The convenios' part (CNV-5, DL-9..12): first payments found, convenios broken, breaches. */
  convenios: ConvenioSweepSummary;
  /** The case files' and reports' deadlines flagged (DL-13..DL-17). */
  files: Record<FileSweepRule, number>;
}

export const FILE_SWEEP_RULES = ['DL-13.request', 'DL-13.answer', 'DL-14', 'DL-15', 'DL-16', 'DL-17.answer'] as const;
export type FileSweepRule = (typeof FILE_SWEEP_RULES)[number];
const emptyFiles = (): Record<FileSweepRule, number> => ({ 'DL-13.request': 0, 'DL-13.answer': 0, 'DL-14': 0, 'DL-15': 0, 'DL-16': 0, 'DL-17.answer': 0 });

export interface SweepRecord extends SweepSummary {
  id: number;
}

// ------------------------------------------------------------------------------------------------
// Explanations: the wording of the pure module, filled in by SQL
// ------------------------------------------------------------------------------------------------

/** A date no case has: `explainDeadline` writes it where SQL then writes the case's date. */
const SENTINEL_DATE = '9999-12-31';
const SENTINEL_TEXT = formatDateEs(SENTINEL_DATE);

/** Splits a text made with the sentinel date into what comes before and after it. */
function aroundSentinel(text: string): [string, string] {
  const parts = text.split(SENTINEL_TEXT);
  if (parts.length !== 2) throw new Error(`Explanation template without exactly one date: ${text}`);
  return [parts[0]!, parts[1]!];
}

/** A text made of fixed parts and values between them: parts[0] v[0] parts[1] v[1] … parts[n]. */
function interleave(parts: readonly string[], values: readonly string[]): string {
  return parts.reduce((text, part, i) => text + part + (i < values.length ? values[i] : ''), '');
}

/** The same in SQL: the fixed parts as parameters, the values as SQL expressions. */
function sqlInterleave(parts: readonly string[], values: readonly RawBuilder<unknown>[]): RawBuilder<string> {
  const pieces: RawBuilder<unknown>[] = [];
  parts.forEach((part, i) => {
    pieces.push(sql`${part}::text`);
    if (i < values.length) pieces.push(sql`coalesce((${values[i]!})::text, '—')`);
  });
  return sql<string>`(${sql.join(pieces, sql` || `)})`;
}

const NOT_SCHEDULED_PARTS = [
  'act. 10: retiro de la etiqueta de mediación: no se logró agendar la sesión (',
  ', registrado el ',
  '); el plazo concluyó ',
  ' (',
  ', DL-5) — política v',
  '',
] as const;

const REFUSED_TO_SIGN_PARTS = [
  'act. 19: retiro de la etiqueta de mediación sin convenio: el acreditado se negó a firmar (',
  ', registrado el ',
  ')',
] as const;

/**
 * act. 10 closure of a case with an NS record: "act. 10: retiro de la etiqueta de mediación: no se
 * logró agendar la sesión (NS-1, registrado el 22/11/2026); el plazo concluyó el día 32 desde la
 * aceptación (23/11/2026, DL-5) — política v1".
 */
export function explainNotScheduledClosure(
  input: { cause: string; recordedOn: IsoDate; dl5ClosesOn: IsoDate },
  policy: DeadlinePolicy,
  policyVersion: number,
): string {
  return interleave(NOT_SCHEDULED_PARTS, [
    input.cause,
    formatDateEs(input.recordedOn),
    timingPhrase('DL-5', policy['DL-5']),
    formatDateEs(input.dl5ClosesOn),
    String(policyVersion),
  ]);
}

/** act. 19: "act. 19: retiro de la etiqueta de mediación sin convenio: el acreditado se negó a firmar (NR-3, registrado el 20/11/2026)". */
export function explainRefusedToSignClosure(input: { cause: string; recordedOn: IsoDate }): string {
  return interleave(REFUSED_TO_SIGN_PARTS, [input.cause, formatDateEs(input.recordedOn)]);
}

const ddmmyyyy = (expression: RawBuilder<unknown>) => sql`to_char(${expression}, 'DD/MM/YYYY')`;

// ------------------------------------------------------------------------------------------------
// The deadline policy versions, as a small table the statements join
// ------------------------------------------------------------------------------------------------

interface VersionTable {
  versions: number[];
  dl5Before: string[];
  dl5After: string[];
  dl8Before: string[];
  dl8After: string[];
  dl5Timing: string[];
  dl6Unit: string[];
  dl6Amount: number[];
  policies: Map<number, DeadlinePolicy>;
  effectiveFrom: Map<number, IsoDate>;
}

async function loadVersionTable(trx: Executor): Promise<VersionTable> {
  const table: VersionTable = {
    versions: [],
    dl5Before: [],
    dl5After: [],
    dl8Before: [],
    dl8After: [],
    dl5Timing: [],
    dl6Unit: [],
    dl6Amount: [],
    policies: new Map(),
    effectiveFrom: new Map(),
  };
  for (const row of await findPolicyVersions(trx, 'deadlines')) {
    const policy = row.value;
    const [dl5Before, dl5After] = aroundSentinel(explainDeadline('DL-5', SENTINEL_DATE, policy, row.version));
    const [dl8Before, dl8After] = aroundSentinel(explainDeadline('DL-8', SENTINEL_DATE, policy, row.version));
    table.versions.push(row.version);
    table.dl5Before.push(dl5Before);
    table.dl5After.push(dl5After);
    table.dl8Before.push(dl8Before);
    table.dl8After.push(dl8After);
    table.dl5Timing.push(timingPhrase('DL-5', policy['DL-5']));
    table.dl6Unit.push(policy['DL-6'].unit);
    table.dl6Amount.push(policy['DL-6'].amount);
    table.policies.set(row.version, policy);
    table.effectiveFrom.set(row.version, row.effectiveFrom);
  }
  return table;
}

const versionsJoin = (table: VersionTable) => sql`unnest(
  ${table.versions}::int[], ${table.dl5Before}::text[], ${table.dl5After}::text[], ${table.dl8Before}::text[],
  ${table.dl8After}::text[], ${table.dl5Timing}::text[], ${table.dl6Unit}::text[], ${table.dl6Amount}::int[]
) AS v(version, dl5_before, dl5_after, dl8_before, dl8_after, dl5_timing, dl6_unit, dl6_amount)`;

// ------------------------------------------------------------------------------------------------
// DL-6 in business days: the first scheduling's due date of a rescheduled case
// ------------------------------------------------------------------------------------------------

/**
 * `dl6_due_on` holds the due date of the latest scheduling; `breachesDl6` also reads the first
 * one when the session was rescheduled. In calendar days it is `scheduled_on + amount`; in
 * business days the pure module computes it, here once per (policy version, holiday calendar,
 * day) over the days cases of that version can have been scheduled — never per case — and the
 * statement looks it up.
 */
interface BusinessDueTable {
  versions: number[];
  holidayIds: number[];
  anchors: string[];
  dues: string[];
}

async function loadBusinessDl6Table(trx: Executor, table: VersionTable, today: IsoDate): Promise<BusinessDueTable> {
  const result: BusinessDueTable = { versions: [], holidayIds: [], anchors: [], dues: [] };
  const business = table.versions.filter((version) => table.policies.get(version)!['DL-6'].unit === 'business');
  if (business.length === 0) return result;
  const holidayVersions = await findPolicyVersions(trx, 'holiday_calendar');
  for (const version of business) {
    const policy = table.policies.get(version)!;
    // A case uses the version in force on its day 0, so it was scheduled on or after that version's effective date.
    const first = table.effectiveFrom.get(version)!;
    for (const holiday of holidayVersions) {
      const calendar = createHolidayCalendar(holiday.value);
      for (let anchor = first; anchor <= today; anchor = addDays(anchor, 1)) {
        result.versions.push(version);
        result.holidayIds.push(holiday.id);
        result.anchors.push(anchor);
        result.dues.push(addDeadlineDays(anchor, policy['DL-6'].amount, 'business', calendar));
      }
    }
  }
  return result;
}

// ------------------------------------------------------------------------------------------------
// The statements
// ------------------------------------------------------------------------------------------------

interface SweepContext {
  today: IsoDate;
  now: Date;
  sweepId: number;
  versions: VersionTable;
}

type Counted = { rule: SweepClosureRule; policy_version: number | null; n: number };

/** The facts after the closure, as `evolve` writes them (state, closedOn, closureRule). */
const closedFacts = (toState: string, rule: SweepClosureRule, today: IsoDate) =>
  sql`c.facts || jsonb_build_object('state', ${toState}::text, 'closedOn', ${today}::text, 'closureRule', ${rule}::text)`;

/**
 * DL-5 and DL-8: the automatic closures. The inner select reads the partial index of the rule;
 * the update re-checks the rule and the version it read, so a case another transaction changed
 * meanwhile is left for the next pass (it is re-read there with its new facts).
 */
function closeByDeadlineSql(rule: 'DL-5' | 'DL-8', context: SweepContext): RawBuilder<Counted> {
  const { today, now, sweepId, versions } = context;
  const action = CLOSURE_ACTION[rule];
  const transition = TRANSITIONS[action];
  const toState = transition.to;
  const due =
    rule === 'DL-5'
      ? sql`c.state IN ('accepted', 'distributed', 'contacting') AND c.dl5_closes_on <= ${today}::date
            AND c.closed_on IS NULL AND c.scheduled_on IS NULL AND c.not_scheduled_on IS NULL`
      : sql`c.state IN ('scheduled', 'rescheduled') AND c.dl8_closes_on <= ${today}::date
            AND c.closed_on IS NULL AND c.scheduled_on IS NOT NULL AND c.session_held_on IS NULL
            AND (c.session_date IS NULL OR c.session_date < ${today}::date)`;
  const closesOn = rule === 'DL-5' ? sql`closed.dl5_closes_on` : sql`closed.dl8_closes_on`;
  const explanation = rule === 'DL-5' ? sql`v.dl5_before || ${ddmmyyyy(closesOn)} || v.dl5_after` : sql`v.dl8_before || ${ddmmyyyy(closesOn)} || v.dl8_after`;
  return sql<Counted>`
    WITH due AS (
      SELECT c.id, c.version, c.state FROM mediation_cases c WHERE ${due}
    ), closed AS (
      UPDATE mediation_cases c
      SET state = ${toState}, version = c.version + 1, closed_on = ${today}::date, closure_rule = ${rule}, updated_at = ${now},
          facts = ${closedFacts(toState, rule, today)}
      FROM due
      WHERE c.id = due.id AND c.version = due.version AND ${due}
      RETURNING c.id, c.version, c.round, due.state AS from_state, c.dl5_closes_on, c.dl8_closes_on, c.deadline_policy_version
    ), events AS (
      INSERT INTO case_events (case_id, version, action, activity, from_state, to_state, on_date, round, actor_role, actor_user_id,
                               data, closure_rule, policy_version, explanation, sweep_id, recorded_at)
      SELECT closed.id, closed.version, ${action}, ${transition.activity}, closed.from_state, ${toState}, ${today}::date, closed.round,
             'system', NULL, '{}'::jsonb, ${rule}, closed.deadline_policy_version, ${explanation}, ${sweepId}, ${now}
      FROM closed LEFT JOIN ${versionsJoin(versions)} ON v.version = closed.deadline_policy_version
      RETURNING policy_version
    )
    SELECT ${rule}::text AS rule, policy_version, count(*)::int AS n FROM events GROUP BY policy_version`;
}

/**
 * act. 10 and act. 19: the tag removals of cases whose mediator recorded NS (from their DL-5 day
 * on) or the borrower's refusal to sign. No partial index serves these two states, so the
 * statement walks the (agency, state) index once per agency instead of reading the table.
 */
function removeTagsSql(context: SweepContext): RawBuilder<Counted> {
  const { today, now, sweepId, versions } = context;
  const ns = TRANSITIONS.close_not_scheduled;
  const nr = TRANSITIONS.close_without_agreement;
  const due = sql`c.agency_id IN (SELECT id FROM agencies) AND c.state IN ('not_scheduled', 'refused_to_sign') AND c.closed_on IS NULL
    AND (c.state = 'refused_to_sign' OR c.dl5_closes_on <= ${today}::date)`;
  const isNs = sql`closed.to_state = ${ns.to}`;
  const nsExplanation = sqlInterleave(NOT_SCHEDULED_PARTS, [
    sql`closed.facts->>'notScheduledCause'`,
    ddmmyyyy(sql`closed.not_scheduled_on`),
    sql`v.dl5_timing`,
    ddmmyyyy(sql`closed.dl5_closes_on`),
    sql`closed.deadline_policy_version`,
  ]);
  const nrExplanation = sqlInterleave(REFUSED_TO_SIGN_PARTS, [
    sql`closed.facts->>'refusalToSignCause'`,
    ddmmyyyy(sql`(closed.facts->>'refusedToSignOn')::date`),
  ]);
  return sql<Counted>`
    WITH closed AS (
      UPDATE mediation_cases c
      SET state = CASE c.state WHEN 'not_scheduled' THEN ${ns.to} ELSE ${nr.to} END,
          closure_rule = CASE c.state WHEN 'not_scheduled' THEN ${ns.closes!} ELSE ${nr.closes!} END,
          facts = c.facts || jsonb_build_object(
            'state', CASE c.state WHEN 'not_scheduled' THEN ${ns.to}::text ELSE ${nr.to}::text END,
            'closedOn', ${today}::text,
            'closureRule', CASE c.state WHEN 'not_scheduled' THEN ${ns.closes!}::text ELSE ${nr.closes!}::text END),
          version = c.version + 1, closed_on = ${today}::date, updated_at = ${now}
      WHERE ${due}
      RETURNING c.id, c.version, c.round, c.state AS to_state, c.facts, c.not_scheduled_on, c.dl5_closes_on, c.deadline_policy_version
    ), events AS (
      INSERT INTO case_events (case_id, version, action, activity, from_state, to_state, on_date, round, actor_role, actor_user_id,
                               data, closure_rule, policy_version, explanation, sweep_id, recorded_at)
      SELECT closed.id, closed.version,
             CASE WHEN ${isNs} THEN ${ns.action} ELSE ${nr.action} END,
             CASE WHEN ${isNs} THEN ${ns.activity} ELSE ${nr.activity} END,
             CASE WHEN ${isNs} THEN 'not_scheduled' ELSE 'refused_to_sign' END,
             closed.to_state, ${today}::date, closed.round, 'system', NULL, '{}'::jsonb,
             CASE WHEN ${isNs} THEN ${ns.closes!} ELSE ${nr.closes!} END,
             CASE WHEN ${isNs} THEN closed.deadline_policy_version END,
             CASE WHEN ${isNs} THEN ${nsExplanation} ELSE ${nrExplanation} END,
             ${sweepId}, ${now}
      FROM closed LEFT JOIN ${versionsJoin(versions)} ON v.version = closed.deadline_policy_version
      RETURNING closure_rule, policy_version
    )
    SELECT closure_rule AS rule, policy_version, count(*)::int AS n FROM events GROUP BY closure_rule, policy_version`;
}

/** The bit of each SLA rule in a case's mask of flagged breaches. */
const SLA_BIT: Record<SweepSlaRule, number> = { 'DL-1': 1, 'DL-2': 2, 'DL-4': 4, 'DL-6': 8 };

/**
 * SLA breaches (DL-1, DL-2, DL-4, DL-6), each flagged once per case: `breachesDl1/2/4/6` in SQL
 * over every accepted case, against the due dates stored at their anchors.
 *
 * Cost: one read of the cases, joined by hash to the mask of the rules already flagged per case,
 * keeps the cases with a breach not flagged yet (cheap date comparisons; a rescheduled case whose
 * DL-6 is not flagged is kept and its facts decide); only those are expanded into (case, rule)
 * pairs. ON CONFLICT covers what another transaction flagged meanwhile.
 */
function flagBreachesSql(context: SweepContext, business: BusinessDueTable): RawBuilder<{ rule: SweepSlaRule; n: number }> {
  const { today, versions } = context;
  /** A deadline is breached when the step was done after its due date, or not done and the date passed. */
  const breached = (dueOn: RawBuilder<unknown>, doneOn: RawBuilder<unknown>) =>
    sql`(CASE WHEN ${doneOn} IS NULL THEN ${today}::date > ${dueOn} ELSE ${doneOn} > ${dueOn} END)`;
  const dl1 = (t: string) => breached(sql.raw(`${t}.dl1_due_on`), sql.raw(`${t}.distributed_on`));
  const dl2 = (t: string) => sql`${sql.raw(t)}.distributed_on IS NOT NULL AND ${breached(sql.raw(`${t}.dl2_due_on`), sql.raw(`${t}.first_contact_on`))}`;
  const dl4 = (t: string) => sql`${sql.raw(t)}.scheduled_on IS NULL AND ${breached(sql.raw(`${t}.dl4_due_on`), sql.raw(`${t}.not_scheduled_on`))}`;
  const unflagged = (rule: SweepSlaRule, mask: string) => sql`(${sql.raw(mask)} & ${sql.lit(SLA_BIT[rule])}) = 0`;
  // The first scheduling's DL-6 due date: the stored one unless the session was rescheduled.
  const firstDl6Due = sql`CASE
    WHEN NOT s.rescheduled THEN s.dl6_due_on
    WHEN v.dl6_unit = 'calendar' THEN s.scheduled_on + v.dl6_amount
    ELSE (SELECT t.due FROM unnest(${business.versions}::int[], ${business.holidayIds}::int[], ${business.anchors}::date[], ${business.dues}::date[])
            AS t(version, holiday_id, anchor, due)
          WHERE t.version = s.deadline_policy_version AND t.anchor = s.scheduled_on
            AND t.holiday_id = (SELECT h.id FROM policy_versions h
                                WHERE h.policy_key = 'holiday_calendar' AND h.effective_from <= s.accepted_on
                                ORDER BY h.effective_from DESC, h.version DESC LIMIT 1))
  END`;
  return sql<{ rule: SweepSlaRule; n: number }>`
    WITH flagged_rules AS (
      SELECT b.case_id, bit_or(CASE b.rule WHEN 'DL-1' THEN 1 WHEN 'DL-2' THEN 2 WHEN 'DL-4' THEN 4 ELSE 8 END) AS mask
      FROM case_deadline_breaches b
      GROUP BY b.case_id
    ), cases AS (
      SELECT c.id, c.deadline_policy_version, c.accepted_on, c.distributed_on, c.first_contact_on, c.scheduled_on, c.summons_sent_on,
             c.not_scheduled_on, c.dl1_due_on, c.dl2_due_on, c.dl4_due_on, c.dl6_due_on, coalesce(f.mask, 0) AS mask,
             CASE WHEN c.scheduled_on IS NULL THEN false ELSE c.facts ? 'rescheduledOn' END AS rescheduled,
             CASE WHEN c.scheduled_on IS NULL THEN NULL ELSE (c.facts->>'rescheduleSummonsSentOn')::date END AS reschedule_summons_sent_on
      FROM mediation_cases c
      LEFT JOIN flagged_rules f ON f.case_id = c.id
      WHERE c.accepted_on IS NOT NULL
        AND ((${dl1('c')} AND ${unflagged('DL-1', 'coalesce(f.mask, 0)')})
             OR (${dl2('c')} AND ${unflagged('DL-2', 'coalesce(f.mask, 0)')})
             OR (${dl4('c')} AND ${unflagged('DL-4', 'coalesce(f.mask, 0)')})
             OR (c.scheduled_on IS NOT NULL AND ${unflagged('DL-6', 'coalesce(f.mask, 0)')}
                 AND (${breached(sql`c.dl6_due_on`, sql`c.summons_sent_on`)} OR c.facts ? 'rescheduledOn')))
    ), dl6 AS (
      SELECT s.*, ${firstDl6Due} AS first_dl6_due_on
      FROM cases s LEFT JOIN ${versionsJoin(versions)} ON v.version = s.deadline_policy_version
    ), candidates AS (
      SELECT d.id AS case_id, r.rule, r.due_on, d.deadline_policy_version AS policy_version
      FROM dl6 d
      CROSS JOIN LATERAL (VALUES
        ('DL-1', d.dl1_due_on, ${dl1('d')} AND ${unflagged('DL-1', 'd.mask')}),
        ('DL-2', d.dl2_due_on, ${dl2('d')} AND ${unflagged('DL-2', 'd.mask')}),
        ('DL-4', d.dl4_due_on, ${dl4('d')} AND ${unflagged('DL-4', 'd.mask')}),
        ('DL-6',
         CASE WHEN d.scheduled_on IS NOT NULL AND ${breached(sql`d.first_dl6_due_on`, sql`d.summons_sent_on`)} THEN d.first_dl6_due_on ELSE d.dl6_due_on END,
         d.scheduled_on IS NOT NULL AND ${unflagged('DL-6', 'd.mask')}
           AND (${breached(sql`d.first_dl6_due_on`, sql`d.summons_sent_on`)}
                OR (d.rescheduled AND ${breached(sql`d.dl6_due_on`, sql`d.reschedule_summons_sent_on`)})))
      ) AS r(rule, due_on, breached)
      WHERE r.breached AND r.due_on IS NOT NULL
    ), flagged AS (
      INSERT INTO case_deadline_breaches (case_id, rule, due_on, flagged_on, policy_version)
      SELECT k.case_id, k.rule, k.due_on, ${today}::date, k.policy_version
      FROM candidates k
      ON CONFLICT DO NOTHING
      RETURNING rule
    )
    SELECT rule, count(*)::int AS n FROM flagged GROUP BY rule`;
}

// ------------------------------------------------------------------------------------------------
// The sweep
// ------------------------------------------------------------------------------------------------

/** The advisory lock every sweep takes: two sweeps never run at once, on any number of servers. */
export const SWEEP_LOCK = 'cobranza:case_sweep';

/** Takes the sweep lock for the transaction, waiting for a sweep in progress. */
export async function lockSweeps(trx: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${SWEEP_LOCK}))`.execute(trx);
}

/** Takes the sweep lock if it is free; false when another sweep holds it. */
export async function tryLockSweeps(trx: Executor): Promise<boolean> {
  const result = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${SWEEP_LOCK})) AS locked`.execute(trx);
  return result.rows[0]!.locked;
}

const emptyClosed = (): Record<SweepClosureRule, number> => ({ 'DL-5': 0, 'DL-8': 0, 'act. 10': 0, 'act. 19': 0 });
const emptyFlagged = (): Record<SweepSlaRule, number> => ({ 'DL-1': 0, 'DL-2': 0, 'DL-4': 0, 'DL-6': 0 });
const emptyConvenios = (): ConvenioSweepSummary => ({ firstPayments: 0, broken: 0, flagged: { 'DL-9': 0, 'DL-10': 0, 'DL-11': 0, 'DL-12': 0 } });

/** Passes of the closure statements: a second one only runs when the first skipped a case changed meanwhile. */
const MAX_PASSES = 3;

/**
 * Sweeps every case as of `today` (SPEC §5). Given a transaction, runs in it; given the database
 * handle, opens one. Concurrent sweeps wait for each other (advisory lock).
 */
export async function sweepCases(db: Executor, options: { today: IsoDate; now: Date; actor: Actor }): Promise<SweepSummary> {
  if (!db.isTransaction) return db.transaction().execute((trx) => sweepCases(trx, options));
  const trx = db;
  const { today, now, actor } = options;
  const started = performance.now();
  await lockSweeps(trx);
  // Hash joins over every case stay in memory for this transaction only (cf. the assignment run).
  await sql`SELECT set_config('work_mem', CASE WHEN version() LIKE '%wasm32%' THEN '64MB' ELSE '256MB' END, true)`.execute(trx);
  const sweep = await trx
    .insertInto('case_sweeps')
    .values({ swept_on: today, started_at: now, finished_at: now, summary: JSON.stringify({}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const sweepId = Number(sweep.id);
  const versions = await loadVersionTable(trx);
  const context: SweepContext = { today, now, sweepId, versions };

  const counted: Counted[] = [];
  // The closures read their partial indexes. The planner's statistics cover the whole table, where
  // most due dates have passed (closed cases, and open cases past them in other states), so it
  // over-estimates the due rows of a partial index and would read the table instead: after each
  // daily sweep, the cases of the index due on a day are a few thousand — too few to repay
  // compiling the statements (JIT) that this over-estimate would also trigger on a server.
  await sql`SET LOCAL enable_seqscan = off`.execute(trx);
  await sql`SET LOCAL jit = off`.execute(trx);
  for (const rule of ['DL-5', 'DL-8'] as const) {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const { rows } = await closeByDeadlineSql(rule, context).execute(trx);
      counted.push(...rows);
      if (rows.length === 0) break;
    }
  }
  counted.push(...(await removeTagsSql(context).execute(trx)).rows);
  await sql`SET LOCAL enable_seqscan TO DEFAULT`.execute(trx);
  await sql`SET LOCAL jit TO DEFAULT`.execute(trx);
  const business = await loadBusinessDl6Table(trx, versions, today);
  const { rows: flaggedRows } = await flagBreachesSql(context, business).execute(trx);
  const convenios = await sweepConvenios(trx, { today, now, actor });
  const files = { ...(await sweepCaseFiles(trx, { today, now, actor })).flagged, ...(await sweepReportRequests(trx, { today, now, actor })).flagged };

  const closed = emptyClosed();
  const byVersion = new Map<string, { rule: SweepClosureRule; policyVersion: number | null; cases: number }>();
  for (const row of counted) {
    closed[row.rule] += row.n;
    const key = `${row.rule}|${row.policy_version}`;
    const entry = byVersion.get(key) ?? { rule: row.rule, policyVersion: row.policy_version, cases: 0 };
    entry.cases += row.n;
    byVersion.set(key, entry);
  }
  const flagged = emptyFlagged();
  for (const row of flaggedRows) flagged[row.rule] += row.n;
  const finishedAt = new Date(now.getTime() + Math.round(performance.now() - started));
  const summary: SweepSummary = {
    sweepId,
    sweptOn: today,
    startedAt: now.toISOString(),
    finishedAt: finishedAt.toISOString(),
    actor: { role: actor.role, userId: actor.userId },
    closed,
    totalClosed: Object.values(closed).reduce((a, b) => a + b, 0),
    byPolicyVersion: [...byVersion.values()].sort((a, b) => SWEEP_CLOSURE_RULES.indexOf(a.rule) - SWEEP_CLOSURE_RULES.indexOf(b.rule) || (a.policyVersion ?? 0) - (b.policyVersion ?? 0)),
    flagged,
    totalFlagged: Object.values(flagged).reduce((a, b) => a + b, 0),
    convenios,
    files,
  };
  await trx
    .updateTable('case_sweeps')
    .set({ summary: JSON.stringify(summary), finished_at: finishedAt })
    .where('id', '=', sweep.id)
    .execute();
  await recordEvent(trx, actor, now, {
    action: 'case_sweep.run',
    entityType: 'case_sweep',
    entityId: String(sweepId),
    after: { sweptOn: today, closed, byPolicyVersion: summary.byPolicyVersion, flagged, convenios, files },
  });
  return summary;
}

class ExplainRollback extends Error {
  constructor(readonly plans: Record<string, string[]>) {
    super('explain only');
  }
}

/**
 * The plans of the sweep's statements as of `today`, to check that the closures read their
 * partial indexes (src/db/README.md: EXPLAIN anything that touches millions of rows). With
 * `analyze`, the statements run (EXPLAIN ANALYZE) in a transaction that is always rolled back.
 */
export async function explainSweep(db: Db, today: IsoDate, options: { analyze?: boolean } = {}): Promise<Record<string, string[]>> {
  try {
    await db.transaction().execute(async (trx) => {
      const versions = await loadVersionTable(trx);
      const context: SweepContext = { today, now: new Date(0), sweepId: 0, versions };
      const business = await loadBusinessDl6Table(trx, versions, today);
      const statements: Array<[string, RawBuilder<unknown>, boolean]> = [
        ['DL-5', closeByDeadlineSql('DL-5', context), true],
        ['DL-8', closeByDeadlineSql('DL-8', context), true],
        ['act. 10 / act. 19', removeTagsSql(context), true],
        ['DL-1, DL-2, DL-4, DL-6', flagBreachesSql(context, business), false],
      ];
      const plans: Record<string, string[]> = {};
      for (const [name, statement, indexed] of statements) {
        // As the sweep runs them (see sweepCases).
        await (indexed ? sql`SET LOCAL enable_seqscan = off` : sql`SET LOCAL enable_seqscan TO DEFAULT`).execute(trx);
        await (indexed ? sql`SET LOCAL jit = off` : sql`SET LOCAL jit TO DEFAULT`).execute(trx);
        const result = await sql<{ 'QUERY PLAN': string }>`EXPLAIN ${options.analyze ? sql`(ANALYZE, BUFFERS)` : sql``} ${statement}`.execute(trx);
        plans[name] = result.rows.map((row) => row['QUERY PLAN']);
      }
      throw new ExplainRollback(plans);
    });
  } catch (error) {
    if (error instanceof ExplainRollback) return error.plans;
    throw error;
  }
  throw new Error('unreachable');
}

/** Whether a sweep of `day` has been recorded (the scheduler runs one a day). */
export async function hasSweptOn(db: Executor, day: IsoDate): Promise<boolean> {
  const row = await db.selectFrom('case_sweeps').select('id').where('swept_on', '=', day).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The latest sweeps, newest first, with their summaries. */
export async function findSweeps(db: Executor, options: { limit?: number } = {}): Promise<SweepRecord[]> {
  const rows = await db
    .selectFrom('case_sweeps')
    .select(['id', 'swept_on', 'started_at', 'finished_at', 'summary'])
    .orderBy('id', 'desc')
    .limit(options.limit ?? 30)
    .execute();
  return rows.map((row) => {
    const summary = row.summary as Partial<SweepSummary>;
    const closed = { ...emptyClosed(), ...summary.closed };
    const flagged = { ...emptyFlagged(), ...summary.flagged };
    return {
      id: Number(row.id),
      sweepId: Number(row.id),
      sweptOn: row.swept_on,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at.toISOString(),
      actor: summary.actor ?? { role: 'system', userId: null },
      closed,
      totalClosed: summary.totalClosed ?? 0,
      byPolicyVersion: summary.byPolicyVersion ?? [],
      flagged,
      totalFlagged: summary.totalFlagged ?? 0,
      convenios: summary.convenios ?? emptyConvenios(),
      files: { ...emptyFiles(), ...summary.files },
    };
  });
}

/** The summary as people read it (CLI), in Spanish. */
export function describeSweep(summary: SweepSummary, elapsedMs?: number): string {
  const count = (n: number) => n.toLocaleString('es-MX');
  const lines = [
    `Barrido diario de casos del ${formatDateEs(summary.sweptOn)} (barrido ${summary.sweepId}${elapsedMs === undefined ? '' : `, ${(elapsedMs / 1000).toFixed(1)} s`})`,
    `Casos cerrados: ${count(summary.totalClosed)}`,
    ...SWEEP_CLOSURE_RULES.map((rule) => `  ${rule.padEnd(8)} ${count(summary.closed[rule]).padStart(9)}  ${SWEEP_CLOSURE_LABELS[rule]}`),
    `Incumplimientos de plazo marcados: ${count(summary.totalFlagged)}`,
    ...SWEEP_SLA_RULES.map((rule) => `  ${rule.padEnd(8)} ${count(summary.flagged[rule]).padStart(9)}  ${SWEEP_SLA_LABELS[rule]}`),
  ];
  const versions = summary.byPolicyVersion.filter((entry) => entry.policyVersion !== null);
  if (versions.length > 0) {
    lines.push(`Política de plazos aplicada: ${versions.map((entry) => `${entry.rule} v${entry.policyVersion} (${count(entry.cases)})`).join(', ')}`);
  }
  const c = summary.convenios;
  const conveniosFlagged = Object.values(c.flagged).reduce((a, b) => a + b, 0);
  lines.push(
    `Convenios: ${count(c.firstPayments)} con primer pago recibido, ${count(c.broken)} incumplidos (CNV-5)`,
    `Plazos de revisión de convenios incumplidos: ${Object.entries(c.flagged).map(([rule, n]) => `${rule} ${count(n)}`).join(', ')}`,
  );
  const filesFlagged = Object.values(summary.files).reduce((a, b) => a + b, 0);
  lines.push(`Plazos de expedientes y reportes incumplidos: ${FILE_SWEEP_RULES.map((rule) => `${rule} ${count(summary.files[rule])}`).join(', ')}`);
  if (summary.totalClosed === 0 && summary.totalFlagged === 0 && c.firstPayments === 0 && c.broken === 0 && conveniosFlagged === 0 && filesFlagged === 0) {
    lines.push('Nada pendiente: el barrido de este día ya estaba al corriente.');
  }
  return lines.join('\n') + '\n';
}
