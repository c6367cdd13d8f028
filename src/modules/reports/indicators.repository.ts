/**
 * The SQL of the indicators (REP-5): one set-based aggregate statement per figure, grouped by the
 * query's dimension, with the caller's scope applied in SQL (SEC-2, caseInScope) besides the
 * filters it became (indicators.rules resolveIndicatorQuery). No row leaves the database: only
 * counts per group.
 */
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../db/index.js';
import type { DB, ReportSlaRule, SlaRule } from '../../db/schema.js';
import type { Scope } from '../identity/identity.rules.js';
import { caseInScope } from '../mediation/cases.repository.js';
import { monthNameEs } from '../notify/outbox.templates.js';
import {
  COUNTED_DEADLINES,
  DEADLINE_RECORD,
  reportDeadlinesApply,
  TOTAL_KEY,
  type CountedDeadline,
  type GroupBy,
  type IndicatorQuery,
  type RunSummaryCounts,
  type Sl1Counts,
  type StageCounts,
} from './indicators.rules.js';

type Alias = 'c' | 'a' | 'r';

/** The grouping key as text (delegación, agency or mediator id; the month; or one total). */
function groupKey(groupBy: GroupBy, alias: Alias): RawBuilder<string | null> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  switch (groupBy) {
    case 'none':
      return sql<string>`${sql.lit(TOTAL_KEY)}::text`;
    case 'month':
      return sql<string>`${column('month')}::text`;
    case 'delegation':
      return sql<string | null>`${column('delegation_id')}::text`;
    case 'agency':
      return sql<string | null>`${column('agency_id')}::text`;
    case 'mediator':
      // Report deadlines and tagged credits have no mediator.
      return alias === 'c' ? sql<string | null>`c.mediator_id::text` : sql<string | null>`NULL::text`;
  }
}

type CaseTables = DB & { c: DB['mediation_cases'] };

/** The query's months and filters over `mediation_cases c` (the scope is applied by caseInScope too). */
function caseFilters(query: IndicatorQuery, options: { distributedOnly: boolean }) {
  return (eb: ExpressionBuilder<CaseTables, 'c'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('c.month', '>=', query.monthFrom), eb('c.month', '<=', query.monthTo)];
    if (query.delegationId !== undefined) conditions.push(eb('c.delegation_id', '=', query.delegationId));
    if (query.agencyId !== undefined) conditions.push(eb('c.agency_id', '=', query.agencyId));
    if (query.mediatorId !== undefined) conditions.push(eb('c.mediator_id', '=', query.mediatorId));
    if (options.distributedOnly) conditions.push(eb('c.mediator_id', 'is not', null));
    return eb.and(conditions);
  };
}

const toNumber = (value: bigint | number | string) => Number(value);

export type CaseStageCounts = Omit<StageCounts, 'tagged'>;

/**
 * The funnel from "offered" to "archived" (REP-5) in one statement: the cases of the months in
 * scope, their convenio and their convenio's case file, each stage a count of the date or row
 * that proves it. A case belongs to its month (the assignment month, mediation_cases.month).
 * "Offered": mediation offered at the visit (act. 2–3) — the case is `offered` or `refused`, or
 * was accepted (an ENT-A/B acceptance is marked by the agency without a visit). "Filed" and
 * "archived" count the case files of signed cases (EXP-1); a file without a convenio (EXP-2) is
 * not on the funnel's path.
 */
export async function countFunnelCases(db: Executor, scope: Scope, query: IndicatorQuery): Promise<Array<{ key: string | null; counts: CaseStageCounts }>> {
  const key = groupKey(query.groupBy, 'c');
  const rows = await db
    .selectFrom('mediation_cases as c')
    .leftJoin('convenios as v', 'v.case_id', 'c.id')
    .leftJoin('case_files as f', (join) => join.onRef('f.case_id', '=', 'c.id').on('f.outcome', '=', 'signed'))
    .where(caseInScope(scope))
    .where(caseFilters(query, { distributedOnly: query.groupBy === 'mediator' }))
    .select([
      key.as('key'),
      sql<bigint>`count(*) FILTER (WHERE c.accepted_on IS NOT NULL OR c.state IN ('offered', 'refused'))`.as('offered'),
      sql<bigint>`count(c.accepted_on)`.as('accepted'),
      sql<bigint>`count(c.distributed_on)`.as('distributed'),
      sql<bigint>`count(c.scheduled_on)`.as('scheduled'),
      sql<bigint>`count(c.session_held_on)`.as('held'),
      sql<bigint>`count(v.id)`.as('signed'),
      sql<bigint>`count(v.approved_on)`.as('approved'),
      sql<bigint>`count(v.first_paid_on)`.as('first_payment'),
      sql<bigint>`count(f.id)`.as('filed'),
      sql<bigint>`count(f.archived_on)`.as('archived'),
    ])
    .groupBy(key)
    .execute();
  return rows.map((row) => ({
    key: row.key,
    counts: {
      offered: toNumber(row.offered),
      accepted: toNumber(row.accepted),
      distributed: toNumber(row.distributed),
      scheduled: toNumber(row.scheduled),
      held: toNumber(row.held),
      signed: toNumber(row.signed),
      approved: toNumber(row.approved),
      first_payment: toNumber(row.first_payment),
      filed: toNumber(row.filed),
      archived: toNumber(row.archived),
    },
  }));
}

/**
 * "Tagged" by counting the month's assignments (credit_assignments, one partition per month with
 * a run — only the months asked are read). For the months and queries the run summaries cannot
 * answer exactly (indicators.rules summaryAnswers).
 */
export async function countTagged(db: Executor, query: IndicatorQuery, months: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (months.length === 0) return counts;
  const key = groupKey(query.groupBy, 'a');
  let select = db
    .selectFrom('credit_assignments as a')
    .where('a.month', 'in', [...months])
    .select([key.as('key'), sql<bigint>`count(*)`.as('n')])
    .groupBy(key);
  if (query.delegationId !== undefined) select = select.where('a.delegation_id', '=', query.delegationId);
  if (query.agencyId !== undefined) select = select.where('a.agency_id', '=', query.agencyId);
  for (const row of await select.execute()) if (row.key !== null) counts.set(row.key, toNumber(row.n));
  return counts;
}

const ZStoredSummary = z.object({
  assigned: z.number().int().nonnegative(),
  byDelegation: z.array(z.object({ delegationId: z.number().int(), assigned: z.number().int().nonnegative() })),
  byAgency: z.array(z.object({ agencyId: z.number().int(), assigned: z.number().int().nonnegative() })),
});

/**
 * The months of the range with a monthly run whose stored summary (ASG-6) still equals the
 * month's assignments: only the run and the entries A/B (proposals resolved with the month) write
 * credit_assignments, so a month none of whose proposal credits was tagged holds exactly what its
 * run counted. A summary that does not parse is not used.
 */
export async function findExactRunSummaries(db: Executor, query: IndicatorQuery): Promise<Map<string, RunSummaryCounts>> {
  const rows = await db
    .selectFrom('assignment_runs as r')
    .select([
      'r.month',
      'r.summary',
      sql<boolean>`EXISTS (SELECT 1 FROM mediation_proposals p JOIN mediation_proposal_credits pc ON pc.proposal_id = p.id
                           WHERE p.month = r.month AND pc.outcome = 'tagged')`.as('other_entries'),
    ])
    .where('r.month', '>=', query.monthFrom)
    .where('r.month', '<=', query.monthTo)
    .execute();
  const exact = new Map<string, RunSummaryCounts>();
  for (const row of rows) {
    if (row.other_entries) continue;
    const parsed = ZStoredSummary.safeParse(row.summary);
    if (parsed.success) exact.set(row.month, parsed.data);
  }
  return exact;
}

/** SL-1 (SPEC §5): the convenios signed in the cases of the months in scope, and those within the service level. */
export async function countSl1(db: Executor, scope: Scope, query: IndicatorQuery): Promise<Array<{ key: string | null; counts: Sl1Counts }>> {
  const key = groupKey(query.groupBy, 'c');
  const rows = await db
    .selectFrom('convenios as v')
    .innerJoin('mediation_cases as c', 'c.id', 'v.case_id')
    .where(caseInScope(scope))
    .where(caseFilters(query, { distributedOnly: false }))
    .select([key.as('key'), sql<bigint>`count(*)`.as('signed'), sql<bigint>`count(*) FILTER (WHERE v.sl1_met)`.as('met')])
    .groupBy(key)
    .execute();
  return rows.map((row) => ({ key: row.key, counts: { signed: toNumber(row.signed), met: toNumber(row.met) } }));
}

const CASE_BREACH_RULES = COUNTED_DEADLINES.filter((rule): rule is SlaRule => DEADLINE_RECORD[rule] === 'case_breach');
const CLOSURE_RULES = COUNTED_DEADLINES.filter((rule) => DEADLINE_RECORD[rule] === 'closure');
const REPORT_RULES = COUNTED_DEADLINES.filter((rule): rule is ReportSlaRule => DEADLINE_RECORD[rule] === 'report_breach');

/**
 * The deadlines passed (DL-1..DL-17), by rule and group, in one statement: the SLA breaches the
 * sweeps flagged on cases, convenios and case files (by the case's month and dimensions), the
 * automatic closures DL-5 and DL-8 (the case's closure rule), and the report deadlines DL-16 and
 * DL-17 (by the report's month, delegación and agency; none for a mediator).
 */
export async function countDeadlines(db: Executor, scope: Scope, query: IndicatorQuery): Promise<Array<{ rule: CountedDeadline; key: string | null; n: number }>> {
  const caseKey = groupKey(query.groupBy, 'c');
  const breaches = db
    .selectFrom('case_deadline_breaches as b')
    .innerJoin('mediation_cases as c', 'c.id', 'b.case_id')
    .where(caseInScope(scope))
    .where(caseFilters(query, { distributedOnly: false }))
    .where('b.rule', 'in', CASE_BREACH_RULES)
    .select([sql<string>`b.rule`.as('rule'), caseKey.as('key'), sql<bigint>`count(*)`.as('n')])
    .groupBy([sql`b.rule`, caseKey]);
  const closures = db
    .selectFrom('mediation_cases as c')
    .where(caseInScope(scope))
    .where(caseFilters(query, { distributedOnly: false }))
    .where('c.closure_rule', 'in', CLOSURE_RULES)
    .select([sql<string>`c.closure_rule`.as('rule'), caseKey.as('key'), sql<bigint>`count(*)`.as('n')])
    .groupBy([sql`c.closure_rule`, caseKey]);
  let statement = breaches.unionAll(closures);
  if (reportDeadlinesApply(query)) {
    const reportKey = groupKey(query.groupBy, 'r');
    let reports = db
      .selectFrom('report_deadline_breaches as r')
      .where('r.month', '>=', query.monthFrom)
      .where('r.month', '<=', query.monthTo)
      .where('r.rule', 'in', REPORT_RULES)
      .select([sql<string>`r.rule`.as('rule'), reportKey.as('key'), sql<bigint>`count(*)`.as('n')])
      .groupBy([sql`r.rule`, reportKey]);
    if (query.delegationId !== undefined) reports = reports.where('r.delegation_id', '=', query.delegationId);
    if (query.agencyId !== undefined) reports = reports.where('r.agency_id', '=', query.agencyId);
    statement = statement.unionAll(reports);
  }
  const rows = await statement.execute();
  return rows.map((row) => ({ rule: row.rule as CountedDeadline, key: row.key, n: toNumber(row.n) }));
}

/** The names of the groups: delegaciones, agencies ("AS01 · name"), mediators, months in Spanish. */
export async function findGroupLabels(db: Executor, groupBy: GroupBy, keys: readonly string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const ids = keys.map(Number).filter((id) => Number.isInteger(id));
  switch (groupBy) {
    case 'none':
      labels.set(TOTAL_KEY, 'Total');
      break;
    case 'month':
      for (const key of keys) labels.set(key, monthNameEs(key));
      break;
    case 'delegation':
      if (ids.length > 0) for (const row of await db.selectFrom('delegations').select(['id', 'name']).where('id', 'in', ids).execute()) labels.set(String(row.id), row.name);
      break;
    case 'agency':
      if (ids.length > 0) for (const row of await db.selectFrom('agencies').select(['id', 'code', 'name']).where('id', 'in', ids).execute()) labels.set(String(row.id), `${row.code} · ${row.name}`);
      break;
    case 'mediator':
      if (ids.length > 0) for (const row of await db.selectFrom('mediators').select(['id', 'full_name']).where('id', 'in', ids).execute()) labels.set(String(row.id), row.full_name);
      break;
  }
  return labels;
}

/** What a user can filter by in his scope (SEC-2): delegaciones, agencies and mediators. */
export async function findFilterOptions(db: Executor, scope: Scope) {
  let delegations = db.selectFrom('delegations as d').select(['d.id', 'd.name']).orderBy('d.name');
  let agencies = db.selectFrom('agencies as ag').select(['ag.id', 'ag.code', 'ag.name']).orderBy('ag.code');
  let mediators = db.selectFrom('mediators as m').select(['m.id', 'm.full_name', 'm.agency_id']).orderBy('m.full_name');
  switch (scope.kind) {
    case 'national':
      break;
    case 'delegation':
      delegations = delegations.where('d.id', '=', scope.delegationId);
      agencies = agencies.where(sql<boolean>`EXISTS (SELECT 1 FROM agency_delegations x WHERE x.agency_id = ag.id AND x.delegation_id = ${scope.delegationId})`);
      mediators = mediators.where(sql<boolean>`EXISTS (SELECT 1 FROM agency_delegations x WHERE x.agency_id = m.agency_id AND x.delegation_id = ${scope.delegationId})`);
      break;
    case 'agency':
      delegations = delegations.where(sql<boolean>`EXISTS (SELECT 1 FROM agency_delegations x WHERE x.delegation_id = d.id AND x.agency_id = ${scope.agencyId})`);
      agencies = agencies.where('ag.id', '=', scope.agencyId);
      mediators = mediators.where('m.agency_id', '=', scope.agencyId);
      break;
    case 'mediator':
      delegations = delegations.where(sql<boolean>`false`);
      agencies = agencies.where('ag.id', '=', scope.agencyId);
      mediators = mediators.where('m.id', '=', scope.mediatorId);
      break;
    default:
      return { delegations: [], agencies: [], mediators: [] };
  }
  const [d, a, m] = [await delegations.execute(), await agencies.execute(), await mediators.execute()];
  return {
    delegations: d.map((row) => ({ id: row.id, name: row.name })),
    agencies: a.map((row) => ({ id: row.id, code: row.code, name: row.name })),
    mediators: m.map((row) => ({ id: row.id, name: row.full_name, agencyId: row.agency_id })),
  };
}
