/**
 * The monthly run on a real database (ASG-1..6, EXC-1..10): SQL agrees with the rules, capacity
 * and delegations are respected, runs are idempotent and deterministic, dry runs write nothing,
 * the policy version is recorded, explanations name every rule, scope holds, files read back.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.js';
import type { Database, Db } from '../../db/index.js';
import type { App } from '../../http/context.js';
import { buildTestServer, login, openSeededDatabase, TEST_TODAY } from '../../../test/factories.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { DEFAULT_EXCLUSION_CRITERIA, EXCLUSION_RULE_IDS } from '../policy/policy.definitions.js';
import { changePolicy, getPolicyInForce } from '../policy/policy.service.js';
import { DEFAULT_SOLUTION_PARAMETERS } from '../solutions/solutions.policy.js';
import { exclusionMask, rulesOfMask } from './assignment.rules.js';
import { exclusionHoldsSql, exclusionMaskSql } from './assignment.repository.js';
import { explainCredit, runAssignment, simulateAssignment } from './assignment.service.js';

let database: Database;
let db: Db;
let app: App;
const clock = fixedClock(TEST_TODAY);
const month = TEST_TODAY.slice(0, 7);

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 600 });
  db = database.db;
  app = await buildTestServer(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function creditFacts() {
  const rows = await db.selectFrom('credits').selectAll().where('in_social_collections', '=', true).orderBy('credit_number').execute();
  return rows.map((c) => ({
    creditNumber: c.credit_number,
    facts: {
      denomination: c.denomination,
      cofinanced: c.cofinanced,
      monthsInArrears: c.months_in_arrears,
      balanceCents: c.balance_cents,
      originalAmountCents: c.original_amount_cents,
      termMonths: c.term_months,
      paymentsMade: c.payments_made,
      unemploymentInsuranceExhausted: c.unemployment_insurance_exhausted,
      isRetired: c.is_retired,
      legalStage: c.legal_stage,
      brokenConvenios: c.broken_convenios,
      housingStatus: c.housing_status,
      activeRestructure: c.active_restructure,
      outsourced: c.outsourced,
      trustPool: c.trust_pool,
      billingActive: c.billing_active,
      activeExtension: c.active_extension,
      accompaniment: c.accompaniment,
      monthlyPaymentCents: c.monthly_payment_cents,
      borrowerMonthlyIncomeCents: c.borrower_monthly_income_cents,
      borrowerMonthlyPensionCents: c.borrower_monthly_pension_cents,
    },
  }));
}

const count = async (table: 'credit_assignments' | 'credit_evaluations' | 'assignment_runs' | 'audit_events') =>
  Number((await db.selectFrom(table).select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

describe('the demo opens with the month assigned (ASG-1)', () => {
  it('has tagged, excluded and assigned credits for the current month', async () => {
    const run = await db.selectFrom('assignment_runs').selectAll().where('month', '=', month).executeTakeFirstOrThrow();
    const summary = run.summary as { tagged: number; excluded: number; assigned: number };
    expect(summary.tagged).toBeGreaterThan(0);
    expect(summary.excluded).toBeGreaterThan(0);
    expect(summary.assigned).toBeGreaterThan(0);
    expect(run.published_at).not.toBeNull();
  });
});

describe('SQL evaluation agrees with the rules (EXC-1..10)', () => {
  it('property: for random facts and random policies, the SQL mask equals the rules mask — tagged iff no enabled criterion holds', async () => {
    const numbers = (await db.selectFrom('credits').select('credit_number').orderBy('credit_number').limit(40).execute()).map((r) => r.credit_number);
    const factArbitrary = fc.record({
      broken_convenios: fc.integer({ min: 0, max: 3 }),
      housing_status: fc.constantFrom('inhabited', 'abandoned', 'invaded', 'vandalised', 'uninhabited', 'not_located'),
      active_restructure: fc.boolean(),
      outsourced: fc.boolean(),
      trust_pool: fc.boolean(),
      billing_active: fc.boolean(),
      active_extension: fc.boolean(),
      legal_stage: fc.constantFrom('none', 'lawsuit_filed', 'judgment', 'execution'),
      accompaniment: fc.boolean(),
      months_in_arrears: fc.integer({ min: 0, max: 14 }),
      is_retired: fc.boolean(),
      cofinanced: fc.boolean(),
      // SOL-1's income band and SOL-5's share of the pension against the payment, at the edge
      payments_made: fc.constantFrom(0, 119, 120, 200),
      monthly_payment_cents: fc.constantFrom(200_000n, 250_000n, 250_001n, 400_000n),
      borrower_monthly_income_cents: fc.option(fc.constantFrom(500_000n, 1_500_000n), { nil: null }),
      borrower_monthly_pension_cents: fc.option(fc.constantFrom(999_998n, 1_000_000n, 1_000_002n, 1_000_004n), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(factArbitrary, { minLength: numbers.length, maxLength: numbers.length }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        fc.integer({ min: 1, max: 3 }),
        async (facts, enabled, maxBroken) => {
          const criteria = structuredClone(DEFAULT_EXCLUSION_CRITERIA);
          EXCLUSION_RULE_IDS.forEach((rule, i) => (criteria[rule].enabled = enabled[i]!));
          criteria['EXC-1'].maxBrokenConvenios = maxBroken;
          await db.transaction().execute(async (trx) => {
            for (let i = 0; i < numbers.length; i++) await trx.updateTable('credits').set(facts[i]!).where('credit_number', '=', numbers[i]!).execute();
            const sqlMasks = await sql<{ credit_number: string; mask: number; holds: boolean }>`
              SELECT c.credit_number, ${exclusionMaskSql(criteria, DEFAULT_SOLUTION_PARAMETERS)} AS mask,
                     ${exclusionHoldsSql(criteria, DEFAULT_SOLUTION_PARAMETERS)} AS holds FROM credits c`.execute(trx);
            const byNumber = new Map(sqlMasks.rows.map((r) => [r.credit_number, r.mask]));
            // the run's short-circuit predicate agrees with the mask
            for (const r of sqlMasks.rows) expect(r.holds, r.credit_number).toBe(r.mask !== 0);
            const all = await trx.selectFrom('credits').selectAll().execute();
            for (const c of all) {
              const expected = exclusionMask(
                {
                  denomination: c.denomination,
                  cofinanced: c.cofinanced,
                  monthsInArrears: c.months_in_arrears,
                  balanceCents: c.balance_cents,
                  originalAmountCents: c.original_amount_cents,
                  termMonths: c.term_months,
                  paymentsMade: c.payments_made,
                  unemploymentInsuranceExhausted: c.unemployment_insurance_exhausted,
                  isRetired: c.is_retired,
                  legalStage: c.legal_stage,
                  brokenConvenios: c.broken_convenios,
                  housingStatus: c.housing_status,
                  activeRestructure: c.active_restructure,
                  outsourced: c.outsourced,
                  trustPool: c.trust_pool,
                  billingActive: c.billing_active,
                  activeExtension: c.active_extension,
                  accompaniment: c.accompaniment,
                  monthlyPaymentCents: c.monthly_payment_cents,
                  borrowerMonthlyIncomeCents: c.borrower_monthly_income_cents,
                  borrowerMonthlyPensionCents: c.borrower_monthly_pension_cents,
                },
                criteria,
                DEFAULT_SOLUTION_PARAMETERS,
              );
              expect(byNumber.get(c.credit_number), c.credit_number).toBe(expected);
            }
            throw new RollbackMarker();
          }).catch((error) => {
            if (!(error instanceof RollbackMarker)) throw error;
          });
        },
      ),
      { numRuns: 15 },
    );
  });

  it('the run recorded, for every credit, exactly the rules mask (an evaluation row, or an assignment by the run = mask 0)', async () => {
    const run = await db.selectFrom('assignment_runs').select('id').where('month', '=', month).executeTakeFirstOrThrow();
    const stored = new Map((await db.selectFrom('credit_evaluations').select(['credit_number', 'exclusion_mask']).where('run_id', '=', run.id).execute()).map((r) => [r.credit_number, r.exclusion_mask]));
    const byRun = await db.selectFrom('credit_assignments').select('credit_number').where('run_id', '=', run.id).execute();
    for (const { credit_number } of byRun) {
      expect(stored.has(credit_number), credit_number).toBe(false);
      stored.set(credit_number, 0);
    }
    const credits = await creditFacts();
    expect(stored.size).toBe(credits.length);
    for (const { creditNumber, facts } of credits) {
      expect(stored.get(creditNumber)).toBe(exclusionMask(facts, DEFAULT_EXCLUSION_CRITERIA, DEFAULT_SOLUTION_PARAMETERS));
    }
  });
});

class RollbackMarker extends Error {}

/** Per agency, the credits it keeps this month in mediation cases still open (ASG-5). */
async function heldInOpenCases(): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('mediation_cases')
    .select(['agency_id', sql<bigint>`count(DISTINCT credit_number)`.as('n')])
    .where('closed_on', 'is', null)
    .groupBy('agency_id')
    .execute();
  return new Map(rows.map((row) => [row.agency_id, Number(row.n)]));
}

describe('ASG-4 allocation', () => {
  it('assigns only tagged credits, to agencies that serve their delegation, within capacity', async () => {
    const rows = await sql<{ credit_number: string; agency_id: number; delegation_id: number; credit_delegation: number; serves: boolean; mask: number }>`
      SELECT a.credit_number, a.agency_id, a.delegation_id, c.delegation_id AS credit_delegation,
             EXISTS (SELECT 1 FROM agency_delegations ad WHERE ad.agency_id = a.agency_id AND ad.delegation_id = a.delegation_id) AS serves,
             coalesce(e.exclusion_mask, 0) AS mask
      FROM credit_assignments a
      JOIN credits c ON c.credit_number = a.credit_number
      JOIN assignment_runs r ON r.month = a.month
      LEFT JOIN credit_evaluations e ON e.run_id = r.id AND e.credit_number = a.credit_number
      WHERE a.month = ${month}`.execute(db);
    expect(rows.rows.length).toBeGreaterThan(100);
    for (const row of rows.rows) {
      expect(row.mask).toBe(0);
      expect(row.serves).toBe(true);
      expect(row.delegation_id).toBe(row.credit_delegation);
    }
    const load = await sql<{ id: number; capacity: number; assigned: bigint }>`
      SELECT ag.id, ag.monthly_capacity AS capacity, count(a.credit_number) AS assigned
      FROM agencies ag LEFT JOIN credit_assignments a ON a.agency_id = ag.id AND a.month = ${month} GROUP BY ag.id`.execute(db);
    for (const agency of load.rows) expect(Number(agency.assigned)).toBeLessThanOrEqual(agency.capacity);
  });

  it('keeps referential integrity by construction (no FK on the monthly tables)', async () => {
    const orphans = await sql<{ n: bigint }>`
      SELECT count(*) AS n FROM credit_assignments a
      WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE c.credit_number = a.credit_number)
         OR NOT EXISTS (SELECT 1 FROM agencies g WHERE g.id = a.agency_id)
         OR (a.field_agent_user_id IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM users u WHERE u.id = a.field_agent_user_id AND u.role = 'field_agent' AND u.agency_id = a.agency_id))`.execute(db);
    expect(Number(orphans.rows[0]!.n)).toBe(0);
  });

  it('leaves tagged credits unassigned when their delegation lacks capacity, and says so', async () => {
    const capacities = await db.selectFrom('agencies').select(['id', 'monthly_capacity']).execute();
    await db.updateTable('agencies').set({ monthly_capacity: 1 }).execute();
    try {
      const summary = await simulateAssignment(db, SYSTEM_ACTOR, { month: '2027-01', today: '2027-01-04', now: clock.now() });
      // the credits in open cases keep their agency (ASG-5) and count against its capacity; an
      // agency that holds none takes one credit
      const held = await heldInOpenCases();
      expect(held.size).toBeGreaterThan(0);
      for (const agency of summary.byAgency) expect([agency.code, agency.assigned]).toEqual([agency.code, Math.max(1, held.get(agency.agencyId) ?? 0)]);
      expect(summary.unassigned).toBe(summary.tagged - summary.assigned);
    } finally {
      for (const agency of capacities) await db.updateTable('agencies').set({ monthly_capacity: agency.monthly_capacity }).where('id', '=', agency.id).execute();
    }
  });

  it('ASG-4: leaves a tagged credit without agency only when every agency serving its delegación is full', async () => {
    const capacities = await db.selectFrom('agencies').select(['id', 'monthly_capacity']).execute();
    // tight capacities: with the split by demand alone, agencies serving several delegaciones kept
    // room for delegaciones other agencies already covered, while credits elsewhere went without
    await db.updateTable('agencies').set({ monthly_capacity: sql<number>`5 + id % 7` }).execute();
    try {
      const summary = await simulateAssignment(db, SYSTEM_ACTOR, { month: '2027-05', today: '2027-05-03', now: clock.now() });
      expect(summary.unassigned).toBeGreaterThan(0);
      const serving = await db
        .selectFrom('agency_delegations as ad')
        .innerJoin('agencies as a', 'a.id', 'ad.agency_id')
        .select(['ad.agency_id', 'ad.delegation_id'])
        .where('a.active', '=', true)
        .execute();
      // within capacity, counting the accounts an agency keeps in open cases (ASG-5)
      const held = await heldInOpenCases();
      for (const agency of summary.byAgency) expect(agency.assigned).toBeLessThanOrEqual(Math.max(agency.capacity, held.get(agency.agencyId) ?? 0));
      const full = new Set(summary.byAgency.filter((agency) => agency.assigned >= agency.capacity).map((agency) => agency.agencyId));
      const short = summary.byDelegation.filter((delegation) => delegation.tagged > delegation.assigned);
      expect(short.length).toBeGreaterThan(0);
      for (const delegation of short) {
        for (const agency of serving.filter((s) => s.delegation_id === delegation.delegationId)) expect([delegation.code, full.has(agency.agency_id)]).toEqual([delegation.code, true]);
      }
    } finally {
      for (const agency of capacities) await db.updateTable('agencies').set({ monthly_capacity: agency.monthly_capacity }).where('id', '=', agency.id).execute();
    }
  });

  it('is deterministic: the same inputs give the same assignment (ASG-4)', async () => {
    const first = await simulateAssignment(db, SYSTEM_ACTOR, { month: '2027-02', today: '2027-02-01', now: clock.now() });
    const second = await simulateAssignment(db, SYSTEM_ACTOR, { month: '2027-02', today: '2027-02-01', now: clock.now() });
    expect(second.byAgency).toEqual(first.byAgency);
    const other = await openSeededDatabase({ credits: 600 });
    try {
      const a = await db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month: '2027-03', today: '2027-03-01', now: clock.now() }));
      const b = await other.db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month: '2027-03', today: '2027-03-01', now: clock.now() }));
      expect(b.byAgency).toEqual(a.byAgency);
      const rowsA = await db.selectFrom('credit_assignments').select(['credit_number', 'agency_id', 'convenio_type', 'field_agent_user_id']).where('month', '=', '2027-03').orderBy('credit_number').execute();
      const rowsB = await other.db.selectFrom('credit_assignments').select(['credit_number', 'agency_id', 'convenio_type', 'field_agent_user_id']).where('month', '=', '2027-03').orderBy('credit_number').execute();
      expect(rowsB).toEqual(rowsA);
    } finally {
      await other.close();
    }
  });
});

describe('ASG-5 idempotency and dry runs', () => {
  it('re-running a month changes nothing', async () => {
    const before = await Promise.all([count('credit_assignments'), count('credit_evaluations'), count('assignment_runs'), count('audit_events')]);
    const again = await db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month, today: TEST_TODAY, now: clock.now() }));
    expect(again.alreadyRun).toBe(true);
    const after = await Promise.all([count('credit_assignments'), count('credit_evaluations'), count('assignment_runs'), count('audit_events')]);
    expect(after).toEqual(before);
  });

  it('a dry run computes everything and writes nothing', async () => {
    const before = await Promise.all([count('credit_assignments'), count('credit_evaluations'), count('assignment_runs'), count('audit_events')]);
    const summary = await simulateAssignment(db, SYSTEM_ACTOR, { month: '2027-04', today: '2027-04-01', now: clock.now() });
    expect(summary.dryRun).toBe(true);
    expect(summary.evaluated).toBeGreaterThan(0);
    expect(summary.difference.previousMonth).toBe('2027-03');
    const after = await Promise.all([count('credit_assignments'), count('credit_evaluations'), count('assignment_runs'), count('audit_events')]);
    expect(after).toEqual(before);
  });

  it('the difference against the previous month names why credits leave', async () => {
    const assigned = await db.selectFrom('credit_assignments').select('credit_number').where('month', '=', '2027-03').orderBy('credit_number').limit(3).execute();
    await db.updateTable('credits').set({ active_restructure: true }).where('credit_number', 'in', assigned.map((a) => a.credit_number)).execute();
    const summary = await simulateAssignment(db, SYSTEM_ACTOR, { month: '2027-04', today: '2027-04-01', now: clock.now() });
    expect(summary.difference.leftBecause['EXC-3']).toBe(3);
    expect(summary.difference.left).toBeGreaterThanOrEqual(3);
  });
});

describe('ASG-5: a credit in an open mediation case keeps it', () => {
  it('keeps the case\'s agency and convenio type in the next run even when a criterion now excludes the credit', async () => {
    const a = await db.selectFrom('credit_assignments').selectAll().where('month', '=', month).orderBy('credit_number', 'desc').limit(1).executeTakeFirstOrThrow();
    const other = await db.selectFrom('agency_delegations').select('agency_id').where('delegation_id', '=', a.delegation_id).where('agency_id', '<>', a.agency_id).executeTakeFirst();
    await db
      .insertInto('mediation_cases')
      .values({
        credit_number: a.credit_number,
        round: 1,
        entry: 'monthly',
        month,
        convenio_type: a.convenio_type,
        delegation_id: a.delegation_id,
        agency_id: a.agency_id,
        state: 'accepted',
        opened_on: TEST_TODAY,
        accepted_on: TEST_TODAY,
        facts: JSON.stringify({ state: 'accepted' }),
        created_at: clock.now(),
        updated_at: clock.now(),
      })
      .execute();
    // the credit would now be excluded (EXC-3) and, without the case, could go to another agency
    await db.updateTable('credits').set({ active_restructure: true }).where('credit_number', '=', a.credit_number).execute();
    const summary = await db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month: '2027-06', today: '2027-06-01', now: clock.now() }));
    const kept = await db.selectFrom('credit_assignments').selectAll().where('month', '=', '2027-06').where('credit_number', '=', a.credit_number).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ agency_id: a.agency_id, convenio_type: a.convenio_type, entry: 'monthly' });
    expect(other === undefined || kept.agency_id !== other.agency_id).toBe(true);
    const run = await db.selectFrom('assignment_runs').select('id').where('month', '=', '2027-06').executeTakeFirstOrThrow();
    const evaluation = await db.selectFrom('credit_evaluations').select('exclusion_mask').where('run_id', '=', run.id).where('credit_number', '=', a.credit_number).executeTakeFirst();
    expect(evaluation).toBeUndefined();
    expect(summary.assigned).toBeGreaterThan(0);
    await db.updateTable('credits').set({ active_restructure: false }).where('credit_number', '=', a.credit_number).execute();
  });
});

describe('ASG-2 policy versions', () => {
  it('only the mediation office changes the criteria; the run records the version it used', async () => {
    const operations = await login(app, 'operacion');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/policies/exclusion_criteria',
      headers: operations.headers,
      payload: { value: DEFAULT_EXCLUSION_CRITERIA, reason: 'Prueba de permisos', effectiveFrom: '2027-05-01' },
    });
    expect(refused.statusCode).toBe(403);

    const office = await login(app, 'gmc');
    const withoutReason = await app.inject({
      method: 'POST',
      url: '/api/policies/exclusion_criteria',
      headers: office.headers,
      payload: { value: DEFAULT_EXCLUSION_CRITERIA, reason: '', effectiveFrom: '2027-05-01' },
    });
    expect(withoutReason.statusCode).toBe(400);

    const value = structuredClone(DEFAULT_EXCLUSION_CRITERIA);
    value['EXC-3'].enabled = false;
    const changed = await app.inject({
      method: 'POST',
      url: '/api/policies/exclusion_criteria',
      headers: office.headers,
      payload: { value, reason: 'Piloto: mediación también con reestructura activa', effectiveFrom: '2027-05-01', notifiedAreas: ['Operación de Soluciones'] },
    });
    expect(changed.statusCode).toBe(201);
    expect(changed.json()).toMatchObject({ version: 2, effectiveFrom: '2027-05-01', notifiedAreas: ['Operación de Soluciones'] });

    expect((await getPolicyInForce(db, 'exclusion_criteria', '2027-04-30')).version).toBe(1);
    const may = await db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month: '2027-05', today: '2027-05-02', now: clock.now() }));
    expect(may.policies.exclusionCriteria).toBe(2);
    expect(may.byRule['EXC-3']).toBe(0);
    const run = await db.selectFrom('assignment_runs').innerJoin('policy_versions', 'policy_versions.id', 'assignment_runs.exclusion_policy_id').select('policy_versions.version').where('month', '=', '2027-05').executeTakeFirstOrThrow();
    expect(run.version).toBe(2);
    const event = await db.selectFrom('audit_events').select(['actor_role', 'after']).where('entity_type', '=', 'policy').where('entity_id', '=', 'exclusion_criteria@2').executeTakeFirstOrThrow();
    expect(event.actor_role).toBe('mediation_office');
  });

  it('refuses an invalid policy value with a Spanish message', async () => {
    await expect(
      db.transaction().execute((trx) => changePolicy(trx, { userId: null, role: 'mediation_office' }, { key: 'exclusion_criteria', value: { 'EXC-1': { enabled: 'yes' } }, reason: 'valor roto', effectiveFrom: '2027-06-01', now: clock.now() })),
    ).rejects.toThrow(/no es válida/);
  });
});

describe('ASG-3 convenio-type criteria as policy', () => {
  it('refuses unknown segments and empty conditions in Spanish; a new version decides the types from its date', async () => {
    const office = await login(app, 'gmc');
    const post = (value: unknown) =>
      app.inject({
        method: 'POST',
        url: '/api/policies/convenio_type_criteria',
        headers: office.headers,
        payload: { value, reason: 'Piloto de convenios notariales en una delegación', effectiveFrom: '2027-09-01' },
      });
    const unknownSegment = await post({ rules: [{ type: 'NOTARIAL', segments: ['cartera_inventada'] }], fallback: 'ADMINISTRATIVE' });
    expect(unknownSegment.statusCode).toBe(400);
    expect(unknownSegment.json().message).toMatch(/no es válida: rules\.0\.segments\.0/);
    const noDelegation = await post({ rules: [{ type: 'NOTARIAL', delegationIds: [] }], fallback: 'ADMINISTRATIVE' });
    expect(noDelegation.statusCode).toBe(400);
    expect(noDelegation.json().message).toMatch(/elija al menos una delegación/);

    // the delegación with most tagged credits: NOTARIAL there (no mediator required), ADMINISTRATIVE elsewhere
    const busiest = await db
      .selectFrom('credit_assignments')
      .select(['delegation_id', sql<bigint>`count(*)`.as('n')])
      .where('month', '=', month)
      .groupBy('delegation_id')
      .orderBy(sql`count(*)`, 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const changed = await post({ rules: [{ type: 'NOTARIAL', delegationIds: [busiest.delegation_id] }], fallback: 'ADMINISTRATIVE' });
    expect(changed.statusCode).toBe(201);
    expect(changed.json().version).toBe(2);

    const september = await db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month: '2027-09', today: '2027-09-01', now: clock.now() }));
    expect(september.policies.convenioTypeCriteria).toBe(2);
    // the run's own assignments (a credit in an open case keeps its type, ASG-5)
    const types = await sql<{ in_pilot: boolean; convenio_type: string; n: bigint }>`
      SELECT a.delegation_id = ${busiest.delegation_id} AS in_pilot, a.convenio_type, count(*) AS n
      FROM credit_assignments a
      WHERE a.month = '2027-09' AND NOT EXISTS (SELECT 1 FROM mediation_cases mc WHERE mc.credit_number = a.credit_number AND mc.closed_on IS NULL)
      GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
    expect(types.rows.map((row) => [row.in_pilot, row.convenio_type])).toEqual([
      [false, 'ADMINISTRATIVE'],
      [true, 'NOTARIAL'],
    ]);
  });
});

describe('ASG-2 policy versions as read back', () => {
  it('names each version\'s author; a version stored before its schema was tightened stays readable as written', async () => {
    const office = await login(app, 'gmc');
    const response = await app.inject({ method: 'GET', url: '/api/policies/convenio_type_criteria', headers: office.headers });
    expect(response.statusCode).toBe(200);
    const versions = response.json().versions as Array<{ version: number; authorUserId: number | null; authorName: string | null }>;
    const gmc = await db.selectFrom('users').select(['id', 'full_name']).where('username', '=', 'gmc').executeTakeFirstOrThrow();
    expect(versions.find((v) => v.version === 2)).toMatchObject({ authorUserId: gmc.id, authorName: gmc.full_name });
    expect(versions.find((v) => v.version === 1)).toMatchObject({ authorUserId: null, authorName: null });

    // written when an empty list of delegaciones was accepted (it matched no credit)
    const legacy = { rules: [{ type: 'NOTARIAL', delegationIds: [] }], fallback: 'ADMINISTRATIVE' };
    await db
      .insertInto('policy_versions')
      .values({ policy_key: 'convenio_type_criteria', version: 99, value: JSON.stringify(legacy), reason: 'versión antigua', author_user_id: null, created_at: clock.now(), effective_from: '2099-01-01', notified_areas: [] })
      .execute();
    try {
      expect((await getPolicyInForce(db, 'convenio_type_criteria', '2099-01-02')).value).toEqual(legacy);
    } finally {
      await db.deleteFrom('policy_versions').where('policy_key', '=', 'convenio_type_criteria').where('version', '=', 99).execute();
    }
  });
});

describe('explanations', () => {
  it('names every rule that excluded a credit, with its wording and the policy version', async () => {
    const run = await db.selectFrom('assignment_runs').select('id').where('month', '=', month).executeTakeFirstOrThrow();
    const multi = await db.selectFrom('credit_evaluations').select(['credit_number', 'exclusion_mask']).where('run_id', '=', run.id).where(sql<boolean>`bit_count(exclusion_mask::bit(10)) >= 2`).executeTakeFirstOrThrow();
    const explanation = await explainCredit(db, { creditNumber: multi.credit_number, month });
    expect(explanation.tagged).toBe(false);
    expect(explanation.reasons.map((r) => r.rule)).toEqual(rulesOfMask(multi.exclusion_mask));
    expect(explanation.reasons.length).toBeGreaterThanOrEqual(2);
    expect(explanation.policyVersion).toBe(1);
    expect(explanation.message).toMatch(/No susceptible de mediación: EXC-/);
  });

  it('says where a tagged credit went, over HTTP, and 404 outside the scope', async () => {
    const assignment = await db.selectFrom('credit_assignments').select(['credit_number', 'agency_id']).where('month', '=', month).executeTakeFirstOrThrow();
    const caller = await login(app, 'operacion');
    const response = await app.inject({ method: 'GET', url: `/api/credits/${assignment.credit_number}/explanation?month=${month}`, headers: caller.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ tagged: true, assignment: { agencyId: assignment.agency_id } });
    const borrower = await login(app, 'acreditado1');
    const hidden = await app.inject({ method: 'GET', url: `/api/credits/${assignment.credit_number}/explanation?month=${month}`, headers: borrower.headers });
    const own = await db.selectFrom('users').select('credit_number').where('username', '=', 'acreditado1').executeTakeFirstOrThrow();
    if (own.credit_number !== assignment.credit_number) expect(hidden.statusCode).toBe(404);
  });
});

describe('results, files and scope', () => {
  it('an agency sees only its assigned accounts and is notified (ASG-1, SEC-2)', async () => {
    const agency = await db.selectFrom('users').select(['agency_id']).where('username', '=', 'agencia.as01').executeTakeFirstOrThrow();
    const caller = await login(app, 'agencia.as01');
    const response = await app.inject({ method: 'GET', url: `/api/assignment/accounts?month=2027-05&limit=200`, headers: caller.headers });
    const body = response.json();
    const expected = await db.selectFrom('credit_assignments').select(sql<bigint>`count(*)`.as('n')).where('month', '=', '2027-05').where('agency_id', '=', agency.agency_id!).executeTakeFirstOrThrow();
    expect(body.total).toBe(Number(expected.n));
    const name = (await db.selectFrom('agencies').select('name').where('id', '=', agency.agency_id!).executeTakeFirstOrThrow()).name;
    expect(body.items.every((item: { agency: string }) => item.agency === name)).toBe(true);
    const notices = await app.inject({ method: 'GET', url: '/api/notices', headers: caller.headers });
    expect(notices.json().map((n: { title: string }) => n.title)).toContain('Asignación de 2027-05 disponible');
    // ...and an e-mail to the agency's contact through the notification outbox
    const email = await db
      .selectFrom('outbox_messages as o')
      .innerJoin('agencies as a', 'a.contact_email', 'o.recipient_address')
      .select(['o.channel', 'o.subject', 'o.body'])
      .where('o.purpose', '=', 'assignment_available')
      .where('a.id', '=', agency.agency_id!)
      .where('o.body', 'like', '%2027%')
      .executeTakeFirstOrThrow();
    expect(email.channel).toBe('email');
    expect(email.body).toContain(name);
    const runs = await app.inject({ method: 'GET', url: '/api/assignment/runs', headers: caller.headers });
    expect(runs.statusCode).toBe(403);
  });

  it('exports the PR «Entradas» file as XLSX (read back cell by cell) and CSV; an agency gets only its rows', async () => {
    const caller = await login(app, 'operacion');
    const xlsx = await app.inject({ method: 'GET', url: `/api/assignment/runs/2027-05/file?format=xlsx`, headers: caller.headers });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    // the workbook's time is the server's clock
    expect(workbook.created).toEqual(clock.now());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Delegación', 'Acreditado', 'Crédito', 'Despacho', 'Fecha de asignación', 'Tipo de convenio']);
    const total = Number((await db.selectFrom('credit_assignments').select(sql<bigint>`count(*)`.as('n')).where('month', '=', '2027-05').executeTakeFirstOrThrow()).n);
    expect(sheet.rowCount - 1).toBe(total);
    const firstCredit = String(sheet.getRow(2).getCell(3).value);
    const expected = await db
      .selectFrom('credit_assignments as a')
      .innerJoin('credits as c', 'c.credit_number', 'a.credit_number')
      .innerJoin('agencies as g', 'g.id', 'a.agency_id')
      .select(['c.borrower_name', 'g.name', 'a.assigned_on'])
      .where('a.month', '=', '2027-05')
      .where('a.credit_number', '=', firstCredit)
      .executeTakeFirstOrThrow();
    expect(sheet.getRow(2).getCell(2).value).toBe(expected.borrower_name);
    expect(sheet.getRow(2).getCell(4).value).toBe(expected.name);
    expect((sheet.getRow(2).getCell(5).value as Date).toISOString().slice(0, 10)).toBe(expected.assigned_on);

    const csv = await app.inject({ method: 'GET', url: `/api/assignment/runs/2027-05/file?format=csv`, headers: caller.headers });
    expect(csv.body.trim().split('\r\n')).toHaveLength(total + 1);

    const agency = await login(app, 'agencia.as01');
    const own = await app.inject({ method: 'GET', url: `/api/assignment/runs/2027-05/file?format=csv`, headers: agency.headers });
    const agencyName = (await db.selectFrom('agencies').select('name').where('code', '=', 'AS01').executeTakeFirstOrThrow()).name;
    const lines = own.body.trim().split('\r\n').slice(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.includes(agencyName.includes(',') ? `"${agencyName}"` : agencyName))).toBe(true);
  });

  it('runs over HTTP only for operations, and reports counts per rule ID', async () => {
    const office = await login(app, 'gmc');
    expect((await app.inject({ method: 'POST', url: '/api/assignment/runs', headers: office.headers, payload: { month: '2027-06' } })).statusCode).toBe(403);
    const operations = await login(app, 'operacion');
    const response = await app.inject({ method: 'POST', url: '/api/assignment/runs', headers: operations.headers, payload: { month: '2027-06', dryRun: true } });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json().byRule)).toEqual([...EXCLUSION_RULE_IDS]);
    const bad = await app.inject({ method: 'POST', url: '/api/assignment/runs', headers: operations.headers, payload: { month: '2027-13' } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('ASG-5, ASG-6: an entry ahead of the monthly run, and the counts the run reports', () => {
  it('keeps the assignment another entry made before the run, evaluates the credit, and reports counts equal to the stored rows', async () => {
    const august = '2027-08';
    const earlier = await db
      .selectFrom('credit_assignments')
      .select(['credit_number', 'delegation_id', 'agency_id', 'convenio_type'])
      .where('month', '=', '2027-06')
      .where('entry', '=', 'monthly')
      .orderBy('credit_number')
      .limit(1)
      .executeTakeFirstOrThrow();
    // ENT-A tags the credit for August before August's run (it waits in the default partition)
    await db
      .insertInto('credit_assignments')
      .values({ month: august, credit_number: earlier.credit_number, run_id: null, entry: 'request', delegation_id: earlier.delegation_id, agency_id: earlier.agency_id, convenio_type: earlier.convenio_type, assigned_on: '2027-07-30' })
      .execute();
    const summary = await db.transaction().execute((trx) => runAssignment(trx, SYSTEM_ACTOR, { month: august, today: '2027-08-02', now: clock.now() }));
    const kept = await db.selectFrom('credit_assignments').selectAll().where('month', '=', august).where('credit_number', '=', earlier.credit_number).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ entry: 'request', run_id: null, agency_id: earlier.agency_id, assigned_on: '2027-07-30' });
    const run = await db.selectFrom('assignment_runs').select('id').where('month', '=', august).executeTakeFirstOrThrow();
    const evaluation = await db.selectFrom('credit_evaluations').select('exclusion_mask').where('run_id', '=', run.id).where('credit_number', '=', earlier.credit_number).executeTakeFirst();
    expect(evaluation).toBeDefined();

    // ASG-6: the counts the run reports are those of the rows it stored
    const stored = await sql<{ evaluations: bigint; tagged_rows: bigint; by_run: bigint; assigned: bigint; already: bigint }>`
      SELECT (SELECT count(*) FROM credit_evaluations WHERE run_id = ${run.id}) AS evaluations,
             (SELECT count(*) FROM credit_evaluations WHERE run_id = ${run.id} AND exclusion_mask = 0) AS tagged_rows,
             (SELECT count(*) FROM credit_assignments WHERE month = ${august} AND run_id = ${run.id}) AS by_run,
             (SELECT count(*) FROM credit_assignments WHERE month = ${august}) AS assigned,
             (SELECT count(*) FROM credit_evaluations e JOIN credit_assignments a ON a.month = ${august} AND a.credit_number = e.credit_number
              WHERE e.run_id = ${run.id} AND e.exclusion_mask = 0) AS already`.execute(db);
    const n = stored.rows[0]!;
    expect(summary.evaluated).toBe(Number(n.evaluations) + Number(n.by_run));
    expect(summary.tagged).toBe(Number(n.tagged_rows) + Number(n.by_run));
    expect(summary.assigned).toBe(Number(n.assigned));
    expect(summary.unassigned).toBe(Number(n.tagged_rows) - Number(n.already));
    for (const rule of EXCLUSION_RULE_IDS) {
      const bit = 1 << EXCLUSION_RULE_IDS.indexOf(rule);
      const byRule = await sql<{ n: bigint }>`SELECT count(*) AS n FROM credit_evaluations WHERE run_id = ${run.id} AND exclusion_mask & ${bit} <> 0`.execute(db);
      expect(summary.byRule[rule], rule).toBe(Number(byRule.rows[0]!.n));
    }
    const perAgency = await sql<{ agency_id: number; n: bigint }>`SELECT agency_id, count(*) AS n FROM credit_assignments WHERE month = ${august} GROUP BY agency_id`.execute(db);
    for (const row of perAgency.rows) expect(summary.byAgency.find((a) => a.agencyId === row.agency_id)?.assigned).toBe(Number(row.n));
    const perType = await sql<{ convenio_type: string; n: bigint }>`SELECT convenio_type, count(*) AS n FROM credit_assignments WHERE month = ${august} GROUP BY convenio_type`.execute(db);
    expect(summary.byConvenioType).toEqual(Object.fromEntries(perType.rows.map((r) => [r.convenio_type, Number(r.n)]).sort()));
  });
});
