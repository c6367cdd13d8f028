/**
 * HTTP output of the solutions catalogue (GET /api/credits/:number/solutions). Amounts are integer
 * cents as JSON numbers; rates in basis points; the payment factor is decimal text.
 */
import { z } from 'zod';
import { SOLUTION_IDS } from './solutions.rules.js';

const ZCents = z.number().int();

export const ZSolutionTerms = z.object({
  solution: z.enum(SOLUTION_IDS),
  balanceBeforeCents: ZCents,
  discountCents: ZCents,
  balanceAfterCents: ZCents,
  capitalisedArrearsCents: ZCents,
  monthlyPaymentCents: ZCents,
  insuranceFeesCents: ZCents,
  totalMonthlyPaymentCents: ZCents,
  paymentFactor: z.string(),
  interestRateBp: z.number().int(),
  termMonths: z.number().int().positive(),
  denomination: z.literal('MXN'),
  firstPaymentCents: ZCents,
  firstPaymentDueOn: z.string(),
  benefit: z.string().optional(),
  explanation: z.array(z.string()),
});
export type TSolutionTerms = z.infer<typeof ZSolutionTerms>;

export const ZSolutionOffer = z.object({
  solution: z.enum(SOLUTION_IDS),
  name: z.string(),
  available: z.boolean(),
  conditions: z.array(z.object({ description: z.string(), passed: z.boolean() })),
  terms: ZSolutionTerms.optional(),
  termsUnavailableReason: z.string().optional(),
});
export type TSolutionOffer = z.infer<typeof ZSolutionOffer>;

export const ZCreditSolutions = z.object({
  creditNumber: z.string(),
  /** The date the catalogue was computed for. */
  on: z.string(),
  /** The policy versions in force on that date. */
  policy: z.object({
    solutionParametersVersion: z.number().int(),
    solutionParametersEffectiveFrom: z.string(),
    holidayCalendarVersion: z.number().int(),
  }),
  solutions: z.array(ZSolutionOffer),
});
export type TCreditSolutions = z.infer<typeof ZCreditSolutions>;
