import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { ZError } from '../identity/identity.schemas.js';
import { ZCreditNumber } from '../portfolio/credits.schemas.js';
import { createProposal, getProposal, listProposals, MAX_PROPOSAL_CREDITS, REQUEST_ROLES, resolveProposal } from './proposals.service.js';

const ZProposal = z.object({
  id: z.number(),
  entry: z.enum(['request', 'specialized_recovery']),
  requesterName: z.string(),
  requesterArea: z.string(),
  reason: z.string(),
  createdAt: z.date(),
  status: z.enum(['pending', 'resolved']),
  resolvedAt: z.date().nullable(),
  month: z.string().nullable(),
  credits: z.array(
    z.object({
      creditNumber: z.string(),
      borrowerName: z.string(),
      outcome: z.enum(['pending', 'tagged', 'excluded', 'already_tagged', 'no_agency']),
      reasons: z.array(z.object({ rule: z.string(), wording: z.string() })),
      agencyName: z.string().nullable(),
      convenioType: z.string().nullable(),
      convenioTypeLabel: z.string().nullable(),
    }),
  ),
});

export function proposalRoutes(app: App, context: AppContext): void {
  app.post('/api/proposals', {
    config: { access: REQUEST_ROLES },
    schema: {
      tags: ['Asignación'],
      summary: 'Proponer créditos para mediación (ENT-A) o informar cuentas habitadas de RE (ENT-B)',
      body: z.object({
        entry: z.enum(['request', 'specialized_recovery']).default('request'),
        creditNumbers: z.array(ZCreditNumber).min(1, 'Indique al menos un crédito.').max(MAX_PROPOSAL_CREDITS),
        reason: z.string().trim().min(5, 'Explique el motivo de la propuesta.').max(2000),
      }),
      response: { 201: ZProposal, 400: ZError, 403: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const proposal = await inTransaction(context, async (trx) => {
        const id = await createProposal(trx, user, { ...request.body, now: context.clock.now() });
        return getProposal(trx, user, id);
      });
      return reply.status(201).send(proposal);
    },
  });

  app.get('/api/proposals', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['Asignación'],
      summary: 'Propuestas de mediación (la Gerencia ve todas; cada solicitante, las suyas)',
      querystring: z.object({ status: z.enum(['pending', 'resolved']).optional() }),
      response: { 200: z.array(ZProposal.omit({ credits: true, month: true }).extend({ credits: z.number() })) },
    },
    handler: async (request) => listProposals(context.db, userOf(request), request.query),
  });

  app.get('/api/proposals/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['Asignación'], summary: 'Una propuesta con el resultado de cada crédito', params: z.object({ id: z.coerce.number().int() }), response: { 200: ZProposal, 404: ZError } },
    handler: async (request) => getProposal(context.db, userOf(request), request.params.id),
  });

  app.post('/api/proposals/:id/resolve', {
    config: { access: ['mediation_office', 'operations'] },
    schema: {
      tags: ['Asignación'],
      summary: 'Revisar los criterios de exclusión y etiquetar los créditos elegibles fuera de la corrida mensual',
      params: z.object({ id: z.coerce.number().int() }),
      response: { 200: ZProposal, 404: ZError, 409: ZError },
    },
    handler: async (request) => {
      const user = userOf(request);
      return inTransaction(context, (trx) => resolveProposal(trx, user, { id: request.params.id, today: context.clock.today(), now: context.clock.now() }));
    },
  });
}
