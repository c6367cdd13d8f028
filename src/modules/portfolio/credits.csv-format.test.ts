/**
 * The import's hot path (`acceptsRow`) never accepts a row that zod, the authority, would refuse
 * or change: for generated rows and for rows with random fields replaced by tricky values.
 */
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { acceptsRow, CREDIT_CSV_COLUMNS, ZCreditCsvRow } from './credits.csv-format.js';
import { generateCredits, creditToCsvLine } from './demo-data.js';
import { readCsvRecords } from './csv.js';

async function generatedRows(count: number): Promise<string[][]> {
  const text = [...generateCredits({ count, seed: 7, asOf: '2026-11-23' })].map(creditToCsvLine).join('\n') + '\n';
  const rows: string[][] = [];
  for await (const batch of readCsvRecords(Readable.from([Buffer.from(text)]))) rows.push(...batch.map((record) => record.fields));
  return rows;
}

function asObject(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(CREDIT_CSV_COLUMNS.map((column, index) => [column, values[index]!]));
}

/** Values near every rule's edges: empty, padded, too long, out of range, impossible dates… */
const trickyValue = fc.oneof(
  fc.constantFrom(
    '', ' ', ' x', 'x ', '0', '00', '1', '32', '33', '600', '601', '10000', '10001', '-1', '1.5', '1e3', 'true', 'false', 'TRUE',
    'VSM', 'MXN', 'ROA', 'REA', 'none', 'inhabited', 'cobranza_administrativa', '2024-02-29', '2023-02-29', '2026-04-31', '2026-13-01',
    '1999-12-31', '2030-01-01', '0000000001', '00000000001', 'a@b.c', 'a@b', 'a b@c.d', '12345', '1234', '123456.1234567',
    'ABCD010101HDFRRR09', 'ABCD010101XYZ', 'x'.repeat(31), 'x'.repeat(121), 'x'.repeat(201), '\u00a0x', 'x\u00a0', '"', 'a,b',
  ),
  fc.string({ maxLength: 12 }),
);

describe('credit file format: the fast path agrees with zod', () => {
  it('accepts every generated row, unchanged by zod', async () => {
    for (const values of await generatedRows(500)) {
      expect(acceptsRow(values)).toBe(true);
      const parsed = ZCreditCsvRow.safeParse(asObject(values));
      expect(parsed.success).toBe(true);
    }
  });

  it('property: a row the fast path accepts, zod accepts with the same values ("" as null)', async () => {
    const rows = await generatedRows(50);
    await fc.assert(
      fc.property(
        fc.integer({ min: 0, max: rows.length - 1 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: CREDIT_CSV_COLUMNS.length - 1 }), trickyValue), { minLength: 1, maxLength: 4 }),
        (rowIndex, replacements) => {
          const values = [...rows[rowIndex]!];
          for (const [column, value] of replacements) values[column] = value;
          if (!acceptsRow(values)) return;
          const parsed = ZCreditCsvRow.safeParse(asObject(values));
          expect(parsed.success).toBe(true);
          const output = parsed.data as Record<string, string | null>;
          CREDIT_CSV_COLUMNS.forEach((column, index) => expect(output[column] ?? '').toBe(values[index]));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['borrower_name', '', 'es obligatorio'],
    ['borrower_name', ' Ana Pérez', null],
    ['phone_mobile', 'x'.repeat(31), 'máximo 30 caracteres'],
    ['borrower_curp', 'ABCD010101XYZ', 'CURP con formato inválido'],
    ['delegation_id', '33', 'debe estar entre 1 y 32'],
    ['segment', 'otro', 'segmento desconocido'],
    ['borrower_birth_date', '2023-02-29', 'debe ser una fecha AAAA-MM-DD válida'],
    ['email', 'a b@c.d', 'correo inválido'],
  ] as const)('the fast path refuses %s = %j; zod decides (%s)', async (column, value, message) => {
    const values = [...(await generatedRows(1))[0]!];
    values[CREDIT_CSV_COLUMNS.indexOf(column)] = value;
    expect(acceptsRow(values)).toBe(false);
    const parsed = ZCreditCsvRow.safeParse(asObject(values));
    if (message === null) {
      // Padding is trimmed by zod: the slow path accepts it and stores the trimmed text.
      expect(parsed.success && (parsed.data as Record<string, unknown>)[column]).toBe(value.trim());
    } else {
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.message)).toContain(message);
    }
  });
});
