/**
 * The case file and the national archive in Spanish (SPEC §6 EXP-1..4, §4 acts. 28–31 and 35–36):
 * who opens which page, the work lists of each role and the statuses. The server sends the status,
 * outcome, type and action labels with every file; the copies here name the states of the history
 * and the work lists. Keep them in step with src/modules/casefiles/ — casefile-labels-sync.test.ts
 * checks that they are equal.
 */
import type { CaseFileChecklistItem, CaseFileOutcome, CaseFileQueue, CaseFileStatus } from './api/casefiles';
import type { CaseDocument, DocumentType, Role } from './api/types';
import { currentDocument } from './convenio-labels';
import { formatInteger } from './format';

// --- who ---------------------------------------------------------------------------------------

/** Who has «Expedientes» in the menu (GET /api/case-files; the server scopes each row, SEC-2). */
export const CASE_FILE_LIST_ROLES: readonly Role[] = ['regional_manager', 'mediator', 'archive', 'mediation_office', 'operations', 'auditor'];
/** Who opens a case file (casefiles.routes CASE_FILE_READ_ROLES: the agency reads its cases' files, never acts). */
export const CASE_FILE_READ_ROLES: readonly Role[] = [...CASE_FILE_LIST_ROLES, 'agency'];
/** Who has «Archivo» in the menu: shipments (act. 35, EXP-4) and the progress report (act. 36, REP-4). */
export const ARCHIVE_ROLES: readonly Role[] = ['regional_manager', 'archive', 'mediation_office', 'auditor'];
/** Who builds a shipment and sends the progress report (act. 35–36): the DR manager of the delegación. */
export const SHIPMENT_ROLES: readonly Role[] = ['regional_manager'];
/** Who acknowledges the receipt of shipped files (EXP-4). */
export const RECEIPT_ROLES: readonly Role[] = ['archive'];
/** Who uploads the documents of a case file (the mediator builds it, act. 28; the DR completes it). */
export const CASE_FILE_UPLOAD_ROLES: readonly Role[] = ['mediator', 'regional_manager'];

// --- statuses ------------------------------------------------------------------------------

/** casefiles.rules CASE_FILE_STATUS_LABELS (the server's statusLabel also says what an accepted file waits for). */
export const CASE_FILE_STATUS_LABELS: Record<CaseFileStatus, string> = {
  building: 'En integración por el mediador (act. 28)',
  submitted: 'Entregado a la DR: en revisión (act. 29)',
  corrections_requested: 'Correcciones solicitadas al mediador (act. 30)',
  accepted: 'Completo y correcto (act. 29)',
  digitised: 'Digitalizado: listo para envío al ANEC (act. 35)',
  shipped: 'Enviado al ANEC (act. 35)',
  archived: 'Recibido por el ANEC (EXP-4)',
};

/** The checklist that applies: EXP-1 with a signed convenio, EXP-2 without. */
export function checklistRuleOf(outcome: CaseFileOutcome): 'EXP-1' | 'EXP-2' {
  return outcome === 'signed' ? 'EXP-1' : 'EXP-2';
}

/** casefiles.rules MIN_NOTE: a request for corrections, or an answer without a new document, says this much (act. 30). */
export const MIN_NOTE_LENGTH = 10;

/** The colour family of a status chip (the convenio chip's tones); the text always says the status. */
export function caseFileStatusTone(status: CaseFileStatus): 'pending' | 'open' | 'done' | 'broken' {
  if (status === 'archived') return 'done';
  if (status === 'corrections_requested') return 'broken';
  if (status === 'building') return 'pending';
  return 'open';
}

/** A case shows the link to its file once it has an outcome with a session held (act. 28). */
export function hasCaseFile(state: string, sessionHeld: boolean): boolean {
  if (state === 'signed') return true;
  return sessionHeld && (state === 'refused_to_sign' || state === 'closed_no_agreement');
}

// --- work lists ------------------------------------------------------------------------------------

export interface CaseFileQueueOption {
  queue: CaseFileQueue;
  /** ?lista= in the address (Spanish). */
  param: string;
  label: string;
}

const QUEUE_OPTIONS: Record<CaseFileQueue, CaseFileQueueOption> = {
  to_build: { queue: 'to_build', param: 'por-integrar', label: 'Por integrar' },
  to_review: { queue: 'to_review', param: 'por-revisar', label: 'Por revisar' },
  corrections: { queue: 'corrections', param: 'correcciones', label: 'Correcciones solicitadas' },
  fees: { queue: 'fees', param: 'pago-de-derechos', label: 'Pago de derechos por validar' },
  to_digitise: { queue: 'to_digitise', param: 'por-digitalizar', label: 'Por digitalizar' },
  to_ship: { queue: 'to_ship', param: 'por-enviar', label: 'Listos para el ANEC' },
  shipped: { queue: 'shipped', param: 'enviados', label: 'Enviados al ANEC' },
  archived: { queue: 'archived', param: 'archivados', label: 'Archivados' },
  all: { queue: 'all', param: 'todos', label: 'Todos' },
};
export const CASE_FILE_QUEUES = Object.keys(QUEUE_OPTIONS) as CaseFileQueue[];

/** The national roles (but the archive) filter by status instead of working from lists. */
export function caseFilesByStatus(role: Role): boolean {
  return role !== 'mediator' && role !== 'regional_manager' && role !== 'archive';
}

/**
 * The lists each role works from, the daily one first: the mediator builds and delivers the file
 * (act. 28) and answers corrections (act. 30); the DR manager reviews (acts. 29–31), digitises and
 * ships (act. 35); the archive receives (EXP-4).
 */
export function caseFileQueuesFor(role: Role): CaseFileQueueOption[] {
  const pick = (queues: CaseFileQueue[]) => queues.map((queue) => QUEUE_OPTIONS[queue]);
  if (role === 'mediator') return [QUEUE_OPTIONS.to_build, QUEUE_OPTIONS.corrections, { ...QUEUE_OPTIONS.to_review, label: 'En revisión de la DR' }, QUEUE_OPTIONS.all];
  if (role === 'regional_manager') return pick(['to_review', 'fees', 'to_digitise', 'to_ship', 'corrections', 'shipped', 'all']);
  if (role === 'archive') return [{ ...QUEUE_OPTIONS.shipped, label: 'Por recibir' }, QUEUE_OPTIONS.archived, QUEUE_OPTIONS.all];
  return pick(['all', 'to_build', 'to_review', 'corrections', 'fees', 'to_digitise', 'to_ship', 'shipped', 'archived']);
}

/** The list named in the address, or the role's first. */
export function caseFileQueueFromParam(role: Role, param: string | null): CaseFileQueueOption {
  const options = caseFileQueuesFor(role);
  return options.find((option) => option.param === param) ?? options[0]!;
}

/** "1 expediente", "3 expedientes". */
export function caseFileCount(count: number): string {
  return `${formatInteger(count)} ${count === 1 ? 'expediente' : 'expedientes'}`;
}

/** The month before 'YYYY-MM' (the REP-4 report is about the month that ended, DL-16). */
export function monthBefore(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new RangeError(`Not a month (YYYY-MM): ${month}`);
  const year = Number(match[1]);
  const index = Number(match[2]);
  return index === 1 ? `${year - 1}-12` : `${year}-${String(index - 1).padStart(2, '0')}`;
}

// --- the checklist (EXP-1, EXP-2) --------------------------------------------------------------------

/** The types a required, unsatisfied item still lacks (a current document of each, EXP-3). */
export function missingTypesOf(item: Pick<CaseFileChecklistItem, 'required' | 'satisfied' | 'documentTypes'>, documents: readonly CaseDocument[]): DocumentType[] {
  if (!item.required || item.satisfied) return [];
  return item.documentTypes.filter((type) => currentDocument(documents, type) === undefined);
}

/** Every type the checklist still lacks, in its order: what the upload form proposes first. */
export function missingDocumentTypes(checklist: { items: readonly Pick<CaseFileChecklistItem, 'required' | 'satisfied' | 'documentTypes'>[] }, documents: readonly CaseDocument[]): DocumentType[] {
  const types: DocumentType[] = [];
  for (const item of checklist.items) {
    for (const type of missingTypesOf(item, documents)) if (!types.includes(type)) types.push(type);
  }
  return types;
}
