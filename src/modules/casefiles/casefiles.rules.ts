/**
 * The case file (expediente) of a mediation case and its way to the national archive (SPEC §6
 * EXP-1..4, §4 acts. 28–31 and 35–36, §5 DL-13..16), pure: the checklist of documents by outcome
 * and convenio type, the review loop with its roles and guards, what is ready to ship, and the
 * calendar of the monthly archive-progress report. The service loads the facts, asks these
 * functions, and stores the result with one event.
 *
 *   building ──act. 28 submit──▶ submitted ──act. 29 accept──▶ accepted ──act. 35 digitise──▶ digitised ──▶ shipped ──EXP-4──▶ archived
 *      (no row yet)                │   ▲                        (act. 31 fees,           (signed files only)   ▲
 *                    act. 30 request│   │act. 30 answer          RATIFIED/NOTARIAL)                            │
 *                                  ▼   │                          └── not signed: shippable once accepted ──────┘
 *                          corrections_requested
 */
import { addDays, formatDateEs, type IsoDate } from '../../clock.js';
import type { CaseFileOutcome, CaseFileStatus, ConvenioType, DocumentType, Role } from '../../db/schema.js';
import { evaluateDeadline, type DeadlinePolicy, type DueDate, type HolidayCalendar } from '../deadlines/deadlines.rules.js';

// ------------------------------------------------------------------------------------------------
// Statuses
// ------------------------------------------------------------------------------------------------

/** 'building': the case reached its outcome and the mediator has not delivered the file yet (no row). */
export type CaseFileViewStatus = CaseFileStatus | 'building';

export const CASE_FILE_STATUSES = ['building', 'submitted', 'corrections_requested', 'accepted', 'digitised', 'shipped', 'archived'] as const satisfies readonly CaseFileViewStatus[];

export const CASE_FILE_STATUS_LABELS: Record<CaseFileViewStatus, string> = {
  building: 'En integración por el mediador (act. 28)',
  submitted: 'Entregado a la DR: en revisión (act. 29)',
  corrections_requested: 'Correcciones solicitadas al mediador (act. 30)',
  accepted: 'Completo y correcto (act. 29)',
  digitised: 'Digitalizado: listo para envío al ANEC (act. 35)',
  shipped: 'Enviado al ANEC (act. 35)',
  archived: 'Recibido por el ANEC (EXP-4)',
};

export const CASE_FILE_OUTCOME_LABELS: Record<CaseFileOutcome, string> = {
  signed: 'Con convenio',
  not_signed: 'Sin convenio',
};

/** The status as users read it, with what an accepted file still waits for. */
export function caseFileStatusLabel(file: {
  status: CaseFileViewStatus;
  outcome: CaseFileOutcome;
  feeValidationRequired: boolean;
  feeValidatedOn: IsoDate | null;
  serviceConcludedOn: IsoDate | null;
}): string {
  if (file.status !== 'accepted') return CASE_FILE_STATUS_LABELS[file.status];
  if (file.feeValidationRequired && file.feeValidatedOn === null) return 'Completo y correcto: falta validar el pago de derechos u honorarios (act. 31)';
  if (file.outcome === 'signed') return 'Servicio concluido: por digitalizar (act. 35)';
  return 'Servicio concluido: listo para envío al ANEC (act. 35)';
}

// ------------------------------------------------------------------------------------------------
// The checklist (EXP-1, EXP-2)
// ------------------------------------------------------------------------------------------------

export interface ChecklistDocumentInput {
  id: number;
  documentType: DocumentType;
  documentTypeLabel: string;
  version: number;
  fileName: string;
  uploadedOn: IsoDate;
  current: boolean;
}

export interface ChecklistDocument {
  id: number;
  documentType: DocumentType;
  documentTypeLabel: string;
  version: number;
  fileName: string;
  uploadedOn: IsoDate;
}

export interface ChecklistItem {
  /** 'EXP-1.i' … 'EXP-2.iii' */
  id: string;
  label: string;
  /** The document types that make up the item (all of them when required). */
  documentTypes: DocumentType[];
  required: boolean;
  satisfied: boolean;
  /** The current version of each document of the item's types. */
  documents: ChecklistDocument[];
}

export interface Checklist {
  rule: 'EXP-1' | 'EXP-2';
  items: ChecklistItem[];
  /** The required items not satisfied. */
  missing: Array<{ id: string; label: string }>;
  complete: boolean;
}

interface ItemDefinition {
  id: string;
  label: string;
  documentTypes: DocumentType[];
  required: boolean;
}

/** Documents of the process that no numbered item names (act. 22's ID of the borrower, others). */
const OTHER_TYPES: DocumentType[] = ['borrower_id', 'other'];

/**
 * The items of the Guía act. 28 ("con, al menos, los siguientes documentos"), in its wording.
 * EXP-1 (iv) "en su caso": the CJA registration certificate and the proof of the fees paid for a
 * RATIFIED convenio; the proof of the notary's fees for a NOTARIAL one (act. 31: "pago de derechos
 * u honorarios al CJA o Notario Público"); nothing for an ADMINISTRATIVE one, which is not
 * registered (ASG-3), so the item is not listed.
 */
export function checklistItems(outcome: CaseFileOutcome, convenioType: ConvenioType): ItemDefinition[] {
  if (outcome === 'not_signed') {
    return [
      { id: 'EXP-2.i', label: 'Copia de las identificaciones oficiales de los mediados y del mediador', documentTypes: ['party_ids'], required: true },
      { id: 'EXP-2.ii', label: 'Convenio de confidencialidad y de aceptación del servicio debidamente firmado por el acreditado', documentTypes: ['confidentiality_agreement'], required: true },
      { id: 'EXP-2.iii', label: 'Demás documentos que se hayan generado o entregado en el proceso de mediación', documentTypes: OTHER_TYPES, required: false },
    ];
  }
  const items: ItemDefinition[] = [
    { id: 'EXP-1.i', label: 'Original del convenio de mediación firmado', documentTypes: ['signed_convenio'], required: true },
    { id: 'EXP-1.ii', label: 'Acuse donde conste que el acreditado recibió un original del convenio firmado', documentTypes: ['acknowledgement'], required: true },
    { id: 'EXP-1.iii', label: 'Copia de las identificaciones oficiales de los mediados y del mediador', documentTypes: ['party_ids'], required: true },
  ];
  if (convenioType === 'RATIFIED') {
    items.push({ id: 'EXP-1.iv', label: 'Constancias de inscripción del convenio ante el CJA y del pago de derechos', documentTypes: ['cja_certificate', 'fee_payment_proof'], required: true });
  } else if (convenioType === 'NOTARIAL') {
    items.push({ id: 'EXP-1.iv', label: 'Constancia del pago de honorarios al Notario Público', documentTypes: ['fee_payment_proof'], required: true });
  }
  items.push(
    { id: 'EXP-1.v', label: 'Convenio de confidencialidad y de aceptación del servicio debidamente firmado por el acreditado', documentTypes: ['confidentiality_agreement'], required: true },
    { id: 'EXP-1.vi', label: 'Demás documentos que se hayan generado o entregado en el proceso de mediación', documentTypes: OTHER_TYPES, required: false },
  );
  return items;
}

/**
 * EXP-1 / EXP-2: the checklist of a case file from the case's documents (EXP-3: only the current
 * version of each type counts; older versions stay listed elsewhere). A required item is satisfied
 * when every one of its types has a document; an optional one is listed, never missing.
 */
export function caseFileChecklist(outcome: CaseFileOutcome, convenioType: ConvenioType, documents: readonly ChecklistDocumentInput[]): Checklist {
  const current = documents.filter((d) => d.current);
  const items = checklistItems(outcome, convenioType).map((definition): ChecklistItem => {
    const matching = current
      .filter((d) => definition.documentTypes.includes(d.documentType))
      .sort((a, b) => definition.documentTypes.indexOf(a.documentType) - definition.documentTypes.indexOf(b.documentType))
      .map(({ id, documentType, documentTypeLabel, version, fileName, uploadedOn }) => ({ id, documentType, documentTypeLabel, version, fileName, uploadedOn }));
    const satisfied = definition.required
      ? definition.documentTypes.every((type) => matching.some((d) => d.documentType === type))
      : matching.length > 0;
    return { ...definition, documentTypes: [...definition.documentTypes], satisfied, documents: matching };
  });
  const missing = items.filter((item) => item.required && !item.satisfied).map(({ id, label }) => ({ id, label }));
  return { rule: outcome === 'signed' ? 'EXP-1' : 'EXP-2', items, missing, complete: missing.length === 0 };
}

/** "EXP-1.iii Copia de …; EXP-1.v Convenio de …" */
export function describeMissing(missing: Checklist['missing']): string {
  return missing.map((m) => `${m.id} ${m.label}`).join('; ');
}

// ------------------------------------------------------------------------------------------------
// The review loop (acts. 28–31, 35; DL-13, DL-14, DL-15)
// ------------------------------------------------------------------------------------------------

/**
 * The outcome that calls for a case file, if the case reached one with a session: EXP-1 when the
 * convenio was signed (act. 20), EXP-2 when the session was held and the borrower did not sign
 * (act. 18, and the closure of act. 19 that follows it).
 */
export function caseOutcome(c: { state: string; sessionHeldOn: IsoDate | null; hasConvenio: boolean }): CaseFileOutcome | null {
  if (c.state === 'signed' && c.hasConvenio) return 'signed';
  if ((c.state === 'refused_to_sign' || c.state === 'closed_no_agreement') && c.sessionHeldOn !== null) return 'not_signed';
  return null;
}

export const CASE_FILE_ACTIONS = ['submit', 'request_corrections', 'accept', 'record_certificates', 'validate_fees', 'mark_digitised'] as const;
export type CaseFileAction = (typeof CASE_FILE_ACTIONS)[number];

export const CASE_FILE_ACTION_LABELS: Record<CaseFileAction, string> = {
  submit: 'Entregar el expediente a la DR',
  request_corrections: 'Solicitar correcciones o aclaraciones al mediador',
  accept: 'Aceptar el expediente: completo y correcto',
  record_certificates: 'Registrar la recepción de las constancias de pago',
  validate_fees: 'Validar el pago de derechos u honorarios',
  mark_digitised: 'Registrar la digitalización del expediente',
};

/** The events that are not one of the actions above (shipment and receipt). */
export const CASE_FILE_EVENT_LABELS: Record<string, string> = {
  ...CASE_FILE_ACTION_LABELS,
  answer: 'Respuesta del mediador a las correcciones',
  ship: 'Envío al ANEC',
  acknowledge_receipt: 'Acuse de recibo del ANEC',
};

/** What a file needs from the case's documents and its own row to decide an action. */
export interface CaseFileFacts {
  status: CaseFileViewStatus;
  outcome: CaseFileOutcome;
  convenioType: ConvenioType;
  delegationId: number;
  mediatorId: number;
  feeValidationRequired: boolean;
  /** The convenio's signature (signed files): the certificates come after it. */
  signedOn: IsoDate | null;
  correctionsRequestedOn: IsoDate | null;
  certificatesReceivedOn: IsoDate | null;
  feeValidatedOn: IsoDate | null;
  serviceConcludedOn: IsoDate | null;
  checklist: Pick<Checklist, 'complete' | 'missing' | 'rule'>;
  /** When the standing correction request was recorded (ISO instant), if any. */
  correctionsRequestedAt: string | null;
  /** When the latest current document was uploaded (ISO instant): an answer brings a new version. */
  lastUploadAt: string | null;
  /** The current document types of the case. */
  documentTypes: readonly DocumentType[];
}

export interface CaseFileActor {
  role: Role | 'system';
  delegationId: number | null;
  mediatorId: number | null;
}

export interface CaseFileInputs {
  submit: { note?: string | undefined };
  request_corrections: { note: string };
  accept: { note?: string | undefined };
  record_certificates: { receivedOn: IsoDate; note?: string | undefined };
  validate_fees: { note?: string | undefined };
  mark_digitised: { note?: string | undefined };
}

export type CaseFileRefusalCode = 'FORBIDDEN_ROLE' | 'OUT_OF_SCOPE' | 'INVALID_STATE' | 'INVALID_INPUT' | 'INCOMPLETE' | 'RULE';

export interface CaseFileRefusal {
  ok: false;
  code: CaseFileRefusalCode;
  rule: string;
  message: string;
  missing?: Checklist['missing'];
}

export interface CaseFileDecision {
  ok: true;
  to: CaseFileStatus;
  activity: string;
}

interface Transition {
  activity: string;
  from: readonly CaseFileViewStatus[];
  to: CaseFileStatus | 'same';
  roles: readonly Role[];
}

export const CASE_FILE_TRANSITIONS: Record<CaseFileAction, Transition> = {
  submit: { activity: 'act. 28', from: ['building', 'corrections_requested'], to: 'submitted', roles: ['mediator'] },
  request_corrections: { activity: 'act. 30', from: ['submitted'], to: 'corrections_requested', roles: ['regional_manager'] },
  accept: { activity: 'act. 29', from: ['submitted'], to: 'accepted', roles: ['regional_manager'] },
  record_certificates: { activity: 'act. 31', from: ['submitted', 'corrections_requested', 'accepted'], to: 'same', roles: ['regional_manager'] },
  validate_fees: { activity: 'act. 31', from: ['submitted', 'corrections_requested', 'accepted'], to: 'same', roles: ['regional_manager'] },
  mark_digitised: { activity: 'act. 35', from: ['accepted'], to: 'digitised', roles: ['regional_manager'] },
};

/** The documents act. 31 needs before the certificates can be recorded. */
export function feeDocumentTypes(convenioType: ConvenioType): DocumentType[] {
  return convenioType === 'RATIFIED' ? ['cja_certificate', 'fee_payment_proof'] : ['fee_payment_proof'];
}

/** RATIFIED (CJA fees) and NOTARIAL (notary fees) convenios need the fee validation of act. 31. */
export function requiresFeeValidation(outcome: CaseFileOutcome, convenioType: ConvenioType): boolean {
  return outcome === 'signed' && (convenioType === 'RATIFIED' || convenioType === 'NOTARIAL');
}

/**
 * The file is complete once accepted and, where due, its fees validated: the service concluded
 * (act. 35's "después de concluido el servicio", DL-15's anchor).
 */
export function serviceConcludes(file: { status: CaseFileViewStatus; feeValidationRequired: boolean; feeValidatedOn: IsoDate | null }): boolean {
  return file.status === 'accepted' && (!file.feeValidationRequired || file.feeValidatedOn !== null);
}

/** DL-15 applies only when a convenio was signed (act. 35: "en caso de que se haya firmado convenio"). */
export function digitisationApplies(outcome: CaseFileOutcome): boolean {
  return outcome === 'signed';
}

const MIN_NOTE = 10;

function refuse(code: CaseFileRefusalCode, rule: string, message: string, missing?: Checklist['missing']): CaseFileRefusal {
  return missing ? { ok: false, code, rule, message, missing } : { ok: false, code, rule, message };
}

function inScope(facts: CaseFileFacts, actor: CaseFileActor): boolean {
  if (actor.role === 'regional_manager') return actor.delegationId === facts.delegationId;
  if (actor.role === 'mediator') return actor.mediatorId === facts.mediatorId;
  return true;
}

function whoActs(action: CaseFileAction): string {
  return action === 'submit' ? 'el mediador del caso' : 'el Gerente de Cobranza de la delegación';
}

/** The actions the actor may take now (for the screens); the service still decides each. */
export function availableCaseFileActions(facts: CaseFileFacts, actor: CaseFileActor, today: IsoDate): CaseFileAction[] {
  return CASE_FILE_ACTIONS.filter((action) => {
    const t = CASE_FILE_TRANSITIONS[action];
    if (!t.from.includes(facts.status) || !(t.roles as readonly string[]).includes(actor.role) || !inScope(facts, actor)) return false;
    // decided without what the user has yet to type: a note of the minimum length stands for his
    // note, today for the certificates' date
    const typed = action === 'request_corrections' ? { note: 'x'.repeat(MIN_NOTE) } : action === 'record_certificates' ? { receivedOn: today } : {};
    const decision = decideCaseFile(facts, action, typed as CaseFileInputs[typeof action], actor, today);
    // the answer to corrections is offered before its note or new document exists (act. 30)
    return decision.ok || (action === 'submit' && facts.status === 'corrections_requested' && decision.rule === 'act. 30');
  });
}

/**
 * Decides one action. Guards, in order: role, scope, status, then the action's own rule.
 */
export function decideCaseFile<A extends CaseFileAction>(
  facts: CaseFileFacts,
  action: A,
  input: CaseFileInputs[A],
  actor: CaseFileActor,
  today: IsoDate,
): CaseFileDecision | CaseFileRefusal {
  const t = CASE_FILE_TRANSITIONS[action];
  if (!(t.roles as readonly string[]).includes(actor.role)) {
    return refuse('FORBIDDEN_ROLE', t.activity, `Esta acción la realiza ${whoActs(action)} (${t.activity}).`);
  }
  if (!inScope(facts, actor)) {
    return refuse('OUT_OF_SCOPE', 'SEC-2', 'El expediente no pertenece a su ámbito (SEC-2).');
  }
  if (!t.from.includes(facts.status)) {
    return refuse(
      'INVALID_STATE',
      t.activity,
      `No es posible «${CASE_FILE_ACTION_LABELS[action]}» con el expediente en estado «${CASE_FILE_STATUS_LABELS[facts.status]}» (${t.activity}).`,
    );
  }
  const to = t.to === 'same' ? (facts.status as CaseFileStatus) : t.to;
  const note = (input as { note?: string | undefined }).note?.trim() ?? '';
  switch (action) {
    case 'submit': {
      // act. 28: "en cuanto estén completos"
      if (!facts.checklist.complete) {
        return refuse(
          'INCOMPLETE',
          facts.checklist.rule,
          `El expediente está incompleto (${facts.checklist.rule}); falta: ${describeMissing(facts.checklist.missing)}.`,
          facts.checklist.missing,
        );
      }
      if (facts.status === 'corrections_requested') {
        // act. 30: the answer brings the corrected document or the clarification
        const newUpload = facts.lastUploadAt !== null && facts.correctionsRequestedAt !== null && facts.lastUploadAt > facts.correctionsRequestedAt;
        if (!newUpload && note.length < MIN_NOTE) {
          return refuse(
            'RULE',
            'act. 30',
            `Atienda la solicitud de la DR: cargue una nueva versión del documento corregido o escriba la aclaración (al menos ${MIN_NOTE} caracteres) (act. 30).`,
          );
        }
        return { ok: true, to, activity: 'act. 30' };
      }
      return { ok: true, to, activity: 'act. 28' };
    }
    case 'request_corrections': {
      if (note.length < MIN_NOTE) {
        return refuse('INVALID_INPUT', 'act. 30', `Describa las correcciones o aclaraciones que solicita al mediador (al menos ${MIN_NOTE} caracteres) (act. 30).`);
      }
      return { ok: true, to, activity: t.activity };
    }
    case 'accept': {
      // act. 29: "Revisa que el expediente esté completo y correcto"
      if (!facts.checklist.complete) {
        return refuse(
          'INCOMPLETE',
          facts.checklist.rule,
          `No es posible aceptar un expediente incompleto (${facts.checklist.rule}); falta: ${describeMissing(facts.checklist.missing)}.`,
          facts.checklist.missing,
        );
      }
      return { ok: true, to, activity: t.activity };
    }
    case 'record_certificates': {
      if (!facts.feeValidationRequired) {
        return refuse('RULE', 'act. 31', 'Sólo los convenios Ratificados y Notariales requieren validar el pago de derechos u honorarios (act. 31).');
      }
      if (facts.certificatesReceivedOn !== null) {
        return refuse('RULE', 'act. 31', `La recepción de las constancias ya se registró el ${formatDateEs(facts.certificatesReceivedOn)} (act. 31).`);
      }
      const needed = feeDocumentTypes(facts.convenioType).filter((type) => !facts.documentTypes.includes(type));
      if (needed.length > 0) {
        const names = needed.map((type) => (type === 'cja_certificate' ? 'la constancia de inscripción ante el CJA' : 'el comprobante de pago de derechos u honorarios'));
        return refuse('RULE', 'act. 31', `Antes de registrar las constancias, el expediente debe contener ${names.join(' y ')} (act. 31).`);
      }
      const receivedOn = (input as CaseFileInputs['record_certificates']).receivedOn;
      if (receivedOn > today) {
        return refuse('INVALID_INPUT', 'act. 31', `La fecha de recepción no puede ser posterior a hoy (${formatDateEs(today)}).`);
      }
      if (facts.signedOn !== null && receivedOn < facts.signedOn) {
        return refuse('INVALID_INPUT', 'act. 31', `La fecha de recepción no puede ser anterior a la firma del convenio (${formatDateEs(facts.signedOn)}).`);
      }
      return { ok: true, to, activity: t.activity };
    }
    case 'validate_fees': {
      if (!facts.feeValidationRequired) {
        return refuse('RULE', 'act. 31', 'Sólo los convenios Ratificados y Notariales requieren validar el pago de derechos u honorarios (act. 31).');
      }
      if (facts.feeValidatedOn !== null) {
        return refuse('RULE', 'act. 31', `El pago de derechos u honorarios ya se validó el ${formatDateEs(facts.feeValidatedOn)} (act. 31).`);
      }
      if (facts.certificatesReceivedOn === null) {
        return refuse('RULE', 'act. 31', 'Registre primero la recepción de las constancias de pago: la validación se hace una vez que se cuenta con ellas (act. 31).');
      }
      return { ok: true, to, activity: t.activity };
    }
    case 'mark_digitised': {
      if (!digitisationApplies(facts.outcome)) {
        return refuse('RULE', 'act. 35', 'Sólo se digitaliza el expediente cuando se firmó convenio (act. 35).');
      }
      if (facts.serviceConcludedOn === null) {
        return refuse('RULE', 'act. 35', 'El expediente se digitaliza una vez concluido el servicio: falta validar el pago de derechos u honorarios (act. 31, act. 35).');
      }
      return { ok: true, to, activity: t.activity };
    }
  }
  return refuse('INVALID_STATE', t.activity, 'Acción desconocida.');
}

// ------------------------------------------------------------------------------------------------
// Due dates (DL-13, DL-14, DL-15)
// ------------------------------------------------------------------------------------------------

/** The dated facts of a case file row that its deadlines read. */
export interface CaseFileDates {
  status: CaseFileViewStatus;
  outcome: CaseFileOutcome;
  /** The DR's latest receipt: the first delivery, or the mediator's answer to corrections. */
  submittedOn: IsoDate | null;
  correctionsRequestedOn: IsoDate | null;
  acceptedOn: IsoDate | null;
  certificatesReceivedOn: IsoDate | null;
  feeValidatedOn: IsoDate | null;
  serviceConcludedOn: IsoDate | null;
  digitisedOn: IsoDate | null;
}

/**
 * The deadlines of a case file, each with its status as of `today` (evaluated like the case's):
 * DL-13.request from the latest receipt until the DR asks for corrections or accepts; DL-13.answer
 * from the request until the mediator delivers again; DL-14 from the certificates' receipt until
 * the fee validation; DL-15 (signed files only) from the service's conclusion until digitised.
 */
export function caseFileDueDates(
  file: CaseFileDates,
  context: { policy: DeadlinePolicy; policyVersion: number; holidays: HolidayCalendar; today: IsoDate },
): DueDate[] {
  const dates: DueDate[] = [];
  const add = (key: 'DL-13.request' | 'DL-13.answer' | 'DL-14' | 'DL-15', anchor: IsoDate | null, doneOn: IsoDate | null | undefined) => {
    if (anchor !== null) dates.push(evaluateDeadline(key, anchor, doneOn ?? undefined, context));
  };
  if (file.status !== 'building') {
    // the latest receipt is answered by a correction request (while it stands) or by the acceptance
    const reviewedOn = file.status === 'submitted' ? null : file.status === 'corrections_requested' ? file.correctionsRequestedOn : file.acceptedOn;
    add('DL-13.request', file.submittedOn, reviewedOn);
    add('DL-13.answer', file.correctionsRequestedOn, file.status === 'corrections_requested' ? null : file.submittedOn);
  }
  add('DL-14', file.certificatesReceivedOn, file.feeValidatedOn);
  if (digitisationApplies(file.outcome)) add('DL-15', file.serviceConcludedOn, file.digitisedOn);
  return dates;
}

/** The stored due dates of a case file row (what the work lists and the sweep compare). */
export interface CaseFileDueColumns {
  status: CaseFileViewStatus;
  outcome: CaseFileOutcome;
  dl13RequestDueOn: IsoDate | null;
  dl13AnswerDueOn: IsoDate | null;
  certificatesReceivedOn: IsoDate | null;
  feeValidatedOn: IsoDate | null;
  dl14DueOn: IsoDate | null;
  dl15DueOn: IsoDate | null;
  digitisedOn: IsoDate | null;
}

/** The deadlines still open on a file (the sweep's predicates, one per rule), earliest first. */
export function pendingDueDates(file: CaseFileDueColumns): Array<{ rule: 'DL-13.request' | 'DL-13.answer' | 'DL-14' | 'DL-15'; dueOn: IsoDate }> {
  const pending: Array<{ rule: 'DL-13.request' | 'DL-13.answer' | 'DL-14' | 'DL-15'; dueOn: IsoDate }> = [];
  if (file.status === 'submitted' && file.dl13RequestDueOn !== null) pending.push({ rule: 'DL-13.request', dueOn: file.dl13RequestDueOn });
  if (file.status === 'corrections_requested' && file.dl13AnswerDueOn !== null) pending.push({ rule: 'DL-13.answer', dueOn: file.dl13AnswerDueOn });
  if (file.certificatesReceivedOn !== null && file.feeValidatedOn === null && file.dl14DueOn !== null) pending.push({ rule: 'DL-14', dueOn: file.dl14DueOn });
  if (file.status === 'accepted' && digitisationApplies(file.outcome) && file.digitisedOn === null && file.dl15DueOn !== null) pending.push({ rule: 'DL-15', dueOn: file.dl15DueOn });
  return pending.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0));
}

// ------------------------------------------------------------------------------------------------
// Archive shipment (act. 35, EXP-4, REP-3)
// ------------------------------------------------------------------------------------------------

/**
 * EXP-4 "a batch of complete files": a signed file once digitised (act. 35 task 1); a file
 * without convenio once accepted (nothing to digitise). The SQL of the shipment mirrors this.
 */
export function readyForShipment(file: { status: CaseFileViewStatus; outcome: CaseFileOutcome; serviceConcludedOn: IsoDate | null }): boolean {
  if (file.outcome === 'signed') return file.status === 'digitised';
  return file.status === 'accepted' && file.serviceConcludedOn !== null;
}

/** 'ENV-CDMX-20261123-2': the delegación, the shipment date and the day's sequence. */
export function shipmentFolio(delegationCode: string, shippedOn: IsoDate, sequence: number): string {
  return `ENV-${delegationCode.toUpperCase()}-${shippedOn.replaceAll('-', '')}-${sequence}`;
}

// ------------------------------------------------------------------------------------------------
// The monthly archive-progress report (act. 36, REP-4, DL-16)
// ------------------------------------------------------------------------------------------------

/** REP-4: the archive's progress of a delegación in a month ("avance de convenios recibidos en el ANEC"). */
export interface ArchiveProgressFigures {
  shipmentsInMonth: number;
  filesShippedInMonth: number;
  filesReceivedInMonth: number;
  filesPendingAtMonthEnd: number;
  conveniosSignedInMonth: number;
  conveniosSignedToDate: number;
  conveniosArchivedInMonth: number;
  conveniosArchivedToDate: number;
}

export const ARCHIVE_PROGRESS_LABELS: Record<keyof ArchiveProgressFigures, string> = {
  shipmentsInMonth: 'Envíos al ANEC en el mes',
  filesShippedInMonth: 'Expedientes enviados en el mes',
  filesReceivedInMonth: 'Expedientes recibidos por el ANEC en el mes',
  filesPendingAtMonthEnd: 'Expedientes enviados pendientes de acuse al cierre del mes',
  conveniosSignedInMonth: 'Convenios firmados en el mes',
  conveniosSignedToDate: 'Convenios firmados al cierre del mes (acumulado)',
  conveniosArchivedInMonth: 'Convenios recibidos por el ANEC en el mes',
  conveniosArchivedToDate: 'Convenios recibidos por el ANEC al cierre del mes (acumulado)',
};

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

/** The first day of a month 'YYYY-MM'. */
export function monthStart(month: string): IsoDate {
  if (!isMonth(month)) throw new RangeError(`Not a month (YYYY-MM): ${month}`);
  return `${month}-01`;
}

/** The month after 'YYYY-MM'. */
export function monthAfter(month: string): string {
  return addDays(monthStart(month), 31).slice(0, 7);
}

/** The month before 'YYYY-MM'. */
export function monthBefore(month: string): string {
  return addDays(monthStart(month), -1).slice(0, 7);
}

/** The last day of a month. */
export function monthEnd(month: string): IsoDate {
  return addDays(monthStart(monthAfter(month)), -1);
}

/**
 * DL-16: the report about month M is sent "en los primeros quince días de cada mes" — the first
 * days of M + 1. Returns the day the DL-16 clock of that report counts from (the anchor that
 * `dueDateOf('DL-16', …)` reads).
 */
export function archiveReportAnchor(month: string): IsoDate {
  return monthStart(monthAfter(month));
}

/** A report can only be sent about a month that ended. */
export function canReportMonth(month: string, today: IsoDate): boolean {
  return monthEnd(month) < today;
}

/** The subject of a DL-16 breach in report_deadline_breaches. */
export function archiveReportSubject(delegationId: number, month: string): string {
  return `archive_report:${delegationId}:${month}`;
}
