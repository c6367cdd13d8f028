/**
 * A streaming RFC-4180 CSV reader (quoted fields, doubled quotes, CRLF, newlines inside quotes)
 * that reports the physical line each record starts on, and the matching writer.
 */
import type { Readable } from 'node:stream';

export interface CsvRecord {
  /** 1-based line number of the record's first line in the file. */
  line: number;
  fields: string[];
  /** The record's text as read, when it is one line without quotes (then fields = raw.split(',')). */
  raw?: string;
}

export async function* readCsvRecords(input: Readable | AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let quotePending = false; // saw a quote inside a quoted field: either an escape or the end
  let line = 1;
  let recordLine = 1;
  let batch: CsvRecord[] = [];
  let started = false; // current record has content

  const endRecord = () => {
    fields.push(field);
    field = '';
    if (!(fields.length === 1 && fields[0] === '' && !started)) batch.push({ line: recordLine, fields });
    fields = [];
    started = false;
  };

  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (line === 1 && !started && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (inQuotes) {
        if (quotePending) {
          quotePending = false;
          if (text.charCodeAt(i) === 34) {
            field += '"';
            i++;
            continue;
          }
          inQuotes = false;
          continue;
        }
        const next = text.indexOf('"', i);
        if (next === -1) {
          const part = text.slice(i);
          for (let k = 0; k < part.length; k++) if (part.charCodeAt(k) === 10) line++;
          field += part;
          i = n;
        } else {
          const part = text.slice(i, next);
          for (let k = 0; k < part.length; k++) if (part.charCodeAt(k) === 10) line++;
          field += part;
          i = next + 1;
          quotePending = true;
        }
        continue;
      }
      if (!started && fields.length === 0 && field === '') {
        // Fast path: a whole line without quotes is split at once.
        const end = text.indexOf('\n', i);
        if (end !== -1) {
          const row = text.charCodeAt(end - 1) === 13 ? text.slice(i, end - 1) : text.slice(i, end);
          if (row.indexOf('"') === -1 && row.indexOf('\r') === -1) {
            if (row.length > 0) batch.push({ line: recordLine, fields: row.split(','), raw: row });
            i = end + 1;
            line++;
            recordLine = line;
            continue;
          }
        }
      }
      const c = text.charCodeAt(i);
      if (c === 44) {
        fields.push(field);
        field = '';
        started = true;
        i++;
      } else if (c === 10) {
        endRecord();
        line++;
        recordLine = line;
        i++;
      } else if (c === 13) {
        i++;
      } else if (c === 34 && field === '') {
        inQuotes = true;
        started = true;
        i++;
      } else {
        // fast path: copy up to the next special character
        let j = i;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13 || d === 34) break;
          j++;
        }
        if (j === i) {
          field += text[i];
          j = i + 1;
        } else field += text.slice(i, j);
        started = true;
        i = j;
      }
    }
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (quotePending) {
    inQuotes = false;
    quotePending = false;
  }
  if (inQuotes) throw new CsvSyntaxError(recordLine, 'comillas sin cerrar');
  if (started || field !== '' || fields.length > 0) endRecord();
  if (batch.length > 0) yield batch;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(reason);
  }
}

const NEEDS_QUOTES = /[",\n\r]/;

export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: ReadonlyArray<string | null | undefined>): string {
  return values.map(csvField).join(',');
}
