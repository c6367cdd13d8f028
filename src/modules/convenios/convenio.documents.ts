/**
 * The convenio documents as PDF (SPEC CNV-1, CNV-3; Guía act. 13 and act. 20): the convenio de
 * mediación in its three types (ASG-3) — final, or as the "convenio preliminar" the DR hands the
 * mediator before the session — and the borrower's acuse de recibo of his original.
 *
 * Pure rendering: data in, PDF bytes out; no database, no clock. The same data renders to the same
 * bytes (the PDF dates come from `data.date`, and PDFKit's file ID is a hash of the info dictionary).
 *
 * Content follows LGMASC art. 94 (DOMAIN-FACTS §3): place and date; folio; identification of the
 * parties and of the documents proving representation; obligations with form, time and place of
 * performance; effects of non-compliance and how it is enforced; the facilitator's name and
 * certification number; signatures. Fonts are PDF standard fonts (Times, Helvetica) in WinAnsi
 * encoding, which covers Spanish (á é í ó ú ñ ü ¿ ¡ « »); other characters are replaced.
 */
import PDFDocument from 'pdfkit';
import { formatPesos } from '../../money.js';
import { integerToSpanishWords, pesosInWords } from './number-words.js';

export type ConvenioType = 'RATIFIED' | 'NOTARIAL' | 'ADMINISTRATIVE';

export interface ConvenioDocumentData {
  /** draft = "convenio preliminar" (act. 13, CNV-3): PRELIMINAR on every page, no signature date. */
  kind: 'draft' | 'final';
  convenioType: ConvenioType;
  /** e.g. "CM-2026-000123" (draft: "PRELIMINAR-<credit>-<SOL>"). */
  folio: string;
  /** "Puebla, Puebla". */
  place: string;
  /** ISO YYYY-MM-DD: date of issue (draft) or of signature (final). */
  date: string;
  credit: {
    number: string;
    denomination: 'VSM' | 'MXN';
    originalAmountCents: bigint;
    balanceCents: bigint;
    monthlyPaymentCents: bigint;
    interestRateBp: number;
    termMonths: number;
    monthsInArrears: number;
    originationDate: string;
  };
  borrower: {
    name: string;
    nss: string;
    curp: string;
    rfc: string;
    birthDate: string;
    address: string;
    email: string | null;
    phone: string | null;
  };
  delegation: { name: string; state: string };
  agency: { name: string };
  /** null for drafts when not yet designated: a blank line to fill is printed. */
  representative: { name: string; hasLegalPowers: boolean; powerOfAttorney: string | null } | null;
  mediator: {
    name: string;
    kind: 'cja_certified' | 'notary' | 'professional';
    certificationNumber: string | null;
    certificationExpiresOn: string | null;
    notaryNumber: string | null;
  } | null;
  solution: {
    id: 'SOL-1' | 'SOL-2' | 'SOL-3' | 'SOL-4' | 'SOL-5';
    name: string;
    balanceBeforeCents: bigint;
    discountCents: bigint;
    balanceAfterCents: bigint;
    monthlyPaymentCents: bigint;
    insuranceFeesCents: bigint;
    totalMonthlyPaymentCents: bigint;
    paymentFactor: string;
    interestRateBp: number;
    termMonths: number;
    firstPaymentCents: bigint;
    firstPaymentDueOn: string;
    benefit?: string | undefined;
    explanation: string[];
  };
  /** How and where to pay (bank window, convenience store, with the credit's payment reference). */
  paymentPlace: string;
  /** Where to complain (URL / phone). */
  complaintsContact: string;
}

/** The names of the three convenio types (Lineamiento 2, ASG-3). */
export const CONVENIO_TYPE_TITLES: Record<ConvenioType, string> = {
  RATIFIED: 'Convenio de Mediación Ratificado',
  NOTARIAL: 'Convenio de Mediación Notarial',
  ADMINISTRATIVE: 'Convenio de Mediación Administrativo',
};

const INSTITUTE = 'Instituto del Fondo Nacional de la Vivienda para los Trabajadores';
const LGMASC = 'Ley General de Mecanismos Alternativos de Solución de Controversias';
const BLANK_SHORT = '________________';
const BLANK_LONG = '__________________________________';
const BLANK_DATE = 'el día ______ de ______________________ de __________';

// ------------------------------------------------------------------------------------------------
// Formatting (exported for the tests and for other documents)
// ------------------------------------------------------------------------------------------------

const MONTHS = [
  'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio',
  'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre',
];

function parseIsoDate(iso: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${iso}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: ${iso}`);
  }
  return { year, month, day };
}

/** "2026-11-23" → "23 de noviembre de 2026". */
export function formatLongDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return `${day} de ${MONTHS[month - 1]!} de ${year}`;
}

/** Amount in figures and words: "$1,234.56 (mil doscientos treinta y cuatro pesos 56/100 M.N.)". */
export function formatAmount(cents: bigint): string {
  return `${formatPesos(cents)} (${pesosInWords(cents)})`;
}

/** 850 basis points → "8.50 % anual". */
export function formatAnnualRate(basisPoints: number): string {
  if (!Number.isSafeInteger(basisPoints) || basisPoints < 0) throw new RangeError(`Not a rate in basis points: ${basisPoints}`);
  return `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')} % anual`;
}

/** 240 → "240 (doscientos cuarenta) meses"; 1 → "1 (un) mes". */
export function formatMonths(months: number): string {
  return `${months} (${integerToSpanishWords(months, { beforeNoun: true })}) ${months === 1 ? 'mes' : 'meses'}`;
}

/** Whole years between two ISO dates. */
function ageOn(birthDate: string, on: string): number {
  const birth = parseIsoDate(birthDate);
  const day = parseIsoDate(on);
  const hadBirthday = day.month > birth.month || (day.month === birth.month && day.day >= birth.day);
  return day.year - birth.year - (hadBirthday ? 0 : 1);
}

/** "del Estado de Puebla", "de la Ciudad de México", "del Estado de México". */
function ofState(state: string): string {
  if (/^ciudad de méxico$/i.test(state)) return 'de la Ciudad de México';
  if (/^estado de /i.test(state)) return `del ${state}`;
  return `del Estado de ${state}`;
}

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = {
  '\u2009': ' ', '\u202f': ' ', '\u2007': ' ', '\u2002': ' ', '\u2003': ' ',
  '\u2010': '-', '\u2011': '-', '\u2212': '-', '≤': '<=', '≥': '>=', '→': '->', '×': 'x',
};

/** Text the standard PDF fonts (WinAnsi) can show: NFC, known substitutes, anything else → "?". */
function winAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0)!;
    if (code === 0x0a || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char)) out += char;
    else out += REPLACEMENTS[char] ?? '?';
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Document model: the templates produce blocks, the layout writes them with PDFKit
// ------------------------------------------------------------------------------------------------

interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}
interface TermRow {
  label: string;
  value: string;
  words?: string | undefined;
}
interface Signatory {
  caption: string;
  name: string | null;
  roles: string[];
}
type Block =
  | { kind: 'title'; text: string; subtitle: string }
  | { kind: 'placeDate'; text: string }
  | { kind: 'notice'; title: string; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; runs: Run[]; gapAfter?: number }
  | { kind: 'item'; label: string; runs: Run[]; level?: number }
  | { kind: 'terms'; header: [string, string]; rows: TermRow[] }
  | { kind: 'signatures'; lead: Run[]; rows: Signatory[][] }
  | { kind: 'box'; title: string; rows: string[][] };

const t = (text: string): Run => ({ text });
const b = (text: string): Run => ({ text, bold: true });

interface Page {
  header: { left: [string, string]; right: [string, string] };
  footerLeft: string;
  footerCenter: string;
  watermark: string | null;
}

// Letter size, in points.
const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;
const MARGIN = { top: 82, bottom: 72, left: 72, right: 72 };
const CONTENT_WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const BODY_SIZE = 10.5;
const LINE_GAP = 1.6;
const PARAGRAPH_GAP = 6;
const FONT = { regular: 'Times-Roman', bold: 'Times-Bold', italic: 'Times-Italic', sans: 'Helvetica', sansBold: 'Helvetica-Bold' };
const RULE_COLOR = '#7a7a7a';
const TEXT_COLOR = '#111111';

type Doc = PDFKit.PDFDocument;

function bottomLimit(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page when less than `height` points remain. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) doc.addPage();
}

function runFont(run: Run): string {
  return run.bold ? FONT.bold : run.italic ? FONT.italic : FONT.regular;
}

/**
 * Inline layout of runs of different weight. PDFKit justifies each `continued` fragment on its
 * own (gaps appear inside bold names, spaces vanish at fragment ends), so lines are broken and
 * justified here, word by word, across fonts.
 */
interface Piece {
  text: string;
  font: string;
  width: number;
}
interface Word {
  pieces: Piece[];
  width: number;
}
interface Line {
  words: Word[];
  width: number;
}

/** Spaces that must not break a line: "8.50 % anual". */
function keepTogether(text: string): string {
  return text.replace(/(\d) % anual/g, '$1\u00a0%\u00a0anual');
}

function toWords(doc: Doc, runs: Run[], size: number): Word[] {
  const words: Word[] = [];
  let pieces: Piece[] = [];
  const flush = () => {
    if (pieces.length > 0) words.push({ pieces, width: pieces.reduce((sum, piece) => sum + piece.width, 0) });
    pieces = [];
  };
  for (const run of runs) {
    const font = runFont(run);
    for (const part of winAnsi(keepTogether(run.text)).split(/([ \n]+)/)) {
      if (part === '') continue;
      if (/^[ \n]+$/.test(part)) {
        flush();
        continue;
      }
      const text = part.replace(/\u00a0/g, ' ');
      pieces.push({ text, font, width: doc.font(font).fontSize(size).widthOfString(text) });
    }
  }
  flush();
  return words;
}

/** A word wider than the line (a long URL) is cut into pieces that fit. */
function splitWide(doc: Doc, word: Word, width: number, size: number): Word[] {
  if (word.width <= width) return [word];
  const result: Word[] = [];
  let current: Piece[] = [];
  let currentWidth = 0;
  for (const piece of word.pieces) {
    let text = '';
    for (const char of piece.text) {
      const charWidth = doc.font(piece.font).fontSize(size).widthOfString(char);
      if (currentWidth + charWidth > width && (text !== '' || current.length > 0)) {
        if (text !== '') current.push({ text, font: piece.font, width: doc.font(piece.font).fontSize(size).widthOfString(text) });
        result.push({ pieces: current, width: currentWidth });
        current = [];
        currentWidth = 0;
        text = '';
      }
      text += char;
      currentWidth += charWidth;
    }
    if (text !== '') current.push({ text, font: piece.font, width: doc.font(piece.font).fontSize(size).widthOfString(text) });
  }
  if (current.length > 0) result.push({ pieces: current, width: currentWidth });
  return result;
}

function breakLines(doc: Doc, runs: Run[], width: number, size: number): { lines: Line[]; space: number } {
  const space = doc.font(FONT.regular).fontSize(size).widthOfString(' ');
  const lines: Line[] = [];
  let line: Line = { words: [], width: 0 };
  for (const word of toWords(doc, runs, size).flatMap((w) => splitWide(doc, w, width, size))) {
    if (line.words.length > 0 && line.width + space + word.width > width + 0.01) {
      lines.push(line);
      line = { words: [], width: 0 };
    }
    line.width += (line.words.length > 0 ? space : 0) + word.width;
    line.words.push(word);
  }
  if (line.words.length > 0) lines.push(line);
  return { lines, space };
}

function inlineHeight(doc: Doc, runs: Run[], width: number, size = BODY_SIZE): number {
  return breakLines(doc, runs, width, size).lines.length * lineHeight(doc, FONT.regular, size);
}

/** Writes runs from (x, doc.y) in `width`, breaking pages between lines; leaves doc.y below. */
function writeRuns(doc: Doc, runs: Run[], x: number, width: number, align: 'justify' | 'left' | 'center' = 'justify', size = BODY_SIZE): void {
  const { lines, space } = breakLines(doc, runs, width, size);
  const height = lineHeight(doc, FONT.regular, size);
  lines.forEach((line, index) => {
    if (doc.y + height > bottomLimit(doc)) doc.addPage();
    const y = doc.y;
    // A line that would need gaps of more than four spaces (a long blank to fill follows) stays ragged.
    const extra = line.words.length > 1 ? (width - line.width) / (line.words.length - 1) : 0;
    const justify = align === 'justify' && index < lines.length - 1 && line.words.length > 1 && extra <= 3 * space;
    const gap = justify ? space + extra : space;
    let cursor = align === 'center' ? x + (width - line.width) / 2 : x;
    line.words.forEach((word, wordIndex) => {
      let pieceX = cursor;
      word.pieces.forEach((piece, pieceIndex) => {
        // The space after a word is written too, so that text extraction keeps the words apart.
        const trailing = pieceIndex === word.pieces.length - 1 && wordIndex < line.words.length - 1 ? ' ' : '';
        doc.font(piece.font).fontSize(size).fillColor(TEXT_COLOR);
        doc.text(piece.text + trailing, pieceX, y, { lineBreak: false });
        pieceX += piece.width;
      });
      cursor += word.width + gap;
    });
    doc.y = y + height;
    doc.x = x;
  });
}

function lineHeight(doc: Doc, font: string, size: number): number {
  return doc.font(font).fontSize(size).currentLineHeight(true) + LINE_GAP;
}

function writeBlock(doc: Doc, block: Block): void {
  const left = MARGIN.left;
  switch (block.kind) {
    case 'title': {
      doc.font(FONT.bold).fontSize(14).fillColor(TEXT_COLOR);
      doc.text(winAnsi(block.text.toUpperCase()), left, doc.y, { width: CONTENT_WIDTH, align: 'center', characterSpacing: 0.4 });
      doc.moveDown(0.15);
      doc.font(FONT.regular).fontSize(10.5).text(winAnsi(block.subtitle), left, doc.y, { width: CONTENT_WIDTH, align: 'center' });
      doc.moveDown(0.9);
      return;
    }
    case 'placeDate': {
      doc.font(FONT.regular).fontSize(BODY_SIZE).fillColor(TEXT_COLOR);
      doc.text(winAnsi(block.text), left, doc.y, { width: CONTENT_WIDTH, align: 'right' });
      doc.moveDown(0.8);
      return;
    }
    case 'notice': {
      const padding = 8;
      const innerWidth = CONTENT_WIDTH - 2 * padding;
      const titleHeight = doc.font(FONT.sansBold).fontSize(10).heightOfString(winAnsi(block.title), { width: innerWidth });
      const textHeight = doc.font(FONT.sans).fontSize(8.5).heightOfString(winAnsi(block.text), { width: innerWidth, lineGap: 1 });
      const height = titleHeight + textHeight + 2 * padding + 3;
      ensureSpace(doc, height + 10);
      const top = doc.y;
      doc.save().lineWidth(1).rect(left, top, CONTENT_WIDTH, height).fillAndStroke('#f1f1f1', '#444444').restore();
      doc.fillColor('#222222').font(FONT.sansBold).fontSize(10).text(winAnsi(block.title), left + padding, top + padding, { width: innerWidth, align: 'center' });
      doc.moveDown(0.2);
      doc.font(FONT.sans).fontSize(8.5).text(winAnsi(block.text), left + padding, doc.y, { width: innerWidth, align: 'justify', lineGap: 1 });
      doc.y = top + height + 12;
      return;
    }
    case 'heading': {
      ensureSpace(doc, 5 * lineHeight(doc, FONT.regular, BODY_SIZE));
      doc.moveDown(0.4);
      doc.font(FONT.bold).fontSize(11.5).fillColor(TEXT_COLOR);
      doc.text(winAnsi(block.text), left, doc.y, { width: CONTENT_WIDTH, align: 'center', characterSpacing: 1.2 });
      doc.moveDown(0.5);
      return;
    }
    case 'paragraph': {
      ensureSpace(doc, 2 * lineHeight(doc, FONT.regular, BODY_SIZE));
      writeRuns(doc, block.runs, left, CONTENT_WIDTH);
      doc.y += block.gapAfter ?? PARAGRAPH_GAP;
      return;
    }
    case 'item': {
      const indent = 22 + (block.level ?? 0) * 22;
      const labelX = left + indent - 22;
      ensureSpace(doc, 2 * lineHeight(doc, FONT.regular, BODY_SIZE));
      const top = doc.y;
      doc.font(block.level ? FONT.regular : FONT.bold).fontSize(BODY_SIZE).fillColor(TEXT_COLOR);
      doc.text(winAnsi(block.label), labelX, top, { lineBreak: false });
      doc.y = top;
      writeRuns(doc, block.runs, left + indent, CONTENT_WIDTH - indent);
      doc.y += PARAGRAPH_GAP - 2;
      return;
    }
    case 'terms':
      writeTerms(doc, block.header, block.rows);
      return;
    case 'signatures':
      writeSignatures(doc, block.lead, block.rows);
      return;
    case 'box':
      writeBox(doc, block.title, block.rows);
      return;
  }
}

function writeTerms(doc: Doc, header: [string, string], rows: TermRow[]): void {
  const left = MARGIN.left + 10;
  const width = CONTENT_WIDTH - 20;
  const labelWidth = Math.round(width * 0.38);
  const valueWidth = width - labelWidth;
  const padding = 5;
  const measure = (row: TermRow): number => {
    const labelHeight = doc.font(FONT.regular).fontSize(10).heightOfString(winAnsi(row.label), { width: labelWidth - 2 * padding });
    let valueHeight = doc.font(FONT.bold).fontSize(10).heightOfString(winAnsi(row.value), { width: valueWidth - 2 * padding });
    if (row.words) valueHeight += 1 + doc.font(FONT.italic).fontSize(9).heightOfString(winAnsi(row.words), { width: valueWidth - 2 * padding });
    return Math.max(labelHeight, valueHeight) + 2 * padding;
  };
  const headerHeight = 18;
  const drawHeader = () => {
    const top = doc.y;
    doc.save().rect(left, top, width, headerHeight).fillAndStroke('#e4e4e4', RULE_COLOR).restore();
    doc.font(FONT.bold).fontSize(9.5).fillColor(TEXT_COLOR);
    doc.text(winAnsi(header[0]), left + padding, top + 5, { width: labelWidth - 2 * padding, lineBreak: false });
    doc.text(winAnsi(header[1]), left + labelWidth + padding, top + 5, { width: valueWidth - 2 * padding, lineBreak: false });
    doc.y = top + headerHeight;
  };
  const firstRowHeight = rows.length > 0 ? measure(rows[0]!) : 0;
  ensureSpace(doc, headerHeight + firstRowHeight + 4);
  drawHeader();
  rows.forEach((row, index) => {
    const height = measure(row);
    if (doc.y + height > bottomLimit(doc)) {
      doc.addPage();
      drawHeader();
    }
    const top = doc.y;
    doc.save().lineWidth(0.5);
    if (index % 2 === 1) doc.rect(left, top, width, height).fill('#f7f7f7');
    doc.rect(left, top, width, height).strokeColor(RULE_COLOR).stroke();
    doc.moveTo(left + labelWidth, top).lineTo(left + labelWidth, top + height).strokeColor(RULE_COLOR).stroke();
    doc.restore();
    doc.font(FONT.regular).fontSize(10).fillColor(TEXT_COLOR);
    doc.text(winAnsi(row.label), left + padding, top + padding, { width: labelWidth - 2 * padding });
    doc.font(FONT.bold).fontSize(10).text(winAnsi(row.value), left + labelWidth + padding, top + padding, { width: valueWidth - 2 * padding });
    if (row.words) {
      doc.y += 1;
      doc.font(FONT.italic).fontSize(9).text(winAnsi(row.words), left + labelWidth + padding, doc.y, { width: valueWidth - 2 * padding });
    }
    doc.y = top + height;
  });
  doc.y += PARAGRAPH_GAP + 4;
}

const SIGNATURE_SPACE = 46;
const BLANK_NAME = 'Nombre: __________________';

/** Width of each signature in a row of `count` (three fit side by side). */
function signatureWidth(count: number): number {
  return count >= 3 ? 148 : 200;
}

function signatoryHeight(doc: Doc, signatory: Signatory, width: number): number {
  const nameHeight = doc.font(FONT.bold).fontSize(9.5).heightOfString(winAnsi(signatory.name ?? BLANK_NAME), { width });
  const rolesHeight = signatory.roles.reduce(
    (sum, role) => sum + doc.font(FONT.regular).fontSize(9).heightOfString(winAnsi(role), { width }),
    0,
  );
  return 14 + SIGNATURE_SPACE + 4 + nameHeight + rolesHeight;
}

function writeSignatory(doc: Doc, signatory: Signatory, x: number, top: number, width: number): void {
  doc.font(FONT.bold).fontSize(9.5).fillColor(TEXT_COLOR);
  doc.text(winAnsi(signatory.caption), x, top, { width, align: 'center' });
  const lineY = top + 14 + SIGNATURE_SPACE;
  doc.save().lineWidth(0.8).moveTo(x, lineY).lineTo(x + width, lineY).strokeColor('#000000').stroke().restore();
  doc.font(FONT.bold).fontSize(9.5).fillColor(TEXT_COLOR);
  doc.text(winAnsi(signatory.name ?? BLANK_NAME), x, lineY + 4, { width, align: 'center' });
  doc.font(FONT.regular).fontSize(9);
  for (const role of signatory.roles) doc.text(winAnsi(role), x, doc.y, { width, align: 'center' });
}

/**
 * The closing paragraph and the signatories (rows of up to three), kept on one page so that no
 * signature stands on a page without text; a row never splits across pages.
 */
function writeSignatures(doc: Doc, lead: Run[], rows: Signatory[][]): void {
  const rowHeights = rows.map((row) => Math.max(...row.map((signatory) => signatoryHeight(doc, signatory, signatureWidth(row.length)))) + 14);
  const leadHeight = lead.length > 0 ? inlineHeight(doc, lead, CONTENT_WIDTH) + PARAGRAPH_GAP + 8 : 0;
  const total = leadHeight + rowHeights.reduce((sum, height) => sum + height, 0);
  if (total <= PAGE_HEIGHT - MARGIN.top - MARGIN.bottom) ensureSpace(doc, total);
  if (lead.length > 0) {
    writeRuns(doc, lead, MARGIN.left, CONTENT_WIDTH);
    doc.y += PARAGRAPH_GAP + 8;
  }
  rows.forEach((row, index) => {
    ensureSpace(doc, rowHeights[index]!);
    const top = doc.y;
    const width = signatureWidth(row.length);
    const gap = row.length > 1 ? (CONTENT_WIDTH - row.length * width) / (row.length - 1) : 0;
    const start = row.length === 1 ? MARGIN.left + (CONTENT_WIDTH - width) / 2 : MARGIN.left;
    row.forEach((signatory, column) => writeSignatory(doc, signatory, start + column * (width + gap), top, width));
    doc.y = top + rowHeights[index]!;
  });
}

/** A framed space to fill by hand: each row holds labelled blanks that share its width. */
function writeBox(doc: Doc, title: string, rows: string[][]): void {
  const padding = 10;
  const innerWidth = CONTENT_WIDTH - 2 * padding;
  const rowHeight = 24;
  const titleHeight = doc.font(FONT.sansBold).fontSize(8.5).heightOfString(winAnsi(title), { width: innerWidth });
  const height = 2 * padding + titleHeight + 6 + rows.length * rowHeight;
  ensureSpace(doc, height + 10);
  const top = doc.y + 4;
  doc.save().lineWidth(0.8).dash(3, { space: 2 }).rect(MARGIN.left, top, CONTENT_WIDTH, height).strokeColor('#444444').stroke().undash().restore();
  doc.font(FONT.sansBold).fontSize(8.5).fillColor(TEXT_COLOR).text(winAnsi(title), MARGIN.left + padding, top + padding, { width: innerWidth, align: 'center' });
  let y = top + padding + titleHeight + 6;
  for (const row of rows) {
    const share = innerWidth / row.length;
    row.forEach((label, index) => {
      const x = MARGIN.left + padding + index * share;
      doc.font(FONT.sans).fontSize(8.5).fillColor(TEXT_COLOR);
      const labelWidth = doc.widthOfString(winAnsi(label));
      doc.text(winAnsi(label), x, y + 8, { lineBreak: false });
      const lineEnd = x + share - (index < row.length - 1 ? 14 : 0);
      doc.save().lineWidth(0.5).moveTo(x + labelWidth + 4, y + 17).lineTo(lineEnd, y + 17).strokeColor('#555555').stroke().restore();
    });
    y += rowHeight;
  }
  doc.y = top + height + 10;
}

/** Header, footer ("Folio …", "Página n de m") and, on drafts, the PRELIMINAR watermark — on every page. */
function decoratePages(doc: Doc, page: Page): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const margins = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    const left = MARGIN.left;
    const right = PAGE_WIDTH - MARGIN.right;

    if (page.watermark) {
      doc.save();
      doc.rotate(-38, { origin: [PAGE_WIDTH / 2, PAGE_HEIGHT / 2] });
      doc.font(FONT.sansBold).fontSize(92).fillColor('#8c8c8c').fillOpacity(0.18);
      doc.text(page.watermark, 0, PAGE_HEIGHT / 2 - 46, { width: PAGE_WIDTH, align: 'center', lineBreak: false });
      doc.restore();
    }

    doc.fillOpacity(1).fillColor('#333333');
    const headerLine = (text: string, font: string, y: number, align: 'left' | 'right') => {
      doc.font(font).fontSize(7.5);
      const width = doc.widthOfString(winAnsi(text));
      doc.text(winAnsi(text), align === 'left' ? left : right - width, y, { lineBreak: false });
    };
    headerLine(page.header.left[0], FONT.sansBold, 38, 'left');
    headerLine(page.header.left[1], FONT.sans, 48, 'left');
    headerLine(page.header.right[0], FONT.sans, 38, 'right');
    headerLine(page.header.right[1], FONT.sansBold, 48, 'right');
    doc.save().lineWidth(0.6).moveTo(left, 60).lineTo(right, 60).strokeColor(RULE_COLOR).stroke().restore();

    const footerY = PAGE_HEIGHT - 50;
    doc.save().lineWidth(0.6).moveTo(left, footerY - 6).lineTo(right, footerY - 6).strokeColor(RULE_COLOR).stroke().restore();
    doc.fillColor('#333333').font(FONT.sans).fontSize(8);
    doc.text(winAnsi(page.footerLeft), left, footerY, { width: 190, lineBreak: false });
    if (page.footerCenter) {
      doc.font(FONT.sansBold);
      doc.text(winAnsi(page.footerCenter), PAGE_WIDTH / 2 - doc.widthOfString(winAnsi(page.footerCenter)) / 2, footerY + 11, { lineBreak: false });
    }
    doc.font(FONT.sans).text(`Página ${index - range.start + 1} de ${range.count}`, right - 110, footerY, { width: 110, align: 'right', lineBreak: false });

    doc.page.margins = margins;
  }
}

async function renderBlocks(data: ConvenioDocumentData, title: string, subject: string, blocks: Block[]): Promise<Buffer> {
  const { year, month, day } = parseIsoDate(data.date);
  const issued = new Date(Date.UTC(year, month - 1, day, 12, 0, 0));
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: MARGIN,
    bufferPages: true,
    lang: 'es-MX',
    displayTitle: true,
    info: {
      Title: winAnsi(`${title} ${data.folio}`),
      Author: INSTITUTE,
      Subject: winAnsi(subject),
      Keywords: winAnsi(`convenio de mediación; ${data.folio}; crédito ${data.credit.number}`),
      Creator: 'cobranza-social',
      Producer: 'cobranza-social (PDFKit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const block of blocks) writeBlock(doc, block);
  const draft = data.kind === 'draft';
  decoratePages(doc, {
    header: {
      left: [INSTITUTE.toUpperCase(), `${data.delegation.name} · Mediación y convenios`],
      right: [`Crédito ${data.credit.number}`, draft ? `${CONVENIO_TYPE_TITLES[data.convenioType]} · PRELIMINAR` : CONVENIO_TYPE_TITLES[data.convenioType]],
    },
    footerLeft: `Folio: ${data.folio}`,
    footerCenter: draft ? 'PRELIMINAR · SIN VALIDEZ HASTA SU FIRMA' : '',
    watermark: draft ? 'PRELIMINAR' : null,
  });
  doc.end();
  return finished;
}

// ------------------------------------------------------------------------------------------------
// Checks (CNV-2): a final convenio needs its signatories, of the kind its type requires
// ------------------------------------------------------------------------------------------------

function checkSignatories(data: ConvenioDocumentData): void {
  if (data.kind === 'draft') return;
  const { representative, mediator, convenioType } = data;
  if (!representative) throw new RangeError('CNV-1: a final convenio needs the Infonavit representative');
  if (!mediator) throw new RangeError('CNV-1: a final convenio needs the mediator');
  if (convenioType === 'RATIFIED' && !representative.hasLegalPowers) {
    throw new RangeError('CNV-2: the representative of a RATIFIED convenio must hold legal powers');
  }
  if (convenioType === 'RATIFIED' && mediator.kind !== 'cja_certified') {
    throw new RangeError('CNV-2: the mediator of a RATIFIED convenio must be CJA-certified');
  }
  if (convenioType === 'NOTARIAL' && mediator.kind !== 'notary') {
    throw new RangeError('CNV-2: the mediator of a NOTARIAL convenio must be a notary');
  }
}

// ------------------------------------------------------------------------------------------------
// The convenio
// ------------------------------------------------------------------------------------------------

const ORDINALS = [
  'PRIMERA', 'SEGUNDA', 'TERCERA', 'CUARTA', 'QUINTA', 'SEXTA', 'SÉPTIMA', 'OCTAVA', 'NOVENA', 'DÉCIMA',
  'DÉCIMA PRIMERA', 'DÉCIMA SEGUNDA', 'DÉCIMA TERCERA', 'DÉCIMA CUARTA',
];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function representativeName(data: ConvenioDocumentData): string {
  return data.representative?.name ?? BLANK_LONG;
}

function mediatorName(data: ConvenioDocumentData): string {
  return data.mediator?.name ?? BLANK_LONG;
}

function certificationText(mediator: NonNullable<ConvenioDocumentData['mediator']>): string {
  const number = mediator.certificationNumber ?? BLANK_SHORT;
  const expiry = mediator.certificationExpiresOn ? `, vigente hasta el ${formatLongDate(mediator.certificationExpiresOn)}` : '';
  return `número de certificación ${number}${expiry}`;
}

/**
 * The representative acts as attorney (apoderado legal): what his record says, or, while not yet
 * designated (drafts), what the type requires — powers for RATIFIED and NOTARIAL (act. 7).
 */
function representativeHasPowers(data: ConvenioDocumentData): boolean {
  return data.representative ? data.representative.hasLegalPowers : data.convenioType !== 'ADMINISTRATIVE';
}

function proemio(data: ConvenioDocumentData): Run[] {
  const title = CONVENIO_TYPE_TITLES[data.convenioType].toUpperCase();
  const representative = representativeName(data).toUpperCase();
  const capacity = representativeHasPowers(data) ? 'EN SU CARÁCTER DE APODERADO LEGAL' : 'EN SU CARÁCTER DE REPRESENTANTE DESIGNADO';
  const mediator = mediatorName(data).toUpperCase();
  let intervention: string;
  let closing: string;
  switch (data.convenioType) {
    case 'RATIFIED':
      intervention = `MEDIADOR CERTIFICADO CON NÚMERO DE CERTIFICACIÓN ${data.mediator?.certificationNumber ?? BLANK_SHORT}`;
      closing = `CONVENIO QUE SE SUSCRIBE PARA SU RATIFICACIÓN E INSCRIPCIÓN ANTE EL CENTRO DE JUSTICIA ALTERNATIVA DEL PODER JUDICIAL ${ofState(data.delegation.state).toUpperCase()} O ANTE LA AUTORIDAD EQUIVALENTE, EN TÉRMINOS DE LA ${LGMASC.toUpperCase()}`;
      break;
    case 'NOTARIAL':
      intervention = `TITULAR DE LA NOTARÍA PÚBLICA NÚMERO ${data.mediator?.notaryNumber ?? BLANK_SHORT}, QUIEN PRESTA EL SERVICIO DE MEDIACIÓN`;
      closing = 'CONVENIO QUE SE CELEBRA ANTE LA FE DEL NOTARIO PÚBLICO QUE INTERVIENE COMO MEDIADOR';
      break;
    case 'ADMINISTRATIVE':
      intervention = 'PROFESIONAL DE LA MEDIACIÓN';
      closing = 'CONVENIO DE CARÁCTER PRIVADO';
      break;
  }
  return [
    t(`${title} QUE CELEBRAN, POR UNA PARTE, EL ${INSTITUTE.toUpperCase()}, EN LO SUCESIVO «EL INSTITUTO», REPRESENTADO EN ESTE ACTO POR `),
    b(representative),
    t(`, ${capacity}; Y POR LA OTRA PARTE, `),
    b(data.borrower.name.toUpperCase()),
    t(', POR SU PROPIO DERECHO, EN LO SUCESIVO «EL ACREDITADO», A QUIENES CONJUNTAMENTE SE LES DENOMINARÁ «LAS PARTES»; CON LA INTERVENCIÓN DE '),
    b(mediator),
    t(`, ${intervention}, EN LO SUCESIVO «EL MEDIADOR»; ${closing}, AL TENOR DE LAS DECLARACIONES Y CLÁUSULAS SIGUIENTES:`),
  ];
}

function items(runsList: Run[][]): Block[] {
  return runsList.map((runs, index) => ({ kind: 'item', label: `${LETTERS[index]!})`, runs }));
}

function instituteDeclarations(data: ConvenioDocumentData): Block[] {
  const { credit } = data;
  const representative = data.representative;
  const powers = representative?.powerOfAttorney ?? BLANK_LONG;
  const representation: Run[] = representativeHasPowers(data)
    ? [
      t('Su representante, '),
      b(representativeName(data)),
      t(', cuenta con las facultades necesarias para obligarlo en los términos del presente convenio, como lo acredita con '),
      b(powers),
      t(', facultades que a la fecha no le han sido revocadas, modificadas ni limitadas en forma alguna.'),
    ]
    : [
      t('Su representante, '),
      b(representativeName(data)),
      t(
        ', fue designado para asistir a la sesión de mediación y suscribir el presente convenio en su nombre'
          + (data.convenioType === 'ADMINISTRATIVE'
            ? '; por tratarse de un convenio de mediación administrativo, no se requiere que cuente con poderes de representación legal'
            : '')
          + (representative?.powerOfAttorney ? `, y exhibe ${representative.powerOfAttorney}.` : '.'),
      ),
    ];
  const denomination = credit.denomination === 'VSM'
    ? 'denominado en Veces Salario Mínimo (VSM), cuyos importes se expresan en este convenio en su equivalente en moneda nacional'
    : 'denominado en pesos, moneda nacional';
  return [
    { kind: 'item', label: 'I.', runs: [b('Declara «EL INSTITUTO», por conducto de su representante, que:')] },
    ...items([
      [
        t(`Es un organismo de servicio social con personalidad jurídica y patrimonio propios, en términos del artículo 2 de la Ley del ${INSTITUTE}, y que para los efectos del presente convenio señala como domicilio el de su ${data.delegation.name}.`),
      ],
      representation,
      [
        t(`Con fecha ${formatLongDate(credit.originationDate)} otorgó a «EL ACREDITADO» el crédito número `),
        b(credit.number),
        t(`, ${denomination}, por un monto original de ${formatAmount(credit.originalAmountCents)}, a un plazo de ${formatMonths(credit.termMonths)} y con una tasa de interés de ${formatAnnualRate(credit.interestRateBp)}.`),
      ],
      [
        t(`A la fecha del presente convenio, el saldo del crédito asciende a ${formatAmount(credit.balanceCents)}, con una mensualidad de ${formatAmount(credit.monthlyPaymentCents)}, y «EL ACREDITADO» presenta `),
        b(`${credit.monthsInArrears} (${integerToSpanishWords(credit.monthsInArrears, { feminine: true })}) ${credit.monthsInArrears === 1 ? 'mensualidad omisa' : 'mensualidades omisas'}`),
        t('.'),
      ],
      [
        t('En el marco de su política de cobranza social, ofreció a «EL ACREDITADO» las soluciones disponibles para su crédito y el servicio de mediación, gratuito para él, con el propósito de que regularice su crédito y conserve su vivienda.'),
      ],
    ]).map(indentItem),
  ];
}

function indentItem(block: Block): Block {
  return block.kind === 'item' ? { ...block, level: 1 } : block;
}

function borrowerDeclarations(data: ConvenioDocumentData): Block[] {
  const { borrower } = data;
  const contact = [borrower.email ? `correo electrónico ${borrower.email}` : null, borrower.phone ? `teléfono ${borrower.phone}` : null]
    .filter((part): part is string => part !== null);
  return [
    { kind: 'item', label: 'II.', runs: [b('Declara «EL ACREDITADO», por su propio derecho, que:')] },
    ...items([
      [
        t(`Es una persona física mayor de edad, de ${ageOn(borrower.birthDate, data.date)} años de edad, nacida el ${formatLongDate(borrower.birthDate)}, de nacionalidad ${BLANK_SHORT}, de estado civil ${BLANK_SHORT} y de ocupación ${BLANK_SHORT}, y que se identifica con ${BLANK_SHORT} número ${BLANK_SHORT}.`),
      ],
      [
        t('Su Número de Seguridad Social (NSS) es '),
        b(borrower.nss),
        t(', su Clave Única de Registro de Población (CURP) es '),
        b(borrower.curp),
        t(' y su Registro Federal de Contribuyentes (RFC) es '),
        b(borrower.rfc),
        t('.'),
      ],
      [
        t(`Tiene su domicilio en ${borrower.address}, mismo que señala para oír y recibir notificaciones${contact.length > 0 ? `, y que sus datos de contacto son: ${contact.join('; ')}` : ''}.`),
      ],
      [
        t('Es titular del crédito número '),
        b(data.credit.number),
        t(' descrito en la declaración I, y reconoce el saldo y las mensualidades omisas señalados en ella.'),
      ],
      [
        t('Aceptó de manera libre y voluntaria someterse al procedimiento de mediación; que antes de proporcionar sus datos personales se le mostró el aviso de privacidad de «EL INSTITUTO», y que «EL MEDIADOR» le explicó las reglas de la mediación, sus derechos y obligaciones, los alcances del procedimiento, las implicaciones de la firma del presente convenio y las consecuencias de su incumplimiento.'),
      ],
      [
        t('Se le explicaron las soluciones disponibles para su crédito, con sus beneficios e implicaciones, y eligió libremente la solución '),
        b(`«${data.solution.name}»`),
        t(', cuyos términos se establecen en las cláusulas del presente convenio.'),
      ],
    ]).map(indentItem),
  ];
}

function mediatorDeclarations(data: ConvenioDocumentData): Block[] {
  const mediator = data.mediator;
  let qualification: Run[];
  switch (data.convenioType) {
    case 'RATIFIED':
      qualification = [
        t(`Es facilitador certificado para conducir mecanismos alternativos de solución de controversias, en términos de la ${LGMASC}, con `),
        b(mediator ? certificationText(mediator) : `número de certificación ${BLANK_SHORT}, vigente hasta ${BLANK_SHORT}`),
        t('.'),
      ];
      break;
    case 'NOTARIAL':
      qualification = [
        t('Es titular de la '),
        b(`Notaría Pública número ${mediator?.notaryNumber ?? BLANK_SHORT}`),
        t(', presta el servicio de mediación y en tal carácter interviene en el presente convenio, que se celebra ante su fe.'),
      ];
      break;
    case 'ADMINISTRATIVE':
      qualification = [
        t('Es profesional de la mediación y cuenta con conocimientos en la materia'),
        ...(mediator?.certificationNumber ? [t(', con '), b(certificationText(mediator))] : []),
        t('.'),
      ];
      break;
  }
  return [
    { kind: 'item', label: 'III.', runs: [b('Declara «EL MEDIADOR», que:')] },
    ...items([
      qualification,
      [
        t('Condujo la mediación con apego a los principios de voluntariedad, confidencialidad, neutralidad, imparcialidad, equidad, legalidad y honestidad, y que no ha asesorado ni representado a ninguna de «LAS PARTES» en relación con el crédito materia del presente convenio.'),
      ],
    ]).map(indentItem),
    { kind: 'item', label: 'IV.', runs: [b('Declaran «LAS PARTES», que:')] },
    ...items([
      [t('Se reconocen mutuamente la personalidad con la que comparecen a la celebración del presente convenio.')],
      [
        t('Lo celebran de manera libre y voluntaria, sin que exista error, dolo, violencia, mala fe ni otro vicio del consentimiento, y que es su voluntad obligarse conforme a las siguientes:'),
      ],
    ]).map(indentItem),
  ];
}

function termsRows(data: ConvenioDocumentData): TermRow[] {
  const s = data.solution;
  const amount = (label: string, cents: bigint): TermRow => ({ label, value: formatPesos(cents), words: `(${pesosInWords(cents)})` });
  return [
    amount('Saldo del crédito antes de la solución', s.balanceBeforeCents),
    amount('Descuento', s.discountCents),
    amount('Saldo del crédito después de la solución', s.balanceAfterCents),
    amount('Mensualidad (amortización del crédito)', s.monthlyPaymentCents),
    amount('Seguros y cuotas', s.insuranceFeesCents),
    amount('Mensualidad total a pagar', s.totalMonthlyPaymentCents),
    { label: 'Factor de pago', value: s.paymentFactor },
    { label: 'Tasa de interés', value: formatAnnualRate(s.interestRateBp) },
    { label: 'Plazo', value: formatMonths(s.termMonths) },
    { ...amount('Primer pago (único, por la cantidad completa)', s.firstPaymentCents), label: 'Primer pago (único, por la cantidad completa)' },
    { label: 'Fecha límite del primer pago', value: formatLongDate(s.firstPaymentDueOn) },
    ...(s.benefit ? [{ label: 'Beneficio', value: s.benefit }] : []),
  ];
}

function clauses(data: ConvenioDocumentData): Block[] {
  const s = data.solution;
  const type = data.convenioType;
  const statePhrase = ofState(data.delegation.state);
  const typeClause: { title: string; runs: Run[] } = {
    RATIFIED: {
      title: 'RATIFICACIÓN, INSCRIPCIÓN Y EJECUCIÓN.',
      runs: [
        t(`«EL MEDIADOR» remitirá el presente convenio al Sistema de Convenios del Centro de Justicia Alternativa del Poder Judicial ${statePhrase}, o de la autoridad equivalente, para su ratificación e inscripción, dentro de los diez días hábiles siguientes a su firma, en términos del artículo 105 de la ${LGMASC}. `),
        b('Una vez inscrito, el presente convenio tendrá la calidad de cosa juzgada, en términos del artículo 98 de dicha Ley'),
        t(', y en caso de incumplimiento «EL INSTITUTO» podrá exigir su cumplimiento forzoso ante el juez competente, en la vía de ejecución que establezca la legislación procesal aplicable. Los derechos u honorarios que genere la inscripción no serán a cargo de «EL ACREDITADO».'),
      ],
    },
    NOTARIAL: {
      title: 'FE NOTARIAL Y CUMPLIMIENTO.',
      runs: [
        t(`El presente convenio se celebra ante la fe de «EL MEDIADOR», titular de la Notaría Pública número ${data.mediator?.notaryNumber ?? BLANK_SHORT}, quien hace constar la identidad de los comparecientes, su capacidad y que lo firman por su libre voluntad. El convenio no se inscribe ante un Centro de Justicia Alternativa; en caso de incumplimiento, «EL INSTITUTO» podrá exigir su cumplimiento, así como el pago del crédito, por la vía judicial que corresponda conforme al contrato de crédito y a la legislación aplicable. Los honorarios notariales no serán a cargo de «EL ACREDITADO».`),
      ],
    },
    ADMINISTRATIVE: {
      title: 'NATURALEZA DEL CONVENIO Y CUMPLIMIENTO.',
      runs: [
        t('El presente convenio es un acuerdo de carácter privado entre «LAS PARTES», celebrado con la intervención de un profesional de la mediación, y no se inscribe ante un Centro de Justicia Alternativa ni ante autoridad equivalente. En caso de incumplimiento, «EL INSTITUTO» podrá exigir su cumplimiento, así como el pago del crédito, por la vía judicial que corresponda conforme al contrato de crédito y a la legislación aplicable.'),
      ],
    },
  }[type];

  const list: Array<{ title: string; runs: Run[]; after?: Block[] }> = [
    {
      title: 'SOLUCIÓN.',
      runs: [
        t('«LAS PARTES» convienen en aplicar al crédito número '),
        b(data.credit.number),
        t(' la solución '),
        b(`«${s.name}» (${s.id})`),
        t(', en los términos siguientes:'),
      ],
      after: [
        { kind: 'terms', header: ['Concepto', 'Importe o condición'], rows: termsRows(data) },
        ...(s.explanation.length > 0
          ? [
            { kind: 'paragraph', runs: [t('La solución consiste en lo siguiente:')], gapAfter: 3 } as Block,
            ...s.explanation.map((line): Block => ({ kind: 'item', label: '•', runs: [t(line)], level: 1 })),
          ]
          : []),
      ],
    },
    {
      title: 'OBLIGACIÓN DE PAGO.',
      runs: s.termMonths <= 1
        // A single payment settles the balance (e.g. SOL-3, early pay-off with discount).
        ? [
          t(`«EL ACREDITADO» se obliga a pagar a «EL INSTITUTO» el saldo de ${formatAmount(s.balanceAfterCents)} `),
          b('en un solo pago'),
          t(
            s.discountCents > 0n
              ? ', en los términos de la cláusula TERCERA; si no lo realiza en esos términos, no se aplicará el descuento y lo que pague se abonará al saldo del crédito sin descuento.'
              : ', en los términos de la cláusula TERCERA.',
          ),
        ]
        : [
          t(`«EL ACREDITADO» se obliga a pagar a «EL INSTITUTO» el saldo de ${formatAmount(s.balanceAfterCents)} mediante ${s.termMonths} (${integerToSpanishWords(s.termMonths, { feminine: true })}) mensualidades de `),
          b(formatAmount(s.totalMonthlyPaymentCents)),
          t(`, que incluyen ${formatAmount(s.insuranceFeesCents)} por concepto de seguros y cuotas, con una tasa de interés de ${formatAnnualRate(s.interestRateBp)} y un factor de pago de ${s.paymentFactor}, a partir del primer pago pactado en la cláusula TERCERA.`),
        ],
    },
    {
      title: 'PRIMER PAGO.',
      runs: [
        t('«EL ACREDITADO» se obliga a realizar el primer pago por la cantidad de '),
        b(formatAmount(s.firstPaymentCents)),
        t(', a más tardar el '),
        b(formatLongDate(s.firstPaymentDueOn)),
        t('. '),
        b('El primer pago deberá realizarse en un único pago por la cantidad completa aquí establecida'),
        t('; un pago parcial, fraccionado o realizado después de esa fecha no se tendrá por válido para los efectos del presente convenio. «EL ACREDITADO» reconoce que «EL MEDIADOR» le informó el plazo para realizarlo y la importancia de que sea un único pago por la cantidad completa.'),
      ],
    },
    {
      title: 'FORMA Y LUGAR DE PAGO.',
      runs: [t(`Los pagos se realizarán en moneda nacional ${data.paymentPlace.replace(/\.$/, '')}. «EL ACREDITADO» conservará los comprobantes de sus pagos.`)],
    },
    {
      title: 'APLICACIÓN DE LA SOLUCIÓN.',
      runs: [
        t(`«EL INSTITUTO» aplicará la solución al crédito en sus sistemas una vez que la Gerencia de Cobranza de su ${data.delegation.name} revise y apruebe el presente convenio, para que «EL ACREDITADO» pueda realizar el primer pago en el plazo pactado.`),
      ],
    },
    {
      title: 'INCUMPLIMIENTO.',
      runs: [
        t('Si «EL ACREDITADO» no realiza el primer pago en los términos de la cláusula TERCERA, o deja de cubrir posteriormente las mensualidades pactadas, '),
        b('el presente convenio se tendrá por incumplido'),
        t(` y: (a) «EL ACREDITADO» perderá los beneficios de la solución y de la reestructura aplicada${s.discountCents > 0n ? `, incluido el descuento de ${formatPesos(s.discountCents)}` : ''}; (b) el crédito podrá someterse a re-mediación por una única ocasión adicional, siempre que no acumule dos convenios de mediación incumplidos; y (c) «EL INSTITUTO» podrá reanudar las gestiones de cobranza, incluida la cobranza judicial, conforme al contrato de crédito y a la legislación aplicable.`),
      ],
    },
    typeClause,
    {
      title: 'CONFIDENCIALIDAD.',
      runs: [
        t(`La información que «LAS PARTES» y «EL MEDIADOR» conocieron con motivo de la mediación es confidencial y no podrá divulgarse ni utilizarse fuera de este procedimiento, salvo la que revele la comisión de un delito en curso o inminente, conforme al principio de confidencialidad previsto en el artículo 6 de la ${LGMASC}.`),
      ],
    },
    {
      title: 'PROTECCIÓN DE DATOS PERSONALES.',
      runs: [
        t('Los datos personales de «EL ACREDITADO» se tratan conforme al aviso de privacidad de «EL INSTITUTO», que se le mostró antes de recabarlos y al inicio de la sesión de mediación, y conforme a la Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados, únicamente para las finalidades relacionadas con su crédito y con el presente convenio. «EL ACREDITADO» puede ejercer sus derechos de acceso, rectificación, cancelación y oposición (derechos ARCO) ante la Unidad de Transparencia de «EL INSTITUTO».'),
      ],
    },
    {
      title: 'VOLUNTARIEDAD Y GRATUIDAD.',
      runs: [
        t('«LAS PARTES» manifiestan que acudieron a la mediación y celebran el presente convenio de forma voluntaria. '),
        b('El servicio de mediación es gratuito para «EL ACREDITADO»'),
        t(`: ninguna persona está autorizada para solicitarle pago, dádiva o contraprestación alguna por la mediación ni por la celebración${type === 'RATIFIED' ? ', ratificación o inscripción' : ''} del presente convenio. Las quejas y denuncias sobre el servicio pueden presentarse en ${data.complaintsContact.replace(/\.$/, '')}.`),
      ],
    },
    {
      title: 'EJEMPLARES.',
      runs: [
        t(`El presente convenio se firma por triplicado. «EL ACREDITADO» recibe en este acto un ejemplar original, del que firma acuse de recibo; los demás quedan en poder de «EL INSTITUTO» y de «EL MEDIADOR»${type === 'RATIFIED' ? ', quien conservará los necesarios para el trámite de ratificación e inscripción' : ''}.`),
      ],
    },
    {
      title: 'INTERPRETACIÓN Y JURISDICCIÓN.',
      runs: [
        t(`Para la interpretación y cumplimiento del presente convenio, «LAS PARTES» se someten a las leyes aplicables y a la jurisdicción de los tribunales competentes en ${data.place}, y renuncian a cualquier otro fuero que pudiera corresponderles por razón de su domicilio presente o futuro.`),
      ],
    },
  ];
  return list.flatMap((clause, index): Block[] => [
    { kind: 'paragraph', runs: [b(`${ORDINALS[index]!}. ${clause.title} `), ...clause.runs] },
    ...(clause.after ?? []),
  ]);
}

function signatureRows(data: ConvenioDocumentData): Signatory[][] {
  const representative = data.representative;
  const mediator = data.mediator;
  const kind = mediator?.kind ?? ({ RATIFIED: 'cja_certified', NOTARIAL: 'notary', ADMINISTRATIVE: 'professional' } as const)[data.convenioType];
  const certification = mediator?.certificationNumber ?? null;
  const mediatorRoles: string[] = (() => {
    switch (kind) {
      case 'notary':
        return [`Titular de la Notaría Pública número ${mediator?.notaryNumber ?? BLANK_SHORT}`, 'Mediador (firma y sello)'];
      case 'cja_certified':
        return ['Mediador certificado', `Certificación número ${certification ?? '____________'}`];
      case 'professional':
        return certification ? ['Profesional de la mediación', `Certificación número ${certification}`] : ['Profesional de la mediación'];
    }
  })();
  return [
    [
      { caption: '«EL ACREDITADO»', name: data.borrower.name, roles: [`Crédito ${data.credit.number}`] },
      {
        caption: 'POR «EL INSTITUTO»',
        name: representative?.name ?? null,
        roles: [representativeHasPowers(data) ? 'Apoderado legal' : 'Representante designado'],
      },
      { caption: '«EL MEDIADOR»', name: mediator?.name ?? null, roles: mediatorRoles },
    ],
  ];
}

function convenioBlocks(data: ConvenioDocumentData): Block[] {
  const draft = data.kind === 'draft';
  const title = CONVENIO_TYPE_TITLES[data.convenioType];
  const signedOn = draft ? BLANK_DATE : `el ${formatLongDate(data.date)}`;
  const blocks: Block[] = [
    { kind: 'title', text: title, subtitle: `Folio: ${data.folio}` },
  ];
  if (draft) {
    blocks.push({
      kind: 'notice',
      title: 'CONVENIO PRELIMINAR',
      text: `Versión preliminar del convenio para la solución «${data.solution.name}» (${data.solution.id}), emitida el ${formatLongDate(data.date)} por la ${data.delegation.name} para la sesión de mediación. No tiene validez sino hasta que lo firmen «EL ACREDITADO», el representante de «EL INSTITUTO» y «EL MEDIADOR»; los espacios en blanco se llenan al momento de la firma.`,
    });
  }
  blocks.push(
    { kind: 'placeDate', text: draft ? `${data.place}, a ______ de ______________________ de __________.` : `${data.place}, a ${formatLongDate(data.date)}.` },
    { kind: 'paragraph', runs: proemio(data), gapAfter: 10 },
    { kind: 'heading', text: 'DECLARACIONES' },
    ...instituteDeclarations(data),
    ...borrowerDeclarations(data),
    ...mediatorDeclarations(data),
    { kind: 'heading', text: 'CLÁUSULAS' },
    ...clauses(data),
    {
      kind: 'signatures',
      lead: [
        t(`Leído que fue el presente convenio y enteradas «LAS PARTES» de su contenido, alcance y fuerza legal, lo firman de conformidad, por triplicado, en ${data.place}, ${signedOn}, ante «EL MEDIADOR», quien también lo suscribe.`),
      ],
      rows: signatureRows(data),
    },
  );
  if (data.convenioType === 'RATIFIED') {
    blocks.push({
      kind: 'box',
      title: 'ESPACIO RESERVADO PARA LA INSCRIPCIÓN ANTE EL CENTRO DE JUSTICIA ALTERNATIVA',
      rows: [
        ['Centro de Justicia Alternativa o autoridad equivalente:'],
        ['Número de registro:', 'Fecha de inscripción:'],
        ['Nombre, firma y sello de quien inscribe:'],
      ],
    });
  }
  return blocks;
}

/** The convenio de mediación (CNV-1, CNV-3): final, or the preliminary version when `kind` is "draft". */
export async function renderConvenioPdf(data: ConvenioDocumentData): Promise<Buffer> {
  checkSignatories(data);
  const title = CONVENIO_TYPE_TITLES[data.convenioType];
  return renderBlocks(
    data,
    data.kind === 'draft' ? `${title} (preliminar)` : title,
    `${title}, crédito ${data.credit.number}, solución ${data.solution.name}`,
    convenioBlocks(data),
  );
}

// ------------------------------------------------------------------------------------------------
// The acknowledgement (acuse de recibo, act. 20; EXP-1 ii)
// ------------------------------------------------------------------------------------------------

function acknowledgementBlocks(data: ConvenioDocumentData): Block[] {
  const draft = data.kind === 'draft';
  const s = data.solution;
  const mediator = data.mediator;
  const mediatorDescription = !mediator
    ? `${BLANK_LONG}, mediador`
    : mediator.kind === 'notary'
      ? `${mediator.name}, titular de la Notaría Pública número ${mediator.notaryNumber ?? BLANK_SHORT}, en su carácter de mediador`
      : `${mediator.name}, mediador${mediator.certificationNumber ? ` con número de certificación ${mediator.certificationNumber}` : ''}`;
  const blocks: Block[] = [
    { kind: 'title', text: 'Acuse de recibo', subtitle: `Ejemplar original del convenio de mediación · Folio: ${data.folio}` },
  ];
  if (draft) {
    blocks.push({
      kind: 'notice',
      title: 'ACUSE PRELIMINAR',
      text: 'Acompaña al convenio preliminar; se firma solo al entregar al acreditado su ejemplar original del convenio firmado.',
    });
  }
  blocks.push(
    { kind: 'placeDate', text: draft ? `${data.place}, a ______ de ______________________ de __________.` : `${data.place}, a ${formatLongDate(data.date)}.` },
    {
      kind: 'paragraph',
      runs: [
        t('Yo, '),
        b(data.borrower.name),
        t(', con Número de Seguridad Social (NSS) '),
        b(data.borrower.nss),
        t(' y CURP '),
        b(data.borrower.curp),
        t(', titular del crédito número '),
        b(data.credit.number),
        t(`, hago constar que en esta fecha recibí de ${mediatorDescription}, un ejemplar original del convenio de mediación firmado por mí, por el representante del ${INSTITUTE} y por el mediador, cuyos datos son los siguientes:`),
      ],
      gapAfter: 10,
    },
    {
      kind: 'terms',
      header: ['Dato del convenio', 'Contenido'],
      rows: [
        { label: 'Folio', value: data.folio },
        { label: 'Fecha de firma', value: draft ? '______ de ______________________ de __________' : formatLongDate(data.date) },
        { label: 'Tipo de convenio', value: CONVENIO_TYPE_TITLES[data.convenioType] },
        { label: 'Solución', value: `${s.name} (${s.id})` },
        { label: 'Primer pago (único, por la cantidad completa)', value: formatPesos(s.firstPaymentCents), words: `(${pesosInWords(s.firstPaymentCents)})` },
        { label: 'Fecha límite del primer pago', value: formatLongDate(s.firstPaymentDueOn) },
        { label: 'Forma y lugar de pago', value: data.paymentPlace },
      ],
    },
    {
      kind: 'signatures',
      lead: [
        t('Hago constar, asimismo, que se me informó que '),
        b('el primer pago debe realizarse en un único pago por la cantidad completa'),
        t(` de ${formatAmount(s.firstPaymentCents)}, a más tardar el ${formatLongDate(s.firstPaymentDueOn)}, y que si no lo realizo en esos términos el convenio se tendrá por incumplido y perderé los beneficios de la solución. Se me informó también que el servicio de mediación es gratuito y que puedo presentar quejas o denuncias sobre el servicio en ${data.complaintsContact.replace(/\.$/, '')}.`),
      ],
      rows: [
        [
          {
            caption: 'RECIBÍ',
            name: data.borrower.name,
            roles: ['Nombre y firma de «EL ACREDITADO»', draft ? 'Fecha de recepción: ______________________' : `Fecha de recepción: ${formatLongDate(data.date)}`],
          },
          { caption: 'ENTREGÓ', name: mediator?.name ?? null, roles: ['Nombre y firma de «EL MEDIADOR»'] },
        ],
      ],
    },
  );
  return blocks;
}

/** The borrower's acuse de recibo of his original of the convenio (act. 20, CNV-1). */
export async function renderAcknowledgementPdf(data: ConvenioDocumentData): Promise<Buffer> {
  checkSignatories(data);
  return renderBlocks(
    data,
    data.kind === 'draft' ? 'Acuse de recibo (preliminar)' : 'Acuse de recibo',
    `Acuse de recibo del ${CONVENIO_TYPE_TITLES[data.convenioType]}, crédito ${data.credit.number}`,
    acknowledgementBlocks(data),
  );
}
