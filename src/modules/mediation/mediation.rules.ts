/**
 * The mediation case (SPEC §4; Guía para la prestación del Servicio de Mediación, acts. 2–21;
 * Anexo 1 C re-mediation, ENT-C). Pure — no I/O, no clock:
 *
 * - the states of a case and their Spanish labels;
 * - every transition as data (`TRANSITIONS`): action, from-states, to-state, roles, activity and
 *   the requirements checked, in order;
 * - `decide`: accepts an action with its event, or refuses it with a code, the rule it applies and
 *   a Spanish message;
 * - `evolve`: the facts after an accepted event (what the service stores);
 * - `openCase`: a new case for a tagged credit — its round of re-mediation, EXC-1, ASG-5.
 *
 * Day counting comes from the deadlines module (day 0 = acceptance, SPEC §5).
 */
import type { IsoDate } from '../../clock.js';
import { addDays, formatDateEs, isIsoDate } from '../../clock.js';
import type { AssignmentEntry, ConvenioType, MediatorKind, Role } from '../../db/schema.js';
import type { ErrorCode } from '../../errors.js';
import {
  closesByDl5,
  closesByDl8,
  dueDateOf,
  explainDeadline,
  type CaseDeadlineFacts,
  type DeadlineKey,
  type DeadlinePolicy,
  type HolidayCalendar,
} from '../deadlines/deadlines.rules.js';
import { ROLE_LABELS as IDENTITY_ROLE_LABELS, ROLES } from '../identity/identity.rules.js';
import { SOLUTION_IDS, type SolutionId } from '../solutions/solutions.rules.js';

// ------------------------------------------------------------------------------------------------
// States
// ------------------------------------------------------------------------------------------------

/**
 * One state per step the procedure distinguishes and per way a case ends. `tagged` is the case of
 * a tagged credit before the visit (act. 1, ENT-A/B/C); `signed` ends this state machine (acts.
 * 22–36 belong to the convenio and case-file modules).
 */
export const CASE_STATES = [
  'tagged',
  'offered',
  'solution_at_visit',
  'refused',
  'accepted',
  'distributed',
  'contacting',
  'scheduled',
  'rescheduled',
  'not_scheduled',
  'session_held',
  'refused_to_sign',
  'signed',
  'closed_not_scheduled',
  'closed_dl5',
  'closed_dl8',
  'closed_no_agreement',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CASE_STATE_LABELS: Record<CaseState, string> = {
  tagged: 'Susceptible de mediación',
  offered: 'Mediación ofrecida',
  solution_at_visit: 'Solución aceptada en la visita (sin mediación)',
  refused: 'Negativa a la mediación',
  accepted: 'En Mediación',
  distributed: 'Distribuida a mediador',
  contacting: 'En contacto con las partes',
  scheduled: 'Sesión agendada',
  rescheduled: 'Sesión reagendada',
  not_scheduled: 'No se logró agendar (NS)',
  session_held: 'Sesión celebrada',
  refused_to_sign: 'Negativa a firmar el convenio (NR)',
  signed: 'Convenio firmado',
  closed_not_scheduled: 'Cerrado: no se logró agendar (NS)',
  closed_dl5: 'Cerrado automáticamente: sin sesión agendada ni registro (DL-5)',
  closed_dl8: 'Cerrado automáticamente: sin sesión celebrada ni nueva fecha (DL-8)',
  closed_no_agreement: 'Cerrado sin convenio (NR)',
};

/** States no transition leaves (only the survey invitation, act. 21, is still recorded in some). */
export const TERMINAL_STATES: readonly CaseState[] = [
  'solution_at_visit',
  'refused',
  'signed',
  'closed_not_scheduled',
  'closed_dl5',
  'closed_dl8',
  'closed_no_agreement',
];

/** "En Mediación" and after, until the case is closed or signed: the mediation tag is on. */
export const OPEN_STATES: readonly CaseState[] = [
  'accepted',
  'distributed',
  'contacting',
  'scheduled',
  'rescheduled',
  'not_scheduled',
  'session_held',
  'refused_to_sign',
];

// ------------------------------------------------------------------------------------------------
// Actors, causes, checklist
// ------------------------------------------------------------------------------------------------

/** The roles of SPEC §1 plus `system`, the automatic processes (DL-5, DL-8). */
export type ActorRole = Role | 'system';
export const ACTOR_ROLES = [...ROLES, 'system'] as const satisfies readonly ActorRole[];
type _UnlistedRole = Exclude<ActorRole, (typeof ACTOR_ROLES)[number]>;
const _everyRoleListed: [_UnlistedRole] extends [never] ? true : never = true;

/** The roles as users read them (identity's labels) and the automatic processes. */
export const ROLE_LABELS: Record<ActorRole, string> = { ...IDENTITY_ROLE_LABELS, system: 'Proceso automático' };

/** Who acts, with the scope SEC-2 checks: an agency's cases, a mediator's, a delegación's. */
export interface CaseActor {
  role: ActorRole;
  userId?: number | undefined;
  agencyId?: number | null | undefined;
  mediatorId?: number | null | undefined;
  delegationId?: number | null | undefined;
}

/** act. 9: why no session could be scheduled. */
export const NOT_SCHEDULED_CAUSES = ['NS-1', 'NS-2', 'NS-3'] as const;
export type NotScheduledCause = (typeof NOT_SCHEDULED_CAUSES)[number];
export const NOT_SCHEDULED_CAUSE_LABELS: Record<NotScheduledCause, string> = {
  'NS-1': 'No se logró contacto con el acreditado.',
  'NS-2': 'El acreditado manifestó de manera expresa su negativa para asistir a la sesión.',
  'NS-3': 'El acreditado no facilitó día y hora para la sesión.',
};

/** act. 18: why the borrower did not sign. */
export const REFUSAL_TO_SIGN_CAUSES = ['NR-1', 'NR-2', 'NR-3', 'NR-4', 'NR-5'] as const;
export type RefusalToSignCause = (typeof REFUSAL_TO_SIGN_CAUSES)[number];
export const REFUSAL_TO_SIGN_CAUSE_LABELS: Record<RefusalToSignCause, string> = {
  'NR-1': 'Consideró que los factores de los productos son altos y no tiene ingresos suficientes para cubrirlos (si fueran más bajos sí podría).',
  'NR-2': 'Manifestó no tener ingresos, por lo que no puede comprometerse a pagar alguna de las soluciones ofrecidas.',
  'NR-3': 'Manifestó no estar de acuerdo con el adeudo que tiene a la fecha y que está plasmado en el convenio.',
  'NR-4': 'Al conocer los efectos y consecuencias de la firma de un convenio de mediación, se negó a firmarlo.',
  'NR-5': 'No contó con información precisa sobre los productos, por lo que no aceptó firmar el convenio.',
};

/** Lineamiento 4 / Guía 2.5: the session checklist, recorded per session. */
export const CHECKLIST_ITEMS = ['CHK-1', 'CHK-2', 'CHK-3', 'CHK-4', 'CHK-5', 'CHK-6', 'CHK-7', 'CHK-8', 'CHK-9', 'CHK-10'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];
export type SessionChecklist = Record<ChecklistItem, boolean>;
export const CHECKLIST_LABELS: Record<ChecklistItem, string> = {
  'CHK-1': 'Identificación plena del mediador',
  'CHK-2': 'Puesta a disposición del aviso de privacidad',
  'CHK-3': 'Acreditación de la identidad de los mediados con identificación oficial y, en su caso, la personalidad de sus representantes',
  'CHK-4': 'Verificación de la capacidad jurídica de las partes',
  'CHK-5': 'Comunicación de reglas, derechos, obligaciones, alcances, implicaciones de la firma y consecuencias del incumplimiento',
  'CHK-6': 'Comunicación al acreditado del convenio de confidencialidad y de aceptación del servicio',
  'CHK-7': 'Narración del conflicto',
  'CHK-8': 'Presentación y selección de alternativas de solución',
  'CHK-9': 'Construcción de acuerdos',
  'CHK-10': 'Celebración del convenio de mediación, en su caso',
};

export const OFFER_CHANNELS = ['home_visit', 'phone', 'email', 'sms', 'whatsapp', 'mail'] as const;
export type OfferChannel = (typeof OFFER_CHANNELS)[number];
export const CONTACT_CHANNELS = ['phone', 'email', 'sms', 'whatsapp', 'in_person'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
/** act. 11: "por un medio que permita tenerlo por escrito: correo electrónico, mensaje SMS o Whatsapp". */
export const SUMMONS_CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type SummonsChannel = (typeof SUMMONS_CHANNELS)[number];
export const SESSION_MODES = ['in_person', 'remote'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];
/** act. 17: the representative, unless the DR manager or authorised staff attend in person. */
export const FUND_ATTENDEES = ['representative', 'regional_manager', 'authorised_staff'] as const;
export type FundAttendee = (typeof FUND_ATTENDEES)[number];
export const SIGNATORIES = ['borrower', 'representative', 'mediator'] as const;
export type Signatory = (typeof SIGNATORIES)[number];
export const SURVEY_CHANNELS = ['link', 'device'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];
const MEDIATOR_KINDS = ['cja_certified', 'notary', 'professional'] as const satisfies readonly MediatorKind[];
const CONVENIO_TYPES = ['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE'] as const satisfies readonly ConvenioType[];

// ------------------------------------------------------------------------------------------------
// Facts
// ------------------------------------------------------------------------------------------------

/**
 * What the guards read about a case: its state and round, its assignment (ASG-3/4), and the dated
 * facts the deadlines read. The service loads them with the case; `evolve` keeps them.
 */
export interface CaseFacts extends Omit<CaseDeadlineFacts, 'acceptedOn'> {
  state: CaseState;
  /** 1 for the first mediation of the credit; n + 1 after n signed convenios (ENT-C). */
  round: number;
  entry: AssignmentEntry;
  convenioType: ConvenioType;
  agencyId: number;
  delegationId: number;
  offeredOn?: IsoDate | undefined;
  refusedOn?: IsoDate | undefined;
  /** Day 0 (act. 4, or the agency's mark for ENT-A/B). */
  acceptedOn?: IsoDate | undefined;
  /** SEC-1: the privacy notice was shown (act. 4 or at a session, act. 16). */
  privacyNoticeShownOn?: IsoDate | undefined;
  contactDataCapturedOn?: IsoDate | undefined;
  mediatorId?: number | undefined;
  mediatorKind?: MediatorKind | undefined;
  appLicenceNumber?: string | undefined;
  representative?: { id: number; hasLegalPowers: boolean } | undefined;
  contactAttempts: number;
  rescheduleCount: number;
  notScheduledCause?: NotScheduledCause | undefined;
  draftsRequestedOn?: IsoDate | undefined;
  draftsProvidedOn?: IsoDate | undefined;
  draftSolutionIds?: readonly SolutionId[] | undefined;
  sessionsHeld: number;
  lastSessionOn?: IsoDate | undefined;
  /** CHK-2 at the start of the last session held (act. 16). */
  lastSessionPrivacyNoticeAtStart?: boolean | undefined;
  refusedToSignOn?: IsoDate | undefined;
  refusalToSignCause?: RefusalToSignCause | undefined;
  solutionId?: SolutionId | undefined;
  surveyInvitedOn?: IsoDate | undefined;
  /** The rule that closed the case: 'act. 3', 'act. 10', 'DL-5', 'DL-8', 'act. 19'. */
  closureRule?: string | undefined;
}

export interface ContactData {
  landline?: string | undefined;
  mobile?: string | undefined;
  email?: string | undefined;
}

type NoInput = Record<string, never>;

/** The data each action carries (what the service passes after parsing the request). */
export interface ActionInputs {
  offer_mediation: { channel: OfferChannel; solutionsOffered: readonly SolutionId[] };
  record_solution_at_visit: { solutionId: SolutionId };
  record_refusal: { note?: string | undefined };
  record_acceptance: { privacyNoticeShown: boolean; contactData?: ContactData | undefined };
  mark_accepted: NoInput;
  distribute: { mediatorId: number; mediatorKind: MediatorKind; appLicenceNumber: string };
  designate_representative: { representativeId: number; hasLegalPowers: boolean; contact: string };
  update_contact_data: { privacyNoticeShown?: boolean | undefined; contactData: ContactData };
  record_contact_attempt: { party: 'borrower' | 'representative'; channel: ContactChannel; reached: boolean };
  schedule_session: { sessionDate: IsoDate; sessionTime: string; mode: SessionMode; remoteTool?: string | undefined };
  send_summons: { channel: SummonsChannel; recipients: readonly ('borrower' | 'representative')[]; evidenceRef: string };
  request_draft_convenios: NoInput;
  provide_draft_convenios: { solutionIds: readonly SolutionId[] };
  reschedule_session: { sessionDate: IsoDate; sessionTime: string; mode: SessionMode; remoteTool?: string | undefined };
  record_not_scheduled: { cause: NotScheduledCause };
  close_not_scheduled: NoInput;
  close_by_dl5: NoInput;
  close_by_dl8: NoInput;
  hold_session: {
    heldOn: IsoDate;
    mode: SessionMode;
    remoteTool?: string | undefined;
    borrowerAttended: boolean;
    fundAttendee: FundAttendee;
    privacyNoticeShownAtStart: boolean;
    checklist: SessionChecklist;
  };
  record_refusal_to_sign: { cause: RefusalToSignCause; finalSession: boolean };
  close_without_agreement: NoInput;
  sign_convenio: {
    signedOn: IsoDate;
    convenioType: ConvenioType;
    solutionId: SolutionId;
    copies: number;
    signedBy: readonly Signatory[];
    acknowledgementSigned: boolean;
    firstPaymentExplained: boolean;
    checklist: SessionChecklist;
  };
  invite_to_survey: { channel: SurveyChannel; complaintChannelsExplained: boolean };
}
export type CaseAction = keyof ActionInputs;

// ------------------------------------------------------------------------------------------------
// Decisions
// ------------------------------------------------------------------------------------------------

/**
 * Why an action is refused. FORBIDDEN_ROLE / OUT_OF_SCOPE → 403; INVALID_INPUT → 400;
 * INVALID_STATE / DEADLINE / RULE → 409 (a forbidden transition, with the rule in the message).
 */
export type RefusalCode = 'FORBIDDEN_ROLE' | 'OUT_OF_SCOPE' | 'INVALID_STATE' | 'INVALID_INPUT' | 'DEADLINE' | 'RULE';

export const REFUSAL_ERROR_CODE: Record<RefusalCode, ErrorCode> = {
  FORBIDDEN_ROLE: 'FORBIDDEN',
  OUT_OF_SCOPE: 'FORBIDDEN',
  INVALID_INPUT: 'VALIDATION',
  INVALID_STATE: 'FORBIDDEN_TRANSITION',
  DEADLINE: 'FORBIDDEN_TRANSITION',
  RULE: 'FORBIDDEN_TRANSITION',
};

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** The rule applied: 'DL-7', 'act. 9', 'SEC-1', 'CHK-2', 'Lineamiento 3', 'EXC-1', … */
  rule: string;
  /** Spanish (es-MX), naming the rule. */
  message: string;
}

export interface CaseEvent<A extends CaseAction = CaseAction> {
  action: A;
  activity: string;
  from: CaseState;
  to: CaseState;
  /** The day the event is recorded (the service's `today`). */
  on: IsoDate;
  round: number;
  actor: { role: ActorRole; userId?: number | undefined };
  data: ActionInputs[A];
  /** Closures: the rule, and for automatic ones the policy version and the explanation. */
  closureRule?: string | undefined;
  policyVersion?: number | undefined;
  explanation?: string | undefined;
}
export type AnyCaseEvent = { [A in CaseAction]: CaseEvent<A> }[CaseAction];

export type Decision<A extends CaseAction = CaseAction> = { ok: true; to: CaseState; event: CaseEvent<A> } | Refusal;

export interface DecideOptions {
  /** The version of the deadline policy passed in, for explanations ("política v3"). */
  policyVersion?: number | undefined;
  /** Lineamiento 3: the remote-session tools approved by the mediation office. */
  approvedRemoteTools?: readonly string[] | undefined;
}

function refuse(code: RefusalCode, rule: string, message: string): Refusal {
  return { ok: false, code, rule, message };
}

// ------------------------------------------------------------------------------------------------
// Requirements (guards beyond role and state), each citing its rule
// ------------------------------------------------------------------------------------------------

interface GuardContext {
  facts: CaseFacts;
  input: Record<string, unknown>;
  actor: CaseActor;
  today: IsoDate;
  policy: DeadlinePolicy;
  holidays: HolidayCalendar;
  options: DecideOptions;
  transition: Transition;
}

export type RequirementId =
  | 'offer_data'
  | 'solution_accepted'
  | 'privacy_notice_first'
  | 'contact_data_after_privacy_notice'
  | 'contact_data_valid'
  | 'entry_by_request_or_re'
  | 'mediator_registered'
  | 'mediator_fits_convenio_type'
  | 'representative_valid'
  | 'representative_designated'
  | 'contact_attempt_valid'
  | 'within_dl3'
  | 'within_dl7'
  | 'one_reschedule'
  | 'session_date_valid'
  | 'approved_remote_tool'
  | 'summons_in_writing'
  | 'drafts_requested'
  | 'draft_solutions_valid'
  | 'ns_cause'
  | 'ns_window'
  | 'dl5_due'
  | 'dl8_due'
  | 'held_on_valid'
  | 'parties_present'
  | 'session_opening'
  | 'nr_cause'
  | 'final_session'
  | 'checklist_complete'
  | 'signature_on_session_day'
  | 'signatories'
  | 'convenio_type_matches'
  | 'solution_from_drafts'
  | 'representative_powers_at_signature'
  | 'survey_invitation';

interface Requirement {
  /** What is required, in Spanish (shown in the transition table and the docs). */
  label: string;
  check(ctx: GuardContext): Refusal | undefined;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;
const isDate = (value: unknown): value is IsoDate => typeof value === 'string' && isIsoDate(value);
const isPositiveInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;
function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
function isListOf<T extends string>(values: readonly T[], value: unknown): value is T[] {
  return Array.isArray(value) && value.every((item) => isOneOf(values, item)) && new Set(value).size === value.length;
}
function isChecklist(value: unknown): value is SessionChecklist {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return CHECKLIST_ITEMS.every((item) => typeof record[item] === 'boolean');
}
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const PHONE = /^\d{10}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function acceptedOnOf(facts: CaseFacts): IsoDate {
  if (facts.acceptedOn === undefined) throw new Error(`A case in state ${facts.state} has no acceptance date`);
  return facts.acceptedOn;
}

function deadlineFacts(facts: CaseFacts): CaseDeadlineFacts {
  return { ...facts, acceptedOn: acceptedOnOf(facts) };
}

function dueOn(ctx: GuardContext, key: DeadlineKey): IsoDate {
  return dueDateOf(key, acceptedOnOf(ctx.facts), ctx.policy, ctx.holidays);
}

/** "día 30" / "día hábil 30". */
function dayWord(ctx: GuardContext, key: DeadlineKey): string {
  const rule = ctx.policy[key];
  return `día ${rule.unit === 'business' ? 'hábil ' : ''}${rule.amount}`;
}

/** The mediator kind each convenio type needs (Lineamiento 2, CNV-2). */
const MEDIATOR_KIND_FOR: Record<ConvenioType, MediatorKind | undefined> = {
  RATIFIED: 'cja_certified',
  NOTARIAL: 'notary',
  ADMINISTRATIVE: undefined,
};

const MEDIATOR_KIND_WORDING: Record<MediatorKind, string> = {
  cja_certified: 'un mediador certificado por un Centro de Justicia Alternativa',
  notary: 'un Notario Público mediador',
  professional: 'un profesional de la mediación',
};

const CONVENIO_TYPE_WORDING: Record<ConvenioType, string> = {
  RATIFIED: 'Ratificado',
  NOTARIAL: 'Notarial',
  ADMINISTRATIVE: 'Administrativo',
};

function checkContactData(data: unknown, required: boolean): Refusal | undefined {
  if (data === undefined && !required) return undefined;
  const invalid = refuse(
    'INVALID_INPUT',
    'act. 4',
    'Datos de contacto inválidos: teléfono fijo y celular de 10 dígitos, correo electrónico válido; al menos uno (act. 4).',
  );
  if (typeof data !== 'object' || data === null) return invalid;
  const { landline, mobile, email } = data as Record<string, unknown>;
  const present = [landline, mobile, email].filter((value) => value !== undefined);
  if (present.length === 0) return invalid;
  if (landline !== undefined && !(typeof landline === 'string' && PHONE.test(landline))) return invalid;
  if (mobile !== undefined && !(typeof mobile === 'string' && PHONE.test(mobile))) return invalid;
  if (email !== undefined && !(typeof email === 'string' && EMAIL.test(email))) return invalid;
  return undefined;
}

function checkMediatorKind(convenioType: ConvenioType, kind: MediatorKind | undefined): Refusal | undefined {
  const needed = MEDIATOR_KIND_FOR[convenioType];
  if (needed === undefined || kind === needed) return undefined;
  return refuse(
    'RULE',
    'CNV-2',
    `Un convenio ${CONVENIO_TYPE_WORDING[convenioType]} requiere ${MEDIATOR_KIND_WORDING[needed]} (CNV-2, Lineamiento 2).`,
  );
}

function checkRemoteTool(ctx: GuardContext): Refusal | undefined {
  if (ctx.input.mode !== 'remote') return undefined;
  const tool = ctx.input.remoteTool;
  const approved = ctx.options.approvedRemoteTools ?? [];
  if (isString(tool) && approved.includes(tool)) return undefined;
  const named = isString(tool) ? `«${tool}» no está aprobada` : 'indique la herramienta';
  return refuse(
    'RULE',
    'Lineamiento 3',
    `Las sesiones a distancia sólo pueden usar herramientas aprobadas por la Gerencia de Mediación y Convenios (Lineamiento 3): ${named}.`,
  );
}

const REQUIREMENTS: Record<RequirementId, Requirement> = {
  offer_data: {
    label: 'Canal de la invitación y soluciones ofrecidas en la visita (act. 2)',
    check(ctx) {
      const { channel, solutionsOffered } = ctx.input;
      if (!isOneOf(OFFER_CHANNELS, channel) || !isListOf(SOLUTION_IDS, solutionsOffered)) {
        return refuse('INVALID_INPUT', 'act. 2', 'Indique el canal de la invitación y las soluciones ofrecidas (SOL-1 a SOL-5) (act. 2).');
      }
      if (channel === 'home_visit' && solutionsOffered.length === 0) {
        return refuse('RULE', 'act. 2', 'En la visita domiciliaria el asesor ofrece primero las soluciones disponibles; la mediación se ofrece si no aceptó ninguna (act. 2).');
      }
      if (ctx.actor.role === 'field_agent' && channel !== 'home_visit') {
        return refuse('RULE', 'act. 2', 'El Asesor de Soluciones ofrece la mediación en la visita domiciliaria; los otros canales son de la Agencia de Soluciones (act. 2).');
      }
      return undefined;
    },
  },
  solution_accepted: {
    label: 'Solución aceptada por el acreditado (act. 2)',
    check(ctx) {
      if (isOneOf(SOLUTION_IDS, ctx.input.solutionId)) return undefined;
      return refuse('INVALID_INPUT', 'act. 2', 'Indique la solución que aceptó el acreditado (SOL-1 a SOL-5) (act. 2).');
    },
  },
  privacy_notice_first: {
    label: 'Aviso de privacidad mostrado antes de la aceptación y de los datos de contacto (act. 4, SEC-1)',
    check(ctx) {
      if (ctx.input.privacyNoticeShown === true) return undefined;
      return ctx.input.contactData !== undefined
        ? refuse('RULE', 'SEC-1', 'No se pueden capturar datos de contacto sin haber mostrado antes el aviso de privacidad (SEC-1, act. 4).')
        : refuse('RULE', 'SEC-1', 'Muestre el aviso de privacidad del Infonavit para el servicio de mediación antes de registrar la aceptación (act. 4, SEC-1).');
    },
  },
  contact_data_after_privacy_notice: {
    label: 'Datos de contacto sólo con aviso de privacidad registrado (SEC-1)',
    check(ctx) {
      if (ctx.facts.privacyNoticeShownOn !== undefined || ctx.input.privacyNoticeShown === true) return undefined;
      return refuse('RULE', 'SEC-1', 'No se pueden capturar datos de contacto sin el registro de que se mostró el aviso de privacidad (SEC-1).');
    },
  },
  contact_data_valid: {
    label: 'Teléfono fijo, celular y correo electrónico válidos (act. 4)',
    check(ctx) {
      return checkContactData(ctx.input.contactData, ctx.transition.action === 'update_contact_data');
    },
  },
  entry_by_request_or_re: {
    label: 'Cuenta que entró por solicitud o propuesta (ENT-A) o por Recuperación Especializada (ENT-B)',
    check(ctx) {
      if (ctx.facts.entry === 'request' || ctx.facts.entry === 'specialized_recovery') return undefined;
      return refuse(
        'RULE',
        'ENT-A',
        'La agencia marca la mediación como aceptada sólo en cuentas que entraron por solicitud o propuesta (ENT-A) o por Recuperación Especializada (ENT-B); las demás se aceptan en la visita (act. 4).',
      );
    },
  },
  mediator_registered: {
    label: 'Mediador y número de licencia de la aplicación (act. 5)',
    check(ctx) {
      const { mediatorId, mediatorKind, appLicenceNumber } = ctx.input;
      if (isPositiveInteger(mediatorId) && isOneOf(MEDIATOR_KINDS, mediatorKind) && isString(appLicenceNumber)) return undefined;
      return refuse('INVALID_INPUT', 'act. 5', 'Indique el mediador y el número de licencia de la aplicación que tiene asignada (act. 5).');
    },
  },
  mediator_fits_convenio_type: {
    label: 'Mediador acorde al tipo de convenio: Ratificado → certificado por un CJA; Notarial → notario (CNV-2)',
    check(ctx) {
      const kind = isOneOf(MEDIATOR_KINDS, ctx.input.mediatorKind) ? ctx.input.mediatorKind : ctx.facts.mediatorKind;
      return checkMediatorKind(ctx.facts.convenioType, kind);
    },
  },
  representative_valid: {
    label: 'Representante con datos de contacto y poderes legales, salvo convenio administrativo (act. 7)',
    check(ctx) {
      const { representativeId, hasLegalPowers, contact } = ctx.input;
      if (!isPositiveInteger(representativeId) || typeof hasLegalPowers !== 'boolean' || !isString(contact)) {
        return refuse('INVALID_INPUT', 'act. 7', 'Indique el representante del Infonavit, si tiene poderes de representación y cómo contactarlo (act. 7).');
      }
      if (ctx.facts.convenioType !== 'ADMINISTRATIVE' && !hasLegalPowers) {
        return refuse('RULE', 'act. 7', 'El representante del Infonavit debe contar con poderes de representación legal, salvo en convenios administrativos (act. 7).');
      }
      return undefined;
    },
  },
  representative_designated: {
    label: 'Representante del Infonavit designado por la agencia (act. 7)',
    check(ctx) {
      if (ctx.facts.representative !== undefined) return undefined;
      return refuse('RULE', 'act. 7', 'La agencia debe designar antes al representante del Infonavit para la sesión (act. 7).');
    },
  },
  contact_attempt_valid: {
    label: 'Parte contactada, medio y resultado del intento (act. 8)',
    check(ctx) {
      const { party, channel, reached } = ctx.input;
      if (isOneOf(['borrower', 'representative'] as const, party) && isOneOf(CONTACT_CHANNELS, channel) && typeof reached === 'boolean') return undefined;
      return refuse('INVALID_INPUT', 'act. 8', 'Indique a quién se contactó (acreditado o representante), por qué medio y si se logró el contacto (act. 8).');
    },
  },
  within_dl3: {
    label: 'Dentro del plazo para agendar, día 30 desde la aceptación (DL-3)',
    check(ctx) {
      const limit = dueOn(ctx, 'DL-3');
      if (ctx.today <= limit) return undefined;
      return refuse(
        'DEADLINE',
        'DL-3',
        `El plazo para agendar la sesión venció el ${formatDateEs(limit)} (${dayWord(ctx, 'DL-3')} desde la aceptación, DL-3); registre que no se logró agendar y la causa (DL-4).`,
      );
    },
  },
  within_dl7: {
    label: 'Dentro del plazo para celebrar la sesión, 90 días desde la aceptación (DL-7)',
    check(ctx) {
      const limit = dueOn(ctx, 'DL-7');
      if (ctx.today <= limit) return undefined;
      return refuse(
        'DEADLINE',
        'DL-7',
        `El plazo para celebrar la sesión venció el ${formatDateEs(limit)} (${dayWord(ctx, 'DL-7')} desde la aceptación, DL-7); el caso se cierra automáticamente (DL-8).`,
      );
    },
  },
  one_reschedule: {
    label: 'Una sola reprogramación (DL-7, act. 14)',
    check(ctx) {
      if (ctx.facts.rescheduleCount < 1) return undefined;
      return refuse('RULE', 'DL-7', 'Sólo se permite una reprogramación (DL-7): la sesión ya fue reagendada una vez (act. 14).');
    },
  },
  session_date_valid: {
    label: 'Fecha y hora de la sesión, desde hoy y dentro de los 90 días desde la aceptación (DL-7)',
    check(ctx) {
      const { sessionDate, sessionTime, mode } = ctx.input;
      const activity = ctx.transition.activity;
      if (!isDate(sessionDate) || !(typeof sessionTime === 'string' && TIME.test(sessionTime)) || !isOneOf(SESSION_MODES, mode)) {
        return refuse('INVALID_INPUT', activity, `Indique la fecha (AAAA-MM-DD), la hora (HH:MM) y la modalidad (presencial o a distancia) de la sesión (${activity}).`);
      }
      if (sessionDate < ctx.today) {
        return refuse('INVALID_INPUT', activity, `La fecha de la sesión no puede ser anterior a hoy (${formatDateEs(ctx.today)}) (${activity}).`);
      }
      const limit = dueOn(ctx, 'DL-7');
      if (sessionDate > limit) {
        return refuse(
          'DEADLINE',
          'DL-7',
          `La sesión debe celebrarse a más tardar el ${formatDateEs(limit)} (${dayWord(ctx, 'DL-7')} desde la aceptación, DL-7).`,
        );
      }
      return undefined;
    },
  },
  approved_remote_tool: {
    label: 'Sesión a distancia con una herramienta aprobada por la Gerencia de Mediación y Convenios (Lineamiento 3)',
    check: checkRemoteTool,
  },
  summons_in_writing: {
    label: 'Convocatoria por escrito (correo, SMS o WhatsApp) al acreditado y al representante, con evidencia (act. 11)',
    check(ctx) {
      const { channel, recipients, evidenceRef } = ctx.input;
      if (!isOneOf(SUMMONS_CHANNELS, channel)) {
        return refuse('INVALID_INPUT', 'act. 11', 'La convocatoria se envía por un medio escrito: correo electrónico, SMS o WhatsApp (act. 11).');
      }
      if (!isListOf(['borrower', 'representative'] as const, recipients) || recipients.length !== 2) {
        return refuse('INVALID_INPUT', 'act. 11', 'La convocatoria se envía al acreditado y al representante del Infonavit (act. 11).');
      }
      if (!isString(evidenceRef)) {
        return refuse('INVALID_INPUT', 'act. 11', 'Conserve la evidencia de la convocatoria: indique el comprobante del envío (act. 11).');
      }
      return undefined;
    },
  },
  drafts_requested: {
    label: 'Convenios preliminares solicitados por el mediador (act. 12)',
    check(ctx) {
      if (ctx.facts.draftsRequestedOn !== undefined) return undefined;
      return refuse('RULE', 'act. 12', 'El mediador no ha solicitado los convenios preliminares de este crédito (act. 12).');
    },
  },
  draft_solutions_valid: {
    label: 'Un convenio preliminar por cada solución disponible (act. 13)',
    check(ctx) {
      const { solutionIds } = ctx.input;
      if (isListOf(SOLUTION_IDS, solutionIds) && solutionIds.length > 0) return undefined;
      return refuse('INVALID_INPUT', 'act. 13', 'Indique las soluciones (SOL-1 a SOL-5) de los convenios preliminares entregados, una vez cada una (act. 13).');
    },
  },
  ns_cause: {
    label: 'Causa de no agendada: NS-1, NS-2 o NS-3 (act. 9)',
    check(ctx) {
      if (isOneOf(NOT_SCHEDULED_CAUSES, ctx.input.cause)) return undefined;
      return refuse('INVALID_INPUT', 'NS-1..3', 'Indique la causa por la que no se logró agendar: NS-1 sin contacto, NS-2 negativa expresa a asistir o NS-3 sin día y hora (act. 9).');
    },
  },
  ns_window: {
    label: 'Registro de no agendada el día 31 desde la aceptación, antes del cierre del día 32 (DL-4, DL-5)',
    check(ctx) {
      const from = dueOn(ctx, 'DL-4');
      const closure = dueOn(ctx, 'DL-5');
      if (ctx.today < from) {
        return refuse(
          'DEADLINE',
          'DL-4',
          `Que no se logró agendar se registra a partir del ${dayWord(ctx, 'DL-4')} desde la aceptación (${formatDateEs(from)}): antes, el mediador sigue intentando el contacto al menos ${ctx.policy['DL-3'].amount} días (act. 9, DL-4).`,
        );
      }
      if (ctx.today >= closure) {
        return refuse(
          'DEADLINE',
          'DL-5',
          `El registro de no agendada correspondía hasta el ${formatDateEs(addDays(closure, -1))}; desde el ${formatDateEs(closure)} el caso se cierra automáticamente (DL-5).`,
        );
      }
      return undefined;
    },
  },
  dl5_due: {
    label: 'Día 32 desde la aceptación sin sesión agendada ni registro de no agendada (DL-5)',
    check(ctx) {
      if (closesByDl5(deadlineFacts(ctx.facts), ctx.today, ctx.policy, ctx.holidays)) return undefined;
      return refuse(
        'DEADLINE',
        'DL-5',
        `El cierre automático aplica desde el ${formatDateEs(dueOn(ctx, 'DL-5'))} (${dayWord(ctx, 'DL-5')} desde la aceptación) a casos sin sesión agendada ni registro de no agendada (DL-5).`,
      );
    },
  },
  dl8_due: {
    label: 'Día 91 desde la aceptación sin sesión celebrada ni nueva fecha (DL-8)',
    check(ctx) {
      if (closesByDl8(deadlineFacts(ctx.facts), ctx.today, ctx.policy, ctx.holidays)) return undefined;
      return refuse(
        'DEADLINE',
        'DL-8',
        `El cierre automático aplica desde el ${formatDateEs(dueOn(ctx, 'DL-8'))} (${dayWord(ctx, 'DL-8')} desde la aceptación) a casos sin sesión celebrada ni nueva fecha (DL-8).`,
      );
    },
  },
  held_on_valid: {
    label: 'Fecha de la sesión: desde que se agendó, no futura y dentro de los 90 días desde la aceptación (DL-7)',
    check(ctx) {
      const { heldOn, mode } = ctx.input;
      if (!isDate(heldOn) || !isOneOf(SESSION_MODES, mode)) {
        return refuse('INVALID_INPUT', 'act. 16', 'Indique la fecha en que se celebró la sesión (AAAA-MM-DD) y su modalidad (act. 16).');
      }
      if (heldOn > ctx.today) {
        return refuse('INVALID_INPUT', 'act. 16', `La sesión no puede registrarse con fecha posterior a hoy (${formatDateEs(ctx.today)}) (act. 16).`);
      }
      const earliest = ctx.facts.lastSessionOn ?? ctx.facts.rescheduledOn ?? ctx.facts.scheduledOn;
      if (earliest !== undefined && heldOn < earliest) {
        return refuse('INVALID_INPUT', 'act. 16', `La sesión no puede ser anterior al ${formatDateEs(earliest)} (agenda o sesión previa) (act. 16).`);
      }
      const limit = dueOn(ctx, 'DL-7');
      if (heldOn > limit) {
        return refuse(
          'DEADLINE',
          'DL-7',
          `Las sesiones se celebran dentro de los ${ctx.policy['DL-7'].amount} días desde la aceptación: a más tardar el ${formatDateEs(limit)} (DL-7).`,
        );
      }
      return undefined;
    },
  },
  parties_present: {
    label: 'Asisten el acreditado y el Infonavit (representante con poderes, o el Gerente de Cobranza o personal habilitado) (act. 16–17)',
    check(ctx) {
      const { borrowerAttended, fundAttendee } = ctx.input;
      if (borrowerAttended !== true) {
        return refuse('RULE', 'act. 16', 'Sin la asistencia del acreditado la sesión no se celebra: reagéndela (act. 14).');
      }
      if (!isOneOf(FUND_ATTENDEES, fundAttendee)) {
        return refuse('INVALID_INPUT', 'act. 17', 'Indique quién representó al Infonavit en la sesión: el representante designado, el Gerente de Cobranza de la DR o personal habilitado (act. 17).');
      }
      if (fundAttendee === 'representative') {
        const representative = ctx.facts.representative;
        if (representative === undefined) {
          return refuse('RULE', 'act. 7', 'La agencia no ha designado al representante del Infonavit para este caso (act. 7).');
        }
        if (ctx.facts.convenioType !== 'ADMINISTRATIVE' && !representative.hasLegalPowers) {
          return refuse('RULE', 'act. 7', 'El representante del Infonavit debe contar con poderes de representación legal, salvo en convenios administrativos (act. 7).');
        }
      }
      return undefined;
    },
  },
  session_opening: {
    label: 'Lista de verificación de la sesión con CHK-1 (identificación del mediador) y CHK-2 (aviso de privacidad al inicio) (act. 16)',
    check(ctx) {
      const { checklist, privacyNoticeShownAtStart } = ctx.input;
      if (!isChecklist(checklist)) {
        return refuse('INVALID_INPUT', 'CHK-1..10', 'Registre la lista de verificación de la sesión, CHK-1 a CHK-10 (Lineamiento 4).');
      }
      if (privacyNoticeShownAtStart !== true || !checklist['CHK-2']) {
        return refuse('RULE', 'CHK-2', 'El aviso de privacidad se muestra al inicio de la sesión (CHK-2, act. 16, SEC-1).');
      }
      if (!checklist['CHK-1']) {
        return refuse('RULE', 'CHK-1', 'El mediador debe identificarse plenamente al inicio de la sesión (CHK-1).');
      }
      return undefined;
    },
  },
  nr_cause: {
    label: 'Causa de la negativa a firmar: NR-1 a NR-5 (act. 18)',
    check(ctx) {
      if (isOneOf(REFUSAL_TO_SIGN_CAUSES, ctx.input.cause)) return undefined;
      return refuse('INVALID_INPUT', 'NR-1..5', 'Indique la causa de la negativa a firmar el convenio: NR-1 a NR-5 (act. 18).');
    },
  },
  final_session: {
    label: 'Sólo al final de la última sesión (act. 18)',
    check(ctx) {
      if (ctx.input.finalSession === true) return undefined;
      return refuse('RULE', 'act. 18', 'La negativa a firmar sólo se registra al final de la sesión que se considere la última (act. 18).');
    },
  },
  checklist_complete: {
    label: 'Lista de verificación completa, CHK-1 a CHK-10, con el aviso de privacidad al inicio de la sesión (Lineamiento 4, CNV-2)',
    check(ctx) {
      const { checklist } = ctx.input;
      if (!isChecklist(checklist)) {
        return refuse('INVALID_INPUT', 'CHK-1..10', 'Registre la lista de verificación de la sesión, CHK-1 a CHK-10 (Lineamiento 4).');
      }
      if (ctx.facts.lastSessionPrivacyNoticeAtStart !== true || !checklist['CHK-2']) {
        return refuse('RULE', 'CHK-2', 'Antes de firmar, el aviso de privacidad debe haberse mostrado al inicio de la sesión (CHK-2, act. 16).');
      }
      const missing = CHECKLIST_ITEMS.filter((item) => !checklist[item]);
      if (missing.length === 0) return undefined;
      return refuse(
        'RULE',
        missing[0]!,
        `Para firmar el convenio la lista de verificación debe estar completa (Lineamiento 4, CNV-2); falta: ${missing.map((item) => `${item} ${CHECKLIST_LABELS[item].toLowerCase()}`).join('; ')}.`,
      );
    },
  },
  signature_on_session_day: {
    label: 'Firma al final de la sesión: fecha de la última sesión celebrada (act. 20)',
    check(ctx) {
      const { signedOn } = ctx.input;
      const last = ctx.facts.lastSessionOn;
      if (isDate(signedOn) && signedOn === last) return undefined;
      return refuse(
        'RULE',
        'act. 20',
        `El convenio se firma al final de la sesión: la fecha de firma debe ser la de la última sesión celebrada${last ? ` (${formatDateEs(last)})` : ''} (act. 20).`,
      );
    },
  },
  signatories: {
    label: 'Al menos por triplicado, firmado por acreditado, representante y mediador, con acuse y plazo del primer pago informado (act. 20)',
    check(ctx) {
      const { copies, signedBy, acknowledgementSigned, firstPaymentExplained } = ctx.input;
      if (!(typeof copies === 'number' && Number.isInteger(copies) && copies >= 3)) {
        return refuse('RULE', 'act. 20', 'El convenio se firma al menos por triplicado (act. 20).');
      }
      if (!isListOf(SIGNATORIES, signedBy) || signedBy.length !== SIGNATORIES.length) {
        return refuse('RULE', 'act. 20', 'El convenio lo firman el acreditado, el representante del Infonavit y el mediador (act. 20, Lineamiento 5).');
      }
      if (acknowledgementSigned !== true) {
        return refuse('RULE', 'act. 20', 'El acreditado firma el acuse de recibo de su original del convenio (act. 20).');
      }
      if (firstPaymentExplained !== true) {
        return refuse('RULE', 'act. 20', 'Informe al acreditado el plazo del primer pago, un único pago por la cantidad completa (act. 20).');
      }
      return undefined;
    },
  },
  convenio_type_matches: {
    label: 'Tipo de convenio asignado al crédito (ASG-3)',
    check(ctx) {
      const { convenioType } = ctx.input;
      if (isOneOf(CONVENIO_TYPES, convenioType) && convenioType === ctx.facts.convenioType) return undefined;
      return refuse(
        'RULE',
        'ASG-3',
        `El tipo de convenio del crédito es ${CONVENIO_TYPE_WORDING[ctx.facts.convenioType]}, asignado por la Gerencia de Operación (ASG-3).`,
      );
    },
  },
  solution_from_drafts: {
    label: 'Solución entre los convenios preliminares entregados por la DR (act. 13)',
    check(ctx) {
      const drafts = ctx.facts.draftSolutionIds;
      if (ctx.facts.draftsProvidedOn === undefined || drafts === undefined || drafts.length === 0) {
        return refuse('RULE', 'act. 13', 'La DR no ha entregado los convenios preliminares de este crédito (act. 13).');
      }
      if (isOneOf(drafts, ctx.input.solutionId)) return undefined;
      return refuse('RULE', 'act. 13', `La solución firmada debe ser una de las de los convenios preliminares entregados: ${drafts.join(', ')} (act. 13).`);
    },
  },
  representative_powers_at_signature: {
    label: 'Representante designado, con poderes salvo convenio administrativo; mediador acorde al tipo (act. 7, CNV-2)',
    check(ctx) {
      const representative = ctx.facts.representative;
      if (representative === undefined) {
        return refuse('RULE', 'act. 7', 'La agencia no ha designado al representante del Infonavit para este caso (act. 7).');
      }
      if (ctx.facts.convenioType !== 'ADMINISTRATIVE' && !representative.hasLegalPowers) {
        return refuse('RULE', 'CNV-2', 'El representante que firma un convenio Ratificado o Notarial debe contar con poderes de representación legal (CNV-2, act. 7).');
      }
      return checkMediatorKind(ctx.facts.convenioType, ctx.facts.mediatorKind);
    },
  },
  survey_invitation: {
    label: 'Liga o dispositivo para la encuesta e información de dónde presentar quejas (act. 21)',
    check(ctx) {
      if (!isOneOf(SURVEY_CHANNELS, ctx.input.channel)) {
        return refuse('INVALID_INPUT', 'act. 21', 'Indique si la encuesta se respondió por la liga o en un dispositivo del mediador (act. 21).');
      }
      if (ctx.input.complaintChannelsExplained !== true) {
        return refuse('RULE', 'act. 21', 'Informe al acreditado dónde puede presentar cualquier queja sobre el servicio de mediación (act. 21).');
      }
      return undefined;
    },
  },
};

export const REQUIREMENT_LABELS: Record<RequirementId, string> = Object.fromEntries(
  Object.entries(REQUIREMENTS).map(([id, requirement]) => [id, requirement.label]),
) as Record<RequirementId, string>;

// ------------------------------------------------------------------------------------------------
// Transitions
// ------------------------------------------------------------------------------------------------

export interface Transition<A extends CaseAction = CaseAction> {
  action: A;
  /** Spanish label of the action. */
  label: string;
  /** The Guía activity (and entry annex) it implements. */
  activity: string;
  from: readonly CaseState[];
  /** `'same'`: the action records data and keeps the state. */
  to: CaseState | 'same';
  roles: readonly ActorRole[];
  /** Checked in order after role, state and scope; the first that fails is the refusal. */
  requires: readonly RequirementId[];
  /** States refused with a specific rule instead of the generic "not from this state". */
  refusedFrom?: Partial<Record<CaseState, Omit<Refusal, 'ok'>>>;
  /** For closures: the rule recorded as the reason. */
  closes?: string;
}

const PRE_SESSION: readonly CaseState[] = ['accepted', 'distributed', 'contacting', 'scheduled', 'rescheduled'];
const SCHEDULED: readonly CaseState[] = ['scheduled', 'rescheduled'];

/** Every transition of acts. 2–21 (and ENT-A/B/C entries) as data. */
export const TRANSITIONS: { readonly [A in CaseAction]: Transition<A> } = {
  offer_mediation: {
    action: 'offer_mediation',
    label: 'Ofrecer la mediación',
    activity: 'act. 2–3',
    from: ['tagged'],
    to: 'offered',
    roles: ['field_agent', 'agency'],
    requires: ['offer_data'],
  },
  record_solution_at_visit: {
    action: 'record_solution_at_visit',
    label: 'Registrar solución aceptada en la visita',
    activity: 'act. 2',
    from: ['tagged'],
    to: 'solution_at_visit',
    roles: ['field_agent'],
    requires: ['solution_accepted'],
    closes: 'act. 2',
  },
  record_refusal: {
    action: 'record_refusal',
    label: 'Registrar la negativa a la mediación',
    activity: 'act. 3, ENT-C act. 3',
    from: ['offered'],
    to: 'refused',
    roles: ['field_agent', 'agency'],
    requires: [],
    closes: 'act. 3',
  },
  record_acceptance: {
    action: 'record_acceptance',
    label: 'Registrar la aceptación («En Mediación»)',
    activity: 'act. 4, ENT-C act. 2',
    from: ['offered'],
    to: 'accepted',
    roles: ['field_agent', 'agency'],
    requires: ['privacy_notice_first', 'contact_data_valid'],
  },
  mark_accepted: {
    action: 'mark_accepted',
    label: 'Marcar la cuenta con mediación aceptada',
    activity: 'ENT-A act. 7, ENT-B act. 4',
    from: ['tagged'],
    to: 'accepted',
    roles: ['agency'],
    requires: ['entry_by_request_or_re'],
  },
  distribute: {
    action: 'distribute',
    label: 'Aprobar y distribuir al mediador',
    activity: 'act. 5',
    from: ['accepted'],
    to: 'distributed',
    roles: ['agency'],
    requires: ['mediator_registered', 'mediator_fits_convenio_type'],
  },
  designate_representative: {
    action: 'designate_representative',
    label: 'Designar al representante del Infonavit',
    activity: 'act. 7',
    from: PRE_SESSION,
    to: 'same',
    roles: ['agency'],
    requires: ['representative_valid'],
  },
  update_contact_data: {
    action: 'update_contact_data',
    label: 'Capturar o confirmar datos de contacto',
    activity: 'act. 4, SEC-1',
    from: [...PRE_SESSION, 'session_held'],
    to: 'same',
    roles: ['field_agent', 'agency', 'mediator'],
    requires: ['contact_data_after_privacy_notice', 'contact_data_valid'],
  },
  record_contact_attempt: {
    action: 'record_contact_attempt',
    label: 'Registrar intento de contacto',
    activity: 'act. 8',
    from: ['distributed', 'contacting'],
    to: 'contacting',
    roles: ['mediator'],
    requires: ['contact_attempt_valid'],
  },
  schedule_session: {
    action: 'schedule_session',
    label: 'Agendar la sesión',
    activity: 'act. 11',
    from: ['distributed', 'contacting'],
    to: 'scheduled',
    roles: ['mediator'],
    requires: ['representative_designated', 'within_dl3', 'session_date_valid', 'approved_remote_tool'],
  },
  send_summons: {
    action: 'send_summons',
    label: 'Registrar el envío de la convocatoria',
    activity: 'act. 11',
    from: SCHEDULED,
    to: 'same',
    roles: ['mediator'],
    requires: ['summons_in_writing'],
  },
  request_draft_convenios: {
    action: 'request_draft_convenios',
    label: 'Solicitar convenios preliminares a la DR',
    activity: 'act. 12',
    from: [...SCHEDULED, 'session_held'],
    to: 'same',
    roles: ['mediator'],
    requires: [],
  },
  provide_draft_convenios: {
    action: 'provide_draft_convenios',
    label: 'Entregar convenios preliminares al mediador',
    activity: 'act. 13',
    from: [...SCHEDULED, 'session_held'],
    to: 'same',
    roles: ['regional_manager'],
    requires: ['drafts_requested', 'draft_solutions_valid'],
  },
  reschedule_session: {
    action: 'reschedule_session',
    label: 'Reagendar la sesión',
    activity: 'act. 14',
    from: ['scheduled'],
    to: 'rescheduled',
    roles: ['mediator'],
    requires: ['one_reschedule', 'within_dl7', 'session_date_valid', 'approved_remote_tool'],
    refusedFrom: {
      rescheduled: { code: 'RULE', rule: 'DL-7', message: 'Sólo se permite una reprogramación (DL-7): la sesión ya fue reagendada una vez (act. 14).' },
    },
  },
  record_not_scheduled: {
    action: 'record_not_scheduled',
    label: 'Registrar que no se logró agendar (NS)',
    activity: 'act. 9',
    from: ['distributed', 'contacting'],
    to: 'not_scheduled',
    roles: ['mediator'],
    requires: ['ns_cause', 'ns_window'],
  },
  close_not_scheduled: {
    action: 'close_not_scheduled',
    label: 'Retirar la etiqueta de mediación (no agendada)',
    activity: 'act. 10',
    from: ['not_scheduled'],
    to: 'closed_not_scheduled',
    roles: ['operations', 'system'],
    requires: [],
    closes: 'act. 10',
  },
  close_by_dl5: {
    action: 'close_by_dl5',
    label: 'Cierre automático del día 32',
    activity: 'act. 10',
    from: ['accepted', 'distributed', 'contacting'],
    to: 'closed_dl5',
    roles: ['system', 'operations'],
    requires: ['dl5_due'],
    closes: 'DL-5',
  },
  close_by_dl8: {
    action: 'close_by_dl8',
    label: 'Cierre automático del día 91',
    activity: 'act. 15',
    from: SCHEDULED,
    to: 'closed_dl8',
    roles: ['system', 'operations'],
    requires: ['dl8_due'],
    closes: 'DL-8',
  },
  hold_session: {
    action: 'hold_session',
    label: 'Registrar la sesión celebrada',
    activity: 'act. 16–17',
    from: [...SCHEDULED, 'session_held'],
    to: 'session_held',
    roles: ['mediator'],
    requires: ['held_on_valid', 'parties_present', 'session_opening', 'approved_remote_tool'],
  },
  record_refusal_to_sign: {
    action: 'record_refusal_to_sign',
    label: 'Registrar la negativa a firmar (NR)',
    activity: 'act. 18',
    from: ['session_held'],
    to: 'refused_to_sign',
    roles: ['mediator'],
    requires: ['nr_cause', 'final_session'],
  },
  close_without_agreement: {
    action: 'close_without_agreement',
    label: 'Retirar la etiqueta de mediación (sin convenio)',
    activity: 'act. 19',
    from: ['refused_to_sign'],
    to: 'closed_no_agreement',
    roles: ['operations', 'system'],
    requires: [],
    closes: 'act. 19',
  },
  sign_convenio: {
    action: 'sign_convenio',
    label: 'Registrar el convenio firmado',
    activity: 'act. 20',
    from: ['session_held'],
    to: 'signed',
    roles: ['mediator'],
    requires: [
      'signature_on_session_day',
      'checklist_complete',
      'convenio_type_matches',
      'solution_from_drafts',
      'representative_powers_at_signature',
      'signatories',
    ],
  },
  invite_to_survey: {
    action: 'invite_to_survey',
    label: 'Invitar a la encuesta de calidad del servicio',
    activity: 'act. 21',
    from: ['session_held', 'refused_to_sign', 'signed', 'closed_no_agreement'],
    to: 'same',
    roles: ['mediator'],
    requires: ['survey_invitation'],
  },
};

export const CASE_ACTIONS = Object.keys(TRANSITIONS) as CaseAction[];

// ------------------------------------------------------------------------------------------------
// decide
// ------------------------------------------------------------------------------------------------

/** SEC-2 at the rule level (the repository also scopes in SQL). */
function checkScope(facts: CaseFacts, actor: CaseActor, activity: string): Refusal | undefined {
  switch (actor.role) {
    case 'mediator':
      return facts.mediatorId !== undefined && actor.mediatorId === facts.mediatorId
        ? undefined
        : refuse('OUT_OF_SCOPE', 'SEC-2', `El caso no está distribuido a este mediador (SEC-2, ${activity}).`);
    case 'agency':
    case 'field_agent':
      return actor.agencyId === facts.agencyId ? undefined : refuse('OUT_OF_SCOPE', 'SEC-2', `El crédito no está asignado a esta agencia (SEC-2, ${activity}).`);
    case 'regional_manager':
      return actor.delegationId === facts.delegationId
        ? undefined
        : refuse('OUT_OF_SCOPE', 'SEC-2', `El crédito no pertenece a la delegación de este Gerente de Cobranza (SEC-2, ${activity}).`);
    default:
      return undefined;
  }
}

/**
 * Accepts or refuses an action on a case. Order: role, state, scope (SEC-2), then the
 * transition's requirements in order; the first failure is the refusal.
 */
export function decide<A extends CaseAction>(
  facts: CaseFacts,
  action: A,
  input: ActionInputs[A],
  actor: CaseActor,
  today: IsoDate,
  deadlinePolicy: DeadlinePolicy,
  holidays: HolidayCalendar,
  options: DecideOptions = {},
): Decision<A> {
  const transition = TRANSITIONS[action] as Transition;
  const name = `«${transition.label}» (${transition.activity})`;
  if (!transition.roles.includes(actor.role)) {
    return refuse(
      'FORBIDDEN_ROLE',
      transition.activity,
      `${ROLE_LABELS[actor.role]} no puede ${name}: corresponde a ${transition.roles.map((role) => ROLE_LABELS[role]).join(' o ')}.`,
    );
  }
  if (!transition.from.includes(facts.state)) {
    const specific = transition.refusedFrom?.[facts.state];
    if (specific) return { ok: false, ...specific };
    return refuse('INVALID_STATE', transition.activity, `No se puede ${name} desde el estado «${CASE_STATE_LABELS[facts.state]}».`);
  }
  const outOfScope = checkScope(facts, actor, transition.activity);
  if (outOfScope) return outOfScope;
  const ctx: GuardContext = {
    facts,
    input: input as unknown as Record<string, unknown>,
    actor,
    today,
    policy: deadlinePolicy,
    holidays,
    options,
    transition,
  };
  for (const requirement of transition.requires) {
    const refusal = REQUIREMENTS[requirement].check(ctx);
    if (refusal) return refusal;
  }
  const to = transition.to === 'same' ? facts.state : transition.to;
  const event: CaseEvent<A> = {
    action,
    activity: transition.activity,
    from: facts.state,
    to,
    on: today,
    round: facts.round,
    actor: { role: actor.role, userId: actor.userId },
    data: input,
  };
  if (transition.closes !== undefined) event.closureRule = transition.closes;
  if (action === 'close_by_dl5' || action === 'close_by_dl8') {
    const key = action === 'close_by_dl5' ? 'DL-5' : 'DL-8';
    const version = options.policyVersion ?? 0;
    event.policyVersion = version;
    event.explanation = explainDeadline(key, dueDateOf(key, acceptedOnOf(facts), deadlinePolicy, holidays), deadlinePolicy, version);
  }
  return { ok: true, to, event };
}

/** The actions a role may take on a case in its current state (role and state only). */
export function availableActions(state: CaseState, role: ActorRole): CaseAction[] {
  return CASE_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(state) && TRANSITIONS[action].roles.includes(role));
}

// ------------------------------------------------------------------------------------------------
// evolve
// ------------------------------------------------------------------------------------------------

/** The facts after an accepted event — what the service stores with the event. */
export function evolve(facts: CaseFacts, event: AnyCaseEvent): CaseFacts {
  const next: CaseFacts = { ...facts, state: event.to };
  const on = event.on;
  switch (event.action) {
    case 'offer_mediation':
      next.offeredOn = on;
      break;
    case 'record_solution_at_visit':
      next.solutionId = event.data.solutionId;
      break;
    case 'record_refusal':
      next.refusedOn = on;
      break;
    case 'record_acceptance':
    case 'mark_accepted':
      next.acceptedOn = on;
      if (event.action === 'record_acceptance') {
        next.privacyNoticeShownOn = on;
        if (event.data.contactData !== undefined) next.contactDataCapturedOn = on;
      }
      break;
    case 'distribute':
      next.distributedOn = on;
      next.mediatorId = event.data.mediatorId;
      next.mediatorKind = event.data.mediatorKind;
      next.appLicenceNumber = event.data.appLicenceNumber;
      break;
    case 'designate_representative':
      next.representative = { id: event.data.representativeId, hasLegalPowers: event.data.hasLegalPowers };
      break;
    case 'update_contact_data':
      next.privacyNoticeShownOn ??= on;
      next.contactDataCapturedOn = on;
      break;
    case 'record_contact_attempt':
      next.firstContactOn ??= on;
      next.contactAttempts = facts.contactAttempts + 1;
      break;
    case 'schedule_session':
      next.firstContactOn ??= on;
      next.scheduledOn = on;
      next.sessionDate = event.data.sessionDate;
      break;
    case 'send_summons':
      if (facts.rescheduledOn !== undefined) next.rescheduleSummonsSentOn ??= on;
      else next.summonsSentOn ??= on;
      break;
    case 'request_draft_convenios':
      next.draftsRequestedOn = on;
      break;
    case 'provide_draft_convenios':
      next.draftsProvidedOn = on;
      next.draftSolutionIds = [...event.data.solutionIds];
      break;
    case 'reschedule_session':
      next.rescheduledOn = on;
      next.sessionDate = event.data.sessionDate;
      next.rescheduleCount = facts.rescheduleCount + 1;
      break;
    case 'record_not_scheduled':
      next.notScheduledRecordedOn = on;
      next.notScheduledCause = event.data.cause;
      break;
    case 'hold_session':
      next.sessionHeldOn ??= event.data.heldOn;
      next.lastSessionOn = event.data.heldOn;
      next.sessionsHeld = facts.sessionsHeld + 1;
      next.lastSessionPrivacyNoticeAtStart = event.data.privacyNoticeShownAtStart;
      next.privacyNoticeShownOn ??= event.data.heldOn;
      break;
    case 'record_refusal_to_sign':
      next.refusedToSignOn = on;
      next.refusalToSignCause = event.data.cause;
      break;
    case 'sign_convenio':
      next.signedOn = event.data.signedOn;
      next.solutionId = event.data.solutionId;
      break;
    case 'invite_to_survey':
      next.surveyInvitedOn = on;
      break;
    case 'close_not_scheduled':
    case 'close_by_dl5':
    case 'close_by_dl8':
    case 'close_without_agreement':
      break;
  }
  if (event.closureRule !== undefined) {
    next.closedOn = on;
    next.closureRule = event.closureRule;
  }
  return next;
}

// ------------------------------------------------------------------------------------------------
// Opening a case: rounds of re-mediation (ENT-C), EXC-1, ASG-5
// ------------------------------------------------------------------------------------------------

export interface OpenCaseInput {
  entry: AssignmentEntry;
  convenioType: ConvenioType;
  agencyId: number;
  delegationId: number;
  /** Convenios signed in earlier cases of the credit (each ended a round). */
  priorConvenios: number;
  /** Of those, the broken ones (CNV-5). */
  brokenConvenios: number;
  /** ASG-5: the credit already has an open case. */
  hasOpenCase: boolean;
  /** ENT-C: re-mediation because of new circumstances (when no convenio is broken). */
  newCircumstances?: string | undefined;
  /** ENT-A act. 6: the day the office told the agency (DL-18). */
  entryNoticeOn?: IsoDate | undefined;
  /** EXC-1 policy value (`exclusion_criteria['EXC-1'].maxBrokenConvenios`, default 2). */
  maxBrokenConvenios?: number | undefined;
}

/**
 * A new case in state `tagged`. Round = 1 + convenios signed before (ENT-C: re-mediation follows
 * a convenio that was broken or new circumstances); a credit with two broken convenios cannot
 * open a new round (EXC-1); a credit keeps its open case (ASG-5).
 */
export function openCase(input: OpenCaseInput): { ok: true; facts: CaseFacts } | Refusal {
  const { priorConvenios, brokenConvenios } = input;
  const maxBroken = input.maxBrokenConvenios ?? 2;
  if (!Number.isInteger(priorConvenios) || !Number.isInteger(brokenConvenios) || priorConvenios < 0 || brokenConvenios < 0 || brokenConvenios > priorConvenios) {
    return refuse('INVALID_INPUT', 'ENT-C', 'Los convenios incumplidos no pueden ser más que los convenios firmados antes (ENT-C).');
  }
  if (input.hasOpenCase) {
    return refuse('RULE', 'ASG-5', 'El crédito ya tiene un caso de mediación abierto; lo conserva (ASG-5).');
  }
  if (brokenConvenios >= maxBroken) {
    return refuse('RULE', 'EXC-1', `El crédito tiene ${brokenConvenios} convenios de mediación incumplidos: la re-mediación está agotada (EXC-1).`);
  }
  if (input.entry === 're_mediation') {
    if (priorConvenios === 0) {
      return refuse('RULE', 'ENT-C', 'La re-mediación procede después de un convenio de mediación: el crédito no tiene ninguno (ENT-C).');
    }
    if (brokenConvenios === 0 && !isString(input.newCircumstances)) {
      return refuse('INVALID_INPUT', 'ENT-C', 'La re-mediación requiere un convenio incumplido o la descripción de las nuevas circunstancias (ENT-C).');
    }
  }
  return {
    ok: true,
    facts: {
      state: 'tagged',
      round: priorConvenios + 1,
      entry: input.entry,
      convenioType: input.convenioType,
      agencyId: input.agencyId,
      delegationId: input.delegationId,
      entryNoticeOn: input.entryNoticeOn,
      contactAttempts: 0,
      rescheduleCount: 0,
      sessionsHeld: 0,
    },
  };
}

/** "Mediación" or "Re-mediación (ronda 2)". */
export function roundLabel(round: number): string {
  return round <= 1 ? 'Mediación' : `Re-mediación (ronda ${round})`;
}
