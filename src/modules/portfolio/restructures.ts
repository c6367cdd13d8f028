/**
 * Changes to a credit that come from a convenio (SPEC §6): the restructure its approval applies
 * (CNV-4), the cancellation of the restructure's benefits when it breaks (CNV-5), and the hand-over
 * to Recuperación Especializada (CNV-6). The portfolio owns `credits`; other modules call these.
 */
import type { Executor } from '../../db/index.js';

export interface RestructureTerms {
  balanceCents: bigint;
  monthlyPaymentCents: bigint;
  paymentFactor: string;
  interestRateBp: number;
  /** Months still to pay under the new terms. */
  remainingTermMonths: number;
}

/** The credit's terms before the restructure, kept with the servicing record. */
export interface CreditTermsSnapshot {
  denomination: 'VSM' | 'MXN';
  balanceCents: string;
  balanceVsm: string | null;
  monthlyPaymentCents: string;
  paymentFactor: string;
  interestRateBp: number;
  termMonths: number;
  paymentsMade: number;
  monthsInArrears: number;
  activeRestructure: boolean;
}

/** The terms a convenio records before it changes them (CNV-1) and the servicing record keeps (CNV-4). */
export function creditTermsSnapshot(credit: {
  denomination: 'VSM' | 'MXN';
  balance_cents: bigint;
  balance_vsm: string | null;
  monthly_payment_cents: bigint;
  payment_factor: string;
  interest_rate_bp: number;
  term_months: number;
  payments_made: number;
  months_in_arrears: number;
  active_restructure: boolean;
}): CreditTermsSnapshot {
  return {
    denomination: credit.denomination,
    balanceCents: credit.balance_cents.toString(),
    balanceVsm: credit.balance_vsm,
    monthlyPaymentCents: credit.monthly_payment_cents.toString(),
    paymentFactor: credit.payment_factor,
    interestRateBp: credit.interest_rate_bp,
    termMonths: credit.term_months,
    paymentsMade: credit.payments_made,
    monthsInArrears: credit.months_in_arrears,
    activeRestructure: credit.active_restructure,
  };
}

/**
 * CNV-4: applies the convenio's terms to the credit — in pesos, arrears regularised, "active
 * restructure" set (EXC-3 excludes it from the next monthly runs) — and writes the servicing
 * record (PR "Salidas": credit, borrower, convenio, payment factor). Returns the terms before.
 */
export async function applyRestructure(
  trx: Executor,
  input: { creditNumber: string; convenioId: number; folio: string; terms: RestructureTerms; appliedOn: string; userId: number; now: Date },
): Promise<CreditTermsSnapshot> {
  const credit = await trx
    .selectFrom('credits')
    .select([
      'borrower_name',
      'denomination',
      'balance_cents',
      'balance_vsm',
      'monthly_payment_cents',
      'payment_factor',
      'interest_rate_bp',
      'term_months',
      'payments_made',
      'months_in_arrears',
      'active_restructure',
    ])
    .where('credit_number', '=', input.creditNumber)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const before = creditTermsSnapshot(credit);
  const { terms } = input;
  await trx
    .updateTable('credits')
    .set({
      denomination: 'MXN',
      balance_vsm: null,
      balance_cents: terms.balanceCents,
      monthly_payment_cents: terms.monthlyPaymentCents,
      payment_factor: terms.paymentFactor,
      interest_rate_bp: terms.interestRateBp,
      term_months: credit.payments_made + terms.remainingTermMonths,
      months_in_arrears: 0,
      active_restructure: true,
      updated_at: input.now,
    })
    .where('credit_number', '=', input.creditNumber)
    .execute();
  await trx
    .insertInto('restructures')
    .values({
      convenio_id: input.convenioId,
      credit_number: input.creditNumber,
      borrower_name: credit.borrower_name,
      folio: input.folio,
      applied_on: input.appliedOn,
      balance_cents: terms.balanceCents,
      monthly_payment_cents: terms.monthlyPaymentCents,
      payment_factor: terms.paymentFactor,
      interest_rate_bp: terms.interestRateBp,
      term_months: terms.remainingTermMonths,
      before: JSON.stringify(before),
      applied_by_user_id: input.userId,
      applied_at: input.now,
    })
    .execute();
  return before;
}

/** CNV-6: the credit passes to the Recuperación Especializada segment. */
export async function moveToSpecializedRecovery(trx: Executor, creditNumber: string, now: Date): Promise<void> {
  await trx.updateTable('credits').set({ segment: 'recuperacion_especializada', updated_at: now }).where('credit_number', '=', creditNumber).execute();
}
