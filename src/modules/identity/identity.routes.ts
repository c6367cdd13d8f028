import { z } from 'zod';
import type { Executor } from '../../db/index.js';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { SESSION_COOKIE } from '../../http/auth.js';
import {
  authenticate,
  createApiToken,
  createSession,
  deleteSession,
  describeScope,
  findApiTokens,
  revokeApiToken,
  roleLabel,
  type AuthUser,
} from './identity.service.js';
import { ZApiTokenCreated, ZApiTokenList, ZCreateApiToken, ZError, ZLogin, ZSessionReply, type TMe } from './identity.schemas.js';

export async function describeUser(db: Executor, user: AuthUser): Promise<TMe> {
  const { kind, ...ids } = user.scope;
  return {
    id: user.id,
    username: user.username,
    fullName: user.fullName,
    role: user.role,
    roleLabel: roleLabel(user.role),
    scope: { kind, label: await describeScope(db, user.scope), ...ids },
  };
}

export function identityRoutes(app: App, context: AppContext): void {
  app.post('/api/auth/login', {
    config: {
      access: 'public',
      // Per address and account: many staff share one office proxy; the account lockout covers
      // slow guessing across addresses.
      rateLimit: {
        max: 10,
        timeWindow: '1 minute',
        keyGenerator: (request) => `${request.ip}|${String((request.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
      },
    },
    schema: {
      tags: ['Sesión'],
      summary: 'Iniciar sesión (cookie HttpOnly + token CSRF)',
      body: ZLogin,
      response: { 200: ZSessionReply, 401: ZError, 423: ZError, 429: ZError },
    },
    handler: async (request, reply) => {
      const now = context.clock.now();
      // Failed attempts must be counted even though the login is refused: commit them, then throw.
      const outcome = await inTransaction(context, async (trx) => {
        try {
          const user = await authenticate(trx, { ...request.body, now });
          const session = await createSession(trx, user, { now, hours: context.sessionHours });
          return { ok: true as const, user: await describeUser(trx, user), session };
        } catch (error) {
          return { ok: false as const, error };
        }
      });
      if (!outcome.ok) throw outcome.error;
      void reply.setCookie(SESSION_COOKIE, outcome.session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: context.cookieSecure,
        path: '/',
        expires: outcome.session.expiresAt,
      });
      return { user: outcome.user, csrfToken: outcome.session.csrfToken };
    },
  });

  app.post('/api/auth/logout', {
    config: { access: 'authenticated' },
    schema: { tags: ['Sesión'], summary: 'Cerrar sesión', response: { 204: z.null() } },
    handler: async (request, reply) => {
      const user = userOf(request);
      if (request.sessionToken) {
        const token = request.sessionToken;
        await inTransaction(context, (trx) => deleteSession(trx, user, token, context.clock.now()));
      }
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  app.get('/api/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['Sesión'], summary: 'Usuario actual, rol y alcance', response: { 200: ZSessionReply, 401: ZError } },
    handler: async (request) => ({ user: await describeUser(context.db, userOf(request)), csrfToken: request.csrfToken ?? '' }),
  });

  app.get('/api/tokens', {
    config: { access: 'authenticated' },
    schema: { tags: ['Sesión'], summary: 'Tokens de acceso para programas', response: { 200: ZApiTokenList } },
    handler: async (request) => findApiTokens(context.db, userOf(request)),
  });

  app.post('/api/tokens', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Sesión'],
      summary: 'Crear un token de acceso (se muestra una sola vez)',
      body: ZCreateApiToken,
      response: { 201: ZApiTokenCreated, 409: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const created = await inTransaction(context, (trx) => createApiToken(trx, user, { name: request.body.name, now: context.clock.now() }));
      return reply.status(201).send({ ...created, name: request.body.name });
    },
  });

  app.delete('/api/tokens/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['Sesión'], summary: 'Revocar un token', params: z.object({ id: z.coerce.number().int() }), response: { 204: z.null(), 404: ZError } },
    handler: async (request, reply) => {
      const user = userOf(request);
      await inTransaction(context, (trx) => revokeApiToken(trx, user, { id: request.params.id, now: context.clock.now() }));
      return reply.status(204).send(null);
    },
  });
}
