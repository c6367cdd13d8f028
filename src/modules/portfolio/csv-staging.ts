/**
 * The first half of every bulk import (credits, payments): read a CSV file as a stream, hash it,
 * check its header, decide each row, and COPY the accepted rows into a staging table in chunks —
 * one COPY in flight while the next chunk is read and validated (a server, or PGlite in its worker
 * thread, loads while this thread parses). A file with any bad row stages nothing that matters:
 * the problems (line, column, Spanish message) are returned and the caller rejects the file.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { Executor } from '../../db/index.js';
import { copyCsvInto } from '../../db/copy.js';
import { AppError } from '../../errors.js';
import { CsvSyntaxError, readCsvRecords, type CsvRecord } from './csv.js';

export const MAX_REPORTED_ERRORS = 20;
const COPY_CHUNK_ROWS = 50_000;
const YIELD_EVERY_MS = 20;

export interface ImportProblem {
  line: number;
  column?: string;
  message: string;
}

/**
 * The refusal of a whole file (all or nothing): the first problems with their lines, in Spanish.
 * `what` names the file ("El archivo", "El archivo de pagos").
 */
export function invalidFileError(what: string, problems: readonly ImportProblem[], more: boolean): AppError {
  const shown = problems
    .slice(0, 5)
    .map((p) => `línea ${p.line}${p.column ? `, columna ${p.column}` : ''}: ${p.message}`)
    .join('; ');
  return new AppError('INVALID_FILE', {
    userMessage: `${what} fue rechazado y no se escribió nada. ${problems.length}${more ? ' o más' : ''} error(es): ${shown}${problems.length > 5 ? '; …' : ''}`,
    details: { errors: problems },
  });
}

export interface StagingSpec {
  input: Readable | AsyncIterable<Buffer>;
  /** The staging table (a temp table the caller created) and its columns, in COPY order. */
  table: string;
  columns: readonly string[];
  /** The file's columns, in canonical order. */
  fileColumns: readonly string[];
  /**
   * One row's staging line (CSV, starting with the line number), or its problems. `values` are in
   * canonical column order; `inFileOrder` says the file's own order is the canonical one.
   */
  stageRow(values: readonly string[], record: CsvRecord, inFileOrder: boolean): string | ImportProblem[];
  onProgress?: ((rowsRead: number, bytesRead: number) => void) | undefined;
}

export interface Staged {
  rowsTotal: number;
  sha256: string;
  /** Empty when every row was staged; otherwise up to MAX_REPORTED_ERRORS problems. */
  problems: ImportProblem[];
}

/** Header names, trimmed and lower-cased, matched to the canonical columns (any order). */
export function headerPositions(header: readonly string[], columns: readonly string[], problems: ImportProblem[]): number[] {
  const names = header.map((name) => name.trim().toLowerCase());
  const known = new Set<string>(columns);
  const unknown = names.filter((name) => !known.has(name));
  const missing = columns.filter((column) => !names.includes(column));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (missing.length > 0) problems.push({ line: 1, message: `faltan columnas en el encabezado: ${missing.join(', ')}` });
  if (unknown.length > 0) problems.push({ line: 1, message: `columnas desconocidas en el encabezado: ${unknown.join(', ')}` });
  if (repeated.length > 0) problems.push({ line: 1, message: `columnas repetidas en el encabezado: ${repeated.join(', ')}` });
  return columns.map((column) => names.indexOf(column));
}

export async function stageCsvFile(trx: Executor, spec: StagingSpec): Promise<Staged> {
  const hash = createHash('sha256');
  let bytesRead = 0;
  async function* hashed(): AsyncGenerator<Buffer> {
    for await (const chunk of spec.input) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      hash.update(buffer);
      bytesRead += buffer.length;
      yield buffer;
    }
  }

  const problems: ImportProblem[] = [];
  let positions: number[] | undefined;
  let inFileOrder = false;
  let rowsTotal = 0;
  let chunk: string[] = [];
  let copying: Promise<void> | undefined;
  let lastYield = performance.now();
  const flush = async () => {
    await copying;
    copying = undefined;
    if (chunk.length === 0) return;
    const payload = chunk.join('\n') + '\n';
    chunk = [];
    const started = copyCsvInto(trx, spec.table, spec.columns, payload).then(() => undefined);
    started.catch(() => undefined); // awaited at the next flush; keeps it from being unhandled meanwhile
    copying = started;
  };

  try {
    reading: for await (const records of readCsvRecords(hashed())) {
      for (const record of records) {
        if (!positions) {
          positions = headerPositions(record.fields, spec.fileColumns, problems);
          if (problems.length > 0) break reading;
          inFileOrder = positions.every((position, index) => position === index);
          continue;
        }
        rowsTotal++;
        if (record.fields.length !== positions.length) {
          problems.push({ line: record.line, message: `tiene ${record.fields.length} columnas; se esperaban ${positions.length}` });
        } else {
          const values = inFileOrder ? record.fields : positions.map((position) => record.fields[position]!);
          const staged = spec.stageRow(values, record, inFileOrder);
          if (typeof staged === 'string') {
            if (problems.length === 0) chunk.push(staged);
          } else {
            problems.push(...staged);
          }
        }
        if (problems.length >= MAX_REPORTED_ERRORS) break reading;
      }
      if (problems.length === 0 && chunk.length >= COPY_CHUNK_ROWS) await flush();
      spec.onProgress?.(rowsTotal, bytesRead);
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
  if (problems.length === 0 && rowsTotal === 0) problems.push({ line: 2, message: 'el archivo no tiene filas de datos' });
  if (problems.length === 0) {
    await flush();
    await flush();
  }
  return { rowsTotal, sha256: hash.digest('hex'), problems: problems.slice(0, MAX_REPORTED_ERRORS) };
}
