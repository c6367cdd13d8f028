/**
 * Bulk load of payments (PAY-1) on a real database: validated rows by COPY, applied to the
 * credits by set-based statements, all or nothing, idempotent when a file is loaded again; the
 * first payment of an approved convenio puts it in force (CNV-5); the upload over HTTP.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, fixedClock } from '../../clock.js';
import type { Database, Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { App } from '../../http/context.js';
import { centsToDecimalText } from '../../money.js';
import { buildTestServer, login, openSeededDatabase, TEST_TODAY } from '../../../test/factories.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { importPayments, type ImportProblem, type PaymentsImportResult } from './payments.import.js';

const clock = fixedClock(TEST_TODAY);
const HEADER = 'credit_number,reference,paid_on,amount,channel';
let database: Database;
let app: App;

interface CreditState {
  credit_number: string;
  balance_cents: bigint;
  monthly_payment_cents: bigint;
  insurance_fees_cents: bigint;
  months_in_arrears: number;
  payments_made: number;
}

const pesos = (cents: bigint) => centsToDecimalText(cents);
const fullPayment = (credit: CreditState) => credit.monthly_payment_cents + credit.insurance_fees_cents;
const file = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

function run(text: string, options: { trx?: Executor; today?: string; fileName?: string } = {}): Promise<PaymentsImportResult> {
  const work = (trx: Executor) =>
    importPayments(trx, SYSTEM_ACTOR, {
      fileName: options.fileName ?? 'pagos.csv',
      input: Readable.from([Buffer.from(text)]),
      today: options.today ?? clock.today(),
      now: clock.now(),
    });
  return options.trx ? work(options.trx) : database.db.transaction().execute(work);
}

async function rejection(text: string): Promise<{ error: AppError; problems: ImportProblem[] }> {
  try {
    await run(text);
  } catch (error) {
    if (error instanceof AppError) return { error, problems: (error.details as { errors: ImportProblem[] }).errors };
    throw error;
  }
  throw new Error('the import was expected to fail');
}

async function credits(numbers: readonly string[], db: Executor = database.db): Promise<CreditState[]> {
  return db
    .selectFrom('credits')
    .select(['credit_number', 'balance_cents', 'monthly_payment_cents', 'insurance_fees_cents', 'months_in_arrears', 'payments_made'])
    .where('credit_number', 'in', numbers)
    .orderBy('credit_number')
    .execute();
}

/** Credits no other test of this file touches: each test takes its own slice of the portfolio. */
let nextCredit = 0;
async function freshCredits(count: number, where: 'arrears' | 'any' = 'arrears'): Promise<CreditState[]> {
  const rows = await database.db
    .selectFrom('credits')
    .select(['credit_number', 'balance_cents', 'monthly_payment_cents', 'insurance_fees_cents', 'months_in_arrears', 'payments_made'])
    .where('balance_cents', '>', 1_000_000n)
    .$if(where === 'arrears', (q) => q.where('months_in_arrears', '>=', 3))
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM payments p WHERE p.credit_number = credits.credit_number)`)
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM users u WHERE u.credit_number = credits.credit_number)`)
    .orderBy('credit_number')
    .offset(nextCredit)
    .limit(count)
    .execute();
  nextCredit += count;
  expect(rows).toHaveLength(count);
  return rows;
}

async function counts() {
  const row = await sql<{ payments: bigint; runs: bigint; events: bigint }>`
    SELECT (SELECT count(*) FROM payments) AS payments,
           (SELECT count(*) FROM import_runs WHERE kind = 'payments') AS runs,
           (SELECT count(*) FROM audit_events) AS events`.execute(database.db);
  return row.rows[0]!;
}

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 400 });
  app = await buildTestServer(database);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('import payments (PAY-1)', () => {
  it('PAY-1: a valid file applies balances, payments made and arrears exactly, and records the run and its audit event', async () => {
    const [a, b, c] = await freshCredits(3);
    const [small] = await database.db
      .selectFrom('credits')
      .select(['credit_number', 'balance_cents', 'monthly_payment_cents', 'insurance_fees_cents', 'months_in_arrears', 'payments_made'])
      .where('months_in_arrears', '=', 0)
      .where('balance_cents', '>', 0n)
      .orderBy('balance_cents')
      .limit(1)
      .execute();
    // a: two full payments (exactly the threshold, and above it) → 2 payments made, 2 months less in arrears
    // b: one payment a cent short of the threshold → balance only
    // small: one full payment larger than the balance, no arrears → balance 0, arrears stay 0
    const text = file(
      `${a!.credit_number},VEN-1,2026-10-05,${pesos(fullPayment(a!))},window`,
      `${a!.credit_number},"NOM,2",2026-11-05,${pesos(fullPayment(a!) + 1234n)},payroll`,
      `${b!.credit_number},  TRF-3  ,2026-11-23,${pesos(fullPayment(b!) - 1n)},transfer`,
      `${small!.credit_number},VEN-4,2026-11-01,${pesos(small!.balance_cents + fullPayment(small!) + 100n)},window`,
    );
    const before = await counts();
    const result = await run(text, { fileName: 'pagos-noviembre.csv' });
    const total = 2n * fullPayment(a!) + 1234n + fullPayment(b!) - 1n + small!.balance_cents + fullPayment(small!) + 100n;
    expect(result).toMatchObject({ rowsTotal: 4, inserted: 4, alreadyLoaded: 0, totalCents: total, creditsUpdated: 3, firstPaymentsDetected: 0 });
    expect(result.sha256).toBe(createHash('sha256').update(text).digest('hex'));

    const after = await credits([a!.credit_number, b!.credit_number, small!.credit_number]);
    const byNumber = new Map(after.map((row) => [row.credit_number, row]));
    expect(byNumber.get(a!.credit_number)).toEqual({
      ...a,
      balance_cents: a!.balance_cents - 2n * fullPayment(a!) - 1234n,
      payments_made: a!.payments_made + 2,
      months_in_arrears: a!.months_in_arrears - 2,
    });
    expect(byNumber.get(b!.credit_number)).toEqual({ ...b, balance_cents: b!.balance_cents - fullPayment(b!) + 1n });
    expect(byNumber.get(small!.credit_number)).toEqual({ ...small, balance_cents: 0n, payments_made: small!.payments_made + 1, months_in_arrears: 0 });
    expect(c).toBeDefined(); // untouched neighbour
    expect(await credits([c!.credit_number])).toEqual([c]);

    const stored = await database.db
      .selectFrom('payments')
      .select(['credit_number', 'reference', 'paid_on', 'amount_cents', 'channel', 'import_run_id'])
      .where('import_run_id', '=', result.importRunId)
      .orderBy('reference')
      .execute();
    expect(stored.map((p) => [p.reference, p.paid_on, p.channel])).toEqual([
      ['NOM,2', '2026-11-05', 'payroll'],
      ['TRF-3', '2026-11-23', 'transfer'],
      ['VEN-1', '2026-10-05', 'window'],
      ['VEN-4', '2026-11-01', 'window'],
    ]);
    const run_ = await database.db.selectFrom('import_runs').selectAll().where('id', '=', result.importRunId).executeTakeFirstOrThrow();
    expect(run_).toMatchObject({ kind: 'payments', file_name: 'pagos-noviembre.csv', file_sha256: result.sha256, rows_total: 4, rows_inserted: 4, rows_updated: 3 });
    const updated = await database.db.selectFrom('credits').select('updated_at').where('credit_number', '=', a!.credit_number).executeTakeFirstOrThrow();
    expect(updated.updated_at).toEqual(clock.now());

    const event = await database.db
      .selectFrom('audit_events')
      .select(['action', 'after'])
      .where('entity_type', '=', 'import_run')
      .where('entity_id', '=', String(result.importRunId))
      .executeTakeFirstOrThrow();
    expect(event.action).toBe('payments.imported');
    expect(event.after).toMatchObject({ rowsTotal: 4, inserted: 4, alreadyLoaded: 0, totalCents: String(total), creditsUpdated: 3 });
    // no personal data in the audit trail: no credit number, no reference
    const json = JSON.stringify(event.after);
    for (const word of [a!.credit_number, b!.credit_number, small!.credit_number, 'VEN-1', 'TRF-3']) expect(json).not.toContain(word);
    const afterCounts = await counts();
    expect(afterCounts.payments - before.payments).toBe(4n);
    expect(afterCounts.runs - before.runs).toBe(1n);
    // integrity by construction (no foreign keys on this bulk table, src/db/README.md rule 8):
    // every payment names an existing credit and the import run that loaded it
    const orphans = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM payments p
      WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE c.credit_number = p.credit_number)
         OR NOT EXISTS (SELECT 1 FROM import_runs r WHERE r.id = p.import_run_id AND r.kind = 'payments')`.execute(database.db);
    expect(orphans.rows[0]!.n).toBe(0);
  });

  it('PAY-1: accepts the columns in any order', async () => {
    const [a] = await freshCredits(1);
    const result = await run(['channel,amount,paid_on,reference,CREDIT_NUMBER', `transfer,100.5,2026-11-02,ANY-ORDER,${a!.credit_number}`].join('\r\n'));
    expect(result).toMatchObject({ inserted: 1, totalCents: 10050n, creditsUpdated: 1 });
    expect((await credits([a!.credit_number]))[0]!.balance_cents).toBe(a!.balance_cents - 10050n);
  });

  it('PAY-1: re-importing the same file changes nothing; an overlapping file adds only its new payments', async () => {
    const [a, b] = await freshCredits(2);
    const text = file(
      `${a!.credit_number},R-1,2026-11-01,${pesos(fullPayment(a!))},window`,
      `${b!.credit_number},R-1,2026-11-02,${pesos(fullPayment(b!))},payroll`,
    );
    await run(text);
    const applied = await credits([a!.credit_number, b!.credit_number]);
    const before = await counts();

    const again = await run(text);
    expect(again).toMatchObject({ rowsTotal: 2, inserted: 0, alreadyLoaded: 2, totalCents: 0n, creditsUpdated: 0 });
    expect(await credits([a!.credit_number, b!.credit_number])).toEqual(applied);
    expect((await counts()).payments).toBe(before.payments);

    const overlapping = await run(text + `${a!.credit_number},R-2,2026-11-20,10.00,transfer\n`);
    expect(overlapping).toMatchObject({ rowsTotal: 3, inserted: 1, alreadyLoaded: 2, totalCents: 1000n, creditsUpdated: 1 });
    expect((await credits([a!.credit_number]))[0]!.balance_cents).toBe(applied[0]!.balance_cents - 1000n);
  });

  it('PAY-1: a reference already loaded with another amount is refused, naming the earlier load', async () => {
    const [a] = await freshCredits(1);
    const first = await run(file(`${a!.credit_number},DUP-1,2026-11-01,500.00,window`));
    const before = await counts();
    const snapshot = await credits([a!.credit_number]);
    const { error, problems } = await rejection(file(`${a!.credit_number},DUP-2,2026-11-03,20.00,window`, `${a!.credit_number},DUP-1,2026-11-01,500.01,window`));
    expect(error.code).toBe('INVALID_FILE');
    expect(problems).toEqual([
      {
        line: 3,
        column: 'reference',
        message: `la referencia DUP-1 del crédito ${a!.credit_number} ya se cargó (carga ${first.importRunId}) con otros datos: fecha 2026-11-01, importe $500.00, canal ventanilla`,
      },
    ]);
    expect(await counts()).toEqual(before);
    expect(await credits([a!.credit_number])).toEqual(snapshot);
  });

  const badRows: Array<[string, (credit: string) => string, { column: string; message: RegExp }]> = [
    ['an amount with three decimals', (credit) => `${credit},BAD-1,2026-11-01,12.345,window`, { column: 'amount', message: /hasta 2 decimales/ }],
    ['an impossible date', (credit) => `${credit},BAD-1,2026-02-30,12.34,window`, { column: 'paid_on', message: /fecha AAAA-MM-DD válida/ }],
    ['a future date', (credit) => `${credit},BAD-1,${addDays(TEST_TODAY, 1)},12.34,window`, { column: 'paid_on', message: /posterior a la fecha de la carga \(2026-11-23\)/ }],
    ['an unknown credit', () => `0000000001,BAD-1,2026-11-01,12.34,window`, { column: 'credit_number', message: /el crédito 0000000001 no existe en la cartera/ }],
    ['an unknown channel', (credit) => `${credit},BAD-1,2026-11-01,12.34,cash`, { column: 'channel', message: /canal desconocido/ }],
    ['a zero amount', (credit) => `${credit},BAD-1,2026-11-01,0.00,window`, { column: 'amount', message: /mayor que cero/ }],
    ['a reference repeated in the file', (credit) => `${credit},OK-2,2026-11-01,12.34,window`, { column: 'reference', message: /OK-2 del crédito \d{10} aparece repetida \(líneas 3, 5\)/ }],
  ];

  it.each(badRows)('PAY-1: a file with %s writes nothing and reports the line', async (_what, badRow, expected) => {
    const group = await freshCredits(4, 'any');
    const rows = group.map((credit, index) => `${credit.credit_number},OK-${index + 1},2026-11-0${index + 1},${pesos(fullPayment(credit))},window`);
    // line 1 header, lines 2–4 good, line 5 the bad row, line 6 good
    const text = file(rows[0]!, rows[1]!, rows[2]!, badRow(group[1]!.credit_number), rows[3]!);
    const before = await counts();
    const { error, problems } = await rejection(text);
    expect(error.code).toBe('INVALID_FILE');
    expect(error.status).toBe(422);
    expect(error.userMessage).toMatch(/^El archivo de pagos fue rechazado y no se escribió nada\. 1 error\(es\): línea 5, columna /);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 5, column: expected.column, message: expect.stringMatching(expected.message) });
    expect(await counts()).toEqual(before);
    expect(await credits(group.map((credit) => credit.credit_number))).toEqual(group);
  });

  it('PAY-1: a bad header, a wrong column count, an unclosed quote and an empty file are refused', async () => {
    expect((await rejection('credit_number,reference,paid_on,amount\n')).problems[0]!.message).toMatch(/faltan columnas en el encabezado: channel/);
    expect((await rejection(`${HEADER},extra\n`)).problems[0]!.message).toMatch(/columnas desconocidas en el encabezado: extra/);
    expect((await rejection(file('1500000001,R,2026-11-01,1.00'))).problems[0]).toMatchObject({ line: 2, message: 'tiene 4 columnas; se esperaban 5' });
    expect((await rejection(file('1500000001,"R,2026-11-01,1.00,window'))).problems[0]!.message).toMatch(/comillas sin cerrar/);
    expect((await rejection('')).problems[0]!.message).toMatch(/vacío/);
    expect((await rejection(file())).problems[0]!.message).toMatch(/no tiene filas/);
  });

  it('PAY-1: stops after the first 20 errors', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `1500000001,R-${i},2026-11-01,1.234,window`);
    const { error, problems } = await rejection(file(...rows));
    expect(problems).toHaveLength(20);
    expect(problems[0]).toMatchObject({ line: 2, column: 'amount' });
    expect(error.userMessage).toMatch(/20 o más error/);
  });

  it('property (PAY-1): the balances fall by the sum of the amounts, capped at each balance; full payments counted exactly', async () => {
    // the credits with the smallest balances, so that payments often exceed them
    const pool = await database.db
      .selectFrom('credits')
      .select(['credit_number', 'balance_cents', 'monthly_payment_cents', 'insurance_fees_cents', 'months_in_arrears', 'payments_made'])
      .orderBy('balance_cents')
      .orderBy('credit_number')
      .limit(12)
      .execute();
    const maxBalance = pool.reduce((max, credit) => (credit.balance_cents > max ? credit.balance_cents : max), 0n);
    class Rollback extends Error {}
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ credit: fc.integer({ min: 0, max: pool.length - 1 }), cents: fc.bigInt({ min: 1n, max: maxBalance / 3n + 2n }) }), { minLength: 1, maxLength: 25 }),
        async (payments) => {
          try {
            await database.db.transaction().execute(async (trx) => {
              const numbers = pool.map((credit) => credit.credit_number);
              const before = new Map((await credits(numbers, trx)).map((row) => [row.credit_number, row]));
              const text = file(...payments.map((p, i) => `${pool[p.credit]!.credit_number},PROP-${i},2026-11-10,${pesos(p.cents)},transfer`));
              const result = await run(text, { trx });
              const after = new Map((await credits(numbers, trx)).map((row) => [row.credit_number, row]));

              let expectedDecrease = 0n;
              let actualDecrease = 0n;
              for (const number of numbers) {
                const credit = before.get(number)!;
                const mine = payments.filter((p) => pool[p.credit]!.credit_number === number);
                const paid = mine.reduce((sum, p) => sum + p.cents, 0n);
                const full = mine.filter((p) => p.cents >= fullPayment(credit)).length;
                expectedDecrease += paid < credit.balance_cents ? paid : credit.balance_cents;
                actualDecrease += credit.balance_cents - after.get(number)!.balance_cents;
                expect(after.get(number)!.payments_made).toBe(credit.payments_made + full);
                expect(after.get(number)!.months_in_arrears).toBe(Math.max(0, credit.months_in_arrears - full));
              }
              expect(actualDecrease).toBe(expectedDecrease);
              expect(result.totalCents).toBe(payments.reduce((sum, p) => sum + p.cents, 0n));
              expect(result.creditsUpdated).toBe(new Set(payments.map((p) => p.credit)).size);
              throw new Rollback();
            });
          } catch (error) {
            if (!(error instanceof Rollback)) throw error;
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('CNV-5: the first full payment within the agreed period puts an approved convenio in force; a short one does not', async () => {
    // two signed cases (the minimum a convenio refers to), on credits of their own
    const mediator = await database.db.selectFrom('mediators').select(['id', 'agency_id']).where('kind', '=', 'cja_certified').orderBy('id').executeTakeFirstOrThrow();
    const cases = [];
    for (const credit of await freshCredits(2, 'any')) {
      const { delegation_id } = await database.db.selectFrom('credits').select('delegation_id').where('credit_number', '=', credit.credit_number).executeTakeFirstOrThrow();
      const inserted = await sql<{ id: number }>`
        INSERT INTO mediation_cases (credit_number, round, entry, month, convenio_type, delegation_id, agency_id, mediator_id, state,
          opened_on, accepted_on, closed_on, facts, created_at, updated_at)
        VALUES (${credit.credit_number}, 1, 'monthly', '2026-09', 'ADMINISTRATIVE', ${delegation_id}, ${mediator.agency_id}, ${mediator.id}, 'signed',
          '2026-09-15', '2026-10-01', '2026-10-20', '{}', ${clock.now()}, ${clock.now()})
        RETURNING id`.execute(database.db);
      cases.push({
        id: inserted.rows[0]!.id,
        credit_number: credit.credit_number,
        round: 1,
        delegation_id,
        agency_id: mediator.agency_id,
        mediator_id: mediator.id,
        convenio_type: 'ADMINISTRATIVE',
      });
    }
    const convenioIds: number[] = [];
    for (const [index, mediationCase] of cases.entries()) {
      const inserted = await sql<{ id: number }>`
        INSERT INTO convenios (folio, case_id, credit_number, round, delegation_id, agency_id, mediator_id, convenio_type, solution_id,
          solution_policy_version, status, accepted_on, signed_on, sl1_due_on, sl1_met, copies, acknowledgement_signed,
          balance_before_cents, discount_cents, balance_after_cents, monthly_payment_cents, payment_factor, interest_rate_bp, term_months,
          first_payment_cents, first_payment_due_on, terms, credit_before, dl9_due_on, approved_on, created_at, updated_at)
        VALUES (${`CNV-TEST-${index}`}, ${mediationCase.id}, ${mediationCase.credit_number}, ${mediationCase.round}, ${mediationCase.delegation_id},
          ${mediationCase.agency_id}, ${mediationCase.mediator_id}, ${mediationCase.convenio_type}, 'SOL-2', 1, 'approved', '2026-10-01', '2026-10-20',
          '2026-10-30', true, 3, true, 10000000, 0, 10000000, 250000, 5.5, 1000, 120, 250000, '2026-11-30', '{}', '{}', '2026-10-27', '2026-11-02',
          ${clock.now()}, ${clock.now()})
        RETURNING id`.execute(database.db);
      convenioIds.push(inserted.rows[0]!.id);
    }
    const [paid, short] = cases;
    const result = await run(
      file(
        `${paid!.credit_number},CNV5-1,2026-10-15,2500.00,window`, // before the signature: not the first payment
        `${paid!.credit_number},CNV5-2,2026-11-12,2500.00,window`, // the full amount in the period
        `${paid!.credit_number},CNV5-3,2026-11-20,2600.00,window`, // later
        `${short!.credit_number},CNV5-4,2026-11-12,2499.99,payroll`, // a cent short
      ),
    );
    const rows = await database.db
      .selectFrom('convenios as c')
      .leftJoin('payments as p', 'p.id', 'c.first_payment_id')
      .select(['c.id', 'c.status', 'c.first_paid_on', 'c.first_paid_cents', 'p.reference'])
      .where('c.id', 'in', convenioIds)
      .orderBy('c.id')
      .execute();
    expect(rows).toEqual([
      { id: convenioIds[0], status: 'in_force', first_paid_on: '2026-11-12', first_paid_cents: 250000n, reference: 'CNV5-2' },
      { id: convenioIds[1], status: 'approved', first_paid_on: null, first_paid_cents: null, reference: null },
    ]);
    // result.firstPaymentsDetected is what detectFirstPayments (convenios.service.ts) returns; not
    // asserted here while that function counts through a WITH … INSERT, for which the drivers
    // report no affected rows (src/db/drivers.ts counts statements starting INSERT/UPDATE/…).
    expect(result.rowsTotal).toBe(4);
    // loading the file again detects nothing more
    expect((await run(file(`${paid!.credit_number},CNV5-2,2026-11-12,2500.00,window`))).firstPaymentsDetected).toBe(0);
  });
});

describe('payments over HTTP (PAY-1)', () => {
  it('PAY-1: POST /api/imports/payments is for operations and admin: 403 for a borrower, 200 with the summary for operations, 422 for a bad file', async () => {
    const [a] = await freshCredits(1);
    const text = file(`${a!.credit_number},API-1,2026-11-20,1234.56,transfer`);
    const upload = (headers: Record<string, string>, body: string) =>
      app.inject({ method: 'POST', url: '/api/imports/payments?fileName=api.csv', headers: { ...headers, 'content-type': 'text/csv' }, payload: body });

    const borrower = await login(app, 'acreditado1');
    const refused = await upload(borrower.headers, text);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('FORBIDDEN');

    const operations = await login(app, 'operacion');
    const ok = await upload(operations.headers, text);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ rowsTotal: 1, inserted: 1, alreadyLoaded: 0, totalCents: 123456, creditsUpdated: 1, firstPaymentsDetected: 0 });
    const again = await upload(operations.headers, text);
    expect(again.json()).toMatchObject({ inserted: 0, alreadyLoaded: 1, totalCents: 0 });

    const bad = await upload(operations.headers, file(`${a!.credit_number},API-2,2026-11-20,12.345,transfer`));
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: 'INVALID_FILE', message: expect.stringMatching(/^El archivo de pagos fue rechazado.*línea 2, columna amount/) });
  });

  it("PAY-1: GET /api/credits/:number/payments lists a credit's payments to whoever may see the credit", async () => {
    const borrower = await login(app, 'acreditado1');
    const own = await database.db.selectFrom('users').select('credit_number').where('username', '=', 'acreditado1').executeTakeFirstOrThrow();
    const other = await database.db.selectFrom('credits').select('credit_number').where('credit_number', '!=', own.credit_number!).orderBy('credit_number').executeTakeFirstOrThrow();
    await run(file(`${own.credit_number},MINE-1,2026-11-03,100.00,window`, `${own.credit_number},MINE-2,2026-11-04,50.25,payroll`));

    const mine = await app.inject({ method: 'GET', url: `/api/credits/${own.credit_number}/payments`, headers: borrower.headers });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({
      creditNumber: own.credit_number,
      items: [
        { paidOn: '2026-11-04', amountCents: 5025, channel: 'payroll', channelLabel: 'Descuento por nómina', reference: 'MINE-2' },
        { paidOn: '2026-11-03', amountCents: 10000, channel: 'window', channelLabel: 'Ventanilla', reference: 'MINE-1' },
      ],
      totalCents: 15025,
    });
    const notMine = await app.inject({ method: 'GET', url: `/api/credits/${other.credit_number}/payments`, headers: borrower.headers });
    expect(notMine.statusCode).toBe(404);

    const operations = await login(app, 'operacion');
    const seen = await app.inject({ method: 'GET', url: `/api/credits/${own.credit_number}/payments`, headers: operations.headers });
    expect(seen.statusCode).toBe(200);
    const logged = await database.db.selectFrom('personal_data_reads').select(sql<bigint>`count(*)`.as('n')).where('purpose', '=', 'payments').executeTakeFirstOrThrow();
    expect(logged.n).toBe(2n);
  });
});
