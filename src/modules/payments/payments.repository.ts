/**
 * SQL over `payments` for reading (the bulk load is in payments.import.ts).
 */
import type { Executor } from '../../db/index.js';

/** A credit's payments, latest first. */
export async function selectCreditPayments(db: Executor, creditNumber: string) {
  return db
    .selectFrom('payments')
    .select(['id', 'paid_on', 'amount_cents', 'channel', 'reference'])
    .where('credit_number', '=', creditNumber)
    .orderBy('paid_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
