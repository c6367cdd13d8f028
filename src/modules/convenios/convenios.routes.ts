/**
 * The convenio API (SPEC §6 CNV-1..5, acts. 22–27): work lists, the convenio page, one route per
 * step, the documents (PDF) of CNV-3, and the reconciliation of signed terms, applied terms and
 * payments. Scope (SEC-2) is applied in SQL by the service.
 */
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { idempotent } from '../../http/idempotency.js';
import { ZError } from '../identity/identity.schemas.js';
import { CONVENIO_ACTIONS, CONVENIO_STATUSES, type ConvenioAction, type ConvenioInputs } from './convenios.rules.js';
import { applyConvenioAction, CONVENIO_QUEUES, findMismatches, getConvenioDetail, listConvenios, RECONCILIATION_CHECKS } from './convenios.service.js';
import { ZConvenioDetail, ZMismatch } from './convenios.schemas.js';
import { acknowledgementPdfOf, convenioPdfOf, draftConvenioPdfOf } from './convenios.pdf.js';
import { reHandoversCsv, servicingRecordsCsv } from './salidas.js';
import { SOLUTION_IDS } from '../solutions/solutions.rules.js';

const ZSolution = z.enum(SOLUTION_IDS);

const ZIsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use el formato AAAA-MM-DD.');

/** What each action carries (parsed before the rules see it). */
export const CONVENIO_INPUT_SCHEMAS = {
  submit_documents: z.object({ note: z.string().trim().max(2000).optional() }),
  request_corrections: z.object({ reason: z.string().trim().min(10, 'Describa los cambios o aclaraciones (al menos 10 caracteres).').max(4000) }),
  approve: z.object({ note: z.string().trim().max(2000).optional() }),
  record_cja_registration: z.object({
    centre: z.string().trim().min(3, 'Indique el centro (al menos 3 caracteres).').max(200),
    registrationNumber: z.string().trim().min(1, 'Indique el número de registro.').max(60),
    registeredOn: ZIsoDate,
    certificateDocumentId: z.number().int().positive().optional(),
  }),
} satisfies { [A in ConvenioAction]: z.ZodType<ConvenioInputs[A]> };

const ZConvenioRow = z.object({
  id: z.number(),
  folio: z.string(),
  creditNumber: z.string(),
  borrowerName: z.string(),
  status: z.enum(CONVENIO_STATUSES),
  statusLabel: z.string(),
  version: z.number(),
  convenioType: z.string(),
  solutionId: z.string(),
  solutionName: z.string(),
  signedOn: z.string(),
  submittedOn: z.string().nullable(),
  approvedOn: z.string().nullable(),
  reviewBy: z.string().nullable().describe('Fecha límite de la revisión (DL-10) o de la respuesta del mediador (DL-11)'),
  firstPaymentCents: z.number().int(),
  firstPaymentDueOn: z.string(),
  firstPaidOn: z.string().nullable(),
  agencyName: z.string(),
  mediatorName: z.string(),
  delegationName: z.string(),
});


const ZId = z.object({ id: z.coerce.number().int().positive() });

function pdfReply(reply: { header: (k: string, v: string) => unknown }, fileName: string) {
  reply.header('content-type', 'application/pdf');
  reply.header('content-disposition', `inline; filename="${fileName}"`);
  reply.header('cache-control', 'private, no-store');
}

export function convenioRoutes(app: App, context: AppContext): void {
  app.get('/api/convenios', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Convenios'],
      summary: 'Convenios en el ámbito del usuario (listas de trabajo: por enviar, por revisar, primer pago, registro CJA)',
      querystring: z.object({
        queue: z.enum(CONVENIO_QUEUES).default('all'),
        q: z.string().trim().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ total: z.number(), rows: z.array(ZConvenioRow) }) },
    },
    handler: async (request) => listConvenios(context.db, userOf(request).scope, request.query),
  });

  app.get('/api/convenios/reconciliation', {
    config: { access: ['regional_manager', 'mediation_office', 'operations', 'auditor'] },
    schema: {
      tags: ['Convenios'],
      summary: 'Conciliación: términos firmados vs. términos aplicados al crédito vs. pagos recibidos (cada diferencia)',
      querystring: z.object({ delegationId: z.coerce.number().int().min(1).max(99).optional() }),
      response: { 200: z.object({ checked: z.array(z.object({ check: z.string(), description: z.string() })), mismatches: z.array(ZMismatch) }) },
    },
    handler: async (request) => ({
      checked: Object.entries(RECONCILIATION_CHECKS).map(([check, description]) => ({ check, description })),
      mismatches: await findMismatches(context.db, userOf(request).scope, { delegationId: request.query.delegationId }),
    }),
  });

  app.get('/api/servicing-records.csv', {
    config: { access: ['operations', 'mediation_office', 'regional_manager', 'auditor'] },
    schema: {
      tags: ['Convenios'],
      summary: 'Registros para la administración de la cartera (PR «Salidas», CNV-4): reestructuras aplicadas, con crédito, acreditado, convenio y factor de pago',
      querystring: z.object({ from: ZIsoDate, to: ZIsoDate }),
    },
    handler: async (request, reply) => {
      const csv = await servicingRecordsCsv(context.db, userOf(request), request.query);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="salidas-reestructuras-${request.query.from}-${request.query.to}.csv"`);
      return reply.send(csv);
    },
  });

  app.get('/api/re-handovers.csv', {
    config: { access: ['operations', 'mediation_office', 'specialized_recovery', 'regional_manager', 'auditor'] },
    schema: {
      tags: ['Convenios'],
      summary: 'Créditos traspasados a Recuperación Especializada por negativa a firmar (PR «Salidas», CNV-6)',
      querystring: z.object({ from: ZIsoDate, to: ZIsoDate }),
    },
    handler: async (request, reply) => {
      const csv = await reHandoversCsv(context.db, userOf(request), request.query);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="salidas-recuperacion-especializada-${request.query.from}-${request.query.to}.csv"`);
      return reply.send(csv);
    },
  });

  app.get('/api/convenios/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Convenios'],
      summary: 'Un convenio: términos, crédito antes y ahora, revisión, primer pago, documentos, historial y acciones',
      params: ZId,
      response: { 200: ZConvenioDetail, 404: ZError },
    },
    handler: async (request) => getConvenioDetail(context.db, userOf(request), request.params.id),
  });

  app.post('/api/convenios/:id/actions/:action', {
    config: { access: ['mediator', 'regional_manager'] },
    schema: {
      tags: ['Convenios'],
      summary: 'Registrar un paso del convenio (acts. 22–27): envío, correcciones, aprobación, registro ante el CJA',
      description: `Acciones: ${CONVENIO_ACTIONS.join(', ')}. El cuerpo lleva la versión del convenio que se vio (bloqueo optimista).`,
      params: z.object({ id: z.coerce.number().int().positive(), action: z.enum(CONVENIO_ACTIONS) }),
      body: z.object({ version: z.number().int().min(1), input: z.record(z.string(), z.unknown()).default({}) }),
      response: { 200: ZConvenioDetail, 400: ZError, 403: ZError, 404: ZError, 409: ZError, 422: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      const { id, action } = request.params;
      const parsed = CONVENIO_INPUT_SCHEMAS[action].safeParse(request.body.input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('VALIDATION', {
          userMessage: `Datos inválidos${issue ? `: ${issue.path.length ? `${issue.path.join('.')} — ` : ''}${issue.message}` : '.'}`,
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      return inTransaction(context, async (trx) => {
        await idempotent(trx, request, user.id, context.clock.now(), async () => {
          await applyConvenioAction(trx, user, {
            convenioId: id,
            action,
            version: request.body.version,
            input: parsed.data as never,
            today: context.clock.today(),
            now: context.clock.now(),
          });
          return { applied: true };
        });
        return getConvenioDetail(trx, user, id);
      });
    },
  });

  app.get('/api/convenios/:id/convenio.pdf', {
    config: { access: 'authenticated' },
    schema: { tags: ['Convenios'], summary: 'El convenio firmado (PDF, CNV-3) con sus datos y términos', params: ZId },
    handler: async (request, reply) => {
      const { fileName, pdf } = await convenioPdfOf(context.db, userOf(request), request.params.id, context.clock.now());
      pdfReply(reply, fileName);
      return reply.send(pdf);
    },
  });

  app.get('/api/convenios/:id/acuse.pdf', {
    config: { access: 'authenticated' },
    schema: { tags: ['Convenios'], summary: 'Acuse de recibo del acreditado (PDF, act. 20)', params: ZId },
    handler: async (request, reply) => {
      const { fileName, pdf } = await acknowledgementPdfOf(context.db, userOf(request), request.params.id, context.clock.now());
      pdfReply(reply, fileName);
      return reply.send(pdf);
    },
  });

  app.get('/api/cases/:id/draft-convenios/:solution', {
    config: { access: ['regional_manager', 'mediator', 'mediation_office'] },
    schema: {
      tags: ['Convenios'],
      summary: 'Convenio preliminar (PDF) de una solución disponible, en el tipo de convenio del caso (acts. 12–13, CNV-3)',
      params: z.object({ id: z.coerce.number().int().positive(), solution: ZSolution }),
    },
    handler: async (request, reply) => {
      const { fileName, pdf } = await draftConvenioPdfOf(context.db, userOf(request), request.params.id, request.params.solution, context.clock.today(), context.clock.now());
      pdfReply(reply, fileName);
      return reply.send(pdf);
    },
  });
}
