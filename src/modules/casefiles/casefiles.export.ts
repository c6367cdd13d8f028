/**
 * The archive's spreadsheets, written streaming (reports/xlsx-writer.ts) as people want them:
 * Spanish headers, a bold frozen header row, autofilter, column widths, dates as real Excel dates.
 * - REP-3 (EXP-4, act. 35): the shipment list — one row per file with its documents;
 * - REP-4 (act. 36): the monthly archive-progress report — the figures and the files behind them.
 */
import type { Readable } from 'node:stream';
import { formatDateEs } from '../../clock.js';
import { addTableSheet, KIND_STYLES, reportCellValue, xlsxStream, type ReportColumn, type ReportValue } from '../reports/report-xlsx.js';
import type { XlsxWriter } from '../reports/xlsx-writer.js';
import type { ArchiveProgress, ShipmentDetail } from './archive.service.js';
import { ARCHIVE_PROGRESS_LABELS, type ArchiveProgressFigures } from './casefiles.rules.js';

/** A column of a file list: a report column (header, width, kind of its cells) and the row field it shows. */
interface FileListColumn<Key extends string = string> extends ReportColumn {
  key: Key;
}

/** A sheet of one row per file: each cell converted and formatted by its column's kind. */
async function writeFileListSheet<Key extends string>(
  workbook: XlsxWriter,
  name: string,
  columns: ReadonlyArray<FileListColumn<Key>>,
  rows: Iterable<Record<Key, ReportValue>>,
): Promise<void> {
  const sheet = addTableSheet(workbook, name, columns);
  const styles = columns.map((column) => workbook.style(KIND_STYLES[column.kind]));
  for (const row of rows) {
    if (!sheet.addRow(columns.map((column) => reportCellValue(column.kind, row[column.key])), styles)) await sheet.drained();
  }
  await sheet.end();
}

export const SHIPMENT_LIST_COLUMNS = [
  { header: 'No. de crédito', key: 'creditNumber', width: 14, kind: 'text' },
  { header: 'Acreditado(a)', key: 'borrowerName', width: 36, kind: 'text' },
  { header: 'Gerente de Cobranza de la Delegación', key: 'manager', width: 34, kind: 'text' },
  { header: 'Número de guía', key: 'trackingNumber', width: 22, kind: 'text' },
  { header: 'Fecha de envío', key: 'shippedOn', width: 16, kind: 'date' },
  { header: 'Paquetería', key: 'courier', width: 20, kind: 'text' },
  { header: 'Tipo de convenio', key: 'convenioType', width: 36, kind: 'text' },
  { header: 'Resultado', key: 'outcome', width: 14, kind: 'text' },
  { header: 'Documentos', key: 'documents', width: 90, kind: 'text' },
  { header: 'Número de documentos', key: 'documentsCount', width: 12, kind: 'count' },
] as const satisfies readonly FileListColumn[];

/** "Convenio firmado (digitalizado) v2; Acuse de recibo del convenio v1; …" */
export function documentsCell(documents: ShipmentDetail['files'][number]['documents']): string {
  return documents.map((d) => `${d.documentTypeLabel} v${d.version}`).join('; ');
}

/** REP-3: the shipment list of EXP-4 (credit, borrower, DR manager, guía, date, documents); `now` is when it is generated. */
export function shipmentListXlsx(shipment: ShipmentDetail, now: Date): { fileName: string; stream: Readable } {
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
  return {
    fileName: `envio-anec-${shipment.folio}.xlsx`,
    stream: xlsxStream(now, (workbook) => writeFileListSheet(workbook, `Envío ${shipment.folio}`.slice(0, 31), SHIPMENT_LIST_COLUMNS, rows)),
  };
}

export const PROGRESS_FILE_COLUMNS = [
  { header: 'No. de crédito', key: 'creditNumber', width: 14, kind: 'text' },
  { header: 'Acreditado(a)', key: 'borrowerName', width: 36, kind: 'text' },
  { header: 'Resultado', key: 'outcomeLabel', width: 14, kind: 'text' },
  { header: 'Tipo de convenio', key: 'convenioTypeLabel', width: 36, kind: 'text' },
  { header: 'Folio del envío', key: 'folio', width: 24, kind: 'text' },
  { header: 'Paquetería', key: 'courier', width: 20, kind: 'text' },
  { header: 'Número de guía', key: 'trackingNumber', width: 22, kind: 'text' },
  { header: 'Fecha de envío', key: 'shippedOn', width: 16, kind: 'date' },
  { header: 'Fecha de recepción en el ANEC', key: 'archivedOn', width: 18, kind: 'date' },
  { header: 'Situación al cierre del mes', key: 'situation', width: 30, kind: 'text' },
] as const satisfies readonly FileListColumn[];

/** REP-4: the summary (figures, report sent, DL-16) and the files behind it; `now` is when it is generated. */
export function archiveProgressXlsx(
  progress: ArchiveProgress,
  files: ReadonlyArray<Record<(typeof PROGRESS_FILE_COLUMNS)[number]['key'], string | null>>,
  now: Date,
): { fileName: string; stream: Readable } {
  // a figure is a number in a General cell, as the screen shows it; the rest is text
  const summary: Array<[string, string | number]> = [
    ['Delegación', `${progress.delegation.name} (${progress.delegation.code})`],
    ['Mes', progress.monthLabel],
    ...(Object.keys(ARCHIVE_PROGRESS_LABELS) as Array<keyof ArchiveProgressFigures>).map((key): [string, number] => [ARCHIVE_PROGRESS_LABELS[key], progress.figures[key]]),
    ['Reporte enviado al ANEC', progress.report ? `Sí, el ${formatDateEs(progress.report.sentOn)}` : 'No'],
    ['Fecha límite de envío (DL-16)', formatDateEs(progress.dl16.dueOn)],
    ['Situación del plazo (DL-16)', progress.dl16.statusLabel],
  ];
  return {
    fileName: `avance-anec-${progress.delegation.code.toLowerCase()}-${progress.month}.xlsx`,
    stream: xlsxStream(now, async (workbook) => {
      const sheet = addTableSheet(workbook, 'Resumen', [
        { header: 'Concepto', width: 60 },
        { header: 'Valor', width: 30 },
      ]);
      for (const line of summary) sheet.addRow(line);
      await sheet.end();
      await writeFileListSheet(workbook, 'Expedientes', PROGRESS_FILE_COLUMNS, files);
    }),
  };
}
