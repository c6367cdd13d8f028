/**
 * An Office Open XML workbook (.xlsx, ECMA-376 SpreadsheetML) written as a stream: the rows of a
 * sheet go straight into its deflated ZIP entry as XML text, so a sheet of a million rows costs the
 * same memory as one of ten. It writes what our spreadsheets use — text, numbers, calendar dates,
 * exact decimals, cell formats (number format, bold, fill, alignment, wrap), column widths, a
 * frozen header, an autofilter, row heights — and nothing else.
 *
 * Why not a general library's streaming writer: building a row and a cell object per cell, and
 * serialising each, cost ~2 s of the ~4 s of a REP-1 of 100,000 credits and most of its garbage;
 * here a row is one string. Every workbook is read back with ExcelJS in the tests.
 *
 * Cells are written as inline strings (`t="inlineStr"`), numbers as their decimal text, dates as
 * the serial day number of the 1900 date system.
 */
import type { Writable } from 'node:stream';
import { ZipWriter, type ZipEntryWriter } from './zip-writer.js';

/** A cell format. Identical specs share one entry of styles.xml. */
export interface XlsxStyle {
  /** An Excel number format ('dd/mm/yyyy', '$#,##0.00', '#,##0', …); General when absent. */
  numFmt?: string;
  bold?: boolean;
  /** A solid fill, ARGB ('FFDDE5F0'). */
  fill?: string;
  horizontal?: 'left' | 'center' | 'right';
  vertical?: 'top' | 'center' | 'bottom';
  wrapText?: boolean;
}

/**
 * A cell: text; a number (finite); `{ date }` an ISO calendar date 'YYYY-MM-DD'; `{ decimal }` an
 * exact decimal text ('-1234.50', written as is: never through a float); null/undefined: no cell.
 */
export type XlsxValue = string | number | { date: string } | { decimal: string } | null | undefined;

export interface XlsxColumn {
  /** Width in characters of the default font. */
  width: number;
}

export interface XlsxSheetOptions {
  columns: readonly XlsxColumn[];
  /** Rows frozen at the top (the header). */
  frozenRows?: number;
  /** An autofilter over the first row's columns. */
  autoFilter?: boolean;
}

/** Excel's built-in number formats we use by id; any other is declared in styles.xml from 164. */
const BUILT_IN_FORMATS: Record<string, number> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4 };

const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/;
// characters XML 1.0 does not allow, even escaped
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const XML_INVALID_ALL = new RegExp(XML_INVALID.source, 'g');
const XML_SPECIAL = /[&<>"]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text as XML character data (escaped, characters XML cannot hold removed). */
export function xmlText(text: string): string {
  const clean = XML_INVALID.test(text) ? text.replace(XML_INVALID_ALL, '') : text;
  return clean.replace(XML_SPECIAL, (character) => XML_ENTITIES[character]!);
}

/** The column letters of a 1-based index (A…Z, AA…). */
export function columnLetter(index: number): string {
  let n = index;
  let letters = '';
  while (n > 0) {
    const remainder = (n - 1) % 26;
    letters = String.fromCharCode(65 + remainder) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Column letters of the first columns, computed once (every cell reference needs them). */
const COLUMN_LETTERS = Array.from({ length: 64 }, (_, i) => columnLetter(i + 1));

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The serial number of a calendar day in Excel's 1900 date system (1 = 1900-01-01, past the 1900 leap bug). */
export function excelSerialDay(date: string): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new Error(`not an ISO date: ${date}`);
  return (Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - EXCEL_EPOCH_MS) / 86_400_000;
}

const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Text flushed into the sheet's entry once this much is pending. */
const CHUNK_CHARS = 64 * 1024;

/** A sheet being written, row after row. */
export class XlsxSheetWriter {
  private pending = '';
  private rowNumber = 0;
  private ended = false;

  constructor(
    private readonly entry: ZipEntryWriter,
    private readonly workbook: XlsxWriter,
    private readonly options: XlsxSheetOptions,
  ) {
    const frozen = options.frozenRows ?? 0;
    const view = frozen > 0
      ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${frozen}" topLeftCell="A${frozen + 1}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>`
      : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
    const cols = options.columns.map((column, i) => `<col min="${i + 1}" max="${i + 1}" width="${column.width}" customWidth="1"/>`).join('');
    this.pending = `${XML_HEADER}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${view}<sheetFormatPr defaultRowHeight="15"/>${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`;
  }

  /** Rows written so far. */
  get rows(): number {
    return this.rowNumber;
  }

  /**
   * Appends a row: `values[i]` in column i + 1 with the style id `styles[i]` (from
   * `XlsxWriter.style`; 0 is the default). False when the caller should `await drained()`.
   */
  addRow(values: readonly XlsxValue[], styles: readonly number[] = [], options: { height?: number } = {}): boolean {
    if (this.ended) throw new Error('row added to an ended sheet');
    const r = ++this.rowNumber;
    let xml = options.height === undefined ? `<row r="${r}">` : `<row r="${r}" ht="${options.height}" customHeight="1">`;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      const style = styles[i] ?? 0;
      const ref = `${COLUMN_LETTERS[i] ?? columnLetter(i + 1)}${r}`;
      const s = style === 0 ? '' : ` s="${style}"`;
      if (typeof value === 'string') {
        xml += `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`;
      } else if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw new Error(`cell ${ref}: not a finite number`);
        xml += `<c r="${ref}"${s}><v>${value}</v></c>`;
      } else if ('date' in value) {
        xml += `<c r="${ref}"${s}><v>${excelSerialDay(value.date)}</v></c>`;
      } else {
        if (!DECIMAL.test(value.decimal)) throw new Error(`cell ${ref}: not a decimal: ${value.decimal}`);
        xml += `<c r="${ref}"${s}><v>${value.decimal}</v></c>`;
      }
    }
    this.pending += `${xml}</row>`;
    if (this.pending.length < CHUNK_CHARS) return true;
    return this.flush();
  }

  private flush(): boolean {
    const text = this.pending;
    this.pending = '';
    return text.length === 0 ? true : this.entry.write(text);
  }

  /** Resolves when what was written has gone on (compressed and taken by the destination). */
  async drained(): Promise<void> {
    this.flush();
    await this.entry.drained();
  }

  /** Ends the sheet (its autofilter and page setup) and its ZIP entry. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const columns = this.options.columns.length;
    const filter = this.options.autoFilter && columns > 0 ? `<autoFilter ref="A1:${columnLetter(columns)}1"/>` : '';
    this.pending += `</sheetData>${filter}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
    this.flush();
    await this.entry.end();
    this.workbook.sheetEnded();
  }
}

interface SheetRecord {
  name: string;
  autoFilterColumns: number;
}

/**
 * A workbook: `style()` the formats, then `addSheet()` one sheet at a time (each streamed and
 * ended before the next), then `finish()`.
 */
export class XlsxWriter {
  private readonly zip: ZipWriter;
  private readonly sheets: SheetRecord[] = [];
  private readonly styleKeys = new Map<string, number>();
  private readonly styleSpecs: XlsxStyle[] = [{}];
  private current: XlsxSheetWriter | undefined;

  /** `now` is the workbook's creation time (the injected clock): the same report gives the same bytes. */
  constructor(
    out: Writable,
    private readonly options: { creator: string; now: Date; compressionLevel?: number },
  ) {
    this.zip = new ZipWriter(out, options.now, options.compressionLevel ?? 1);
    this.styleKeys.set(JSON.stringify({}), 0);
  }

  /** The id of a cell format (declared once however many cells use it). */
  style(spec: XlsxStyle): number {
    const normalised: XlsxStyle = Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined && value !== false));
    const key = JSON.stringify(normalised, Object.keys(normalised).sort());
    const known = this.styleKeys.get(key);
    if (known !== undefined) return known;
    const id = this.styleSpecs.length;
    this.styleSpecs.push(normalised);
    this.styleKeys.set(key, id);
    return id;
  }

  /** Starts a sheet; the previous one must have ended. Names: 1–31 characters, none of []:*?/\, unique. */
  addSheet(name: string, options: XlsxSheetOptions): XlsxSheetWriter {
    if (this.current) throw new Error(`sheet ${name} started before the previous one ended`);
    if (name.length === 0 || name.length > 31 || SHEET_NAME_FORBIDDEN.test(name)) throw new Error(`invalid sheet name: ${name}`);
    if (this.sheets.some((sheet) => sheet.name.toLowerCase() === name.toLowerCase())) throw new Error(`duplicate sheet name: ${name}`);
    this.sheets.push({ name, autoFilterColumns: options.autoFilter ? options.columns.length : 0 });
    const entry = this.zip.entry(`xl/worksheets/sheet${this.sheets.length}.xml`);
    this.current = new XlsxSheetWriter(entry, this, options);
    return this.current;
  }

  /** @internal called by a sheet when it has ended. */
  sheetEnded(): void {
    this.current = undefined;
  }

  /** Writes the workbook's parts (workbook, styles, relationships, properties) and ends the destination. */
  async finish(): Promise<void> {
    if (this.current) throw new Error('workbook finished with a sheet still open');
    if (this.sheets.length === 0) throw new Error('a workbook needs at least one sheet');
    await this.zip.file('xl/styles.xml', this.stylesXml());
    await this.zip.file('xl/workbook.xml', this.workbookXml());
    await this.zip.file('xl/_rels/workbook.xml.rels', this.workbookRelsXml());
    await this.zip.file('docProps/core.xml', this.coreXml());
    await this.zip.file('docProps/app.xml', this.appXml());
    await this.zip.file('_rels/.rels', this.packageRelsXml());
    await this.zip.file('[Content_Types].xml', this.contentTypesXml());
    await this.zip.finish();
  }

  private stylesXml(): string {
    const customFormats: string[] = [];
    const formatId = (code: string | undefined): number => {
      if (code === undefined) return 0;
      const builtIn = BUILT_IN_FORMATS[code];
      if (builtIn !== undefined) return builtIn;
      const index = customFormats.indexOf(code);
      if (index >= 0) return 164 + index;
      customFormats.push(code);
      return 163 + customFormats.length;
    };
    const fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'];
    const fillId = (argb: string | undefined): number => {
      if (argb === undefined) return 0;
      if (!/^[0-9A-Fa-f]{8}$/.test(argb)) throw new Error(`fill colour must be ARGB: ${argb}`);
      const xml = `<fill><patternFill patternType="solid"><fgColor rgb="${argb.toUpperCase()}"/><bgColor indexed="64"/></patternFill></fill>`;
      const index = fills.indexOf(xml);
      if (index >= 0) return index;
      fills.push(xml);
      return fills.length - 1;
    };
    const xfs = this.styleSpecs.map((spec) => {
      const numFmtId = formatId(spec.numFmt);
      const fontId = spec.bold ? 1 : 0;
      const fill = fillId(spec.fill);
      const alignment = spec.horizontal || spec.vertical || spec.wrapText
        ? `<alignment${spec.horizontal ? ` horizontal="${spec.horizontal}"` : ''}${spec.vertical ? ` vertical="${spec.vertical}"` : ''}${spec.wrapText ? ' wrapText="1"' : ''}/>`
        : '';
      const applies = `${numFmtId ? ' applyNumberFormat="1"' : ''}${fontId ? ' applyFont="1"' : ''}${fill ? ' applyFill="1"' : ''}${alignment ? ' applyAlignment="1"' : ''}`;
      const xf = `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fill}" borderId="0" xfId="0"${applies}`;
      return alignment ? `${xf}>${alignment}</xf>` : `${xf}/>`;
    });
    const numFmts = customFormats.length
      ? `<numFmts count="${customFormats.length}">${customFormats.map((code, i) => `<numFmt numFmtId="${164 + i}" formatCode="${xmlText(code)}"/>`).join('')}</numFmts>`
      : '';
    return (
      `${XML_HEADER}<styleSheet xmlns="${MAIN_NS}">${numFmts}` +
      '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
      `<fills count="${fills.length}">${fills.join('')}</fills>` +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    );
  }

  private workbookXml(): string {
    const sheets = this.sheets.map((sheet, i) => `<sheet name="${xmlText(sheet.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
    const filters = this.sheets
      .map((sheet, i) =>
        sheet.autoFilterColumns > 0
          ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlText(`'${sheet.name.replaceAll("'", "''")}'!$A$1:$${columnLetter(sheet.autoFilterColumns)}$1`)}</definedName>`
          : '',
      )
      .join('');
    return `${XML_HEADER}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>${sheets}</sheets>${filters ? `<definedNames>${filters}</definedNames>` : ''}</workbook>`;
  }

  private workbookRelsXml(): string {
    const sheets = this.sheets
      .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
      .join('');
    return `${XML_HEADER}<Relationships xmlns="${PKG_REL_NS}">${sheets}<Relationship Id="rId${this.sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;
  }

  private coreXml(): string {
    const when = this.options.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return (
      `${XML_HEADER}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
      `<dc:creator>${xmlText(this.options.creator)}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`
    );
  }

  private appXml(): string {
    return `${XML_HEADER}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${xmlText(this.options.creator)}</Application></Properties>`;
  }

  private packageRelsXml(): string {
    return (
      `${XML_HEADER}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
      `<Relationship Id="rId2" Type="${PKG_REL_NS}/metadata/core-properties" Target="docProps/core.xml"/>` +
      `<Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/></Relationships>`
    );
  }

  private contentTypesXml(): string {
    const sheets = this.sheets
      .map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
      .join('');
    return (
      `${XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      `${sheets}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
      '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'
    );
  }
}
