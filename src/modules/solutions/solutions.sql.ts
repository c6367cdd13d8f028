/**
 * The availability conditions of solutions.rules.ts as one SQL predicate over `credits`
 * (alias c), for set-based use in the monthly run (EXC-8). Parameters are bound, never inlined.
 */
import { sql, type RawBuilder } from 'kysely';
import type { SolutionParameters } from './solutions.policy.js';

export function anySolutionAvailableSql(p: SolutionParameters): RawBuilder<boolean> {
  const alternatives: RawBuilder<unknown>[] = [];
  if (p['SOL-1'].enabled) {
    alternatives.push(
      sql`(c.denomination = 'VSM'${p['SOL-1'].excludeCofinanced ? sql` AND NOT c.cofinanced` : sql``}
        AND (c.borrower_monthly_income_cents IS NOT NULL${p['SOL-1'].pensionAsIncome ? sql` OR c.borrower_monthly_pension_cents IS NOT NULL` : sql``}))`,
    );
  }
  if (p['SOL-2'].enabled) alternatives.push(sql`(c.months_in_arrears >= ${p['SOL-2'].minMonthsInArrears})`);
  if (p['SOL-3'].enabled) {
    alternatives.push(
      sql`(c.balance_cents * 10000 <= c.original_amount_cents * ${p['SOL-3'].maxBalanceShareBp}::bigint AND c.balance_cents > 0${
        p['SOL-3'].excludeCofinanced ? sql` AND NOT c.cofinanced` : sql``
      })`,
    );
  }
  if (p['SOL-4'].enabled) {
    alternatives.push(
      sql`(c.months_in_arrears BETWEEN ${p['SOL-4'].minMonthsInArrears} AND ${p['SOL-4'].maxMonthsInArrears}
        AND c.term_months - c.payments_made >= ${p['SOL-4'].minRemainingPayments}
        ${p['SOL-4'].requiresUnemploymentInsuranceExhausted ? sql`AND c.unemployment_insurance_exhausted` : sql``}
        AND c.legal_stage = 'none')`,
    );
  }
  if (p['SOL-5'].enabled) {
    // mulDivRound in integers: pension × share rounded half up to the cent, as the rules compute it
    alternatives.push(
      sql`(c.is_retired AND c.payments_made >= ${p['SOL-5'].minPaymentsMade} AND c.legal_stage = 'none'
        AND c.balance_cents > 0 AND c.term_months - c.payments_made >= 1
        AND c.borrower_monthly_pension_cents IS NOT NULL
        AND (c.borrower_monthly_pension_cents * ${p['SOL-5'].pensionShareBp}::bigint * 2 + 10000) / 20000 < c.monthly_payment_cents)`,
    );
  }
  if (alternatives.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(alternatives, sql` OR `)})`;
}
