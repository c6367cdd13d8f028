/**
 * Monthly tagging (SPEC §3). Pure: the exclusion criteria EXC-1..10 with their wording, the
 * exclusion mask the run stores (bit n-1 = EXC-n), the same evaluation for one credit in
 * TypeScript (the reference the SQL is tested against), the convenio-type choice (ASG-3) and the
 * capacity split of the allocation (ASG-4).
 */
import type { ConvenioType } from '../../db/schema.js';
import { EXCLUSION_RULE_IDS, type ConvenioTypeCriteria, type ExclusionCriteria, type ExclusionRuleId } from '../policy/policy.definitions.js';
import { hasAvailableSolution, type SolutionFacts } from '../solutions/solutions.rules.js';
import type { SolutionParameters } from '../solutions/solutions.policy.js';

/** The wording of each exclusion (Lineamiento 1), as users read it. */
export const EXCLUSION_WORDING: Record<ExclusionRuleId, string> = {
  'EXC-1': 'Tiene dos convenios de mediación incumplidos (re-mediación agotada).',
  'EXC-2': 'La vivienda fue dictaminada abandonada, invadida, vandalizada, deshabitada o no localizada (DAVI).',
  'EXC-3': 'Tiene una reestructura activa.',
  'EXC-4': 'Es un crédito tercerizado (tercerías).',
  'EXC-5': 'Está en el pool del fideicomiso.',
  'EXC-6': 'No factura en el sistema de facturación (Renewall).',
  'EXC-7': 'Tiene una prórroga activa.',
  'EXC-8': 'No tiene ningún convenio o solución disponible.',
  'EXC-9': 'Tiene una demanda presentada o una etapa procesal posterior.',
  'EXC-10': 'Es una cuenta de acompañamiento.',
};

export const CONVENIO_TYPE_LABELS: Record<ConvenioType, string> = {
  RATIFIED: 'Convenio de Mediación Ratificado',
  NOTARIAL: 'Convenio de Mediación Notarial',
  ADMINISTRATIVE: 'Convenio de Mediación Administrativo',
};

export function ruleBit(rule: ExclusionRuleId): number {
  return 1 << (EXCLUSION_RULE_IDS.indexOf(rule));
}

/** The rules whose bit is set, in order. */
export function rulesOfMask(mask: number): ExclusionRuleId[] {
  return EXCLUSION_RULE_IDS.filter((rule) => (mask & ruleBit(rule)) !== 0);
}

export interface ExclusionFacts extends SolutionFacts {
  brokenConvenios: number;
  housingStatus: string;
  activeRestructure: boolean;
  outsourced: boolean;
  trustPool: boolean;
  billingActive: boolean;
  activeExtension: boolean;
  accompaniment: boolean;
}

/** Every enabled criterion that holds — all of them, not only the first (SPEC §3). */
export function exclusionMask(facts: ExclusionFacts, criteria: ExclusionCriteria, solutions: SolutionParameters): number {
  const holds: Record<ExclusionRuleId, boolean> = {
    'EXC-1': facts.brokenConvenios >= criteria['EXC-1'].maxBrokenConvenios,
    'EXC-2': (criteria['EXC-2'].housingStatuses as string[]).includes(facts.housingStatus),
    'EXC-3': facts.activeRestructure,
    'EXC-4': facts.outsourced,
    'EXC-5': facts.trustPool,
    'EXC-6': !facts.billingActive,
    'EXC-7': facts.activeExtension,
    'EXC-8': !hasAvailableSolution(facts, solutions),
    'EXC-9': (criteria['EXC-9'].legalStages as string[]).includes(facts.legalStage),
    'EXC-10': facts.accompaniment,
  };
  let mask = 0;
  for (const rule of EXCLUSION_RULE_IDS) if (criteria[rule].enabled && holds[rule]) mask |= ruleBit(rule);
  return mask;
}

/** ASG-3: the first rule that matches decides; mediator kinds available in the delegation gate a rule. */
export function chooseConvenioType(
  credit: { delegationId: number; segment: string; balanceCents: bigint },
  availableKinds: ReadonlySet<string>,
  criteria: ConvenioTypeCriteria,
): ConvenioType {
  for (const rule of criteria.rules) {
    if (rule.delegationIds && !rule.delegationIds.includes(credit.delegationId)) continue;
    if (rule.segments && !rule.segments.includes(credit.segment)) continue;
    if (rule.minBalanceCents !== undefined && credit.balanceCents < BigInt(rule.minBalanceCents)) continue;
    if (rule.requiresMediatorKind && !availableKinds.has(rule.requiresMediatorKind)) continue;
    return rule.type;
  }
  return criteria.fallback;
}

/**
 * ASG-4 capacity split, the arithmetic the SQL performs. An agency's monthly capacity is shared
 * among the delegations it serves in proportion to their demand (floor); within a delegation the
 * agencies' ranges over the credits' deterministic order are scaled so that at most
 * min(demand, total quota) credits are assigned and no agency exceeds its quota.
 */
export function quotaOf(capacity: number, delegationDemand: number, agencyTotalDemand: number): number {
  if (agencyTotalDemand === 0) return 0;
  return Number((BigInt(capacity) * BigInt(delegationDemand)) / BigInt(agencyTotalDemand));
}

export function scaledRanges(quotas: number[], demand: number): Array<{ lo: number; hi: number }> {
  const total = quotas.reduce((a, b) => a + b, 0);
  const assigned = Math.min(demand, total);
  let cumulative = 0;
  return quotas.map((quota) => {
    const lo = total === 0 ? 0 : Math.floor((cumulative * assigned) / total);
    cumulative += quota;
    const hi = total === 0 ? 0 : Math.floor((cumulative * assigned) / total);
    return { lo, hi };
  });
}
