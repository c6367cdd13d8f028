import { z } from 'zod';
import type { App, AppContext } from '../../http/context.js';
import { ZError } from '../identity/identity.schemas.js';
import { findEntityEvents, verifyAuditTrail } from './audit.service.js';

export function auditRoutes(app: App, context: AppContext): void {
  app.get('/api/audit/verify', {
    config: { access: ['auditor', 'admin'] },
    schema: {
      tags: ['Auditoría'],
      summary: 'Verificar la cadena de eventos de auditoría (SEC-3)',
      response: {
        200: z.object({ ok: z.boolean(), checked: z.number().int(), brokenAt: z.string().optional(), reason: z.string().optional() }),
        403: ZError,
      },
    },
    handler: async () => {
      const result = await verifyAuditTrail(context.db);
      return result.ok ? result : { ...result, brokenAt: result.brokenAt.toString() };
    },
  });

  app.get('/api/audit/events', {
    config: { access: ['auditor', 'admin'] },
    schema: {
      tags: ['Auditoría'],
      summary: 'Eventos de auditoría de una entidad',
      querystring: z.object({ entityType: z.string().min(1).max(40), entityId: z.string().min(1).max(60) }),
      response: {
        200: z.array(
          z.object({
            id: z.string(),
            occurredAt: z.date(),
            actorUserId: z.number().nullable(),
            actorRole: z.string(),
            action: z.string(),
            before: z.unknown(),
            after: z.unknown(),
          }),
        ),
      },
    },
    handler: async (request) => {
      return findEntityEvents(context.db, request.query);
    },
  });
}
