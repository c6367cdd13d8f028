/**
 * Every indicator exportable (REP-5) as XLSX and CSV. A file is built from the same report object
 * the API returns, so it holds exactly the figures the screen shows: counts as whole numbers,
 * rates as the text shown ("73.7 %", exact — no binary float in a cell), with the query (months,
 * scope, grouping) and the time it was generated on a second sheet «Acerca de», as the monthly
 * reports have (report-xlsx.ts).
 */
import type { Readable } from 'node:stream';
import { csvLine } from '../portfolio/csv.js';
import { addTableSheet, generatedAtEs, writeAboutSheet, xlsxStream, type AboutLayout } from './report-xlsx.js';
import { FUNNEL_STAGE_LABELS } from './indicators.rules.js';
import type { DeadlineReport, FunnelReport, Sl1Report } from './indicators.schemas.js';

export type Cell = string | number;

/** One indicator as a table: what the XLSX sheet and the CSV file both hold. */
export interface IndicatorTable {
  /** File and sheet name stem, e.g. "embudo". */
  name: string;
  title: string;
  headers: string[];
  rows: Cell[][];
  /** Label → value lines describing the query (second sheet). */
  about: Array<[string, string]>;
}

const NOT_APPLICABLE = 'No aplica';

function aboutQuery(query: FunnelReport['query']): Array<[string, string]> {
  return [
    ['Periodo y alcance', query.scopeLabel],
    ['Agrupado por', query.groupByLabel],
    ['Meses', query.monthFrom === query.monthTo ? query.monthFrom : `${query.monthFrom} a ${query.monthTo}`],
  ];
}

/** REP-5 funnel: one row per group and stage. */
export function funnelTable(report: FunnelReport): IndicatorTable {
  const startLabel = FUNNEL_STAGE_LABELS[report.start];
  const rows: Cell[][] = [];
  for (const block of [{ label: 'Total', stages: report.totals.stages }, ...report.groups]) {
    for (const figure of block.stages) {
      rows.push([
        block.label,
        figure.label,
        figure.count ?? NOT_APPLICABLE,
        figure.fromPrevious?.display ?? (figure.count === null ? NOT_APPLICABLE : 'Base'),
        figure.fromStart?.display ?? (figure.count === null ? NOT_APPLICABLE : 'Base'),
      ]);
    }
  }
  return {
    name: 'embudo',
    title: 'Embudo de mediación (REP-5)',
    headers: ['Grupo', 'Etapa', 'Casos', 'Conversión desde la etapa anterior', `Conversión desde «${startLabel}»`],
    rows,
    about: [
      ...aboutQuery(report.query),
      ...(report.startNote ? ([['Inicio del embudo', report.startNote]] as Array<[string, string]>) : []),
      ...report.stages.map((stage): [string, string] => [stage.label, stage.source]),
      ['Susceptibles tomados del resumen de la corrida', report.tagged.fromRunSummary.join(', ') || '—'],
      ['Susceptibles contados en las asignaciones', report.tagged.counted.join(', ') || '—'],
    ],
  };
}

/** SL-1 compliance: one row per group. */
export function sl1Table(report: Sl1Report): IndicatorTable {
  const rows = [{ label: 'Total', ...report.totals }, ...report.groups].map((figures): Cell[] => [
    figures.label,
    figures.signed,
    figures.met,
    figures.notMet,
    figures.rate.display,
  ]);
  return {
    name: 'sl1',
    title: 'Cumplimiento del nivel de servicio SL-1 (REP-5)',
    headers: ['Grupo', 'Convenios firmados', 'Firmados dentro de SL-1', 'Firmados fuera de SL-1', 'Cumplimiento SL-1'],
    rows,
    about: [...aboutQuery(report.query), ['Criterio', report.basis]],
  };
}

/** DL-1..DL-17: one row per group and rule. */
export function deadlineTable(report: DeadlineReport): IndicatorTable {
  const ruleOf = new Map(report.rules.map((rule) => [rule.rule, rule]));
  const rows: Cell[][] = [];
  for (const block of [{ label: 'Total', ...report.totals }, ...report.groups]) {
    for (const entry of block.counts) {
      const rule = ruleOf.get(entry.rule)!;
      rows.push([block.label, entry.rule, rule.label, rule.recordLabel, entry.count]);
    }
  }
  return {
    name: 'plazos',
    title: 'Plazos incumplidos y cierres automáticos DL-1 a DL-17 (REP-5)',
    headers: ['Grupo', 'Regla', 'Plazo', 'Registro', 'Veces'],
    rows,
    about: [...aboutQuery(report.query), ...report.notes.map((note, index): [string, string] => [`Nota ${index + 1}`, note])],
  };
}

function aboutLines(table: IndicatorTable, now: Date): Array<[string, string]> {
  return [['Indicador', table.title], ...table.about, ['Generado', generatedAtEs(now)]];
}

/** The table as CSV (UTF-8 with BOM, CRLF), what it is after a blank line. */
export function tableCsv(table: IndicatorTable, now: Date): string {
  const lines = [csvLine(table.headers), ...table.rows.map((row) => csvLine(row.map(String))), '', ...aboutLines(table, now).map(([label, value]) => csvLine([label, value]))];
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** «Acerca de» of an indicator: wider than a monthly report's, labels in bold. */
const INDICATOR_ABOUT_LAYOUT: AboutLayout = { widths: [48, 100], label: { bold: true } };

/** The width of a column of the sheet «Indicador»: the group's and a deadline's text are wider. */
function indicatorColumnWidth(table: IndicatorTable, index: number): number {
  if (index === 0) return 40;
  return index === 2 && table.name === 'plazos' ? 60 : 24;
}

/** The table as an XLSX workbook, streamed: sheet «Indicador» with the figures, «Acerca de» with the query. */
export function tableXlsx(table: IndicatorTable, now: Date): Readable {
  return xlsxStream(now, async (workbook) => {
    const sheet = addTableSheet(
      workbook,
      'Indicador',
      table.headers.map((header, index) => ({ header, width: indicatorColumnWidth(table, index) })),
    );
    // counts are numbers, rates the text shown (General cells: as on the screen)
    for (const row of table.rows) if (!sheet.addRow(row)) await sheet.drained();
    await sheet.end();
    await writeAboutSheet(
      workbook,
      aboutLines(table, now).map(([label, value]) => ({ label, value })),
      INDICATOR_ABOUT_LAYOUT,
    );
  });
}
