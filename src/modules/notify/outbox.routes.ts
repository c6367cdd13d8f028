/**
 * HTTP: the outbox and its delivery evidence (DL-6) for operations, the mediation office and the
 * auditor; operations re-queues a failed message. Addresses are always masked.
 */
import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { ZError } from '../identity/identity.schemas.js';
import { OUTBOX_CHANNELS, OUTBOX_PURPOSES, OUTBOX_RECIPIENT_KINDS, OUTBOX_STATUSES } from './outbox.rules.js';
import { listOutboxMessages, retryMessage } from './outbox.service.js';

export const OUTBOX_READ_ROLES = ['operations', 'mediation_office', 'auditor'] as const;
export const OUTBOX_RETRY_ROLES = ['operations'] as const;

export const ZOutboxMessage = z.object({
  id: z.number().int(),
  purpose: z.enum(OUTBOX_PURPOSES),
  purposeLabel: z.string(),
  channel: z.enum(OUTBOX_CHANNELS),
  recipientKind: z.enum(OUTBOX_RECIPIENT_KINDS),
  recipientName: z.string(),
  recipientAddressMasked: z.string(),
  subject: z.string().nullable(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.date().nullable(),
  sentAt: z.date().nullable(),
  adapter: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  lastError: z.string().nullable(),
  caseId: z.number().int().nullable(),
  caseEventId: z.number().int().nullable(),
  createdAt: z.date(),
});
export type TOutboxMessage = z.infer<typeof ZOutboxMessage>;

export const ZOutboxQuery = z.object({
  status: z.enum(OUTBOX_STATUSES).optional(),
  purpose: z.enum(OUTBOX_PURPOSES).optional(),
  channel: z.enum(OUTBOX_CHANNELS).optional(),
  caseId: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const ZOutboxPage = z.object({
  items: z.array(ZOutboxMessage),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export function outboxRoutes(app: App, context: AppContext): void {
  app.get('/api/outbox', {
    config: { access: OUTBOX_READ_ROLES },
    schema: {
      tags: ['Notificaciones'],
      summary: 'Mensajes enviados y por enviar (correo, SMS, WhatsApp) con su evidencia de entrega (DL-6); direcciones enmascaradas',
      querystring: ZOutboxQuery,
      response: { 200: ZOutboxPage, 401: ZError, 403: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => listOutboxMessages(trx, user, { ...request.query, now: context.clock.now() }));
    },
  });

  app.post('/api/outbox/:id/retry', {
    config: { access: OUTBOX_RETRY_ROLES },
    schema: {
      tags: ['Notificaciones'],
      summary: 'Reintentar un mensaje fallido (vuelve a la cola de envío; queda en la bitácora)',
      params: z.object({ id: z.coerce.number().int().min(1) }),
      response: { 200: ZOutboxMessage, 401: ZError, 403: ZError, 404: ZError, 409: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => retryMessage(trx, user, { id: request.params.id, now: context.clock.now() }));
    },
  });
}
