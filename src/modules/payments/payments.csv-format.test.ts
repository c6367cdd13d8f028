/**
 * The payment file format (PAY-1): every field's rule and Spanish message, amounts read exactly
 * into cents, and the import's hot path (`acceptsPaymentRow`) never accepting a row that zod, the
 * authority, would refuse or change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptsPaymentRow, PAYMENT_CSV_COLUMNS, PAYMENT_MESSAGES, paymentCsvRowSchema } from './payments.csv-format.js';

const TODAY = '2026-11-23';
const schema = paymentCsvRowSchema(TODAY);
const GOOD = ['1500000001', 'VEN-000123', '2026-11-20', '1234.56', 'window'];

function asObject(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(PAYMENT_CSV_COLUMNS.map((column, index) => [column, values[index]!]));
}

function with_(column: (typeof PAYMENT_CSV_COLUMNS)[number], value: string): string[] {
  const values = [...GOOD];
  values[PAYMENT_CSV_COLUMNS.indexOf(column)] = value;
  return values;
}

describe('payment file format (PAY-1)', () => {
  it('PAY-1: reads a good row, the amount exactly to the cent', () => {
    expect(acceptsPaymentRow(GOOD, TODAY)).toBe(true);
    expect(schema.parse(asObject(GOOD))).toEqual({
      credit_number: '1500000001',
      reference: 'VEN-000123',
      paid_on: '2026-11-20',
      amount_cents: 123456n,
      channel: 'window',
    });
  });

  it.each([
    ['1234.56', 123456n],
    ['1234.5', 123450n],
    ['1234', 123400n],
    ['0.01', 1n],
    ['0.29', 29n], // 0.29 × 100 is 28.999… in binary floating point
    ['999999999.99', 99999999999n],
    ['000012.30', 1230n],
  ] as const)('PAY-1: amount %s is %s cents', (amount, cents) => {
    expect(acceptsPaymentRow(with_('amount', amount), TODAY)).toBe(true);
    expect(schema.parse(asObject(with_('amount', amount))).amount_cents).toBe(cents);
  });

  it.each([
    ['amount', '12.345', PAYMENT_MESSAGES.amount],
    ['amount', '1,234.56', PAYMENT_MESSAGES.amount],
    ['amount', '-5.00', PAYMENT_MESSAGES.amount],
    ['amount', '1e3', PAYMENT_MESSAGES.amount],
    ['amount', '', PAYMENT_MESSAGES.amount],
    ['amount', '1000000000.00', PAYMENT_MESSAGES.amount],
    ['amount', '0.00', PAYMENT_MESSAGES.amountZero],
    ['amount', '0', PAYMENT_MESSAGES.amountZero],
    ['paid_on', '2026-02-29', PAYMENT_MESSAGES.date],
    ['paid_on', '2026-04-31', PAYMENT_MESSAGES.date],
    ['paid_on', '20/11/2026', PAYMENT_MESSAGES.date],
    ['paid_on', '2026-11-24', 'es posterior a la fecha de la carga (2026-11-23)'],
    ['credit_number', '150000001', PAYMENT_MESSAGES.creditNumber],
    ['credit_number', '15000000011', PAYMENT_MESSAGES.creditNumber],
    ['channel', 'cash', PAYMENT_MESSAGES.channel],
    ['channel', 'ventanilla', PAYMENT_MESSAGES.channel],
    ['channel', 'Window', PAYMENT_MESSAGES.channel],
    ['reference', '', PAYMENT_MESSAGES.referenceRequired],
    ['reference', '   ', PAYMENT_MESSAGES.referenceRequired],
    ['reference', 'x'.repeat(41), PAYMENT_MESSAGES.referenceTooLong],
    ['reference', 'a\tb', PAYMENT_MESSAGES.referenceControl],
  ] as const)('PAY-1: %s = %j is refused: «%s»', (column, value, message) => {
    const values = with_(column, value);
    expect(acceptsPaymentRow(values, TODAY)).toBe(false);
    const parsed = schema.safeParse(asObject(values));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => [issue.path[0], issue.message])).toContainEqual([column, message]);
  });

  it('PAY-1: a leap day exists in a leap year, and a payment dated today is accepted', () => {
    expect(acceptsPaymentRow(with_('paid_on', '2024-02-29'), TODAY)).toBe(true);
    expect(acceptsPaymentRow(with_('paid_on', TODAY), TODAY)).toBe(true);
  });

  it('PAY-1: a padded reference goes to zod, which trims it; 40 characters (not UTF-16 units) are allowed', () => {
    expect(acceptsPaymentRow(with_('reference', ' R-1 '), TODAY)).toBe(false);
    expect(schema.parse(asObject(with_('reference', ' R-1 '))).reference).toBe('R-1');
    const astral = '𝄞'.repeat(40);
    expect(schema.parse(asObject(with_('reference', astral))).reference).toBe(astral);
  });

  const trickyValue = fc.oneof(
    fc.constantFrom(
      '', ' ', ' x', 'x ', '0', '0.0', '0.00', '0.01', '1', '1.', '.5', '1.5', '1.55', '1.555', '-1', '+1', '1e3', '999999999.99',
      '1000000000', 'window', 'payroll', 'transfer', 'WINDOW', '2024-02-29', '2023-02-29', '2026-04-31', '2026-13-01', '2026-11-23',
      '2026-11-24', '1999-12-31', '1500000001', '150000000', 'x'.repeat(40), 'x'.repeat(41), '\u00a0x', 'x\u00a0', '"', 'a,b', 'a\nb',
    ),
    fc.string({ maxLength: 12 }),
  );

  it('property: a row the fast path accepts, zod accepts unchanged (amount in cents)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: PAYMENT_CSV_COLUMNS.length - 1 }), trickyValue), { minLength: 1, maxLength: 3 }), (replacements) => {
        const values = [...GOOD];
        for (const [column, value] of replacements) values[column] = value;
        if (!acceptsPaymentRow(values, TODAY)) return;
        const parsed = schema.safeParse(asObject(values));
        expect(parsed.success).toBe(true);
        expect(parsed.data).toMatchObject({ credit_number: values[0], reference: values[1], paid_on: values[2], channel: values[4] });
      }),
      { numRuns: 3000 },
    );
  });
});
