/**
 * The indicators API (SPEC §7 REP-5): the funnel, SL-1 compliance and the deadline counts, each
 * as JSON and as an XLSX or CSV export of exactly the same figures; and the filters a user may
 * choose. The scope (SEC-2) is the user's: a DR manager his delegación, an agency its own cases, a
 * mediator the cases distributed to him, the national roles everything.
 */
import type { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { ZError } from '../identity/identity.schemas.js';
import { deadlineTable, funnelTable, sl1Table, tableCsv, tableXlsx, type IndicatorTable } from './indicators.export.js';
import { INDICATOR_ROLES, type IndicatorRequest } from './indicators.rules.js';
import { XLSX_MEDIA_TYPE } from './report-xlsx.js';
import { ZDeadlineReport, ZFunnelReport, ZIndicatorOptions, ZIndicatorQueryString, ZSl1Report } from './indicators.schemas.js';
import { getDeadlineReport, getFunnelReport, getIndicatorOptions, getSl1Report } from './indicators.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import type { Executor } from '../../db/index.js';

interface Indicator<R extends { query: { monthFrom: string; monthTo: string } }> {
  path: string;
  summary: string;
  response: z.ZodType<R>;
  read: (trx: Executor, user: AuthUser, request: IndicatorRequest, today: string) => Promise<R>;
  table: (report: R) => IndicatorTable;
}

const FUNNEL: Indicator<z.infer<typeof ZFunnelReport>> = {
  path: 'funnel',
  summary: 'Embudo de mediación: susceptibles → … → archivados, con conversión desde la etapa anterior y desde el inicio',
  response: ZFunnelReport,
  read: getFunnelReport,
  table: funnelTable,
};
const SL1: Indicator<z.infer<typeof ZSl1Report>> = {
  path: 'sl1',
  summary: 'Cumplimiento de SL-1: convenios firmados dentro de los 30 días naturales desde la aceptación',
  response: ZSl1Report,
  read: getSl1Report,
  table: sl1Table,
};
const DEADLINES: Indicator<z.infer<typeof ZDeadlineReport>> = {
  path: 'breaches',
  summary: 'Plazos incumplidos y cierres automáticos por regla (DL-1 a DL-17)',
  response: ZDeadlineReport,
  read: getDeadlineReport,
  table: deadlineTable,
};

const CONTENT_TYPES = { xlsx: XLSX_MEDIA_TYPE, csv: 'text/csv; charset=utf-8' } as const;

function registerIndicator<R extends { query: { monthFrom: string; monthTo: string } }>(app: App, context: AppContext, indicator: Indicator<R>): void {
  const read = (request: { query: IndicatorRequest }, user: AuthUser) =>
    inTransaction(context, (trx) => indicator.read(trx, user, request.query, context.clock.today()));
  app.get(`/api/indicators/${indicator.path}`, {
    config: { access: INDICATOR_ROLES },
    schema: {
      tags: ['Indicadores'],
      summary: indicator.summary,
      description: 'Filtros: meses (monthFrom, monthTo), delegación, agencia, mediador; agrupación por delegation, agency, mediator o month. Cada usuario ve sólo su alcance (SEC-2).',
      querystring: ZIndicatorQueryString,
      response: { 200: indicator.response, 400: ZError, 403: ZError },
    },
    handler: async (request) => read(request, userOf(request)),
  });
  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`/api/indicators/${indicator.path}.${format}`, {
      config: { access: INDICATOR_ROLES },
      schema: {
        tags: ['Indicadores'],
        summary: `${indicator.summary} (${format.toUpperCase()}, las mismas cifras)`,
        querystring: ZIndicatorQueryString,
      },
      handler: async (request, reply) => {
        const report = await read(request, userOf(request));
        const table = indicator.table(report);
        const { monthFrom, monthTo } = report.query;
        const fileName = `indicadores-${table.name}-${monthFrom === monthTo ? monthFrom : `${monthFrom}-a-${monthTo}`}.${format}`;
        void reply.header('content-disposition', `attachment; filename="${fileName}"`);
        void reply.header('cache-control', 'private, no-store');
        void reply.type(CONTENT_TYPES[format]);
        const now = context.clock.now();
        return reply.send(format === 'csv' ? tableCsv(table, now) : tableXlsx(table, now));
      },
    });
  }
}

export function indicatorRoutes(app: App, context: AppContext): void {
  registerIndicator(app, context, FUNNEL);
  registerIndicator(app, context, SL1);
  registerIndicator(app, context, DEADLINES);

  app.get('/api/indicators/options', {
    config: { access: INDICATOR_ROLES },
    schema: {
      tags: ['Indicadores'],
      summary: 'Delegaciones, agencias y mediadores por los que el usuario puede filtrar (SEC-2), y las agrupaciones',
      response: { 200: ZIndicatorOptions },
    },
    handler: async (request) => getIndicatorOptions(context.db, userOf(request), context.clock.today()),
  });
}
