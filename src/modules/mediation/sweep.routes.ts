/**
 * The daily sweep over HTTP (SPEC §5): run today's sweep by hand, and list the recent sweeps with
 * what each closed and flagged. The server also runs it every day (src/jobs/scheduler.ts).
 */
import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import type { Role } from '../../db/schema.js';
import { actorOf } from '../audit/audit.service.js';
import { ZError } from '../identity/identity.schemas.js';
import { FILE_SWEEP_RULES, findSweeps, sweepCases, SWEEP_CLOSURE_RULES, SWEEP_SLA_RULES } from './sweep.service.js';

/** Who may run the sweep by hand: the areas that remove mediation tags and own the deadlines. */
export const SWEEP_RUN_ROLES = ['operations', 'mediation_office'] as const satisfies readonly Role[];
/** Who may read the sweeps: the same, and internal control. */
export const SWEEP_READ_ROLES = ['operations', 'mediation_office', 'auditor'] as const satisfies readonly Role[];

const count = z.number().int().min(0);

const ZSweepSummary = z.object({
  sweepId: z.number().int(),
  sweptOn: z.string().describe('Día barrido (AAAA-MM-DD, America/Mexico_City)'),
  startedAt: z.string(),
  finishedAt: z.string(),
  actor: z.object({ role: z.string(), userId: z.number().int().nullable() }),
  closed: z.object(Object.fromEntries(SWEEP_CLOSURE_RULES.map((rule) => [rule, count])) as Record<(typeof SWEEP_CLOSURE_RULES)[number], typeof count>),
  totalClosed: count,
  byPolicyVersion: z.array(z.object({ rule: z.enum(SWEEP_CLOSURE_RULES), policyVersion: z.number().int().nullable(), cases: count })),
  flagged: z.object(Object.fromEntries(SWEEP_SLA_RULES.map((rule) => [rule, count])) as Record<(typeof SWEEP_SLA_RULES)[number], typeof count>),
  totalFlagged: count,
  convenios: z.object({
    firstPayments: count.describe('Convenios con primer pago recibido (CNV-5)'),
    broken: count.describe('Convenios incumplidos por falta del primer pago (CNV-5)'),
    flagged: z.object({ 'DL-9': count, 'DL-10': count, 'DL-11': count, 'DL-12': count }),
  }),
  files: z
    .object(Object.fromEntries(FILE_SWEEP_RULES.map((rule) => [rule, count])) as Record<(typeof FILE_SWEEP_RULES)[number], typeof count>)
    .describe('Incumplimientos marcados de expedientes (DL-13..DL-15), del reporte de avance del archivo (DL-16) y de aclaraciones de reportes (DL-17)'),
});

export function sweepRoutes(app: App, context: AppContext): void {
  app.post('/api/sweeps', {
    config: { access: SWEEP_RUN_ROLES },
    schema: {
      tags: ['Mediación'],
      summary: 'Ejecutar el barrido diario de hoy: cierres automáticos DL-5 y DL-8, retiro de etiquetas (act. 10 y 19), incumplimientos DL-1, DL-2, DL-4, DL-6 y DL-9..DL-17, y primeros pagos (CNV-5)',
      description:
        'Idempotente: si el barrido del día ya se ejecutó, no cierra ni marca nada de nuevo y lo informa con ceros. Cada cierre queda en el historial del caso con la regla, la versión de la política de plazos y la explicación.',
      response: { 201: ZSweepSummary, 403: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const summary = await inTransaction(context, (trx) =>
        sweepCases(trx, { today: context.clock.today(), now: context.clock.now(), actor: actorOf(user) }),
      );
      return reply.status(201).send(summary);
    },
  });

  app.get('/api/sweeps', {
    config: { access: SWEEP_READ_ROLES },
    schema: {
      tags: ['Mediación'],
      summary: 'Barridos diarios recientes, del más nuevo al más antiguo, con lo que cerró y marcó cada uno',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(366).default(30) }),
      response: { 200: z.array(ZSweepSummary.extend({ id: z.number().int() })), 403: ZError },
    },
    handler: async (request) => findSweeps(context.db, { limit: request.query.limit }),
  });
}
