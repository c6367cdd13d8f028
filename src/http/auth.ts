/**
 * Authentication and authorisation in one place. Every /api route must declare `config.access`;
 * the server refuses to start otherwise. Reads are scoped in SQL by the modules (SEC-2).
 */
import type { FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../errors.js';
import { findSession, findUserByApiToken } from '../modules/identity/identity.service.js';
import type { App, AppContext } from './context.js';

export const SESSION_COOKIE = 'cs_session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function requireDeclaredAccess(route: RouteOptions): void {
  if (route.url.startsWith('/api/') && route.config?.access === undefined) {
    throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
  }
}

async function identify(context: AppContext, request: FastifyRequest): Promise<void> {
  const now = context.clock.now();
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const user = match ? await findUserByApiToken(context.db, match[1]!, now) : undefined;
    if (!user) throw new AppError('UNAUTHENTICATED', { userMessage: 'El token de acceso no es válido o fue revocado.' });
    request.user = user;
    return;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  const session = await findSession(context.db, token, now);
  if (!session) return;
  request.user = session.user;
  request.sessionToken = token;
  request.csrfToken = session.csrfToken;
}

export function registerAuth(app: App, context: AppContext): void {
  app.decorateRequest('user', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('csrfToken', undefined);
  app.addHook('onRoute', requireDeclaredAccess);
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined || !request.url.startsWith('/api/')) return;
    await identify(context, request);
    if (access === 'public') return;
    if (!request.user) throw new AppError('UNAUTHENTICATED', { userMessage: 'Inicie sesión para continuar.' });
    if (access !== 'authenticated' && !access.includes(request.user.role)) {
      throw new AppError('FORBIDDEN', { userMessage: 'Su rol no tiene permiso para esta operación.' });
    }
    // CSRF: a browser session must echo its token on every change; bearer tokens are not sent by browsers.
    if (request.sessionToken && UNSAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== request.csrfToken) {
      throw new AppError('CSRF', { userMessage: 'La sesión no pudo verificarse (token CSRF). Recargue la página e intente de nuevo.' });
    }
  });
}
