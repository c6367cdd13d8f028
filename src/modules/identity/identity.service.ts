/**
 * Users, sessions, API tokens and login (SPEC §1, SEC-2). Sessions and tokens are stored only as
 * sha256 hashes: a stolen database does not yield live credentials.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../../db/index.js';
import type { Role } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordEvent } from '../audit/audit.service.js';
import { ROLE_LABELS, lockedUntilAfterFailure, scopeOf, type Scope } from './identity.rules.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';

export interface AuthUser {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  scope: Scope;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

const userColumns = [
  'users.id',
  'users.username',
  'users.full_name',
  'users.role',
  'users.delegation_id',
  'users.agency_id',
  'users.mediator_id',
  'users.representative_id',
  'users.credit_number',
] as const;

type UserRow = {
  id: number;
  username: string;
  full_name: string;
  role: Role;
  delegation_id: number | null;
  agency_id: number | null;
  mediator_id: number | null;
  representative_id: number | null;
  credit_number: string | null;
};

function toAuthUser(row: UserRow): AuthUser {
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role,
    scope: scopeOf({
      id: row.id,
      role: row.role,
      delegationId: row.delegation_id,
      agencyId: row.agency_id,
      mediatorId: row.mediator_id,
      representativeId: row.representative_id,
      creditNumber: row.credit_number,
    }),
  };
}

const invalidCredentials = () =>
  new AppError('INVALID_CREDENTIALS', { userMessage: 'Usuario o contraseña incorrectos.' });

/**
 * Checks a username and password. Failures count towards a temporary lock (LOGIN_LOCKOUT);
 * every attempt on an existing account leaves an audit event.
 */
export async function authenticate(
  trx: Executor,
  input: { username: string; password: string; now: Date },
): Promise<AuthUser> {
  const row = await trx
    .selectFrom('users')
    .select([...userColumns, 'users.password_hash', 'users.active', 'users.failed_logins', 'users.locked_until'])
    .where('users.username', '=', input.username.trim().toLowerCase())
    .forUpdate()
    .executeTakeFirst();
  if (!row || !row.active) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw invalidCredentials();
  }
  if (row.locked_until && row.locked_until > input.now) {
    throw new AppError('ACCOUNT_LOCKED', {
      userMessage: 'La cuenta está bloqueada temporalmente por intentos fallidos. Intente de nuevo en unos minutos.',
    });
  }
  const actor = { userId: row.id, role: row.role };
  if (!(await verifyPassword(row.password_hash, input.password))) {
    const failedLogins = row.failed_logins + 1;
    const lockedUntil = lockedUntilAfterFailure(failedLogins, input.now);
    await trx
      .updateTable('users')
      .set({ failed_logins: lockedUntil ? 0 : failedLogins, locked_until: lockedUntil })
      .where('id', '=', row.id)
      .execute();
    await recordEvent(trx, actor, input.now, {
      action: lockedUntil ? 'auth.account_locked' : 'auth.login_failed',
      entityType: 'user',
      entityId: String(row.id),
      after: { failedLogins, lockedUntil },
    });
    throw invalidCredentials();
  }
  if (row.failed_logins > 0 || row.locked_until) {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', row.id).execute();
  }
  return toAuthUser(row);
}

export async function createSession(
  trx: Executor,
  user: AuthUser,
  input: { now: Date; hours: number },
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(input.now.getTime() + input.hours * 3_600_000);
  await trx
    .insertInto('user_sessions')
    .values({ token_hash: sha256(token), user_id: user.id, csrf_token: csrfToken, created_at: input.now, expires_at: expiresAt })
    .execute();
  await trx.deleteFrom('user_sessions').where('user_id', '=', user.id).where('expires_at', '<', input.now).execute();
  await recordEvent(trx, { userId: user.id, role: user.role }, input.now, {
    action: 'auth.login',
    entityType: 'user',
    entityId: String(user.id),
    after: { expiresAt },
  });
  return { token, csrfToken, expiresAt };
}

export async function findSession(
  db: Executor,
  token: string,
  now: Date,
): Promise<{ user: AuthUser; csrfToken: string } | undefined> {
  const row = await db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select([...userColumns, 'user_sessions.csrf_token'])
    .where('user_sessions.token_hash', '=', sha256(token))
    .where('user_sessions.expires_at', '>', now)
    .where('users.active', '=', true)
    .executeTakeFirst();
  return row ? { user: toAuthUser(row), csrfToken: row.csrf_token } : undefined;
}

export async function deleteSession(trx: Executor, user: AuthUser, token: string, now: Date): Promise<void> {
  await trx.deleteFrom('user_sessions').where('token_hash', '=', sha256(token)).execute();
  await recordEvent(trx, { userId: user.id, role: user.role }, now, {
    action: 'auth.logout',
    entityType: 'user',
    entityId: String(user.id),
  });
}

/** A bearer token for programs. The secret is returned once and never stored. */
export async function createApiToken(
  trx: Executor,
  user: AuthUser,
  input: { name: string; now: Date },
): Promise<{ id: number; token: string }> {
  const secret = `cs_${newSecret()}`;
  const existing = await trx
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', user.id)
    .where('name', '=', input.name)
    .executeTakeFirst();
  if (existing) throw new AppError('CONFLICT', { userMessage: `Ya existe un token llamado «${input.name}».` });
  const { id } = await trx
    .insertInto('api_tokens')
    .values({ user_id: user.id, name: input.name, token_hash: sha256(secret), created_at: input.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, { userId: user.id, role: user.role }, input.now, {
    action: 'api_token.created',
    entityType: 'api_token',
    entityId: String(id),
    after: { name: input.name },
  });
  return { id, token: secret };
}

export async function revokeApiToken(trx: Executor, user: AuthUser, input: { id: number; now: Date }): Promise<void> {
  const result = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: input.now })
    .where('id', '=', input.id)
    .where('user_id', '=', user.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw new AppError('NOT_FOUND', { userMessage: 'Token no encontrado.' });
  await recordEvent(trx, { userId: user.id, role: user.role }, input.now, {
    action: 'api_token.revoked',
    entityType: 'api_token',
    entityId: String(input.id),
  });
}

export async function findApiTokens(db: Executor, user: AuthUser) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at as createdAt', 'last_used_at as lastUsedAt', 'revoked_at as revokedAt'])
    .where('user_id', '=', user.id)
    .orderBy('id')
    .execute();
}

export async function findUserByApiToken(db: Executor, token: string, now: Date): Promise<AuthUser | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([...userColumns, 'api_tokens.id as token_id'])
    .where('api_tokens.token_hash', '=', sha256(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  return toAuthUser(row);
}

/** How the user's scope reads in Spanish ("Delegación Regional Jalisco"). */
export async function describeScope(db: Executor, scope: Scope): Promise<string> {
  switch (scope.kind) {
    case 'national':
      return 'Nacional';
    case 'delegation':
      return (await db.selectFrom('delegations').select('name').where('id', '=', scope.delegationId).executeTakeFirstOrThrow()).name;
    case 'agency':
    case 'field_agent':
      return (await db.selectFrom('agencies').select('name').where('id', '=', scope.agencyId).executeTakeFirstOrThrow()).name;
    case 'mediator': {
      const row = await db
        .selectFrom('mediators')
        .innerJoin('agencies', 'agencies.id', 'mediators.agency_id')
        .select(['agencies.name'])
        .where('mediators.id', '=', scope.mediatorId)
        .executeTakeFirstOrThrow();
      return `Casos distribuidos a usted (${row.name})`;
    }
    case 'representative':
      return 'Casos en los que representa al Infonavit';
    case 'credit':
      return `Crédito ${scope.creditNumber}`;
  }
}

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}
