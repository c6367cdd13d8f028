import type { Readable } from 'node:stream';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { actorOf } from '../audit/audit.service.js';
import { ZError } from '../identity/identity.schemas.js';
import { ZCreditNumber } from '../portfolio/credits.schemas.js';
import { importPayments } from './payments.import.js';
import { ZCreditPayments, ZPaymentsImportQuery, ZPaymentsImportSummary } from './payments.schemas.js';
import { findCreditPayments, toImportSummary } from './payments.service.js';

/** Payment files can be large: the body is streamed to the importer, never buffered whole. */
const MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024;

export function paymentRoutes(app: App, context: AppContext): void {
  app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    scoped.addContentTypeParser(['text/csv', 'application/octet-stream'], (_request, payload, done) => done(null, payload));
    scoped.post('/api/imports/payments', {
      config: { access: ['operations', 'admin'] },
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['Pagos'],
        summary: 'Cargar pagos desde un CSV y aplicarlos a los créditos (PAY-1; cuerpo text/csv; si una fila es inválida no se escribe nada; detecta primeros pagos CNV-5)',
        querystring: ZPaymentsImportQuery,
        response: { 200: ZPaymentsImportSummary, 400: ZError, 422: ZError },
      },
      handler: async (request) => {
        const user = userOf(request);
        const result = await inTransaction(context, (trx) =>
          importPayments(trx, actorOf(user), {
            fileName: request.query.fileName,
            input: request.body as Readable,
            today: context.clock.today(),
            now: context.clock.now(),
          }),
        );
        return toImportSummary(result);
      },
    });
  });

  app.get('/api/credits/:number/payments', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Pagos'],
      summary: 'Pagos de un crédito, del más reciente al más antiguo (404 si no existe o está fuera del alcance)',
      params: z.object({ number: ZCreditNumber }),
      response: { 200: ZCreditPayments, 401: ZError, 404: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => findCreditPayments(trx, user, context.clock.now(), request.params.number));
    },
  });
}
