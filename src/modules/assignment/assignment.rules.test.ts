import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONVENIO_TYPE_CRITERIA, DEFAULT_EXCLUSION_CRITERIA, EXCLUSION_RULE_IDS, type ExclusionCriteria } from '../policy/policy.definitions.js';
import { DEFAULT_SOLUTION_PARAMETERS } from '../solutions/solutions.policy.js';
import { allocateCapacity, chooseConvenioType, exclusionMask, quotaOf, ruleBit, rulesOfMask, scaledRanges, type CapacityAgency, type ExclusionFacts } from './assignment.rules.js';

/** A credit no criterion excludes: delinquent (so SOL-2 is available), inhabited, clean. */
const eligible: ExclusionFacts = {
  denomination: 'MXN',
  cofinanced: false,
  monthsInArrears: 5,
  balanceCents: 40_000_000n,
  originalAmountCents: 60_000_000n,
  termMonths: 360,
  paymentsMade: 100,
  unemploymentInsuranceExhausted: false,
  isRetired: false,
  legalStage: 'none',
  brokenConvenios: 0,
  housingStatus: 'inhabited',
  activeRestructure: false,
  outsourced: false,
  trustPool: false,
  billingActive: true,
  activeExtension: false,
  accompaniment: false,
  monthlyPaymentCents: 450_000n,
  borrowerMonthlyIncomeCents: 1_200_000n,
  borrowerMonthlyPensionCents: 800_000n,
};

/** The one fact that makes each criterion hold. */
const trigger: Record<(typeof EXCLUSION_RULE_IDS)[number], Partial<ExclusionFacts>> = {
  'EXC-1': { brokenConvenios: 2 },
  'EXC-2': { housingStatus: 'invaded' },
  'EXC-3': { activeRestructure: true },
  'EXC-4': { outsourced: true },
  'EXC-5': { trustPool: true },
  'EXC-6': { billingActive: false },
  'EXC-7': { activeExtension: true },
  'EXC-8': { monthsInArrears: 0 },
  'EXC-9': { legalStage: 'lawsuit_filed' },
  'EXC-10': { accompaniment: true },
};

const mask = (facts: ExclusionFacts, criteria: ExclusionCriteria = DEFAULT_EXCLUSION_CRITERIA) =>
  exclusionMask(facts, criteria, DEFAULT_SOLUTION_PARAMETERS);

describe('exclusion criteria (SPEC §3)', () => {
  it('a clean delinquent credit is tagged (ASG-1)', () => {
    expect(mask(eligible)).toBe(0);
  });

  it.each(EXCLUSION_RULE_IDS)('%s alone excludes the credit, and only that rule is recorded', (rule) => {
    const result = mask({ ...eligible, ...trigger[rule] });
    expect(rulesOfMask(result)).toEqual([rule]);
  });

  it.each(EXCLUSION_RULE_IDS)('%s switched off by the policy no longer excludes (ASG-2)', (rule) => {
    const criteria = structuredClone(DEFAULT_EXCLUSION_CRITERIA);
    criteria[rule].enabled = false;
    expect(mask({ ...eligible, ...trigger[rule] }, criteria)).toBe(0);
  });

  it('records every rule that holds, not only the first', () => {
    const facts = { ...eligible, ...trigger['EXC-3'], ...trigger['EXC-7'], ...trigger['EXC-10'] };
    expect(rulesOfMask(mask(facts))).toEqual(['EXC-3', 'EXC-7', 'EXC-10']);
  });

  it('EXC-1 holds at two broken convenios, not at one (re-mediation allowed once)', () => {
    expect(mask({ ...eligible, brokenConvenios: 1 })).toBe(0);
    expect(rulesOfMask(mask({ ...eligible, brokenConvenios: 3 }))).toEqual(['EXC-1']);
  });

  it('EXC-8 holds only when no solution of SOL-1..5 is available', () => {
    const current = { ...eligible, monthsInArrears: 0 };
    expect(rulesOfMask(mask(current))).toEqual(['EXC-8']);
    expect(mask({ ...current, denomination: 'VSM' })).toBe(0); // SOL-1 Responsabilidad Compartida
    expect(mask({ ...current, balanceCents: 15_000_000n })).toBe(0); // SOL-3: 25% of 600,000
    expect(mask({ ...current, isRetired: true, paymentsMade: 120 })).toBe(0); // SOL-5
    // SOL-1 needs an income (or a pension) for its rate band; SOL-5 a pension whose 25% lowers the payment
    expect(rulesOfMask(mask({ ...current, denomination: 'VSM', borrowerMonthlyIncomeCents: null, borrowerMonthlyPensionCents: null }))).toEqual(['EXC-8']);
    expect(mask({ ...current, denomination: 'VSM', borrowerMonthlyIncomeCents: null })).toBe(0);
    expect(rulesOfMask(mask({ ...current, isRetired: true, paymentsMade: 120, borrowerMonthlyPensionCents: 1_800_000n }))).toEqual(['EXC-8']);
    expect(rulesOfMask(mask({ ...current, isRetired: true, paymentsMade: 120, borrowerMonthlyPensionCents: null }))).toEqual(['EXC-8']);
  });

  it('property: a credit is tagged iff no enabled criterion holds', () => {
    const arbitraryFacts = fc.record({
      brokenConvenios: fc.integer({ min: 0, max: 3 }),
      housingStatus: fc.constantFrom('inhabited', 'abandoned', 'invaded', 'vandalised', 'uninhabited', 'not_located'),
      activeRestructure: fc.boolean(),
      outsourced: fc.boolean(),
      trustPool: fc.boolean(),
      billingActive: fc.boolean(),
      activeExtension: fc.boolean(),
      legalStage: fc.constantFrom('none', 'lawsuit_filed', 'judgment', 'execution'),
      accompaniment: fc.boolean(),
      monthsInArrears: fc.integer({ min: 0, max: 24 }),
      denomination: fc.constantFrom('VSM' as const, 'MXN' as const),
    });
    const arbitraryEnabled = fc.record(Object.fromEntries(EXCLUSION_RULE_IDS.map((rule) => [rule, fc.boolean()])) as Record<string, fc.Arbitrary<boolean>>);
    fc.assert(
      fc.property(arbitraryFacts, arbitraryEnabled, (partial, enabled) => {
        const facts = { ...eligible, ...partial };
        const criteria = structuredClone(DEFAULT_EXCLUSION_CRITERIA);
        for (const rule of EXCLUSION_RULE_IDS) criteria[rule].enabled = enabled[rule]!;
        const holds = EXCLUSION_RULE_IDS.filter((rule) => criteria[rule].enabled && mask({ ...facts }, onlyRule(rule, criteria)) !== 0);
        expect(rulesOfMask(mask(facts, criteria))).toEqual(holds);
        expect(mask(facts, criteria) === 0).toBe(holds.length === 0);
      }),
      { numRuns: 500 },
    );
  });

  it('bits are distinct powers of two', () => {
    expect(new Set(EXCLUSION_RULE_IDS.map(ruleBit)).size).toBe(10);
    expect(ruleBit('EXC-10')).toBe(512);
  });
});

function onlyRule(rule: (typeof EXCLUSION_RULE_IDS)[number], base: ExclusionCriteria): ExclusionCriteria {
  const criteria = structuredClone(base);
  for (const other of EXCLUSION_RULE_IDS) criteria[other].enabled = other === rule;
  return criteria;
}

describe('ASG-3 convenio type', () => {
  const credit = { delegationId: 14, segment: 'cobranza_administrativa', balanceCents: 30_000_000n };
  it('RATIFIED when a CJA-certified mediator serves the delegation and the balance reaches the threshold', () => {
    expect(chooseConvenioType(credit, new Set(['cja_certified']), DEFAULT_CONVENIO_TYPE_CRITERIA)).toBe('RATIFIED');
  });
  it('NOTARIAL when only a notary is available and the balance is high', () => {
    expect(chooseConvenioType({ ...credit, balanceCents: 60_000_000n }, new Set(['notary']), DEFAULT_CONVENIO_TYPE_CRITERIA)).toBe('NOTARIAL');
  });
  it('ADMINISTRATIVE otherwise (no certification needed)', () => {
    expect(chooseConvenioType({ ...credit, balanceCents: 5_000_000n }, new Set(['cja_certified', 'notary']), DEFAULT_CONVENIO_TYPE_CRITERIA)).toBe('ADMINISTRATIVE');
    expect(chooseConvenioType(credit, new Set(['professional']), DEFAULT_CONVENIO_TYPE_CRITERIA)).toBe('ADMINISTRATIVE');
  });
  it('a rule restricted to delegations applies only there', () => {
    const criteria = { rules: [{ type: 'NOTARIAL' as const, delegationIds: [9] }], fallback: 'ADMINISTRATIVE' as const };
    expect(chooseConvenioType({ ...credit, delegationId: 9 }, new Set(), criteria)).toBe('NOTARIAL');
    expect(chooseConvenioType(credit, new Set(), criteria)).toBe('ADMINISTRATIVE');
  });
});

describe('ASG-4 capacity split', () => {
  it('an agency quota is its capacity shared by demand, rounded down', () => {
    expect(quotaOf(100, 30, 90)).toBe(33);
    expect(quotaOf(100, 0, 0)).toBe(0);
  });

  it('property: ranges assign min(demand, total quota) credits, contiguously, none over its quota', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 2000 }), (quotas, demand) => {
        const ranges = scaledRanges(quotas, demand);
        const total = quotas.reduce((a, b) => a + b, 0);
        const widths = ranges.map((r) => r.hi - r.lo);
        expect(widths.reduce((a, b) => a + b, 0)).toBe(Math.min(demand, total));
        widths.forEach((width, i) => expect(width).toBeLessThanOrEqual(quotas[i]!));
        ranges.forEach((range, i) => i > 0 && expect(range.lo).toBe(ranges[i - 1]!.hi));
      }),
    );
  });
});

describe('ASG-4 allocateCapacity: every tagged credit gets an agency while one that serves its delegación has room', () => {
  const total = (allocation: ReturnType<typeof allocateCapacity>) => [...allocation.values()].flat().reduce((sum, share) => sum + share.count, 0);

  /**
   * The most credits any allocation can assign, computed independently: by max-flow/min-cut, the
   * minimum over sets X of agencies of (capacity of the agencies outside X) + (demand of the
   * delegaciones some agency of X serves). Exponential in the agencies: small instances only.
   */
  function bruteForceMaximum(demand: Map<number, number>, agencies: CapacityAgency[]): number {
    let best = Infinity;
    for (let subset = 0; subset < 1 << agencies.length; subset++) {
      let cut = 0;
      const reached = new Set<number>();
      agencies.forEach((agency, i) => {
        if (subset & (1 << i)) agency.delegationIds.forEach((d) => reached.add(d));
        else cut += agency.capacity;
      });
      for (const d of reached) cut += demand.get(d) ?? 0;
      best = Math.min(best, cut);
    }
    return best;
  }

  it('gives a delegación the room its agencies have left after their other delegaciones (the demo month: 85 credits had none)', () => {
    // agency 1 serves delegaciones 1 and 2, agency 2 only delegación 2. Split by demand, agency 1
    // keeps 50 for delegación 2 that agency 2 already covers, and delegación 1 gets 50 of its 80.
    const demand = new Map([[1, 80], [2, 80]]);
    const agencies = [
      { id: 1, capacity: 100, delegationIds: [1, 2] },
      { id: 2, capacity: 100, delegationIds: [2] },
    ];
    const allocation = allocateCapacity(demand, agencies);
    expect(allocation.get(1)).toEqual([{ agencyId: 1, count: 80 }]);
    expect(allocation.get(2)).toEqual([{ agencyId: 1, count: 20 }, { agencyId: 2, count: 60 }]);
    expect(total(allocation)).toBe(160);
  });

  it('moves credits along a chain of agencies to free room where it is needed', () => {
    // only agency 3 has room, and only for delegación 2; delegación 1 can be served only by agency 1,
    // which is full with credits of delegación 2 at the start: they move to agency 3
    const demand = new Map([[1, 10], [2, 30]]);
    const agencies = [
      { id: 1, capacity: 20, delegationIds: [1, 2] },
      { id: 3, capacity: 30, delegationIds: [2] },
    ];
    const allocation = allocateCapacity(demand, agencies);
    expect(total(allocation)).toBe(40);
    expect(allocation.get(1)).toEqual([{ agencyId: 1, count: 10 }]);
  });

  it('leaves credits without agency only when the agencies serving them are full', () => {
    const allocation = allocateCapacity(new Map([[1, 50], [2, 10]]), [{ id: 1, capacity: 30, delegationIds: [1] }, { id: 2, capacity: 5, delegationIds: [2] }]);
    expect(allocation.get(1)).toEqual([{ agencyId: 1, count: 30 }]);
    expect(allocation.get(2)).toEqual([{ agencyId: 2, count: 5 }]);
    expect(allocateCapacity(new Map([[7, 5]]), [])).toEqual(new Map([[7, []]]));
  });

  it('keeps the proportional split when it already assigns everything it can', () => {
    // each agency serves both delegaciones and has room for its share: the split by demand stands
    const allocation = allocateCapacity(new Map([[1, 30], [2, 60]]), [
      { id: 1, capacity: 60, delegationIds: [1, 2] },
      { id: 2, capacity: 30, delegationIds: [1, 2] },
    ]);
    expect(allocation.get(1)).toEqual([{ agencyId: 1, count: 20 }, { agencyId: 2, count: 10 }]);
    expect(allocation.get(2)).toEqual([{ agencyId: 1, count: 40 }, { agencyId: 2, count: 20 }]);
  });

  it('property: within capacity and demand, only agencies that serve the delegación, as many as possible, the same for the same inputs', () => {
    const instance = fc
      .record({
        demands: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 5 }),
        agencies: fc.array(fc.record({ capacity: fc.integer({ min: 0, max: 400 }), serves: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }) }), { minLength: 0, maxLength: 6 }),
      })
      .map(({ demands, agencies }) => ({
        demand: new Map(demands.map((n, i) => [i + 1, n])),
        agencies: agencies.map((a, i) => ({ id: 10 + i, capacity: a.capacity, delegationIds: demands.map((_, d) => d + 1).filter((d) => a.serves[d - 1]) })),
      }));
    fc.assert(
      fc.property(instance, ({ demand, agencies }) => {
        const allocation = allocateCapacity(demand, agencies);
        for (const [d, shares] of allocation) {
          expect(shares.reduce((sum, share) => sum + share.count, 0)).toBeLessThanOrEqual(demand.get(d)!);
          for (const share of shares) {
            expect(share.count).toBeGreaterThan(0);
            expect(agencies.find((a) => a.id === share.agencyId)!.delegationIds).toContain(d);
          }
          expect(shares.map((share) => share.agencyId)).toEqual([...shares.map((share) => share.agencyId)].sort((a, b) => a - b));
        }
        for (const agency of agencies) {
          const load = [...allocation.values()].flat().filter((share) => share.agencyId === agency.id).reduce((sum, share) => sum + share.count, 0);
          expect(load).toBeLessThanOrEqual(agency.capacity);
        }
        expect(total(allocation)).toBe(bruteForceMaximum(demand, agencies));
        expect(allocateCapacity(new Map([...demand].reverse()), [...agencies].reverse())).toEqual(allocation);
      }),
      { numRuns: 300 },
    );
  });
});
