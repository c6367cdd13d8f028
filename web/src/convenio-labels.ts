/**
 * The signed convenio in Spanish (SPEC §6 CNV-1..6, §4 acts. 20–27, §8, §9): who opens which page,
 * the work lists of each role, the statuses and actions, the document types of the case file
 * (EXP-1, EXP-3) and the reconciliation checks. The server sends the status and action labels with
 * every convenio; the copies here are for the lists, the filters and the forms. Keep them in step
 * with src/modules/convenios/convenios.rules.ts, src/modules/convenios/convenios.service.ts,
 * src/modules/documents/documents.service.ts and src/modules/payments/payments.csv-format.ts —
 * convenio-labels-sync.test.ts checks that they are equal.
 */
import type {
  CaseDocument,
  ConvenioAction,
  ConvenioQueue,
  ConvenioStatus,
  DocumentMediaType,
  DocumentType,
  PaymentChannel,
  ReconciliationCheck,
  Role,
} from './api/types';
import { formatInteger } from './format';

// --- who ---------------------------------------------------------------------------------------

/** Who has the convenio lists in the menu (GET /api/convenios; the server scopes each row, SEC-2). */
export const CONVENIO_LIST_ROLES: readonly Role[] = ['mediator', 'regional_manager', 'agency', 'mediation_office', 'operations', 'auditor'];
/** Who opens a convenio page (the representative the convenios he signed; the admin all). */
export const CONVENIO_READ_ROLES: readonly Role[] = [...CONVENIO_LIST_ROLES, 'representative', 'admin'];
/** GET /api/convenios/reconciliation. */
export const RECONCILIATION_ROLES: readonly Role[] = ['regional_manager', 'mediation_office', 'operations', 'auditor'];
/** Who uploads documents of a case (documents.service UPLOAD_ROLES: acts. 22, 27, 28). */
export const DOCUMENT_UPLOAD_ROLES: readonly Role[] = ['mediator', 'regional_manager', 'agency'];
/** Who downloads the preliminary convenios of a case (acts. 12–13). */
export const DRAFT_CONVENIO_ROLES: readonly Role[] = ['mediator', 'regional_manager', 'mediation_office'];

// --- statuses and actions ------------------------------------------------------------------------

/** convenios.rules CONVENIO_STATUS_LABELS. */
export const CONVENIO_STATUS_LABELS: Record<ConvenioStatus, string> = {
  signed: 'Firmado: por enviar a la DR (act. 22)',
  under_review: 'En revisión de la DR (act. 23)',
  corrections_requested: 'Correcciones solicitadas al mediador (act. 24)',
  approved: 'Aprobado: en espera del primer pago (act. 25–26)',
  in_force: 'Vigente: primer pago recibido (CNV-5)',
  broken: 'Incumplido (CNV-5)',
};
export const CONVENIO_STATUSES = Object.keys(CONVENIO_STATUS_LABELS) as ConvenioStatus[];

/** convenios.rules CONVENIO_ACTION_LABELS. */
export const CONVENIO_ACTION_LABELS: Record<ConvenioAction, string> = {
  submit_documents: 'Enviar a la DR el convenio firmado digitalizado y la identificación',
  request_corrections: 'Solicitar correcciones o aclaraciones al mediador',
  approve: 'Aprobar la solución y aplicar la reestructura',
  record_cja_registration: 'Registrar el convenio ante el Centro de Justicia Alternativa',
};

/** The activity of each action (convenios.rules CONVENIO_TRANSITIONS). */
export const CONVENIO_ACTION_ACTIVITIES: Record<ConvenioAction, string> = {
  submit_documents: 'act. 22, act. 24',
  request_corrections: 'act. 24',
  approve: 'act. 25',
  record_cja_registration: 'act. 27',
};

/** The colour family of a status chip; the text always says the status. */
export function convenioStatusTone(status: ConvenioStatus): 'pending' | 'open' | 'done' | 'broken' {
  if (status === 'broken') return 'broken';
  if (status === 'in_force') return 'done';
  if (status === 'signed' || status === 'corrections_requested') return 'pending';
  return 'open';
}

// --- documents (EXP-1, EXP-3) ----------------------------------------------------------------------

/** documents.service DOCUMENT_TYPE_LABELS, in the server's order. */
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
export const DOCUMENT_TYPES = Object.keys(DOCUMENT_TYPE_LABELS) as DocumentType[];

/** Act. 22: what goes to the DR (convenios.rules REVIEW_DOCUMENT_TYPES). */
export const REVIEW_DOCUMENT_TYPES: readonly DocumentType[] = ['signed_convenio', 'borrower_id'];

/** documents.service MEDIA_TYPES. */
export const DOCUMENT_MEDIA_TYPES: readonly DocumentMediaType[] = ['application/pdf', 'image/jpeg', 'image/png'];

/** documents.service MAX_DOCUMENT_BYTES: 15 MB. */
export const MAX_DOCUMENT_BYTES = 15 * 1024 * 1024;

const EXTENSION_MEDIA_TYPES: Record<string, DocumentMediaType> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/**
 * The media type a chosen file is sent with: the browser's, or from the extension when the
 * browser gives none; undefined for any other kind of file.
 */
export function documentMediaTypeOf(file: { name: string; type: string }): DocumentMediaType | undefined {
  const declared = file.type.toLowerCase();
  if ((DOCUMENT_MEDIA_TYPES as readonly string[]).includes(declared)) return declared as DocumentMediaType;
  if (declared !== '' && declared !== 'application/octet-stream') return undefined;
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : EXTENSION_MEDIA_TYPES[extension];
}

/** What is wrong with a file before it is sent, in Spanish; null when it can be sent. */
export function documentFileProblem(file: { name: string; type: string; size: number }): string | null {
  if (documentMediaTypeOf(file) === undefined) return 'Sólo se aceptan archivos PDF, JPEG o PNG.';
  if (file.size === 0) return 'El archivo está vacío (0 bytes): vuelva a digitalizar el documento.';
  if (file.size > MAX_DOCUMENT_BYTES) return `El archivo excede el máximo de ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`;
  if (file.name.trim().length > 200) return 'El nombre del archivo es demasiado largo (hasta 200 caracteres).';
  return null;
}

/** "820 bytes", "12.5 KB", "3.2 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${formatInteger(bytes)} bytes`;
  // tenths of the unit in integers: 12.5 KB is 125 tenths
  const tenths = (unit: number) => {
    const n = Math.round((bytes * 10) / unit);
    return `${Math.floor(n / 10)}.${n % 10}`;
  };
  if (bytes < 1024 * 1024) return tenths(1024) + ' KB';
  return tenths(1024 * 1024) + ' MB';
}

/** The current version of a document type, if uploaded. */
export function currentDocument(documents: readonly CaseDocument[], type: DocumentType): CaseDocument | undefined {
  return documents.find((document) => document.documentType === type && document.current);
}

// --- reconciliation and payments -------------------------------------------------------------------

/** convenios.service RECONCILIATION_CHECKS. */
export const RECONCILIATION_CHECK_LABELS: Record<ReconciliationCheck, string> = {
  restructure_missing: 'La reestructura no está registrada para un convenio aprobado',
  restructure_terms: 'Los términos aplicados (reestructura) difieren de los firmados',
  credit_payment: 'La mensualidad del crédito difiere de la del convenio',
  credit_rate: 'La tasa del crédito difiere de la del convenio',
  credit_factor: 'El factor de pago del crédito difiere del del convenio',
  credit_denomination: 'El crédito no quedó en pesos',
  credit_balance: 'El saldo del crédito no corresponde al saldo del convenio menos los pagos recibidos',
  restructure_flag: 'La marca de reestructura activa no corresponde al estado del convenio',
  first_payment_unrecorded: 'Hay un primer pago completo en plazo que no se registró',
  first_payment_short: 'El primer pago registrado es menor al convenido o fuera de plazo',
};

/** payments.csv-format PAYMENT_CHANNEL_LABELS. */
export const PAYMENT_CHANNEL_LABELS: Record<PaymentChannel, string> = {
  window: 'Ventanilla',
  payroll: 'Descuento por nómina',
  transfer: 'Transferencia',
};

// --- work lists ------------------------------------------------------------------------------------

export interface ConvenioQueueOption {
  queue: ConvenioQueue;
  /** ?lista= in the address (Spanish). */
  param: string;
  label: string;
}

/** The lists by status, as the national roles filter them. */
const QUEUE_OPTIONS: Record<ConvenioQueue, ConvenioQueueOption> = {
  all: { queue: 'all', param: 'todos', label: 'Todos' },
  to_submit: { queue: 'to_submit', param: 'por-enviar', label: 'Por enviar a la DR' },
  to_review: { queue: 'to_review', param: 'por-revisar', label: 'Por revisar' },
  first_payment: { queue: 'first_payment', param: 'primer-pago', label: 'Primer pago' },
  in_force: { queue: 'in_force', param: 'vigentes', label: 'Vigentes' },
  broken: { queue: 'broken', param: 'incumplidos', label: 'Incumplidos' },
  cja_pending: { queue: 'cja_pending', param: 'registro-cja', label: 'Registro ante el CJA' },
};
export const CONVENIO_QUEUES = Object.keys(QUEUE_OPTIONS) as ConvenioQueue[];

/** The national roles see every convenio and filter by status instead of working from lists. */
export function filtersByStatus(role: Role): boolean {
  return role !== 'mediator' && role !== 'regional_manager' && role !== 'agency';
}

/**
 * The lists each role works from, the daily one first: the mediator sends the signed convenio
 * (act. 22) and registers it before the CJA (act. 27); the DR manager reviews (acts. 23–25) and
 * follows the first payment; the agency invites to the first payment (act. 26).
 */
export function convenioQueuesFor(role: Role): ConvenioQueueOption[] {
  const pick = (queues: ConvenioQueue[]) => queues.map((queue) => QUEUE_OPTIONS[queue]);
  if (role === 'mediator') return pick(['to_submit', 'cja_pending', 'all']);
  if (role === 'regional_manager') return pick(['to_review', 'first_payment', 'all']);
  if (role === 'agency') return [{ ...QUEUE_OPTIONS.first_payment, label: 'Invitar al primer pago' }, QUEUE_OPTIONS.all];
  return pick(['all', 'to_submit', 'to_review', 'first_payment', 'in_force', 'broken', 'cja_pending']);
}

/** The list named in the address, or the role's first. */
export function convenioQueueFromParam(role: Role, param: string | null): ConvenioQueueOption {
  const options = convenioQueuesFor(role);
  return options.find((option) => option.param === param) ?? options[0]!;
}

/** "1 convenio", "3 convenios". */
export function convenioCount(count: number): string {
  return `${formatInteger(count)} ${count === 1 ? 'convenio' : 'convenios'}`;
}

/** "Sin diferencias" or "1 diferencia", "3 diferencias". */
export function mismatchCount(count: number): string {
  if (count === 0) return 'Sin diferencias';
  return `${formatInteger(count)} ${count === 1 ? 'diferencia' : 'diferencias'}`;
}
