/**
 * zod schemas of the indicators API (REP-5): the query string and every reply. Rates are exact:
 * a numerator, a denominator and the text shown ("73.7 %").
 */
import { z } from 'zod';
import { COUNTED_DEADLINES, FUNNEL_STAGES, GROUP_BY } from './indicators.rules.js';

const ZMonthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'El mes debe tener la forma AAAA-MM.');
const ZId = z.coerce.number({ error: 'Use un identificador entero.' }).int('Use un identificador entero.').min(1, 'Use un identificador positivo.').max(2_147_483_647);

export const ZIndicatorQueryString = z.object({
  monthFrom: ZMonthParam.optional().describe('Primer mes (AAAA-MM); por omisión, el mes final'),
  monthTo: ZMonthParam.optional().describe('Último mes (AAAA-MM); por omisión, el mes en curso'),
  delegationId: ZId.optional(),
  agencyId: ZId.optional(),
  mediatorId: ZId.optional(),
  groupBy: z.enum(GROUP_BY, { error: 'Agrupe por delegation, agency, mediator o month.' }).optional(),
});

export const ZRate = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  display: z.string().describe('Porcentaje con un decimal, redondeado hacia arriba desde la mitad; «—» si el denominador es 0'),
});

const ZQueryEcho = z.object({
  monthFrom: z.string(),
  monthTo: z.string(),
  delegationId: z.number().nullable(),
  agencyId: z.number().nullable(),
  mediatorId: z.number().nullable(),
  groupBy: z.enum(GROUP_BY),
  groupByLabel: z.string(),
  scopeLabel: z.string().describe('El alcance de las cifras (SEC-2) y los filtros aplicados, en palabras'),
});

const ZStage = z.enum(FUNNEL_STAGES);

const ZStageFigure = z.object({
  stage: ZStage,
  label: z.string(),
  count: z.number().int().nullable(),
  fromPrevious: ZRate.nullable(),
  fromStart: ZRate.nullable(),
});

export const ZFunnelReport = z.object({
  query: ZQueryEcho,
  start: z.enum(['tagged', 'distributed']),
  startNote: z.string().nullable(),
  stages: z.array(z.object({ stage: ZStage, label: z.string(), source: z.string() })),
  totals: z.object({ stages: z.array(ZStageFigure) }),
  groups: z.array(z.object({ key: z.string(), label: z.string(), stages: z.array(ZStageFigure) })),
  tagged: z.object({
    fromRunSummary: z.array(z.string()).describe('Meses cuyo total de susceptibles viene del resumen guardado de la corrida (ASG-6)'),
    counted: z.array(z.string()).describe('Meses contados en las asignaciones'),
  }),
});

const ZSl1Figures = z.object({ signed: z.number().int(), met: z.number().int(), notMet: z.number().int(), rate: ZRate });

export const ZSl1Report = z.object({
  query: ZQueryEcho,
  basis: z.string(),
  totals: ZSl1Figures,
  groups: z.array(ZSl1Figures.extend({ key: z.string(), label: z.string() })),
});

const ZRuleCount = z.object({ rule: z.enum(COUNTED_DEADLINES), count: z.number().int() });

export const ZDeadlineReport = z.object({
  query: ZQueryEcho,
  rules: z.array(
    z.object({
      rule: z.enum(COUNTED_DEADLINES),
      ruleId: z.string(),
      label: z.string(),
      record: z.enum(['case_breach', 'closure', 'report_breach']),
      recordLabel: z.string(),
    }),
  ),
  notes: z.array(z.string()),
  totals: z.object({ counts: z.array(ZRuleCount), total: z.number().int() }),
  groups: z.array(z.object({ key: z.string().nullable(), label: z.string(), counts: z.array(ZRuleCount), total: z.number().int() })),
});

export const ZIndicatorOptions = z.object({
  currentMonth: z.string(),
  delegations: z.array(z.object({ id: z.number(), name: z.string() })),
  agencies: z.array(z.object({ id: z.number(), code: z.string(), name: z.string() })),
  mediators: z.array(z.object({ id: z.number(), name: z.string(), agencyId: z.number() })),
  groupBy: z.array(z.object({ value: z.enum(GROUP_BY), label: z.string() })),
});

export type FunnelReport = z.infer<typeof ZFunnelReport>;
export type Sl1Report = z.infer<typeof ZSl1Report>;
export type DeadlineReport = z.infer<typeof ZDeadlineReport>;
export type IndicatorOptions = z.infer<typeof ZIndicatorOptions>;
