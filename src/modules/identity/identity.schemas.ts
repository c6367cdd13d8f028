import { z } from 'zod';
import { ROLES } from './identity.rules.js';

export const ZLogin = z.object({
  username: z.string().trim().min(1, 'Escriba su usuario.').max(64),
  password: z.string().min(1, 'Escriba su contraseña.').max(256),
});

export const ZMe = z.object({
  id: z.number().int(),
  username: z.string(),
  fullName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  scope: z.object({
    kind: z.enum(['national', 'delegation', 'agency', 'field_agent', 'mediator', 'representative', 'credit']),
    label: z.string(),
    delegationId: z.number().int().optional(),
    agencyId: z.number().int().optional(),
    mediatorId: z.number().int().optional(),
    representativeId: z.number().int().optional(),
    creditNumber: z.string().optional(),
  }),
});
export type TMe = z.infer<typeof ZMe>;

export const ZSessionReply = z.object({ user: ZMe, csrfToken: z.string() });

export const ZCreateApiToken = z.object({ name: z.string().trim().min(3).max(60) });
export const ZApiTokenCreated = z.object({ id: z.number().int(), token: z.string(), name: z.string() });
export const ZApiTokenList = z.array(
  z.object({ id: z.number().int(), name: z.string(), createdAt: z.date(), lastUsedAt: z.date().nullable(), revokedAt: z.date().nullable() }),
);
export const ZError = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });
