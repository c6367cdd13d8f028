/**
 * All SQL of the monthly run (ASG-1..6). Each step is one set-based statement over the whole
 * portfolio; nothing loops over credits in JavaScript.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../db/index.js';
import { EXCLUSION_RULE_IDS, type ConvenioTypeCriteria, type ExclusionCriteria } from '../policy/policy.definitions.js';
import { anySolutionAvailableSql } from '../solutions/solutions.sql.js';
import type { SolutionParameters } from '../solutions/solutions.policy.js';
import { allocateCapacity, ruleBit } from './assignment.rules.js';
import type { Scope } from '../identity/identity.rules.js';

/** The enabled criteria as conditions over credit `c` (SPEC §3), in rule order. */
function exclusionTerms(criteria: ExclusionCriteria, solutions: SolutionParameters) {
  const terms: Array<{ rule: (typeof EXCLUSION_RULE_IDS)[number]; condition: RawBuilder<unknown> }> = [];
  const term = (rule: (typeof EXCLUSION_RULE_IDS)[number], condition: RawBuilder<unknown>) => {
    if (criteria[rule].enabled) terms.push({ rule, condition });
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
  return terms;
}

/** The exclusion mask of credit `c` as SQL: one bit per enabled criterion that holds (SPEC §3). */
export function exclusionMaskSql(criteria: ExclusionCriteria, solutions: SolutionParameters): RawBuilder<number> {
  const terms = exclusionTerms(criteria, solutions).map(({ rule, condition }) => sql`(CASE WHEN ${condition} THEN ${sql.lit(ruleBit(rule))} ELSE 0 END)`);
  if (terms.length === 0) return sql<number>`0`;
  return sql<number>`(${sql.join(terms, sql` | `)})`;
}

/**
 * "Some enabled criterion holds" as a predicate over credit `c`: the same terms as
 * exclusionMaskSql, so that `exclusionHoldsSql(…)` ⟺ `exclusionMaskSql(…) <> 0`, but it stops
 * at the first term that holds (a fifth cheaper than computing every bit of the mask).
 */
export function exclusionHoldsSql(criteria: ExclusionCriteria, solutions: SolutionParameters): RawBuilder<boolean> {
  const terms = exclusionTerms(criteria, solutions).map(({ condition }) => sql`(${condition}) IS TRUE`);
  if (terms.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(terms, sql` OR `)})`;
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
 * Where a run writes its assignments: the month's partition of credit_assignments (migration
 * 0005). A fresh partition is filled as a plain table and indexed and attached afterwards
 * (attachRunTables); `fresh` is false only if the month's partition was already attached (a run
 * of the month deleted by hand), which is then written row by row. Evaluations go to
 * credit_evaluation_sets.
 */
export interface RunTables {
  assignments: string;
  month: string;
  runId: number;
  fresh: boolean;
}

/** What the run wrote, grouped as the statements wrote it (the counts need no second scan). */
export interface RunWritten {
  /** evaluation rows by delegation × mask */
  evaluations: Array<{ delegation_id: number; exclusion_mask: number; n: bigint }>;
  /** the month's assignments by delegation × agency × type, and whether this run made them */
  assignments: Array<{ delegation_id: number; agency_id: number; convenio_type: string; by_run: boolean; n: bigint }>;
  /** tagged credits the run left to the assignment another entry made this month (ENT-A/B) */
  alreadyAssigned: number;
}

export function assignmentPartitionName(month: string): string {
  return `credit_assignments_m${month.replace('-', '_')}`;
}

async function isAttachedPartition(trx: Executor, table: string): Promise<boolean> {
  const result = await sql<{ attached: boolean }>`
    SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                   WHERE c.relname = ${table} AND c.relnamespace = current_schema()::regnamespace) AS attached`.execute(trx);
  return result.rows[0]!.attached;
}

/**
 * Creates the run's tables, unindexed, and moves into the month's table the assignments that
 * other entries (ENT-A/B) made for the month before the run (they waited in the default partition).
 */
async function createRunTables(trx: Executor, input: { runId: number; month: string }): Promise<RunTables> {
  const assignments = assignmentPartitionName(input.month);
  const fresh = !(await isAttachedPartition(trx, assignments));
  // Entries A and B wait while the month's rows move (reads go on).
  await sql`LOCK TABLE credit_assignments_default IN EXCLUSIVE MODE`.execute(trx);
  if (fresh) {
    // The CHECK on the month lets ATTACH skip its validating scan.
    await sql`CREATE TABLE ${sql.table(assignments)} (LIKE credit_assignments INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
      CHECK (month = ${sql.lit(input.month)}))`.execute(trx);
    await sql`
      WITH moved AS (DELETE FROM credit_assignments_default WHERE month = ${input.month} RETURNING *)
      INSERT INTO ${sql.table(assignments)} SELECT * FROM moved`.execute(trx);
  }
  return { assignments, month: input.month, runId: input.runId, fresh };
}

/**
 * Indexes the month's assignments (one sorted build per index, rather than an index entry per
 * inserted row) and attaches them: from here on readers see them. The partitioned table's
 * indexes adopt the ones built here.
 */
export async function attachRunTables(trx: Executor, tables: RunTables): Promise<void> {
  if (!tables.fresh) return;
  await sql`ALTER TABLE ${sql.table(tables.assignments)} ADD CONSTRAINT ${sql.id(`${tables.assignments}_pkey`)} PRIMARY KEY (credit_number, month)`.execute(trx);
  await sql`CREATE INDEX ${sql.id(`${tables.assignments}_agency_idx`)} ON ${sql.table(tables.assignments)} (agency_id, month)`.execute(trx);
  await sql`ALTER TABLE credit_assignments ATTACH PARTITION ${sql.table(tables.assignments)} FOR VALUES IN (${sql.lit(tables.month)})`.execute(trx);
}

/**
 * The run (ASG-1, ASG-3, ASG-4) as a few set-based statements into the month's new partition and
 * the evaluation sets: the credits in an open mediation case keep their agency and type (ASG-5);
 * every other credit of the social-collections portfolio is evaluated against the enabled
 * criteria — the excluded ones are stored with their mask in one scan, and in a second scan the
 * tagged ones not already assigned this month get a convenio type and an agency that serves
 * their delegation, within capacity; the tagged credits the run does not assign are stored with
 * mask 0. Each statement returns what it wrote, grouped, for the counts (countRun).
 *
 * Deterministic: within a delegation, tagged credits are ordered by hashtext(credit number) —
 * the same order every month, so a credit tends to stay with its agency while demand and
 * capacity are stable. How many credits of each delegation each agency takes is decided on the
 * counts alone (allocateCapacity in assignment.rules.ts: the capacity left after the accounts the
 * agency already holds this month, shared by demand, then what that leaves unused given to the
 * credits it leaves without agency); within a delegation the agencies take consecutive ranges of
 * that order; credits are dealt round-robin by that rank to the agency's field agents.
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
): Promise<{ tables: RunTables; written: RunWritten }> {
  const tables = await createRunTables(trx, input);
  const target = sql.table(tables.assignments);
  // ASG-5: a credit in a mediation case that has not ended keeps it, with its agency and type,
  // whatever this month's criteria say (the case, not the monthly tag, now governs the credit).
  // An assignment another entry already made this month stays as it is.
  await sql`
    INSERT INTO ${target} (month, credit_number, run_id, entry, delegation_id, agency_id, convenio_type, assigned_on, field_agent_user_id)
    SELECT DISTINCT ON (mc.credit_number) ${input.month}, mc.credit_number, ${input.runId}::integer, mc.entry, mc.delegation_id, mc.agency_id,
           mc.convenio_type, ${input.assignedOn}::date, mc.field_agent_user_id
    FROM mediation_cases mc
    WHERE mc.closed_on IS NULL
      AND NOT EXISTS (SELECT 1 FROM ${target} x WHERE x.month = ${input.month} AND x.credit_number = mc.credit_number)
    ORDER BY mc.credit_number, mc.id DESC`.execute(trx);
  const mask = exclusionMaskSql(input.exclusion, input.solutions);
  const excludedCredit = exclusionHoldsSql(input.exclusion, input.solutions);
  const evaluatedCredits = sql`credits c WHERE c.in_social_collections
    AND NOT EXISTS (SELECT 1 FROM mediation_cases mc WHERE mc.credit_number = c.credit_number AND mc.closed_on IS NULL)`;
  type EvaluationCount = { delegation_id: number; exclusion_mask: number; n: bigint };
  type AssignmentCount = { delegation_id: number; agency_id: number; convenio_type: string; by_run: boolean; n: bigint };
  // Before the run: the month's assignments by other entries (ENT-A/B) and by open cases (ASG-5).
  const before = await sql<AssignmentCount>`
    SELECT delegation_id, agency_id, convenio_type, (run_id IS NOT DISTINCT FROM ${input.runId}::integer) AS by_run, count(*) AS n
    FROM ${target} GROUP BY 1, 2, 3, 4`.execute(trx);
  // Tagged credits that another entry already assigned this month keep that assignment (ASG-5):
  // evaluated with mask 0. Few: looked up by primary key.
  const already = await sql<EvaluationCount>`
    INSERT INTO credit_evaluation_sets (run_id, delegation_id, exclusion_mask, credit_numbers)
    SELECT ${input.runId}::integer, c.delegation_id, 0, array_agg(c.credit_number)
    FROM ${target} x JOIN credits c ON c.credit_number = x.credit_number
    WHERE c.in_social_collections AND NOT ${excludedCredit}
      AND NOT EXISTS (SELECT 1 FROM mediation_cases mc WHERE mc.credit_number = c.credit_number AND mc.closed_on IS NULL)
    GROUP BY c.delegation_id
    RETURNING delegation_id, exclusion_mask, cardinality(credit_numbers)::bigint AS n`.execute(trx);
  // The excluded credits, with every rule that holds, straight from the scan into one set per
  // delegación and mask. (Two scans of the portfolio cost less than keeping the evaluation of
  // every credit for the statement below: materialising a million rows in a CTE took longer than
  // computing the mask.)
  const excluded = await sql<EvaluationCount>`
    INSERT INTO credit_evaluation_sets (run_id, delegation_id, exclusion_mask, credit_numbers)
    SELECT ${input.runId}::integer, e.delegation_id, e.mask, array_agg(e.credit_number)
    FROM (SELECT c.credit_number, c.delegation_id, ${mask} AS mask FROM ${evaluatedCredits} AND ${excludedCredit}) e
    GROUP BY e.delegation_id, e.mask
    RETURNING delegation_id, exclusion_mask, cardinality(credit_numbers)::bigint AS n`.execute(trx);
  // The tagged credits (mask 0) not assigned yet this month, with their convenio type (ASG-3) and
  // their key in the allocation's order, kept for this run: their count per delegación decides the
  // split of capacity (allocateCapacity) before any of them is given an agency.
  const stage = sql.table(`assignment_stage_${input.runId}`);
  await sql`
    CREATE TEMPORARY TABLE ${stage} AS
    SELECT t.credit_number, t.delegation_id, ${convenioTypeSql(input.convenio)} AS convenio_type,
           -- the order (delegation, hashtext(credit number)) as one bigint: a sort whose first key
           -- has 32 values compares nearly every pair on the next keys (11 of 25 s at 6M credits)
           t.delegation_id::bigint * 4294967296 + hashtext(t.credit_number)::bigint AS sort_key
    FROM (SELECT c.credit_number, c.delegation_id, c.segment, c.balance_cents FROM ${evaluatedCredits} AND NOT ${excludedCredit}) t
    LEFT JOIN (${mediatorAvailabilitySql(input.assignedOn)}) k ON k.delegation_id = t.delegation_id
    ${before.rows.length > 0 ? sql`WHERE NOT EXISTS (SELECT 1 FROM ${target} x WHERE x.credit_number = t.credit_number)` : sql``}`.execute(trx);
  const demand = await sql<{ delegation_id: number; n: bigint }>`
    SELECT delegation_id, count(*) AS n FROM ${stage} GROUP BY delegation_id ORDER BY delegation_id`.execute(trx);
  const serving = await sql<{ id: number; capacity: number; delegation_ids: number[] }>`
    SELECT a.id, a.monthly_capacity AS capacity, array_agg(ad.delegation_id ORDER BY ad.delegation_id) AS delegation_ids
    FROM agencies a JOIN agency_delegations ad ON ad.agency_id = a.id
    WHERE a.active GROUP BY a.id ORDER BY a.id`.execute(trx);
  // An agency's monthly capacity counts every account it holds this month: those it keeps in open
  // cases (ASG-5) and those other entries gave it (ENT-A/B) come first, as for a proposal.
  const held = new Map<number, number>();
  for (const row of before.rows) held.set(row.agency_id, (held.get(row.agency_id) ?? 0) + Number(row.n));
  const allocation = allocateCapacity(
    new Map(demand.rows.map((row) => [row.delegation_id, Number(row.n)])),
    serving.rows.map((row) => ({ id: row.id, capacity: Math.max(0, row.capacity - (held.get(row.id) ?? 0)), delegationIds: row.delegation_ids })),
  );
  // Per delegación: where its credits start in the portfolio-wide order below, its agencies and the
  // lower bounds of their consecutive ranges of that order (for width_bucket()), how many it assigns.
  let start = 0;
  const lanes = demand.rows.map((row) => {
    const shares = allocation.get(row.delegation_id) ?? [];
    const los: number[] = [];
    let assigned = 0;
    for (const share of shares) {
      los.push(assigned);
      assigned += share.count;
    }
    const lane = { delegation_id: row.delegation_id, before: start, los, agencies: shares.map((share) => share.agencyId), assigned };
    start += Number(row.n);
    return lane;
  });
  // The small CTEs (32 delegations, a few dozen ranges) make the planner pick nested loops that
  // cost tens of µs per credit; hash joins are what a portfolio-wide statement wants.
  await sql`SET LOCAL enable_nestloop = off`.execute(trx);
  const allocated = await sql<{ kind: 'assigned' | 'unassigned'; delegation_id: number; agency_id: number; convenio_type: string; n: bigint }>`
    WITH lanes AS MATERIALIZED (
      SELECT * FROM json_to_recordset(${JSON.stringify(lanes)}::json) AS l(delegation_id smallint, before bigint, los bigint[], agencies integer[], assigned bigint)
    ),
    agents AS MATERIALIZED (
      SELECT agency_id, array_agg(id ORDER BY id) AS ids FROM users WHERE role = 'field_agent' AND active GROUP BY agency_id
    ),
    -- a credit's rank in its delegation is its position in the order less the credits of the
    -- delegations before
    ranked AS (
      SELECT t.credit_number, t.delegation_id, t.convenio_type, row_number() OVER (ORDER BY t.sort_key, t.credit_number) AS position
      FROM ${stage} t
    ),
    placed AS MATERIALIZED (
      SELECT rk.credit_number, rk.delegation_id, rk.convenio_type, rk.position - l.before AS r,
             CASE WHEN rk.position - l.before <= l.assigned THEN l.agencies[width_bucket(rk.position - l.before - 1, l.los)] END AS agency_id
      FROM ranked rk JOIN lanes l ON l.delegation_id = rk.delegation_id
    ),
    assigned AS (
      INSERT INTO ${target} (month, credit_number, run_id, entry, delegation_id, agency_id, convenio_type, assigned_on, field_agent_user_id)
      SELECT ${input.month}, t.credit_number, ${input.runId}, 'monthly', t.delegation_id, t.agency_id,
             t.convenio_type, ${input.assignedOn}::date, fa.ids[(t.r % cardinality(fa.ids)) + 1]
      FROM placed t
      LEFT JOIN agents fa ON fa.agency_id = t.agency_id
      WHERE t.agency_id IS NOT NULL
    ),
    -- tagged, but no capacity left among the agencies that serve the delegation: evaluated with mask 0
    unassigned AS (
      INSERT INTO credit_evaluation_sets (run_id, delegation_id, exclusion_mask, credit_numbers)
      SELECT ${input.runId}::integer, p.delegation_id, 0, array_agg(p.credit_number) FROM placed p WHERE p.agency_id IS NULL GROUP BY p.delegation_id
    )
    SELECT CASE WHEN agency_id IS NULL THEN 'unassigned' ELSE 'assigned' END AS kind,
           delegation_id, coalesce(agency_id, 0) AS agency_id, convenio_type, count(*) AS n
    FROM placed GROUP BY 1, 2, 3, 4`.execute(trx);
  await sql`DROP TABLE ${stage}`.execute(trx);
  const written: RunWritten = {
    evaluations: [...already.rows, ...excluded.rows],
    assignments: [...before.rows],
    alreadyAssigned: already.rows.reduce((sum, row) => sum + Number(row.n), 0),
  };
  for (const row of allocated.rows) {
    if (row.kind === 'assigned') written.assignments.push({ delegation_id: row.delegation_id, agency_id: row.agency_id, convenio_type: row.convenio_type, by_run: true, n: row.n });
    else written.evaluations.push({ delegation_id: row.delegation_id, exclusion_mask: 0, n: row.n });
  }
  await sql`SET LOCAL enable_nestloop = on`.execute(trx);
  return { tables, written };
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

/**
 * The run's counts (ASG-6), folded from what its statements wrote (evaluations by delegation ×
 * mask; the month's assignments by delegation × agency × type), with the names of delegations
 * and agencies.
 */
export async function countRun(db: Executor, written: RunWritten): Promise<RunCounts> {
  const delegations = await db.selectFrom('delegations').select(['id', 'code', 'name']).orderBy('id').execute();
  const agencies = await db.selectFrom('agencies').select(['id', 'code', 'name', 'monthly_capacity']).orderBy('id').execute();

  const byRule: Record<string, number> = Object.fromEntries(EXCLUSION_RULE_IDS.map((rule) => [rule, 0]));
  const perDelegation = new Map<number, { evaluated: number; tagged: number; assigned: number }>(delegations.map((d) => [d.id, { evaluated: 0, tagged: 0, assigned: 0 }]));
  // Credits the run assigned have no evaluation row: they count as evaluated and tagged.
  let evaluated = 0;
  let tagged = 0;
  let taggedWithoutRunAgency = 0;
  for (const row of written.evaluations) {
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
  for (const row of written.assignments) {
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
    unassigned: taggedWithoutRunAgency - written.alreadyAssigned,
    byDelegation: delegations.map((d) => ({ delegationId: d.id, code: d.code, name: d.name, ...perDelegation.get(d.id)! })),
    byAgency: agencies.map((a) => ({ agencyId: a.id, code: a.code, name: a.name, capacity: a.monthly_capacity, assigned: perAgency.get(a.id) ?? 0 })),
    byConvenioType: Object.fromEntries(Object.entries(byConvenioType).sort()),
  };
}

export interface MonthDifference {
  previousMonth: string | null;
  entered: number;
  left: number;
  changedAgency: number;
  leftBecause: Record<string, number>;
}

/** How this month's assignment differs from the previous month's (enter, leave, why, agency). */
export async function compareWithPrevious(db: Executor, tables: RunTables, input: { previousMonth: string | null }): Promise<MonthDifference> {
  if (!input.previousMonth) return { previousMonth: null, entered: 0, left: 0, changedAgency: 0, leftBecause: {} };
  const ruleColumns = EXCLUSION_RULE_IDS.map(
    (rule) => sql`count(*) FILTER (WHERE e.exclusion_mask & ${sql.lit(ruleBit(rule))} <> 0) AS ${sql.ref(rule)}`,
  );
  // One full join of the two months and one lookup of the credits that left in the run's
  // evaluations: every figure from a single pass. Hash joins: the planner cannot estimate the
  // unnested sets and would sort a month's credits for a merge join.
  await sql`SET LOCAL enable_mergejoin = off`.execute(db);
  const result = await sql<Record<string, bigint>>`
    WITH d AS (
      SELECT coalesce(c.credit_number, p.credit_number) AS credit_number,
             c.credit_number IS NOT NULL AS in_cur, p.credit_number IS NOT NULL AS in_prev,
             c.agency_id AS cur_agency, p.agency_id AS prev_agency
      FROM (SELECT credit_number, agency_id FROM ${sql.table(tables.assignments)} WHERE month = ${tables.month}) c
      FULL JOIN (SELECT credit_number, agency_id FROM credit_assignments WHERE month = ${input.previousMonth}) p ON p.credit_number = c.credit_number
    )
    SELECT count(*) FILTER (WHERE d.in_cur AND NOT d.in_prev) AS entered,
           count(*) FILTER (WHERE d.in_prev AND NOT d.in_cur) AS left_total,
           count(*) FILTER (WHERE d.in_cur AND d.in_prev AND d.cur_agency <> d.prev_agency) AS changed_agency,
           ${sql.join(ruleColumns)},
           count(*) FILTER (WHERE e.exclusion_mask = 0) AS "SIN-CAPACIDAD",
           count(*) FILTER (WHERE d.in_prev AND NOT d.in_cur AND e.credit_number IS NULL) AS "FUERA-DE-CARTERA"
    FROM d LEFT JOIN (
      SELECT e.credit_number, s.exclusion_mask FROM credit_evaluation_sets s CROSS JOIN LATERAL unnest(s.credit_numbers) AS e(credit_number)
      WHERE s.run_id = ${tables.runId}
    ) e ON e.credit_number = d.credit_number AND d.in_prev AND NOT d.in_cur`.execute(db);
  await sql`SET LOCAL enable_mergejoin = on`.execute(db);
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

/**
 * The run of a month and what it recorded for one credit. The credit's evaluation is found in the
 * sets of its delegación (a few hundred rows), or, if its delegación changed since, in all the
 * run's sets; a credit the run assigned has none (mask 0).
 */
export async function findEvaluation(db: Executor, input: { creditNumber: string; month: string }) {
  const inSets = (sameDelegation: boolean) => sql<number | null>`(
    SELECT s.exclusion_mask FROM credit_evaluation_sets s
    WHERE s.run_id = r.id AND ${input.creditNumber}::text = ANY(s.credit_numbers)
      ${sameDelegation ? sql`AND s.delegation_id = (SELECT c.delegation_id FROM credits c WHERE c.credit_number = ${input.creditNumber})` : sql``}
    LIMIT 1)`;
  return db
    .selectFrom('assignment_runs as r')
    .leftJoin('credit_assignments as a', (join) => join.onRef('a.month', '=', 'r.month').on('a.credit_number', '=', input.creditNumber))
    .leftJoin('agencies as ag', 'ag.id', 'a.agency_id')
    .select([
      'r.id as run_id',
      'r.month',
      'r.run_on',
      'r.exclusion_policy_id',
      sql<number | null>`CASE WHEN a.run_id IS NOT DISTINCT FROM r.id THEN NULL ELSE coalesce(${inSets(true)}, ${inSets(false)}) END`.as('exclusion_mask'),
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
    .where('a.credit_number', '>', input.after)
    // the same bound on the credits side: the merge join then starts its index scan of the
    // portfolio at the page, instead of reading it from the first credit for every page (measured:
    // 213 ms → 22 ms for a page in the middle of a month of 1,000,000 assignments)
    .where('c.credit_number', '>', input.after);
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
