/**
 * Spanish wording of the monthly tagging and assignment (SPEC §3). The server sends the wording of
 * each exclusion with every run summary and explanation (`ruleWording`, `reasons`); the copy here is
 * for the policy page, whose API answers only with the criteria's values. Keep it in step with
 * EXCLUSION_WORDING in src/modules/assignment/assignment.rules.ts.
 */
import type { ConvenioType, ExcludedHousingStatus, ExcludedLegalStage, ExclusionRuleId, Role, Segment } from './api/types';

export const EXCLUSION_RULE_IDS: readonly ExclusionRuleId[] = [
  'EXC-1',
  'EXC-2',
  'EXC-3',
  'EXC-4',
  'EXC-5',
  'EXC-6',
  'EXC-7',
  'EXC-8',
  'EXC-9',
  'EXC-10',
];

export const EXCLUSION_WORDING: Record<ExclusionRuleId, string> = {
  'EXC-1': 'Tiene dos convenios de mediación incumplidos (re-mediación agotada).',
  'EXC-2': 'La vivienda fue dictaminada abandonada, invadida, vandalizada, deshabitada o no localizada (DAVI).',
  'EXC-3': 'Tiene una reestructura activa.',
  'EXC-4': 'Es un crédito tercerizado (tercerías).',
  'EXC-5': 'Está en el pool del fideicomiso.',
  'EXC-6': 'No factura en el sistema de facturación (Renewall).',
  'EXC-7': 'Tiene una prórroga activa.',
  'EXC-8': 'No tiene ningún convenio o solución disponible.',
  'EXC-9': 'Tiene una demanda presentada o una etapa procesal posterior.',
  'EXC-10': 'Es una cuenta de acompañamiento.',
};

export const CONVENIO_TYPES: readonly ConvenioType[] = ['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE'];

export const CONVENIO_TYPE_LABELS: Record<ConvenioType, string> = {
  RATIFIED: 'Convenio de Mediación Ratificado',
  NOTARIAL: 'Convenio de Mediación Notarial',
  ADMINISTRATIVE: 'Convenio de Mediación Administrativo',
};

export const SEGMENT_LABELS: Record<Segment, string> = {
  cobranza_administrativa: 'Cobranza Administrativa',
  recuperacion_cartera_vencida: 'Recuperación de Cartera Vencida',
  recuperacion_vivienda_vulnerable: 'Recuperación de Vivienda Vulnerable',
  recuperacion_especializada: 'Recuperación Especializada',
};

export const HOUSING_STATUS_LABELS: Record<ExcludedHousingStatus, string> = {
  abandoned: 'Abandonada',
  invaded: 'Invadida',
  vandalised: 'Vandalizada',
  uninhabited: 'Deshabitada',
  not_located: 'No localizada',
};

export const LEGAL_STAGE_LABELS: Record<ExcludedLegalStage, string> = {
  lawsuit_filed: 'Demanda presentada',
  judgment: 'Sentencia',
  execution: 'Ejecución',
};

/** Why credits assigned last month are not this month ("EXC-n" keys use the rule's wording). */
const LEAVING_REASONS: Record<string, string> = {
  'SIN-CAPACIDAD': 'Sigue siendo susceptible, pero quedó sin agencia por falta de capacidad.',
  'FUERA-DE-CARTERA': 'Ya no forma parte de la cartera de cobranza social.',
};

export function leavingReasonWording(reason: string, ruleWording: Record<string, string>): string {
  return ruleWording[reason] ?? LEAVING_REASONS[reason] ?? reason;
}

/** "EXC-2" < "EXC-10": rule IDs in their numeric order; other keys after them, alphabetically. */
export function compareRuleIds(a: string, b: string): number {
  const number = (id: string) => {
    const match = /^EXC-(\d+)$/.exec(id);
    return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
  };
  const difference = number(a) - number(b);
  if (Number.isNaN(difference) || difference === 0) return a.localeCompare(b);
  return difference;
}

/** Who sees the monthly runs (GET /api/assignment/runs). */
export const ASSIGNMENT_OVERSIGHT_ROLES: readonly Role[] = ['operations', 'mediation_office', 'auditor', 'admin'];
/** Who runs the assignment (POST /api/assignment/runs). */
export const ASSIGNMENT_RUN_ROLES: readonly Role[] = ['operations'];
/** Who reads the exclusion criteria; only mediation_office changes them (ASG-2). */
export const POLICY_READ_ROLES: readonly Role[] = ['mediation_office', 'operations', 'auditor', 'admin'];
export const POLICY_EDIT_ROLES: readonly Role[] = ['mediation_office'];
/** Who downloads the assignment file (an agency gets only its own accounts). */
export const ASSIGNMENT_FILE_ROLES: readonly Role[] = [...ASSIGNMENT_OVERSIGHT_ROLES, 'agency'];

export function hasRole(role: Role, roles: readonly Role[]): boolean {
  return roles.includes(role);
}
