/**
 * What the monthly reports share (SPEC §7 REP-1, REP-2; acts. 32–34): the month and its "as of"
 * date, and the writing of a report as XLSX — one set-based query read through a cursor, piped
 * into a streaming workbook writer (xlsx-writer.ts), so that a month of 100,000 credits never sits in memory.
 *
 * The workbook is what a person wants to open: a data sheet that is a clean table (bold frozen
 * header row, autofilter, column widths, real Excel dates formatted dd/mm/yyyy, money as numbers
 * formatted $#,##0.00) and a second sheet «Acerca de» with what the report is, its month, its
 * "as of" date, when it was generated, the rules it implements and its counts.
 */
import { sql, type QueryResult, type RawBuilder } from 'kysely';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { addDays, formatDateEs, isIsoDate, mexicoCityDate, MONTH_PATTERN, monthOf, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { centsToDecimalText } from '../../money.js';
import { monthNameEs } from '../notify/outbox.templates.js';
import { XlsxWriter, type XlsxSheetWriter, type XlsxStyle, type XlsxValue } from './xlsx-writer.js';
import { ZipDestinationClosed } from './zip-writer.js';

// ------------------------------------------------------------------------------------------------
// The month of a report and its "as of" date
// ------------------------------------------------------------------------------------------------

/** The first and the last day of a month 'YYYY-MM'. */
export function monthBounds(month: string): { first: IsoDate; last: IsoDate } {
  const first = `${month}-01`;
  const next = `${monthOf(addDays(`${month}-28`, 4))}-01`;
  return { first, last: addDays(next, -1) };
}

/**
 * The "as of" date of a monthly report (REP-1, REP-2): by default the last day of the month, or a
 * later day; never before the month ended (the report is about a month that is over) and never in
 * the future (what has not been recorded cannot be reported). Refusals are 400 with the reason.
 */
export function resolveAsOf(month: string, asOf: IsoDate | undefined, today: IsoDate): IsoDate {
  if (!MONTH_PATTERN.test(month)) throw new AppError('VALIDATION', { userMessage: 'El mes debe tener la forma AAAA-MM.' });
  const { last } = monthBounds(month);
  const date = asOf ?? last;
  if (!isIsoDate(date)) throw new AppError('VALIDATION', { userMessage: 'La fecha de corte debe ser una fecha válida AAAA-MM-DD.' });
  if (last > today) {
    throw new AppError('VALIDATION', {
      userMessage: `El reporte mensual es del mes concluido: ${monthNameEs(month)} termina el ${formatDateEs(last)} y hoy es ${formatDateEs(today)} (REP-1, REP-2).`,
    });
  }
  if (date < last) {
    throw new AppError('VALIDATION', {
      userMessage: `La fecha de corte no puede ser anterior al último día del mes del reporte (${formatDateEs(last)}).`,
    });
  }
  if (date > today) {
    throw new AppError('VALIDATION', { userMessage: `La fecha de corte no puede ser posterior a hoy (${formatDateEs(today)}): el reporte se calcula con lo registrado hasta esa fecha.` });
  }
  return date;
}

// ------------------------------------------------------------------------------------------------
// Columns and cells
// ------------------------------------------------------------------------------------------------

/** text: as is; date: an IsoDate shown dd/mm/yyyy; money: integer cents shown $#,##0.00; count: an integer. */
export type ReportCellKind = 'text' | 'date' | 'money' | 'count';

export interface ReportColumn {
  header: string;
  width: number;
  kind: ReportCellKind;
}

/** A cell before it is written: text, an IsoDate, cents (bigint) or a count; null is an empty cell. */
export type ReportValue = string | bigint | number | null;

/** The author of every workbook the platform writes. */
const WORKBOOK_CREATOR = 'Cobranza Social';

/** The cell formats of the kinds (the workbook declares each once). */
export const KIND_STYLES: Record<ReportCellKind, XlsxStyle> = {
  text: {},
  date: { numFmt: 'dd/mm/yyyy' },
  money: { numFmt: '$#,##0.00' },
  count: { numFmt: '#,##0' },
};
const HEADER_STYLE: XlsxStyle = { bold: true, fill: 'FFDDE5F0', vertical: 'center', wrapText: true };
const LABEL_STYLE: XlsxStyle = { bold: true, vertical: 'top' };
const WRAP_STYLE: XlsxStyle = { vertical: 'top', wrapText: true };

/**
 * A report value as the cell written: a date as that calendar day (no time, no zone), money as the
 * exact decimal text of its cents (never a float product), a count as a number.
 */
export function reportCellValue(kind: ReportCellKind, value: ReportValue): XlsxValue {
  if (value === null) return null;
  switch (kind) {
    case 'date':
      return { date: String(value) };
    case 'money':
      return { decimal: centsToDecimalText(BigInt(value)) };
    case 'count':
      return Number(value);
    case 'text':
      return String(value);
  }
}

// ------------------------------------------------------------------------------------------------
// The «Acerca de» sheet
// ------------------------------------------------------------------------------------------------

/** One line of «Acerca de»: a label and its value (text, a date, money or a count). */
export interface AboutLine {
  label: string;
  value: ReportValue;
  kind?: ReportCellKind;
}

/** "23/11/2026 12:00 (hora de la Ciudad de México)": when the file was generated. */
export function generatedAtEs(now: Date): string {
  const time = new Intl.DateTimeFormat('es-MX', { timeZone: 'America/Mexico_City', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  return `${formatDateEs(mexicoCityDate(now))} ${time} (hora de la Ciudad de México)`;
}

/** How «Acerca de» looks: the widths of its two columns and the style of the labels. */
export interface AboutLayout {
  widths: readonly [number, number];
  label: XlsxStyle;
}

const REPORT_ABOUT_LAYOUT: AboutLayout = { widths: [46, 90], label: LABEL_STYLE };

/** The «Acerca de» sheet: a label and its value per line (text wrapped, at the top of its row). */
export async function writeAboutSheet(workbook: XlsxWriter, lines: readonly AboutLine[], layout: AboutLayout = REPORT_ABOUT_LAYOUT): Promise<void> {
  const sheet = workbook.addSheet('Acerca de', { columns: layout.widths.map((width) => ({ width })) });
  const label = workbook.style(layout.label);
  const wrap = workbook.style(WRAP_STYLE);
  for (const line of lines) {
    const kind = line.kind ?? 'text';
    const valueStyle = kind === 'text' ? wrap : workbook.style({ ...KIND_STYLES[kind], horizontal: 'left', vertical: 'top' });
    sheet.addRow([line.label, reportCellValue(kind, line.value)], [label, valueStyle]);
  }
  await sheet.end();
}

// ------------------------------------------------------------------------------------------------
// A table sheet, and a workbook as a stream
// ------------------------------------------------------------------------------------------------

/** A header row in bold (the archive's, the indicators' and the assignment's files). */
const BOLD_HEADER: { style: XlsxStyle; height?: number } = { style: { bold: true } };

/**
 * Starts a data sheet that is a clean table: the columns' widths and a header row of their headers
 * (bold unless `header` says otherwise), frozen, with an autofilter. The rows follow with `addRow`.
 */
export function addTableSheet(
  workbook: XlsxWriter,
  name: string,
  columns: ReadonlyArray<{ header: string; width: number }>,
  header: { style: XlsxStyle; height?: number } = BOLD_HEADER,
): XlsxSheetWriter {
  const sheet = workbook.addSheet(name, { columns, frozenRows: 1, autoFilter: true });
  const style = workbook.style(header.style);
  sheet.addRow(
    columns.map((column) => column.header),
    columns.map(() => style),
    header.height === undefined ? {} : { height: header.height },
  );
  return sheet;
}

/**
 * A workbook written by `write` into a stream (an HTTP reply), in the background; `finish()` is
 * called after it. A failure destroys the stream with the error; a reader that goes away
 * (ZipDestinationClosed) just ends the writing.
 */
export function xlsxStream(now: Date, write: (workbook: XlsxWriter) => Promise<void>): Readable {
  const out = new PassThrough();
  const workbook = new XlsxWriter(out, { creator: WORKBOOK_CREATOR, now });
  void (async () => {
    await write(workbook);
    await workbook.finish();
  })().catch((error: unknown) => {
    if (!(error instanceof ZipDestinationClosed)) out.destroy(error as Error);
  });
  return out;
}

// ------------------------------------------------------------------------------------------------
// Writing a report: cursor → workbook
// ------------------------------------------------------------------------------------------------

/** Rows fetched per round trip from the report's cursor. */
export const REPORT_FETCH_ROWS = 2_000;

export interface ReportDefinition<Row> {
  /** The data sheet's name (Excel allows 31 characters). */
  sheetName: string;
  /** When it is generated (the injected clock): the workbook's creation time. */
  now: Date;
  columns: readonly ReportColumn[];
  /** One set-based statement; its rows come in the order of the report. */
  query: RawBuilder<Row>;
  /** The cells of a row, in column order (and whatever the report counts for «Acerca de»). */
  cells(row: Row): readonly ReportValue[];
  /** Called with each page of rows, in the report's transaction (SEC-4: logging the read). */
  onPage?: ((rows: readonly Row[], trx: Executor) => Promise<void>) | undefined;
  /** The lines of «Acerca de», asked for after the last row (so they can hold the counts). */
  about(rows: number): readonly AboutLine[];
}

/** Whether the database is PGlite: PostgreSQL compiled to WebAssembly, in this process. */
async function isWasmEngine(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ wasm: boolean }>`SELECT version() LIKE '%wasm32%' AS wasm`.execute(db);
  return rows[0]?.wasm === true;
}

/** The pages of rows of `query` through a server-side cursor, in the caller's transaction. */
export async function* cursorPages<Row>(trx: Executor, query: RawBuilder<Row>, pageRows = REPORT_FETCH_ROWS): AsyncGenerator<Row[]> {
  if (!trx.isTransaction) throw new Error('cursorPages must run inside a transaction');
  // A cursor is planned for its first 10 % of rows by default (cursor_tuple_fraction): nested loops
  // that took 58 s for a month of 100,000 credits where the hash joins of the whole take 2 s. Every
  // row is read, so plan for all of them; and no JIT for a statement read once (0.8 s of compiling).
  await sql`SET LOCAL cursor_tuple_fraction = 1.0`.execute(trx);
  await sql`SET LOCAL jit = off`.execute(trx);
  // the report's sort and hashes in memory (the default 4 MB spilled 14 MB of sort to disk)
  await sql`SELECT set_config('work_mem', '64MB', true)`.execute(trx);
  // On PGlite (PostgreSQL compiled to WebAssembly) the wire protocol is parsed in JavaScript, at
  // ~1 µs per field: a row of REP-1 travels faster as one JSON text parsed natively (the same
  // bytes in the file, 0.5 s less per 100,000 rows). On a server the JSON encoding costs more than
  // the driver's parsing (+0.6 s), so rows stay columns there. The subquery keeps its ORDER BY: a
  // sorted subquery is never flattened into the outer query, whose projection keeps its order.
  // Every report query's columns are text, dates, booleans or integers, which JSON keeps as the
  // drivers give them ('YYYY-MM-DD' dates; money as text of cents).
  const asJson = await isWasmEngine(trx);
  await sql`DECLARE report_rows NO SCROLL CURSOR FOR ${asJson ? sql`SELECT row_to_json(r)::text AS j FROM (${query}) r` : query}`.execute(trx);
  const fetchPage = async (): Promise<QueryResult<Row>> => {
    const result = await sql<Row>`FETCH FORWARD ${sql.lit(pageRows)} FROM report_rows`.execute(trx);
    return asJson ? { rows: result.rows.map((row) => JSON.parse((row as { j: string }).j) as Row) } : result;
  };
  // The next page is asked for before this one is handed over: on a server it is read while this
  // one is written.
  let next: ReturnType<typeof fetchPage> | undefined = fetchPage();
  try {
    while (next !== undefined) {
      const { rows }: QueryResult<Row> = await next;
      next = rows.length === pageRows ? fetchPage() : undefined;
      if (rows.length > 0) yield rows;
    }
  } finally {
    if (next !== undefined) await next.catch(() => undefined);
    try {
      await sql`CLOSE report_rows`.execute(trx);
      await sql`SET LOCAL cursor_tuple_fraction TO DEFAULT`.execute(trx);
      await sql`SET LOCAL jit TO DEFAULT`.execute(trx);
      await sql`SET LOCAL work_mem TO DEFAULT`.execute(trx);
    } catch {
      // a statement failed and aborted the transaction: the caller rolls it back with its error
    }
  }
}

/**
 * Writes a report to `out` (a file, an HTTP reply, a buffer) and ends it. Runs the query in one
 * transaction (the caller's, or its own) through a cursor, a page at a time, and
 * waits for `out` between pages, so memory stays flat whatever the number of rows. Returns the
 * number of data rows.
 */
export async function writeReportXlsx<Row>(db: Executor, out: Writable, report: ReportDefinition<Row>, onProgress?: (rows: number) => void): Promise<number> {
  if (!db.isTransaction) {
    return db.transaction().execute(async (trx) => {
      // a report that logs its reads (SEC-4) writes; one that does not only reads
      if (report.onPage === undefined) await sql`SET TRANSACTION READ ONLY`.execute(trx);
      return writeReportXlsx(trx, out, report, onProgress);
    });
  }
  const workbook = new XlsxWriter(out, { creator: WORKBOOK_CREATOR, now: report.now });
  const sheet = addTableSheet(workbook, report.sheetName, report.columns, { style: HEADER_STYLE, height: 32 });
  const kinds = report.columns.map((column) => column.kind);
  const styles = kinds.map((kind) => workbook.style(KIND_STYLES[kind]));
  let rows = 0;
  for await (const page of cursorPages(db, report.query)) {
    await report.onPage?.(page, db);
    for (const row of page) {
      const values = report.cells(row);
      sheet.addRow(values.map((value, i) => reportCellValue(kinds[i]!, value)), styles);
    }
    rows += page.length;
    onProgress?.(rows);
    await sheet.drained();
  }
  await sheet.end();
  await writeAboutSheet(workbook, report.about(rows));
  await workbook.finish();
  return rows;
}

/**
 * The report as a stream (for an HTTP reply): written in the background; a failure destroys the
 * stream with the error, and a reader that goes away ends the writing (its transaction rolls back).
 */
export function reportXlsxStream<Row>(db: Executor, report: ReportDefinition<Row>): Readable {
  const out = new PassThrough();
  void writeReportXlsx(db, out, report).catch((error: unknown) => {
    if (!(error instanceof ZipDestinationClosed)) out.destroy(error as Error);
  });
  return out;
}

/** The report as bytes (for a delivered report, stored content-addressed). */
export async function reportXlsxBuffer<Row>(db: Executor, report: ReportDefinition<Row>): Promise<{ content: Buffer; rows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(out, 'end');
  const rows = await writeReportXlsx(db, out, report);
  await ended;
  return { content: Buffer.concat(chunks), rows };
}

/** The report as a file (the command line); a path that cannot be written is a Spanish 400. */
export async function writeReportXlsxFile<Row>(db: Executor, path: string, report: ReportDefinition<Row>, onProgress?: (rows: number) => void): Promise<number> {
  const file = createWriteStream(path);
  let failure: Error | undefined;
  file.on('error', (error) => {
    failure = error;
  });
  try {
    await once(file, 'open');
  } catch (error) {
    throw new AppError('VALIDATION', { userMessage: `No se puede escribir el archivo ${path}: ${(error as Error).message}` });
  }
  try {
    return await writeReportXlsx(db, file, report, onProgress);
  } catch (error) {
    throw failure ? new AppError('VALIDATION', { userMessage: `No se pudo escribir el archivo ${path}: ${failure.message}` }) : error;
  }
}

/** The MIME type of an .xlsx file. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
