/**
 * GET /api/credits/:number/solutions on a real database: a borrower sees his own credit's
 * catalogue (SPEC §8, with the policy version), another credit is 404 (SEC-2), the read is logged
 * (SEC-4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import type { App } from '../../http/context.js';
import { buildTestServer, login, openSeededDatabase, TEST_TODAY } from '../../../test/factories.js';
import { SOLUTION_IDS } from './solutions.rules.js';
import type { TCreditSolutions } from './solutions.schemas.js';

let database: Database;
let app: App;

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 200 });
  app = await buildTestServer(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function creditOf(username: string): Promise<string> {
  const row = await database.db.selectFrom('users').select('credit_number').where('username', '=', username).executeTakeFirstOrThrow();
  return row.credit_number!;
}

describe('GET /api/credits/:number/solutions', () => {
  it('a borrower sees the catalogue of his own credit: every solution, its conditions, exact terms when available', async () => {
    const own = await creditOf('acreditado1');
    const borrower = await login(app, 'acreditado1');
    const response = await app.inject({ method: 'GET', url: `/api/credits/${own}/solutions`, headers: borrower.headers });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<TCreditSolutions>();
    expect(body.creditNumber).toBe(own);
    expect(body.on).toBe(TEST_TODAY);
    expect(body.policy.solutionParametersVersion).toBeGreaterThanOrEqual(1);
    expect(body.solutions.map((offer) => offer.solution)).toEqual([...SOLUTION_IDS]);
    for (const offer of body.solutions) {
      expect(offer.conditions.length).toBeGreaterThan(0);
      expect(offer.available).toBe(offer.conditions.every((condition) => condition.passed));
      if (!offer.available) expect(offer.terms).toBeUndefined();
      if (offer.terms) {
        expect(offer.terms.balanceAfterCents).toBe(offer.terms.balanceBeforeCents - offer.terms.discountCents);
        expect(offer.terms.firstPaymentDueOn).toBe('2026-12-31');
        expect(offer.terms.explanation.length).toBeGreaterThan(0);
      }
    }
    expect(body.solutions.some((offer) => offer.terms !== undefined)).toBe(true); // the demo borrower is in arrears: SOL-2 at least
    const reads = await database.db.selectFrom('personal_data_reads').select('purpose').where('credit_number', '=', own).where('purpose', '=', 'solutions').execute();
    expect(reads.length).toBeGreaterThan(0);
  });

  it("another borrower's credit is 404, as is a credit that does not exist (SEC-2)", async () => {
    const other = await creditOf('acreditado2');
    const borrower = await login(app, 'acreditado1');
    const response = await app.inject({ method: 'GET', url: `/api/credits/${other}/solutions`, headers: borrower.headers });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/no encontrado/);
    const missing = await app.inject({ method: 'GET', url: '/api/credits/0000000000/solutions', headers: borrower.headers });
    expect(missing.statusCode).toBe(404);
  });

  it('the mediation office sees any credit; without a session it is 401', async () => {
    const other = await creditOf('acreditado2');
    const office = await login(app, 'gmc');
    const response = await app.inject({ method: 'GET', url: `/api/credits/${other}/solutions`, headers: office.headers });
    expect(response.statusCode, response.body).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/credits/${other}/solutions` })).statusCode).toBe(401);
  });
});
