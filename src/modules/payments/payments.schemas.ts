import { z } from 'zod';
import { PAYMENT_CHANNELS } from './payments.csv-format.js';

/** The summary of a payment import (PAY-1); amounts in cents. */
export const ZPaymentsImportSummary = z.object({
  importRunId: z.number().int(),
  rowsTotal: z.number().int(),
  inserted: z.number().int(),
  alreadyLoaded: z.number().int(),
  totalCents: z.number().int(),
  creditsUpdated: z.number().int(),
  firstPaymentsDetected: z.number().int(),
  sha256: z.string(),
});
export type TPaymentsImportSummary = z.infer<typeof ZPaymentsImportSummary>;

export const ZPaymentsImportQuery = z.object({ fileName: z.string().min(1).max(200).default('pagos.csv') });

export const ZCreditPayment = z.object({
  paidOn: z.string(),
  amountCents: z.number().int(),
  channel: z.enum(PAYMENT_CHANNELS),
  channelLabel: z.string(),
  reference: z.string(),
});

export const ZCreditPayments = z.object({
  creditNumber: z.string(),
  items: z.array(ZCreditPayment),
  totalCents: z.number().int(),
});
export type TCreditPayments = z.infer<typeof ZCreditPayments>;
