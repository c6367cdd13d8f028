/**
 * Roles (SPEC §1) and scopes (SEC-2). Pure: no I/O.
 */
import type { Role } from '../../db/schema.js';

export const ROLES = [
  'mediation_office',
  'operations',
  'regional_manager',
  'specialized_recovery',
  'agency',
  'field_agent',
  'mediator',
  'representative',
  'borrower',
  'archive',
  'auditor',
  'admin',
] as const satisfies readonly Role[];

export const ROLE_LABELS: Record<Role, string> = {
  mediation_office: 'Gerencia de Mediación y Convenios',
  operations: 'Gerencia de Operación de Soluciones',
  regional_manager: 'Gerente de Cobranza de Delegación Regional',
  specialized_recovery: 'Gerencia de Recuperación Especializada',
  agency: 'Agencia de Soluciones',
  field_agent: 'Asesor de Soluciones',
  mediator: 'Mediador',
  representative: 'Representante del Infonavit',
  borrower: 'Acreditado',
  archive: 'Archivo (ANEC)',
  auditor: 'Auditoría interna',
  admin: 'Administración de la plataforma',
};

/** Roles whose scope is the whole portfolio (read). */
export const NATIONAL_ROLES: ReadonlySet<Role> = new Set([
  'mediation_office',
  'operations',
  'specialized_recovery',
  'archive',
  'auditor',
  'admin',
]);

export type Scope =
  | { kind: 'national' }
  | { kind: 'delegation'; delegationId: number }
  | { kind: 'agency'; agencyId: number }
  | { kind: 'field_agent'; agencyId: number; userId: number }
  | { kind: 'mediator'; agencyId: number; mediatorId: number }
  | { kind: 'representative'; representativeId: number }
  | { kind: 'credit'; creditNumber: string };

export interface ScopeFacts {
  id: number;
  role: Role;
  delegationId: number | null;
  agencyId: number | null;
  mediatorId: number | null;
  representativeId: number | null;
  creditNumber: string | null;
}

/** SEC-2: the scope a user's role and bindings give him. Throws if the bindings are inconsistent. */
export function scopeOf(user: ScopeFacts): Scope {
  if (NATIONAL_ROLES.has(user.role)) return { kind: 'national' };
  switch (user.role) {
    case 'regional_manager':
      return { kind: 'delegation', delegationId: required(user.delegationId, user) };
    case 'agency':
      return { kind: 'agency', agencyId: required(user.agencyId, user) };
    case 'field_agent':
      return { kind: 'field_agent', agencyId: required(user.agencyId, user), userId: user.id };
    case 'mediator':
      return { kind: 'mediator', agencyId: required(user.agencyId, user), mediatorId: required(user.mediatorId, user) };
    case 'representative':
      return { kind: 'representative', representativeId: required(user.representativeId, user) };
    case 'borrower':
      return { kind: 'credit', creditNumber: required(user.creditNumber, user) };
    default:
      throw new Error(`Role without scope rule: ${user.role}`);
  }
}

function required<T>(value: T | null, user: ScopeFacts): T {
  if (value === null) throw new Error(`User ${user.id} (${user.role}) lacks the binding its scope needs`);
  return value;
}

/** Failed logins before the account is locked, and for how long. */
export const LOGIN_LOCKOUT = { maxFailures: 5, lockMinutes: 15 } as const;

export function lockedUntilAfterFailure(failedLogins: number, now: Date): Date | null {
  return failedLogins >= LOGIN_LOCKOUT.maxFailures ? new Date(now.getTime() + LOGIN_LOCKOUT.lockMinutes * 60_000) : null;
}
