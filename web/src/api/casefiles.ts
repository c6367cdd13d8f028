/**
 * The case file and the national archive over HTTP (SPEC §6 EXP-1..4, §4 acts. 28–31 and 35–36,
 * §5 DL-13..DL-16, §7 REP-3 and REP-4): the types of src/modules/casefiles/casefiles.schemas.ts
 * as the browser reads them, and one function per route.
 */
import { apiRequest } from './client';
import type { CaseBreach, CaseDocument, CaseDueDate, ConvenioType, DocumentType, Month, SolutionId } from './types';

// --- the case file ----------------------------------------------------------------------------

/** The work lists of GET /api/case-files?queue=. */
export type CaseFileQueue = 'to_build' | 'to_review' | 'corrections' | 'fees' | 'to_digitise' | 'to_ship' | 'shipped' | 'archived' | 'all';

/** 'building' until the mediator's first submission (act. 28): the file has no row yet. */
export type CaseFileStatus = 'building' | 'submitted' | 'corrections_requested' | 'accepted' | 'digitised' | 'shipped' | 'archived';

/** EXP-1 when a convenio was signed, EXP-2 when not. */
export type CaseFileOutcome = 'signed' | 'not_signed';

export type CaseFileAction = 'submit' | 'request_corrections' | 'accept' | 'record_certificates' | 'validate_fees' | 'mark_digitised';

export interface CaseFileDelegation {
  id: number;
  code: string;
  name: string;
}

export interface CaseFileListItem {
  caseId: number;
  caseFileId: number | null;
  /** null while the file is being built (no row yet). */
  version: number | null;
  creditNumber: string;
  borrowerName: string;
  delegation: CaseFileDelegation;
  agencyName: string;
  mediatorName: string | null;
  outcome: CaseFileOutcome;
  outcomeLabel: string;
  convenioType: ConvenioType;
  convenioTypeLabel: string;
  status: CaseFileStatus;
  statusLabel: string;
  /** Required checklist items without a current document (EXP-1, EXP-2). */
  missingCount: number;
  /** The next pending due date of the file (DL-13..DL-15), if any. */
  nextDue: { rule: string; dueOn: string } | null;
  breachedRules: string[];
  shipmentId: number | null;
  archivedOn: string | null;
}

export interface CaseFilePage {
  items: CaseFileListItem[];
  total: number;
}

export interface CaseFileSearch {
  queue: CaseFileQueue;
  delegationId?: number | undefined;
  /** 1-based. */
  page: number;
  pageSize: number;
}

/** The current version of a document that counts for a checklist item (EXP-3). */
export interface CaseFileChecklistDocument {
  id: number;
  documentType: DocumentType;
  documentTypeLabel: string;
  version: number;
  fileName: string;
  uploadedOn: string;
}

/** One item of EXP-1 or EXP-2 ('EXP-1.i' …) and the current documents that satisfy it. */
export interface CaseFileChecklistItem {
  id: string;
  label: string;
  /** The document types that make up the item (all of them when required). */
  documentTypes: DocumentType[];
  required: boolean;
  satisfied: boolean;
  documents: CaseFileChecklistDocument[];
}

export interface CaseFileChecklist {
  rule: 'EXP-1' | 'EXP-2';
  items: CaseFileChecklistItem[];
  /** The required items not satisfied. */
  missing: { id: string; label: string }[];
  complete: boolean;
}

export interface CaseFileEvent {
  version: number;
  /** A CaseFileAction, or 'ship' and 'acknowledge_receipt'. */
  action: string;
  label: string;
  activity: string;
  fromStatus: CaseFileStatus | null;
  toStatus: CaseFileStatus;
  onDate: string;
  actorRole: string;
  actorRoleLabel: string;
  actorName: string | null;
  note: string | null;
  /** ISO instant. */
  recordedAt: string;
}

export interface CaseFileActionOption {
  action: CaseFileAction;
  label: string;
  activity: string;
}

export interface CaseFileShipmentRef {
  id: number;
  folio: string;
  courier: string;
  trackingNumber: string;
  shippedOn: string;
}

/** The case behind the file. */
export interface CaseFileCase {
  creditNumber: string;
  borrowerName: string;
  round: number;
  state: string;
  stateLabel: string;
  sessionHeldOn: string | null;
  delegation: CaseFileDelegation;
  agencyName: string;
  mediatorName: string | null;
  /** The signed convenio (EXP-1), if any. */
  convenio: {
    id: number;
    folio: string;
    convenioType: ConvenioType;
    convenioTypeLabel: string;
    solutionId: SolutionId;
    solutionName: string;
    status: string;
    signedOn: string;
  } | null;
}

/** The dates of the file's way (acts. 28–31, 35; EXP-4). */
export interface CaseFileDates {
  submittedOn: string | null;
  reviewRounds: number;
  correctionsRequestedOn: string | null;
  acceptedOn: string | null;
  certificatesReceivedOn: string | null;
  feeValidatedOn: string | null;
  serviceConcludedOn: string | null;
  digitisedOn: string | null;
  archivedOn: string | null;
}

/** A due date of the file (DL-13..DL-15) with how it was computed. */
export interface CaseFileDueDate extends CaseDueDate {
  statusLabel: string;
}

/** GET /api/cases/:id/case-file, and the reply of every action. */
export interface CaseFileDetail {
  caseId: number;
  caseFileId: number | null;
  /** null before the first submission; sent back with every later action (stale → 409). */
  version: number | null;
  case: CaseFileCase;
  outcome: CaseFileOutcome;
  outcomeLabel: string;
  convenioType: ConvenioType;
  convenioTypeLabel: string;
  status: CaseFileStatus;
  statusLabel: string;
  feeValidationRequired: boolean;
  dates: CaseFileDates;
  deadlinePolicyVersion: number | null;
  checklist: CaseFileChecklist;
  documents: CaseDocument[];
  dueDates: CaseFileDueDate[];
  breaches: CaseBreach[];
  events: CaseFileEvent[];
  availableActions: CaseFileActionOption[];
  shipment: CaseFileShipmentRef | null;
}

export interface CaseFileActionRequest {
  action: CaseFileAction;
  version?: number;
  note?: string;
  receivedOn?: string;
}

export function listCaseFiles(search: CaseFileSearch, signal?: AbortSignal): Promise<CaseFilePage> {
  const params = new URLSearchParams({ queue: search.queue, page: String(search.page), pageSize: String(search.pageSize) });
  if (search.delegationId !== undefined) params.set('delegationId', String(search.delegationId));
  return apiRequest<CaseFilePage>('GET', `/api/case-files?${params.toString()}`, { signal });
}

export function getCaseFile(caseId: number, signal?: AbortSignal): Promise<CaseFileDetail> {
  return apiRequest<CaseFileDetail>('GET', `/api/cases/${encodeURIComponent(String(caseId))}/case-file`, { signal });
}

/** One step of acts. 28–31 and 35 on the version the user saw; the reply is the file after it. */
export function applyCaseFileAction(caseId: number, request: CaseFileActionRequest, idempotencyKey: string): Promise<CaseFileDetail> {
  return apiRequest<CaseFileDetail>('POST', `/api/cases/${encodeURIComponent(String(caseId))}/case-file/actions`, { body: request, idempotencyKey });
}

// --- archive shipments (act. 35, EXP-4, REP-3) ---------------------------------------------------

export interface ArchiveShipmentListItem {
  id: number;
  folio: string;
  delegation: CaseFileDelegation;
  courier: string;
  trackingNumber: string;
  shippedOn: string;
  filesCount: number;
  /** Files the archive acknowledged (EXP-4). */
  receivedCount: number;
  /** The DR manager who prepared it. */
  createdBy: string;
  /** ISO instant. */
  createdAt: string;
}

export interface ArchiveShipmentFile {
  caseFileId: number;
  caseId: number;
  creditNumber: string;
  borrowerName: string;
  outcome: CaseFileOutcome;
  outcomeLabel: string;
  convenioType: ConvenioType;
  convenioTypeLabel: string;
  status: CaseFileStatus;
  statusLabel: string;
  archivedOn: string | null;
  documents: { id: number; documentType: DocumentType; documentTypeLabel: string; version: number }[];
}

export interface ArchiveShipmentDetail extends ArchiveShipmentListItem {
  files: ArchiveShipmentFile[];
}

export interface NewArchiveShipment {
  courier: string;
  trackingNumber: string;
  shippedOn: string;
  caseFileIds: number[];
}

export function listArchiveShipments(delegationId: number | undefined, signal?: AbortSignal): Promise<ArchiveShipmentListItem[]> {
  const query = delegationId === undefined ? '' : `?${new URLSearchParams({ delegationId: String(delegationId) }).toString()}`;
  return apiRequest<ArchiveShipmentListItem[]>('GET', `/api/archive/shipments${query}`, { signal });
}

export function getArchiveShipment(id: number, signal?: AbortSignal): Promise<ArchiveShipmentDetail> {
  return apiRequest<ArchiveShipmentDetail>('GET', `/api/archive/shipments/${encodeURIComponent(String(id))}`, { signal });
}

export function createArchiveShipment(shipment: NewArchiveShipment, idempotencyKey: string): Promise<ArchiveShipmentDetail> {
  return apiRequest<ArchiveShipmentDetail>('POST', '/api/archive/shipments', { body: shipment, idempotencyKey });
}

/** The archive acknowledges receipt of files of the shipment (EXP-4); again on an archived file is a no-op. */
export function acknowledgeArchiveReceipt(shipmentId: number, caseFileIds: number[], idempotencyKey: string): Promise<ArchiveShipmentDetail> {
  return apiRequest<ArchiveShipmentDetail>('POST', `/api/archive/shipments/${encodeURIComponent(String(shipmentId))}/receipts`, {
    body: { caseFileIds },
    idempotencyKey,
  });
}

/** The shipment list (REP-3, XLSX). */
export function archiveShipmentListUrl(id: number): string {
  return `/api/archive/shipments/${encodeURIComponent(String(id))}/list.xlsx`;
}

// --- archive-progress report (act. 36, REP-4, DL-16) ------------------------------------------------

/** casefiles.rules ARCHIVE_PROGRESS_LABELS: the figures of REP-4. */
export type ArchiveProgressFigure =
  | 'shipmentsInMonth'
  | 'filesShippedInMonth'
  | 'filesReceivedInMonth'
  | 'filesPendingAtMonthEnd'
  | 'conveniosSignedInMonth'
  | 'conveniosSignedToDate'
  | 'conveniosArchivedInMonth'
  | 'conveniosArchivedToDate';

export interface ArchiveProgress {
  delegation: CaseFileDelegation;
  month: Month;
  /** "octubre de 2026". */
  monthLabel: string;
  figures: Record<ArchiveProgressFigure, number>;
  figureLabels: Record<ArchiveProgressFigure, string>;
  /** The DR manager may send it now (the month ended, not sent yet). */
  canSend: boolean;
  /** The report as sent, with its figures then. */
  report: { id: number; sentOn: string; sentBy: string; contents: Record<ArchiveProgressFigure, number> } | null;
  dl16: CaseFileDueDate;
  breach: CaseBreach | null;
}

export interface ArchiveProgressSearch {
  month: Month;
  delegationId?: number | undefined;
}

function progressQuery(search: ArchiveProgressSearch): string {
  const params = new URLSearchParams({ month: search.month });
  if (search.delegationId !== undefined) params.set('delegationId', String(search.delegationId));
  return params.toString();
}

export function getArchiveProgress(search: ArchiveProgressSearch, signal?: AbortSignal): Promise<ArchiveProgress> {
  return apiRequest<ArchiveProgress>('GET', `/api/archive/progress?${progressQuery(search)}`, { signal });
}

export function archiveProgressXlsxUrl(search: ArchiveProgressSearch): string {
  return `/api/archive/progress.xlsx?${progressQuery(search)}`;
}

/** The regional manager sends the month's report to the archive (act. 36, DL-16). */
export function sendArchiveProgressReport(search: ArchiveProgressSearch, idempotencyKey: string): Promise<ArchiveProgress> {
  return apiRequest<ArchiveProgress>('POST', '/api/archive/progress-reports', { body: search, idempotencyKey });
}
