/**
 * The life of a signed convenio (SPEC §4 acts. 22–27, §6 CNV-1..5, §5 DL-9..12), pure: which
 * actions each status allows, for which role, with which guards, each citing its rule. The service
 * loads the facts, asks `decideConvenio`, and stores the result with one event.
 *
 *   signed ──act. 22──▶ under_review ──act. 25──▶ approved ──CNV-5 paid──▶ in_force
 *      ▲                    │                        └──CNV-5 deadline passed unpaid──▶ broken
 *      └── act. 24 answer ◀─ corrections_requested ◀─act. 24─┘ (from under_review)
 */
import { addDays, formatDateEs, type IsoDate } from '../../clock.js';
import type { ConvenioStatus, ConvenioType, Role } from '../../db/schema.js';

export const CONVENIO_STATUSES = ['signed', 'under_review', 'corrections_requested', 'approved', 'in_force', 'broken'] as const satisfies readonly ConvenioStatus[];

export const CONVENIO_STATUS_LABELS: Record<ConvenioStatus, string> = {
  signed: 'Firmado: por enviar a la DR (act. 22)',
  under_review: 'En revisión de la DR (act. 23)',
  corrections_requested: 'Correcciones solicitadas al mediador (act. 24)',
  approved: 'Aprobado: en espera del primer pago (act. 25–26)',
  in_force: 'Vigente: primer pago recibido (CNV-5)',
  broken: 'Incumplido (CNV-5)',
};

export const CONVENIO_ACTIONS = ['submit_documents', 'request_corrections', 'approve', 'record_cja_registration'] as const;
export type ConvenioAction = (typeof CONVENIO_ACTIONS)[number];

export const CONVENIO_ACTION_LABELS: Record<ConvenioAction, string> = {
  submit_documents: 'Enviar a la DR el convenio firmado digitalizado y la identificación',
  request_corrections: 'Solicitar correcciones o aclaraciones al mediador',
  approve: 'Aprobar la solución y aplicar la reestructura',
  record_cja_registration: 'Registrar el convenio ante el Centro de Justicia Alternativa',
};

/** The documents act. 22 sends: the scanned signed convenio and the borrower's official ID. */
export const REVIEW_DOCUMENT_TYPES = ['signed_convenio', 'borrower_id'] as const;

export interface ConvenioFacts {
  status: ConvenioStatus;
  convenioType: ConvenioType;
  delegationId: number;
  mediatorId: number;
  signedOn: IsoDate;
  submittedOn: IsoDate | null;
  correctionsRequestedOn: IsoDate | null;
  approvedOn: IsoDate | null;
  cjaRegisteredOn: IsoDate | null;
  /** The latest upload day of each review document (act. 22), if any. */
  documentsUploadedOn: Partial<Record<(typeof REVIEW_DOCUMENT_TYPES)[number], IsoDate>>;
}

export interface ConvenioActor {
  role: Role | 'system';
  delegationId: number | null;
  mediatorId: number | null;
}

export interface ConvenioInputs {
  submit_documents: { note?: string | undefined };
  request_corrections: { reason: string };
  approve: { note?: string | undefined };
  record_cja_registration: { centre: string; registrationNumber: string; registeredOn: IsoDate; certificateDocumentId?: number | undefined };
}

export interface ConvenioRefusal {
  ok: false;
  code: 'FORBIDDEN_ROLE' | 'OUT_OF_SCOPE' | 'INVALID_STATE' | 'INVALID_INPUT' | 'RULE';
  rule: string;
  message: string;
}

export interface ConvenioDecision {
  ok: true;
  to: ConvenioStatus;
  activity: string;
}

interface Transition {
  activity: string;
  from: readonly ConvenioStatus[];
  to: ConvenioStatus | 'same';
  roles: readonly Role[];
}

export const CONVENIO_TRANSITIONS: Record<ConvenioAction, Transition> = {
  submit_documents: { activity: 'act. 22, act. 24', from: ['signed', 'corrections_requested'], to: 'under_review', roles: ['mediator'] },
  request_corrections: { activity: 'act. 24', from: ['under_review'], to: 'corrections_requested', roles: ['regional_manager'] },
  approve: { activity: 'act. 25', from: ['under_review'], to: 'approved', roles: ['regional_manager'] },
  record_cja_registration: { activity: 'act. 27', from: ['approved', 'in_force', 'broken'], to: 'same', roles: ['mediator'] },
};

function refuse(code: ConvenioRefusal['code'], rule: string, message: string): ConvenioRefusal {
  return { ok: false, code, rule, message };
}

/** The actions the actor may take now (for the screens); the service still decides each. */
export function availableConvenioActions(facts: ConvenioFacts, actor: ConvenioActor): ConvenioAction[] {
  return CONVENIO_ACTIONS.filter((action) => {
    const t = CONVENIO_TRANSITIONS[action];
    if (!t.from.includes(facts.status) || !(t.roles as readonly string[]).includes(actor.role)) return false;
    if (action === 'record_cja_registration') return facts.convenioType === 'RATIFIED' && facts.cjaRegisteredOn === null;
    return inScope(facts, actor);
  });
}

function inScope(facts: ConvenioFacts, actor: ConvenioActor): boolean {
  if (actor.role === 'regional_manager') return actor.delegationId === facts.delegationId;
  if (actor.role === 'mediator') return actor.mediatorId === facts.mediatorId;
  return true;
}

/**
 * Decides one action. Guards, in order: role, scope, status, then the action's own rule.
 */
export function decideConvenio<A extends ConvenioAction>(
  facts: ConvenioFacts,
  action: A,
  input: ConvenioInputs[A],
  actor: ConvenioActor,
  today: IsoDate,
): ConvenioDecision | ConvenioRefusal {
  const t = CONVENIO_TRANSITIONS[action];
  if (!(t.roles as readonly string[]).includes(actor.role)) {
    const who = action === 'submit_documents' || action === 'record_cja_registration' ? 'el mediador del caso' : 'el Gerente de Cobranza de la delegación';
    return refuse('FORBIDDEN_ROLE', t.activity, `Esta acción la realiza ${who} (${t.activity}).`);
  }
  if (!inScope(facts, actor)) {
    return refuse('OUT_OF_SCOPE', 'SEC-2', 'El convenio no pertenece a su ámbito (SEC-2).');
  }
  if (!t.from.includes(facts.status)) {
    return refuse('INVALID_STATE', t.activity, `No es posible «${CONVENIO_ACTION_LABELS[action]}» con el convenio en estado «${CONVENIO_STATUS_LABELS[facts.status]}» (${t.activity}).`);
  }
  const to = t.to === 'same' ? facts.status : t.to;
  switch (action) {
    case 'submit_documents': {
      // act. 22: the scanned signed convenio and the borrower's ID; act. 24: after a correction
      // request, the answer comes with the corrected documents or an explanation
      const missing = REVIEW_DOCUMENT_TYPES.filter((type) => facts.documentsUploadedOn[type] === undefined);
      if (missing.length > 0) {
        return refuse(
          'RULE',
          'act. 22',
          `Antes de enviar, cargue ${missing.map((m) => (m === 'signed_convenio' ? 'el convenio firmado digitalizado' : 'la identificación oficial del acreditado')).join(' y ')} (act. 22).`,
        );
      }
      if (facts.status === 'corrections_requested' && facts.correctionsRequestedOn !== null) {
        const requested = facts.correctionsRequestedOn;
        const newUpload = REVIEW_DOCUMENT_TYPES.some((type) => (facts.documentsUploadedOn[type] ?? '') >= requested);
        const note = (input as ConvenioInputs['submit_documents']).note?.trim() ?? '';
        if (!newUpload && note.length < 10) {
          return refuse('RULE', 'act. 24', 'Atienda la solicitud de la DR: cargue el documento corregido o escriba la aclaración (al menos 10 caracteres) (act. 24).');
        }
      }
      return { ok: true, to, activity: facts.status === 'signed' ? 'act. 22' : 'act. 24' };
    }
    case 'request_corrections': {
      const reason = (input as ConvenioInputs['request_corrections']).reason?.trim() ?? '';
      if (reason.length < 10) {
        return refuse('INVALID_INPUT', 'act. 24', 'Describa los cambios o aclaraciones que solicita al mediador (al menos 10 caracteres) (act. 24).');
      }
      return { ok: true, to, activity: t.activity };
    }
    case 'approve':
      return { ok: true, to, activity: t.activity };
    case 'record_cja_registration': {
      const { centre, registrationNumber, registeredOn } = input as ConvenioInputs['record_cja_registration'];
      if (facts.convenioType !== 'RATIFIED') {
        return refuse('RULE', 'act. 27', 'Sólo los convenios Ratificados se registran ante el Centro de Justicia Alternativa (act. 27).');
      }
      if (facts.cjaRegisteredOn !== null) {
        return refuse('RULE', 'act. 27', `El registro ante el CJA ya se capturó el ${formatDateEs(facts.cjaRegisteredOn)} (act. 27).`);
      }
      if (!centre?.trim() || !registrationNumber?.trim()) {
        return refuse('INVALID_INPUT', 'act. 27', 'Indique el centro y el número de registro del convenio (act. 27).');
      }
      if (facts.approvedOn === null || registeredOn < facts.approvedOn) {
        return refuse('RULE', 'act. 27', `El registro ante el CJA es posterior a la aprobación de la solución${facts.approvedOn ? ` (${formatDateEs(facts.approvedOn)})` : ''} (act. 27).`);
      }
      if (registeredOn > today) {
        return refuse('INVALID_INPUT', 'act. 27', `La fecha de registro no puede ser posterior a hoy (${formatDateEs(today)}).`);
      }
      return { ok: true, to, activity: t.activity };
    }
  }
  return refuse('INVALID_STATE', t.activity, 'Acción desconocida.');
}

/**
 * SL-1: the convenio was signed within the service level counted from acceptance (day 0). The due
 * date comes from the deadline policy of the case.
 */
export function meetsSl1(signedOn: IsoDate, sl1DueOn: IsoDate): boolean {
  return signedOn <= sl1DueOn;
}

/**
 * The first-payment deadline told to the borrower at the signature (act. 20) counts from the
 * signature; the borrower can only pay once the restructure is in the servicing system, so the
 * approval (CNV-4) confirms it, moving it to the same term counted from the approval when that
 * is later. The notice of CNV-4 gives the definitive one.
 */
export function confirmedFirstPaymentDueOn(dueFromSignature: IsoDate, dueFromApproval: IsoDate): IsoDate {
  return dueFromApproval > dueFromSignature ? dueFromApproval : dueFromSignature;
}

/** CNV-5: the day a convenio of an approved credit breaks when no full first payment arrived. */
export function breaksOn(firstPaymentDueOn: IsoDate): IsoDate {
  return addDays(firstPaymentDueOn, 1);
}

/** The Spanish explanation stored with a broken convenio (which rule, which deadline, which date). */
export function explainBroken(firstPaymentDueOn: IsoDate, firstPaymentPesos: string): string {
  return `CNV-5: convenio incumplido: no se recibió el primer pago de ${firstPaymentPesos} (un único pago por la cantidad completa) a más tardar el ${formatDateEs(firstPaymentDueOn)}.`;
}
