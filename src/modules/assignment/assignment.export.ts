/**
 * The assignment file of PR "Entradas" (ASG-4): delegación, acreditado, crédito, despacho,
 * fecha de asignación — as CSV or XLSX, streamed page by page (never the whole month in memory).
 */
import ExcelJS from 'exceljs';
import { PassThrough, type Readable } from 'node:stream';
import type { Executor } from '../../db/index.js';
import { csvLine } from '../portfolio/csv.js';
import { CONVENIO_TYPE_LABELS } from './assignment.rules.js';
import { findAssignmentPage } from './assignment.repository.js';

export const ASSIGNMENT_FILE_HEADERS = ['Delegación', 'Acreditado', 'Crédito', 'Despacho', 'Fecha de asignación', 'Tipo de convenio'] as const;
const PAGE = 5_000;

async function* assignmentRows(db: Executor, input: { month: string; agencyId?: number }) {
  let after = '';
  for (;;) {
    const page = await findAssignmentPage(db, { ...input, after, limit: PAGE });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.credit_number;
  }
}

export function assignmentCsv(db: Executor, input: { month: string; agencyId?: number }): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      out.write('\uFEFF' + csvLine([...ASSIGNMENT_FILE_HEADERS]) + '\r\n');
      for await (const page of assignmentRows(db, input)) {
        const text = page
          .map((row) => csvLine([row.delegation, row.borrower_name, row.credit_number, row.agency, row.assigned_on, CONVENIO_TYPE_LABELS[row.convenio_type]]))
          .join('\r\n');
        if (!out.write(text + '\r\n')) await new Promise((resolve) => out.once('drain', resolve));
      }
      out.end();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}

export function assignmentXlsx(db: Executor, input: { month: string; agencyId?: number }): Readable {
  const out = new PassThrough();
  void (async () => {
    try {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
      workbook.creator = 'Cobranza Social';
      const sheet = workbook.addWorksheet(`Asignación ${input.month}`, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = [
        { header: 'Delegación', key: 'delegation', width: 36 },
        { header: 'Acreditado', key: 'borrower', width: 36 },
        { header: 'Crédito', key: 'credit', width: 14 },
        { header: 'Despacho', key: 'agency', width: 48 },
        { header: 'Fecha de asignación', key: 'assignedOn', width: 20, style: { numFmt: 'dd/mm/yyyy' } },
        { header: 'Tipo de convenio', key: 'convenioType', width: 36 },
      ];
      sheet.autoFilter = { from: 'A1', to: 'F1' };
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      for await (const page of assignmentRows(db, input)) {
        for (const row of page) {
          const [y, m, d] = row.assigned_on.split('-').map(Number) as [number, number, number];
          sheet
            .addRow({
              delegation: row.delegation,
              borrower: row.borrower_name,
              credit: row.credit_number,
              agency: row.agency,
              assignedOn: new Date(Date.UTC(y, m - 1, d)),
              convenioType: CONVENIO_TYPE_LABELS[row.convenio_type],
            })
            .commit();
        }
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}
