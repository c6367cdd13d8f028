/**
 * HTTP output of the convenio page (GET /api/convenios/:id and the actions' answer): validated on
 * the way out, so the API never sends what it did not declare. Cents are JSON numbers.
 */
import { z } from 'zod';
import { ZCaseDocument } from '../documents/documents.schemas.js';
import { SOLUTION_IDS } from '../solutions/solutions.rules.js';
import { CONVENIO_ACTIONS, CONVENIO_STATUSES } from './convenios.rules.js';
import { RECONCILIATION_CHECKS } from './convenios.service.js';

const ZCents = z.number().int();
const ZDate = z.string();
const CHECKS = Object.keys(RECONCILIATION_CHECKS) as [keyof typeof RECONCILIATION_CHECKS, ...(keyof typeof RECONCILIATION_CHECKS)[]];

export const ZMismatch = z.object({
  convenioId: z.number(),
  folio: z.string(),
  creditNumber: z.string(),
  delegationId: z.number(),
  delegationName: z.string(),
  status: z.enum(CONVENIO_STATUSES),
  check: z.enum(CHECKS),
  description: z.string(),
  expected: z.string(),
  actual: z.string(),
});


export const ZConvenioDetail = z.object({
  id: z.number(),
  folio: z.string(),
  caseId: z.number(),
  creditNumber: z.string(),
  borrowerName: z.string(),
  round: z.number(),
  status: z.enum(CONVENIO_STATUSES),
  statusLabel: z.string(),
  version: z.number(),
  convenioType: z.enum(['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE']),
  solutionId: z.enum(SOLUTION_IDS),
  solutionName: z.string(),
  solutionPolicyVersion: z.number(),
  delegationName: z.string(),
  agencyName: z.string(),
  mediatorName: z.string(),
  mediatorKind: z.string(),
  representativeName: z.string().nullable(),
  acceptedOn: ZDate,
  signedOn: ZDate,
  sl1DueOn: ZDate,
  sl1Met: z.boolean(),
  copies: z.number(),
  acknowledgementSigned: z.boolean(),
  terms: z.object({
    balanceBeforeCents: ZCents,
    discountCents: ZCents,
    balanceAfterCents: ZCents,
    monthlyPaymentCents: ZCents,
    paymentFactor: z.string(),
    interestRateBp: z.number(),
    termMonths: z.number(),
    firstPaymentCents: ZCents,
    firstPaymentDueOn: ZDate,
    explanation: z.array(z.string()),
    benefit: z.string().nullable(),
  }),
  creditBefore: z.record(z.string(), z.unknown()).describe('Los términos del crédito al firmar (antes de la reestructura)'),
  creditNow: z.object({
    denomination: z.enum(['VSM', 'MXN']),
    balanceCents: ZCents,
    monthlyPaymentCents: ZCents,
    insuranceFeesCents: ZCents,
    paymentFactor: z.string(),
    interestRateBp: z.number(),
    termMonths: z.number(),
    paymentsMade: z.number(),
    monthsInArrears: z.number(),
    activeRestructure: z.boolean(),
    brokenConvenios: z.number(),
  }),
  restructure: z
    .object({ appliedOn: ZDate, balanceCents: ZCents, monthlyPaymentCents: ZCents, paymentFactor: z.string(), interestRateBp: z.number(), termMonths: z.number() })
    .nullable(),
  review: z.object({
    dl9DueOn: ZDate,
    submittedOn: ZDate.nullable(),
    dl10DueOn: ZDate.nullable(),
    dl12DueOn: ZDate.nullable(),
    correctionsRequestedOn: ZDate.nullable(),
    dl11DueOn: ZDate.nullable(),
    reviewRounds: z.number(),
    approvedOn: ZDate.nullable(),
  }),
  firstPayment: z.object({
    amountCents: ZCents,
    dueOn: ZDate,
    paidOn: ZDate.nullable(),
    paidCents: ZCents.nullable(),
    brokenOn: ZDate.nullable(),
    brokenRule: z.string().nullable(),
  }),
  cja: z.object({ centre: z.string(), registrationNumber: z.string(), registeredOn: ZDate, certificateDocumentId: z.number().nullable() }).nullable(),
  payments: z.array(z.object({ id: z.number(), paidOn: ZDate, amountCents: ZCents, channel: z.string(), channelLabel: z.string(), reference: z.string() })),
  documents: z.array(ZCaseDocument),
  breaches: z.array(z.object({ rule: z.string(), dueOn: ZDate, flaggedOn: ZDate })),
  mismatches: z.array(ZMismatch),
  history: z.array(
    z.object({
      version: z.number(),
      action: z.string(),
      actionLabel: z.string(),
      activity: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      onDate: ZDate,
      actorRole: z.string(),
      actorName: z.string().nullable(),
      data: z.unknown(),
      rule: z.string().nullable(),
      explanation: z.string().nullable(),
      recordedAt: z.string(),
    }),
  ),
  actions: z.array(z.object({ action: z.enum(CONVENIO_ACTIONS), label: z.string() })),
});
