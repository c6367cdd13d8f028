/**
 * Payments of a credit as its readers see them (PAY-1), within the caller's scope (SEC-2); the
 * read is logged like the credit's detail (SEC-4).
 */
import type { Executor } from '../../db/index.js';
import { notFound } from '../../errors.js';
import { centsToNumber } from '../../money.js';
import { logPersonalDataRead } from '../audit/audit.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { findCredit } from '../portfolio/credits.repository.js';
import { PAYMENT_CHANNEL_LABELS } from './payments.csv-format.js';
import { selectCreditPayments } from './payments.repository.js';
import type { TCreditPayments, TPaymentsImportSummary } from './payments.schemas.js';
import type { PaymentsImportResult } from './payments.import.js';

/** The payments of a credit in the caller's scope; NOT_FOUND otherwise, so that existence does not leak. */
export async function findCreditPayments(db: Executor, user: AuthUser, now: Date, creditNumber: string): Promise<TCreditPayments> {
  const credit = await findCredit(db, user.scope, creditNumber);
  if (!credit) throw notFound('Crédito');
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, [credit.credit_number], 'payments');
  const rows = await selectCreditPayments(db, credit.credit_number);
  return {
    creditNumber: credit.credit_number,
    items: rows.map((row) => ({
      paidOn: row.paid_on,
      amountCents: centsToNumber(row.amount_cents),
      channel: row.channel,
      channelLabel: PAYMENT_CHANNEL_LABELS[row.channel],
      reference: row.reference,
    })),
    totalCents: centsToNumber(rows.reduce((sum, row) => sum + row.amount_cents, 0n)),
  };
}

/** The import's result at the JSON boundary (cents as numbers). */
export function toImportSummary(result: PaymentsImportResult): TPaymentsImportSummary {
  return { ...result, totalCents: centsToNumber(result.totalCents) };
}
