/**
 * Parameters of the solutions catalogue (SPEC §8) that decide *availability*, which EXC-8 reads.
 * Versioned policy (key `solution_parameters`); defaults and their public sources are in
 * README.md beside this file.
 */
import { z } from 'zod';

export const ZSolutionParameters = z.object({
  'SOL-1': z.object({ enabled: z.boolean(), excludeCofinanced: z.boolean() }),
  'SOL-2': z.object({ enabled: z.boolean(), minMonthsInArrears: z.number().int().min(0) }),
  'SOL-3': z.object({ enabled: z.boolean(), maxBalanceShareBp: z.number().int().min(1).max(10000), discountBp: z.number().int().min(0).max(10000), excludeCofinanced: z.boolean() }),
  'SOL-4': z.object({
    enabled: z.boolean(),
    minMonthsInArrears: z.number().int().min(0),
    maxMonthsInArrears: z.number().int().min(0),
    minRemainingPayments: z.number().int().min(0),
    requiresUnemploymentInsuranceExhausted: z.boolean(),
  }),
  'SOL-5': z.object({ enabled: z.boolean(), minPaymentsMade: z.number().int().min(0), pensionShareBp: z.number().int().min(0).max(10000) }),
});
export type SolutionParameters = z.infer<typeof ZSolutionParameters>;

export const DEFAULT_SOLUTION_PARAMETERS: SolutionParameters = {
  // Responsabilidad Compartida: VSM credits; cofinanced credits cannot convert (RC 2.0 rules).
  'SOL-1': { enabled: true, excludeCofinanced: true },
  // Reestructura: for credits with at least one month in arrears.
  'SOL-2': { enabled: true, minMonthsInArrears: 1 },
  // Descuento por Liquidación Anticipada: balance ≤ 25% of the original debt → 50% (seed 002).
  'SOL-3': { enabled: true, maxBalanceShareBp: 2500, discountBp: 5000, excludeCofinanced: true },
  // Borrón y Cuenta Nueva: 1–9 payments unpaid, FPP exhausted, ≥ 12 payments left.
  'SOL-4': { enabled: true, minMonthsInArrears: 1, maxMonthsInArrears: 9, minRemainingPayments: 12, requiresUnemploymentInsuranceExhausted: true },
  // Apoyo a Jubilados: retired, ≥ 120 monthly payments made; payment = 25% of the pension (seed 002).
  'SOL-5': { enabled: true, minPaymentsMade: 120, pensionShareBp: 2500 },
};
