/**
 * Indicators (SPEC §7 REP-5): the mediation funnel with its conversion rates, SL-1 compliance and
 * the deadline counts DL-1..DL-17, by delegación, agency, mediator and month. Pure — no I/O, no
 * clock: the current month is a parameter.
 *
 * - the funnel's stages and where each count comes from;
 * - exact rates: a numerator and a denominator, and the text users read ("73.7 %", one decimal,
 *   rounded half up with integer arithmetic — never a binary float);
 * - the query a user may ask: month range, filters and grouping, intersected with his scope
 *   (SEC-2): a filter outside it is refused, not silently emptied;
 * - whether the assignment run's stored summary gives the "tagged" figure exactly;
 * - the deadline rules counted and where each is recorded.
 */
import { AppError } from '../../errors.js';
import type { Scope } from '../identity/identity.rules.js';

// ------------------------------------------------------------------------------------------------
// The funnel
// ------------------------------------------------------------------------------------------------

/** REP-5: tagged → offered → accepted → distributed → scheduled → held → signed → approved → first payment → filed → archived. */
export const FUNNEL_STAGES = [
  'tagged',
  'offered',
  'accepted',
  'distributed',
  'scheduled',
  'held',
  'signed',
  'approved',
  'first_payment',
  'filed',
  'archived',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const FUNNEL_STAGE_LABELS: Record<FunnelStage, string> = {
  tagged: 'Susceptibles de mediación',
  offered: 'Mediación ofrecida',
  accepted: 'En Mediación (aceptada)',
  distributed: 'Distribuidos a un mediador',
  scheduled: 'Sesión agendada',
  held: 'Sesión celebrada',
  signed: 'Convenio firmado',
  approved: 'Solución aprobada',
  first_payment: 'Primer pago',
  filed: 'Expediente entregado',
  archived: 'Expediente en el archivo',
};

/** What each count is, as the dashboard and the exports explain it. */
export const FUNNEL_STAGE_SOURCES: Record<FunnelStage, string> = {
  tagged: 'Créditos asignados a una agencia en el mes (act. 1, ASG-4).',
  offered: 'Casos en los que se ofreció la mediación en la visita u otro canal (act. 2–3), la hayan aceptado o no.',
  accepted: 'Casos con fecha de aceptación: día 0 (act. 4).',
  distributed: 'Casos distribuidos por la agencia a un mediador (act. 5).',
  scheduled: 'Casos con sesión agendada (act. 11).',
  held: 'Casos con al menos una sesión celebrada (act. 16).',
  signed: 'Convenios firmados (act. 20).',
  approved: 'Convenios con la solución aprobada por la DR (act. 25).',
  first_payment: 'Convenios con el primer pago recibido (CNV-5).',
  filed: 'Expedientes de convenio entregados a la DR (act. 28).',
  archived: 'Expedientes de convenio con acuse del archivo (act. 36, EXP-4).',
};

/**
 * Where the funnel starts. A case has a mediator only from its distribution (act. 5), so by
 * mediator — his own dashboard, a mediator filter or the mediator grouping — it starts there.
 */
export type FunnelStart = 'tagged' | 'distributed';

export function stagesFrom(start: FunnelStart): readonly FunnelStage[] {
  return FUNNEL_STAGES.slice(FUNNEL_STAGES.indexOf(start));
}

// ------------------------------------------------------------------------------------------------
// Exact rates
// ------------------------------------------------------------------------------------------------

export interface Rate {
  numerator: number;
  denominator: number;
  /** Percentage with one decimal, rounded half up ("73.7 %"); "—" when the denominator is 0. */
  display: string;
}

/** Thousands grouped with commas, as es-MX writes them. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * numerator / denominator as a percentage with one decimal, rounded half up, in integer
 * arithmetic: tenths of a percent = ⌊(2000·n + d) / (2·d)⌋.
 */
export function formatRate(numerator: number, denominator: number): string {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || denominator < 0) {
    throw new RangeError(`A rate needs whole non-negative counts: ${numerator}/${denominator}`);
  }
  if (denominator === 0) return '—';
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  const tenths = (2000n * n + d) / (2n * d);
  return `${groupThousands((tenths / 10n).toString())}.${(tenths % 10n).toString()} %`;
}

export function rateOf(numerator: number, denominator: number): Rate {
  return { numerator, denominator, display: formatRate(numerator, denominator) };
}

// ------------------------------------------------------------------------------------------------
// The query
// ------------------------------------------------------------------------------------------------

export const GROUP_BY = ['none', 'delegation', 'agency', 'mediator', 'month'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const GROUP_BY_LABELS: Record<GroupBy, string> = {
  none: 'Total',
  delegation: 'Delegación',
  agency: 'Agencia',
  mediator: 'Mediador',
  month: 'Mes',
};

/** The longest month range one request may cover. */
export const MAX_MONTHS = 36;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months counted from year 0: 'YYYY-MM' → 12·YYYY + MM − 1. */
function monthIndex(month: string): number {
  const match = MONTH.exec(month);
  if (!match) throw new AppError('VALIDATION', { userMessage: `El mes «${month}» debe tener la forma AAAA-MM.` });
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

function monthAt(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const first = monthIndex(from);
  const last = monthIndex(to);
  const months: string[] = [];
  for (let index = first; index <= last; index++) months.push(monthAt(index));
  return months;
}

export interface IndicatorRequest {
  monthFrom?: string | undefined;
  monthTo?: string | undefined;
  delegationId?: number | undefined;
  agencyId?: number | undefined;
  mediatorId?: number | undefined;
  groupBy?: GroupBy | undefined;
}

/** A request made whole: months set, the user's scope turned into filters (SEC-2). */
export interface IndicatorQuery {
  monthFrom: string;
  monthTo: string;
  delegationId?: number | undefined;
  agencyId?: number | undefined;
  mediatorId?: number | undefined;
  groupBy: GroupBy;
  /** The funnel's first stage for this query (by mediator: distribution). */
  start: FunnelStart;
}

function outOfScope(what: string): AppError {
  return new AppError('FORBIDDEN', { userMessage: `Sólo puede consultar los indicadores de su alcance (SEC-2): ${what}.` });
}

/**
 * The query a user may run (SEC-2): a DR manager sees his delegación, an agency its own cases, a
 * mediator the cases distributed to him, the national roles everything. The scope becomes a
 * filter; a filter that contradicts it is refused (403) rather than answered with zeros.
 * Without months, the current month; with only one end, that month.
 */
export function resolveIndicatorQuery(scope: Scope, request: IndicatorRequest, currentMonth: string): IndicatorQuery {
  const monthTo = request.monthTo ?? request.monthFrom ?? currentMonth;
  const monthFrom = request.monthFrom ?? monthTo;
  const span = monthIndex(monthTo) - monthIndex(monthFrom) + 1;
  if (span < 1) throw new AppError('VALIDATION', { userMessage: 'El mes inicial no puede ser posterior al mes final.' });
  if (span > MAX_MONTHS) throw new AppError('VALIDATION', { userMessage: `Consulte a lo más ${MAX_MONTHS} meses a la vez.` });
  let { delegationId, agencyId, mediatorId } = request;
  switch (scope.kind) {
    case 'national':
      break;
    case 'delegation':
      if (delegationId !== undefined && delegationId !== scope.delegationId) throw outOfScope('otra delegación');
      delegationId = scope.delegationId;
      break;
    case 'agency':
      if (agencyId !== undefined && agencyId !== scope.agencyId) throw outOfScope('otra agencia');
      agencyId = scope.agencyId;
      break;
    case 'mediator':
      if (mediatorId !== undefined && mediatorId !== scope.mediatorId) throw outOfScope('otro mediador');
      mediatorId = scope.mediatorId;
      break;
    default:
      throw new AppError('FORBIDDEN', { userMessage: 'Su perfil no consulta indicadores.' });
  }
  const groupBy = request.groupBy ?? 'none';
  const start: FunnelStart = mediatorId !== undefined || groupBy === 'mediator' ? 'distributed' : 'tagged';
  return { monthFrom, monthTo, delegationId, agencyId, mediatorId, groupBy, start };
}

// ------------------------------------------------------------------------------------------------
// "Tagged": the run's summary or a count
// ------------------------------------------------------------------------------------------------

/** What a month's stored run summary (assignment_runs.summary, ASG-6) holds that the funnel reads. */
export interface RunSummaryCounts {
  assigned: number;
  byDelegation: ReadonlyArray<{ delegationId: number; assigned: number }>;
  byAgency: ReadonlyArray<{ agencyId: number; assigned: number }>;
}

/**
 * Whether the run summaries can answer this query's "tagged" figures: they hold the month's
 * assignments in total, by delegación and by agency — not crossed (a delegación's agencies), and
 * nothing by mediator (a mediator has no tagged credits anyway).
 */
export function summaryAnswers(query: IndicatorQuery): boolean {
  if (query.start !== 'tagged') return false;
  const byDelegation = query.delegationId !== undefined;
  const byAgency = query.agencyId !== undefined;
  if (byDelegation && byAgency) return false;
  if (byDelegation) return query.groupBy !== 'agency';
  if (byAgency) return query.groupBy !== 'delegation';
  return true;
}

/**
 * The "tagged" counts of one month from its run summary, keyed as the grouping keys the case
 * counts (`total`, the month, the delegación or agency id). Only for queries `summaryAnswers`.
 */
export function taggedFromSummary(summary: RunSummaryCounts, month: string, query: IndicatorQuery): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string, n: number) => {
    if (n > 0) counts.set(key, (counts.get(key) ?? 0) + n);
  };
  const delegations = summary.byDelegation.filter((d) => query.delegationId === undefined || d.delegationId === query.delegationId);
  const agencies = summary.byAgency.filter((a) => query.agencyId === undefined || a.agencyId === query.agencyId);
  if (query.groupBy === 'delegation') {
    for (const d of delegations) add(String(d.delegationId), d.assigned);
    return counts;
  }
  if (query.groupBy === 'agency') {
    for (const a of agencies) add(String(a.agencyId), a.assigned);
    return counts;
  }
  const n =
    query.delegationId !== undefined
      ? delegations.reduce((sum, d) => sum + d.assigned, 0)
      : query.agencyId !== undefined
        ? agencies.reduce((sum, a) => sum + a.assigned, 0)
        : summary.assigned;
  add(query.groupBy === 'month' ? month : TOTAL_KEY, n);
  return counts;
}

/** The key of the single group of an ungrouped query. */
export const TOTAL_KEY = 'total';

// ------------------------------------------------------------------------------------------------
// Shaping the counts
// ------------------------------------------------------------------------------------------------

export type StageCounts = Record<FunnelStage, number>;

export interface StageFigure {
  stage: FunnelStage;
  label: string;
  /** null before the query's first stage (by mediator: before distribution). */
  count: number | null;
  /** From the stage before (null for the first stage). */
  fromPrevious: Rate | null;
  /** From the first stage (null for the first stage). */
  fromStart: Rate | null;
}

export function emptyStageCounts(): StageCounts {
  return Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, 0])) as StageCounts;
}

export function addStageCounts(into: StageCounts, counts: StageCounts): StageCounts {
  for (const stage of FUNNEL_STAGES) into[stage] += counts[stage];
  return into;
}

/** The funnel of one group: each stage's count and its conversion from the previous and from the first stage. */
export function funnelFigures(counts: StageCounts, start: FunnelStart): StageFigure[] {
  const first = FUNNEL_STAGES.indexOf(start);
  return FUNNEL_STAGES.map((stage, index) => {
    if (index < first) return { stage, label: FUNNEL_STAGE_LABELS[stage], count: null, fromPrevious: null, fromStart: null };
    const count = counts[stage];
    if (index === first) return { stage, label: FUNNEL_STAGE_LABELS[stage], count, fromPrevious: null, fromStart: null };
    return {
      stage,
      label: FUNNEL_STAGE_LABELS[stage],
      count,
      fromPrevious: rateOf(count, counts[FUNNEL_STAGES[index - 1]!]),
      fromStart: rateOf(count, counts[start]),
    };
  });
}

/** SL-1: of the convenios signed, those signed within the service level (30 calendar days from acceptance by default). */
export interface Sl1Counts {
  signed: number;
  met: number;
}

export interface Sl1Figures extends Sl1Counts {
  notMet: number;
  rate: Rate;
}

export function sl1Figures(counts: Sl1Counts): Sl1Figures {
  return { signed: counts.signed, met: counts.met, notMet: counts.signed - counts.met, rate: rateOf(counts.met, counts.signed) };
}

/** Groups in reading order: months in time order, the others by their label (Spanish collation). */
export function sortGroups<G extends { key: string | null; label: string }>(groups: G[], groupBy: GroupBy): G[] {
  return [...groups].sort((a, b) => {
    if (a.key === null) return 1;
    if (b.key === null) return -1;
    if (groupBy === 'month') return a.key.localeCompare(b.key);
    return a.label.localeCompare(b.label, 'es') || a.key.localeCompare(b.key);
  });
}

// ------------------------------------------------------------------------------------------------
// Deadlines counted
// ------------------------------------------------------------------------------------------------

/**
 * Every deadline of SPEC §5 whose passing the platform records, DL-1..DL-17: the SLA breaches of
 * cases, convenios and case files (case_deadline_breaches), the automatic closures DL-5 and DL-8
 * (the case's closure rule), and the report deadlines DL-16 and DL-17 (report_deadline_breaches).
 * DL-3 and DL-7 are windows whose end is what DL-4/DL-5 and DL-8 record; DL-18 is not flagged.
 */
export const COUNTED_DEADLINES = [
  'DL-1',
  'DL-2',
  'DL-4',
  'DL-5',
  'DL-6',
  'DL-8',
  'DL-9',
  'DL-10',
  'DL-11',
  'DL-12',
  'DL-13.request',
  'DL-13.answer',
  'DL-14',
  'DL-15',
  'DL-16',
  'DL-17.request',
  'DL-17.answer',
] as const;
export type CountedDeadline = (typeof COUNTED_DEADLINES)[number];

export type DeadlineRecord = 'case_breach' | 'closure' | 'report_breach';

export const DEADLINE_RECORD: Record<CountedDeadline, DeadlineRecord> = {
  'DL-1': 'case_breach',
  'DL-2': 'case_breach',
  'DL-4': 'case_breach',
  'DL-5': 'closure',
  'DL-6': 'case_breach',
  'DL-8': 'closure',
  'DL-9': 'case_breach',
  'DL-10': 'case_breach',
  'DL-11': 'case_breach',
  'DL-12': 'case_breach',
  'DL-13.request': 'case_breach',
  'DL-13.answer': 'case_breach',
  'DL-14': 'case_breach',
  'DL-15': 'case_breach',
  'DL-16': 'report_breach',
  'DL-17.request': 'report_breach',
  'DL-17.answer': 'report_breach',
};

export const DEADLINE_RECORD_LABELS: Record<DeadlineRecord, string> = {
  case_breach: 'Plazo incumplido',
  closure: 'Cierre automático',
  report_breach: 'Plazo de informe incumplido',
};

/**
 * Report deadlines belong to a delegación (DL-16, and DL-17 of a DR report) or to an agency
 * (DL-17 of an agency report), never to a mediator: a mediator's query leaves them out, and a
 * grouping they lack puts them in the group "without" (key null).
 */
export function reportDeadlinesApply(query: IndicatorQuery): boolean {
  return query.mediatorId === undefined;
}

/** The label of the group of rows a grouping cannot place (key null). */
export const UNPLACED_GROUP_LABELS: Record<GroupBy, string> = {
  none: 'Total',
  delegation: 'Sin delegación (informes de agencia)',
  agency: 'Sin agencia (reportes de la delegación)',
  mediator: 'Sin mediador',
  month: 'Sin mes',
};

/** "La agencia aprueba…" from "la agencia aprueba…". */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Who reads the indicators (SEC-2 narrows each to his scope); borrowers, field agents and representatives do not. */
export const INDICATOR_ROLES = ['mediation_office', 'operations', 'auditor', 'regional_manager', 'agency', 'mediator'] as const;
