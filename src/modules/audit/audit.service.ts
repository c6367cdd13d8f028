/**
 * The audit trail (SEC-3) and the log of personal-data reads (SEC-4).
 * `recordEvent` must be called inside the transaction that makes the change it describes.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import { eventHash, verifyChain, type ChainCheck, type ChainedEvent } from './audit.rules.js';

export interface Actor {
  userId: number | null;
  role: string;
}

export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system' };

/** The audit actor of a signed-in user. */
export function actorOf(user: { id: number; role: string }): Actor {
  return { userId: user.id, role: user.role };
}

export interface EventInput {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Appends one event to the chain. Serialised by the row lock on the chain head. */
export async function recordEvent(trx: Executor, actor: Actor, now: Date, input: EventInput): Promise<bigint> {
  const head = await trx
    .selectFrom('audit_chain_head')
    .select(['last_id', 'last_hash'])
    .forUpdate()
    .executeTakeFirstOrThrow();
  const before = toJson(input.before);
  const after = toJson(input.after);
  const event: ChainedEvent = {
    id: head.last_id + 1n,
    occurredAt: now,
    actorUserId: actor.userId,
    actorRole: actor.role,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    // Hash what will be read back: the JSON round trip (bigint → string, dates → ISO).
    before: before === null ? null : JSON.parse(before),
    after: after === null ? null : JSON.parse(after),
  };
  const hash = eventHash(head.last_hash, event);
  await trx
    .insertInto('audit_events')
    .values({
      id: event.id,
      occurred_at: now,
      actor_user_id: actor.userId,
      actor_role: actor.role,
      action: input.action,
      entity_type: input.entityType,
      entity_id: input.entityId,
      before,
      after,
      prev_hash: head.last_hash,
      hash,
    })
    .execute();
  await trx.updateTable('audit_chain_head').set({ last_id: event.id, last_hash: hash }).execute();
  return event.id;
}

/** SEC-4: logs that `actor` read the personal data of these credits. */
export async function logPersonalDataRead(
  trx: Executor,
  actor: { userId: number; role: string },
  now: Date,
  creditNumbers: readonly string[],
  purpose: string,
): Promise<void> {
  if (creditNumbers.length === 0) return;
  await trx
    .insertInto('personal_data_reads')
    .values(creditNumbers.map((creditNumber) => ({ occurred_at: now, user_id: actor.userId, role: actor.role, credit_number: creditNumber, purpose })))
    .execute();
}

/** Checks the whole chain in pages, then that the head points at the last event. */
export async function verifyAuditTrail(db: Executor, onProgress?: (checked: number, total: number) => void): Promise<ChainCheck> {
  const head = await db.selectFrom('audit_chain_head').select(['last_id', 'last_hash']).executeTakeFirstOrThrow();
  const total = Number((await db.selectFrom('audit_events').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  let lastId = 0n;
  let lastHash = '0'.repeat(64);
  let checked = 0;
  const pageSize = 5000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    const result = verifyChain(
      rows.map((row) => ({
        id: row.id,
        occurredAt: row.occurred_at,
        actorUserId: row.actor_user_id,
        actorRole: row.actor_role,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        before: row.before,
        after: row.after,
        prevHash: row.prev_hash,
        hash: row.hash,
      })),
      lastHash,
      checked,
    );
    if (!result.ok) return result;
    // A gap in ids means an event was removed even if the hashes were recomputed after it.
    const expectedLast = lastId + BigInt(rows.length);
    const last = rows[rows.length - 1]!;
    if (last.id !== expectedLast) {
      const firstGap = rows.find((row, index) => row.id !== lastId + BigInt(index) + 1n)!;
      return { ok: false, checked, brokenAt: firstGap.id, reason: 'falta un evento antes de este (numeración con huecos)' };
    }
    checked = result.checked;
    lastId = last.id;
    lastHash = last.hash;
    onProgress?.(checked, total);
  }
  if (head.last_id !== lastId || head.last_hash !== lastHash) {
    return { ok: false, checked, brokenAt: head.last_id, reason: 'la cabeza de la cadena no coincide con el último evento (eventos finales borrados)' };
  }
  return { ok: true, checked };
}

/** The events of one entity, oldest first (for the auditor and the case history). */
export async function findEntityEvents(db: Executor, input: { entityType: string; entityId: string }) {
  const rows = await db
    .selectFrom('audit_events')
    .select(['id', 'occurred_at', 'actor_user_id', 'actor_role', 'action', 'before', 'after'])
    .where('entity_type', '=', input.entityType)
    .where('entity_id', '=', input.entityId)
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map((row) => ({
    id: row.id.toString(),
    occurredAt: row.occurred_at,
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    action: row.action,
    before: row.before,
    after: row.after,
  }));
}
