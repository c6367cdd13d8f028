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

// Building blocks chosen for speed (a million rows per file): regular expressions and plain
// arithmetic, no unions, no Date objects.
const emptyToNull = (value: string) => (value === '' ? null : value);
const text = (max: number) => z.string().trim().min(1, 'es obligatorio').max(max, `máximo ${max} caracteres`);
const optionalText = (max: number) => z.string().trim().max(max, `máximo ${max} caracteres`).transform(emptyToNull);
const cents = z.string().regex(/^\d{1,15}$/, 'debe ser un importe en centavos (entero ≥ 0)');
const optionalCents = z.string().regex(/^(\d{1,15})?$/, 'debe ser un importe en centavos (entero ≥ 0) o vacío').transform(emptyToNull);
const decimal = (message: string) => z.string().regex(/^\d{1,8}(\.\d{1,6})?$/, message);
const optionalDecimal = z.string().regex(/^(\d{1,8}(\.\d{1,6})?)?$/, 'debe ser un número decimal o vacío').transform(emptyToNull);
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'debe ser un entero')
    .refine((value) => {
      const n = Number(value);
      return n >= min && n <= max;
    }, `debe estar entre ${min} y ${max}`);
const bool = z.enum(['true', 'false'], { message: 'debe ser true o false' });
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const date = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'debe ser una fecha AAAA-MM-DD válida')
  .refine((value) => {
    const year = Number(value.slice(0, 4));
    const month = Number(value.slice(5, 7));
    const day = Number(value.slice(8, 10));
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!);
  }, 'debe ser una fecha AAAA-MM-DD válida');

export const ZCreditCsvRow = z
  .object({
    credit_number: z.string().regex(/^\d{10}$/, 'debe tener 10 dígitos'),
    borrower_name: text(200),
    borrower_nss: z.string().regex(/^\d{11}$/, 'el NSS tiene 11 dígitos'),
    borrower_curp: z.string().regex(/^[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d$/, 'CURP con formato inválido'),
    borrower_rfc: z.string().regex(/^[A-Z]{4}\d{6}[0-9A-Z]{3}$/, 'RFC con formato inválido'),
    borrower_birth_date: date,
    address_street: text(200),
    address_settlement: text(120),
    address_municipality: text(120),
    address_postal_code: z.string().regex(/^\d{5}$/, 'el código postal tiene 5 dígitos'),
    phone_landline: optionalText(30),
    phone_mobile: optionalText(30),
    email: z
      .string()
      .max(200)
      .regex(/^$|^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/, 'correo inválido')
      .transform(emptyToNull),
    delegation_id: integer(1, 32),
    segment: z.enum(['cobranza_administrativa', 'recuperacion_cartera_vencida', 'recuperacion_vivienda_vulnerable', 'recuperacion_especializada'], {
      message: 'segmento desconocido',
    }),
    in_social_collections: bool,
    denomination: z.enum(['VSM', 'MXN'], { message: 'debe ser VSM o MXN' }),
    original_amount_cents: z.string().regex(/^0*[1-9]\d{0,14}$/, 'debe ser un importe en centavos mayor que cero'),
    balance_cents: cents,
    original_amount_vsm: optionalDecimal,
    balance_vsm: optionalDecimal,
    monthly_payment_cents: cents,
    payment_factor: decimal('debe ser un número decimal'),
    insurance_fees_cents: cents,
    interest_rate_bp: integer(0, 10000),
    term_months: integer(1, 600),
    regime: z.enum(['ROA', 'REA'], { message: 'debe ser ROA o REA' }),
    months_in_arrears: integer(0, 600),
    payments_made: integer(0, 1000),
    origination_date: date,
    borrower_monthly_income_cents: optionalCents,
    borrower_monthly_pension_cents: optionalCents,
    is_retired: bool,
    cofinanced: bool,
    unemployment_insurance_exhausted: bool,
    broken_convenios: integer(0, 20),
    housing_status: z.enum(['inhabited', 'abandoned', 'invaded', 'vandalised', 'uninhabited', 'not_located'], {
      message: 'estado de la vivienda desconocido',
    }),
    active_restructure: bool,
    outsourced: bool,
    trust_pool: bool,
    billing_active: bool,
    active_extension: bool,
    legal_stage: z.enum(['none', 'lawsuit_filed', 'judgment', 'execution'], { message: 'etapa procesal desconocida' }),
    accompaniment: bool,
    legal_stage_frozen: bool,
  })
  .superRefine((row, ctx) => {
    if (row.denomination === 'VSM' && (row.original_amount_vsm === null || row.balance_vsm === null)) {
      ctx.addIssue({ code: 'custom', path: ['original_amount_vsm'], message: 'un crédito en VSM requiere monto y saldo en VSM' });
    }
    if (row.origination_date < row.borrower_birth_date) {
      ctx.addIssue({ code: 'custom', path: ['origination_date'], message: 'es anterior a la fecha de nacimiento' });
    }
  });

export type TCreditCsvRow = z.output<typeof ZCreditCsvRow>;
