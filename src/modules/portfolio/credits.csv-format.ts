/**
 * The credit file format (import and demo): a header with these column names (any order), one
 * credit per row. Money in integer cents; VSM quantities and the payment factor as decimals;
 * dates YYYY-MM-DD; booleans true/false; empty = null.
 */
import { z } from 'zod';

export const CREDIT_CSV_COLUMNS = [
  'credit_number',
  'borrower_name',
  'borrower_nss',
  'borrower_curp',
  'borrower_rfc',
  'borrower_birth_date',
  'address_street',
  'address_settlement',
  'address_municipality',
  'address_postal_code',
  'phone_landline',
  'phone_mobile',
  'email',
  'delegation_id',
  'segment',
  'in_social_collections',
  'denomination',
  'original_amount_cents',
  'balance_cents',
  'original_amount_vsm',
  'balance_vsm',
  'monthly_payment_cents',
  'payment_factor',
  'insurance_fees_cents',
  'interest_rate_bp',
  'term_months',
  'regime',
  'months_in_arrears',
  'payments_made',
  'origination_date',
  'borrower_monthly_income_cents',
  'borrower_monthly_pension_cents',
  'is_retired',
  'cofinanced',
  'unemployment_insurance_exhausted',
  'broken_convenios',
  'housing_status',
  'active_restructure',
  'outsourced',
  'trust_pool',
  'billing_active',
  'active_extension',
  'legal_stage',
  'accompaniment',
  'legal_stage_frozen',
] as const;

export type CreditCsvColumn = (typeof CREDIT_CSV_COLUMNS)[number];

/**
 * One table of field rules gives both validators: the zod schema (the authority, which words every
 * error) and `acceptsRow`, a plain compiled check for the hot path of a million-row import. A row
 * `acceptsRow` passes is one zod accepts (property-tested in credits.csv-format.test.ts); a row it
 * refuses goes to zod, which says why — or accepts it, since zod decides.
 */
type FieldRule =
  /** Required free text: trimmed, 1..max characters. */
  | { kind: 'text'; max: number }
  /** Optional free text: trimmed, ≤ max characters, empty → null. */
  | { kind: 'optionalText'; max: number }
  /** A value matching `pattern` (no trimming); `nullable`: the pattern accepts '' and '' → null. */
  | { kind: 'pattern'; pattern: RegExp; message: string; nullable?: boolean; max?: number }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'enum'; values: readonly [string, ...string[]]; message: string }
  | { kind: 'date' };

const BOOL: FieldRule = { kind: 'enum', values: ['true', 'false'], message: 'debe ser true o false' };
const CENTS: FieldRule = { kind: 'pattern', pattern: /^\d{1,15}$/, message: 'debe ser un importe en centavos (entero ≥ 0)' };
const OPTIONAL_CENTS: FieldRule = { kind: 'pattern', pattern: /^(\d{1,15})?$/, message: 'debe ser un importe en centavos (entero ≥ 0) o vacío', nullable: true };
const OPTIONAL_DECIMAL: FieldRule = { kind: 'pattern', pattern: /^(\d{1,8}(\.\d{1,6})?)?$/, message: 'debe ser un número decimal o vacío', nullable: true };

export const CREDIT_FIELD_RULES: Record<CreditCsvColumn, FieldRule> = {
  credit_number: { kind: 'pattern', pattern: /^\d{10}$/, message: 'debe tener 10 dígitos' },
  borrower_name: { kind: 'text', max: 200 },
  borrower_nss: { kind: 'pattern', pattern: /^\d{11}$/, message: 'el NSS tiene 11 dígitos' },
  borrower_curp: { kind: 'pattern', pattern: /^[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d$/, message: 'CURP con formato inválido' },
  borrower_rfc: { kind: 'pattern', pattern: /^[A-Z]{4}\d{6}[0-9A-Z]{3}$/, message: 'RFC con formato inválido' },
  borrower_birth_date: { kind: 'date' },
  address_street: { kind: 'text', max: 200 },
  address_settlement: { kind: 'text', max: 120 },
  address_municipality: { kind: 'text', max: 120 },
  address_postal_code: { kind: 'pattern', pattern: /^\d{5}$/, message: 'el código postal tiene 5 dígitos' },
  phone_landline: { kind: 'optionalText', max: 30 },
  phone_mobile: { kind: 'optionalText', max: 30 },
  email: { kind: 'pattern', pattern: /^$|^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/, message: 'correo inválido', nullable: true, max: 200 },
  delegation_id: { kind: 'integer', min: 1, max: 32 },
  segment: {
    kind: 'enum',
    values: ['cobranza_administrativa', 'recuperacion_cartera_vencida', 'recuperacion_vivienda_vulnerable', 'recuperacion_especializada'],
    message: 'segmento desconocido',
  },
  in_social_collections: BOOL,
  denomination: { kind: 'enum', values: ['VSM', 'MXN'], message: 'debe ser VSM o MXN' },
  original_amount_cents: { kind: 'pattern', pattern: /^0*[1-9]\d{0,14}$/, message: 'debe ser un importe en centavos mayor que cero' },
  balance_cents: CENTS,
  original_amount_vsm: OPTIONAL_DECIMAL,
  balance_vsm: OPTIONAL_DECIMAL,
  monthly_payment_cents: CENTS,
  payment_factor: { kind: 'pattern', pattern: /^\d{1,8}(\.\d{1,6})?$/, message: 'debe ser un número decimal' },
  insurance_fees_cents: CENTS,
  interest_rate_bp: { kind: 'integer', min: 0, max: 10000 },
  term_months: { kind: 'integer', min: 1, max: 600 },
  regime: { kind: 'enum', values: ['ROA', 'REA'], message: 'debe ser ROA o REA' },
  months_in_arrears: { kind: 'integer', min: 0, max: 600 },
  payments_made: { kind: 'integer', min: 0, max: 1000 },
  origination_date: { kind: 'date' },
  borrower_monthly_income_cents: OPTIONAL_CENTS,
  borrower_monthly_pension_cents: OPTIONAL_CENTS,
  is_retired: BOOL,
  cofinanced: BOOL,
  unemployment_insurance_exhausted: BOOL,
  broken_convenios: { kind: 'integer', min: 0, max: 20 },
  housing_status: {
    kind: 'enum',
    values: ['inhabited', 'abandoned', 'invaded', 'vandalised', 'uninhabited', 'not_located'],
    message: 'estado de la vivienda desconocido',
  },
  active_restructure: BOOL,
  outsourced: BOOL,
  trust_pool: BOOL,
  billing_active: BOOL,
  active_extension: BOOL,
  legal_stage: { kind: 'enum', values: ['none', 'lawsuit_filed', 'judgment', 'execution'], message: 'etapa procesal desconocida' },
  accompaniment: BOOL,
  legal_stage_frozen: BOOL,
};

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_MESSAGE = 'debe ser una fecha AAAA-MM-DD válida';
const INTEGER_PATTERN = /^\d{1,9}$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A date that matched DATE_PATTERN exists in the calendar (no 31 April, 29 February only in leap years). */
function dayExists(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!);
}

const emptyToNull = (value: string) => (value === '' ? null : value);

function zodField(rule: FieldRule) {
  switch (rule.kind) {
    case 'text':
      return z.string().trim().min(1, 'es obligatorio').max(rule.max, `máximo ${rule.max} caracteres`);
    case 'optionalText':
      return z.string().trim().max(rule.max, `máximo ${rule.max} caracteres`).transform(emptyToNull);
    case 'pattern': {
      const base = rule.max === undefined ? z.string() : z.string().max(rule.max, `máximo ${rule.max} caracteres`);
      const checked = base.regex(rule.pattern, rule.message);
      return rule.nullable ? checked.transform(emptyToNull) : checked;
    }
    case 'integer':
      return z
        .string()
        .regex(INTEGER_PATTERN, 'debe ser un entero')
        .refine((value) => Number(value) >= rule.min && Number(value) <= rule.max, `debe estar entre ${rule.min} y ${rule.max}`);
    case 'enum':
      return z.enum(rule.values, { message: rule.message });
    case 'date':
      return z.string().regex(DATE_PATTERN, DATE_MESSAGE).refine(dayExists, DATE_MESSAGE);
  }
}

/** The rules that relate several fields; zod words them, `acceptsRow` checks them the same way. */
function crossFieldProblems(row: { denomination: string; original_amount_vsm: string | null; balance_vsm: string | null; origination_date: string; borrower_birth_date: string }) {
  const problems: { path: CreditCsvColumn; message: string }[] = [];
  if (row.denomination === 'VSM' && (row.original_amount_vsm === null || row.balance_vsm === null)) {
    problems.push({ path: 'original_amount_vsm', message: 'un crédito en VSM requiere monto y saldo en VSM' });
  }
  if (row.origination_date < row.borrower_birth_date) problems.push({ path: 'origination_date', message: 'es anterior a la fecha de nacimiento' });
  return problems;
}

export const ZCreditCsvRow = z
  .object(Object.fromEntries(CREDIT_CSV_COLUMNS.map((column) => [column, zodField(CREDIT_FIELD_RULES[column])])) as {
    [K in CreditCsvColumn]: ReturnType<typeof zodField>;
  })
  .superRefine((row, ctx) => {
    for (const problem of crossFieldProblems(row as unknown as Parameters<typeof crossFieldProblems>[0])) {
      ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
    }
  });

/** The output of validation: every column as text, or null where empty means null. */
export type TCreditCsvRow = Record<CreditCsvColumn, string | null>;

/** How a field is written back: free text may need CSV quoting, the rest never does. */
export const CREDIT_FREE_TEXT_COLUMNS: ReadonlySet<CreditCsvColumn> = new Set(
  CREDIT_CSV_COLUMNS.filter((column) => {
    const rule = CREDIT_FIELD_RULES[column];
    return rule.kind === 'text' || rule.kind === 'optionalText' || column === 'email';
  }),
);

const TRIMMED = /^\S(.*\S)?$|^$/s;

function compileCheck(rule: FieldRule): (value: string) => boolean {
  switch (rule.kind) {
    case 'text':
      // Trimming must change nothing for the fast path (zod would trim; the slow path does it).
      return (value) => value.length >= 1 && value.length <= rule.max && TRIMMED.test(value);
    case 'optionalText':
      return (value) => value.length <= rule.max && TRIMMED.test(value);
    case 'pattern':
      return rule.max === undefined ? (value) => rule.pattern.test(value) : (value) => value.length <= rule.max! && rule.pattern.test(value);
    case 'integer':
      return (value) => INTEGER_PATTERN.test(value) && Number(value) >= rule.min && Number(value) <= rule.max;
    case 'enum': {
      const values = new Set<string>(rule.values);
      return (value) => values.has(value);
    }
    case 'date':
      return (value) => DATE_PATTERN.test(value) && dayExists(value);
  }
}

const CHECKS = CREDIT_CSV_COLUMNS.map((column) => compileCheck(CREDIT_FIELD_RULES[column]));
const NULLABLE = CREDIT_CSV_COLUMNS.map((column) => {
  const rule = CREDIT_FIELD_RULES[column];
  return rule.kind === 'optionalText' || (rule.kind === 'pattern' && rule.nullable === true);
});
const AT = Object.fromEntries(CREDIT_CSV_COLUMNS.map((column, index) => [column, index])) as Record<CreditCsvColumn, number>;

/**
 * The hot path: `values` in CREDIT_CSV_COLUMNS order. True only for a row zod accepts unchanged
 * (no trimming needed), so the caller may write the values as they are ('' meaning null).
 */
export function acceptsRow(values: readonly string[]): boolean {
  for (let i = 0; i < CHECKS.length; i++) if (!CHECKS[i]!(values[i]!)) return false;
  const nullIfEmpty = (column: CreditCsvColumn) => (NULLABLE[AT[column]] && values[AT[column]] === '' ? null : values[AT[column]]!);
  return (
    crossFieldProblems({
      denomination: values[AT.denomination]!,
      original_amount_vsm: nullIfEmpty('original_amount_vsm'),
      balance_vsm: nullIfEmpty('balance_vsm'),
      origination_date: values[AT.origination_date]!,
      borrower_birth_date: values[AT.borrower_birth_date]!,
    }).length === 0
  );
}
