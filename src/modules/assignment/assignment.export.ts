/**
 * The assignment file of PR "Entradas" (ASG-4): delegación, acreditado, crédito, despacho,
 * fecha de asignación — as CSV or XLSX, streamed page by page (never the whole month in memory).
 */
import { PassThrough, type Readable } from 'node:stream';
import type { Executor } from '../../db/index.js';
import { csvLine } from '../portfolio/csv.js';
import { addTableSheet, KIND_STYLES, reportCellValue, xlsxStream, type ReportColumn } from '../reports/report-xlsx.js';
import { CONVENIO_TYPE_LABELS } from './assignment.rules.js';
import { findAssignmentPage } from './assignment.repository.js';

/** The columns of the file: the CSV's headers, the XLSX's headers, widths and cell kinds. */
export const ASSIGNMENT_FILE_COLUMNS = [
  { header: 'Delegación', width: 36, kind: 'text' },
  { header: 'Acreditado', width: 36, kind: 'text' },
  { header: 'Crédito', width: 14, kind: 'text' },
  { header: 'Despacho', width: 48, kind: 'text' },
  { header: 'Fecha de asignación', width: 20, kind: 'date' },
  { header: 'Tipo de convenio', width: 36, kind: 'text' },
] as const satisfies readonly ReportColumn[];

export const ASSIGNMENT_FILE_HEADERS = ASSIGNMENT_FILE_COLUMNS.map((column) => column.header);
const PAGE = 5_000;

type AssignmentRow = Awaited<ReturnType<typeof findAssignmentPage>>[number];

/** The values of a row, in column order (the date as its ISO day: text in the CSV, a date in the XLSX). */
function assignmentFileValues(row: AssignmentRow): string[] {
  return [row.delegation, row.borrower_name, row.credit_number, row.agency, row.assigned_on, CONVENIO_TYPE_LABELS[row.convenio_type]];
}

/** The month's rows a page at a time, in credit order (keyset: each page after the last credit of the one before). */
async function* assignmentRows(db: Executor, input: { month: string; agencyId?: number }) {
  const pageAfter = (after: string) => findAssignmentPage(db, { ...input, after, limit: PAGE });
  // The next page is asked for before this one is handed over: on a server it is read while this
  // one is written. A short page is the last.
  let next: ReturnType<typeof pageAfter> | undefined = pageAfter('');
  try {
    while (next !== undefined) {
      const page: AssignmentRow[] = await next;
      next = page.length === PAGE ? pageAfter(page[page.length - 1]!.credit_number) : undefined;
      if (page.length > 0) yield page;
    }
  } finally {
    // the writing stopped (an error, a client that went away): the page asked for is not awaited by anyone else
    if (next !== undefined) await next.catch(() => undefined);
  }
}

export function assignmentCsv(db: Executor, input: { month: string; agencyId?: number }): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      out.write('\uFEFF' + csvLine(ASSIGNMENT_FILE_HEADERS) + '\r\n');
      for await (const page of assignmentRows(db, input)) {
        const text = page.map((row) => csvLine(assignmentFileValues(row))).join('\r\n');
        if (!out.write(text + '\r\n')) await new Promise((resolve) => out.once('drain', resolve));
      }
      out.end();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}

/** The file as XLSX (sheet «Asignación AAAA-MM»), written as it is read; `now` is when it is generated. */
export function assignmentXlsx(db: Executor, input: { month: string; agencyId?: number }, now: Date): Readable {
  return xlsxStream(now, async (workbook) => {
    const sheet = addTableSheet(workbook, `Asignación ${input.month}`, ASSIGNMENT_FILE_COLUMNS);
    const styles = ASSIGNMENT_FILE_COLUMNS.map((column) => workbook.style(KIND_STYLES[column.kind]));
    for await (const page of assignmentRows(db, input)) {
      for (const row of page) {
        const values = assignmentFileValues(row).map((value, i) => reportCellValue(ASSIGNMENT_FILE_COLUMNS[i]!.kind, value));
        if (!sheet.addRow(values, styles)) await sheet.drained();
      }
    }
    await sheet.end();
  });
}
