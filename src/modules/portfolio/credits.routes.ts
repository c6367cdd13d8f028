import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { ZError } from '../identity/identity.schemas.js';
import { ZCreditDetail, ZCreditNumber, ZCreditSearchQuery, ZCreditSearchResult } from './credits.schemas.js';
import { findCredits, getCredit } from './credits.service.js';

export function creditRoutes(app: App, context: AppContext): void {
  app.get('/api/credits', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Cartera'],
      summary: 'Buscar créditos por número o nombre del acreditado, dentro del alcance del usuario (SEC-2)',
      querystring: ZCreditSearchQuery,
      response: { 200: ZCreditSearchResult, 401: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => findCredits(trx, user, context.clock.now(), request.query));
    },
  });

  app.get('/api/credits/:number', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Cartera'],
      summary: 'Detalle de un crédito (404 si no existe o está fuera del alcance)',
      params: z.object({ number: ZCreditNumber }),
      response: { 200: ZCreditDetail, 401: ZError, 404: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => getCredit(trx, user, context.clock.now(), request.params.number));
    },
  });

  app.get('/api/delegations', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Cartera'],
      summary: 'Las 32 delegaciones regionales (catálogo público: clave INEGI, clave corta, nombre), por clave',
      response: { 200: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })), 401: ZError },
    },
    handler: async () => context.db.selectFrom('delegations').select(['id', 'code', 'name']).orderBy('id').execute(),
  });
}
