/**
 * Bulk import (SPEC §2): COPY on both engines, every row validated, a bad file writes nothing.
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.js';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { openTestDatabase } from '../../../test/database.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { CREDIT_CSV_COLUMNS } from './credits.csv-format.js';
import { importCredits, type ImportProblem } from './credits.import.js';
import { csvLine } from './csv.js';
import { creditToCsvLine, generateCredits, CREDIT_CSV_COLUMNS as GENERATOR_COLUMNS } from './demo-data.js';
import { seedReferenceData } from './demo.service.js';

const clock = fixedClock('2026-11-23');
let database: Database;

const header = CREDIT_CSV_COLUMNS.join(',');
const lines = (count: number, seed = 11, firstIndex = 0) =>
  [...generateCredits({ seed, count, asOf: clock.today(), firstIndex })].map(creditToCsvLine);

/** Splits one CSV line into fields (quoted fields included), for editing test rows. */
function fieldsOf(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
const joinFields = (fields: string[]) => csvLine(fields);

function run(text: string, fileName = 'cartera.csv') {
  return database.db.transaction().execute((trx) =>
    importCredits(trx, SYSTEM_ACTOR, { fileName, input: Readable.from([Buffer.from(text)]), now: clock.now() }),
  );
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

async function creditCount() {
  return Number((await database.db.selectFrom('credits').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  database = await openTestDatabase();
  await database.db.transaction().execute((trx) => seedReferenceData(trx, { seed: 3, today: clock.today(), expectedCredits: 1000 }));
});
afterAll(() => database.close());

describe('import credits', () => {
  it('uses the same file format as the demo generator', () => {
    expect([...GENERATOR_COLUMNS].sort()).toEqual([...CREDIT_CSV_COLUMNS].sort());
  });

  it('loads a good file by COPY and records the import run and its audit event', async () => {
    const result = await run([header, ...lines(500)].join('\n') + '\n');
    expect(result).toMatchObject({ rowsTotal: 500, inserted: 500, updated: 0, unchanged: 0 });
    expect(await creditCount()).toBe(500);
    const event = await database.db.selectFrom('audit_events').select(['action', 'after']).where('entity_type', '=', 'import_run').where('entity_id', '=', String(result.importRunId)).executeTakeFirstOrThrow();
    expect(event.action).toBe('credits.imported');
  });

  it('keeps amounts exact to the cent', async () => {
    const [first] = [...generateCredits({ seed: 11, count: 1, asOf: clock.today() })];
    const row = await database.db.selectFrom('credits').select(['balance_cents', 'monthly_payment_cents']).where('credit_number', '=', first!.creditNumber).executeTakeFirstOrThrow();
    expect(row.balance_cents).toBe(first!.balanceCents);
    expect(row.monthly_payment_cents).toBe(first!.monthlyPaymentCents);
  });

  it('refreshes by credit number: the same file again changes nothing; a changed row is updated', async () => {
    const again = await run([header, ...lines(500)].join('\n') + '\n');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 500 });
    const changed = lines(500);
    const fields = fieldsOf(changed[0]!);
    const arrears = CREDIT_CSV_COLUMNS.indexOf('months_in_arrears');
    fields[arrears] = String(Number(fields[arrears]) + 1);
    changed[0] = joinFields(fields);
    const refresh = await run([header, ...changed, ...lines(3, 11, 10_000)].join('\n') + '\n');
    expect(refresh).toMatchObject({ rowsTotal: 503, inserted: 3, updated: 1, unchanged: 499 });
  });

  it('accepts columns in any order', async () => {
    const reversed = [...CREDIT_CSV_COLUMNS].reverse();
    const rows = [...generateCredits({ seed: 21, count: 5, asOf: clock.today(), firstIndex: 20_000 })].map((row) => {
      return joinFields(fieldsOf(creditToCsvLine(row)).reverse());
    });
    const result = await run([reversed.join(','), ...rows].join('\n'));
    expect(result.inserted).toBe(5);
  });

  it('rejects a bad file with line numbers and reasons, and writes nothing', async () => {
    const before = await creditCount();
    const events = await database.db.selectFrom('audit_events').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const good = lines(50, 31);
    const bad = [...good];
    const curp = CREDIT_CSV_COLUMNS.indexOf('borrower_curp');
    const balance = CREDIT_CSV_COLUMNS.indexOf('balance_cents');
    const row10 = fieldsOf(bad[9]!);
    row10[curp] = 'NOT-A-CURP';
    bad[9] = joinFields(row10);
    const row30 = fieldsOf(bad[29]!);
    row30[balance] = '12.50';
    bad[29] = joinFields(row30);
    const { error, problems } = await rejection([header, ...bad].join('\n'));
    expect(error.code).toBe('INVALID_FILE');
    expect(error.status).toBe(422);
    expect(error.userMessage).toMatch(/no se escribió nada/);
    expect(problems).toEqual([
      { line: 11, column: 'borrower_curp', message: 'CURP con formato inválido' },
      { line: 31, column: 'balance_cents', message: 'debe ser un importe en centavos (entero ≥ 0)' },
    ]);
    expect(await creditCount()).toBe(before);
    const eventsAfter = await database.db.selectFrom('audit_events').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(eventsAfter.n).toBe(events.n);
  });

  it('stops after the first 20 errors', async () => {
    const bad = lines(40, 41).map((line) => line.replace(/^\d{10}/, '12345'));
    const { problems } = await rejection([header, ...bad].join('\n'));
    expect(problems).toHaveLength(20);
    expect(problems[0]).toMatchObject({ line: 2, column: 'credit_number' });
  });

  it('rejects duplicated credit numbers naming both lines', async () => {
    const rows = lines(5, 51);
    const { problems } = await rejection([header, ...rows, rows[1]].join('\n'));
    expect(problems[0]!.message).toMatch(/repetido \(líneas 3, 7\)/);
  });

  it('rejects a header with missing or unknown columns, a wrong column count, and an empty file', async () => {
    const missing = await rejection(CREDIT_CSV_COLUMNS.slice(1).join(',') + '\n');
    expect(missing.problems[0]!.message).toMatch(/faltan columnas en el encabezado: credit_number/);
    const unknown = await rejection(`${header},color\n`);
    expect(unknown.problems[0]!.message).toMatch(/columnas desconocidas.*color/);
    const short = await rejection(`${header}\n1500000001,Ana\n`);
    expect(short.problems[0]).toMatchObject({ line: 2, message: expect.stringMatching(/tiene 2 columnas/) });
    const empty = await rejection('');
    expect(empty.problems[0]!.message).toMatch(/vacío/);
    const headerOnly = await rejection(`${header}\n`);
    expect(headerOnly.problems[0]!.message).toMatch(/no tiene filas/);
  });

  it('refuses an unknown delegation through the database constraint, writing nothing', async () => {
    const before = await creditCount();
    const row = fieldsOf(lines(1, 61, 30_000)[0]!);
    row[CREDIT_CSV_COLUMNS.indexOf('delegation_id')] = '33';
    const { problems } = await rejection([header, joinFields(row)].join('\n'));
    expect(problems[0]).toMatchObject({ line: 2, column: 'delegation_id' });
    expect(await creditCount()).toBe(before);
  });
});
