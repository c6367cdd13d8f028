import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/index.js';
import type { Role } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { AuthUser } from '../modules/identity/identity.service.js';

export interface AppContext {
  db: Db;
  clock: Clock;
  sessionHours: number;
  cookieSecure: boolean;
}

export type App = FastifyInstance<any, any, any, any, ZodTypeProvider>;

/** Who may call a route: 'public', 'authenticated' (any signed-in role) or a list of roles. */
export type Access = 'public' | 'authenticated' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    user: AuthUser | undefined;
    sessionToken: string | undefined;
    csrfToken: string | undefined;
  }
}

/** The signed-in user of a route that declared access other than 'public'. */
export function userOf(request: FastifyRequest): AuthUser {
  if (!request.user) throw new AppError('UNAUTHENTICATED', { userMessage: 'Inicie sesión para continuar.' });
  return request.user;
}

/** Runs a request's work in one transaction (the edge owns the transaction). */
export function inTransaction<T>(context: AppContext, work: (trx: Tx) => Promise<T>): Promise<T> {
  return context.db.transaction().execute(work);
}

export type Reply = FastifyReply;
