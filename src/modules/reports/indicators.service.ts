/**
 * Indicators (SPEC §7 REP-5): the mediation funnel with conversion rates, SL-1 compliance and the
 * deadline counts DL-1..DL-17, by delegación, agency, mediator and month, within the user's scope
 * (SEC-2). Read-only: each report is read in one REPEATABLE READ, READ ONLY transaction so that
 * its statements see the same snapshot; the exports are built from the same report object, so a
 * file holds exactly the figures the screen shows.
 */
import { sql } from 'kysely';
import { monthOf, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { DEADLINE_SUBJECT, ruleIdOf } from '../deadlines/deadlines.rules.js';
import type { AuthUser } from '../identity/identity.service.js';
import { SWEEP_CLOSURE_LABELS } from '../mediation/sweep.service.js';
import { monthNameEs } from '../notify/outbox.templates.js';
import {
  countDeadlines,
  countFunnelCases,
  countSl1,
  countTagged,
  findExactRunSummaries,
  findFilterOptions,
  findGroupLabels,
  type CaseStageCounts,
} from './indicators.repository.js';
import {
  addStageCounts,
  capitalise,
  COUNTED_DEADLINES,
  DEADLINE_RECORD,
  DEADLINE_RECORD_LABELS,
  emptyStageCounts,
  FUNNEL_STAGE_LABELS,
  FUNNEL_STAGE_SOURCES,
  FUNNEL_STAGES,
  funnelFigures,
  GROUP_BY,
  GROUP_BY_LABELS,
  monthsBetween,
  reportDeadlinesApply,
  resolveIndicatorQuery,
  sl1Figures,
  sortGroups,
  summaryAnswers,
  taggedFromSummary,
  UNPLACED_GROUP_LABELS,
  type CountedDeadline,
  type IndicatorQuery,
  type IndicatorRequest,
  type StageCounts,
} from './indicators.rules.js';
import type { DeadlineReport, FunnelReport, IndicatorOptions, Sl1Report } from './indicators.schemas.js';

/**
 * The first statements of the caller's transaction: one snapshot for the whole report, no writes;
 * hash joins of the cases with their convenios in memory (the default 4 MB spilled them to disk
 * at 1,000,000 cases), and no JIT: compiling the aggregate took ~0.25 s of a ~2 s statement
 * (bench/funnel.ts, EXPLAIN ANALYZE). For this transaction only.
 */
async function readOneSnapshot(trx: Executor): Promise<void> {
  await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(trx);
  await sql`SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)`.execute(trx);
}

async function labelOf(db: Executor, dimension: 'delegation' | 'agency' | 'mediator', id: number): Promise<string> {
  return (await findGroupLabels(db, dimension, [String(id)])).get(String(id)) ?? `${GROUP_BY_LABELS[dimension]} ${id}`;
}

/** "julio de 2026 a agosto de 2026 · Delegación Regional Jalisco · AS01 · Agencia …". */
async function describeQuery(db: Executor, query: IndicatorQuery): Promise<FunnelReport['query']> {
  const months = query.monthFrom === query.monthTo ? monthNameEs(query.monthFrom) : `${monthNameEs(query.monthFrom)} a ${monthNameEs(query.monthTo)}`;
  const parts = [capitalise(months)];
  if (query.delegationId !== undefined) parts.push(await labelOf(db, 'delegation', query.delegationId));
  if (query.agencyId !== undefined) parts.push(await labelOf(db, 'agency', query.agencyId));
  if (query.mediatorId !== undefined) parts.push(`Mediador: ${await labelOf(db, 'mediator', query.mediatorId)}`);
  if (query.delegationId === undefined && query.agencyId === undefined && query.mediatorId === undefined) parts.push('Nacional');
  return {
    monthFrom: query.monthFrom,
    monthTo: query.monthTo,
    delegationId: query.delegationId ?? null,
    agencyId: query.agencyId ?? null,
    mediatorId: query.mediatorId ?? null,
    groupBy: query.groupBy,
    groupByLabel: GROUP_BY_LABELS[query.groupBy],
    scopeLabel: parts.join(' · '),
  };
}

/**
 * "Tagged" of the query: from each month's run summary where it is exact and answers the query
 * (indicators.rules summaryAnswers; indicators.repository findExactRunSummaries), counted in the
 * month's assignments otherwise.
 */
async function taggedCounts(db: Executor, query: IndicatorQuery) {
  const counts = new Map<string, number>();
  const fromRunSummary: string[] = [];
  const counted: string[] = [];
  if (query.start !== 'tagged') return { counts, fromRunSummary, counted };
  const summaries = summaryAnswers(query) ? await findExactRunSummaries(db, query) : new Map();
  for (const month of monthsBetween(query.monthFrom, query.monthTo)) {
    const summary = summaries.get(month);
    if (!summary) {
      counted.push(month);
      continue;
    }
    fromRunSummary.push(month);
    for (const [key, n] of taggedFromSummary(summary, month, query)) counts.set(key, (counts.get(key) ?? 0) + n);
  }
  for (const [key, n] of await countTagged(db, query, counted)) counts.set(key, (counts.get(key) ?? 0) + n);
  return { counts, fromRunSummary, counted };
}

/** REP-5: the funnel, its conversion rates and its groups. `trx` is a fresh transaction of the caller. */
export async function getFunnelReport(trx: Executor, user: AuthUser, request: IndicatorRequest, today: IsoDate): Promise<FunnelReport> {
  const query = resolveIndicatorQuery(user.scope, request, monthOf(today));
  await readOneSnapshot(trx);
  const cases = await countFunnelCases(trx, user.scope, query);
  const tagged = await taggedCounts(trx, query);

  const byKey = new Map<string, StageCounts>();
  const countsOf = (key: string) => {
    let counts = byKey.get(key);
    if (!counts) byKey.set(key, (counts = emptyStageCounts()));
    return counts;
  };
  for (const row of cases) if (row.key !== null) Object.assign(countsOf(row.key), row.counts satisfies CaseStageCounts);
  for (const [key, n] of tagged.counts) countsOf(key).tagged = n;

  const totals = [...byKey.values()].reduce(addStageCounts, emptyStageCounts());
  const labels = await findGroupLabels(trx, query.groupBy, [...byKey.keys()]);
  const groups =
    query.groupBy === 'none'
      ? []
      : sortGroups(
          [...byKey.entries()].map(([key, counts]) => ({ key, label: labels.get(key) ?? key, stages: funnelFigures(counts, query.start) })),
          query.groupBy,
        );
  return {
    query: await describeQuery(trx, query),
    start: query.start,
    startNote:
      query.start === 'distributed'
        ? 'Por mediador el embudo comienza en la distribución (act. 5): antes de ella el caso no tiene mediador.'
        : null,
    stages: FUNNEL_STAGES.map((stage) => ({ stage, label: FUNNEL_STAGE_LABELS[stage], source: FUNNEL_STAGE_SOURCES[stage] })),
    totals: { stages: funnelFigures(totals, query.start) },
    groups,
    tagged: { fromRunSummary: tagged.fromRunSummary, counted: tagged.counted },
  };
}

/** SL-1: of the convenios signed in the cases of the months (the case's month, as the funnel), those signed within the service level. */
export async function getSl1Report(trx: Executor, user: AuthUser, request: IndicatorRequest, today: IsoDate): Promise<Sl1Report> {
  const query = resolveIndicatorQuery(user.scope, request, monthOf(today));
  await readOneSnapshot(trx);
  const rows = (await countSl1(trx, user.scope, query)).filter((row) => row.key !== null);
  const totals = rows.reduce((sum, row) => ({ signed: sum.signed + row.counts.signed, met: sum.met + row.counts.met }), { signed: 0, met: 0 });
  const labels = await findGroupLabels(trx, query.groupBy, rows.map((row) => row.key!));
  return {
    query: await describeQuery(trx, query),
    basis:
      'SL-1: convenio firmado por el acreditado dentro de los 30 días naturales desde la aceptación (o el plazo de la política vigente al firmar). ' +
      'Se cuentan los convenios de los casos de los meses consultados (el mes de la asignación del caso), como en el embudo.',
    totals: sl1Figures(totals),
    groups:
      query.groupBy === 'none'
        ? []
        : sortGroups(
            rows.map((row) => ({ key: row.key!, label: labels.get(row.key!) ?? row.key!, ...sl1Figures(row.counts) })),
            query.groupBy,
          ),
  };
}

/** How each counted deadline reads: the sweep's closure wording for DL-5/DL-8, the deadline's subject otherwise. */
export function deadlineLabel(rule: CountedDeadline): string {
  if (rule === 'DL-5' || rule === 'DL-8') return SWEEP_CLOSURE_LABELS[rule];
  return capitalise(DEADLINE_SUBJECT[rule]);
}

const UNPLACED_ARTICLE = { delegation: 'una delegación', agency: 'una agencia', mediator: 'un mediador' } as const;

/** DL-1..DL-17: how many times each deadline passed, by rule and group. */
export async function getDeadlineReport(trx: Executor, user: AuthUser, request: IndicatorRequest, today: IsoDate): Promise<DeadlineReport> {
  const query = resolveIndicatorQuery(user.scope, request, monthOf(today));
  await readOneSnapshot(trx);
  const rows = await countDeadlines(trx, user.scope, query);
  const byKey = new Map<string | null, Map<CountedDeadline, number>>();
  for (const row of rows) {
    const counts = byKey.get(row.key) ?? new Map<CountedDeadline, number>();
    counts.set(row.rule, (counts.get(row.rule) ?? 0) + row.n);
    byKey.set(row.key, counts);
  }
  const countsOf = (counts: Map<CountedDeadline, number>) => COUNTED_DEADLINES.map((rule) => ({ rule, count: counts.get(rule) ?? 0 }));
  const sum = (counts: { count: number }[]) => counts.reduce((total, entry) => total + entry.count, 0);
  const totals = new Map<CountedDeadline, number>();
  for (const counts of byKey.values()) for (const [rule, n] of counts) totals.set(rule, (totals.get(rule) ?? 0) + n);
  const labels = await findGroupLabels(trx, query.groupBy, [...byKey.keys()].filter((key): key is string => key !== null));
  const notes: string[] = [
    'DL-3 y DL-7 son ventanas: su vencimiento se registra como DL-4, DL-5 y DL-8. DL-18 no se registra como incumplimiento.',
  ];
  if (!reportDeadlinesApply(query)) notes.push('DL-16 y DL-17 son plazos de informes de la delegación o de la agencia: no se cuentan por mediador.');
  else if (query.groupBy === 'delegation' || query.groupBy === 'agency' || query.groupBy === 'mediator') {
    notes.push(`Los plazos de informes (DL-16, DL-17) que no corresponden a ${UNPLACED_ARTICLE[query.groupBy]} se muestran en «${UNPLACED_GROUP_LABELS[query.groupBy]}».`);
  }
  const totalCounts = countsOf(totals);
  return {
    query: await describeQuery(trx, query),
    rules: COUNTED_DEADLINES.map((rule) => ({
      rule,
      ruleId: ruleIdOf(rule),
      label: deadlineLabel(rule),
      record: DEADLINE_RECORD[rule],
      recordLabel: DEADLINE_RECORD_LABELS[DEADLINE_RECORD[rule]],
    })),
    notes,
    totals: { counts: totalCounts, total: sum(totalCounts) },
    groups:
      query.groupBy === 'none'
        ? []
        : sortGroups(
            [...byKey.entries()].map(([key, counts]) => {
              const entries = countsOf(counts);
              return { key, label: key === null ? UNPLACED_GROUP_LABELS[query.groupBy] : (labels.get(key) ?? key), counts: entries, total: sum(entries) };
            }),
            query.groupBy,
          ),
  };
}

/** The filters a user can choose from (SEC-2) and the current month. */
export async function getIndicatorOptions(db: Executor, user: AuthUser, today: IsoDate): Promise<IndicatorOptions> {
  const options = await findFilterOptions(db, user.scope);
  const groupBy = GROUP_BY.filter((value) => user.scope.kind !== 'mediator' || value === 'none' || value === 'month');
  return { currentMonth: monthOf(today), ...options, groupBy: groupBy.map((value) => ({ value, label: GROUP_BY_LABELS[value] })) };
}
