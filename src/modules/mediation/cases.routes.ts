/**
 * The mediation case API (SPEC §4, §5; SEC-1, SEC-2): work lists, the case page, opening a case,
 * one route per transition, and the agency's registers (mediators' app licences, representatives).
 * Writes of the field screens accept an `Idempotency-Key` header (applied once).
 */
import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { idempotent } from '../../http/idempotency.js';
import { AppError } from '../../errors.js';
import { actorOf, recordEvent } from '../audit/audit.service.js';
import { ZError } from '../identity/identity.schemas.js';
import { ZCreditNumber } from '../portfolio/credits.schemas.js';
import { CASE_QUEUES, findCasesOfCredit, searchCases } from './cases.repository.js';
import { ACTION_INPUT_SCHEMAS, ZCaseDetail, ZCaseState } from './cases.schemas.js';
import { applyCaseAction, getCaseDetail, OPEN_CASE_ROLES, openMediationCase, type ActionRequest } from './cases.service.js';
import { findFieldVisits, findMediatorsInScope, findRepresentativesInScope } from './registers.repository.js';
import { CASE_ACTIONS, CASE_STATE_LABELS, type CaseAction } from './mediation.rules.js';

const ZCaseId = z.object({ id: z.coerce.number().int().positive() });
const ZPage = { limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) };

export function caseRoutes(app: App, context: AppContext): void {
  app.get('/api/cases', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Mediación'],
      summary: 'Casos de mediación en el ámbito del usuario (listas de trabajo de la agencia y del mediador)',
      querystring: z.object({ queue: z.enum(CASE_QUEUES).default('open'), q: z.string().trim().max(100).optional(), ...ZPage }),
      response: {
        200: z.object({
          total: z.number(),
          rows: z.array(
            z.object({
              id: z.number(),
              creditNumber: z.string(),
              borrowerName: z.string(),
              round: z.number(),
              state: ZCaseState,
              stateLabel: z.string(),
              version: z.number(),
              convenioType: z.string(),
              acceptedOn: z.string().nullable(),
              sessionDate: z.string().nullable(),
              distributeBy: z.string().nullable(),
              closesOn: z.string().nullable(),
              agencyName: z.string(),
              mediatorName: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (request) => {
      const { rows, total } = await searchCases(context.db, userOf(request).scope, request.query);
      return {
        total,
        rows: rows.map((r) => ({
          id: r.id,
          creditNumber: r.credit_number,
          borrowerName: r.borrower_name,
          round: r.round,
          state: r.state,
          stateLabel: CASE_STATE_LABELS[r.state],
          version: r.version,
          convenioType: r.convenio_type,
          acceptedOn: r.accepted_on,
          sessionDate: r.session_date,
          distributeBy: r.state === 'accepted' ? r.dl1_due_on : null,
          closesOn: ['scheduled', 'rescheduled'].includes(r.state) ? r.dl8_closes_on : r.dl5_closes_on,
          agencyName: r.agency_name,
          mediatorName: r.mediator_name,
        })),
      };
    },
  });

  app.get('/api/cases/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['Mediación'], summary: 'Un caso: hechos, plazos con su explicación, historial, evidencias y acciones permitidas', params: ZCaseId, response: { 200: ZCaseDetail, 404: ZError } },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => getCaseDetail(trx, user, request.params.id, context.clock.today(), context.clock.now()));
    },
  });

  app.post('/api/cases', {
    config: { access: OPEN_CASE_ROLES },
    schema: {
      tags: ['Mediación'],
      summary: 'Abrir el caso de un crédito etiquetado (visita, act. 2) o una re-mediación (ENT-C)',
      body: z.object({
        creditNumber: ZCreditNumber,
        reMediation: z
          .object({
            newCircumstances: z.string().trim().min(10, 'Describa las nuevas circunstancias (al menos 10 caracteres).').max(2000).optional(),
            agencyId: z.number().int().positive().optional(),
          })
          .optional(),
      }),
      response: { 201: ZCaseDetail, 400: ZError, 403: ZError, 404: ZError, 409: ZError, 422: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const detail = await inTransaction(context, async (trx) => {
        const { result } = await idempotent(trx, request, user.id, context.clock.now(), async () => ({
          caseId: await openMediationCase(trx, user, { ...request.body, today: context.clock.today(), now: context.clock.now() }),
        }));
        return getCaseDetail(trx, user, result.caseId, context.clock.today(), context.clock.now());
      });
      return reply.status(201).send(detail);
    },
  });

  app.post('/api/cases/:id/actions/:action', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Mediación'],
      summary: 'Registrar una actividad del caso (transición de la máquina de estados, acts. 2–21)',
      description: `Acciones: ${CASE_ACTIONS.join(', ')}. El cuerpo lleva la versión del caso que se vio (bloqueo optimista: una versión vieja recibe 409) y los datos de la acción.`,
      params: z.object({ id: z.coerce.number().int().positive(), action: z.enum(CASE_ACTIONS as [CaseAction, ...CaseAction[]]) }),
      body: z.object({ version: z.number().int().min(1), input: z.record(z.string(), z.unknown()).default({}) }),
      response: { 200: ZCaseDetail, 400: ZError, 403: ZError, 404: ZError, 409: ZError, 422: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const { id, action } = request.params;
      const parsed = ACTION_INPUT_SCHEMAS[action].safeParse(request.body.input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('VALIDATION', {
          userMessage: `Datos inválidos${issue ? `: ${issue.path.length ? `${issue.path.join('.')} — ` : ''}${issue.message}` : '.'}`,
          details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      const { detail, replayed } = await inTransaction(context, async (trx) => {
        const outcome = await idempotent(trx, request, user.id, context.clock.now(), async () => {
          await applyCaseAction(trx, user, {
            caseId: id,
            action,
            version: request.body.version,
            input: parsed.data as ActionRequest[typeof action],
            today: context.clock.today(),
            now: context.clock.now(),
          });
          return { caseId: id };
        });
        return { detail: await getCaseDetail(trx, user, id, context.clock.today(), context.clock.now()), replayed: outcome.replayed };
      });
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return detail;
    },
  });

  app.get('/api/credits/:number/cases', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Mediación'],
      summary: 'Casos de mediación de un crédito (rondas, ENT-C)',
      params: z.object({ number: ZCreditNumber }),
      response: {
        200: z.array(
          z.object({
            id: z.number(),
            round: z.number(),
            entry: z.string(),
            state: ZCaseState,
            stateLabel: z.string(),
            openedOn: z.string(),
            acceptedOn: z.string().nullable(),
            closedOn: z.string().nullable(),
            closureRule: z.string().nullable(),
            agencyName: z.string(),
          }),
        ),
      },
    },
    handler: async (request) => {
      const rows = await findCasesOfCredit(context.db, userOf(request).scope, request.params.number);
      return rows.map((r) => ({
        id: r.id,
        round: r.round,
        entry: r.entry,
        state: r.state,
        stateLabel: CASE_STATE_LABELS[r.state],
        openedOn: r.opened_on,
        acceptedOn: r.accepted_on,
        closedOn: r.closed_on,
        closureRule: r.closure_rule,
        agencyName: r.agency_name,
      }));
    },
  });

  app.get('/api/visits', {
    config: { access: ['field_agent', 'agency'] },
    schema: {
      tags: ['Mediación'],
      summary: 'Cuentas asignadas por visitar (act. 2) con el estado de su caso',
      querystring: z.object({ q: z.string().trim().max(100).optional(), pending: z.coerce.boolean().default(false), ...ZPage }),
      response: {
        200: z.object({
          month: z.string().nullable(),
          total: z.number(),
          rows: z.array(
            z.object({
              creditNumber: z.string(),
              borrowerName: z.string(),
              address: z.string(),
              convenioType: z.string(),
              monthsInArrears: z.number(),
              caseId: z.number().nullable(),
              caseState: ZCaseState.nullable(),
              caseStateLabel: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (request) => findFieldVisits(context.db, userOf(request).scope, request.query),
  });

  app.get('/api/mediators', {
    config: { access: ['agency', 'mediation_office', 'operations', 'regional_manager', 'auditor'] },
    schema: {
      tags: ['Mediación'],
      summary: 'Mediadores de la agencia y su licencia de la aplicación (registro mediador ↔ licencia)',
      response: {
        200: z.array(
          z.object({
            id: z.number(),
            agencyId: z.number(),
            agencyName: z.string(),
            fullName: z.string(),
            kind: z.string(),
            certificationNumber: z.string().nullable(),
            certificationExpiresOn: z.string().nullable(),
            notaryNumber: z.string().nullable(),
            appLicenceNumber: z.string().nullable(),
            active: z.boolean(),
            openCases: z.number(),
          }),
        ),
      },
    },
    handler: async (request) => findMediatorsInScope(context.db, userOf(request).scope),
  });

  app.put('/api/mediators/:id/app-licence', {
    config: { access: ['agency'] },
    schema: {
      tags: ['Mediación'],
      summary: 'Asignar o cambiar la licencia de la aplicación de un mediador de la agencia',
      params: ZCaseId,
      body: z.object({ appLicenceNumber: z.string().trim().regex(/^[A-Z0-9-]{6,30}$/, 'La licencia tiene de 6 a 30 letras mayúsculas, números o guiones.').nullable() }),
      response: { 200: z.object({ id: z.number(), appLicenceNumber: z.string().nullable() }), 404: ZError, 409: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      const agencyId = user.scope.kind === 'agency' ? user.scope.agencyId : -1;
      return inTransaction(context, async (trx) => {
        const before = await trx
          .selectFrom('mediators')
          .select(['id', 'app_licence_number'])
          .where('id', '=', request.params.id)
          .where('agency_id', '=', agencyId)
          .forUpdate()
          .executeTakeFirst();
        if (!before) throw new AppError('NOT_FOUND', { userMessage: 'Mediador no encontrado en su agencia.' });
        const taken = request.body.appLicenceNumber
          ? await trx.selectFrom('mediators').select('id').where('app_licence_number', '=', request.body.appLicenceNumber).where('id', '<>', before.id).executeTakeFirst()
          : undefined;
        if (taken) throw new AppError('CONFLICT', { userMessage: 'Esa licencia ya está asignada a otro mediador.' });
        await trx.updateTable('mediators').set({ app_licence_number: request.body.appLicenceNumber }).where('id', '=', before.id).execute();
        await recordEvent(trx, actorOf(user), context.clock.now(), {
          action: 'mediator.app_licence_changed',
          entityType: 'mediator',
          entityId: String(before.id),
          before: { appLicenceNumber: before.app_licence_number },
          after: { appLicenceNumber: request.body.appLicenceNumber },
        });
        return { id: before.id, appLicenceNumber: request.body.appLicenceNumber };
      });
    },
  });

  app.get('/api/representatives', {
    config: { access: ['agency', 'mediation_office', 'operations', 'regional_manager', 'auditor'] },
    schema: {
      tags: ['Mediación'],
      summary: 'Representantes del Infonavit designados por la agencia (act. 7)',
      response: {
        200: z.array(
          z.object({ id: z.number(), agencyName: z.string(), delegationName: z.string(), fullName: z.string(), hasLegalPowers: z.boolean(), active: z.boolean() }),
        ),
      },
    },
    handler: async (request) => findRepresentativesInScope(context.db, userOf(request).scope),
  });
}
