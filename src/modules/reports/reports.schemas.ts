/**
 * HTTP input and output of the monthly reports and their requests (SPEC §7 REP-1, REP-2; acts.
 * 32–34; DL-17): validated on the way in and on the way out.
 */
import { z } from 'zod';
import { ZMonth } from '../assignment/assignment.schemas.js';
import { REPORT_REQUEST_ACTIONS, REPORT_REQUEST_KINDS, REPORT_REQUEST_STATUSES } from './report-requests.rules.js';

export const ZIsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use el formato AAAA-MM-DD.');
const ZId = z.coerce.number().int().positive();

export const ZAgencyReportQuery = z.object({
  agencyId: ZId.optional().describe('La agencia; una agencia recibe siempre la suya'),
  month: ZMonth.describe('Mes de la asignación (AAAA-MM), ya concluido'),
  asOf: ZIsoDate.optional().describe('Fecha de corte: por omisión, el último día del mes; no futura'),
});

export const ZRegionReportQuery = z.object({
  delegationId: ZId.optional().describe('La delegación; un Gerente de Cobranza recibe siempre la suya'),
  month: ZMonth.describe('Mes de firma (AAAA-MM), ya concluido'),
  asOf: ZIsoDate.optional().describe('Fecha de corte: por omisión, el último día del mes; no futura'),
});

export const ZReportOptions = z.object({
  agencies: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  delegations: z.array(z.object({ id: z.number(), name: z.string() })),
});

export const ZCreateReportRequest = z
  .object({
    kind: z.enum(REPORT_REQUEST_KINDS),
    agencyId: z.number().int().positive().optional(),
    delegationId: z.number().int().min(1).max(99).optional(),
    month: ZMonth,
  })
  .refine((body) => (body.kind === 'agency' ? body.agencyId !== undefined : body.delegationId !== undefined), {
    message: 'Indique la agencia (REP-1) o la delegación (REP-2) del reporte.',
    path: ['kind'],
  });

export const ZReportRequestActionBody = z.object({
  action: z.enum(REPORT_REQUEST_ACTIONS),
  version: z.number().int().min(1),
  text: z.string().max(2000).optional(),
});

export const ZReportRequestListQuery = z.object({
  status: z.enum(REPORT_REQUEST_STATUSES).optional(),
  kind: z.enum(REPORT_REQUEST_KINDS).optional(),
});

const ZRef = z.object({ id: z.number(), code: z.string(), name: z.string() });

export const ZReportRequest = z.object({
  id: z.number(),
  kind: z.enum(REPORT_REQUEST_KINDS),
  kindLabel: z.string(),
  agency: ZRef.nullable(),
  delegation: ZRef.nullable(),
  month: z.string(),
  monthLabel: z.string(),
  status: z.enum(REPORT_REQUEST_STATUSES),
  statusLabel: z.string(),
  version: z.number(),
  requestedOn: z.string(),
  deliveredOn: z.string().nullable(),
  asOf: z.string().nullable().describe('Fecha de corte del reporte entregado'),
  sha256: z.string().nullable().describe('sha256 del archivo entregado, tal como se descarga'),
  dl17RequestDueOn: z.string().nullable().describe('Último día para solicitar aclaraciones (DL-17)'),
  clarificationRequestedOn: z.string().nullable(),
  clarificationRequest: z.string().nullable(),
  dl17AnswerDueOn: z.string().nullable().describe('Último día para responder la aclaración (DL-17)'),
  clarificationAnsweredOn: z.string().nullable(),
  clarificationAnswer: z.string().nullable(),
  closedOn: z.string().nullable(),
  breaches: z.array(z.object({ rule: z.string(), dueOn: z.string(), flaggedOn: z.string() })),
  actions: z.array(z.object({ action: z.enum(REPORT_REQUEST_ACTIONS), label: z.string() })),
});

export const ZReportRequestDetail = ZReportRequest.extend({
  history: z.array(
    z.object({
      version: z.number(),
      action: z.string(),
      actionLabel: z.string(),
      activity: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      onDate: z.string(),
      actorRole: z.string(),
      actorName: z.string().nullable(),
      recordedAt: z.string(),
    }),
  ),
});
