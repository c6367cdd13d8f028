/**
 * The solutions catalogue of one credit, read within the caller's scope (SEC-2): availability and
 * exact terms of SOL-1..5 under the policy in force (SPEC §8). The read is logged (SEC-4): the
 * terms come from the borrower's income, pension and balance.
 */
import type { Selectable } from 'kysely';
import { fixedClock, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { CreditsTable } from '../../db/schema.js';
import { notFound } from '../../errors.js';
import { centsToNumber } from '../../money.js';
import { logPersonalDataRead } from '../audit/audit.service.js';
import { createHolidayCalendar } from '../deadlines/deadlines.rules.js';
import type { AuthUser } from '../identity/identity.service.js';
import { getPolicyInForce } from '../policy/policy.service.js';
import { findCredit } from '../portfolio/credits.repository.js';
import type { TCreditSolutions, TSolutionOffer, TSolutionTerms } from './solutions.schemas.js';
import { solutionCatalogue, type CreditForSolutions, type SolutionOffer, type SolutionTerms } from './solutions.terms.js';

/** The columns of `credits` the catalogue reads. */
export type CreditRowForSolutions = Pick<
  Selectable<CreditsTable>,
  | 'denomination'
  | 'cofinanced'
  | 'months_in_arrears'
  | 'balance_cents'
  | 'original_amount_cents'
  | 'term_months'
  | 'payments_made'
  | 'unemployment_insurance_exhausted'
  | 'is_retired'
  | 'legal_stage'
  | 'balance_vsm'
  | 'monthly_payment_cents'
  | 'payment_factor'
  | 'insurance_fees_cents'
  | 'interest_rate_bp'
  | 'borrower_monthly_income_cents'
  | 'borrower_monthly_pension_cents'
  | 'regime'
>;

/** A `credits` row as the facts the catalogue reads. */
export function creditForSolutions(row: CreditRowForSolutions): CreditForSolutions {
  return {
    denomination: row.denomination,
    cofinanced: row.cofinanced,
    monthsInArrears: row.months_in_arrears,
    balanceCents: BigInt(row.balance_cents),
    originalAmountCents: BigInt(row.original_amount_cents),
    termMonths: row.term_months,
    paymentsMade: row.payments_made,
    unemploymentInsuranceExhausted: row.unemployment_insurance_exhausted,
    isRetired: row.is_retired,
    legalStage: row.legal_stage,
    balanceVsm: row.balance_vsm,
    monthlyPaymentCents: BigInt(row.monthly_payment_cents),
    paymentFactor: row.payment_factor,
    insuranceFeesCents: BigInt(row.insurance_fees_cents),
    interestRateBp: row.interest_rate_bp,
    borrowerMonthlyIncomeCents: row.borrower_monthly_income_cents === null ? null : BigInt(row.borrower_monthly_income_cents),
    borrowerMonthlyPensionCents: row.borrower_monthly_pension_cents === null ? null : BigInt(row.borrower_monthly_pension_cents),
    regime: row.regime,
  };
}

/** The terms with cents as JSON-safe numbers. */
export function solutionTermsToJson(terms: SolutionTerms): TSolutionTerms {
  return {
    solution: terms.solution,
    balanceBeforeCents: centsToNumber(terms.balanceBeforeCents),
    discountCents: centsToNumber(terms.discountCents),
    balanceAfterCents: centsToNumber(terms.balanceAfterCents),
    capitalisedArrearsCents: centsToNumber(terms.capitalisedArrearsCents),
    monthlyPaymentCents: centsToNumber(terms.monthlyPaymentCents),
    insuranceFeesCents: centsToNumber(terms.insuranceFeesCents),
    totalMonthlyPaymentCents: centsToNumber(terms.totalMonthlyPaymentCents),
    paymentFactor: terms.paymentFactor,
    interestRateBp: terms.interestRateBp,
    termMonths: terms.termMonths,
    denomination: terms.denomination,
    firstPaymentCents: centsToNumber(terms.firstPaymentCents),
    firstPaymentDueOn: terms.firstPaymentDueOn,
    ...(terms.benefit !== undefined ? { benefit: terms.benefit } : {}),
    explanation: terms.explanation,
  };
}

export function solutionOfferToJson(offer: SolutionOffer): TSolutionOffer {
  return {
    solution: offer.solution,
    name: offer.name,
    available: offer.available,
    conditions: offer.conditions.map((condition) => ({ description: condition.description, passed: condition.passed })),
    ...(offer.terms ? { terms: solutionTermsToJson(offer.terms) } : {}),
    ...(offer.termsUnavailableReason !== undefined ? { termsUnavailableReason: offer.termsUnavailableReason } : {}),
  };
}

/**
 * The catalogue of a credit in the caller's scope as of `today`; NOT_FOUND when the credit does not
 * exist or is outside the scope, so that existence does not leak. `now` stamps the read log
 * (default: midday of `today` in Mexico City).
 */
export async function getCreditSolutions(
  db: Executor,
  user: AuthUser,
  creditNumber: string,
  today: IsoDate,
  options: { now?: Date } = {},
): Promise<TCreditSolutions> {
  const row = await findCredit(db, user.scope, creditNumber);
  if (!row) throw notFound('Crédito');
  const parameters = await getPolicyInForce(db, 'solution_parameters', today);
  const holidayPolicy = await getPolicyInForce(db, 'holiday_calendar', today);
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, options.now ?? fixedClock(today).now(), [row.credit_number], 'solutions');
  const offers = solutionCatalogue(creditForSolutions(row), parameters.value, today, createHolidayCalendar(holidayPolicy.value));
  return {
    creditNumber: row.credit_number,
    on: today,
    policy: {
      solutionParametersVersion: parameters.version,
      solutionParametersEffectiveFrom: parameters.effectiveFrom,
      holidayCalendarVersion: holidayPolicy.version,
    },
    solutions: offers.map(solutionOfferToJson),
  };
}
