/**
 * Documents of a case (SPEC §6 EXP-3): uploaded files (PDF, JPEG, PNG) with type, sha256, uploader
 * and time, stored content-addressed. A new upload of a type is a new version that names the one
 * it replaces; nothing is overwritten or deleted. Reads are in scope (SEC-2) and logged (SEC-4).
 *
 * The content lives in `document_blobs` (one row per sha256) inside the same transaction as the
 * record that points to it, so an upload is all-or-nothing on both engines. `BlobStore` is the seam
 * an object store would implement.
 */
import { createHash } from 'node:crypto';
import { mexicoCityDate, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { DocumentMediaType, DocumentType } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, logPersonalDataRead, recordEvent } from '../audit/audit.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { caseInScope } from '../mediation/cases.repository.js';

export const DOCUMENT_TYPES = [
  'signed_convenio',
  'borrower_id',
  'acknowledgement',
  'party_ids',
  'cja_certificate',
  'fee_payment_proof',
  'confidentiality_agreement',
  'other',
] as const satisfies readonly DocumentType[];

export const DOCUMENT_TYPE_LABELS: Record<DocumentType, string> = {
  signed_convenio: 'Convenio firmado (digitalizado)',
  borrower_id: 'Identificación oficial del acreditado',
  acknowledgement: 'Acuse de recibo del convenio',
  party_ids: 'Identificaciones de las partes y del mediador',
  cja_certificate: 'Constancia de registro ante el CJA',
  fee_payment_proof: 'Comprobante de pago de derechos o honorarios',
  confidentiality_agreement: 'Acuerdo de confidencialidad y aceptación del servicio',
  other: 'Otro documento del proceso',
};

export const MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const satisfies readonly DocumentMediaType[];

/** 15 MB: a multi-page scan at 300 dpi fits; larger files are refused with a clear message. */
export const MAX_DOCUMENT_BYTES = 15 * 1024 * 1024;

/** Who may upload: the people who build the case file (act. 22, 27, 28) and the DR manager. */
const UPLOAD_ROLES = new Set(['mediator', 'regional_manager', 'agency']);

/** The first bytes each media type must start with: the declared type has to be the real one. */
function sniff(content: Uint8Array): DocumentMediaType | undefined {
  if (content.length >= 5 && Buffer.from(content.subarray(0, 5)).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.length >= 8 && Buffer.from(content.subarray(0, 8)).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

export interface BlobStore {
  put(trx: Executor, sha256: string, content: Uint8Array, now: Date): Promise<void>;
  get(db: Executor, sha256: string): Promise<Uint8Array | undefined>;
}

/** Blobs in PostgreSQL (bytea), written in the upload's transaction. */
export const databaseBlobStore: BlobStore = {
  async put(trx, sha256, content, now) {
    await trx
      .insertInto('document_blobs')
      .values({ sha256, size_bytes: content.length, content, stored_at: now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  },
  async get(db, sha256) {
    const row = await db.selectFrom('document_blobs').select('content').where('sha256', '=', sha256).executeTakeFirst();
    return row?.content;
  },
};

export interface UploadInput {
  caseId: number;
  documentType: DocumentType;
  fileName: string;
  mediaType: string;
  content: Uint8Array;
  now: Date;
}

export interface DocumentView {
  id: number;
  caseId: number;
  documentType: DocumentType;
  documentTypeLabel: string;
  version: number;
  replacesDocumentId: number | null;
  sha256: string;
  mediaType: DocumentMediaType;
  fileName: string;
  sizeBytes: number;
  uploadedBy: string;
  uploadedRole: string;
  uploadedAt: string;
  uploadedOn: IsoDate;
  current: boolean;
}

async function caseOfUser(db: Executor, user: AuthUser, caseId: number) {
  return db
    .selectFrom('mediation_cases as c')
    .select(['c.id', 'c.credit_number', 'c.state'])
    .where('c.id', '=', caseId)
    .where(caseInScope(user.scope))
    .executeTakeFirst();
}

/** EXP-3: stores one uploaded file as a new version of its type for the case. */
export async function uploadCaseDocument(trx: Executor, user: AuthUser, input: UploadInput): Promise<DocumentView> {
  if (!UPLOAD_ROLES.has(user.role)) {
    throw new AppError('FORBIDDEN', { userMessage: 'Cargan documentos del caso el mediador, la agencia o el Gerente de Cobranza de la DR (acts. 22, 27, 28).' });
  }
  const found = await caseOfUser(trx, user, input.caseId);
  if (!found) throw notFound('Caso');
  if (!(DOCUMENT_TYPES as readonly string[]).includes(input.documentType)) {
    throw new AppError('VALIDATION', { userMessage: 'Indique un tipo de documento válido.' });
  }
  const fileName = input.fileName.trim();
  if (fileName.length === 0 || fileName.length > 200 || /[\\/]/.test(fileName) || [...fileName].some((ch) => ch.charCodeAt(0) < 0x20)) {
    throw new AppError('VALIDATION', { userMessage: 'El nombre del archivo no es válido (hasta 200 caracteres, sin diagonales).' });
  }
  if (!(MEDIA_TYPES as readonly string[]).includes(input.mediaType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { userMessage: 'Sólo se aceptan archivos PDF, JPEG o PNG.' });
  }
  if (input.content.length === 0) {
    throw new AppError('INVALID_FILE', { userMessage: 'El archivo está vacío (0 bytes): vuelva a digitalizar el documento.' });
  }
  if (input.content.length > MAX_DOCUMENT_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', { userMessage: `El archivo excede el máximo de ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.` });
  }
  const actual = sniff(input.content);
  if (actual !== input.mediaType) {
    throw new AppError('INVALID_FILE', {
      userMessage: actual
        ? `El contenido del archivo es ${actual}, no ${input.mediaType}: revise el archivo.`
        : 'El contenido del archivo no es un PDF, JPEG o PNG válido.',
    });
  }
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  await databaseBlobStore.put(trx, sha256, input.content, input.now);
  const previous = await trx
    .selectFrom('case_documents')
    .select(['id', 'version', 'sha256'])
    .where('case_id', '=', input.caseId)
    .where('document_type', '=', input.documentType)
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  if (previous?.sha256 === sha256) {
    // the same file again (a retry after a lost answer, a double tap): not a new version
    return (await listCaseDocuments(trx, user, input.caseId)).find((v) => v.id === previous.id)!;
  }
  const inserted = await trx
    .insertInto('case_documents')
    .values({
      case_id: input.caseId,
      document_type: input.documentType,
      version: (previous?.version ?? 0) + 1,
      replaces_document_id: previous?.id ?? null,
      sha256,
      media_type: input.mediaType as DocumentMediaType,
      file_name: fileName,
      size_bytes: input.content.length,
      uploaded_by_user_id: user.id,
      uploaded_role: user.role,
      uploaded_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, actorOf(user), input.now, {
    action: previous ? 'document.replace' : 'document.upload',
    entityType: 'case_document',
    entityId: String(inserted.id),
    before: previous ? { documentId: previous.id, version: previous.version } : null,
    after: { caseId: input.caseId, documentType: input.documentType, version: (previous?.version ?? 0) + 1, sha256, sizeBytes: input.content.length },
  });
  const views = await listCaseDocuments(trx, user, input.caseId);
  return views.find((v) => v.id === inserted.id)!;
}

/** Every version of every document of a case in scope, newest first per type. */
export async function listCaseDocuments(db: Executor, user: AuthUser, caseId: number): Promise<DocumentView[]> {
  if (!(await caseOfUser(db, user, caseId))) throw notFound('Caso');
  return findCaseDocuments(db, [caseId]);
}

/** The documents of cases already checked to be in scope. */
export async function findCaseDocuments(db: Executor, caseIds: readonly number[]): Promise<DocumentView[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('case_documents as d')
    .innerJoin('users as u', 'u.id', 'd.uploaded_by_user_id')
    .select([
      'd.id',
      'd.case_id',
      'd.document_type',
      'd.version',
      'd.replaces_document_id',
      'd.sha256',
      'd.media_type',
      'd.file_name',
      'd.size_bytes',
      'd.uploaded_role',
      'd.uploaded_at',
      'u.full_name',
    ])
    .where('d.case_id', 'in', [...caseIds])
    .orderBy('d.document_type')
    .orderBy('d.version', 'desc')
    .execute();
  const latest = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.case_id}|${r.document_type}`;
    latest.set(key, Math.max(latest.get(key) ?? 0, r.version));
  }
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    documentType: r.document_type,
    documentTypeLabel: DOCUMENT_TYPE_LABELS[r.document_type],
    version: r.version,
    replacesDocumentId: r.replaces_document_id,
    sha256: r.sha256,
    mediaType: r.media_type,
    fileName: r.file_name,
    sizeBytes: r.size_bytes,
    uploadedBy: r.full_name,
    uploadedRole: r.uploaded_role,
    uploadedAt: r.uploaded_at.toISOString(),
    uploadedOn: mexicoCityDate(r.uploaded_at),
    current: latest.get(`${r.case_id}|${r.document_type}`) === r.version,
  }));
}

/** A document's content for download: in scope (404 otherwise), and the read is logged (SEC-4). */
export async function readCaseDocument(
  db: Executor,
  user: AuthUser,
  documentId: number,
  now: Date,
): Promise<{ fileName: string; mediaType: DocumentMediaType; content: Uint8Array }> {
  const row = await db
    .selectFrom('case_documents as d')
    .innerJoin('mediation_cases as c', 'c.id', 'd.case_id')
    .select(['d.id', 'd.sha256', 'd.file_name', 'd.media_type', 'd.case_id', 'c.credit_number'])
    .where('d.id', '=', documentId)
    .where(caseInScope(user.scope))
    .executeTakeFirst();
  if (!row) throw notFound('Documento');
  const content = await databaseBlobStore.get(db, row.sha256);
  if (!content) throw notFound('Contenido del documento');
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, [row.credit_number], `documento ${row.id} del caso ${row.case_id}`);
  return { fileName: row.file_name, mediaType: row.media_type, content };
}
