/**
 * The payment file format (PAY-1): a header with these column names (any order, as the credit
 * file: English snake_case names, case-insensitive), one payment received per row.
 *
 *   credit_number,reference,paid_on,amount,channel
 *   1500000001,VEN-2026-000123,2026-11-20,1234.56,window
 *
 * - credit_number: the credit's 10 digits; it must exist in the portfolio.
 * - reference: the payment's reference at its source (folio de ventanilla, nómina, transferencia),
 *   1–40 characters, no control characters; padding is trimmed. (credit_number, reference)
 *   identifies a payment: it may appear once in a file, and a file loaded again is recognised by it.
 * - paid_on: YYYY-MM-DD, a real calendar date, not after the import's «today».
 * - amount: pesos with up to 2 decimals and no thousands separator ("1234.56", "1234.5", "1234"),
 *   greater than zero, at most 999,999,999.99; read exactly into integer cents (parsePesos).
 * - channel: window (ventanilla), payroll (descuento por nómina) or transfer (transferencia).
 */
import { z } from 'zod';
import type { IsoDate } from '../../clock.js';
import type { PaymentChannel } from '../../db/schema.js';
import { parsePesos } from '../../money.js';

export const PAYMENT_CSV_COLUMNS = ['credit_number', 'reference', 'paid_on', 'amount', 'channel'] as const;
export type PaymentCsvColumn = (typeof PAYMENT_CSV_COLUMNS)[number];

export const PAYMENT_CHANNELS = ['window', 'payroll', 'transfer'] as const satisfies readonly PaymentChannel[];

/** How a channel reads in Spanish (screens, messages). */
export const PAYMENT_CHANNEL_LABELS: Record<PaymentChannel, string> = {
  window: 'Ventanilla',
  payroll: 'Descuento por nómina',
  transfer: 'Transferencia',
};

export const MAX_REFERENCE_LENGTH = 40;

const CREDIT_NUMBER_PATTERN = /^\d{10}$/;
/** Pesos: 1–9 whole digits, optionally a point and one or two decimals. No sign, no spaces. */
const AMOUNT_PATTERN = /^\d{1,9}(\.\d{1,2})?$/;
const ZERO_AMOUNT = /^0+(\.0{1,2})?$/;
const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
/** Already trimmed: zod would not change it. */
const TRIMMED = /^\S(.*\S)?$/s;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export const PAYMENT_MESSAGES = {
  creditNumber: 'debe tener 10 dígitos',
  referenceRequired: 'es obligatoria',
  referenceTooLong: `máximo ${MAX_REFERENCE_LENGTH} caracteres`,
  referenceControl: 'no debe contener caracteres de control',
  date: 'debe ser una fecha AAAA-MM-DD válida',
  future: (today: IsoDate) => `es posterior a la fecha de la carga (${today})`,
  amount: 'debe ser un importe en pesos con hasta 2 decimales, sin signo ni separador de miles (p. ej. 1234.56)',
  amountZero: 'debe ser mayor que cero',
  channel: 'canal desconocido: use window (ventanilla), payroll (descuento por nómina) o transfer (transferencia)',
} as const;

/** A date that matched DATE_PATTERN exists in the calendar (no 31 April, 29 February only in leap years). */
function dayExists(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!);
}

/** Characters, not UTF-16 units: what PostgreSQL's length() counts. */
const characterCount = (value: string) => [...value].length;

/** One validated row: text as it goes to the staging table, the amount in exact cents. */
export interface TPaymentCsvRow {
  credit_number: string;
  reference: string;
  paid_on: IsoDate;
  amount_cents: bigint;
  channel: PaymentChannel;
}

/**
 * The authority on a row (it words every error), for an import whose «today» is `today`.
 * Input: the row's fields by column name; output: TPaymentCsvRow.
 */
export function paymentCsvRowSchema(today: IsoDate) {
  return z
    .object({
      credit_number: z.string().regex(CREDIT_NUMBER_PATTERN, PAYMENT_MESSAGES.creditNumber),
      reference: z
        .string()
        .trim()
        .min(1, PAYMENT_MESSAGES.referenceRequired)
        .refine((value) => characterCount(value) <= MAX_REFERENCE_LENGTH, PAYMENT_MESSAGES.referenceTooLong)
        .refine((value) => !CONTROL_CHARACTERS.test(value), PAYMENT_MESSAGES.referenceControl),
      paid_on: z
        .string()
        .regex(DATE_PATTERN, PAYMENT_MESSAGES.date)
        .refine(dayExists, PAYMENT_MESSAGES.date)
        .refine((value) => value <= today, PAYMENT_MESSAGES.future(today)),
      amount: z
        .string()
        .regex(AMOUNT_PATTERN, PAYMENT_MESSAGES.amount)
        .refine((value) => !ZERO_AMOUNT.test(value), PAYMENT_MESSAGES.amountZero),
      channel: z.enum(PAYMENT_CHANNELS, { message: PAYMENT_MESSAGES.channel }),
    })
    .transform(
      (row): TPaymentCsvRow => ({
        credit_number: row.credit_number,
        reference: row.reference,
        paid_on: row.paid_on,
        amount_cents: parsePesos(row.amount),
        channel: row.channel,
      }),
    );
}

const CHANNELS = new Set<string>(PAYMENT_CHANNELS);

/**
 * The hot path of a million-row import: `values` in PAYMENT_CSV_COLUMNS order. True only for a
 * row the schema accepts unchanged (no trimming needed), so the caller may stage the values as
 * they are, with the amount through parsePesos. A row it refuses goes to the schema, which says
 * why — or accepts it (padding is trimmed), since the schema decides. Property-tested in
 * payments.csv-format.test.ts.
 */
export function acceptsPaymentRow(values: readonly string[], today: IsoDate): boolean {
  const [creditNumber, reference, paidOn, amount, channel] = values as [string, string, string, string, string];
  return (
    CREDIT_NUMBER_PATTERN.test(creditNumber) &&
    reference.length >= 1 &&
    reference.length <= MAX_REFERENCE_LENGTH &&
    TRIMMED.test(reference) &&
    !CONTROL_CHARACTERS.test(reference) &&
    DATE_PATTERN.test(paidOn) &&
    dayExists(paidOn) &&
    paidOn <= today &&
    AMOUNT_PATTERN.test(amount) &&
    !ZERO_AMOUNT.test(amount) &&
    CHANNELS.has(channel)
  );
}
