/**
 * The streaming workbook writer, read back with ExcelJS (an independent reader): values of every
 * kind, formats, widths, frozen header, autofilter, escaping, many rows across chunks, several
 * sheets, and what it refuses.
 */
import ExcelJS from 'exceljs';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { columnLetter, excelSerialDay, XlsxWriter, xmlText, type XlsxValue } from './xlsx-writer.js';
import { ZipDestinationClosed } from './zip-writer.js';

const NOW = new Date('2026-11-23T18:00:00Z');

/** Writes a workbook into a buffer with `build`, and loads it with ExcelJS. */
async function roundTrip(build: (workbook: XlsxWriter) => Promise<void>): Promise<{ bytes: Buffer; book: ExcelJS.Workbook }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new XlsxWriter(out, { creator: 'Cobranza Social', now: NOW });
  await build(workbook);
  await workbook.finish();
  const bytes = Buffer.concat(chunks);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as never);
  return { bytes, book };
}

describe('xlsx writer', () => {
  it('writes text, numbers, calendar dates and exact decimals that a spreadsheet reader reads back', async () => {
    const { book } = await roundTrip(async (workbook) => {
      const date = workbook.style({ numFmt: 'dd/mm/yyyy' });
      const money = workbook.style({ numFmt: '$#,##0.00' });
      const count = workbook.style({ numFmt: '#,##0' });
      const sheet = workbook.addSheet('Datos', { columns: [{ width: 20 }, { width: 12 }, { width: 14 }, { width: 10 }, { width: 30 }] });
      sheet.addRow(['Texto', 'Fecha', 'Monto', 'Cuenta', 'Notas']);
      sheet.addRow(['Año «ñ» & <b> "x"', { date: '2026-09-30' }, { decimal: '1234567.89' }, 42, '  con espacios  '], [0, date, money, count]);
      sheet.addRow([null, { date: '1900-03-01' }, { decimal: '-0.10' }, undefined, 'a\u0001b'], [0, date, money, count]);
      await sheet.end();
    });
    const sheet = book.getWorksheet('Datos')!;
    expect(sheet.getCell('A2').value).toBe('Año «ñ» & <b> "x"');
    expect(sheet.getCell('B2').value).toEqual(new Date(Date.UTC(2026, 8, 30)));
    expect(sheet.getCell('B2').numFmt).toBe('dd/mm/yyyy');
    expect(sheet.getCell('C2').value).toBe(1234567.89);
    expect(sheet.getCell('C2').numFmt).toBe('$#,##0.00');
    expect(sheet.getCell('D2').value).toBe(42);
    expect(sheet.getCell('D2').numFmt).toBe('#,##0');
    expect(sheet.getCell('E2').value).toBe('  con espacios  ');
    // an empty value is no cell; a character XML cannot hold is dropped, not the text
    expect(sheet.getCell('A3').value).toBeNull();
    expect(sheet.getCell('D3').value).toBeNull();
    expect(sheet.getCell('B3').value).toEqual(new Date(Date.UTC(1900, 2, 1)));
    expect(sheet.getCell('C3').value).toBe(-0.1);
    expect(sheet.getCell('E3').value).toBe('ab');
  });

  it('writes the formats a person expects: widths, bold filled header, frozen first row, autofilter, row height, alignment', async () => {
    const { book } = await roundTrip(async (workbook) => {
      const header = workbook.style({ bold: true, fill: 'FFDDE5F0', vertical: 'center', wrapText: true });
      const left = workbook.style({ numFmt: '#,##0', horizontal: 'left', vertical: 'top' });
      const sheet = workbook.addSheet('Reporte', { columns: [{ width: 28 }, { width: 13 }, { width: 9 }], frozenRows: 1, autoFilter: true });
      sheet.addRow(['Delegación', 'Crédito', 'Total'], [header, header, header], { height: 32 });
      sheet.addRow(['Jalisco', '0000000001', 3], [0, 0, left]);
      await sheet.end();
    });
    const sheet = book.getWorksheet('Reporte')!;
    expect(sheet.getColumn(1).width).toBe(28);
    expect(sheet.getColumn(3).width).toBe(9);
    expect(sheet.views.some((view) => view.state === 'frozen' && view.ySplit === 1)).toBe(true);
    expect(sheet.autoFilter).toBe('A1:C1');
    expect(sheet.getRow(1).height).toBe(32);
    const title = sheet.getCell('A1');
    expect(title.font?.bold).toBe(true);
    expect(title.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDE5F0' } });
    expect(title.alignment).toMatchObject({ vertical: 'middle', wrapText: true });
    expect(sheet.getCell('C2').alignment).toMatchObject({ horizontal: 'left', vertical: 'top' });
    // a credit number stays text (its leading zeros are part of it)
    expect(sheet.getCell('B2').value).toBe('0000000001');
  });

  it('streams many rows across chunks and several sheets, in order, with identical styles declared once', async () => {
    const rows = 30_000;
    const { book, bytes } = await roundTrip(async (workbook) => {
      const date = workbook.style({ numFmt: 'dd/mm/yyyy' });
      expect(workbook.style({ numFmt: 'dd/mm/yyyy' })).toBe(date);
      const first = workbook.addSheet('Uno', { columns: [{ width: 10 }, { width: 12 }] });
      for (let i = 1; i <= rows; i++) {
        const values: XlsxValue[] = [`fila ${i}`, { date: i % 2 === 0 ? '2026-01-31' : '2026-02-01' }];
        if (!first.addRow(values, [0, date])) await first.drained();
      }
      expect(first.rows).toBe(rows);
      await first.end();
      const second = workbook.addSheet('Dos', { columns: [{ width: 10 }] });
      second.addRow(['fin']);
      await second.end();
    });
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['Uno', 'Dos']);
    const first = book.getWorksheet('Uno')!;
    expect(first.rowCount).toBe(rows);
    expect(first.getCell(`A${rows}`).value).toBe(`fila ${rows}`);
    expect(first.getCell(`B${rows}`).value).toEqual(new Date(Date.UTC(2026, 0, 31)));
    expect(book.getWorksheet('Dos')!.getCell('A1').value).toBe('fin');
    expect(book.creator).toBe('Cobranza Social');
    expect(book.created).toEqual(NOW);
    // compressed: far smaller than its XML
    expect(bytes.length).toBeLessThan(rows * 20);
  });

  it('gives the same bytes for the same content and clock (a report is reproducible)', async () => {
    const build = async (workbook: XlsxWriter) => {
      const sheet = workbook.addSheet('Hoja', { columns: [{ width: 10 }] });
      sheet.addRow(['uno', 2]);
      await sheet.end();
    };
    const [a, b] = await Promise.all([roundTrip(build), roundTrip(build)]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });

  it('refuses what Excel would refuse: bad sheet names, duplicates, a second open sheet, a non-decimal, an empty workbook', async () => {
    const workbook = new XlsxWriter(new PassThrough(), { creator: 'x', now: NOW });
    expect(() => workbook.addSheet('a/b', { columns: [] })).toThrow(/invalid sheet name/);
    expect(() => workbook.addSheet('x'.repeat(32), { columns: [] })).toThrow(/invalid sheet name/);
    await expect(workbook.finish()).rejects.toThrow(/at least one sheet/);
    const sheet = workbook.addSheet('Hoja', { columns: [] });
    expect(() => workbook.addSheet('Otra', { columns: [] })).toThrow(/before the previous one ended/);
    expect(() => sheet.addRow([{ decimal: '1e3' }])).toThrow(/not a decimal/);
    expect(() => sheet.addRow([Number.NaN])).toThrow(/finite/);
    await sheet.end();
    expect(() => workbook.addSheet('hoja', { columns: [] })).toThrow(/duplicate sheet name/);
  });

  it('stops with ZipDestinationClosed when the destination goes away mid-way (a client that closed the download)', async () => {
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, callback) {
        setTimeout(callback, 1);
      },
    });
    const workbook = new XlsxWriter(out, { creator: 'x', now: NOW });
    const sheet = workbook.addSheet('Hoja', { columns: [{ width: 10 }] });
    const writing = (async () => {
      for (let i = 0; i < 1_000_000; i++) {
        if (!sheet.addRow([`fila ${i} ${'x'.repeat(50)}`, i])) await sheet.drained();
      }
    })();
    setTimeout(() => out.destroy(), 20);
    await expect(writing).rejects.toBeInstanceOf(ZipDestinationClosed);
  });

  it('a destination gone before the sheet ends: the end rejects with ZipDestinationClosed, it never hangs', async () => {
    const out = new PassThrough();
    out.resume();
    const workbook = new XlsxWriter(out, { creator: 'x', now: NOW });
    const sheet = workbook.addSheet('Hoja', { columns: [{ width: 10 }] });
    sheet.addRow(['fila']);
    out.destroy();
    await expect(sheet.end()).rejects.toBeInstanceOf(ZipDestinationClosed);
  });

  it('helpers: escaping, column letters, serial days of the 1900 date system', () => {
    expect(xmlText('a & b < c > "d"')).toBe('a &amp; b &lt; c &gt; &quot;d&quot;');
    expect(xmlText('tab\tok\u000b')).toBe('tab\tok');
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
    expect(excelSerialDay('1900-03-01')).toBe(61);
    expect(excelSerialDay('2026-09-30')).toBe(46295);
    expect(() => excelSerialDay('30/09/2026')).toThrow();
  });
});
