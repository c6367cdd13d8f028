/**
 * The resulting terms of SOL-1..5 (SPEC §8): hand-computed figures for each solution, the first
 * payment deadline, the policy's defaults for stored old-shape versions, and properties over random
 * credits and policies (no rounding leak, the annuity covers the balance, discounts never negative,
 * SOL-5 never raises the payment, SOL-3 is exactly half rounded once, availability unchanged).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../clock.js';
import { createHolidayCalendar, isBusinessDay, MEXICAN_HOLIDAYS } from '../deadlines/deadlines.rules.js';
import { DEFAULT_SOLUTION_PARAMETERS, ZSolutionParameters, type SolutionParameters } from './solutions.policy.js';
import { solutionAvailability, type SolutionId } from './solutions.rules.js';
import {
  annuityPaymentCents,
  firstPaymentDueOn,
  paymentFactorText,
  paymentsToPayOff,
  rateBpForUmaTenths,
  solutionCatalogue,
  umaTenthsOfIncome,
  type CreditForSolutions,
  type SolutionOffer,
  type SolutionTerms,
} from './solutions.terms.js';

const ON: IsoDate = '2026-11-23';
const P = DEFAULT_SOLUTION_PARAMETERS;

/**
 * A peso credit: balance $200,000.00 of $300,000.00 lent, 120 of 300 payments made, 3 in arrears,
 * 10 % a year, payment $2,500.00 plus $300.00 of insurance and fees, income $12,000.00.
 */
const base: CreditForSolutions = {
  denomination: 'MXN',
  cofinanced: false,
  monthsInArrears: 3,
  balanceCents: 20_000_000n,
  originalAmountCents: 30_000_000n,
  termMonths: 300,
  paymentsMade: 120,
  unemploymentInsuranceExhausted: true,
  isRetired: false,
  legalStage: 'none',
  balanceVsm: null,
  monthlyPaymentCents: 250_000n,
  paymentFactor: '8.333333',
  insuranceFeesCents: 30_000n,
  interestRateBp: 1000,
  borrowerMonthlyIncomeCents: 1_200_000n,
  borrowerMonthlyPensionCents: null,
  regime: 'REA',
};

function offerOf(credit: CreditForSolutions, solution: SolutionId, parameters: SolutionParameters = P): SolutionOffer {
  return solutionCatalogue(credit, parameters, ON, MEXICAN_HOLIDAYS).find((offer) => offer.solution === solution)!;
}

function termsOf(credit: CreditForSolutions, solution: SolutionId, parameters: SolutionParameters = P): SolutionTerms {
  const offer = offerOf(credit, solution, parameters);
  expect(offer.available, JSON.stringify(offer.conditions)).toBe(true);
  expect(offer.termsUnavailableReason).toBeUndefined();
  return offer.terms!;
}

// ------------------------------------------------------------------------------------------------
// Exact arithmetic
// ------------------------------------------------------------------------------------------------

describe('the annuity, exact and rounded once', () => {
  it('matches hand-computed payments', () => {
    // 161,333.25 at 3.05 % over 240 months: i = 0.0305/12, P = S·i/(1 − (1+i)^−240) = 898.7939 → 898.79
    expect(annuityPaymentCents(16_133_325n, 305, 240)).toBe(89_879n);
    // 200,900.00 at 10 % over 183 months → 2,143.62; over 240 months → 1,938.73
    expect(annuityPaymentCents(20_090_000n, 1000, 183)).toBe(214_362n);
    expect(annuityPaymentCents(20_090_000n, 1000, 240)).toBe(193_873n);
    // 12,000.00 at 12 % over 12 months: the textbook 1,066.1854 → 1,066.19
    expect(annuityPaymentCents(1_200_000n, 1200, 12)).toBe(106_619n);
    // one month: the balance plus one month of interest (1,000.00 × 1.01)
    expect(annuityPaymentCents(100_000n, 1200, 1)).toBe(101_000n);
  });

  it('a rate of 0 divides the balance, rounded half up', () => {
    expect(annuityPaymentCents(1_000_001n, 0, 3)).toBe(333_334n); // 333,333.67 → 333,334
    expect(annuityPaymentCents(5n, 0, 2)).toBe(3n); // 2.5 → 3 (half up)
    expect(annuityPaymentCents(0n, 850, 120)).toBe(0n);
  });

  it('refuses a term that is not a positive whole number of months', () => {
    expect(() => annuityPaymentCents(100n, 500, 0)).toThrow(RangeError);
    expect(() => annuityPaymentCents(100n, 500, 1.5)).toThrow(RangeError);
  });

  it('property: within half a cent of the exact payment, so n payments cover the balance within less than one cent per payment', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2_000_000_000n }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 480 }), (s, bp, n) => {
        const payment = annuityPaymentCents(s, bp, n);
        expect(payment).toBeGreaterThanOrEqual(0n);
        if (bp === 0) {
          const gap = s - payment * BigInt(n);
          expect(gap < BigInt(n) && -gap < BigInt(n)).toBe(true);
          return;
        }
        const q = 120_000n;
        const r = q + BigInt(bp);
        const rn = r ** BigInt(n);
        const qn = q ** BigInt(n);
        // exact payment N/D; |P − N/D| ≤ 1/2
        const numerator = s * BigInt(bp) * rn;
        const denominator = q * (rn - qn);
        const twice = 2n * payment * denominator - 2n * numerator;
        expect(twice <= denominator && -twice <= denominator).toBe(true);
        // balance after n payments, times bp·q^n: S·bp·r^n − P·q·(r^n − q^n); less than one cent per payment compounded
        const residual = numerator - payment * q * (rn - qn);
        const oneCentPerPayment = q * (rn - qn);
        expect(residual < oneCentPerPayment && -residual < oneCentPerPayment).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('property: agrees with a floating-point annuity to the cent (sanity check, not the reference)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 360 }), (s, bp, n) => {
        const i = bp / 120_000;
        const approximate = (s * i) / (1 - (1 + i) ** -n);
        expect(Math.abs(Number(annuityPaymentCents(BigInt(s), bp, n)) - approximate)).toBeLessThanOrEqual(0.5 + 1e-6);
      }),
      { numRuns: 200 },
    );
  });
});

describe('payments to pay off a balance with a given payment', () => {
  it('matches hand-computed counts', () => {
    // 200,900.00 at 10 % with 2,500.00: n = ln(P / (P − S·i)) / ln(1 + i) = ln(3.02724) / ln(1.0083333) = 133.47 → 134
    expect(paymentsToPayOff(20_090_000n, 1000, 250_000n, 360)).toBe(134);
    expect(paymentsToPayOff(20_090_000n, 1000, 250_000n, 133)).toBeUndefined();
    // 200,000.00 at 10 % with 2,000.00: ln(6) / ln(1.0083333) = 215.9 → 216
    expect(paymentsToPayOff(20_000_000n, 1000, 200_000n, 360)).toBe(216);
    // the payment does not cover the interest (1,666.67 a month)
    expect(paymentsToPayOff(20_000_000n, 1000, 166_666n, 600)).toBeUndefined();
    // no interest: ceil(1,000.00 / 300.00) = 4
    expect(paymentsToPayOff(100_000n, 0, 30_000n, 12)).toBe(4);
  });

  it('property: n payments pay off the balance and n − 1 do not (exact)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100_000_000n }), fc.integer({ min: 0, max: 1500 }), fc.bigInt({ min: 1n, max: 5_000_000n }), (s, bp, payment) => {
        const n = paymentsToPayOff(s, bp, payment, 480);
        const balanceAfter = (k: number) => {
          // exact balance after k payments, scaled by bp·q^k (for bp > 0) or plain (bp = 0)
          if (bp === 0) return s - payment * BigInt(k);
          const q = 120_000n;
          const r = q + BigInt(bp);
          return s * BigInt(bp) * r ** BigInt(k) - payment * q * (r ** BigInt(k) - q ** BigInt(k));
        };
        if (n === undefined) {
          expect(balanceAfter(480)).toBeGreaterThan(0n);
          return;
        }
        expect(balanceAfter(n)).toBeLessThanOrEqual(0n);
        expect(balanceAfter(n - 1)).toBeGreaterThan(0n);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the payment factor (payment per 1,000 of the balance, 6 decimals)', () => {
  it('is exact decimal text, rounded half up', () => {
    expect(paymentFactorText(89_879n, 16_133_325n)).toBe('5.571015');
    expect(paymentFactorText(250_000n, 20_090_000n)).toBe('12.444002');
    expect(paymentFactorText(1n, 2_000_000_000n)).toBe('0.000001'); // 0.0000005 → half up
    expect(paymentFactorText(3_000_000n, 3_000_000n)).toBe('1000.000000');
    expect(paymentFactorText(0n, 0n)).toBe('0.000000');
  });
});

describe('SOL-1 rate bands in UMA multiples (2021 table, UMA 2026)', () => {
  it('measures income in tenths of the monthly UMA (117.31 × 30.4 = 3,566.224), rounded down', () => {
    expect(umaTenthsOfIncome(700_000n, 11731)).toBe(19); // 7,000 / 3,566.224 = 1.963
    expect(umaTenthsOfIncome(534_934n, 11731)).toBe(15); // 1.5000 UMA
    expect(umaTenthsOfIncome(534_933n, 11731)).toBe(14);
    expect(umaTenthsOfIncome(0n, 11731)).toBe(0);
  });

  it.each([
    [0, 191], // below 1.5 UMA: the lowest rate
    [15, 191],
    [19, 305], // 1.91 % + (3.33 − 1.91) × 4/5 = 3.046 → 3.05 %
    [20, 333],
    [21, 355],
    [25, 442], // 3.55 % + 1.96 × 4/9 = 4.421 → 4.42 %
    [30, 551],
    [60, 1042],
    [61, 1045],
    [200, 1045], // above the table: the top rate
  ])('%i tenths of UMA → %i bp', (tenths, rateBp) => {
    expect(rateBpForUmaTenths(tenths, P['SOL-1'].rateBands)).toBe(rateBp);
  });
});

// ------------------------------------------------------------------------------------------------
// Each solution, hand-computed
// ------------------------------------------------------------------------------------------------

describe('SOL-1 Responsabilidad Compartida', () => {
  // The public example's balance: 215,111.00. Income 7,000.00 = 1.9 UMA → 3.05 %; 240 payments left.
  const vsm: CreditForSolutions = {
    ...base,
    denomination: 'VSM',
    monthsInArrears: 0,
    balanceCents: 21_511_100n,
    balanceVsm: '70.1909',
    originalAmountCents: 25_000_000n,
    termMonths: 360,
    borrowerMonthlyIncomeCents: 700_000n,
    insuranceFeesCents: 15_000n,
    regime: 'ROA',
  };

  it('SOL-1: 25 % off 215,111.00, fixed payment at the band rate over the remaining term', () => {
    const terms = termsOf(vsm, 'SOL-1');
    expect(terms).toMatchObject({
      solution: 'SOL-1',
      balanceBeforeCents: 21_511_100n,
      discountCents: 5_377_775n, // 215,111.00 × 25 % = 53,777.75
      balanceAfterCents: 16_133_325n, // 161,333.25
      capitalisedArrearsCents: 0n,
      interestRateBp: 305,
      termMonths: 240,
      monthlyPaymentCents: 89_879n, // 898.79
      insuranceFeesCents: 15_000n,
      totalMonthlyPaymentCents: 104_879n, // 1,048.79
      paymentFactor: '5.571015',
      denomination: 'MXN',
      firstPaymentCents: 104_879n,
      firstPaymentDueOn: '2026-12-31',
    });
    expect(terms.benefit).toMatch(/aportación patronal del 5%/);
    expect(terms.explanation.join('\n')).toMatch(/1\.9 veces la UMA mensual \(\$3,566\.22 = \$117\.31 diarios × 30\.4\)/);
    expect(terms.explanation.join('\n')).toMatch(/3\.05% anual/);
  });

  it('SOL-1: with no income registered a retired borrower is placed by his pension; with neither, not available, with the condition failed (EXC-8 reads the same)', () => {
    const retired = { ...vsm, borrowerMonthlyIncomeCents: null, borrowerMonthlyPensionCents: 700_000n };
    expect(termsOf(retired, 'SOL-1').interestRateBp).toBe(305);
    expect(termsOf(retired, 'SOL-1').explanation.join('\n')).toMatch(/se toma la pensión mensual/);
    const unknown = offerOf({ ...vsm, borrowerMonthlyIncomeCents: null, borrowerMonthlyPensionCents: null }, 'SOL-1');
    expect(unknown.available).toBe(false);
    expect(unknown.terms).toBeUndefined();
    expect(unknown.conditions.find((c) => !c.passed)?.description).toMatch(/ingreso mensual/);
    const noPensionRule = structuredClone(P);
    noPensionRule['SOL-1'].pensionAsIncome = false;
    expect(offerOf(retired, 'SOL-1', noPensionRule).available).toBe(false);
  });

  it('SOL-1: the discount and the UMA are policy values', () => {
    const policy = structuredClone(P);
    policy['SOL-1'].discountBp = 5500;
    policy['SOL-1'].umaDailyCents = 8962; // 2021: 7,000 / 2,724.45 = 2.5 UMA → 4.42 %
    const terms = termsOf(vsm, 'SOL-1', policy);
    expect(terms.discountCents).toBe(11_831_105n); // 215,111.00 × 55 % = 118,311.05
    expect(terms.balanceAfterCents).toBe(9_679_995n);
    expect(terms.interestRateBp).toBe(442);
  });

  it('SOL-1: a peso credit is not available and gets no terms', () => {
    const offer = offerOf(base, 'SOL-1');
    expect(offer.available).toBe(false);
    expect(offer.terms).toBeUndefined();
    expect(offer.termsUnavailableReason).toBeUndefined();
  });
});

describe('SOL-2 Reestructura', () => {
  it('SOL-2: unpaid insurance and fees capitalised, term extended by the months in arrears, payment at the credit rate', () => {
    const terms = termsOf(base, 'SOL-2');
    expect(terms).toMatchObject({
      capitalisedArrearsCents: 90_000n, // 3 × 300.00
      balanceBeforeCents: 20_090_000n, // 200,000.00 + 900.00
      discountCents: 0n,
      balanceAfterCents: 20_090_000n,
      interestRateBp: 1000,
      termMonths: 183, // 180 left + 3 in arrears
      monthlyPaymentCents: 214_362n, // 2,143.62
      totalMonthlyPaymentCents: 244_362n,
      paymentFactor: '10.670085',
      firstPaymentCents: 244_362n,
      firstPaymentDueOn: '2026-12-31',
    });
    expect(terms.benefit).toBeUndefined();
  });

  it('SOL-2: the term is capped at the policy maximum of payments in all, never below the current remaining term', () => {
    const terms = termsOf({ ...base, termMonths: 360 }, 'SOL-2'); // 240 left + 3 > 360 − 120
    expect(terms.termMonths).toBe(240);
    expect(terms.monthlyPaymentCents).toBe(193_873n); // 1,938.73
    const longer = termsOf({ ...base, termMonths: 400 }, 'SOL-2'); // already beyond the maximum
    expect(longer.termMonths).toBe(280);
    const noneLeft = offerOf({ ...base, termMonths: 360, paymentsMade: 360 }, 'SOL-2');
    expect(noneLeft.available).toBe(true);
    expect(noneLeft.termsUnavailableReason).toMatch(/No queda plazo/);
  });
});

describe('SOL-3 Descuento por Liquidación Anticipada', () => {
  const small: CreditForSolutions = { ...base, balanceCents: 6_000_001n, monthsInArrears: 0 }; // 20.0000033 % of 300,000.00

  it('SOL-3: 50 % of the balance rounded once (30,000.005 → 30,000.01), one exact payment of the rest by the deadline', () => {
    const terms = termsOf(small, 'SOL-3');
    expect(terms).toMatchObject({
      balanceBeforeCents: 6_000_001n,
      discountCents: 3_000_001n,
      balanceAfterCents: 3_000_000n,
      monthlyPaymentCents: 3_000_000n,
      insuranceFeesCents: 0n,
      totalMonthlyPaymentCents: 3_000_000n,
      firstPaymentCents: 3_000_000n,
      paymentFactor: '1000.000000',
      interestRateBp: 0,
      termMonths: 1,
      firstPaymentDueOn: '2026-12-31',
    });
    expect(terms.explanation.join('\n')).toMatch(/Es el 20% del monto original/);
    expect(terms.explanation.join('\n')).toMatch(/Si paga menos, el pago se abona al saldo sin descuento/);
  });

  it('SOL-3: above 25 % of the original debt there is no offer', () => {
    expect(offerOf({ ...small, balanceCents: 7_500_001n }, 'SOL-3').terms).toBeUndefined();
    expect(termsOf({ ...small, balanceCents: 7_500_000n }, 'SOL-3').discountCents).toBe(3_750_000n);
  });
});

describe('SOL-4 Borrón y Cuenta Nueva', () => {
  it('SOL-4: arrears added to the debt, the same payment, the term it takes to pay off; bonus of interest from the 3rd owed month (3 owed, REA)', () => {
    const terms = termsOf(base, 'SOL-4');
    expect(terms).toMatchObject({
      capitalisedArrearsCents: 90_000n,
      balanceBeforeCents: 20_090_000n,
      balanceAfterCents: 20_090_000n,
      discountCents: 0n,
      monthlyPaymentCents: 250_000n, // unchanged
      totalMonthlyPaymentCents: 280_000n,
      interestRateBp: 1000,
      termMonths: 134, // 134 payments of 2,500.00 pay off 200,900.00 at 10 %
      paymentFactor: '12.444002',
      firstPaymentCents: 280_000n,
    });
    expect(terms.benefit).toMatch(/se le condonan los intereses a partir de la mensualidad omisa número 3 y los adeudos de seguros y cuotas \(\$900\.00\)/);
    expect(terms.benefit).toMatch(/3 pagos mensuales completos y consecutivos \(REA\)/);
  });

  it('SOL-4: 1–2 owed → one monthly payment to capital, applied after one employer bimonthly payment (ROA)', () => {
    const terms = termsOf({ ...base, monthsInArrears: 2, regime: 'ROA' }, 'SOL-4');
    expect(terms.capitalisedArrearsCents).toBe(60_000n);
    expect(terms.benefit).toMatch(/bonificación de una mensualidad sin seguros ni cuotas \(\$2,500\.00\) que se abona a capital/);
    expect(terms.benefit).toMatch(/pago bimestral completo de su patrón \(ROA\)/);
  });

  it('SOL-4: when the same payment cannot pay off the debt within the maximum term, no exact terms and the reason', () => {
    const offer = offerOf({ ...base, paymentsMade: 250, termMonths: 300 }, 'SOL-4'); // 110 allowed, 134 needed
    expect(offer.available).toBe(true);
    expect(offer.terms).toBeUndefined();
    expect(offer.termsUnavailableReason).toMatch(/no se liquida dentro del plazo/);
    expect(offerOf({ ...base, monthlyPaymentCents: 160_000n }, 'SOL-4').termsUnavailableReason).toMatch(/Reestructura \(SOL-2\)/);
  });
});

describe('SOL-5 Apoyo a Jubilados', () => {
  const retired: CreditForSolutions = {
    ...base,
    isRetired: true,
    monthsInArrears: 0,
    paymentsMade: 120,
    termMonths: 360,
    borrowerMonthlyIncomeCents: null,
    borrowerMonthlyPensionCents: 800_000n,
  };

  it('SOL-5: 25 % of the pension plus insurance and fees; the term is what the payment takes to pay off, within the remaining term', () => {
    const terms = termsOf(retired, 'SOL-5');
    expect(terms).toMatchObject({
      balanceBeforeCents: 20_000_000n,
      discountCents: 0n,
      balanceAfterCents: 20_000_000n,
      monthlyPaymentCents: 200_000n, // 25 % × 8,000.00
      insuranceFeesCents: 30_000n,
      totalMonthlyPaymentCents: 230_000n,
      interestRateBp: 1000,
      termMonths: 216, // ln(6) / ln(1.0083333) = 215.9
      paymentFactor: '10.000000',
      firstPaymentCents: 230_000n,
    });
  });

  it('SOL-5: when the payment does not pay off the balance in the remaining term, the term stays and the explanation says so', () => {
    const terms = termsOf({ ...retired, borrowerMonthlyPensionCents: 700_000n }, 'SOL-5'); // 1,750.00 a month
    expect(terms.termMonths).toBe(240);
    expect(terms.explanation.join('\n')).toMatch(/quedaría saldo sin cubrir/);
  });

  it('SOL-5: never above the current payment — a pension share not below it makes it unavailable, with the condition failed (EXC-8 reads the same)', () => {
    const equal = offerOf({ ...retired, borrowerMonthlyPensionCents: 1_000_000n }, 'SOL-5'); // 2,500.00 = current
    expect(equal.available).toBe(false);
    expect(equal.terms).toBeUndefined();
    expect(equal.conditions.find((c) => !c.passed)?.description).toMatch(/menor que la mensualidad actual/);
    expect(offerOf({ ...retired, borrowerMonthlyPensionCents: null }, 'SOL-5').available).toBe(false);
  });

  it('SOL-5: the share rounds half up to the cent once', () => {
    expect(termsOf({ ...retired, borrowerMonthlyPensionCents: 800_002n }, 'SOL-5').monthlyPaymentCents).toBe(200_001n); // 2,000.005 → 2,000.01
  });
});

// ------------------------------------------------------------------------------------------------
// First payment deadline
// ------------------------------------------------------------------------------------------------

describe('the first payment is due by the last business day of the month after the offer', () => {
  it.each([
    ['2026-11-23', '2026-12-31'], // Thursday
    ['2027-01-10', '2027-02-26'], // 28 Feb 2027 is a Sunday → Friday 26
    ['2026-04-15', '2026-05-29'], // 31 May 2026 is a Sunday → Friday 29
    ['2026-12-31', '2027-01-29'], // across the year; 31 Jan 2027 is a Sunday
  ])('offered on %s → due on %s', (on, due) => {
    expect(firstPaymentDueOn(on, P, MEXICAN_HOLIDAYS)).toBe(due);
  });

  it('skips the non-working days of the holiday policy', () => {
    const calendar = createHolidayCalendar({ statutoryRestDays: true, extraNonWorkingDays: [{ date: '2026-12-31', name: 'Cierre de año' }] });
    expect(firstPaymentDueOn(ON, P, calendar)).toBe('2026-12-30');
  });

  it('the number of months after is a policy value (0 = the same month)', () => {
    const sameMonth = structuredClone(P);
    sameMonth.firstPayment.monthsAfter = 0;
    expect(firstPaymentDueOn(ON, sameMonth, MEXICAN_HOLIDAYS)).toBe('2026-11-30');
  });

  it('property: a business day of the month after, and the last one of that month', () => {
    const date = fc.integer({ min: 0, max: 365 * 60 }).map((offset) => addDays('2000-01-01', offset));
    fc.assert(
      fc.property(date, fc.array(date, { maxLength: 15 }), (on, extra) => {
        const holidays = createHolidayCalendar({
          statutoryRestDays: true,
          extraNonWorkingDays: [...new Set(extra)].map((day) => ({ date: day, name: 'Día inhábil' })),
        });
        const due = firstPaymentDueOn(on, P, holidays);
        expect(isBusinessDay(due, holidays)).toBe(true);
        const [year, month] = [Number(on.slice(0, 4)), Number(on.slice(5, 7))];
        const expectedMonth = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
        expect(due.slice(0, 7)).toBe(expectedMonth);
        for (let day = addDays(due, 1); day.slice(0, 7) === expectedMonth; day = addDays(day, 1)) {
          expect(isBusinessDay(day, holidays)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});

// ------------------------------------------------------------------------------------------------
// The policy
// ------------------------------------------------------------------------------------------------

describe('the policy value (solution_parameters)', () => {
  it('a version stored before the terms existed still parses, with the documented defaults', () => {
    const stored = {
      'SOL-1': { enabled: true, excludeCofinanced: true },
      'SOL-2': { enabled: true, minMonthsInArrears: 1 },
      'SOL-3': { enabled: true, maxBalanceShareBp: 2500, discountBp: 5000, excludeCofinanced: true },
      'SOL-4': { enabled: true, minMonthsInArrears: 1, maxMonthsInArrears: 9, minRemainingPayments: 12, requiresUnemploymentInsuranceExhausted: true },
      'SOL-5': { enabled: true, minPaymentsMade: 120, pensionShareBp: 2500 },
    };
    expect(ZSolutionParameters.parse(stored)).toEqual(DEFAULT_SOLUTION_PARAMETERS);
    expect(ZSolutionParameters.parse(DEFAULT_SOLUTION_PARAMETERS)).toEqual(DEFAULT_SOLUTION_PARAMETERS);
  });

  it('refuses overlapping rate bands', () => {
    const bad = structuredClone(DEFAULT_SOLUTION_PARAMETERS);
    bad['SOL-1'].rateBands = [
      { fromUmaTenths: 15, toUmaTenths: 25, fromRateBp: 191, toRateBp: 333 },
      { fromUmaTenths: 20, toUmaTenths: 30, fromRateBp: 355, toRateBp: 551 },
    ];
    expect(ZSolutionParameters.safeParse(bad).success).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------------
// Properties of the catalogue over random credits and policies
// ------------------------------------------------------------------------------------------------

const creditArbitrary: fc.Arbitrary<CreditForSolutions> = fc
  .record({
    denomination: fc.constantFrom('VSM' as const, 'MXN' as const),
    cofinanced: fc.boolean(),
    monthsInArrears: fc.integer({ min: 0, max: 14 }),
    balanceCents: fc.oneof(fc.bigInt({ min: 0n, max: 150_000_000n }), fc.bigInt({ min: 1n, max: 5_000_000n })),
    originalAmountCents: fc.bigInt({ min: 1n, max: 150_000_000n }),
    termMonths: fc.integer({ min: 1, max: 400 }),
    paymentsMade: fc.integer({ min: 0, max: 400 }),
    unemploymentInsuranceExhausted: fc.boolean(),
    isRetired: fc.boolean(),
    legalStage: fc.constantFrom('none', 'none', 'lawsuit_filed'),
    monthlyPaymentCents: fc.bigInt({ min: 0n, max: 3_000_000n }),
    insuranceFeesCents: fc.bigInt({ min: 0n, max: 60_000n }),
    interestRateBp: fc.integer({ min: 0, max: 1500 }),
    borrowerMonthlyIncomeCents: fc.option(fc.bigInt({ min: 0n, max: 10_000_000n }), { nil: null }),
    borrowerMonthlyPensionCents: fc.option(fc.bigInt({ min: 0n, max: 5_000_000n }), { nil: null }),
    regime: fc.constantFrom('ROA' as const, 'REA' as const),
  })
  .map((facts) => ({ ...facts, balanceVsm: facts.denomination === 'VSM' ? '100.0000' : null, paymentFactor: '5.000000' }));

const parametersArbitrary: fc.Arbitrary<SolutionParameters> = fc
  .record({
    sol1Discount: fc.integer({ min: 0, max: 10000 }),
    sol3Discount: fc.integer({ min: 0, max: 10000 }),
    sol3Share: fc.integer({ min: 1, max: 10000 }),
    pensionShare: fc.integer({ min: 0, max: 10000 }),
    maxTerm2: fc.integer({ min: 1, max: 480 }),
    maxTerm4: fc.integer({ min: 1, max: 480 }),
    umaDaily: fc.integer({ min: 5000, max: 20000 }),
    monthsAfter: fc.integer({ min: 0, max: 3 }),
    minArrears2: fc.integer({ min: 0, max: 3 }),
  })
  .map((v) => {
    const p = structuredClone(DEFAULT_SOLUTION_PARAMETERS);
    p['SOL-1'].discountBp = v.sol1Discount;
    p['SOL-1'].umaDailyCents = v.umaDaily;
    p['SOL-2'].maxTotalTermMonths = v.maxTerm2;
    p['SOL-2'].minMonthsInArrears = v.minArrears2;
    p['SOL-3'].discountBp = v.sol3Discount;
    p['SOL-3'].maxBalanceShareBp = v.sol3Share;
    p['SOL-4'].maxTotalTermMonths = v.maxTerm4;
    p['SOL-5'].pensionShareBp = v.pensionShare;
    p['SOL-5'].minPaymentsMade = 0;
    p.firstPayment.monthsAfter = v.monthsAfter;
    return p;
  });

const dateArbitrary = fc.integer({ min: 0, max: 365 * 30 }).map((offset) => addDays('2020-01-01', offset));

/** The exact residual test of the annuity: n payments cover the balance within one cent per payment. */
function coversWithinOneCentPerPayment(terms: SolutionTerms): boolean {
  const { balanceAfterCents: s, monthlyPaymentCents: payment, interestRateBp: bp, termMonths: n } = terms;
  if (bp === 0) {
    const gap = s - payment * BigInt(n);
    return gap < BigInt(n) && -gap < BigInt(n);
  }
  const q = 120_000n;
  const rn = (q + BigInt(bp)) ** BigInt(n);
  const qn = q ** BigInt(n);
  const residual = s * BigInt(bp) * rn - payment * q * (rn - qn);
  return residual < q * (rn - qn) && -residual < q * (rn - qn);
}

describe('properties of the catalogue (random credits × random policies)', () => {
  it('property: availability is exactly solutionAvailability; terms only for available solutions; an available one has terms or a reason', () => {
    fc.assert(
      fc.property(creditArbitrary, parametersArbitrary, dateArbitrary, (credit, parameters, on) => {
        const offers = solutionCatalogue(credit, parameters, on, MEXICAN_HOLIDAYS);
        const availability = solutionAvailability(credit, parameters);
        expect(offers.map(({ solution, name, available, conditions }) => ({ solution, name, available, conditions }))).toEqual(availability);
        for (const offer of offers) {
          if (!offer.available) {
            expect(offer.terms).toBeUndefined();
            expect(offer.termsUnavailableReason).toBeUndefined();
          } else {
            expect((offer.terms === undefined) !== (offer.termsUnavailableReason === undefined)).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('property: no rounding leak — balance after = before − discount exactly, discount never negative, totals add up, factor exact, term > 0, deadline a business day', () => {
    fc.assert(
      fc.property(creditArbitrary, parametersArbitrary, dateArbitrary, (credit, parameters, on) => {
        for (const { terms } of solutionCatalogue(credit, parameters, on, MEXICAN_HOLIDAYS)) {
          if (!terms) continue;
          expect(terms.discountCents).toBeGreaterThanOrEqual(0n);
          expect(terms.balanceAfterCents).toBe(terms.balanceBeforeCents - terms.discountCents);
          expect(terms.balanceAfterCents).toBeGreaterThanOrEqual(0n);
          expect(terms.balanceBeforeCents).toBe(credit.balanceCents + terms.capitalisedArrearsCents);
          expect(terms.totalMonthlyPaymentCents).toBe(terms.monthlyPaymentCents + terms.insuranceFeesCents);
          expect(terms.paymentFactor).toMatch(/^\d+\.\d{6}$/);
          expect(terms.paymentFactor).toBe(paymentFactorText(terms.monthlyPaymentCents, terms.balanceAfterCents));
          expect(Number.isInteger(terms.termMonths) && terms.termMonths > 0).toBe(true);
          expect(terms.denomination).toBe('MXN');
          expect(terms.firstPaymentDueOn).toBe(firstPaymentDueOn(on, parameters, MEXICAN_HOLIDAYS));
          expect(isBusinessDay(terms.firstPaymentDueOn, MEXICAN_HOLIDAYS)).toBe(true);
          expect(terms.explanation.length).toBeGreaterThan(0);
          if (terms.solution === 'SOL-3') expect(terms.firstPaymentCents).toBe(terms.balanceAfterCents);
          else expect(terms.firstPaymentCents).toBe(terms.totalMonthlyPaymentCents);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('property: SOL-1 and SOL-2 payments are annuities that cover the balance within less than one cent per payment', () => {
    fc.assert(
      fc.property(creditArbitrary, parametersArbitrary, (credit, parameters) => {
        for (const { terms } of solutionCatalogue(credit, parameters, ON, MEXICAN_HOLIDAYS)) {
          if (terms && (terms.solution === 'SOL-1' || terms.solution === 'SOL-2')) expect(coversWithinOneCentPerPayment(terms)).toBe(true);
          if (terms?.solution === 'SOL-2') expect(terms.termMonths).toBeGreaterThanOrEqual(credit.termMonths - credit.paymentsMade);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: SOL-4 keeps the payment and pays off within the maximum term', () => {
    const owing = creditArbitrary.map((credit) => ({ ...credit, monthsInArrears: 1 + (credit.monthsInArrears % 9), legalStage: 'none', unemploymentInsuranceExhausted: true, paymentsMade: credit.paymentsMade % 200, termMonths: 360 }));
    fc.assert(
      fc.property(owing, parametersArbitrary, (credit, parameters) => {
        const { terms } = offerOf(credit, 'SOL-4', parameters);
        if (!terms) return;
        expect(terms.monthlyPaymentCents).toBe(credit.monthlyPaymentCents);
        expect(credit.paymentsMade + terms.termMonths).toBeLessThanOrEqual(parameters['SOL-4'].maxTotalTermMonths);
        expect(paymentsToPayOff(terms.balanceAfterCents, terms.interestRateBp, terms.monthlyPaymentCents, terms.termMonths)).toBe(terms.termMonths);
      }),
      { numRuns: 300 },
    );
  });

  it('property: SOL-5 payment is the pension share rounded once and never above the pre-restructure payment', () => {
    const retired = creditArbitrary.map((credit) => ({ ...credit, isRetired: true, legalStage: 'none' }));
    fc.assert(
      fc.property(retired, parametersArbitrary, (credit, parameters) => {
        const offer = offerOf(credit, 'SOL-5', parameters);
        if (!offer.available) {
          // only the pension conditions, the balance or the term can fail for a retiree without a legal process
          expect(offer.conditions.filter((c) => !c.passed).every((c) => /pensión|saldo|pagos mensuales|habilitada/.test(c.description))).toBe(true);
          return;
        }
        if (!offer.terms) {
          expect(offer.termsUnavailableReason).toBeDefined();
          return;
        }
        const share = BigInt(parameters['SOL-5'].pensionShareBp);
        expect(offer.terms.monthlyPaymentCents).toBe((credit.borrowerMonthlyPensionCents! * share * 2n + 10000n) / 20000n);
        expect(offer.terms.monthlyPaymentCents).toBeLessThan(credit.monthlyPaymentCents);
        expect(offer.terms.totalMonthlyPaymentCents).toBeLessThan(credit.monthlyPaymentCents + credit.insuranceFeesCents);
        expect(offer.terms.termMonths).toBeLessThanOrEqual(credit.termMonths - credit.paymentsMade);
      }),
      { numRuns: 300 },
    );
  });

  it('property: SOL-3 discount is exactly 50 % of the balance rounded half up once, and the single payment is the rest', () => {
    const eligible = fc
      .record({ balance: fc.bigInt({ min: 1n, max: 50_000_000n }), factor: fc.bigInt({ min: 4n, max: 40n }) })
      .chain(({ balance, factor }) =>
        creditArbitrary.map((credit) => ({ ...credit, balanceCents: balance, originalAmountCents: balance * factor, cofinanced: false })),
      );
    fc.assert(
      fc.property(eligible, (credit) => {
        const terms = termsOf(credit, 'SOL-3');
        expect(terms.discountCents).toBe((credit.balanceCents + 1n) / 2n);
        expect(terms.discountCents * 2n - credit.balanceCents).toBeGreaterThanOrEqual(0n);
        expect(terms.discountCents * 2n - credit.balanceCents).toBeLessThanOrEqual(1n);
        expect(terms.balanceAfterCents + terms.discountCents).toBe(credit.balanceCents);
        expect(terms.firstPaymentCents).toBe(terms.balanceAfterCents);
        expect(terms.termMonths).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
