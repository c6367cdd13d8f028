/**
 * The mediation case in Spanish (SPEC §4, §5; Lineamiento 3, 4): who opens which page, the work
 * lists, the wording of channels, causes (NS-1..3, NR-1..5) and the session checklist (CHK-1..10),
 * and the checks a form makes before sending. The server sends the state and action labels with
 * every case; the copies here are for the forms. Keep them in step with
 * src/modules/mediation/mediation.rules.ts, src/modules/solutions/solutions.rules.ts and the
 * request schemas in src/modules/mediation/cases.schemas.ts.
 */
import type {
  CaseParty,
  CaseQueue,
  CaseState,
  CaseDueDate,
  ChecklistItem,
  ContactChannel,
  ContactDataInput,
  ConvenioType,
  FundAttendee,
  MediatorKind,
  NotScheduledCause,
  OfferChannel,
  RefusalToSignCause,
  Role,
  SessionMode,
  Signatory,
  SolutionId,
  SummonsChannel,
  SurveyChannel,
} from './api/types';
import { formatInteger } from './format';

/** Who records visits (GET /api/visits). */
export const VISIT_ROLES: readonly Role[] = ['field_agent', 'agency'];
/** Who sees case lists in the menu and on the home page. */
export const CASE_LIST_ROLES: readonly Role[] = ['agency', 'mediator', 'regional_manager', 'operations', 'mediation_office'];
/** Who opens the case pages (the server scopes each one, SEC-2). */
export const CASE_READ_ROLES: readonly Role[] = [...CASE_LIST_ROLES, 'field_agent', 'representative', 'auditor', 'admin'];
/** Who reads the mediator ↔ app-licence register (GET /api/mediators); only the agency edits it. */
export const MEDIATOR_REGISTER_ROLES: readonly Role[] = ['agency', 'mediation_office', 'operations', 'regional_manager', 'auditor'];

export const SOLUTION_IDS: readonly SolutionId[] = ['SOL-1', 'SOL-2', 'SOL-3', 'SOL-4', 'SOL-5'];

/** SPEC §8 (SOLUTION_NAMES). */
export const SOLUTION_NAMES: Record<SolutionId, string> = {
  'SOL-1': 'Responsabilidad Compartida',
  'SOL-2': 'Reestructura',
  'SOL-3': 'Descuento por Liquidación Anticipada',
  'SOL-4': 'Borrón y Cuenta Nueva',
  'SOL-5': 'Apoyo a Jubilados',
};

/** "SOL-2 Reestructura". */
export function solutionLabel(id: SolutionId): string {
  return `${id} ${SOLUTION_NAMES[id]}`;
}

export const OFFER_CHANNEL_LABELS: Record<OfferChannel, string> = {
  home_visit: 'Visita domiciliaria',
  phone: 'Teléfono',
  email: 'Correo electrónico',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  mail: 'Correo postal',
};
export const OFFER_CHANNELS = Object.keys(OFFER_CHANNEL_LABELS) as OfferChannel[];

export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = {
  phone: 'Teléfono',
  email: 'Correo electrónico',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  in_person: 'En persona',
};
export const CONTACT_CHANNELS = Object.keys(CONTACT_CHANNEL_LABELS) as ContactChannel[];

/** Act. 11: a written means only. */
export const SUMMONS_CHANNEL_LABELS: Record<SummonsChannel, string> = {
  email: 'Correo electrónico',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
};
export const SUMMONS_CHANNELS = Object.keys(SUMMONS_CHANNEL_LABELS) as SummonsChannel[];

export const SESSION_MODE_LABELS: Record<SessionMode, string> = {
  in_person: 'Presencial',
  remote: 'A distancia',
};

export const PARTY_LABELS: Record<CaseParty, string> = {
  borrower: 'Acreditado',
  representative: 'Representante del Infonavit',
};

/** Act. 17: who represented the fund in the session. */
export const FUND_ATTENDEE_LABELS: Record<FundAttendee, string> = {
  representative: 'El representante del Infonavit designado',
  regional_manager: 'El Gerente de Cobranza de la Delegación Regional',
  authorised_staff: 'Personal habilitado del Infonavit',
};
export const FUND_ATTENDEES = Object.keys(FUND_ATTENDEE_LABELS) as FundAttendee[];

export const SIGNATORY_LABELS: Record<Signatory, string> = {
  borrower: 'El acreditado',
  representative: 'El representante del Infonavit',
  mediator: 'El mediador',
};
export const SIGNATORIES = Object.keys(SIGNATORY_LABELS) as Signatory[];

export const SURVEY_CHANNEL_LABELS: Record<SurveyChannel, string> = {
  link: 'Se le dio la liga de la encuesta',
  device: 'La respondió en un dispositivo del mediador',
};
export const SURVEY_CHANNELS = Object.keys(SURVEY_CHANNEL_LABELS) as SurveyChannel[];

/** Act. 9. */
export const NOT_SCHEDULED_CAUSE_LABELS: Record<NotScheduledCause, string> = {
  'NS-1': 'No se logró contacto con el acreditado.',
  'NS-2': 'El acreditado manifestó de manera expresa su negativa para asistir a la sesión.',
  'NS-3': 'El acreditado no facilitó día y hora para la sesión.',
};
export const NOT_SCHEDULED_CAUSES = Object.keys(NOT_SCHEDULED_CAUSE_LABELS) as NotScheduledCause[];

/** Act. 18. */
export const REFUSAL_TO_SIGN_CAUSE_LABELS: Record<RefusalToSignCause, string> = {
  'NR-1': 'Consideró que los factores de los productos son altos y no tiene ingresos suficientes para cubrirlos (si fueran más bajos sí podría).',
  'NR-2': 'Manifestó no tener ingresos, por lo que no puede comprometerse a pagar alguna de las soluciones ofrecidas.',
  'NR-3': 'Manifestó no estar de acuerdo con el adeudo que tiene a la fecha y que está plasmado en el convenio.',
  'NR-4': 'Al conocer los efectos y consecuencias de la firma de un convenio de mediación, se negó a firmarlo.',
  'NR-5': 'No contó con información precisa sobre los productos, por lo que no aceptó firmar el convenio.',
};
export const REFUSAL_TO_SIGN_CAUSES = Object.keys(REFUSAL_TO_SIGN_CAUSE_LABELS) as RefusalToSignCause[];

/** Lineamiento 4 / Guía 2.5: the session checklist. */
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
export const CHECKLIST_ITEMS = Object.keys(CHECKLIST_LABELS) as ChecklistItem[];

export const MEDIATOR_KIND_LABELS: Record<MediatorKind, string> = {
  cja_certified: 'Certificado por un Centro de Justicia Alternativa',
  notary: 'Notario Público',
  professional: 'Profesional de la mediación',
};

/** For tables. */
export const MEDIATOR_KIND_SHORT_LABELS: Record<MediatorKind, string> = {
  cja_certified: 'Certificado (CJA)',
  notary: 'Notario Público',
  professional: 'Profesional',
};

/** The mediator kind each convenio type needs (CNV-2, Lineamiento 2); none for ADMINISTRATIVE. */
export const MEDIATOR_KIND_FOR: Record<ConvenioType, MediatorKind | undefined> = {
  RATIFIED: 'cja_certified',
  NOTARIAL: 'notary',
  ADMINISTRATIVE: undefined,
};

/** Act. 7: a representative needs legal powers, except for ADMINISTRATIVE convenios. */
export function needsLegalPowers(convenioType: ConvenioType): boolean {
  return convenioType !== 'ADMINISTRATIVE';
}

export const DUE_STATUS_LABELS: Record<CaseDueDate['status'], string> = {
  met: 'Cumplido',
  pending: 'Pendiente',
  breached: 'Vencido',
};

/** Who recorded an event (identity's ROLE_LABELS and the automatic processes). */
export const ACTOR_ROLE_LABELS: Record<string, string> = {
  mediation_office: 'Gerencia de Mediación y Convenios',
  operations: 'Gerencia de Operación de Soluciones',
  regional_manager: 'Gerente de Cobranza de Delegación Regional',
  specialized_recovery: 'Gerencia de Recuperación Especializada',
  agency: 'Agencia de Soluciones',
  field_agent: 'Asesor de Soluciones',
  mediator: 'Mediador',
  representative: 'Representante del Infonavit',
  borrower: 'Acreditado',
  archive: 'Archivo (ANEC)',
  auditor: 'Auditoría interna',
  admin: 'Administración de la plataforma',
  system: 'Proceso automático',
};

/** Outbox messages (src/modules/notify/outbox.rules.ts). */
export const MESSAGE_PURPOSE_LABELS: Record<string, string> = {
  summons: 'Convocatoria a sesión (act. 11)',
  reschedule_summons: 'Convocatoria por reprogramación (act. 14)',
  survey_invitation: 'Invitación a la encuesta (act. 21)',
  assignment_available: 'Asignación disponible (ASG-1)',
  case_notice: 'Aviso del caso',
  convenio_approved: 'Solución aprobada: monto y plazo del primer pago (CNV-4)',
  first_payment_invitation: 'Invitar al primer pago (act. 26)',
  convenio_notice: 'Aviso del convenio (acts. 22–25)',
};
export const MESSAGE_STATUS_LABELS: Record<string, string> = {
  pending: 'Por enviar',
  sent: 'Enviado',
  failed: 'No se pudo enviar',
};
export const MESSAGE_CHANNEL_LABELS: Record<string, string> = SUMMONS_CHANNEL_LABELS;

/** mediation.rules CASE_STATE_LABELS (the history names the states an event went between). */
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

export function stateLabel(state: string): string {
  return (CASE_STATE_LABELS as Record<string, string>)[state] ?? state;
}

/** States no activity leaves (mediation.rules TERMINAL_STATES). */
export const TERMINAL_STATES: readonly CaseState[] = [
  'solution_at_visit',
  'refused',
  'signed',
  'closed_not_scheduled',
  'closed_dl5',
  'closed_dl8',
  'closed_no_agreement',
];

// --- work lists ---------------------------------------------------------------------------------

export interface QueueOption {
  queue: CaseQueue;
  /** ?lista= in the address (Spanish). */
  param: string;
  label: string;
}

const QUEUE_OPTIONS: Record<CaseQueue, QueueOption> = {
  to_distribute: { queue: 'to_distribute', param: 'por-distribuir', label: 'Por distribuir' },
  new: { queue: 'new', param: 'nuevos', label: 'Nuevos' },
  to_schedule: { queue: 'to_schedule', param: 'por-agendar', label: 'Por agendar' },
  scheduled: { queue: 'scheduled', param: 'agendadas', label: 'Agendadas' },
  in_session: { queue: 'in_session', param: 'en-sesion', label: 'En sesión' },
  drafts_requested: { queue: 'drafts_requested', param: 'convenios-solicitados', label: 'Convenios preliminares solicitados' },
  open: { queue: 'open', param: 'abiertos', label: 'Abiertos' },
  closed: { queue: 'closed', param: 'cerrados', label: 'Cerrados' },
  all: { queue: 'all', param: 'todos', label: 'Todos' },
};

/** The lists each role works from, the daily one first (act. 5 for the agency, act. 6 for the mediator). */
export function queuesFor(role: Role): QueueOption[] {
  const pick = (queues: CaseQueue[]) => queues.map((queue) => QUEUE_OPTIONS[queue]);
  if (role === 'agency') return pick(['to_distribute', 'open', 'closed', 'all']);
  if (role === 'mediator') return pick(['new', 'to_schedule', 'scheduled', 'in_session', 'closed', 'all']);
  // act. 13: the DR manager answers the mediators' requests for draft convenios
  if (role === 'regional_manager') return pick(['drafts_requested', 'open', 'scheduled', 'in_session', 'closed', 'all']);
  return pick(['open', 'to_distribute', 'scheduled', 'in_session', 'closed', 'all']);
}

/** The list named in the address, or the role's first. */
export function queueFromParam(role: Role, param: string | null): QueueOption {
  const options = queuesFor(role);
  return options.find((option) => option.param === param) ?? options[0]!;
}

// --- what the forms check before sending ----------------------------------------------------------

/**
 * A Mexican phone number as the server reads it: separators and a leading +52 removed; '' when
 * blank; null when it is not 10 digits.
 */
export function normalisePhone(text: string): string | null {
  const digits = text.trim().replace(/[\s().-]/g, '').replace(/^\+?52(?=\d{10}$)/, '');
  if (digits === '') return '';
  return /^\d{10}$/.test(digits) ? digits : null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type ContactField = 'landline' | 'mobile' | 'email';

export interface ContactDataCheck {
  /** The data to send: blank fields left out; undefined when every field is blank. */
  contactData?: ContactDataInput;
  /** The first field to correct, with its Spanish message. */
  problem?: { field: ContactField; message: string };
}

/** Act. 4: landline and mobile of 10 digits, a valid e-mail; `required`: at least one of them. */
export function checkContactData(fields: Record<ContactField, string>, required: boolean): ContactDataCheck {
  const landline = normalisePhone(fields.landline);
  if (landline === null) return { problem: { field: 'landline', message: 'El teléfono fijo debe tener 10 dígitos (lada incluida).' } };
  const mobile = normalisePhone(fields.mobile);
  if (mobile === null) return { problem: { field: 'mobile', message: 'El teléfono celular debe tener 10 dígitos.' } };
  const email = fields.email.trim();
  if (email !== '' && (email.length > 254 || !EMAIL.test(email))) {
    return { problem: { field: 'email', message: 'El correo electrónico no es válido (por ejemplo, nombre@dominio.mx).' } };
  }
  const contactData: ContactDataInput = {};
  if (landline !== '') contactData.landline = landline;
  if (mobile !== '') contactData.mobile = mobile;
  if (email !== '') contactData.email = email;
  if (Object.keys(contactData).length === 0) {
    if (required) return { problem: { field: 'mobile', message: 'Capture al menos un teléfono o un correo electrónico.' } };
    return {};
  }
  return { contactData };
}

/** The mediator's app licence (PUT /api/mediators/:id/app-licence): upper-cased; null when valid. */
export function appLicenceProblem(text: string): string | null {
  if (/^[A-Z0-9-]{6,30}$/.test(text.trim().toUpperCase())) return null;
  return 'La licencia tiene de 6 a 30 letras mayúsculas, números o guiones (por ejemplo, GM-000123).';
}

/** "Día 0", "Día 12"; before acceptance there is no day. */
export function dayLabel(day: number | null): string {
  if (day === null) return 'Sin aceptación todavía';
  return `Día ${formatInteger(day)} desde la aceptación`;
}

/** "1 caso", "3 casos". */
export function caseCount(count: number): string {
  return `${formatInteger(count)} ${count === 1 ? 'caso' : 'casos'}`;
}

/** "1 cuenta", "3 cuentas". */
export function accountCount(count: number): string {
  return `${formatInteger(count)} ${count === 1 ? 'cuenta' : 'cuentas'}`;
}
