/**
 * The monthly report requests (Guía acts. 32–34; SPEC §5 DL-17): the mediation office requests
 * REP-1 of an agency or REP-2 of a delegación for a month; the agency (or the DR manager)
 * delivers it; within DL-17.request (10 days from receipt) the office may ask for a clarification,
 * which the agency answers within DL-17.answer (2 days); the office closes the request, after the
 * answer or straight after the delivery. Pure: states, who may do what, and the DL-17 window.
 */
import { formatDateEs, type IsoDate } from '../../clock.js';
import type { ReportRequestKind, ReportRequestStatus, Role } from '../../db/schema.js';
import { timingPhrase, type DeadlinePolicy } from '../deadlines/deadlines.rules.js';

export const REPORT_REQUEST_KINDS = ['agency', 'region'] as const satisfies readonly ReportRequestKind[];
export const REPORT_REQUEST_STATUSES = ['requested', 'delivered', 'clarification_requested', 'clarified', 'closed'] as const satisfies readonly ReportRequestStatus[];

export const REPORT_KIND_LABELS: Record<ReportRequestKind, string> = {
  agency: 'REP-1 Reporte mensual de la agencia',
  region: 'REP-2 Reporte mensual de la delegación',
};

export const REPORT_REQUEST_STATUS_LABELS: Record<ReportRequestStatus, string> = {
  requested: 'Solicitado: por entregar',
  delivered: 'Entregado: en revisión de la Gerencia',
  clarification_requested: 'Aclaración solicitada: por responder (DL-17)',
  clarified: 'Aclaración respondida',
  closed: 'Cerrado',
};

export const REPORT_REQUEST_ACTIONS = ['deliver', 'request_clarification', 'answer_clarification', 'close'] as const;
export type ReportRequestAction = (typeof REPORT_REQUEST_ACTIONS)[number];

export const REPORT_REQUEST_ACTION_LABELS: Record<ReportRequestAction, string> = {
  deliver: 'Entregar el reporte',
  request_clarification: 'Solicitar una aclaración',
  answer_clarification: 'Responder la aclaración',
  close: 'Cerrar la solicitud',
};

/** The Guía's activity of each step, by kind (act. 32–33 the agency's report, act. 34 the DR's). */
export function activityOf(kind: ReportRequestKind, action: ReportRequestAction | 'request'): string {
  if (kind === 'region') return 'act. 34';
  return action === 'request_clarification' || action === 'answer_clarification' ? 'act. 33' : 'act. 32';
}

/** Who delivers and answers: the agency for REP-1, the delegación's DR manager for REP-2. */
export const DELIVERING_ROLE: Record<ReportRequestKind, Role> = { agency: 'agency', region: 'regional_manager' };

export interface ReportRequestFacts {
  kind: ReportRequestKind;
  agencyId: number | null;
  delegationId: number | null;
  status: ReportRequestStatus;
  /** Receipt + DL-17.request: the last day the office may ask for a clarification. */
  dl17RequestDueOn: IsoDate | null;
}

export interface ReportRequestActor {
  role: Role;
  agencyId: number | null;
  delegationId: number | null;
}

interface Transition {
  from: readonly ReportRequestStatus[];
  to: ReportRequestStatus;
  /** 'office' the mediation office; 'deliverer' the agency (REP-1) or the DR manager (REP-2) of the request. */
  who: 'office' | 'deliverer';
  /** The action carries a text (the clarification asked, the answer). */
  text: boolean;
}

export const REPORT_REQUEST_TRANSITIONS: Record<ReportRequestAction, Transition> = {
  deliver: { from: ['requested'], to: 'delivered', who: 'deliverer', text: false },
  request_clarification: { from: ['delivered'], to: 'clarification_requested', who: 'office', text: true },
  answer_clarification: { from: ['clarification_requested'], to: 'clarified', who: 'deliverer', text: true },
  close: { from: ['delivered', 'clarified'], to: 'closed', who: 'office', text: false },
};

export type ReportRequestDecision =
  | { ok: true; to: ReportRequestStatus }
  | { ok: false; code: 'FORBIDDEN' | 'VALIDATION' | 'FORBIDDEN_TRANSITION'; rule: string; message: string };

function isDeliverer(facts: ReportRequestFacts, actor: ReportRequestActor): boolean {
  if (actor.role !== DELIVERING_ROLE[facts.kind]) return false;
  return facts.kind === 'agency' ? actor.agencyId === facts.agencyId : actor.delegationId === facts.delegationId;
}

const WHO_WORDING: Record<ReportRequestKind, string> = {
  agency: 'la agencia de soluciones del reporte',
  region: 'el Gerente de Cobranza de la delegación del reporte',
};

/** Clarifications and answers: the lengths the table accepts (5 to 2,000 characters). */
export const CLARIFICATION_TEXT = { min: 5, max: 2000 } as const;

/**
 * Accepts or refuses a step: role and party, status, the text, and the DL-17 window of the
 * office's clarification ("a request after the 10 days is refused"). The answer is accepted late
 * (the sweep and the step flag the DL-17.answer breach).
 */
export function decideReportRequest(
  facts: ReportRequestFacts,
  action: ReportRequestAction,
  input: { text?: string | undefined },
  actor: ReportRequestActor,
  today: IsoDate,
  policy: DeadlinePolicy,
): ReportRequestDecision {
  const t = REPORT_REQUEST_TRANSITIONS[action];
  const activity = activityOf(facts.kind, action);
  const allowed = t.who === 'office' ? actor.role === 'mediation_office' : isDeliverer(facts, actor);
  if (!allowed) {
    const who = t.who === 'office' ? 'la Gerencia de Mediación y Convenios' : WHO_WORDING[facts.kind];
    return { ok: false, code: 'FORBIDDEN', rule: activity, message: `«${REPORT_REQUEST_ACTION_LABELS[action]}» corresponde a ${who} (${activity}).` };
  }
  if (!t.from.includes(facts.status)) {
    return {
      ok: false,
      code: 'FORBIDDEN_TRANSITION',
      rule: activity,
      message: `No es posible «${REPORT_REQUEST_ACTION_LABELS[action]}» con la solicitud en estado «${REPORT_REQUEST_STATUS_LABELS[facts.status]}» (${activity}).`,
    };
  }
  if (t.text) {
    const text = input.text?.trim() ?? '';
    if (text.length < CLARIFICATION_TEXT.min || text.length > CLARIFICATION_TEXT.max) {
      const what = action === 'request_clarification' ? 'la aclaración que solicita' : 'su respuesta a la aclaración';
      return { ok: false, code: 'VALIDATION', rule: activity, message: `Escriba ${what} (de ${CLARIFICATION_TEXT.min} a ${CLARIFICATION_TEXT.max} caracteres).` };
    }
  }
  if (action === 'request_clarification' && facts.dl17RequestDueOn !== null && today > facts.dl17RequestDueOn) {
    return {
      ok: false,
      code: 'FORBIDDEN_TRANSITION',
      rule: 'DL-17',
      message: `Las aclaraciones al informe se solicitan ${timingPhrase('DL-17.request', policy['DL-17.request'])}: el plazo venció el ${formatDateEs(facts.dl17RequestDueOn)} (DL-17).`,
    };
  }
  return { ok: true, to: t.to };
}

/** The steps an actor may take now (for the screen's buttons). */
export function availableReportRequestActions(facts: ReportRequestFacts, actor: ReportRequestActor, today: IsoDate, policy: DeadlinePolicy): ReportRequestAction[] {
  return REPORT_REQUEST_ACTIONS.filter((action) => {
    const decision = decideReportRequest(facts, action, { text: 'x'.repeat(CLARIFICATION_TEXT.min) }, actor, today, policy);
    return decision.ok;
  });
}
