/**
 * The archive's spreadsheets, written streaming (ExcelJS WorkbookWriter) as people want them:
 * Spanish headers, a frozen header row, autofilter, column widths, dates as real Excel dates.
 * - REP-3 (EXP-4, act. 35): the shipment list — one row per file with its documents;
 * - REP-4 (act. 36): the monthly archive-progress report — the figures and the files behind them.
 */
import ExcelJS from 'exceljs';
import { PassThrough, type Readable } from 'node:stream';
import { formatDateEs, parseIsoDate, type IsoDate } from '../../clock.js';
import type { ArchiveProgress, ShipmentDetail } from './archive.service.js';
import { ARCHIVE_PROGRESS_LABELS, type ArchiveProgressFigures } from './casefiles.rules.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Column {
  header: string;
  key: string;
  width: number;
  kind?: 'date' | 'integer' | 'text';
}

interface Sheet {
  name: string;
  columns: readonly Column[];
  rows: Iterable<Record<string, string | number | IsoDate | null>>;
}

/** A calendar date as an Excel date (midnight UTC: Excel has no time zone). */
function excelDate(date: IsoDate): Date {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day));
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Writes the sheets, one row at a time, into a stream. */
function writeWorkbook(sheets: readonly Sheet[]): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
      workbook.creator = 'Cobranza Social';
      for (const spec of sheets) {
        const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
        sheet.columns = spec.columns.map((c) => ({
          header: c.header,
          key: c.key,
          width: c.width,
          ...(c.kind === 'date' ? { style: { numFmt: 'dd/mm/yyyy' } } : c.kind === 'integer' ? { style: { numFmt: '0' } } : {}),
        }));
        sheet.autoFilter = { from: 'A1', to: `${columnLetter(spec.columns.length - 1)}1` };
        sheet.getRow(1).font = { bold: true };
        sheet.getRow(1).commit();
        for (const row of spec.rows) {
          const values: Record<string, unknown> = {};
          for (const c of spec.columns) {
            const value = row[c.key];
            values[c.key] = c.kind === 'date' && typeof value === 'string' ? excelDate(value) : value;
          }
          sheet.addRow(values).commit();
        }
        sheet.commit();
      }
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}

export const SHIPMENT_LIST_COLUMNS = [
  { header: 'No. de crédito', key: 'creditNumber', width: 14 },
  { header: 'Acreditado(a)', key: 'borrowerName', width: 36 },
  { header: 'Gerente de Cobranza de la Delegación', key: 'manager', width: 34 },
  { header: 'Número de guía', key: 'trackingNumber', width: 22 },
  { header: 'Fecha de envío', key: 'shippedOn', width: 16, kind: 'date' },
  { header: 'Paquetería', key: 'courier', width: 20 },
  { header: 'Tipo de convenio', key: 'convenioType', width: 36 },
  { header: 'Resultado', key: 'outcome', width: 14 },
  { header: 'Documentos', key: 'documents', width: 90 },
  { header: 'Número de documentos', key: 'documentsCount', width: 12, kind: 'integer' },
] as const satisfies readonly Column[];

/** "Convenio firmado (digitalizado) v2; Acuse de recibo del convenio v1; …" */
export function documentsCell(documents: ShipmentDetail['files'][number]['documents']): string {
  return documents.map((d) => `${d.documentTypeLabel} v${d.version}`).join('; ');
}

/** REP-3: the shipment list of EXP-4 (credit, borrower, DR manager, guía, date, documents). */
export function shipmentListXlsx(shipment: ShipmentDetail): { fileName: string; stream: Readable } {
  const rows = shipment.files.map((f) => ({
    creditNumber: f.creditNumber,
    borrowerName: f.borrowerName,
    manager: shipment.createdBy,
    trackingNumber: shipment.trackingNumber,
    shippedOn: shipment.shippedOn,
    courier: shipment.courier,
    convenioType: f.convenioTypeLabel,
    outcome: f.outcomeLabel,
    documents: documentsCell(f.documents),
    documentsCount: f.documents.length,
  }));
  return { fileName: `envio-anec-${shipment.folio}.xlsx`, stream: writeWorkbook([{ name: `Envío ${shipment.folio}`.slice(0, 31), columns: SHIPMENT_LIST_COLUMNS, rows }]) };
}

export const PROGRESS_FILE_COLUMNS = [
  { header: 'No. de crédito', key: 'creditNumber', width: 14 },
  { header: 'Acreditado(a)', key: 'borrowerName', width: 36 },
  { header: 'Resultado', key: 'outcomeLabel', width: 14 },
  { header: 'Tipo de convenio', key: 'convenioTypeLabel', width: 36 },
  { header: 'Folio del envío', key: 'folio', width: 24 },
  { header: 'Paquetería', key: 'courier', width: 20 },
  { header: 'Número de guía', key: 'trackingNumber', width: 22 },
  { header: 'Fecha de envío', key: 'shippedOn', width: 16, kind: 'date' },
  { header: 'Fecha de recepción en el ANEC', key: 'archivedOn', width: 18, kind: 'date' },
  { header: 'Situación al cierre del mes', key: 'situation', width: 30 },
] as const satisfies readonly Column[];

/** REP-4: the summary (figures, report sent, DL-16) and the files behind it. */
export function archiveProgressXlsx(
  progress: ArchiveProgress,
  files: ReadonlyArray<Record<(typeof PROGRESS_FILE_COLUMNS)[number]['key'], string | null>>,
): { fileName: string; stream: Readable } {
  const summary: Array<Record<string, string | number | null>> = [
    { concept: 'Delegación', value: `${progress.delegation.name} (${progress.delegation.code})` },
    { concept: 'Mes', value: progress.monthLabel },
    ...(Object.keys(ARCHIVE_PROGRESS_LABELS) as Array<keyof ArchiveProgressFigures>).map((key) => ({ concept: ARCHIVE_PROGRESS_LABELS[key], value: progress.figures[key] })),
    { concept: 'Reporte enviado al ANEC', value: progress.report ? `Sí, el ${formatDateEs(progress.report.sentOn)}` : 'No' },
    { concept: 'Fecha límite de envío (DL-16)', value: formatDateEs(progress.dl16.dueOn) },
    { concept: 'Situación del plazo (DL-16)', value: progress.dl16.statusLabel },
  ];
  return {
    fileName: `avance-anec-${progress.delegation.code.toLowerCase()}-${progress.month}.xlsx`,
    stream: writeWorkbook([
      { name: 'Resumen', columns: [{ header: 'Concepto', key: 'concept', width: 60 }, { header: 'Valor', key: 'value', width: 30 }], rows: summary },
      { name: 'Expedientes', columns: PROGRESS_FILE_COLUMNS, rows: files },
    ]),
  };
}
