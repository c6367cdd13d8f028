/**
 * Reading and changing versioned policy values (ASG-2, SPEC §5). The value in force on a date is
 * the latest version whose effective date is on or before it.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { recordEvent, type Actor } from '../audit/audit.service.js';
import { POLICIES, type PolicyKey, type PolicyValue } from './policy.definitions.js';

export interface PolicyVersion<K extends PolicyKey> {
  id: number;
  key: K;
  version: number;
  value: PolicyValue<K>;
  reason: string;
  authorUserId: number | null;
  createdAt: Date;
  effectiveFrom: string;
  notifiedAreas: string[];
}

type Row = {
  id: number;
  policy_key: string;
  version: number;
  value: unknown;
  reason: string;
  author_user_id: number | null;
  created_at: Date;
  effective_from: string;
  notified_areas: string[];
};

/**
 * A stored value as the policy's type. Every value was valid for the schema when it was written
 * (changePolicy); a version written before the schema was tightened (say, a convenio-type rule
 * with an empty list of delegaciones, which matched no credit) is history and stays readable as it
 * was written, meaning what it meant then.
 */
function readValue<K extends PolicyKey>(key: K, stored: unknown): PolicyValue<K> {
  const parsed = POLICIES[key].schema.safeParse(stored);
  return (parsed.success ? parsed.data : stored) as PolicyValue<K>;
}

function toVersion<K extends PolicyKey>(key: K, row: Row): PolicyVersion<K> {
  return {
    id: row.id,
    key,
    version: row.version,
    value: readValue(key, row.value),
    reason: row.reason,
    authorUserId: row.author_user_id,
    createdAt: row.created_at,
    effectiveFrom: row.effective_from,
    notifiedAreas: row.notified_areas,
  };
}

/** The version in force on `date`; throws if the policy was never set (seed it first). */
export async function getPolicyInForce<K extends PolicyKey>(db: Executor, key: K, date: string): Promise<PolicyVersion<K>> {
  const row = await db
    .selectFrom('policy_versions')
    .selectAll()
    .where('policy_key', '=', key)
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) {
    throw new AppError('CONFLICT', { userMessage: `No hay una versión vigente de la política «${POLICIES[key].label}» al ${date}.` });
  }
  return toVersion(key, row as Row);
}

/** Every version of a policy, the latest first, with its author's name (ASG-2). */
export async function findPolicyVersions<K extends PolicyKey>(db: Executor, key: K): Promise<Array<PolicyVersion<K> & { authorName: string | null }>> {
  const rows = await db
    .selectFrom('policy_versions as p')
    .leftJoin('users as u', 'u.id', 'p.author_user_id')
    .selectAll('p')
    .select('u.full_name as author_name')
    .where('p.policy_key', '=', key)
    .orderBy('p.version', 'desc')
    .execute();
  return rows.map((row) => ({ ...toVersion(key, row as Row), authorName: row.author_name }));
}

/**
 * Records a new version. Only the policy's owners may (ASG-2); the reason and the effective date
 * are required; the areas notified are recorded (SPEC §5).
 */
export async function changePolicy<K extends PolicyKey>(
  trx: Executor,
  actor: Actor,
  input: { key: K; value: unknown; reason: string; effectiveFrom: string; notifiedAreas?: string[]; now: Date },
): Promise<PolicyVersion<K>> {
  const definition = POLICIES[input.key];
  if (actor.role !== 'system' && !(definition.owners as readonly string[]).includes(actor.role)) {
    throw new AppError('FORBIDDEN', { userMessage: `Sólo la Gerencia de Mediación y Convenios puede cambiar «${definition.label}».` });
  }
  const parsed = definition.schema.safeParse(input.value);
  if (!parsed.success) {
    throw new AppError('VALIDATION', {
      userMessage: `La política «${definition.label}» no es válida: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    });
  }
  if (input.reason.trim().length < 5) throw new AppError('VALIDATION', { userMessage: 'Indique el motivo del cambio.' });
  // Serialise concurrent changes of the same key; the UNIQUE (key, version) backs this up.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${input.key}))`.execute(trx);
  const last = await trx
    .selectFrom('policy_versions')
    .select(sql<number>`coalesce(max(version), 0)`.as('version'))
    .where('policy_key', '=', input.key)
    .executeTakeFirstOrThrow();
  const row = await trx
    .insertInto('policy_versions')
    .values({
      policy_key: input.key,
      version: Number(last.version) + 1,
      value: JSON.stringify(parsed.data),
      reason: input.reason.trim(),
      author_user_id: actor.userId,
      created_at: input.now,
      effective_from: input.effectiveFrom,
      notified_areas: input.notifiedAreas ?? [],
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordEvent(trx, actor, input.now, {
    action: 'policy.changed',
    entityType: 'policy',
    entityId: `${input.key}@${row.version}`,
    after: { value: parsed.data, reason: row.reason, effectiveFrom: row.effective_from, notifiedAreas: row.notified_areas },
  });
  return toVersion(input.key, row as Row);
}

/** Seeds every policy that has no version yet with its documented default. */
export async function seedDefaultPolicies(trx: Executor, now: Date, effectiveFrom: string): Promise<void> {
  for (const definition of Object.values(POLICIES)) {
    const exists = await trx.selectFrom('policy_versions').select('id').where('policy_key', '=', definition.key).executeTakeFirst();
    if (exists) continue;
    await changePolicy(trx, { userId: null, role: 'system' }, {
      key: definition.key as PolicyKey,
      value: definition.defaultValue,
      reason: `Valor inicial. ${definition.defaultSource}`,
      effectiveFrom,
      now,
    });
  }
}
