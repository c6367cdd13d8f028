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
    if (rule.segments && !(rule.segments as readonly string[]).includes(credit.segment)) continue;
    if (rule.minBalanceCents !== undefined && credit.balanceCents < BigInt(rule.minBalanceCents)) continue;
    if (rule.requiresMediatorKind && !availableKinds.has(rule.requiresMediatorKind)) continue;
    return rule.type;
  }
  return criteria.fallback;
}

/**
 * ASG-4 capacity split, the start of allocateCapacity. An agency's monthly capacity is shared
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

export interface CapacityAgency {
  id: number;
  capacity: number;
  /** the delegaciones it serves */
  delegationIds: readonly number[];
}

/** How many of a delegación's tagged credits each agency takes: agencies in id order. */
export type CapacityAllocation = Map<number, Array<{ agencyId: number; count: number }>>;

/**
 * ASG-4: how many tagged credits of each delegación go to each agency that serves it — as many
 * credits as the agencies' capacities allow in all (a maximum flow from agencies to delegaciones),
 * none over an agency's capacity, the same result for the same inputs.
 *
 * It starts from the proportional split (quotaOf, scaledRanges), which keeps every agency's load
 * spread over its delegaciones by their demand and stable from month to month, and then gives the
 * capacity that split leaves unused to the credits it leaves without agency: shortest augmenting
 * paths (Edmonds–Karp) from agencies with room to delegaciones with credits left, visited in id
 * order, moving part of a delegación's credits to another of its agencies where that frees room
 * for a credit elsewhere. The proportional split alone left credits without agency in a delegación
 * while the agencies serving it had room, because it never hands to one delegación the capacity
 * another of the agency's delegaciones did not need. The graph is agencies × delegaciones (tens of
 * nodes): the work is independent of the number of credits.
 */
export function allocateCapacity(demand: ReadonlyMap<number, number>, agencies: readonly CapacityAgency[]): CapacityAllocation {
  const byId = [...agencies].sort((a, b) => a.id - b.id);
  const delegations = [...demand.keys()].sort((a, b) => a - b);
  const served = new Map<number, number[]>(delegations.map((d) => [d, []]));
  for (const agency of byId) for (const d of [...agency.delegationIds].sort((a, b) => a - b)) served.get(d)?.push(agency.id);

  // flow[a][d]: credits of delegación d given to agency a
  const flow = new Map<number, Map<number, number>>(byId.map((a) => [a.id, new Map()]));
  const get = (a: number, d: number) => flow.get(a)!.get(d) ?? 0;
  const add = (a: number, d: number, n: number) => flow.get(a)!.set(d, get(a, d) + n);

  // the proportional start
  const agencyDemand = new Map(byId.map((a) => [a.id, a.delegationIds.reduce((sum, d) => sum + (demand.get(d) ?? 0), 0)]));
  for (const d of delegations) {
    const agencyIds = served.get(d)!;
    const quotas = agencyIds.map((id) => quotaOf(byId.find((a) => a.id === id)!.capacity, demand.get(d)!, agencyDemand.get(id)!));
    scaledRanges(quotas, demand.get(d)!).forEach((range, i) => add(agencyIds[i]!, d, range.hi - range.lo));
  }

  const room = new Map(byId.map((a) => [a.id, a.capacity - [...flow.get(a.id)!.values()].reduce((x, y) => x + y, 0)]));
  const left = new Map(delegations.map((d) => [d, demand.get(d)! - byId.reduce((sum, a) => sum + get(a.id, d), 0)]));
  const servedBy = new Map(byId.map((a) => [a.id, a.delegationIds.filter((d) => demand.has(d)).sort((x, y) => x - y)]));

  for (;;) {
    // breadth first from every agency with room: agency → a delegación it serves → an agency that
    // holds credits of that delegación (which may give some up) → …, until a delegación with credits left
    const cameFrom = new Map<number, number>(); // delegación → the agency that reached it
    const reachedBy = new Map<number, number>(); // agency → the delegación it gives credits of
    const queue = byId.filter((a) => room.get(a.id)! > 0).map((a) => a.id);
    const seen = new Set(queue);
    let end: number | undefined;
    for (let i = 0; i < queue.length && end === undefined; i++) {
      const a = queue[i]!;
      for (const d of servedBy.get(a)!) {
        if (cameFrom.has(d)) continue;
        cameFrom.set(d, a);
        if (left.get(d)! > 0) {
          end = d;
          break;
        }
        for (const other of served.get(d)!) {
          if (seen.has(other) || get(other, d) === 0) continue;
          seen.add(other);
          reachedBy.set(other, d);
          queue.push(other);
        }
      }
    }
    if (end === undefined) break;
    // the path back to its starting agency, and how much it carries
    const path: Array<{ agency: number; delegation: number }> = [];
    let amount = left.get(end)!;
    for (let d: number | undefined = end; d !== undefined; ) {
      const a: number = cameFrom.get(d)!;
      path.push({ agency: a, delegation: d });
      const previous = reachedBy.get(a);
      if (previous === undefined) amount = Math.min(amount, room.get(a)!);
      else amount = Math.min(amount, get(a, previous));
      d = previous;
    }
    for (const { agency, delegation } of path) {
      add(agency, delegation, amount);
      const previous = reachedBy.get(agency);
      if (previous === undefined) room.set(agency, room.get(agency)! - amount);
      else add(agency, previous, -amount);
    }
    left.set(end, left.get(end)! - amount);
  }

  return new Map(
    delegations.map((d) => [d, served.get(d)!.map((agencyId) => ({ agencyId, count: get(agencyId, d) })).filter((share) => share.count > 0)]),
  );
}
