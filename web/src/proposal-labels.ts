/**
 * Entries to mediation outside the monthly run (SPEC §11): who may propose and review, the Spanish
 * wording of entries, statuses and outcomes, and the reading of the credit-number box. Keep the roles
 * in step with REQUEST_ROLES and the reviewers in src/modules/assignment/proposals.service.ts.
 */
import type { ProposalCreditOutcome, ProposalEntry, ProposalStatus, Role } from './api/types';
import { formatInteger } from './format';

/** Who proposes credits (POST /api/proposals); a borrower only his own credit. */
export const PROPOSAL_REQUEST_ROLES: readonly Role[] = [
  'borrower',
  'mediation_office',
  'operations',
  'regional_manager',
  'specialized_recovery',
];
/** Who sees every proposal; anyone else sees only his own. */
export const PROPOSAL_REVIEW_ROLES: readonly Role[] = ['mediation_office', 'operations', 'auditor', 'admin'];
/** Who checks the criteria and tags (POST /api/proposals/:id/resolve). */
export const PROPOSAL_RESOLVE_ROLES: readonly Role[] = ['mediation_office', 'operations'];
/** Only RE reports accounts judged inhabited (ENT-B). */
export const INHABITED_REPORT_ROLES: readonly Role[] = ['specialized_recovery'];

/** The most credits one proposal may name (MAX_PROPOSAL_CREDITS on the server). */
export const MAX_PROPOSAL_CREDITS = 5_000;
/** Length of the reason, as the server checks it (after trimming). */
export const MIN_REASON_LENGTH = 5;
export const MAX_REASON_LENGTH = 2_000;

export const ENTRY_LABELS: Record<ProposalEntry, string> = {
  request: 'Solicitud (ENT-A)',
  specialized_recovery: 'Cuentas dictaminadas habitadas (ENT-B)',
};

/** One sentence for the detail page. */
export const ENTRY_DESCRIPTIONS: Record<ProposalEntry, string> = {
  request: 'Solicitud del acreditado o propuesta de un área para mediación fuera del etiquetado mensual (ENT-A).',
  specialized_recovery:
    'Cuentas del segmento Recuperación Especializada dictaminadas como habitadas (ENT-B): no se excluyen por la etapa procesal (EXC-9) y, al etiquetarse, su etapa judicial queda congelada.',
};

export const STATUS_LABELS: Record<ProposalStatus, string> = {
  pending: 'Pendiente de revisión',
  resolved: 'Resuelta',
};

export const OUTCOME_LABELS: Record<ProposalCreditOutcome, string> = {
  pending: 'Pendiente',
  tagged: 'Etiquetado',
  excluded: 'Excluido',
  already_tagged: 'Ya estaba etiquetado',
  no_agency: 'Sin agencia con capacidad',
};

export interface ParsedCreditNumbers {
  /** Valid numbers (10 digits), in the order written, without repetitions. */
  creditNumbers: string[];
  /** What was written that is not a 10-digit number, in the order written, without repetitions. */
  invalid: string[];
}

/** The credit-number box: one per line, or separated by commas, semicolons or spaces. */
export function parseCreditNumbers(text: string): ParsedCreditNumbers {
  const creditNumbers: string[] = [];
  const invalid: string[] = [];
  for (const token of text.split(/[\s,;]+/)) {
    if (token === '') continue;
    const list = /^\d{10}$/.test(token) ? creditNumbers : invalid;
    if (!list.includes(token)) list.push(token);
  }
  return { creditNumbers, invalid };
}

const SHOWN_INVALID = 5;
const SHOWN_TOKEN_LENGTH = 20;

function quoted(token: string): string {
  const shown = token.length > SHOWN_TOKEN_LENGTH ? `${token.slice(0, SHOWN_TOKEN_LENGTH)}…` : token;
  return `«${shown}»`;
}

/** What is wrong with the credit numbers written, in Spanish; null when they can be sent. */
export function creditNumbersProblem(parsed: ParsedCreditNumbers): string | null {
  const { creditNumbers, invalid } = parsed;
  if (invalid.length > 0) {
    const shown = invalid.slice(0, SHOWN_INVALID).map(quoted).join(', ');
    const more = invalid.length > SHOWN_INVALID ? ` y ${formatInteger(invalid.length - SHOWN_INVALID)} más` : '';
    const what = invalid.length === 1 ? 'Esto no es un número de crédito' : 'Esto no son números de crédito';
    return `Cada número de crédito tiene exactamente 10 dígitos, sin letras ni guiones. ${what}: ${shown}${more}.`;
  }
  if (creditNumbers.length === 0) return 'Escriba al menos un número de crédito de 10 dígitos.';
  if (creditNumbers.length > MAX_PROPOSAL_CREDITS) {
    return `Una propuesta admite a lo más ${formatInteger(MAX_PROPOSAL_CREDITS)} créditos; escribió ${formatInteger(creditNumbers.length)}. Divídalos en varias propuestas.`;
  }
  return null;
}

/** What is wrong with the reason, in Spanish; null when it can be sent. */
export function reasonProblem(reason: string): string | null {
  const length = reason.trim().length;
  if (length < MIN_REASON_LENGTH) return `Explique el motivo (al menos ${MIN_REASON_LENGTH} caracteres).`;
  if (length > MAX_REASON_LENGTH) return `El motivo admite a lo más ${formatInteger(MAX_REASON_LENGTH)} caracteres.`;
  return null;
}

/** "1 crédito", "3 créditos". */
export function creditCount(count: number): string {
  return `${formatInteger(count)} ${count === 1 ? 'crédito' : 'créditos'}`;
}
