/**
 * Bulk load or refresh of the portfolio from a credit file (SPEC §2). Every row is validated
 * (zod); valid rows go by COPY into a staging table; one set-based upsert applies them. It all
 * happens in the caller's transaction: a bad file writes nothing.
 */
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { recordEvent, type Actor } from '../audit/audit.service.js';
import { acceptsRow, CREDIT_CSV_COLUMNS, CREDIT_FREE_TEXT_COLUMNS, ZCreditCsvRow, type TCreditCsvRow } from './credits.csv-format.js';
import { csvField } from './csv.js';
import { invalidFileError, MAX_REPORTED_ERRORS, stageCsvFile, type ImportProblem } from './csv-staging.js';

export { MAX_REPORTED_ERRORS, type ImportProblem };

/** Columns a refresh must not overwrite: the platform owns them once set (SEC-1, ENT-B). */
const PLATFORM_OWNED = new Set(['phone_landline', 'phone_mobile', 'email', 'legal_stage_frozen', 'broken_convenios']);

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
  return invalidFileError('El archivo', problems, more);
}

export async function importCredits(trx: Executor, actor: Actor, options: ImportInput): Promise<ImportResult> {
  await sql`CREATE TEMP TABLE credits_import ON COMMIT DROP AS
    SELECT 0::integer AS line_no, ${sql.raw(CREDIT_CSV_COLUMNS.join(', '))} FROM credits WITH NO DATA`.execute(trx);

  const { rowsTotal, sha256, problems } = await stageCsvFile(trx, {
    input: options.input,
    table: 'credits_import',
    columns: ['line_no', ...CREDIT_CSV_COLUMNS],
    fileColumns: CREDIT_CSV_COLUMNS,
    onProgress: options.onProgress,
    stageRow(values, record, inFileOrder) {
      if (acceptsRow(values)) {
        // The hot path: a row zod would accept unchanged (see credits.csv-format.ts); a plain
        // line in the canonical column order goes to COPY as it was read.
        return inFileOrder && record.raw !== undefined ? `${record.line},${record.raw}` : stagingLine(record.line, values);
      }
      const raw: Record<string, string> = {};
      CREDIT_CSV_COLUMNS.forEach((column, index) => (raw[column] = values[index]!));
      const parsed = ZCreditCsvRow.safeParse(raw);
      if (parsed.success) return stagingLine(record.line, CREDIT_CSV_COLUMNS.map((column) => (parsed.data as TCreditCsvRow)[column] ?? ''));
      return parsed.error.issues.slice(0, 3).map((issue) => ({ line: record.line, column: String(issue.path[0] ?? ''), message: issue.message }));
    },
  });
  if (problems.length > 0) throw invalidFile(problems, problems.length >= MAX_REPORTED_ERRORS);

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

