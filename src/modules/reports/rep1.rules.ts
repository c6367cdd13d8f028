/**
 * REP-1, the agency's monthly report (SPEC §7; Guía act. 32): one row per credit tagged and
 * assigned to the agency in the month, with the seven items of the rule —
 * (i) tagged susceptible; (ii) accepted mediation; (iii) the mediator it was distributed to;
 * (iv) attended the session or not, and why; (v) signed (convenio type and solution) or not, and
 * why (NR-1..5); (vi) session and signature dates; (vii) registered before a CJA, and when.
 *
 * Pure: the facts of a credit as of the report's date (what the event log says had happened by
 * then) in, the cells out. The Spanish wording reuses the labels of the mediation, solutions and
 * assignment rules.
 */
import { formatDateEs, type IsoDate } from '../../clock.js';
import type { ConvenioType } from '../../db/schema.js';
import { CONVENIO_TYPE_LABELS } from '../assignment/assignment.rules.js';
import {
  CASE_STATE_LABELS,
  NOT_SCHEDULED_CAUSE_LABELS,
  REFUSAL_TO_SIGN_CAUSE_LABELS,
  type CaseState,
  type NotScheduledCause,
  type RefusalToSignCause,
} from '../mediation/mediation.rules.js';
import { SOLUTION_NAMES, type SolutionId } from '../solutions/solutions.rules.js';
import type { ReportColumn, ReportValue } from './report-xlsx.js';

/**
 * What the event log says about one credit of the month, as of the report's date (the repository
 * computes it; names are the columns of its statement).
 */
export interface Rep1Facts {
  delegationName: string;
  creditNumber: string;
  borrowerName: string;
  assignedConvenioType: ConvenioType;
  assignedOn: IsoDate;
  /** The state after the last case event recorded by the date; null: no case opened by then. */
  state: CaseState | null;
  acceptedOn: IsoDate | null;
  visitSolutionId: SolutionId | null;
  distributedOn: IsoDate | null;
  mediatorName: string | null;
  /** The first session date recorded (act. 11) and the latest (after a reschedule, act. 14). */
  firstSessionDate: IsoDate | null;
  sessionDate: IsoDate | null;
  rescheduled: boolean;
  /** The last session held (act. 16). */
  heldOn: IsoDate | null;
  notScheduledCause: NotScheduledCause | null;
  refusalToSignCause: RefusalToSignCause | null;
  /** The signed convenio (act. 20): its own, immutable, type, solution and signature date. */
  signedConvenioType: ConvenioType | null;
  signedSolutionId: SolutionId | null;
  signedOn: IsoDate | null;
  /** act. 27: the registration before the CJA recorded by the date. */
  cjaRegisteredOn: IsoDate | null;
}

export const YES = 'Sí';
export const NO = 'No';
export const NO_SESSION = 'Sin sesión';
export const NOT_APPLICABLE = 'No aplica';

/** The data sheet's columns, grouped by the items (i)–(vii) of REP-1. */
export const REP1_COLUMNS = [
  { header: 'Delegación', width: 28, kind: 'text' },
  { header: 'Crédito', width: 13, kind: 'text' },
  { header: 'Acreditado(a)', width: 34, kind: 'text' },
  { header: 'Tipo de convenio asignado', width: 34, kind: 'text' },
  { header: 'Fecha de asignación', width: 13, kind: 'date' },
  { header: '(i) Susceptible de mediación', width: 13, kind: 'text' },
  { header: '(ii) Aceptó la mediación', width: 12, kind: 'text' },
  { header: '(ii) Fecha de aceptación', width: 13, kind: 'date' },
  { header: '(ii) Motivo por el que no aceptó', width: 44, kind: 'text' },
  { header: '(iii) Mediador', width: 30, kind: 'text' },
  { header: '(iii) Fecha de distribución', width: 13, kind: 'date' },
  { header: '(iv) Asistió a la sesión', width: 12, kind: 'text' },
  { header: '(iv) Motivo (sin sesión o sin asistencia)', width: 60, kind: 'text' },
  { header: '(v) Firmó el convenio', width: 12, kind: 'text' },
  { header: '(v) Tipo de convenio firmado', width: 34, kind: 'text' },
  { header: '(v) Solución', width: 34, kind: 'text' },
  { header: '(v) Causa de la negativa a firmar', width: 60, kind: 'text' },
  { header: '(vi) Fecha de sesión', width: 13, kind: 'date' },
  { header: '(vi) Fecha de firma', width: 13, kind: 'date' },
  { header: '(vii) Registrado ante el CJA', width: 13, kind: 'text' },
  { header: '(vii) Fecha de registro ante el CJA', width: 13, kind: 'date' },
] as const satisfies readonly ReportColumn[];

/** A row of REP-1: the cells of the columns above, named. */
export interface Rep1Row {
  delegation: string;
  creditNumber: string;
  borrowerName: string;
  assignedConvenioType: string;
  assignedOn: IsoDate;
  tagged: string;
  accepted: string;
  acceptedOn: IsoDate | null;
  notAcceptedReason: string | null;
  mediator: string | null;
  distributedOn: IsoDate | null;
  attended: string;
  attendanceReason: string | null;
  signed: string | null;
  signedConvenioType: string | null;
  solution: string | null;
  refusalToSignReason: string | null;
  sessionOn: IsoDate | null;
  signedOn: IsoDate | null;
  cjaRegistered: string | null;
  cjaRegisteredOn: IsoDate | null;
}

/** "SOL-2 Reestructura". */
export function solutionWording(solutionId: SolutionId): string {
  return `${solutionId} ${SOLUTION_NAMES[solutionId]}`;
}

/** (ii) Why the borrower had not accepted by the date: no visit yet, offered, refused, a solution at the visit. */
function notAcceptedReason(facts: Rep1Facts): string {
  switch (facts.state) {
    case null:
    case 'tagged':
      return 'Sin visita registrada a la fecha de corte';
    case 'offered':
      return `${CASE_STATE_LABELS.offered}; sin respuesta registrada a la fecha de corte`;
    case 'solution_at_visit':
      return facts.visitSolutionId ? `${CASE_STATE_LABELS.solution_at_visit}: ${solutionWording(facts.visitSolutionId)}` : CASE_STATE_LABELS.solution_at_visit;
    default:
      return CASE_STATE_LABELS[facts.state];
  }
}

/** (iv) Attended (a session held), did not (a session date passed without one, DL-8), or no session, and why. */
function attendance(facts: Rep1Facts, asOf: IsoDate): { attended: string; reason: string | null } {
  if (facts.heldOn !== null) return { attended: YES, reason: null };
  if (facts.acceptedOn === null) return { attended: NO_SESSION, reason: notAcceptedReason(facts) };
  if (facts.sessionDate !== null) {
    if (facts.state === 'closed_dl8') return { attended: NO, reason: CASE_STATE_LABELS.closed_dl8 };
    if (facts.rescheduled && facts.firstSessionDate !== null) {
      const first = formatDateEs(facts.firstSessionDate);
      const next = formatDateEs(facts.sessionDate);
      return facts.sessionDate > asOf
        ? { attended: NO, reason: `No se celebró la sesión del ${first}; reagendada para el ${next} (act. 14)` }
        : { attended: NO, reason: `No se celebró la sesión del ${first} ni la reagendada del ${next} (act. 14)` };
    }
    return facts.sessionDate > asOf
      ? { attended: NO_SESSION, reason: `Sesión agendada para el ${formatDateEs(facts.sessionDate)}` }
      : { attended: NO, reason: `No se celebró la sesión agendada del ${formatDateEs(facts.sessionDate)}` };
  }
  if (facts.notScheduledCause !== null) {
    return { attended: NO_SESSION, reason: `${facts.notScheduledCause}: ${NOT_SCHEDULED_CAUSE_LABELS[facts.notScheduledCause]}` };
  }
  switch (facts.state) {
    case 'closed_dl5':
      return { attended: NO_SESSION, reason: CASE_STATE_LABELS.closed_dl5 };
    case 'accepted':
      return { attended: NO_SESSION, reason: `${CASE_STATE_LABELS.accepted}: sin distribuir a un mediador (act. 5)` };
    default:
      return { attended: NO_SESSION, reason: `${CASE_STATE_LABELS[facts.state ?? 'distributed']}: sin sesión agendada` };
  }
}

/**
 * The row of one credit as of `asOf`. Items that do not apply to the credit yet are empty: (v) and
 * (vi)'s signature only after a session held, (vii) only for a signed convenio ("No aplica" unless
 * it is Ratificado, the only type registered before a CJA, ASG-3).
 */
export function rep1Row(facts: Rep1Facts, asOf: IsoDate): Rep1Row {
  const accepted = facts.acceptedOn !== null;
  const { attended, reason } = attendance(facts, asOf);
  const held = facts.heldOn !== null;
  const signed = facts.signedOn !== null && facts.signedConvenioType !== null;
  let signedCell: string | null = null;
  let refusal: string | null = null;
  if (signed) signedCell = YES;
  else if (held) {
    signedCell = NO;
    refusal = facts.refusalToSignCause
      ? `${facts.refusalToSignCause}: ${REFUSAL_TO_SIGN_CAUSE_LABELS[facts.refusalToSignCause]}`
      : 'Sin firma ni negativa registrada a la fecha de corte';
  }
  let cjaRegistered: string | null = null;
  if (signed) cjaRegistered = facts.signedConvenioType !== 'RATIFIED' ? NOT_APPLICABLE : facts.cjaRegisteredOn !== null ? YES : NO;
  return {
    delegation: facts.delegationName,
    creditNumber: facts.creditNumber,
    borrowerName: facts.borrowerName,
    assignedConvenioType: CONVENIO_TYPE_LABELS[facts.assignedConvenioType],
    assignedOn: facts.assignedOn,
    tagged: YES,
    accepted: accepted ? YES : NO,
    acceptedOn: facts.acceptedOn,
    notAcceptedReason: accepted ? null : notAcceptedReason(facts),
    mediator: facts.mediatorName,
    distributedOn: facts.distributedOn,
    attended,
    attendanceReason: reason,
    signed: signedCell,
    signedConvenioType: signed ? CONVENIO_TYPE_LABELS[facts.signedConvenioType!] : null,
    solution: signed && facts.signedSolutionId ? solutionWording(facts.signedSolutionId) : null,
    refusalToSignReason: refusal,
    sessionOn: facts.heldOn,
    signedOn: signed ? facts.signedOn : null,
    cjaRegistered,
    cjaRegisteredOn: cjaRegistered === YES ? facts.cjaRegisteredOn : null,
  };
}

/** The cells of a row in the order of REP1_COLUMNS. */
export function rep1Cells(row: Rep1Row): ReportValue[] {
  return [
    row.delegation,
    row.creditNumber,
    row.borrowerName,
    row.assignedConvenioType,
    row.assignedOn,
    row.tagged,
    row.accepted,
    row.acceptedOn,
    row.notAcceptedReason,
    row.mediator,
    row.distributedOn,
    row.attended,
    row.attendanceReason,
    row.signed,
    row.signedConvenioType,
    row.solution,
    row.refusalToSignReason,
    row.sessionOn,
    row.signedOn,
    row.cjaRegistered,
    row.cjaRegisteredOn,
  ];
}

// ------------------------------------------------------------------------------------------------
// Counts per item, for «Acerca de»
// ------------------------------------------------------------------------------------------------

export interface Rep1Counts {
  tagged: number;
  accepted: number;
  distributed: number;
  attended: number;
  notAttended: number;
  noSession: number;
  signed: number;
  notSigned: number;
  ratifiedSigned: number;
  cjaRegistered: number;
}

export function emptyRep1Counts(): Rep1Counts {
  return { tagged: 0, accepted: 0, distributed: 0, attended: 0, notAttended: 0, noSession: 0, signed: 0, notSigned: 0, ratifiedSigned: 0, cjaRegistered: 0 };
}

/** Adds a row to the counts: (iv) and (v) among the credits distributed to a mediator. */
export function countRep1Row(counts: Rep1Counts, row: Rep1Row): void {
  counts.tagged++;
  if (row.accepted === YES) counts.accepted++;
  if (row.mediator !== null) {
    counts.distributed++;
    if (row.attended === YES) counts.attended++;
    else if (row.attended === NO) counts.notAttended++;
    else counts.noSession++;
  }
  if (row.signed === YES) counts.signed++;
  else if (row.signed === NO) counts.notSigned++;
  if (row.cjaRegistered === YES || row.cjaRegistered === NO) counts.ratifiedSigned++;
  if (row.cjaRegistered === YES) counts.cjaRegistered++;
}

/** The counts as the lines of «Acerca de», worded by item. */
export function rep1CountLines(counts: Rep1Counts): { label: string; value: number }[] {
  return [
    { label: '(i) Créditos asignados susceptibles de mediación', value: counts.tagged },
    { label: '(ii) Aceptaron la mediación', value: counts.accepted },
    { label: '(iii) Distribuidos a un mediador', value: counts.distributed },
    { label: '(iv) De los distribuidos: asistieron a la sesión', value: counts.attended },
    { label: '(iv) De los distribuidos: no asistieron a la sesión agendada', value: counts.notAttended },
    { label: '(iv) De los distribuidos: sin sesión', value: counts.noSession },
    { label: '(v) De los que asistieron: firmaron el convenio', value: counts.signed },
    { label: '(v) De los que asistieron: no firmaron', value: counts.notSigned },
    { label: '(vii) Convenios Ratificados firmados', value: counts.ratifiedSigned },
    { label: '(vii) De ellos, registrados ante el CJA', value: counts.cjaRegistered },
  ];
}
