import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { notFound } from '../../errors.js';
import { actorOf } from '../audit/audit.service.js';
import { ZError } from '../identity/identity.schemas.js';
import { findCredit } from '../portfolio/credits.repository.js';
import { ZCreditNumber } from '../portfolio/credits.schemas.js';
import { XLSX_MEDIA_TYPE } from '../reports/report-xlsx.js';
import { assignmentCsv, assignmentXlsx } from './assignment.export.js';
import { EXCLUSION_WORDING } from './assignment.rules.js';
import {
  explainCredit,
  findRuns,
  getRunSummary,
  listAssignedAccounts,
  listNotices,
  runAssignment,
  simulateAssignment,
  type RunSummary,
} from './assignment.service.js';
import { ZAssignedAccounts, ZExplanation, ZMonth, ZNotices, ZRunList, ZRunRequest, ZRunSummary } from './assignment.schemas.js';

const OVERSIGHT = ['operations', 'mediation_office', 'auditor', 'admin'] as const;

const withWording = (summary: RunSummary) => ({ ...summary, ruleWording: EXCLUSION_WORDING });

export function assignmentRoutes(app: App, context: AppContext): void {
  app.get('/api/assignment/runs', {
    config: { access: OVERSIGHT },
    schema: { tags: ['Asignación'], summary: 'Corridas mensuales de etiquetado y asignación', response: { 200: ZRunList } },
    handler: async () =>
      (await findRuns(context.db)).map((run) => {
        const summary = run.summary as Partial<RunSummary>;
        return { month: run.month, runOn: run.run_on, publishedAt: run.published_at, evaluated: summary.evaluated ?? 0, tagged: summary.tagged ?? 0, assigned: summary.assigned ?? 0 };
      }),
  });

  app.get('/api/assignment/runs/:month', {
    config: { access: OVERSIGHT },
    schema: { tags: ['Asignación'], summary: 'Resultado de una corrida (por exclusión, delegación, agencia y tipo de convenio)', params: z.object({ month: ZMonth }), response: { 200: ZRunSummary, 404: ZError } },
    handler: async (request) => withWording(await getRunSummary(context.db, request.params.month)),
  });

  app.post('/api/assignment/runs', {
    config: { access: ['operations'] },
    schema: {
      tags: ['Asignación'],
      summary: 'Ejecutar (o simular con dryRun) el etiquetado y la asignación de un mes (ASG-1..5)',
      body: ZRunRequest,
      response: { 200: ZRunSummary, 400: ZError, 409: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      const input = { month: request.body.month, today: context.clock.today(), now: context.clock.now() };
      const summary = request.body.dryRun
        ? await simulateAssignment(context.db, actorOf(user), input)
        : await inTransaction(context, (trx) => runAssignment(trx, actorOf(user), input));
      return withWording(summary);
    },
  });

  app.get('/api/assignment/runs/:month/file', {
    config: { access: [...OVERSIGHT, 'agency'] },
    schema: {
      tags: ['Asignación'],
      summary: 'Archivo de asignación (PR «Entradas») en CSV o XLSX; una agencia recibe sólo sus cuentas',
      params: z.object({ month: ZMonth }),
      querystring: z.object({ format: z.enum(['csv', 'xlsx']).default('xlsx') }),
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const { month } = request.params;
      await getRunSummary(context.db, month);
      const agencyId = user.scope.kind === 'agency' ? user.scope.agencyId : undefined;
      const fileName = `asignacion-${month}${agencyId ? `-agencia-${agencyId}` : ''}.${request.query.format}`;
      void reply.header('content-disposition', `attachment; filename="${fileName}"`);
      if (request.query.format === 'csv') {
        void reply.type('text/csv; charset=utf-8');
        return reply.send(assignmentCsv(context.db, { month, ...(agencyId ? { agencyId } : {}) }));
      }
      void reply.type(XLSX_MEDIA_TYPE);
      return reply.send(assignmentXlsx(context.db, { month, ...(agencyId ? { agencyId } : {}) }, context.clock.now()));
    },
  });

  app.get('/api/assignment/accounts', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Asignación'],
      summary: 'Cuentas asignadas en el mes, dentro del alcance del usuario (SEC-2)',
      querystring: z.object({ month: ZMonth.optional(), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0) }),
      response: { 200: ZAssignedAccounts },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => listAssignedAccounts(trx, user, context.clock.now(), request.query));
    },
  });

  app.get('/api/credits/:number/explanation', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Asignación'],
      summary: '¿Fue etiquetado el crédito en el mes? Si no, todas las exclusiones que lo impidieron',
      params: z.object({ number: ZCreditNumber }),
      querystring: z.object({ month: ZMonth }),
      response: { 200: ZExplanation, 404: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      if (!(await findCredit(context.db, user.scope, request.params.number))) throw notFound('Crédito');
      return explainCredit(context.db, { creditNumber: request.params.number, month: request.query.month });
    },
  });

  app.get('/api/notices', {
    config: { access: 'authenticated' },
    schema: { tags: ['Avisos'], summary: 'Avisos en la aplicación para el usuario', response: { 200: ZNotices } },
    handler: async (request) => listNotices(context.db, userOf(request)),
  });
}
