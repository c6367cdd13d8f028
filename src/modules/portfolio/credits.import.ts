/**
 * Bulk load or refresh of the portfolio from a credit file (SPEC §2). Every row is validated
 * (zod); valid rows go by COPY into a staging table; one set-based upsert applies them. It all
 * happens in the caller's transaction: a bad file writes nothing.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import { copyCsvInto } from '../../db/copy.js';
import { AppError } from '../../errors.js';
import { recordEvent, type Actor } from '../audit/audit.service.js';
import { acceptsRow, CREDIT_CSV_COLUMNS, CREDIT_FREE_TEXT_COLUMNS, ZCreditCsvRow, type TCreditCsvRow } from './credits.csv-format.js';
import { csvField, CsvSyntaxError, readCsvRecords } from './csv.js';

export const MAX_REPORTED_ERRORS = 20;
const COPY_CHUNK_ROWS = 50_000;
const YIELD_EVERY_MS = 20;

/** Columns a refresh must not overwrite: the platform owns them once set (SEC-1, ENT-B). */
const PLATFORM_OWNED = new Set(['phone_landline', 'phone_mobile', 'email', 'legal_stage_frozen', 'broken_convenios']);

export interface ImportProblem {
  line: number;
  column?: string;
  message: string;
}

export interface ImportResult {
  importRunId: number;
  rowsTotal: number;
  inserted: number;
  updated: number;
  unchanged: number;
  sha256: string;
}

export interface ImportInput {
  fileName: string;
  input: Readable | AsyncIterable<Buffer>;
  now: Date;
  onProgress?: (rowsRead: number, bytesRead: number) => void;
}

function invalidFile(problems: ImportProblem[], more: boolean): AppError {
  const shown = problems
    .slice(0, 5)
    .map((p) => `línea ${p.line}${p.column ? `, columna ${p.column}` : ''}: ${p.message}`)
    .join('; ');
  return new AppError('INVALID_FILE', {
    userMessage: `El archivo fue rechazado y no se escribió nada. ${problems.length}${more ? ' o más' : ''} error(es): ${shown}${problems.length > 5 ? '; …' : ''}`,
    details: { errors: problems },
  });
}

export async function importCredits(trx: Executor, actor: Actor, options: ImportInput): Promise<ImportResult> {
  const hash = createHash('sha256');
  let bytesRead = 0;
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of options.input) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      hash.update(buffer);
      bytesRead += buffer.length;
      yield buffer;
    }
  }

  await sql`CREATE TEMP TABLE credits_import ON COMMIT DROP AS
    SELECT 0::integer AS line_no, ${sql.raw(CREDIT_CSV_COLUMNS.join(', '))} FROM credits WITH NO DATA`.execute(trx);

  const problems: ImportProblem[] = [];
  let positions: number[] | undefined;
  let inFileOrder = false;
  let rowsTotal = 0;
  let chunk: string[] = [];
  // One COPY in flight while the next chunk is read and validated: the database (a server, or
  // PGlite in its worker thread) loads while this thread parses.
  let copying: Promise<void> | undefined;
  let lastYield = performance.now();
  const flush = async () => {
    await copying;
    copying = undefined;
    if (chunk.length === 0) return;
    const payload = chunk.join('\n') + '\n';
    chunk = [];
    const started = copyCsvInto(trx, 'credits_import', ['line_no', ...CREDIT_CSV_COLUMNS], payload).then(() => undefined);
    started.catch(() => undefined); // awaited at the next flush; keeps it from being unhandled meanwhile
    copying = started;
  };

  try {
    reading: for await (const records of readCsvRecords(hashed())) {
      for (const record of records) {
        if (!positions) {
          positions = headerPositions(record.fields, problems);
          if (problems.length > 0) break reading;
          inFileOrder = positions.every((position, index) => position === index);
          continue;
        }
        rowsTotal++;
        if (record.fields.length !== positions.length) {
          problems.push({ line: record.line, message: `tiene ${record.fields.length} columnas; se esperaban ${positions.length}` });
        } else {
          const values = inFileOrder ? record.fields : positions.map((position) => record.fields[position]!);
          if (acceptsRow(values)) {
            // The hot path: a row zod would accept unchanged (see credits.csv-format.ts); a plain
            // line in the canonical column order goes to COPY as it was read.
            if (problems.length === 0) chunk.push(inFileOrder && record.raw !== undefined ? `${record.line},${record.raw}` : stagingLine(record.line, values));
          } else {
            const raw: Record<string, string> = {};
            CREDIT_CSV_COLUMNS.forEach((column, index) => (raw[column] = values[index]!));
            const parsed = ZCreditCsvRow.safeParse(raw);
            if (parsed.success) {
              if (problems.length === 0) chunk.push(stagingLine(record.line, CREDIT_CSV_COLUMNS.map((column) => (parsed.data as TCreditCsvRow)[column] ?? '')));
            } else {
              for (const issue of parsed.error.issues.slice(0, 3)) {
                problems.push({ line: record.line, column: String(issue.path[0] ?? ''), message: issue.message });
              }
            }
          }
        }
        if (problems.length >= MAX_REPORTED_ERRORS) break reading;
      }
      if (problems.length === 0 && chunk.length >= COPY_CHUNK_ROWS) await flush();
      options.onProgress?.(rowsTotal, bytesRead);
      // A buffered input is iterated through microtasks only; let the server's event loop answer
      // /health and pages between batches (issue 2, responsive while busy).
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await setImmediate();
        lastYield = performance.now();
      }
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) problems.push({ line: error.line, message: error.message });
    else throw error;
  } finally {
    // Never leave a COPY running behind an error; its own failure is rethrown by flush() below.
    await copying?.catch(() => undefined);
  }
  if (!positions && problems.length === 0) problems.push({ line: 1, message: 'el archivo está vacío (falta el encabezado)' });
  if (problems.length > 0) throw invalidFile(problems, problems.length >= MAX_REPORTED_ERRORS);
  if (rowsTotal === 0) throw invalidFile([{ line: 2, message: 'el archivo no tiene filas de datos' }], false);
  await flush();
  await flush();

  const duplicates = await sql<{ credit_number: string; lines: number[] }>`
    SELECT credit_number, array_agg(line_no ORDER BY line_no) AS lines
    FROM credits_import GROUP BY credit_number HAVING count(*) > 1
    ORDER BY min(line_no) LIMIT ${MAX_REPORTED_ERRORS}`.execute(trx);
  if (duplicates.rows.length > 0) {
    throw invalidFile(
      duplicates.rows.map((d) => ({
        line: d.lines[1]!,
        column: 'credit_number',
        message: `el crédito ${d.credit_number} aparece repetido (líneas ${d.lines.join(', ')})`,
      })),
      duplicates.rows.length >= MAX_REPORTED_ERRORS,
    );
  }

  // Two set-based statements with hash joins, rather than INSERT … ON CONFLICT, whose
  // speculative insertion costs an index probe and a possible retry per row. The UPDATE of the
  // credits that already existed comes first, so that a first load does not compare the rows it
  // has just inserted.
  await sql`ANALYZE credits_import`.execute(trx);
  const assignments = CREDIT_CSV_COLUMNS.filter((c) => c !== 'credit_number')
    .map((c) =>
      PLATFORM_OWNED.has(c)
        ? c === 'broken_convenios'
          ? `${c} = greatest(c.${c}, s.${c})`
          : c === 'legal_stage_frozen'
            ? `${c} = c.${c}`
            : `${c} = coalesce(c.${c}, s.${c})`
        : `${c} = s.${c}`,
    )
    .join(', ');
  const compared = CREDIT_CSV_COLUMNS.filter((c) => !PLATFORM_OWNED.has(c));
  const update = await sql`
    UPDATE credits c SET ${sql.raw(assignments)}, updated_at = ${options.now}
    FROM credits_import s
    WHERE c.credit_number = s.credit_number
      AND (${sql.raw(compared.map((col) => `c.${col}`).join(', '))})
      IS DISTINCT FROM (${sql.raw(compared.map((col) => `s.${col}`).join(', '))})`.execute(trx);
  const updated = Number(update.numAffectedRows ?? 0n);
  const columns = CREDIT_CSV_COLUMNS.join(', ');
  const insert = await sql`
    INSERT INTO credits (${sql.raw(columns)}, created_at, updated_at)
    SELECT ${sql.raw(CREDIT_CSV_COLUMNS.map((c) => `s.${c}`).join(', '))}, ${options.now}, ${options.now}
    FROM credits_import s
    WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE c.credit_number = s.credit_number)
    ORDER BY s.credit_number`.execute(trx);
  const inserted = Number(insert.numAffectedRows ?? 0n);

  const sha256 = hash.digest('hex');
  const run = await trx
    .insertInto('import_runs')
    .values({
      kind: 'credits',
      file_name: options.fileName,
      file_sha256: sha256,
      rows_total: rowsTotal,
      rows_inserted: inserted,
      rows_updated: updated,
      user_id: actor.userId,
      started_at: options.now,
      finished_at: options.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, actor, options.now, {
    action: 'credits.imported',
    entityType: 'import_run',
    entityId: String(run.id),
    after: { fileName: options.fileName, sha256, rowsTotal, inserted, updated, unchanged: rowsTotal - inserted - updated },
  });
  return { importRunId: run.id, rowsTotal, inserted, updated, unchanged: rowsTotal - inserted - updated, sha256 };
}

const FREE_TEXT = CREDIT_CSV_COLUMNS.map((column) => CREDIT_FREE_TEXT_COLUMNS.has(column));

/** A staging row: the file's line number, then the values ('' is null for COPY's CSV format). */
function stagingLine(lineNo: number, values: readonly string[]): string {
  let line = String(lineNo);
  for (let i = 0; i < values.length; i++) line += ',' + (FREE_TEXT[i] ? csvField(values[i]) : values[i]);
  return line;
}

function headerPositions(header: string[], problems: ImportProblem[]): number[] {
  const names = header.map((name) => name.trim().toLowerCase());
  const known = new Set<string>(CREDIT_CSV_COLUMNS);
  const unknown = names.filter((name) => !known.has(name));
  const missing = CREDIT_CSV_COLUMNS.filter((column) => !names.includes(column));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (missing.length > 0) problems.push({ line: 1, message: `faltan columnas en el encabezado: ${missing.join(', ')}` });
  if (unknown.length > 0) problems.push({ line: 1, message: `columnas desconocidas en el encabezado: ${unknown.join(', ')}` });
  if (repeated.length > 0) problems.push({ line: 1, message: `columnas repetidas en el encabezado: ${repeated.join(', ')}` });
  return CREDIT_CSV_COLUMNS.map((column) => names.indexOf(column));
}
