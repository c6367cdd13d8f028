/**
 * The texts the platform sends, in Spanish (es-MX), one pure function per purpose. Each renders
 * for a channel: the e-mail is complete, WhatsApp medium (with *bold*), the SMS short and in the
 * GSM-7 alphabet (so a segment holds 160 characters, not 70).
 *
 * - `summonsMessage`            act. 11: written summons (*convocatoria*) to the borrower or the
 *                               Infonavit representative; its delivery is the evidence of DL-6.
 * - `rescheduleSummonsMessage`  act. 14: the summons for the one allowed new date (DL-7).
 * - `surveyInvitationMessage`   act. 21 / SRV-1: the survey link and where to complain (CMP-1).
 * - `assignmentAvailableMessage` ASG-1: the month's assignment is published for an agency.
 */
import { formatDateEs, parseIsoDate, type IsoDate } from '../../clock.js';
import type { OutboxChannel } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { toGsm7 } from './outbox.rules.js';

export interface RenderedMessage {
  /** The e-mail subject; for SMS and WhatsApp the title shown with the delivery evidence. */
  subject: string;
  body: string;
}

/** act. 11: the session a summons convenes. */
export interface SummonsMessageInput {
  /** Who is summoned: the borrower (*acreditado*) or the Infonavit representative. */
  recipientKind: 'borrower' | 'representative';
  recipientName: string;
  creditNumber: string;
  caseId: number;
  /** Session date, 'YYYY-MM-DD' (America/Mexico_City). */
  sessionDate: IsoDate;
  /** Session time, 'HH:MM' (24 h, central Mexico time). */
  sessionTime: string;
  mode: 'in_person' | 'remote';
  /** In person: where (address of the venue). */
  place?: string | undefined;
  /** Remote: the tool approved by the mediation office (Lineamiento 3). */
  remoteTool?: string | undefined;
  /** Remote: the link or meeting data, when there is one. */
  remoteLink?: string | undefined;
  mediatorName: string;
  agencyName: string;
  /** Where the privacy notice can be read; without it the message says it is shown at the start. */
  privacyNoticeUrl?: string | undefined;
}

/** act. 14: the new date of the session (one reschedule only, DL-7). */
export interface RescheduleSummonsMessageInput extends SummonsMessageInput {
  previousSessionDate: IsoDate;
  previousSessionTime?: string | undefined;
}

/** act. 21 / SRV-1: the survey invitation, sent whether or not a convenio was signed. */
export interface SurveyInvitationMessageInput {
  recipientName: string;
  creditNumber: string;
  caseId: number;
  surveyUrl: string;
  mediatorName: string;
  agencyName: string;
  /** CMP-1: where to file a complaint or report (*queja o denuncia*). */
  complaintsUrl: string;
  complaintsPhone?: string | undefined;
}

/** ASG-1: the month's assignment is available to an agency. */
export interface AssignmentAvailableMessageInput {
  agencyName: string;
  /** 'YYYY-MM' */
  month: string;
  creditCount: number;
  /** Where the platform is, for the link in the message. */
  appUrl?: string | undefined;
}

const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const SIGN_OFF = 'Este es un mensaje automático de la plataforma de cobranza social del Infonavit.';

function invalid(userMessage: string): AppError {
  return new AppError('VALIDATION', { userMessage });
}

function required(value: string | undefined, userMessage: string): string {
  const text = value?.trim();
  if (!text) throw invalid(userMessage);
  return text;
}

function sessionDateEs(date: IsoDate): string {
  try {
    parseIsoDate(date);
  } catch {
    throw invalid('La fecha de la sesión no es válida (AAAA-MM-DD).');
  }
  return formatDateEs(date);
}

function sessionTimeEs(time: string | undefined): string {
  if (time === undefined || !TIME.test(time)) throw invalid('La hora de la sesión no es válida (HH:MM, 24 horas).');
  return time;
}

/** 'noviembre de 2026' */
export function monthNameEs(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const index = match ? Number(match[2]) - 1 : -1;
  if (!match || index < 0 || index > 11) throw invalid('El mes no es válido (AAAA-MM).');
  return `${MONTHS[index]} de ${match[1]}`;
}

const integerEs = new Intl.NumberFormat('es-MX', { maximumFractionDigits: 0 });

/** The checked facts of a session, shared by the summons and the reschedule. */
function sessionFacts(input: SummonsMessageInput) {
  const date = sessionDateEs(input.sessionDate);
  const time = sessionTimeEs(input.sessionTime);
  const mediator = required(input.mediatorName, 'Falta el nombre del mediador.');
  const agency = required(input.agencyName, 'Falta el nombre de la agencia.');
  const name = required(input.recipientName, 'Falta el nombre del destinatario.');
  if (input.mode === 'in_person') {
    const place = required(input.place, 'Indique el lugar de la sesión presencial.');
    return {
      date,
      time,
      mediator,
      agency,
      name,
      modeLong: `presencial, en ${place}`,
      modeShort: `presencial en ${place}`,
      link: undefined,
    };
  }
  if (input.mode !== 'remote') throw invalid('La modalidad de la sesión debe ser presencial o a distancia.');
  const tool = required(input.remoteTool, 'Indique la herramienta aprobada para la sesión a distancia (Lineamiento 3).');
  return {
    date,
    time,
    mediator,
    agency,
    name,
    modeLong: `a distancia, por medio de ${tool} (herramienta aprobada por la Gerencia de Mediación y Convenios)`,
    modeShort: `a distancia por ${tool}`,
    link: input.remoteLink?.trim() || undefined,
  };
}

function privacyLine(input: SummonsMessageInput): string {
  return input.privacyNoticeUrl
    ? `Sus datos personales se tratan conforme al aviso de privacidad del Infonavit, que puede consultar en ${input.privacyNoticeUrl} y que se le mostrará al inicio de la sesión.`
    : 'Sus datos personales se tratan conforme al aviso de privacidad del Infonavit, que se le mostrará al inicio de la sesión.';
}

function voluntaryLine(input: SummonsMessageInput): string {
  return input.recipientKind === 'borrower'
    ? 'La mediación es voluntaria: usted decide si asiste a la sesión y si firma algún convenio.'
    : 'La mediación es voluntaria para las partes: el acreditado decide si asiste y si firma algún convenio.';
}

function identificationLine(input: SummonsMessageInput): string {
  return input.recipientKind === 'borrower'
    ? 'Le pedimos presentar una identificación oficial con fotografía (credencial para votar, pasaporte, cédula profesional u otra expedida por una autoridad).'
    : 'Le pedimos presentar una identificación oficial con fotografía y, en su caso, el documento que acredite sus facultades de representación del Infonavit.';
}

interface SummonsWording {
  title: string;
  /** The sentence that says what this message is, before the session's facts. */
  opening: string;
  /** The same for WhatsApp and SMS. */
  openingShort: string;
  extra: string[];
  /** The e-mail's last advice before the signature. */
  closing: string;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function renderSession(input: SummonsMessageInput, channel: OutboxChannel, wording: SummonsWording): RenderedMessage {
  const facts = sessionFacts(input);
  const credit = required(input.creditNumber, 'Falta el número de crédito.');
  const subject = `${wording.title} — crédito ${credit} (caso ${input.caseId})`;
  const privacyShort = input.privacyNoticeUrl ? `Aviso de privacidad: ${input.privacyNoticeUrl}` : 'Se le mostrará el aviso de privacidad al iniciar.';

  if (channel === 'sms') {
    const parts = [
      `Infonavit Mediación: ${wording.openingShort} crédito ${credit} (caso ${input.caseId}): ${facts.date} ${facts.time} h, ${facts.modeShort}.`,
      facts.link ? `Enlace: ${facts.link}.` : '',
      `Mediador: ${facts.mediator} (${facts.agency}).`,
      'Asistir es voluntario.',
      privacyShort,
    ];
    return { subject, body: toGsm7(parts.filter(Boolean).join(' ')) };
  }

  if (channel === 'whatsapp') {
    const lines = [
      `*${wording.title}*`,
      `Hola, ${facts.name}. ${capitalize(wording.openingShort)} crédito Infonavit ${credit} (caso de mediación ${input.caseId}).`,
      '',
      `*Fecha:* ${facts.date}`,
      `*Hora:* ${facts.time} (hora del centro de México)`,
      `*Modalidad:* ${facts.modeLong}`,
      ...(facts.link ? [`*Enlace:* ${facts.link}`] : []),
      `*Mediador(a):* ${facts.mediator}`,
      `*Agencia:* ${facts.agency}`,
      '',
      voluntaryLine(input),
      privacyLine(input),
    ];
    return { subject, body: lines.join('\n') };
  }

  const lines = [
    `Estimado(a) ${facts.name}:`,
    '',
    `${wording.opening} del crédito Infonavit número ${credit} (caso de mediación ${input.caseId}).`,
    '',
    `Fecha: ${facts.date}`,
    `Hora: ${facts.time} (hora del centro de México)`,
    `Modalidad: ${facts.modeLong}`,
    ...(facts.link ? [`Enlace o datos de conexión: ${facts.link}`] : []),
    `Mediador(a): ${facts.mediator}`,
    `Agencia de soluciones: ${facts.agency}`,
    '',
    ...wording.extra,
    voluntaryLine(input),
    identificationLine(input),
    privacyLine(input),
    '',
    wording.closing,
    '',
    'Atentamente,',
    `${facts.mediator}, mediador(a)`,
    facts.agency,
    '',
    SIGN_OFF,
  ];
  return { subject, body: lines.join('\n') };
}

/** act. 11: the written summons (*convocatoria*) to the session. */
export function summonsMessage(input: SummonsMessageInput, channel: OutboxChannel): RenderedMessage {
  return renderSession(input, channel, {
    title: 'Convocatoria a sesión de mediación',
    opening:
      input.recipientKind === 'borrower'
        ? 'Por este medio se le convoca a la sesión de mediación'
        : 'Por este medio se le convoca, en representación del Infonavit, a la sesión de mediación',
    openingShort: input.recipientKind === 'borrower' ? 'se le convoca a la sesión de mediación del' : 'se le convoca como representante del Infonavit a la sesión de mediación del',
    extra: [],
    closing: 'Si tiene dudas o no puede asistir, comuníquese con su mediador(a). La sesión sólo puede reprogramarse una vez.',
  });
}

/** act. 14: the summons for the new date after the session was not held (one reschedule, DL-7). */
export function rescheduleSummonsMessage(input: RescheduleSummonsMessageInput, channel: OutboxChannel): RenderedMessage {
  const previous = sessionDateEs(input.previousSessionDate);
  const previousTime = input.previousSessionTime === undefined ? '' : ` a las ${sessionTimeEs(input.previousSessionTime)}`;
  return renderSession(input, channel, {
    title: 'Reprogramación de la sesión de mediación',
    opening: `La sesión de mediación prevista para el ${previous}${previousTime} no se celebró y se reprogramó. Por este medio se le convoca a la nueva sesión`,
    openingShort: `la sesión del ${previous} se reprogramó; nueva sesión del`,
    extra: ['Esta es la única reprogramación que permiten las reglas del servicio de mediación.'],
    closing: 'Si tiene dudas, comuníquese con su mediador(a).',
  });
}

/** act. 21 / SRV-1 / CMP-1: the survey link and where to complain. */
export function surveyInvitationMessage(input: SurveyInvitationMessageInput, channel: OutboxChannel): RenderedMessage {
  const name = required(input.recipientName, 'Falta el nombre del destinatario.');
  const credit = required(input.creditNumber, 'Falta el número de crédito.');
  const survey = required(input.surveyUrl, 'Falta el enlace de la encuesta.');
  const complaints = required(input.complaintsUrl, 'Falta dónde presentar quejas y denuncias.');
  const mediator = required(input.mediatorName, 'Falta el nombre del mediador.');
  const agency = required(input.agencyName, 'Falta el nombre de la agencia.');
  const phone = input.complaintsPhone?.trim();
  const complaintsWhere = phone ? `en ${complaints} o al teléfono ${phone}` : `en ${complaints}`;
  const subject = `Encuesta de calidad del servicio de mediación — caso ${input.caseId}`;

  if (channel === 'sms') {
    const body = `Infonavit Mediación: gracias por asistir (caso ${input.caseId}). Califique el servicio: ${survey} Quejas y denuncias: ${complaints}${phone ? ` o ${phone}` : ''}.`;
    return { subject, body: toGsm7(body) };
  }
  if (channel === 'whatsapp') {
    const lines = [
      '*Encuesta de calidad del servicio de mediación*',
      `Hola, ${name}. Gracias por participar en la mediación de su crédito Infonavit ${credit} (caso ${input.caseId}).`,
      '',
      `Le invitamos a responder la encuesta sobre el servicio que recibió: ${survey}`,
      '',
      `Si desea presentar una *queja o denuncia* sobre el mediador, la agencia o el personal, puede hacerlo ${complaintsWhere}. En las denuncias se protege la identidad de quien denuncia.`,
    ];
    return { subject, body: lines.join('\n') };
  }
  const lines = [
    `Estimado(a) ${name}:`,
    '',
    `Gracias por participar en la sesión de mediación de su crédito Infonavit número ${credit} (caso de mediación ${input.caseId}), conducida por el mediador(a) ${mediator}, de la agencia ${agency}.`,
    '',
    'Le invitamos a responder la encuesta de calidad del servicio, haya firmado o no un convenio. Su opinión nos ayuda a mejorar la atención:',
    survey,
    '',
    `Si desea presentar una queja o denuncia sobre el trato recibido del mediador, la agencia de soluciones o el personal del Infonavit, puede hacerlo ${complaintsWhere}. En las denuncias se mantiene confidencial y protegida la identidad de quien denuncia.`,
    '',
    SIGN_OFF,
  ];
  return { subject, body: lines.join('\n') };
}

/** ASG-1: the month's assignment is published and available to the agency. */
export function assignmentAvailableMessage(input: AssignmentAvailableMessageInput, channel: OutboxChannel): RenderedMessage {
  const agency = required(input.agencyName, 'Falta el nombre de la agencia.');
  const month = monthNameEs(input.month);
  if (!Number.isInteger(input.creditCount) || input.creditCount < 0) throw invalid('El número de créditos asignados no es válido.');
  const count = integerEs.format(input.creditCount);
  const credits = input.creditCount === 1 ? 'crédito' : 'créditos';
  const where = input.appUrl ? `en ${input.appUrl}` : 'en la plataforma';
  const subject = `Asignación de ${month} disponible: ${count} ${credits}`;

  if (channel === 'sms') {
    return { subject, body: toGsm7(`Cobranza Social: la asignación de ${month} está disponible; ${agency} recibió ${count} ${credits}. Consúltela ${where}.`) };
  }
  if (channel === 'whatsapp') {
    const lines = [
      `*Asignación de ${month} disponible*`,
      `La asignación mensual de cuentas susceptibles de mediación ya está publicada. ${agency} recibió *${count} ${credits}*.`,
      `Consúltela ${where}, en el apartado de asignación.`,
    ];
    return { subject, body: lines.join('\n') };
  }
  const lines = [
    `${agency}:`,
    '',
    `La asignación mensual de ${month} de cuentas susceptibles de mediación ya está publicada en la plataforma.`,
    `A su agencia se le asignaron ${count} ${credits}, cada uno con su tipo de convenio.`,
    '',
    `Consulte el detalle ${where}, en el apartado de asignación. Recuerde aprobar diariamente las capturas «En Mediación» de sus asesores y distribuirlas a sus mediadores (act. 5).`,
    '',
    SIGN_OFF,
  ];
  return { subject, body: lines.join('\n') };
}
