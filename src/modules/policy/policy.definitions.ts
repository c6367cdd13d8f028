/**
 * The versioned policy values (ASG-2, SPEC §5). Each key has a zod schema, the roles that may
 * change it, and a default with its source. A change is a new version; nothing is overwritten.
 */
import { z } from 'zod';
import type { Role, Segment } from '../../db/schema.js';
import { SEGMENT_LABELS } from '../portfolio/portfolio.labels.js';
import { DEADLINE_POLICY_DEFINITION, HOLIDAY_POLICY_DEFINITION } from '../deadlines/deadlines.rules.js';
import { DEFAULT_SOLUTION_PARAMETERS, ZSolutionParameters, type SolutionParameters } from '../solutions/solutions.policy.js';

export const EXCLUSION_RULE_IDS = ['EXC-1', 'EXC-2', 'EXC-3', 'EXC-4', 'EXC-5', 'EXC-6', 'EXC-7', 'EXC-8', 'EXC-9', 'EXC-10'] as const;
export type ExclusionRuleId = (typeof EXCLUSION_RULE_IDS)[number];

const ZHousing = z.enum(['abandoned', 'invaded', 'vandalised', 'uninhabited', 'not_located']);
const ZLegalStage = z.enum(['lawsuit_filed', 'judgment', 'execution']);

/** EXC-1..10 (Lineamiento 1): each can be switched off and some carry parameters. */
export const ZExclusionCriteria = z.object({
  'EXC-1': z.object({ enabled: z.boolean(), maxBrokenConvenios: z.number().int().min(1).max(10) }),
  'EXC-2': z.object({ enabled: z.boolean(), housingStatuses: z.array(ZHousing).min(1) }),
  'EXC-3': z.object({ enabled: z.boolean() }),
  'EXC-4': z.object({ enabled: z.boolean() }),
  'EXC-5': z.object({ enabled: z.boolean() }),
  'EXC-6': z.object({ enabled: z.boolean() }),
  'EXC-7': z.object({ enabled: z.boolean() }),
  'EXC-8': z.object({ enabled: z.boolean() }),
  'EXC-9': z.object({ enabled: z.boolean(), legalStages: z.array(ZLegalStage).min(1) }),
  'EXC-10': z.object({ enabled: z.boolean() }),
});
export type ExclusionCriteria = z.infer<typeof ZExclusionCriteria>;

export const DEFAULT_EXCLUSION_CRITERIA: ExclusionCriteria = {
  'EXC-1': { enabled: true, maxBrokenConvenios: 2 }, // "dos convenios de mediación incumplidos" (Lineamiento 1)
  'EXC-2': { enabled: true, housingStatuses: ['abandoned', 'invaded', 'vandalised', 'uninhabited', 'not_located'] },
  'EXC-3': { enabled: true },
  'EXC-4': { enabled: true },
  'EXC-5': { enabled: true },
  'EXC-6': { enabled: true },
  'EXC-7': { enabled: true },
  'EXC-8': { enabled: true },
  'EXC-9': { enabled: true, legalStages: ['lawsuit_filed', 'judgment', 'execution'] },
  'EXC-10': { enabled: true },
};

const ZSegment = z.enum(Object.keys(SEGMENT_LABELS) as [Segment, ...Segment[]]);
const distinct = <T>(list: T[]) => new Set(list).size === list.length;

/**
 * ASG-3: which convenio type a tagged credit gets (Lineamiento 2 leaves the criteria to the
 * office). Rules are tried in order; the first that matches decides; `fallback` otherwise.
 * `requires` names the mediator kind that must be available in the credit's delegation (among
 * the agencies that serve it) for the type to be chosen. A condition a rule leaves out
 * (undefined) holds for every credit; a list names at least one value.
 */
export const ZConvenioTypeRule = z.object({
  type: z.enum(['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE']),
  delegationIds: z
    .array(z.number().int().min(1).max(32))
    .min(1, 'elija al menos una delegación o quite la condición')
    .refine(distinct, 'delegación repetida')
    .optional(),
  segments: z.array(ZSegment).min(1, 'elija al menos un segmento o quite la condición').refine(distinct, 'segmento repetido').optional(),
  // up to $10,000 millones: above any credit's balance
  minBalanceCents: z.number().int().min(0).max(1_000_000_000_000).optional(),
  requiresMediatorKind: z.enum(['cja_certified', 'notary', 'professional']).optional(),
});
export const ZConvenioTypeCriteria = z.object({
  rules: z.array(ZConvenioTypeRule).max(20, 'a lo más 20 reglas'),
  fallback: z.enum(['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE']),
});
export type ConvenioTypeCriteria = z.infer<typeof ZConvenioTypeCriteria>;

export const DEFAULT_CONVENIO_TYPE_CRITERIA: ConvenioTypeCriteria = {
  // RATIFIED is preferred (enforceable: cosa juzgada once registered, LGMASC art. 98) where a
  // certified mediator is available; NOTARIAL next; ADMINISTRATIVE otherwise.
  rules: [
    { type: 'RATIFIED', minBalanceCents: 20_000_000, requiresMediatorKind: 'cja_certified' },
    { type: 'NOTARIAL', minBalanceCents: 50_000_000, requiresMediatorKind: 'notary' },
  ],
  fallback: 'ADMINISTRATIVE',
};

/** Lineamiento 3: the remote-session tools the mediation office approved. */
export const ZRemoteSessionTools = z.object({
  tools: z.array(z.string().trim().min(2).max(60)).max(20).refine((tools) => new Set(tools.map((t) => t.toLowerCase())).size === tools.length, 'Herramienta repetida.'),
});
export type RemoteSessionTools = z.infer<typeof ZRemoteSessionTools>;

/**
 * CNV-6: which credits pass to Recuperación Especializada when the borrower refuses to sign. The
 * seeds name the hand-over but not the profile.
 */
export const ZReHandoverProfile = z.object({
  enabled: z.boolean(),
  minMonthsInArrears: z.number().int().min(1).max(600),
  legalStages: z.array(ZLegalStage),
});
export type ReHandoverProfile = z.infer<typeof ZReHandoverProfile>;

export const DEFAULT_RE_HANDOVER_PROFILE: ReHandoverProfile = {
  // A credit goes to the legal area after 9 months unpaid (DOMAIN-FACTS §2, Delinquency): from the
  // 10th omiso a refusal leaves no administrative route, so the account goes to RE.
  enabled: true,
  minMonthsInArrears: 10,
  legalStages: [],
};

export interface PolicyDefinition<T> {
  key: string;
  label: string;
  schema: z.ZodType<T>;
  defaultValue: T;
  defaultSource: string;
  owners: readonly Role[];
}

export const POLICIES = {
  exclusion_criteria: {
    key: 'exclusion_criteria',
    label: 'Criterios de exclusión (EXC-1 a EXC-10)',
    schema: ZExclusionCriteria,
    defaultValue: DEFAULT_EXCLUSION_CRITERIA,
    defaultSource: 'Lineamiento 1 del Servicio de Mediación (seed 001): las diez exclusiones, todas activas.',
    owners: ['mediation_office'],
  } satisfies PolicyDefinition<ExclusionCriteria>,
  convenio_type_criteria: {
    key: 'convenio_type_criteria',
    label: 'Criterios del tipo de convenio (ASG-3)',
    schema: ZConvenioTypeCriteria,
    defaultValue: DEFAULT_CONVENIO_TYPE_CRITERIA,
    defaultSource:
      'Lineamiento 2 (seed 001) deja los criterios a la Gerencia; por omisión: Ratificado si hay mediador certificado por un CJA en la delegación y saldo ≥ $200,000; Notarial si hay notario y saldo ≥ $500,000; Administrativo en los demás casos.',
    owners: ['mediation_office'],
  } satisfies PolicyDefinition<ConvenioTypeCriteria>,
  solution_parameters: {
    key: 'solution_parameters',
    label: 'Parámetros del catálogo de soluciones (SOL-1 a SOL-5)',
    schema: ZSolutionParameters,
    defaultValue: DEFAULT_SOLUTION_PARAMETERS,
    defaultSource:
      'Reglas de la política de Cobranza Social (seed 002) y reglas públicas de cada programa (src/modules/solutions/README.md).',
    owners: ['mediation_office'],
  } satisfies PolicyDefinition<SolutionParameters>,
  re_handover_profile: {
    key: 're_handover_profile',
    label: 'Perfil de traspaso a Recuperación Especializada (CNV-6)',
    schema: ZReHandoverProfile,
    defaultValue: DEFAULT_RE_HANDOVER_PROFILE,
    defaultSource:
      'CNV-6 (PR «Salidas») no define el perfil; por omisión, créditos con 10 o más mensualidades omisas: después de 9 meses sin pago el crédito pasa al área jurídica (DOMAIN-FACTS §2, morosidad).',
    owners: ['mediation_office'],
  } satisfies PolicyDefinition<ReHandoverProfile>,
  deadlines: DEADLINE_POLICY_DEFINITION,
  holiday_calendar: HOLIDAY_POLICY_DEFINITION,
  remote_session_tools: {
    key: 'remote_session_tools',
    label: 'Herramientas aprobadas para sesiones a distancia (Lineamiento 3)',
    schema: ZRemoteSessionTools,
    defaultValue: { tools: [] } as RemoteSessionTools,
    defaultSource:
      'Lineamiento 3 (seed 001): las sesiones a distancia sólo usan herramientas aprobadas por la Gerencia de Mediación y Convenios; la fuente no nombra ninguna, así que la lista empieza vacía hasta que la Gerencia las apruebe.',
    owners: ['mediation_office'],
  } satisfies PolicyDefinition<RemoteSessionTools>,
} as const;

export type PolicyKey = keyof typeof POLICIES;
export type PolicyValue<K extends PolicyKey> = (typeof POLICIES)[K]['defaultValue'];
