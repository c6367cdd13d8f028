/**
 * The demo's scanned documents of a case file (EXP-1/EXP-2) that the platform does not produce
 * itself — the parties' IDs, the signed confidentiality agreement, the CJA certificate, the fee
 * receipt: a one-page PDF per document type saying what it stands for. Rendered once per type;
 * storage is content-addressed (EXP-3), so every case points to the same blob.
 */
import PDFDocument from 'pdfkit';
import type { DocumentType } from '../../db/schema.js';
import { DOCUMENT_TYPE_LABELS } from '../documents/documents.service.js';

const rendered = new Map<DocumentType, Promise<Buffer>>();

/** A fixed creation date: the same document type always renders to the same bytes. */
const ISSUED = new Date(Date.UTC(2026, 0, 1, 12, 0, 0));

function render(type: DocumentType): Promise<Buffer> {
  const label = DOCUMENT_TYPE_LABELS[type];
  const doc = new PDFDocument({ size: 'LETTER', margin: 72, lang: 'es-MX', info: { Title: label, Creator: 'cobranza-social (demostración)', CreationDate: ISSUED, ModDate: ISSUED } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(16).text(label, { align: 'center' });
  doc.moveDown();
  doc.fontSize(11).text('Copia digitalizada de demostración: en la operación real, aquí está la imagen del documento firmado o expedido.', { align: 'center' });
  doc.end();
  return finished;
}

/** The demo scan of a document type, with a file name of the case. */
export async function renderDemoScan(type: DocumentType, caseId: number): Promise<{ fileName: string; pdf: Buffer }> {
  let pdf = rendered.get(type);
  if (!pdf) {
    pdf = render(type);
    rendered.set(type, pdf);
  }
  return { fileName: `${type.replace(/_/g, '-')}-caso-${caseId}.pdf`, pdf: await pdf };
}
