import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvLine, readCsvRecords } from './csv.js';

async function parse(chunks: string[]) {
  const out = [];
  for await (const batch of readCsvRecords(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(...batch);
  return out;
}

describe('CSV reader (RFC 4180)', () => {
  it('reads quoted fields with commas, quotes and newlines, and reports starting lines', async () => {
    const records = await parse(['a,b\r\n"x, y","he said ""hi"""\n"multi\nline",z\n']);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'], raw: 'a,b' },
      { line: 2, fields: ['x, y', 'he said "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
    ]);
  });

  it('skips a BOM and blank trailing lines; keeps empty fields', async () => {
    expect(await parse(['\uFEFFa,,c\n\n'])).toEqual([{ line: 1, fields: ['a', '', 'c'], raw: 'a,,c' }]);
  });

  it('round-trips any fields written by csvLine, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', 'ñ', ',', '"', '\n', ' ', '1'), minLength: 1 }), { minLength: 2, maxLength: 4 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.integer({ min: 1, max: 7 }),
        async (rows, size) => {
          const text = rows.map((row) => csvLine(row)).join('\n') + '\n';
          const chunks: string[] = [];
          for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
          const records = await parse(chunks);
          expect(records.map((record) => record.fields)).toEqual(rows);
          // The raw text of a plain line is exactly its fields joined (the import copies it as is).
          for (const record of records) if (record.raw !== undefined) expect(record.raw.split(',')).toEqual(record.fields);
        },
      ),
      { numRuns: 200 },
    );
  });
});
