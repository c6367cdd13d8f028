/**
 * Availability of each solution for a credit (SPEC §8, SOL-1..5), with the reason for each
 * condition. Pure. The same conditions exist in set-based SQL (solutions.sql.ts) for the monthly
 * run's EXC-8; a property test proves the two agree.
 */
import { mulDivRound } from '../../money.js';
import type { SolutionParameters } from './solutions.policy.js';

export const SOLUTION_IDS = ['SOL-1', 'SOL-2', 'SOL-3', 'SOL-4', 'SOL-5'] as const;
export type SolutionId = (typeof SOLUTION_IDS)[number];

export const SOLUTION_NAMES: Record<SolutionId, string> = {
  'SOL-1': 'Responsabilidad Compartida',
  'SOL-2': 'Reestructura',
  'SOL-3': 'Descuento por Liquidación Anticipada',
  'SOL-4': 'Borrón y Cuenta Nueva',
  'SOL-5': 'Apoyo a Jubilados',
};

/** The facts of a credit that availability reads. */
export interface SolutionFacts {
  denomination: 'VSM' | 'MXN';
  cofinanced: boolean;
  monthsInArrears: number;
  balanceCents: bigint;
  originalAmountCents: bigint;
  termMonths: number;
  paymentsMade: number;
  unemploymentInsuranceExhausted: boolean;
  isRetired: boolean;
  legalStage: string;
  /** The current monthly payment (without insurance and fees): SOL-5 must lower it. */
  monthlyPaymentCents: bigint;
  /** SOL-1's rate band is chosen by income (or, for a retiree, by pension). */
  borrowerMonthlyIncomeCents: bigint | null;
  /** SOL-5's payment is a share of the pension. */
  borrowerMonthlyPensionCents: bigint | null;
}

export interface Condition {
  description: string;
  passed: boolean;
}

export interface Availability {
  solution: SolutionId;
  name: string;
  available: boolean;
  conditions: Condition[];
}

const check = (description: string, passed: boolean): Condition => ({ description, passed });

export function solutionAvailability(facts: SolutionFacts, parameters: SolutionParameters): Availability[] {
  const p = parameters;
  const remaining = facts.termMonths - facts.paymentsMade;
  const conditions: Record<SolutionId, Condition[]> = {
    'SOL-1': [
      check('el crédito está denominado en VSM', facts.denomination === 'VSM'),
      ...(p['SOL-1'].excludeCofinanced ? [check('no es un crédito en cofinanciamiento', !facts.cofinanced)] : []),
      check(
        p['SOL-1'].pensionAsIncome
          ? 'tiene ingreso mensual (o pensión) registrado para fijar la tasa por banda de ingreso'
          : 'tiene ingreso mensual registrado para fijar la tasa por banda de ingreso',
        facts.borrowerMonthlyIncomeCents !== null || (p['SOL-1'].pensionAsIncome && facts.borrowerMonthlyPensionCents !== null),
      ),
    ],
    'SOL-2': [check(`tiene al menos ${p['SOL-2'].minMonthsInArrears} mensualidad(es) omisa(s)`, facts.monthsInArrears >= p['SOL-2'].minMonthsInArrears)],
    'SOL-3': [
      check(
        `el saldo es a lo más el ${p['SOL-3'].maxBalanceShareBp / 100}% del monto original`,
        facts.balanceCents * 10000n <= facts.originalAmountCents * BigInt(p['SOL-3'].maxBalanceShareBp),
      ),
      check('tiene saldo por liquidar', facts.balanceCents > 0n),
      ...(p['SOL-3'].excludeCofinanced ? [check('no es un crédito en cofinanciamiento', !facts.cofinanced)] : []),
    ],
    'SOL-4': [
      check(
        `tiene entre ${p['SOL-4'].minMonthsInArrears} y ${p['SOL-4'].maxMonthsInArrears} mensualidades omisas`,
        facts.monthsInArrears >= p['SOL-4'].minMonthsInArrears && facts.monthsInArrears <= p['SOL-4'].maxMonthsInArrears,
      ),
      check(`le quedan al menos ${p['SOL-4'].minRemainingPayments} pagos por hacer`, remaining >= p['SOL-4'].minRemainingPayments),
      ...(p['SOL-4'].requiresUnemploymentInsuranceExhausted
        ? [check('agotó el Seguro de Desempleo (FPP)', facts.unemploymentInsuranceExhausted)]
        : []),
      check('no tiene proceso judicial', facts.legalStage === 'none'),
    ],
    'SOL-5': [
      check('es jubilado o pensionado', facts.isRetired),
      check(`ha hecho al menos ${p['SOL-5'].minPaymentsMade} pagos mensuales`, facts.paymentsMade >= p['SOL-5'].minPaymentsMade),
      check('no tiene proceso judicial', facts.legalStage === 'none'),
      check('tiene saldo y pagos por hacer', facts.balanceCents > 0n && remaining >= 1),
      check(
        `el ${p['SOL-5'].pensionShareBp / 100}% de su pensión registrada es menor que la mensualidad actual`,
        facts.borrowerMonthlyPensionCents !== null && mulDivRound(facts.borrowerMonthlyPensionCents, BigInt(p['SOL-5'].pensionShareBp), 10000n) < facts.monthlyPaymentCents,
      ),
    ],
  };
  return SOLUTION_IDS.map((solution) => {
    const enabled = p[solution].enabled;
    const list = [check('la solución está habilitada por la política vigente', enabled), ...conditions[solution]];
    return { solution, name: SOLUTION_NAMES[solution], available: list.every((c) => c.passed), conditions: list };
  });
}

export function hasAvailableSolution(facts: SolutionFacts, parameters: SolutionParameters): boolean {
  return solutionAvailability(facts, parameters).some((s) => s.available);
}
