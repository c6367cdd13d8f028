import type { Readable } from 'node:stream';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { actorOf } from '../audit/audit.service.js';
import { ZError } from '../identity/identity.schemas.js';
import { importCredits } from './credits.import.js';

/** Credit files can be large: the body is streamed to the importer, never buffered whole. */
const MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024;

export function importRoutes(app: App, context: AppContext): void {
  app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    scoped.addContentTypeParser(['text/csv', 'application/octet-stream'], (_request, payload, done) => done(null, payload));
    scoped.post('/api/imports/credits', {
      config: { access: ['operations', 'admin'] },
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['Cartera'],
        summary: 'Cargar o actualizar créditos desde un CSV (cuerpo text/csv; si una fila es inválida no se escribe nada)',
        querystring: z.object({ fileName: z.string().min(1).max(200).default('carga.csv') }),
        response: {
          200: z.object({
            importRunId: z.number().int(),
            rowsTotal: z.number().int(),
            inserted: z.number().int(),
            updated: z.number().int(),
            unchanged: z.number().int(),
            sha256: z.string(),
          }),
          400: ZError,
          422: ZError,
        },
      },
      handler: async (request) => {
        const user = userOf(request);
        return inTransaction(context, (trx) =>
          importCredits(trx, actorOf(user), {
            fileName: request.query.fileName,
            input: request.body as Readable,
            now: context.clock.now(),
          }),
        );
      },
    });
  });
}
