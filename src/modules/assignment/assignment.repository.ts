/**
 * All SQL of the monthly run (ASG-1..6). Each step is one set-based statement over the whole
 * portfolio; nothing loops over credits in JavaScript.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/index.js';
import { EXCLUSION_RULE_IDS, type ConvenioTypeCriteria, type ExclusionCriteria } from '../policy/policy.definitions.js';
import { anySolutionAvailableSql } from '../solutions/solutions.sql.js';
import type { SolutionParameters } from '../solutions/solutions.policy.js';
import { ruleBit } from './assignment.rules.js';
import type { Scope } from '../identity/identity.rules.js';

/** The exclusion mask of credit `c` as SQL: one term per enabled criterion (SPEC §3). */
export function exclusionMaskSql(criteria: ExclusionCriteria, solutions: SolutionParameters): RawBuilder<number> {
  const terms: RawBuilder<unknown>[] = [];
  const term = (rule: (typeof EXCLUSION_RULE_IDS)[number], condition: RawBuilder<unknown>) => {
    if (criteria[rule].enabled) terms.push(sql`(CASE WHEN ${condition} THEN ${sql.lit(ruleBit(rule))} ELSE 0 END)`);
  };
  term('EXC-1', sql`c.broken_convenios >= ${criteria['EXC-1'].maxBrokenConvenios}`);
  term('EXC-2', sql`c.housing_status = ANY(${criteria['EXC-2'].housingStatuses}::text[])`);
  term('EXC-3', sql`c.active_restructure`);
  term('EXC-4', sql`c.outsourced`);
  term('EXC-5', sql`c.trust_pool`);
  term('EXC-6', sql`NOT c.billing_active`);
  term('EXC-7', sql`c.active_extension`);
  term('EXC-8', sql`NOT ${anySolutionAvailableSql(solutions)}`);
  term('EXC-9', sql`c.legal_stage = ANY(${criteria['EXC-9'].legalStages}::text[])`);
  term('EXC-10', sql`c.accompaniment`);
  if (terms.length === 0) return sql<number>`0`;
  return sql<number>`(${sql.join(terms, sql` | `)})`;
}

/** Per delegation: which mediator kinds its agencies offer on a date (CJA certification in force). */
export function mediatorAvailabilitySql(onDate: string): RawBuilder<unknown> {
  return sql`
    SELECT ad.delegation_id,
           bool_or(m.kind = 'cja_certified' AND m.certification_expires_on >= ${onDate}::date) AS has_cja,
           bool_or(m.kind = 'notary') AS has_notary,
           bool_or(m.kind = 'professional') AS has_professional
    FROM agency_delegations ad
    JOIN agencies a ON a.id = ad.agency_id AND a.active
    JOIN mediators m ON m.agency_id = ad.agency_id AND m.active
    GROUP BY ad.delegation_id`;
}

/** ASG-3 as a CASE over a tagged credit `t` joined to its delegation's mediator availability `k`. */
export function convenioTypeSql(criteria: ConvenioTypeCriteria): RawBuilder<string> {
  const branches = criteria.rules.map((rule) => {
    const conditions: RawBuilder<unknown>[] = [sql`true`];
    if (rule.delegationIds) conditions.push(sql`t.delegation_id = ANY(${rule.delegationIds}::smallint[])`);
    if (rule.segments) conditions.push(sql`t.segment = ANY(${rule.segments}::text[])`);
    if (rule.minBalanceCents !== undefined) conditions.push(sql`t.balance_cents >= ${rule.minBalanceCents}::bigint`);
    if (rule.requiresMediatorKind === 'cja_certified') conditions.push(sql`coalesce(k.has_cja, false)`);
    if (rule.requiresMediatorKind === 'notary') conditions.push(sql`coalesce(k.has_notary, false)`);
    if (rule.requiresMediatorKind === 'professional') conditions.push(sql`coalesce(k.has_professional, false)`);
    return sql`WHEN ${sql.join(conditions, sql` AND `)} THEN ${rule.type}`;
  });
  return sql<string>`(CASE ${sql.join([...branches, sql`ELSE ${criteria.fallback}`], sql` `)} END)`;
}

export async function findRun(db: Executor, month: string) {
  return db.selectFrom('assignment_runs').selectAll().where('month', '=', month).executeTakeFirst();
}

export async function findPreviousRun(db: Executor, month: string) {
  return db.selectFrom('assignment_runs').selectAll().where('month', '<', month).orderBy('month', 'desc').limit(1).executeTakeFirst();
}

export async function insertRun(
  trx: Executor,
  input: { month: string; runOn: string; exclusionPolicyId: number; convenioPolicyId: number; createdBy: number | null; now: Date },
) {
  return trx
    .insertInto('assignment_runs')
    .values({
      month: input.month,
      run_on: input.runOn,
      exclusion_policy_id: input.exclusionPolicyId,
      convenio_policy_id: input.convenioPolicyId,
      created_by: input.createdBy,
      started_at: input.now,
      finished_at: input.now,
      summary: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * The run in one statement (ASG-1, ASG-3, ASG-4): every credit of the social-collections
 * portfolio is evaluated against the enabled criteria; the tagged ones not already assigned this
 * month get a convenio type and an agency that serves their delegation, within capacity; every
 * evaluated credit the run does not assign is written to credit_evaluations with its mask.
 *
 * Deterministic: within a delegation, tagged credits are ordered by hashtext(credit number) —
 * the same order every month, so a credit tends to stay with its agency while demand and
 * capacity are stable. Each agency's capacity is shared among its delegations by demand (floor);
 * within a delegation the agencies take consecutive ranges of that order, scaled to the capacity
 * available (quotaOf, scaledRanges in assignment.rules.ts); credits are dealt round-robin by that
 * rank to the agency's field agents.
 */
export async function evaluateAndAllocate(
  trx: Executor,
  input: {
    runId: number;
    month: string;
    assignedOn: string;
    exclusion: ExclusionCriteria;
    solutions: SolutionParameters;
    convenio: ConvenioTypeCriteria;
  },
): Promise<{ assigned: number }> {
  // The small CTEs (32 delegations, a few hundred ranges) make the planner pick nested loops
  // that cost tens of µs per credit; hash joins are what a portfolio-wide statement wants.
  // ASG-5: a credit in a mediation case that has not ended keeps it, with its agency and type,
  // whatever this month's criteria say (the case, not the monthly tag, now governs the credit).
  const kept = await sql<{ n: bigint }>`
    WITH kept AS (
      INSERT INTO credit_assignments (month, credit_number, run_id, entry, delegation_id, agency_id, convenio_type, assigned_on, field_agent_user_id)
      SELECT ${input.month}, mc.credit_number, ${input.runId}, mc.entry, mc.delegation_id, mc.agency_id, mc.convenio_type, ${input.assignedOn}::date, mc.field_agent_user_id
      FROM mediation_cases mc
      WHERE mc.closed_on IS NULL
      ON CONFLICT (month, credit_number) DO NOTHING
      RETURNING 1
    )
    SELECT count(*) AS n FROM kept`.execute(trx);
  await sql`SET LOCAL enable_nestloop = off`.execute(trx);
  const result = await sql<{ assigned: bigint }>`
    WITH evaluated AS MATERIALIZED (
      SELECT c.credit_number, c.delegation_id, c.segment, c.balance_cents,
             ${exclusionMaskSql(input.exclusion, input.solutions)} AS mask
      FROM credits c
      WHERE c.in_social_collections
        AND NOT EXISTS (SELECT 1 FROM mediation_cases mc WHERE mc.credit_number = c.credit_number AND mc.closed_on IS NULL)
    ),
    -- credits already assigned this month by another entry (ENT-A/B) keep that assignment (ASG-5)
    tagged AS (
      SELECT e.credit_number, e.delegation_id, e.segment, e.balance_cents, (x.credit_number IS NOT NULL) AS already
      FROM evaluated e
      LEFT JOIN (SELECT credit_number FROM credit_assignments WHERE month = ${input.month}) x ON x.credit_number = e.credit_number
      WHERE e.mask = 0
    ),
    demand AS (
      SELECT delegation_id, count(*)::bigint AS n FROM tagged WHERE NOT already GROUP BY delegation_id
    ),
    serving AS (
      SELECT ad.agency_id, ad.delegation_id, a.monthly_capacity::bigint AS capacity
      FROM agency_delegations ad JOIN agencies a ON a.id = ad.agency_id AND a.active
    ),
    agency_demand AS (
      SELECT s.agency_id, sum(d.n)::bigint AS total FROM serving s JOIN demand d USING (delegation_id) GROUP BY s.agency_id
    ),
    -- integer division: floor, as quotaOf()
    quota AS (
      SELECT s.agency_id, s.delegation_id, (s.capacity * d.n / ad.total)::bigint AS q
      FROM serving s JOIN demand d USING (delegation_id) JOIN agency_demand ad USING (agency_id)
    ),
    cumulative AS (
      SELECT agency_id, delegation_id, q,
             (sum(q) OVER (PARTITION BY delegation_id ORDER BY agency_id))::bigint AS upto,
             (sum(q) OVER (PARTITION BY delegation_id))::bigint AS total_q
      FROM quota
    ),
    -- as scaledRanges()
    ranges AS (
      SELECT cu.agency_id, cu.delegation_id,
             (CASE WHEN cu.total_q = 0 THEN 0 ELSE ((cu.upto - cu.q) * least(d.n, cu.total_q)) / cu.total_q END)::bigint AS lo,
             (CASE WHEN cu.total_q = 0 THEN 0 ELSE (cu.upto * least(d.n, cu.total_q)) / cu.total_q END)::bigint AS hi
      FROM cumulative cu JOIN demand d USING (delegation_id)
    ),
    -- per delegation: its agencies and the lower bounds of their ranges, for width_bucket()
    bounds AS MATERIALIZED (
      SELECT delegation_id, array_agg(lo ORDER BY agency_id) AS los, array_agg(agency_id ORDER BY agency_id) AS agencies, max(hi) AS assigned
      FROM ranges GROUP BY delegation_id
    ),
    availability AS MATERIALIZED (${mediatorAvailabilitySql(input.assignedOn)}),
    agents AS MATERIALIZED (
      SELECT agency_id, array_agg(id ORDER BY id) AS ids FROM users WHERE role = 'field_agent' AND active GROUP BY agency_id
    ),
    ranked AS (
      SELECT t.credit_number, t.delegation_id, t.segment, t.balance_cents,
             row_number() OVER (PARTITION BY t.delegation_id ORDER BY hashtext(t.credit_number), t.credit_number) AS r
      FROM tagged t WHERE NOT t.already
    ),
    placed AS MATERIALIZED (
      SELECT rk.credit_number, rk.delegation_id, rk.segment, rk.balance_cents, rk.r,
             CASE WHEN rk.r <= coalesce(b.assigned, 0) THEN b.agencies[width_bucket(rk.r - 1, b.los)] END AS agency_id
      FROM ranked rk LEFT JOIN bounds b ON b.delegation_id = rk.delegation_id
    ),
    assigned AS (
      INSERT INTO credit_assignments (month, credit_number, run_id, entry, delegation_id, agency_id, convenio_type, assigned_on, field_agent_user_id)
      SELECT ${input.month}, t.credit_number, ${input.runId}, 'monthly', t.delegation_id, t.agency_id,
             ${convenioTypeSql(input.convenio)}, ${input.assignedOn}::date,
             fa.ids[(t.r % cardinality(fa.ids)) + 1]
      FROM placed t
      LEFT JOIN availability k ON k.delegation_id = t.delegation_id
      LEFT JOIN agents fa ON fa.agency_id = t.agency_id
      WHERE t.agency_id IS NOT NULL
      ORDER BY t.credit_number -- appends to the primary key instead of random inserts
      RETURNING 1
    ),
    unassigned AS (
      INSERT INTO credit_evaluations (run_id, credit_number, delegation_id, exclusion_mask)
      SELECT ${input.runId}::integer, e.credit_number, e.delegation_id, e.mask FROM evaluated e WHERE e.mask <> 0
      UNION ALL
      SELECT ${input.runId}::integer, t.credit_number, t.delegation_id, 0 FROM tagged t WHERE t.already
      UNION ALL
      SELECT ${input.runId}::integer, p.credit_number, p.delegation_id, 0 FROM placed p WHERE p.agency_id IS NULL
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM assigned) AS assigned, (SELECT count(*) FROM unassigned) AS recorded`.execute(trx);
  await sql`SET LOCAL enable_nestloop = on`.execute(trx);
  return { assigned: Number(result.rows[0]!.assigned) + Number(kept.rows[0]!.n) };
}

export interface RunCounts {
  evaluated: number;
  tagged: number;
  excluded: number;
  byRule: Record<string, number>;
  assigned: number;
  unassigned: number;
  byDelegation: Array<{ delegationId: number; code: string; name: string; evaluated: number; tagged: number; assigned: number }>;
  byAgency: Array<{ agencyId: number; code: string; name: string; capacity: number; assigned: number }>;
  byConvenioType: Record<string, number>;
}

export async function countRun(db: Executor, runId: number, month: string): Promise<RunCounts> {
  // Two grouped scans (evaluations by delegation × mask; assignments by delegation × agency ×
  // type) give every figure; the small results are folded here.
  const evaluations = await sql<{ delegation_id: number; exclusion_mask: number; n: bigint }>`
    SELECT delegation_id, exclusion_mask, count(*) AS n FROM credit_evaluations WHERE run_id = ${runId} GROUP BY 1, 2`.execute(db);
  const assignments = await sql<{ delegation_id: number; agency_id: number; convenio_type: string; by_run: boolean; n: bigint }>`
    SELECT a.delegation_id, a.agency_id, a.convenio_type, (a.run_id IS NOT DISTINCT FROM ${runId}) AS by_run, count(*) AS n
    FROM credit_assignments a WHERE a.month = ${month} GROUP BY 1, 2, 3, 4`.execute(db);
  const delegations = await db.selectFrom('delegations').select(['id', 'code', 'name']).orderBy('id').execute();
  const agencies = await db.selectFrom('agencies').select(['id', 'code', 'name', 'monthly_capacity']).orderBy('id').execute();

  const byRule: Record<string, number> = Object.fromEntries(EXCLUSION_RULE_IDS.map((rule) => [rule, 0]));
  const perDelegation = new Map<number, { evaluated: number; tagged: number; assigned: number }>(delegations.map((d) => [d.id, { evaluated: 0, tagged: 0, assigned: 0 }]));
  // Credits the run assigned have no evaluation row: they count as evaluated and tagged.
  let evaluated = 0;
  let tagged = 0;
  let taggedWithoutRunAgency = 0;
  for (const row of evaluations.rows) {
    const n = Number(row.n);
    evaluated += n;
    const entry = perDelegation.get(row.delegation_id)!;
    entry.evaluated += n;
    if (row.exclusion_mask === 0) {
      tagged += n;
      taggedWithoutRunAgency += n;
      entry.tagged += n;
    }
    for (const rule of EXCLUSION_RULE_IDS) if ((row.exclusion_mask & ruleBit(rule)) !== 0) byRule[rule]! += n;
  }
  const perAgency = new Map<number, number>();
  const byConvenioType: Record<string, number> = {};
  let assigned = 0;
  for (const row of assignments.rows) {
    const n = Number(row.n);
    assigned += n;
    const entry = perDelegation.get(row.delegation_id)!;
    entry.assigned += n;
    if (row.by_run) {
      evaluated += n;
      tagged += n;
      entry.evaluated += n;
      entry.tagged += n;
    }
    perAgency.set(row.agency_id, (perAgency.get(row.agency_id) ?? 0) + n);
    byConvenioType[row.convenio_type] = (byConvenioType[row.convenio_type] ?? 0) + n;
  }
  return {
    evaluated,
    tagged,
    excluded: evaluated - tagged,
    byRule,
    assigned,
    unassigned: taggedWithoutRunAgency - (await countTaggedAssignedOutsideRun(db, runId, month)),
    byDelegation: delegations.map((d) => ({ delegationId: d.id, code: d.code, name: d.name, ...perDelegation.get(d.id)! })),
    byAgency: agencies.map((a) => ({ agencyId: a.id, code: a.code, name: a.name, capacity: a.monthly_capacity, assigned: perAgency.get(a.id) ?? 0 })),
    byConvenioType: Object.fromEntries(Object.entries(byConvenioType).sort()),
  };
}

/** Tagged credits of the run that already had an assignment this month from another entry (ENT-A/B). */
async function countTaggedAssignedOutsideRun(db: Executor, runId: number, month: string): Promise<number> {
  const result = await sql<{ n: bigint }>`
    SELECT count(*) AS n FROM credit_evaluations e
    JOIN credit_assignments a ON a.month = ${month} AND a.credit_number = e.credit_number
    WHERE e.run_id = ${runId} AND e.exclusion_mask = 0`.execute(db);
  return Number(result.rows[0]!.n);
}

export interface MonthDifference {
  previousMonth: string | null;
  entered: number;
  left: number;
  changedAgency: number;
  leftBecause: Record<string, number>;
}

/** How this month's assignment differs from the previous month's (enter, leave, why, agency). */
export async function compareWithPrevious(db: Executor, input: { runId: number; month: string; previousMonth: string | null }): Promise<MonthDifference> {
  if (!input.previousMonth) return { previousMonth: null, entered: 0, left: 0, changedAgency: 0, leftBecause: {} };
  const ruleColumns = EXCLUSION_RULE_IDS.map(
    (rule) => sql`count(*) FILTER (WHERE e.exclusion_mask & ${sql.lit(ruleBit(rule))} <> 0) AS ${sql.ref(rule)}`,
  );
  const result = await sql<Record<string, bigint>>`
    WITH cur AS (SELECT credit_number, agency_id FROM credit_assignments WHERE month = ${input.month}),
         prev AS (SELECT credit_number, agency_id FROM credit_assignments WHERE month = ${input.previousMonth}),
         gone AS (SELECT p.credit_number FROM prev p WHERE NOT EXISTS (SELECT 1 FROM cur c WHERE c.credit_number = p.credit_number))
    SELECT
      (SELECT count(*) FROM cur c WHERE NOT EXISTS (SELECT 1 FROM prev p WHERE p.credit_number = c.credit_number)) AS entered,
      (SELECT count(*) FROM gone) AS left_total,
      (SELECT count(*) FROM cur c JOIN prev p USING (credit_number) WHERE c.agency_id <> p.agency_id) AS changed_agency,
      agg.*
    FROM (
      SELECT ${sql.join(ruleColumns)},
             count(*) FILTER (WHERE e.exclusion_mask = 0) AS "SIN-CAPACIDAD",
             count(*) FILTER (WHERE e.credit_number IS NULL) AS "FUERA-DE-CARTERA"
      FROM gone g LEFT JOIN credit_evaluations e ON e.credit_number = g.credit_number AND e.run_id = ${input.runId}
    ) agg`.execute(db);
  const row = result.rows[0]!;
  const leftBecause: Record<string, number> = {};
  for (const key of [...EXCLUSION_RULE_IDS, 'SIN-CAPACIDAD', 'FUERA-DE-CARTERA']) {
    const n = Number(row[key] ?? 0n);
    if (n > 0) leftBecause[key] = n;
  }
  return {
    previousMonth: input.previousMonth,
    entered: Number(row.entered),
    left: Number(row.left_total),
    changedAgency: Number(row.changed_agency),
    leftBecause,
  };
}

export async function findEvaluation(db: Executor, input: { creditNumber: string; month: string }) {
  return db
    .selectFrom('assignment_runs as r')
    .leftJoin('credit_evaluations as e', (join) => join.onRef('e.run_id', '=', 'r.id').on('e.credit_number', '=', input.creditNumber))
    .leftJoin('credit_assignments as a', (join) => join.onRef('a.month', '=', 'r.month').on('a.credit_number', '=', input.creditNumber))
    .leftJoin('agencies as ag', 'ag.id', 'a.agency_id')
    .select([
      'r.id as run_id',
      'r.month',
      'r.run_on',
      'r.exclusion_policy_id',
      'e.exclusion_mask',
      'a.agency_id',
      'ag.name as agency_name',
      'a.convenio_type',
      'a.assigned_on',
      'a.entry',
      'a.run_id as assignment_run_id',
    ])
    .where('r.month', '=', input.month)
    .executeTakeFirst();
}

/** The assignment file of PR "Entradas", streamed in pages (keyset on credit number). */
export async function findAssignmentPage(db: Executor, input: { month: string; agencyId?: number; after: string; limit: number }) {
  let query = db
    .selectFrom('credit_assignments as a')
    .innerJoin('credits as c', 'c.credit_number', 'a.credit_number')
    .innerJoin('delegations as d', 'd.id', 'a.delegation_id')
    .innerJoin('agencies as ag', 'ag.id', 'a.agency_id')
    .select(['d.name as delegation', 'c.borrower_name', 'a.credit_number', 'ag.name as agency', 'a.assigned_on', 'a.convenio_type', 'a.entry'])
    .where('a.month', '=', input.month)
    .where('a.credit_number', '>', input.after);
  if (input.agencyId !== undefined) query = query.where('a.agency_id', '=', input.agencyId);
  return query.orderBy('a.credit_number').limit(input.limit).execute();
}

/** The accounts assigned in a month, within the caller's scope (SEC-2). */
export async function findAssignedAccounts(
  db: Executor,
  scope: Scope,
  input: { month: string; limit: number; offset: number },
) {
  let query = db
    .selectFrom('credit_assignments as a')
    .innerJoin('credits as c', 'c.credit_number', 'a.credit_number')
    .innerJoin('delegations as d', 'd.id', 'a.delegation_id')
    .innerJoin('agencies as ag', 'ag.id', 'a.agency_id')
    .leftJoin('users as u', 'u.id', 'a.field_agent_user_id')
    .where('a.month', '=', input.month);
  switch (scope.kind) {
    case 'national':
      break;
    case 'delegation':
      query = query.where('a.delegation_id', '=', scope.delegationId);
      break;
    case 'agency':
      query = query.where('a.agency_id', '=', scope.agencyId);
      break;
    case 'field_agent':
      query = query.where('a.agency_id', '=', scope.agencyId).where('a.field_agent_user_id', '=', scope.userId);
      break;
    case 'credit':
      query = query.where('a.credit_number', '=', scope.creditNumber);
      break;
    case 'mediator':
    case 'representative':
      query = query.where(sql<boolean>`false`);
      break;
  }
  const [rows, count] = await Promise.all([
    query
      .select(['a.credit_number', 'c.borrower_name', 'd.name as delegation', 'ag.name as agency', 'a.convenio_type', 'a.assigned_on', 'u.full_name as field_agent'])
      .orderBy('a.credit_number')
      .limit(input.limit)
      .offset(input.offset)
      .execute(),
    query.select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findLatestPublishedMonth(db: Executor): Promise<string | null> {
  const row = await db.selectFrom('assignment_runs').select('month').where('published_at', 'is not', null).orderBy('month', 'desc').limit(1).executeTakeFirst();
  return row?.month ?? null;
}

/** Notices for a user: addressed to him, or to his role (and, for agency roles, his agency). */
export async function findNoticesFor(db: Executor, input: { userId: number; role: string; agencyId: number | null }) {
  return db
    .selectFrom('notices')
    .select(['id', 'created_at', 'title', 'body', 'link'])
    .where((eb) =>
      eb.or([
        eb('recipient_user_id', '=', input.userId),
        eb.and([
          eb('recipient_user_id', 'is', null),
          eb('recipient_role', '=', input.role),
          input.agencyId === null
            ? eb('recipient_agency_id', 'is', null)
            : eb.or([eb('recipient_agency_id', 'is', null), eb('recipient_agency_id', '=', input.agencyId)]),
        ]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
}
