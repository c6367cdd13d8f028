/**
 * The case-file and archive API (SPEC §6 EXP-1..4, acts. 28–31 and 35–36, REP-3, REP-4): work
 * lists, the file page and its actions, archive shipments with their list (XLSX) and receipts,
 * and the monthly archive-progress report. Scope (SEC-2) is applied by the services.
 */
import { z } from 'zod';
import type { Readable } from 'node:stream';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { idempotent } from '../../http/idempotency.js';
import { ZError } from '../identity/identity.schemas.js';
import { XLSX_MEDIA_TYPE } from '../reports/report-xlsx.js';
import { archiveProgressFiles, ARCHIVE_READ_ROLES, getArchiveProgress, getShipmentDetail, listShipments } from './archive.service.js';
import { archiveProgressXlsx, shipmentListXlsx } from './casefiles.export.js';
import { CASE_FILE_ACTIONS, monthBefore, type CaseFileAction, type CaseFileInputs } from './casefiles.rules.js';
import {
  ZArchiveProgress,
  ZCaseFileActionBody,
  ZCaseFileDetail,
  ZCaseFileList,
  ZCaseFileListQuery,
  ZProgressQuery,
  ZProgressReportBody,
  ZReceiptsBody,
  ZShipmentBody,
  ZShipmentDetail,
  ZShipmentList,
} from './casefiles.schemas.js';
import { acknowledgeReceipt, applyCaseFileAction, createShipment, getCaseFileDetail, listCaseFiles, sendArchiveProgressReport } from './casefiles.service.js';

const TAG = 'Expediente y archivo';

/** Who reads case files (SEC-2 narrows each to his scope); the agency reads its own, never acts. */
export const CASE_FILE_READ_ROLES = ['mediator', 'agency', 'regional_manager', 'mediation_office', 'operations', 'auditor', 'archive'] as const;

const ZId = z.object({ id: z.coerce.number().int().positive() });

function inputOf(action: CaseFileAction, body: z.infer<typeof ZCaseFileActionBody>, today: string): CaseFileInputs[CaseFileAction] {
  if (action === 'record_certificates') return { receivedOn: body.receivedOn ?? today, note: body.note };
  if (action === 'request_corrections') return { note: body.note ?? '' };
  return { note: body.note };
}

function sendXlsx(reply: { header: (k: string, v: string) => unknown; send: (body: Readable) => unknown }, file: { fileName: string; stream: Readable }) {
  reply.header('content-type', XLSX_MEDIA_TYPE);
  reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
  reply.header('cache-control', 'private, no-store');
  return reply.send(file.stream);
}

export function caseFileRoutes(app: App, context: AppContext): void {
  app.get('/api/case-files', {
    config: { access: CASE_FILE_READ_ROLES },
    schema: {
      tags: [TAG],
      summary: 'Expedientes en el ámbito del usuario por lista de trabajo (por integrar, por revisar, correcciones, pago de derechos, por digitalizar, por enviar, enviados, archivados)',
      querystring: ZCaseFileListQuery,
      response: { 200: ZCaseFileList },
    },
    handler: async (request) => listCaseFiles(context.db, userOf(request), request.query),
  });

  app.get('/api/cases/:id/case-file', {
    config: { access: CASE_FILE_READ_ROLES },
    schema: {
      tags: [TAG],
      summary: 'El expediente de un caso: lista de documentos (EXP-1/EXP-2), versiones, plazos DL-13 a DL-15, historial, acciones y envío',
      params: ZId,
      response: { 200: ZCaseFileDetail, 404: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => getCaseFileDetail(trx, user, request.params.id, context.clock.today(), context.clock.now()));
    },
  });

  app.post('/api/cases/:id/case-file/actions', {
    config: { access: CASE_FILE_READ_ROLES },
    schema: {
      tags: [TAG],
      summary: 'Registrar un paso del expediente (acts. 28–31 y 35): entrega, correcciones, aceptación, constancias, validación de derechos, digitalización',
      description: `Acciones: ${CASE_FILE_ACTIONS.join(', ')}. Lleva la versión del expediente que se vio (bloqueo optimista), salvo la primera entrega. Acepta el encabezado Idempotency-Key.`,
      params: ZId,
      body: ZCaseFileActionBody,
      response: { 200: ZCaseFileDetail, 400: ZError, 403: ZError, 404: ZError, 409: ZError, 422: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const caseId = request.params.id;
      const { action, version } = request.body;
      const { detail, replayed } = await inTransaction(context, async (trx) => {
        const outcome = await idempotent(trx, request, user.id, context.clock.now(), async () => {
          const caseFileId = await applyCaseFileAction(trx, user, {
            caseId,
            action,
            version,
            input: inputOf(action, request.body, context.clock.today()),
            today: context.clock.today(),
            now: context.clock.now(),
          });
          return { caseFileId };
        });
        return { detail: await getCaseFileDetail(trx, user, caseId, context.clock.today(), context.clock.now()), replayed: outcome.replayed };
      });
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return detail;
    },
  });

  app.get('/api/archive/shipments', {
    config: { access: ARCHIVE_READ_ROLES },
    schema: {
      tags: [TAG],
      summary: 'Envíos de expedientes al ANEC (el Gerente de Cobranza, los de su delegación)',
      querystring: z.object({ delegationId: z.coerce.number().int().min(1).max(99).optional() }),
      response: { 200: ZShipmentList },
    },
    handler: async (request) => listShipments(context.db, userOf(request), request.query),
  });

  app.post('/api/archive/shipments', {
    config: { access: ['regional_manager'] },
    schema: {
      tags: [TAG],
      summary: 'Enviar expedientes completos al ANEC con paquetería, número de guía y fecha de envío; si un expediente no está listo, no se envía ninguno (act. 35, EXP-4)',
      body: ZShipmentBody,
      response: { 201: ZShipmentDetail, 400: ZError, 403: ZError, 409: ZError, 422: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const detail = await inTransaction(context, async (trx) => {
        const { result } = await idempotent(trx, request, user.id, context.clock.now(), async () => ({
          shipmentId: await createShipment(trx, user, { ...request.body, today: context.clock.today(), now: context.clock.now() }),
        }));
        return getShipmentDetail(trx, user, result.shipmentId, context.clock.now());
      });
      return reply.status(201).send(detail);
    },
  });

  app.get('/api/archive/shipments/:id', {
    config: { access: ARCHIVE_READ_ROLES },
    schema: { tags: [TAG], summary: 'Un envío al ANEC con sus expedientes, documentos y acuses de recibo (EXP-4)', params: ZId, response: { 200: ZShipmentDetail, 404: ZError } },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => getShipmentDetail(trx, user, request.params.id, context.clock.now()));
    },
  });

  app.get('/api/archive/shipments/:id/list.xlsx', {
    config: { access: ARCHIVE_READ_ROLES },
    schema: {
      tags: [TAG],
      summary: 'Lista del envío (Excel, REP-3): crédito, acreditado, Gerente de Cobranza, guía, fecha de envío y documentos de cada expediente',
      params: ZId,
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const now = context.clock.now();
      const shipment = await inTransaction(context, (trx) => getShipmentDetail(trx, user, request.params.id, now));
      return sendXlsx(reply, shipmentListXlsx(shipment, now));
    },
  });

  app.post('/api/archive/shipments/:id/receipts', {
    config: { access: ['archive'] },
    schema: {
      tags: [TAG],
      summary: 'Acuse de recibo del ANEC por expediente (EXP-4); repetirlo no cambia nada',
      params: ZId,
      body: ZReceiptsBody,
      response: { 200: ZShipmentDetail, 400: ZError, 403: ZError, 404: ZError, 409: ZError, 422: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, async (trx) => {
        await acknowledgeReceipt(trx, user, { shipmentId: request.params.id, caseFileIds: request.body.caseFileIds, today: context.clock.today(), now: context.clock.now() });
        return getShipmentDetail(trx, user, request.params.id, context.clock.now());
      });
    },
  });

  app.get('/api/archive/progress', {
    config: { access: ARCHIVE_READ_ROLES },
    schema: {
      tags: [TAG],
      summary: 'Reporte de avance de convenios recibidos en el ANEC de una delegación y un mes (REP-4, act. 36) y su plazo DL-16',
      querystring: ZProgressQuery,
      response: { 200: ZArchiveProgress, 400: ZError, 404: ZError },
    },
    handler: async (request) => {
      const today = context.clock.today();
      return getArchiveProgress(context.db, userOf(request), { delegationId: request.query.delegationId, month: request.query.month ?? monthBefore(today.slice(0, 7)), today });
    },
  });

  app.get('/api/archive/progress.xlsx', {
    config: { access: ARCHIVE_READ_ROLES },
    schema: { tags: [TAG], summary: 'Reporte de avance (Excel, REP-4): resumen y expedientes del mes', querystring: ZProgressQuery },
    handler: async (request, reply) => {
      const user = userOf(request);
      const today = context.clock.today();
      const now = context.clock.now();
      const month = request.query.month ?? monthBefore(today.slice(0, 7));
      const { progress, files } = await inTransaction(context, async (trx) => {
        const progress = await getArchiveProgress(trx, user, { delegationId: request.query.delegationId, month, today });
        const files = await archiveProgressFiles(trx, user, progress.delegation.id, month, now);
        return { progress, files };
      });
      return sendXlsx(reply, archiveProgressXlsx(progress, files, now));
    },
  });

  app.post('/api/archive/progress-reports', {
    config: { access: ['regional_manager'] },
    schema: {
      tags: [TAG],
      summary: 'Enviar al ANEC el reporte de avance del mes (act. 36, REP-4); DL-16: en los primeros días del mes siguiente',
      body: ZProgressReportBody,
      response: { 201: ZArchiveProgress, 400: ZError, 403: ZError, 404: ZError, 409: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const today = context.clock.today();
      const progress = await inTransaction(context, async (trx) => {
        await idempotent(trx, request, user.id, context.clock.now(), async () => ({
          reportId: await sendArchiveProgressReport(trx, user, { ...request.body, today, now: context.clock.now() }),
        }));
        return getArchiveProgress(trx, user, { delegationId: request.body.delegationId, month: request.body.month, today });
      });
      return reply.status(201).send(progress);
    },
  });
}
