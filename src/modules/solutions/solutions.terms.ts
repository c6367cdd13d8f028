/**
 * The resulting terms of each solution (SPEC §8 SOL-1..5): for a credit, every solution with its
 * availability (exactly solutionAvailability) and, when available, the exact figures that go into
 * the convenio (CNV-1) — balance after discount, capitalised arrears, monthly payment, payment
 * factor, term, first payment and its deadline — with a Spanish explanation of each figure.
 *
 * Pure: no I/O, no clock (`on` is a parameter). Money is bigint cents, rates are basis points; the
 * annuity is computed in exact rational arithmetic and rounded once, half up, to the cent. No
 * floating point touches an amount.
 */
import { addDays, formatDateEs, parseIsoDate, type IsoDate } from '../../clock.js';
import { formatPesos, mulDivRound } from '../../money.js';
import { isBusinessDay, type HolidayCalendar } from '../deadlines/deadlines.rules.js';
import type { RateBand, SolutionParameters } from './solutions.policy.js';
import { solutionAvailability, type Availability, type SolutionFacts, type SolutionId } from './solutions.rules.js';

/** The facts of a credit that the terms read, on top of those availability reads. */
export interface CreditForSolutions extends SolutionFacts {
  /** numeric text, VSM credits (the peso value is `balanceCents`). */
  balanceVsm: string | null;
  /** Current monthly payment, without insurance and fees. */
  monthlyPaymentCents: bigint;
  /** numeric text: current payment per 1,000 of the original amount. */
  paymentFactor: string;
  /** Monthly insurance and fees (seguros y cuotas). */
  insuranceFeesCents: bigint;
  interestRateBp: number;
  borrowerMonthlyIncomeCents: bigint | null;
  borrowerMonthlyPensionCents: bigint | null;
  regime: 'ROA' | 'REA';
}

export interface SolutionTerms {
  solution: SolutionId;
  /** The debt the solution starts from: the current balance plus the capitalised arrears. */
  balanceBeforeCents: bigint;
  /** Never negative. */
  discountCents: bigint;
  /** Exactly balanceBeforeCents − discountCents. */
  balanceAfterCents: bigint;
  /** Arrears added to the debt (already included in balanceBeforeCents). */
  capitalisedArrearsCents: bigint;
  /** The new monthly payment, without insurance and fees. */
  monthlyPaymentCents: bigint;
  insuranceFeesCents: bigint;
  /** monthlyPaymentCents + insuranceFeesCents: what the borrower pays each month. */
  totalMonthlyPaymentCents: bigint;
  /** numeric text, 6 decimals: payment per 1,000 of balanceAfter (same meaning as credits.payment_factor). */
  paymentFactor: string;
  interestRateBp: number;
  /** Remaining term under the new terms, in monthly payments; > 0. */
  termMonths: number;
  /** The figures are pesos. */
  denomination: 'MXN';
  /** The first payment (SOL-3: the single payment of the whole discounted balance). */
  firstPaymentCents: bigint;
  firstPaymentDueOn: IsoDate;
  /** Spanish description of a later benefit (e.g. the SOL-4 bonus), if any. */
  benefit?: string;
  /** Spanish lines: how each figure was obtained, citing the rule or the policy. */
  explanation: string[];
}

export interface SolutionOffer extends Availability {
  terms?: SolutionTerms;
  /**
   * Spanish: why an available solution has no exact terms for this credit's data (e.g. no pension
   * registered for SOL-5). Set only when `available` and `terms` is absent.
   */
  termsUnavailableReason?: string;
}

// ------------------------------------------------------------------------------------------------
// Exact arithmetic
// ------------------------------------------------------------------------------------------------

/** An annual rate in basis points over this is the monthly rate: bp / (100 × 100 × 12). */
const MONTHLY_RATE_DENOMINATOR = 120_000n;

/** n / d rounded half up; n ≥ 0, d > 0. */
function divideHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

function assertTerm(termMonths: number): void {
  if (!Number.isInteger(termMonths) || termMonths < 1) throw new RangeError(`Not a term in months: ${termMonths}`);
}

/**
 * The level monthly payment that amortises `principalCents` in `termMonths` payments at an annual
 * rate of `rateBp` (monthly rate i = bp / 120,000): P = S·i / (1 − (1 + i)^−n), computed as the
 * exact fraction S·bp·r^n / (q·(r^n − q^n)) with q = 120,000 and r = q + bp, rounded once, half
 * up, to the cent. A rate of 0 gives S / n rounded.
 */
export function annuityPaymentCents(principalCents: bigint, rateBp: number, termMonths: number): bigint {
  assertTerm(termMonths);
  if (principalCents < 0n) throw new RangeError('The principal cannot be negative');
  if (!Number.isInteger(rateBp) || rateBp < 0) throw new RangeError(`Not a rate in basis points: ${rateBp}`);
  if (rateBp === 0) return divideHalfUp(principalCents, BigInt(termMonths));
  const q = MONTHLY_RATE_DENOMINATOR;
  const r = q + BigInt(rateBp);
  const n = BigInt(termMonths);
  const rn = r ** n;
  return divideHalfUp(principalCents * BigInt(rateBp) * rn, q * (rn - q ** n));
}

/**
 * The number of monthly payments of `paymentCents` that pay off `principalCents` at `rateBp` (the
 * last one may be smaller), when it is at most `maxPayments`; undefined otherwise (including when
 * the payment does not even cover the interest). Exact: the balance after n payments is
 * S·(1+i)^n − P·((1+i)^n − 1)/i, which is ≤ 0 iff r^n·(P·q − S·bp) ≥ P·q^(n+1).
 */
export function paymentsToPayOff(principalCents: bigint, rateBp: number, paymentCents: bigint, maxPayments: number): number | undefined {
  if (principalCents <= 0n) return 0;
  if (paymentCents <= 0n || maxPayments < 1) return undefined;
  if (rateBp === 0) {
    const n = (principalCents + paymentCents - 1n) / paymentCents;
    return n <= BigInt(maxPayments) ? Number(n) : undefined;
  }
  const q = MONTHLY_RATE_DENOMINATOR;
  const r = q + BigInt(rateBp);
  const margin = paymentCents * q - principalCents * BigInt(rateBp);
  if (margin <= 0n) return undefined;
  let rn = 1n;
  let qn1 = q;
  for (let n = 1; n <= maxPayments; n++) {
    rn *= r;
    qn1 *= q;
    if (rn * margin >= paymentCents * qn1) return n;
  }
  return undefined;
}

/** "7.252213": payment × 1,000 / balance, rounded half up to 6 decimals ("0.000000" for no balance). */
export function paymentFactorText(paymentCents: bigint, balanceCents: bigint): string {
  if (paymentCents < 0n || balanceCents < 0n) throw new RangeError('Amounts cannot be negative');
  if (balanceCents === 0n) return '0.000000';
  const micro = divideHalfUp(paymentCents * 1_000_000_000n, balanceCents);
  return `${micro / 1_000_000n}.${(micro % 1_000_000n).toString().padStart(6, '0')}`;
}

/** Monthly UMA = daily UMA × 30.4 (DOMAIN-FACTS §2), in cents rounded (for display). */
export function monthlyUmaCents(umaDailyCents: number): bigint {
  return mulDivRound(BigInt(umaDailyCents), 304n, 10n);
}

/** How many tenths of the monthly UMA an income is, rounded down: income × 100 / (daily UMA × 304). */
export function umaTenthsOfIncome(incomeCents: bigint, umaDailyCents: number): number {
  if (incomeCents < 0n) throw new RangeError('An income cannot be negative');
  const tenths = (incomeCents * 100n) / (BigInt(umaDailyCents) * 304n);
  return Number(tenths > 1_000_000n ? 1_000_000n : tenths);
}

/**
 * The fixed rate of a band table for an income of `tenths` tenths of the monthly UMA: inside a band
 * the rate steps linearly per 0.1 UMA (rounded half up to the basis point); below the first band,
 * the first rate; between bands or above the last, the top rate of the band below.
 */
export function rateBpForUmaTenths(tenths: number, bands: readonly RateBand[]): number {
  const first = bands[0];
  if (!first) throw new RangeError('The rate table has no bands');
  let rate = first.fromRateBp;
  for (const band of bands) {
    if (tenths < band.fromUmaTenths) return rate;
    if (tenths <= band.toUmaTenths) {
      const span = band.toUmaTenths - band.fromUmaTenths;
      if (span === 0) return band.fromRateBp;
      return band.fromRateBp + Number(mulDivRound(BigInt(band.toRateBp - band.fromRateBp), BigInt(tenths - band.fromUmaTenths), BigInt(span)));
    }
    rate = band.toRateBp;
  }
  return rate;
}

// ------------------------------------------------------------------------------------------------
// First payment deadline
// ------------------------------------------------------------------------------------------------

function lastDayOfMonth(year: number, month: number): IsoDate {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/**
 * The last business day (holiday calendar) of the month `firstPayment.monthsAfter` months after
 * `from` — Liquidación Anticipada's "pago único exacto a más tardar el último día hábil del mes".
 */
export function firstPaymentDueOn(from: IsoDate, parameters: SolutionParameters, holidays: HolidayCalendar): IsoDate {
  const { year, month } = parseIsoDate(from);
  const index = year * 12 + (month - 1) + parameters.firstPayment.monthsAfter;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  let date = lastDayOfMonth(targetYear, targetMonth);
  const monthText = date.slice(0, 7);
  while (!isBusinessDay(date, holidays)) {
    date = addDays(date, -1);
    if (date.slice(0, 7) !== monthText) throw new RangeError(`The month ${monthText} has no business day in the holiday calendar`);
  }
  return date;
}

// ------------------------------------------------------------------------------------------------
// Wording helpers (Spanish, for people)
// ------------------------------------------------------------------------------------------------

/** 615 → "6.15%". */
function percentText(bp: number | bigint): string {
  const value = BigInt(bp);
  return `${value / 100n}${value % 100n === 0n ? '' : `.${(value % 100n).toString().padStart(2, '0')}`}%`;
}

/** 33 → "3.3". */
function tenthsText(tenths: number): string {
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

function dueWording(parameters: SolutionParameters): string {
  const months = parameters.firstPayment.monthsAfter;
  const which = months === 0 ? 'del mes de la oferta' : months === 1 ? 'del mes siguiente a la oferta' : `de ${months} meses después de la oferta`;
  return `último día hábil ${which}, según la política de soluciones vigente`;
}

// ------------------------------------------------------------------------------------------------
// The terms of each solution
// ------------------------------------------------------------------------------------------------

type Outcome = { terms: SolutionTerms } | { reason: string };

interface Figures {
  solution: SolutionId;
  balanceBeforeCents: bigint;
  discountCents: bigint;
  capitalisedArrearsCents: bigint;
  monthlyPaymentCents: bigint;
  insuranceFeesCents: bigint;
  interestRateBp: number;
  termMonths: number;
  /** Default: the first total monthly payment. */
  firstPaymentCents?: bigint;
  benefit?: string;
  explanation: string[];
}

function completeTerms(figures: Figures, parameters: SolutionParameters, dueOn: IsoDate): SolutionTerms {
  const balanceAfterCents = figures.balanceBeforeCents - figures.discountCents;
  const totalMonthlyPaymentCents = figures.monthlyPaymentCents + figures.insuranceFeesCents;
  const firstPaymentCents = figures.firstPaymentCents ?? totalMonthlyPaymentCents;
  const terms: SolutionTerms = {
    solution: figures.solution,
    balanceBeforeCents: figures.balanceBeforeCents,
    discountCents: figures.discountCents,
    balanceAfterCents,
    capitalisedArrearsCents: figures.capitalisedArrearsCents,
    monthlyPaymentCents: figures.monthlyPaymentCents,
    insuranceFeesCents: figures.insuranceFeesCents,
    totalMonthlyPaymentCents,
    paymentFactor: paymentFactorText(figures.monthlyPaymentCents, balanceAfterCents),
    interestRateBp: figures.interestRateBp,
    termMonths: figures.termMonths,
    denomination: 'MXN',
    firstPaymentCents,
    firstPaymentDueOn: dueOn,
    explanation: [...figures.explanation, `Primer pago: ${formatPesos(firstPaymentCents)} a más tardar el ${formatDateEs(dueOn)} (${dueWording(parameters)}).`],
  };
  if (figures.benefit !== undefined) terms.benefit = figures.benefit;
  return terms;
}

function balanceLine(credit: CreditForSolutions): string {
  const vsm = credit.denomination === 'VSM' && credit.balanceVsm !== null ? ` (${credit.balanceVsm} VSM a su valor vigente en pesos)` : '';
  return `Saldo actual: ${formatPesos(credit.balanceCents)}${vsm}.`;
}

function annuityLine(principal: bigint, rateBp: number, termMonths: number, payment: bigint): string {
  if (rateBp === 0) return `Mensualidad: ${formatPesos(principal)} ÷ ${termMonths} pagos sin intereses = ${formatPesos(payment)} (redondeada al centavo).`;
  return (
    `Mensualidad: pago fijo que liquida ${formatPesos(principal)} en ${termMonths} pagos a la tasa anual de ${percentText(rateBp)} ` +
    `(tasa mensual ${percentText(rateBp)} ÷ 12; P = S·i / (1 − (1 + i)^−n)) = ${formatPesos(payment)} (redondeada una sola vez al centavo).`
  );
}

function factorLine(payment: bigint, balanceAfter: bigint): string {
  return `Factor de pago: ${paymentFactorText(payment, balanceAfter)} pesos de mensualidad por cada $1,000 del saldo.`;
}

function insuranceLine(credit: CreditForSolutions, payment: bigint): string {
  return `Seguros y cuotas: ${formatPesos(credit.insuranceFeesCents)} al mes; pago mensual total: ${formatPesos(payment + credit.insuranceFeesCents)}.`;
}

/** Unpaid insurance and fees of the months in arrears (the interest of those months is already in the balance). */
function arrearsOf(credit: CreditForSolutions): bigint {
  return BigInt(credit.monthsInArrears) * credit.insuranceFeesCents;
}

function arrearsLine(credit: CreditForSolutions, capitalised: bigint): string {
  return (
    `Adeudos capitalizados: ${credit.monthsInArrears} mensualidad(es) omisa(s) × ${formatPesos(credit.insuranceFeesCents)} de seguros y cuotas no pagados = ` +
    `${formatPesos(capitalised)} (los intereses de esos meses ya forman parte del saldo). Saldo con adeudos: ${formatPesos(credit.balanceCents + capitalised)}.`
  );
}

/** SOL-1 Responsabilidad Compartida: VSM → pesos, a discount on the balance, a fixed payment at the band rate. */
function responsabilidadCompartida(credit: CreditForSolutions, parameters: SolutionParameters, dueOn: IsoDate): Outcome {
  const policy = parameters['SOL-1'];
  const remaining = credit.termMonths - credit.paymentsMade;
  if (credit.balanceCents <= 0n) return { reason: 'El crédito no tiene saldo por convertir a pesos.' };
  if (remaining < 1) return { reason: 'No quedan pagos por hacer en el plazo del crédito, así que no hay plazo sobre el cual fijar la mensualidad.' };
  const usesPension = credit.borrowerMonthlyIncomeCents === null && policy.pensionAsIncome && credit.borrowerMonthlyPensionCents !== null;
  const basis = credit.borrowerMonthlyIncomeCents ?? (usesPension ? credit.borrowerMonthlyPensionCents : null);
  if (basis === null) {
    return { reason: 'Para fijar la tasa se necesita el ingreso mensual registrado del acreditado: la tasa depende de su banda de ingreso en UMA.' };
  }
  const discount = mulDivRound(credit.balanceCents, BigInt(policy.discountBp), 10000n);
  const balanceAfter = credit.balanceCents - discount;
  const tenths = umaTenthsOfIncome(basis, policy.umaDailyCents);
  const rateBp = rateBpForUmaTenths(tenths, policy.rateBands);
  const payment = annuityPaymentCents(balanceAfter, rateBp, remaining);
  return {
    terms: completeTerms(
      {
        solution: 'SOL-1',
        balanceBeforeCents: credit.balanceCents,
        discountCents: discount,
        capitalisedArrearsCents: 0n,
        monthlyPaymentCents: payment,
        insuranceFeesCents: credit.insuranceFeesCents,
        interestRateBp: rateBp,
        termMonths: remaining,
        benefit:
          'Pago y saldo quedan fijos en pesos: ya no aumentan cada año con el salario mínimo o la UMI. Mientras tenga relación laboral, la aportación patronal del 5% se abona a capital.',
        explanation: [
          `${balanceLine(credit)} El crédito se convierte a pesos (SOL-1).`,
          `Descuento al saldo: ${percentText(policy.discountBp)} de ${formatPesos(credit.balanceCents)} = ${formatPesos(discount)} (redondeado al centavo; porcentaje de la política vigente). Saldo en pesos: ${formatPesos(balanceAfter)}.`,
          `${usesPension ? 'Sin ingreso registrado, se toma la pensión mensual' : 'Ingreso mensual registrado'}: ${formatPesos(basis)} = ${tenthsText(tenths)} veces la UMA mensual ` +
            `(${formatPesos(monthlyUmaCents(policy.umaDailyCents))} = ${formatPesos(policy.umaDailyCents)} diarios × 30.4). Tasa fija de su banda de ingreso: ${percentText(rateBp)} anual.`,
          `Plazo: los ${remaining} pagos que le quedan (${credit.termMonths} del plazo − ${credit.paymentsMade} hechos).`,
          annuityLine(balanceAfter, rateBp, remaining, payment),
          factorLine(payment, balanceAfter),
          insuranceLine(credit, payment),
        ],
      },
      parameters,
      dueOn,
    ),
  };
}

/** SOL-2 Reestructura: arrears capitalised, a new term and payment at the credit's rate. */
function reestructura(credit: CreditForSolutions, parameters: SolutionParameters, dueOn: IsoDate): Outcome {
  const policy = parameters['SOL-2'];
  const capitalised = arrearsOf(credit);
  const before = credit.balanceCents + capitalised;
  if (before <= 0n) return { reason: 'El crédito no tiene saldo por reestructurar.' };
  const remaining = credit.termMonths - credit.paymentsMade;
  const allowed = policy.maxTotalTermMonths - credit.paymentsMade;
  const term = Math.max(Math.min(Math.max(remaining, 0) + credit.monthsInArrears, allowed), remaining);
  if (term < 1) {
    return {
      reason: `No queda plazo para reestructurar: el crédito lleva ${credit.paymentsMade} pagos de un plazo de ${credit.termMonths} (máximo de la política: ${policy.maxTotalTermMonths} pagos en total).`,
    };
  }
  const payment = annuityPaymentCents(before, credit.interestRateBp, term);
  const termLine =
    term === Math.max(remaining, 0) + credit.monthsInArrears
      ? `Nuevo plazo: ${Math.max(remaining, 0)} pagos que le quedan + ${credit.monthsInArrears} mensualidad(es) omisa(s) = ${term} pagos (dentro del máximo de ${policy.maxTotalTermMonths} pagos en total de la política).`
      : `Nuevo plazo: ${term} pagos (lo que le queda hasta el máximo de ${policy.maxTotalTermMonths} pagos en total de la política, nunca menos que su plazo actual).`;
  return {
    terms: completeTerms(
      {
        solution: 'SOL-2',
        balanceBeforeCents: before,
        discountCents: 0n,
        capitalisedArrearsCents: capitalised,
        monthlyPaymentCents: payment,
        insuranceFeesCents: credit.insuranceFeesCents,
        interestRateBp: credit.interestRateBp,
        termMonths: term,
        explanation: [
          balanceLine(credit),
          arrearsLine(credit, capitalised),
          'Sin descuento al saldo (SOL-2: la reestructura ajusta plazo y mensualidad).',
          termLine,
          annuityLine(before, credit.interestRateBp, term, payment),
          factorLine(payment, before),
          insuranceLine(credit, payment),
        ],
      },
      parameters,
      dueOn,
    ),
  };
}

/** SOL-3 Descuento por Liquidación Anticipada: one exact payment of the balance less the discount. */
function liquidacionAnticipada(credit: CreditForSolutions, parameters: SolutionParameters, dueOn: IsoDate): Outcome {
  const policy = parameters['SOL-3'];
  const discount = mulDivRound(credit.balanceCents, BigInt(policy.discountBp), 10000n);
  const balanceAfter = credit.balanceCents - discount;
  const shareBp = mulDivRound(credit.balanceCents, 10000n, credit.originalAmountCents);
  return {
    terms: completeTerms(
      {
        solution: 'SOL-3',
        balanceBeforeCents: credit.balanceCents,
        discountCents: discount,
        capitalisedArrearsCents: 0n,
        monthlyPaymentCents: balanceAfter,
        insuranceFeesCents: 0n,
        interestRateBp: 0,
        termMonths: 1,
        firstPaymentCents: balanceAfter,
        explanation: [
          `${balanceLine(credit)} Es el ${percentText(shareBp)} del monto original de ${formatPesos(credit.originalAmountCents)} (tope: ${percentText(policy.maxBalanceShareBp)}, SOL-3).`,
          `Descuento: ${percentText(policy.discountBp)} del saldo = ${formatPesos(discount)} (redondeado una sola vez al centavo, SOL-3).`,
          `Pago único exacto: ${formatPesos(balanceAfter)}, que liquida el crédito. Si paga menos, el pago se abona al saldo sin descuento; si paga más, no hay devolución.`,
        ],
      },
      parameters,
      dueOn,
    ),
  };
}

/** SOL-4 Borrón y Cuenta Nueva: arrears added to the debt, the same payment, a longer term. */
function borronYCuentaNueva(credit: CreditForSolutions, parameters: SolutionParameters, dueOn: IsoDate): Outcome {
  const policy = parameters['SOL-4'];
  const capitalised = arrearsOf(credit);
  const before = credit.balanceCents + capitalised;
  if (before <= 0n) return { reason: 'El crédito no tiene saldo por regularizar.' };
  const payment = credit.monthlyPaymentCents;
  const allowed = policy.maxTotalTermMonths - credit.paymentsMade;
  const term = paymentsToPayOff(before, credit.interestRateBp, payment, allowed);
  if (term === undefined || term < 1) {
    return {
      reason:
        `Con la misma mensualidad (${formatPesos(payment)}) el saldo con adeudos (${formatPesos(before)}) no se liquida dentro del plazo ` +
        `(máximo ${policy.maxTotalTermMonths} pagos en total; ya hizo ${credit.paymentsMade}). La Reestructura (SOL-2) ajusta la mensualidad.`,
    };
  }
  const onePayment = credit.monthsInArrears <= policy.bonusOnePaymentMaxArrears;
  const when =
    credit.regime === 'ROA'
      ? 'se aplica después de un pago bimestral completo de su patrón (ROA)'
      : `se aplica después de ${policy.bonusReaConsecutivePayments} pagos mensuales completos y consecutivos (REA)`;
  const benefit = onePayment
    ? `Si se mantiene al corriente, recibe una bonificación de una mensualidad sin seguros ni cuotas (${formatPesos(payment)}) que se abona a capital; ${when}.`
    : `Si se mantiene al corriente, se le condonan los intereses a partir de la mensualidad omisa número ${policy.bonusOnePaymentMaxArrears + 1} ` +
      `y los adeudos de seguros y cuotas (${formatPesos(capitalised)}); ${when}.`;
  return {
    terms: completeTerms(
      {
        solution: 'SOL-4',
        balanceBeforeCents: before,
        discountCents: 0n,
        capitalisedArrearsCents: capitalised,
        monthlyPaymentCents: payment,
        insuranceFeesCents: credit.insuranceFeesCents,
        interestRateBp: credit.interestRateBp,
        termMonths: term,
        benefit,
        explanation: [
          balanceLine(credit),
          arrearsLine(credit, capitalised),
          `La mensualidad no cambia: ${formatPesos(payment)} (SOL-4).`,
          `Plazo: ${term} pagos de ${formatPesos(payment)} liquidan ${formatPesos(before)} a la tasa anual de ${percentText(credit.interestRateBp)} ` +
            `(el último puede ser menor); con los ${credit.paymentsMade} ya hechos, ${credit.paymentsMade + term} de un máximo de ${policy.maxTotalTermMonths} pagos.`,
          factorLine(payment, before),
          insuranceLine(credit, payment),
        ],
      },
      parameters,
      dueOn,
    ),
  };
}

/** SOL-5 Apoyo a Jubilados: the payment becomes a share of the monthly pension, plus insurance and fees. */
function apoyoAJubilados(credit: CreditForSolutions, parameters: SolutionParameters, dueOn: IsoDate): Outcome {
  const policy = parameters['SOL-5'];
  const pension = credit.borrowerMonthlyPensionCents;
  if (pension === null) return { reason: `No hay pensión mensual registrada: el pago es el ${percentText(policy.pensionShareBp)} de la pensión.` };
  if (credit.balanceCents <= 0n) return { reason: 'El crédito no tiene saldo por pagar.' };
  const remaining = credit.termMonths - credit.paymentsMade;
  if (remaining < 1) return { reason: 'No quedan pagos por hacer en el plazo del crédito.' };
  const payment = mulDivRound(pension, BigInt(policy.pensionShareBp), 10000n);
  if (payment >= credit.monthlyPaymentCents) {
    return {
      reason:
        `El ${percentText(policy.pensionShareBp)} de la pensión (${formatPesos(payment)}) no es menor que la mensualidad actual ` +
        `(${formatPesos(credit.monthlyPaymentCents)}): esta solución no reduciría el pago.`,
    };
  }
  const payOff = paymentsToPayOff(credit.balanceCents, credit.interestRateBp, payment, remaining);
  const term = payOff ?? remaining;
  return {
    terms: completeTerms(
      {
        solution: 'SOL-5',
        balanceBeforeCents: credit.balanceCents,
        discountCents: 0n,
        capitalisedArrearsCents: 0n,
        monthlyPaymentCents: payment,
        insuranceFeesCents: credit.insuranceFeesCents,
        interestRateBp: credit.interestRateBp,
        termMonths: term,
        explanation: [
          balanceLine(credit),
          `Mensualidad: ${percentText(policy.pensionShareBp)} de la pensión mensual de ${formatPesos(pension)} = ${formatPesos(payment)} ` +
            `(redondeada al centavo, SOL-5), menor que la mensualidad actual de ${formatPesos(credit.monthlyPaymentCents)}.`,
          `Los seguros y cuotas no se descuentan: ${formatPesos(credit.insuranceFeesCents)} al mes; pago mensual total: ${formatPesos(payment + credit.insuranceFeesCents)}.`,
          payOff !== undefined
            ? `Plazo: ${term} pagos liquidan el saldo a la tasa anual de ${percentText(credit.interestRateBp)} (el último puede ser menor).`
            : `Plazo: los ${remaining} pagos que le quedan; con este pago, al término del plazo quedaría saldo sin cubrir, que se trata según el convenio.`,
          factorLine(payment, credit.balanceCents),
        ],
      },
      parameters,
      dueOn,
    ),
  };
}

const TERMS_OF: Record<SolutionId, (credit: CreditForSolutions, parameters: SolutionParameters, dueOn: IsoDate) => Outcome> = {
  'SOL-1': responsabilidadCompartida,
  'SOL-2': reestructura,
  'SOL-3': liquidacionAnticipada,
  'SOL-4': borronYCuentaNueva,
  'SOL-5': apoyoAJubilados,
};

/**
 * Every solution of SPEC §8 for a credit: the availability of solutionAvailability (unchanged)
 * and, for each available one, its exact terms as of `on` — or, when the credit's data do not allow
 * exact terms, the reason in Spanish.
 */
export function solutionCatalogue(credit: CreditForSolutions, parameters: SolutionParameters, on: IsoDate, holidays: HolidayCalendar): SolutionOffer[] {
  const dueOn = firstPaymentDueOn(on, parameters, holidays);
  return solutionAvailability(credit, parameters).map((availability): SolutionOffer => {
    if (!availability.available) return availability;
    const outcome = TERMS_OF[availability.solution](credit, parameters, dueOn);
    return 'terms' in outcome ? { ...availability, terms: outcome.terms } : { ...availability, termsUnavailableReason: outcome.reason };
  });
}
