/**
 * Parameters of the solutions catalogue (SPEC §8): those that decide *availability* (which EXC-8
 * reads) and those that compute the resulting *terms* (solutions.terms.ts). Versioned policy (key
 * `solution_parameters`); defaults and their public sources are in README.md beside this file.
 *
 * Stored versions written before the terms existed hold only the availability fields, so every
 * field added for the terms has a zod default: an old stored value still parses, and reads as the
 * defaults below.
 */
import { z } from 'zod';

/**
 * One band of the fixed-rate table of Responsabilidad Compartida, in tenths of the monthly UMA:
 * from `fromUmaTenths` to `toUmaTenths` (both included) the rate goes linearly from `fromRateBp` to
 * `toRateBp`, one step per 0.1 UMA.
 */
export const ZRateBand = z
  .object({
    fromUmaTenths: z.number().int().min(0),
    toUmaTenths: z.number().int().min(0),
    fromRateBp: z.number().int().min(0).max(10000),
    toRateBp: z.number().int().min(0).max(10000),
  })
  .refine((band) => band.toUmaTenths >= band.fromUmaTenths, 'La banda termina antes de empezar.');
export type RateBand = z.infer<typeof ZRateBand>;

/**
 * The June 2021 peso-credit table (DOMAIN-FACTS §1): thresholds 1.5, 2.0, 2.1, 3.0, 3.1, 4.0, 4.1,
 * 5.0, 5.1, 6.0 and 6.1 × the monthly UMA; rates 1.91 %…10.45 %.
 */
export const DEFAULT_RATE_BANDS: RateBand[] = [
  { fromUmaTenths: 15, toUmaTenths: 20, fromRateBp: 191, toRateBp: 333 },
  { fromUmaTenths: 21, toUmaTenths: 30, fromRateBp: 355, toRateBp: 551 },
  { fromUmaTenths: 31, toUmaTenths: 40, fromRateBp: 570, toRateBp: 721 },
  { fromUmaTenths: 41, toUmaTenths: 50, fromRateBp: 741, toRateBp: 886 },
  { fromUmaTenths: 51, toUmaTenths: 60, fromRateBp: 903, toRateBp: 1042 },
  { fromUmaTenths: 61, toUmaTenths: 61, fromRateBp: 1045, toRateBp: 1045 },
];

/** Daily UMA 2026: $117.31 (INEGI; DOMAIN-FACTS §2), valid 1 Feb 2026 – 31 Jan 2027. */
export const DEFAULT_UMA_DAILY_CENTS = 11731;
/** Infonavit credits run at most 30 years: 360 monthly payments. */
export const DEFAULT_MAX_TOTAL_TERM_MONTHS = 360;

export const FIRST_PAYMENT_RULES = ['last_business_day'] as const;
export const DEFAULT_FIRST_PAYMENT = { monthsAfter: 1, rule: 'last_business_day' } as const satisfies {
  monthsAfter: number;
  rule: (typeof FIRST_PAYMENT_RULES)[number];
};

const ZBp = z.number().int().min(0).max(10000);
const ZTotalTerm = z.number().int().min(1).max(600);

export const ZSolutionParameters = z.object({
  'SOL-1': z.object({
    enabled: z.boolean(),
    excludeCofinanced: z.boolean(),
    /** Share of the balance forgiven on conversion. */
    discountBp: ZBp.default(2500),
    /** Daily UMA the income bands are measured in (monthly UMA = daily × 30.4). */
    umaDailyCents: z.number().int().min(1).default(DEFAULT_UMA_DAILY_CENTS),
    rateBands: z
      .array(ZRateBand)
      .min(1)
      .refine(
        (bands) => bands.every((band, i) => i === 0 || band.fromUmaTenths > bands[i - 1]!.toUmaTenths),
        'Las bandas deben ir en orden y sin traslaparse.',
      )
      .default(() => DEFAULT_RATE_BANDS.map((band) => ({ ...band }))),
    /** A retired borrower with no income registered is placed in a band by his pension. */
    pensionAsIncome: z.boolean().default(true),
  }),
  'SOL-2': z.object({
    enabled: z.boolean(),
    minMonthsInArrears: z.number().int().min(0),
    /** The restructured credit ends within this many payments counted from its first one. */
    maxTotalTermMonths: ZTotalTerm.default(DEFAULT_MAX_TOTAL_TERM_MONTHS),
  }),
  'SOL-3': z.object({ enabled: z.boolean(), maxBalanceShareBp: z.number().int().min(1).max(10000), discountBp: ZBp, excludeCofinanced: z.boolean() }),
  'SOL-4': z.object({
    enabled: z.boolean(),
    minMonthsInArrears: z.number().int().min(0),
    maxMonthsInArrears: z.number().int().min(0),
    minRemainingPayments: z.number().int().min(0),
    requiresUnemploymentInsuranceExhausted: z.boolean(),
    /** With the same payment, the credit must still be paid off within this many payments in all. */
    maxTotalTermMonths: ZTotalTerm.default(DEFAULT_MAX_TOTAL_TERM_MONTHS),
    /** Bonus for staying current: up to this many months owed → one monthly payment to capital; more → interest from the next owed month forgiven. */
    bonusOnePaymentMaxArrears: z.number().int().min(0).default(2),
    /** REA borrowers earn the bonus after this many consecutive full payments (ROA: one full employer bimonthly payment). */
    bonusReaConsecutivePayments: z.number().int().min(1).default(3),
  }),
  'SOL-5': z.object({ enabled: z.boolean(), minPaymentsMade: z.number().int().min(0), pensionShareBp: ZBp }),
  /** When the first payment under the new terms is due: the last business day of the month `monthsAfter` months after the offer. */
  firstPayment: z
    .object({ monthsAfter: z.number().int().min(0).max(12), rule: z.enum(FIRST_PAYMENT_RULES) })
    .default({ ...DEFAULT_FIRST_PAYMENT }),
});
export type SolutionParameters = z.infer<typeof ZSolutionParameters>;

export const DEFAULT_SOLUTION_PARAMETERS: SolutionParameters = {
  // Responsabilidad Compartida: VSM credits; cofinanced credits cannot convert (RC 2.0 rules);
  // 25% off the balance (public example), fixed rate by income band (2021 table, UMA 2026).
  'SOL-1': {
    enabled: true,
    excludeCofinanced: true,
    discountBp: 2500,
    umaDailyCents: DEFAULT_UMA_DAILY_CENTS,
    rateBands: DEFAULT_RATE_BANDS,
    pensionAsIncome: true,
  },
  // Reestructura: for credits with at least one month in arrears; at most 30 years in all.
  'SOL-2': { enabled: true, minMonthsInArrears: 1, maxTotalTermMonths: DEFAULT_MAX_TOTAL_TERM_MONTHS },
  // Descuento por Liquidación Anticipada: balance ≤ 25% of the original debt → 50% (seed 002).
  'SOL-3': { enabled: true, maxBalanceShareBp: 2500, discountBp: 5000, excludeCofinanced: true },
  // Borrón y Cuenta Nueva: 1–9 payments unpaid, FPP exhausted, ≥ 12 payments left.
  'SOL-4': {
    enabled: true,
    minMonthsInArrears: 1,
    maxMonthsInArrears: 9,
    minRemainingPayments: 12,
    requiresUnemploymentInsuranceExhausted: true,
    maxTotalTermMonths: DEFAULT_MAX_TOTAL_TERM_MONTHS,
    bonusOnePaymentMaxArrears: 2,
    bonusReaConsecutivePayments: 3,
  },
  // Apoyo a Jubilados: retired, ≥ 120 monthly payments made; payment = 25% of the pension (seed 002).
  'SOL-5': { enabled: true, minPaymentsMade: 120, pensionShareBp: 2500 },
  // First payment: by the last business day of the next month (Liquidación Anticipada's deadline rule).
  firstPayment: { ...DEFAULT_FIRST_PAYMENT },
};
