/**
 * ENT-A (requests and proposals) and ENT-B (RE accounts judged inhabited): exclusions checked,
 * the requester told why, eligible credits tagged with a type and an agency outside the run.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../db/index.js';
import type { App } from '../../http/context.js';
import { buildTestServer, login, openSeededDatabase, TEST_TODAY } from '../../../test/factories.js';

let database: Database;
let db: Db;
let app: App;
const month = TEST_TODAY.slice(0, 7);

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 500 });
  db = database.db;
  app = await buildTestServer(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** Credits not assigned this month, split into one that is clean and one with an active restructure. */
async function unassignedCredits() {
  const rows = await sql<{ credit_number: string }>`
    SELECT c.credit_number FROM credits c
    WHERE NOT EXISTS (SELECT 1 FROM credit_assignments a WHERE a.month = ${month} AND a.credit_number = c.credit_number)
      AND c.segment <> 'recuperacion_especializada'
    ORDER BY c.credit_number LIMIT 2`.execute(db);
  const [clean, restructured] = rows.rows.map((r) => r.credit_number) as [string, string];
  await db
    .updateTable('credits')
    .set({ broken_convenios: 0, housing_status: 'inhabited', active_restructure: false, outsourced: false, trust_pool: false, billing_active: true, active_extension: false, legal_stage: 'none', accompaniment: false, months_in_arrears: 6, in_social_collections: true })
    .where('credit_number', 'in', [clean, restructured])
    .execute();
  await db.updateTable('credits').set({ active_restructure: true, active_extension: true }).where('credit_number', '=', restructured).execute();
  return { clean, restructured };
}

describe('ENT-A: mediation on request or proposal', () => {
  it('checks the criteria, tags the eligible credit outside the run, and tells the requester why the other was excluded', async () => {
    const { clean, restructured } = await unassignedCredits();
    const manager = await login(app, 'gerente.cdmx');
    const cdmx = await db.selectFrom('users').select('delegation_id').where('username', '=', 'gerente.cdmx').executeTakeFirstOrThrow();
    await db.updateTable('credits').set({ delegation_id: cdmx.delegation_id! }).where('credit_number', 'in', [clean, restructured]).execute();

    const created = await app.inject({
      method: 'POST',
      url: '/api/proposals',
      headers: manager.headers,
      payload: { creditNumbers: [clean, restructured], reason: 'Acreditados que acudieron a la delegación a pedir apoyo' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    expect(created.json().status).toBe('pending');

    const operations = await login(app, 'operacion');
    const office = await login(app, 'gmc');
    expect((await app.inject({ method: 'POST', url: `/api/proposals/${id}/resolve`, headers: manager.headers })).statusCode).toBe(403);
    const resolved = await app.inject({ method: 'POST', url: `/api/proposals/${id}/resolve`, headers: office.headers });
    expect(resolved.statusCode).toBe(200);
    const outcomes = Object.fromEntries(resolved.json().credits.map((c: { creditNumber: string }) => [c.creditNumber, c]));
    expect(outcomes[clean]).toMatchObject({ outcome: 'tagged', convenioTypeLabel: expect.stringMatching(/^Convenio de Mediación/) });
    expect(outcomes[restructured].outcome).toBe('excluded');
    expect(outcomes[restructured].reasons.map((r: { rule: string }) => r.rule)).toEqual(['EXC-3', 'EXC-7']);

    const assignment = await db.selectFrom('credit_assignments').selectAll().where('month', '=', month).where('credit_number', '=', clean).executeTakeFirstOrThrow();
    expect(assignment.entry).toBe('request');
    const serves = await db.selectFrom('agency_delegations').select('agency_id').where('delegation_id', '=', assignment.delegation_id).execute();
    expect(serves.map((s) => s.agency_id)).toContain(assignment.agency_id);

    const notices = await app.inject({ method: 'GET', url: '/api/notices', headers: manager.headers });
    const notice = notices.json().find((n: { title: string }) => n.title === `Resultado de la propuesta ${id}`);
    expect(notice.body).toMatch(new RegExp(`${restructured} \\(EXC-3, EXC-7\\)`));

    const again = await app.inject({ method: 'POST', url: `/api/proposals/${id}/resolve`, headers: operations.headers });
    expect(again.statusCode).toBe(409);
  });

  it('a borrower may request mediation of his own credit only', async () => {
    const borrower = await login(app, 'acreditado1');
    const own = await db.selectFrom('users').select('credit_number').where('username', '=', 'acreditado1').executeTakeFirstOrThrow();
    const other = await db.selectFrom('credits').select('credit_number').where('credit_number', '!=', own.credit_number!).executeTakeFirstOrThrow();
    const refused = await app.inject({ method: 'POST', url: '/api/proposals', headers: borrower.headers, payload: { creditNumbers: [other.credit_number], reason: 'Quiero mediación' } });
    expect(refused.statusCode).toBe(403);
    const accepted = await app.inject({ method: 'POST', url: '/api/proposals', headers: borrower.headers, payload: { creditNumbers: [own.credit_number], reason: 'Quiero mediación' } });
    expect(accepted.statusCode).toBe(201);
    const list = await app.inject({ method: 'GET', url: '/api/proposals', headers: borrower.headers });
    expect(list.json().every((p: { requesterName: string }) => p.requesterName === list.json()[0].requesterName)).toBe(true);
  });

  it('refuses unknown credits with a clear message and writes nothing', async () => {
    const office = await login(app, 'gmc');
    const before = await db.selectFrom('mediation_proposals').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const response = await app.inject({ method: 'POST', url: '/api/proposals', headers: office.headers, payload: { creditNumbers: ['0000000001'], reason: 'Prueba de validación' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/Créditos inexistentes: 0000000001/);
    const after = await db.selectFrom('mediation_proposals').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('SEC-2: a regional manager cannot tell a credit of another delegación from one that does not exist', async () => {
    const manager = await login(app, 'gerente.cdmx');
    const cdmx = await db.selectFrom('users').select('delegation_id').where('username', '=', 'gerente.cdmx').executeTakeFirstOrThrow();
    const elsewhere = await db.selectFrom('credits').select('credit_number').where('delegation_id', '!=', cdmx.delegation_id!).executeTakeFirstOrThrow();
    const outside = await app.inject({ method: 'POST', url: '/api/proposals', headers: manager.headers, payload: { creditNumbers: [elsewhere.credit_number], reason: 'Prueba de alcance' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/proposals', headers: manager.headers, payload: { creditNumbers: ['0000000001'], reason: 'Prueba de alcance' } });
    expect(outside.statusCode).toBe(400);
    expect(unknown.statusCode).toBe(400);
    expect(outside.json().message).toBe(unknown.json().message.replace('0000000001', elsewhere.credit_number));
    expect(outside.json().message).toMatch(/inexistentes o fuera de su delegación/);
  });
});

describe('ENT-A: capacity, portfolio and concurrent reviews', () => {
  it('ASG-4: an agency with no capacity left this month takes no proposed credit (no_agency)', async () => {
    const { clean } = await unassignedCredits();
    const credit = await db.selectFrom('credits').select('delegation_id').where('credit_number', '=', clean).executeTakeFirstOrThrow();
    const serving = await db.selectFrom('agency_delegations').select('agency_id').where('delegation_id', '=', credit.delegation_id).execute();
    const ids = serving.map((s) => s.agency_id);
    const saved = await db.selectFrom('agencies').select(['id', 'monthly_capacity']).where('id', 'in', ids).execute();
    // Every serving agency is exactly full with this month's accounts.
    await sql`UPDATE agencies ag SET monthly_capacity = (SELECT count(*) FROM credit_assignments a WHERE a.month = ${month} AND a.agency_id = ag.id)
              WHERE ag.id IN (${sql.join(ids)})`.execute(db);
    try {
      const office = await login(app, 'gmc');
      const created = await app.inject({ method: 'POST', url: '/api/proposals', headers: office.headers, payload: { creditNumbers: [clean], reason: 'Prueba de capacidad' } });
      const resolved = await app.inject({ method: 'POST', url: `/api/proposals/${created.json().id}/resolve`, headers: office.headers });
      expect(resolved.statusCode).toBe(200);
      expect(resolved.json().credits[0]).toMatchObject({ creditNumber: clean, outcome: 'no_agency', agencyName: null });
      const assigned = await db.selectFrom('credit_assignments').select('credit_number').where('month', '=', month).where('credit_number', '=', clean).executeTakeFirst();
      expect(assigned).toBeUndefined();
    } finally {
      for (const agency of saved) await db.updateTable('agencies').set({ monthly_capacity: agency.monthly_capacity }).where('id', '=', agency.id).execute();
    }
  });

  it('refuses credits outside the social-collections portfolio (ASG-1) and writes nothing', async () => {
    const outside = await db.selectFrom('credits').select('credit_number').where('in_social_collections', '=', false).executeTakeFirstOrThrow();
    const office = await login(app, 'gmc');
    const response = await app.inject({ method: 'POST', url: '/api/proposals', headers: office.headers, payload: { creditNumbers: [outside.credit_number], reason: 'Fuera de cartera' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(`No pertenecen a la cartera de cobranza social: ${outside.credit_number}.`);
  });

  it('two reviews at once: one resolves, the other gets 409 with the date in Mexico City', async () => {
    const { clean } = await unassignedCredits();
    const office = await login(app, 'gmc');
    const operations = await login(app, 'operacion');
    const created = await app.inject({ method: 'POST', url: '/api/proposals', headers: office.headers, payload: { creditNumbers: [clean], reason: 'Revisión concurrente' } });
    const id = created.json().id as number;
    const [first, second] = await Promise.all([
      app.inject({ method: 'POST', url: `/api/proposals/${id}/resolve`, headers: office.headers }),
      app.inject({ method: 'POST', url: `/api/proposals/${id}/resolve`, headers: operations.headers }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    const refused = first.statusCode === 409 ? first : second;
    const [y, m, d] = TEST_TODAY.split('-');
    expect(refused.json().message).toBe(`La propuesta ${id} ya fue resuelta el ${d}/${m}/${y}.`);
    const events = await db.selectFrom('audit_events').select('action').where('entity_type', '=', 'proposal').where('entity_id', '=', String(id)).execute();
    expect(events.filter((e) => e.action === 'proposal.resolved')).toHaveLength(1);
  });
});

describe('ENT-B: RE accounts judged inhabited', () => {
  it('tags RE accounts in a legal stage (EXC-9 waived), marks them legal-stage-frozen, and still applies the other exclusions', async () => {
    const re = await sql<{ credit_number: string }>`
      SELECT c.credit_number FROM credits c
      WHERE NOT EXISTS (SELECT 1 FROM credit_assignments a WHERE a.month = ${month} AND a.credit_number = c.credit_number)
      ORDER BY c.credit_number DESC LIMIT 2`.execute(db);
    const [inLawsuit, trustPool] = re.rows.map((r) => r.credit_number) as [string, string];
    await db
      .updateTable('credits')
      .set({ segment: 'recuperacion_especializada', legal_stage: 'judgment', housing_status: 'abandoned', broken_convenios: 0, active_restructure: false, outsourced: false, trust_pool: false, billing_active: true, active_extension: false, accompaniment: false, months_in_arrears: 12, in_social_collections: true })
      .where('credit_number', 'in', [inLawsuit, trustPool])
      .execute();
    await db.updateTable('credits').set({ trust_pool: true }).where('credit_number', '=', trustPool).execute();

    const office = await login(app, 'gmc');
    const notRe = await app.inject({ method: 'POST', url: '/api/proposals', headers: office.headers, payload: { entry: 'specialized_recovery', creditNumbers: [inLawsuit], reason: 'Cuentas habitadas' } });
    expect(notRe.statusCode).toBe(403);

    const rec = await login(app, 'recuperacion');
    const created = await app.inject({ method: 'POST', url: '/api/proposals', headers: rec.headers, payload: { entry: 'specialized_recovery', creditNumbers: [inLawsuit, trustPool], reason: 'Dictamen de noviembre: cuentas habitadas' } });
    expect(created.statusCode).toBe(201);
    const operations = await login(app, 'operacion');
    const resolved = await app.inject({ method: 'POST', url: `/api/proposals/${created.json().id}/resolve`, headers: operations.headers });
    const outcomes = Object.fromEntries(resolved.json().credits.map((c: { creditNumber: string; outcome: string }) => [c.creditNumber, c]));
    expect(outcomes[inLawsuit].outcome).toBe('tagged');
    expect(outcomes[trustPool].outcome).toBe('excluded');
    expect(outcomes[trustPool].reasons.map((r: { rule: string }) => r.rule)).toEqual(['EXC-5']);
    const credit = await db.selectFrom('credits').select(['legal_stage_frozen', 'housing_status']).where('credit_number', '=', inLawsuit).executeTakeFirstOrThrow();
    expect(credit).toEqual({ legal_stage_frozen: true, housing_status: 'inhabited' });
    const other = await db.selectFrom('credits').select('legal_stage_frozen').where('credit_number', '=', trustPool).executeTakeFirstOrThrow();
    expect(other.legal_stage_frozen).toBe(false);
    const assignment = await db.selectFrom('credit_assignments').select('entry').where('month', '=', month).where('credit_number', '=', inLawsuit).executeTakeFirstOrThrow();
    expect(assignment.entry).toBe('specialized_recovery');
  });
});
