/**
 * The monthly reports API (SPEC §7 REP-1, REP-2; acts. 32–34; DL-17): the two reports as XLSX
 * "as of" a date, the agencies and delegaciones a user may report on, and the office's report
 * requests with their clarifications. Scope (SEC-2) is checked by the services; reads of
 * borrowers' data are logged (SEC-4).
 */
import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { idempotent } from '../../http/idempotency.js';
import { ARCHIVE_READ_ROLES } from '../casefiles/archive.service.js';
import { ZError } from '../identity/identity.schemas.js';
import { findFilterOptions } from './indicators.repository.js';
import { agencyReportFileName, agencyReportXlsx, planAgencyReport, REP1_READ_ROLES } from './rep1.export.js';
import { planRegionReport, regionReportFileName, regionReportXlsx, REP2_READ_ROLES } from './rep2.export.js';
import {
  applyReportRequestAction,
  createReportRequest,
  getDeliveredReport,
  getReportRequest,
  listReportRequests,
} from './report-requests.service.js';
import { XLSX_MEDIA_TYPE } from './report-xlsx.js';
import {
  ZAgencyReportQuery,
  ZCreateReportRequest,
  ZRegionReportQuery,
  ZReportOptions,
  ZReportRequest,
  ZReportRequestActionBody,
  ZReportRequestDetail,
  ZReportRequestListQuery,
} from './reports.schemas.js';

const READERS = [...new Set([...REP1_READ_ROLES, ...REP2_READ_ROLES])];
/** The options also serve the archive's progress report (REP-4), where a national reader chooses the delegación. */
const OPTION_READERS = [...new Set([...READERS, ...ARCHIVE_READ_ROLES])];

function xlsxReply(reply: { header: (k: string, v: string) => unknown }, fileName: string) {
  reply.header('content-type', XLSX_MEDIA_TYPE);
  reply.header('content-disposition', `attachment; filename="${fileName}"`);
  reply.header('cache-control', 'private, no-store');
}

export function reportRoutes(app: App, context: AppContext): void {
  app.get('/api/reports/options', {
    config: { access: OPTION_READERS },
    schema: {
      tags: ['Reportes'],
      summary: 'Agencias y delegaciones sobre las que el usuario puede consultar reportes y el avance del archivo (SEC-2)',
      response: { 200: ZReportOptions },
    },
    handler: async (request) => {
      const options = await findFilterOptions(context.db, userOf(request).scope);
      return { agencies: options.agencies, delegations: options.delegations };
    },
  });

  app.get('/api/reports/agency.xlsx', {
    config: { access: REP1_READ_ROLES },
    schema: {
      tags: ['Reportes'],
      summary: 'REP-1: reporte mensual de la agencia (act. 32), una fila por crédito asignado, con corte a una fecha (reproducible)',
      description:
        'Calculado de las bitácoras de eventos registrados hasta la fecha de corte (por omisión, el último día del mes): el reporte de un mes pasado es el mismo hoy y mañana. Una agencia recibe sólo el suyo; un Gerente de Cobranza, el de una agencia que atiende su delegación, sólo con las filas de su delegación.',
      querystring: ZAgencyReportQuery,
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const plan = await planAgencyReport(context.db, user, { agency: request.query.agencyId, month: request.query.month, asOf: request.query.asOf, today: context.clock.today() });
      xlsxReply(reply, agencyReportFileName(plan));
      return reply.send(agencyReportXlsx(context.db, plan, { now: context.clock.now(), reader: user }));
    },
  });

  app.get('/api/reports/region.xlsx', {
    config: { access: REP2_READ_ROLES },
    schema: {
      tags: ['Reportes'],
      summary: 'REP-2: reporte mensual de la delegación (act. 34), convenios firmados en el mes, con corte a una fecha (reproducible)',
      description: 'Un Gerente de Cobranza recibe sólo el de su delegación. Aprobación, primer pago y estado según la bitácora del convenio hasta la fecha de corte.',
      querystring: ZRegionReportQuery,
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const plan = await planRegionReport(context.db, user, { delegation: request.query.delegationId, month: request.query.month, asOf: request.query.asOf, today: context.clock.today() });
      xlsxReply(reply, regionReportFileName(plan));
      return reply.send(regionReportXlsx(context.db, plan, { now: context.clock.now(), reader: user }));
    },
  });

  app.get('/api/report-requests', {
    config: { access: READERS },
    schema: {
      tags: ['Reportes'],
      summary: 'Solicitudes de reportes mensuales y sus aclaraciones (acts. 32–34, DL-17) en el alcance del usuario',
      querystring: ZReportRequestListQuery,
      response: { 200: z.object({ rows: z.array(ZReportRequest) }) },
    },
    handler: async (request) => ({ rows: await listReportRequests(context.db, userOf(request), { ...request.query, today: context.clock.today() }) }),
  });

  app.get('/api/report-requests/:id', {
    config: { access: READERS },
    schema: {
      tags: ['Reportes'],
      summary: 'Una solicitud de reporte con su historial',
      params: z.object({ id: z.coerce.number().int().positive() }),
      response: { 200: ZReportRequestDetail, 404: ZError },
    },
    handler: async (request) => getReportRequest(context.db, userOf(request), request.params.id, context.clock.today()),
  });

  app.post('/api/report-requests', {
    config: { access: ['mediation_office'] },
    schema: {
      tags: ['Reportes'],
      summary: 'Solicitar el reporte mensual de una agencia (REP-1, act. 32) o de una delegación (REP-2, act. 34)',
      body: ZCreateReportRequest,
      response: { 201: ZReportRequestDetail, 400: ZError, 403: ZError, 404: ZError, 409: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const detail = await inTransaction(context, async (trx) => {
        const id = await createReportRequest(trx, user, { ...request.body, today: context.clock.today(), now: context.clock.now() });
        return getReportRequest(trx, user, id, context.clock.today());
      });
      return reply.status(201).send(detail);
    },
  });

  app.post('/api/report-requests/:id/actions', {
    config: { access: ['mediation_office', 'agency', 'regional_manager'] },
    schema: {
      tags: ['Reportes'],
      summary: 'Entregar el reporte, solicitar o responder una aclaración, cerrar (acts. 32–34, DL-17)',
      description: 'El cuerpo lleva la versión de la solicitud que se vio (bloqueo optimista). La entrega genera el archivo con corte al día de la entrega y lo guarda tal cual (sha256).',
      params: z.object({ id: z.coerce.number().int().positive() }),
      body: ZReportRequestActionBody,
      response: { 200: ZReportRequestDetail, 400: ZError, 403: ZError, 404: ZError, 409: ZError, 422: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, async (trx) => {
        await idempotent(trx, request, user.id, context.clock.now(), async () => {
          await applyReportRequestAction(trx, user, {
            id: request.params.id,
            action: request.body.action,
            version: request.body.version,
            text: request.body.text,
            today: context.clock.today(),
            now: context.clock.now(),
          });
          return { applied: true };
        });
        return getReportRequest(trx, user, request.params.id, context.clock.today());
      });
    },
  });

  app.get('/api/report-requests/:id/file.xlsx', {
    config: { access: READERS },
    schema: {
      tags: ['Reportes'],
      summary: 'El reporte entregado, exactamente como se entregó (el encabezado x-content-sha256 es su sha256)',
      params: z.object({ id: z.coerce.number().int().positive() }),
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const file = await inTransaction(context, (trx) => getDeliveredReport(trx, user, request.params.id, context.clock.now()));
      xlsxReply(reply, file.fileName);
      reply.header('x-content-sha256', file.sha256);
      return reply.send(Buffer.from(file.content));
    },
  });
}
