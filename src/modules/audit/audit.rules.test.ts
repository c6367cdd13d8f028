import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, eventHash, GENESIS_HASH, verifyChain, type ChainedEvent } from './audit.rules.js';

function chain(events: ChainedEvent[]) {
  let previous = GENESIS_HASH;
  return events.map((event) => {
    const hash = eventHash(previous, event);
    const linked = { ...event, prevHash: previous, hash };
    previous = hash;
    return linked;
  });
}

const event = (id: number, after: unknown): ChainedEvent => ({
  id: BigInt(id),
  occurredAt: new Date(Date.UTC(2026, 10, 23, 12, 0, id)),
  actorUserId: 1,
  actorRole: 'operations',
  action: 'test.changed',
  entityType: 'credit',
  entityId: '0000000001',
  before: null,
  after,
});

describe('SEC-3 hash chain', () => {
  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 }));
  });

  it('verifies an intact chain', () => {
    const events = chain([event(1, { x: 1 }), event(2, { x: 2 }), event(3, { x: 3 })]);
    expect(verifyChain(events)).toEqual({ ok: true, checked: 3 });
  });

  it('names the first altered event (SEC-3)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), (tampered) => {
        const events = chain(Array.from({ length: 10 }, (_, i) => event(i + 1, { amount: i })));
        events[tampered] = { ...events[tampered]!, after: { amount: 999 } };
        const result = verifyChain(events);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.brokenAt).toBe(BigInt(tampered + 1));
      }),
    );
  });

  it('detects a deleted event by its broken link (SEC-3)', () => {
    const events = chain([event(1, 1), event(2, 2), event(3, 3)]);
    const result = verifyChain([events[0]!, events[2]!]);
    expect(result).toMatchObject({ ok: false, brokenAt: 3n });
  });
});
