/**
 * SEC-3: every change is an event; each event carries the hash of the previous one, so editing or
 * deleting any event breaks the chain from that point on.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  id: bigint;
  occurredAt: Date;
  actorUserId: number | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** JSON with sorted keys, so that jsonb's reordering does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function eventHash(prevHash: string, event: ChainedEvent): string {
  const body = canonicalJson({
    id: event.id,
    occurredAt: event.occurredAt,
    actorUserId: event.actorUserId,
    actorRole: event.actorRole,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    before: event.before ?? null,
    after: event.after ?? null,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainCheck =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: bigint; reason: string };

/** Walks events in id order; names the first event whose link does not hold. */
export function verifyChain(
  events: Iterable<ChainedEvent & { prevHash: string; hash: string }>,
  startHash = GENESIS_HASH,
  startIndex = 0,
): ChainCheck {
  let previous = startHash;
  let checked = startIndex;
  for (const event of events) {
    if (event.prevHash !== previous) {
      return { ok: false, checked, brokenAt: event.id, reason: 'el enlace con el evento anterior no coincide (evento borrado o insertado)' };
    }
    if (eventHash(previous, event) !== event.hash) {
      return { ok: false, checked, brokenAt: event.id, reason: 'el contenido del evento fue alterado' };
    }
    previous = event.hash;
    checked += 1;
  }
  return { ok: true, checked };
}
