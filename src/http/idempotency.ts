/**
 * Idempotent writes (issue 4: "captures sent twice by flaky mobile networks are applied once").
 * The client sends `Idempotency-Key: <uuid>` with a write; the first request stores its result
 * under (user, key) in the same transaction as the change; a retry with the same key and the same
 * request gets that result again without applying anything; the same key with a different request
 * is refused (422). Two copies arriving at once: the second waits on the first's row lock.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../db/index.js';
import { AppError } from '../errors.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers[IDEMPOTENCY_HEADER];
  const key = Array.isArray(value) ? value[0] : value;
  if (key === undefined || key === '') return undefined;
  if (key.length < 8 || key.length > 200 || !/^[A-Za-z0-9._:-]+$/.test(key)) {
    throw new AppError('VALIDATION', { userMessage: 'La clave de idempotencia debe tener de 8 a 200 caracteres (letras, números, «-», «_», «.», «:»).' });
  }
  return key;
}

function fingerprintOf(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

export interface IdempotentResult<T> {
  result: T;
  replayed: boolean;
}

/**
 * Runs `work` once per (user, key). `work`'s result must be JSON (it is stored and replayed).
 * Without a key, `work` simply runs.
 */
export async function idempotent<T>(
  trx: Executor,
  request: FastifyRequest,
  userId: number,
  now: Date,
  work: () => Promise<T>,
): Promise<IdempotentResult<T>> {
  const key = idempotencyKeyOf(request);
  if (key === undefined) return { result: await work(), replayed: false };
  const fingerprint = fingerprintOf(request);
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, fingerprint, status_code: 0, response: null, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!claimed) {
    const stored = await trx
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'response'])
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (stored.fingerprint !== fingerprint) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', {
        userMessage: 'Esta clave de idempotencia ya se usó para otra operación. Genere una clave nueva para cada captura.',
      });
    }
    return { result: stored.response as T, replayed: true };
  }
  const result = await work();
  await trx
    .updateTable('idempotency_keys')
    .set({ status_code: 200, response: JSON.stringify(result ?? null) })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
  return { result, replayed: false };
}
