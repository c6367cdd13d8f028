/**
 * Documents of a case (EXP-3): upload as the raw request body (Content-Type application/pdf,
 * image/jpeg or image/png; the type and file name in the query), list, and download in scope.
 */
import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { ZError } from '../identity/identity.schemas.js';
import { ZCaseDocument } from './documents.schemas.js';
import { DOCUMENT_TYPES, listCaseDocuments, MAX_DOCUMENT_BYTES, MEDIA_TYPES, readCaseDocument, uploadCaseDocument } from './documents.service.js';


export function documentRoutes(app: App, context: AppContext): void {
  app.register(async (plugin) => {
    // the file is the body; a body of another type gets 415 from Fastify before the handler
    plugin.addContentTypeParser([...MEDIA_TYPES], { parseAs: 'buffer', bodyLimit: MAX_DOCUMENT_BYTES }, (_request, body, done) => done(null, body));
    const scoped = plugin as unknown as App;
    scoped.post('/api/cases/:id/documents', {
      config: { access: ['mediator', 'regional_manager', 'agency'] },
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        tags: ['Expediente'],
        summary: 'Cargar un documento del caso (PDF, JPEG o PNG como cuerpo; una nueva versión no borra la anterior, EXP-3)',
        params: z.object({ id: z.coerce.number().int().positive() }),
        querystring: z.object({ type: z.enum(DOCUMENT_TYPES), fileName: z.string().trim().min(1).max(200) }),
        response: { 201: ZCaseDocument, 400: ZError, 403: ZError, 404: ZError, 413: ZError, 415: ZError, 422: ZError },
      },
      handler: async (request, reply) => {
        const user = userOf(request);
        const body = request.body;
        const content = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        const document = await inTransaction(context, (trx) =>
          uploadCaseDocument(trx, user, {
            caseId: request.params.id,
            documentType: request.query.type,
            fileName: request.query.fileName,
            mediaType: String(request.headers['content-type'] ?? '').split(';')[0]!.trim(),
            content,
            now: context.clock.now(),
          }),
        );
        return reply.status(201).send(document);
      },
    });
  });

  app.get('/api/cases/:id/documents', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Expediente'],
      summary: 'Documentos del caso, todas sus versiones',
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: { 200: z.array(ZCaseDocument), 404: ZError },
    },
    handler: async (request) => listCaseDocuments(context.db, userOf(request), request.params.id),
  });

  app.get('/api/documents/:id/content', {
    config: { access: 'authenticated' },
    schema: { tags: ['Expediente'], summary: 'Descargar un documento (en el ámbito del usuario; la lectura queda registrada)', params: z.object({ id: z.coerce.number().int().positive() }) },
    handler: async (request, reply) => {
      const user = userOf(request);
      const file = await inTransaction(context, (trx) => readCaseDocument(trx, user, request.params.id, context.clock.now()));
      reply.header('content-type', file.mediaType);
      reply.header('content-disposition', `inline; filename="${file.fileName.replace(/"/g, '')}"`);
      reply.header('cache-control', 'private, no-store');
      return reply.send(Buffer.from(file.content));
    },
  });
}
