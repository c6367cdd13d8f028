import { z } from 'zod';

export const ZCreditNumber = z.string().regex(/^\d{10}$/, 'El número de crédito tiene 10 dígitos.');

export const ZCreditSearchQuery = z.object({
  q: z.string().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type TCreditSearchQuery = z.infer<typeof ZCreditSearchQuery>;

const ZDelegationRef = z.object({ id: z.number().int(), code: z.string(), name: z.string() });

export const ZCreditSummary = z.object({
  creditNumber: z.string(),
  borrowerName: z.string(),
  delegation: ZDelegationRef,
  segment: z.string(),
  segmentLabel: z.string(),
  denomination: z.enum(['VSM', 'MXN']),
  balanceCents: z.number().int(),
  monthsInArrears: z.number().int(),
  regime: z.enum(['ROA', 'REA']),
});
export type TCreditSummary = z.infer<typeof ZCreditSummary>;

export const ZCreditSearchResult = z.object({
  items: z.array(ZCreditSummary),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const ZCreditDetail = ZCreditSummary.extend({
  borrower: z.object({
    name: z.string(),
    nss: z.string(),
    curp: z.string(),
    rfc: z.string(),
    birthDate: z.string(),
    address: z.object({ street: z.string(), settlement: z.string(), municipality: z.string(), postalCode: z.string() }),
    phoneLandline: z.string().nullable(),
    phoneMobile: z.string().nullable(),
    email: z.string().nullable(),
  }),
  originalAmountCents: z.number().int(),
  monthlyPaymentCents: z.number().int(),
  paymentFactor: z.string(),
  insuranceFeesCents: z.number().int(),
  interestRateBp: z.number().int(),
  termMonths: z.number().int(),
  originalAmountVsm: z.string().nullable(),
  balanceVsm: z.string().nullable(),
  paymentsMade: z.number().int(),
  originationDate: z.string(),
  inSocialCollections: z.boolean(),
  exclusionFacts: z.object({
    brokenConvenios: z.number().int(),
    housingStatus: z.string(),
    housingStatusLabel: z.string(),
    activeRestructure: z.boolean(),
    outsourced: z.boolean(),
    trustPool: z.boolean(),
    billingActive: z.boolean(),
    activeExtension: z.boolean(),
    legalStage: z.string(),
    legalStageLabel: z.string(),
    accompaniment: z.boolean(),
    legalStageFrozen: z.boolean(),
  }),
});
export type TCreditDetail = z.infer<typeof ZCreditDetail>;
