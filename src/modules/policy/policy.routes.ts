import { z } from 'zod';
import { inTransaction, userOf, type App, type AppContext } from '../../http/context.js';
import { actorOf } from '../audit/audit.service.js';
import { ZError } from '../identity/identity.schemas.js';
import { POLICIES, type PolicyKey } from './policy.definitions.js';
import { changePolicy, findPolicyVersions } from './policy.service.js';

const ZPolicyKey = z.enum(Object.keys(POLICIES) as [PolicyKey, ...PolicyKey[]]);
const ZPolicyVersion = z.object({
  id: z.number(),
  version: z.number(),
  value: z.unknown(),
  reason: z.string(),
  authorUserId: z.number().nullable(),
  /** the author's full name (absent where the answer is the version just registered) */
  authorName: z.string().nullable().optional(),
  createdAt: z.date(),
  effectiveFrom: z.string(),
  notifiedAreas: z.array(z.string()),
});

export function policyRoutes(app: App, context: AppContext): void {
  app.get('/api/policies/:key', {
    config: { access: ['mediation_office', 'operations', 'auditor', 'admin'] },
    schema: {
      tags: ['Políticas'],
      summary: 'Versiones de una política (la más reciente primero)',
      params: z.object({ key: ZPolicyKey }),
      response: { 200: z.object({ key: z.string(), label: z.string(), defaultSource: z.string(), versions: z.array(ZPolicyVersion) }) },
    },
    handler: async (request) => {
      const definition = POLICIES[request.params.key];
      return { key: definition.key, label: definition.label, defaultSource: definition.defaultSource, versions: await findPolicyVersions(context.db, request.params.key) };
    },
  });

  app.post('/api/policies/:key', {
    config: { access: ['mediation_office'] },
    schema: {
      tags: ['Políticas'],
      summary: 'Registrar una nueva versión de una política (ASG-2: motivo y fecha de vigencia obligatorios)',
      params: z.object({ key: ZPolicyKey }),
      body: z.object({
        value: z.unknown(),
        reason: z.string().trim().min(5, 'Indique el motivo del cambio.').max(2000),
        effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Fecha AAAA-MM-DD.'),
        notifiedAreas: z.array(z.string().min(2).max(120)).max(20).default([]),
      }),
      response: { 201: ZPolicyVersion, 400: ZError, 403: ZError },
    },
    handler: async (request, reply) => {
      const user = userOf(request);
      const created = await inTransaction(context, (trx) =>
        changePolicy(trx, actorOf(user), { key: request.params.key, ...request.body, now: context.clock.now() }),
      );
      return reply.status(201).send(created);
    },
  });
}
