/**
 * Pure rules of the outbox: address shapes per channel, masking, retry backoff, what an error may
 * say (no personal data), and SMS text in the GSM-7 alphabet. No I/O.
 */
import type { OutboxChannel } from '../../db/schema.js';

export const OUTBOX_CHANNELS = ['email', 'sms', 'whatsapp'] as const satisfies readonly OutboxChannel[];
export const OUTBOX_PURPOSES = [
  'summons',
  'reschedule_summons',
  'survey_invitation',
  'assignment_available',
  'case_notice',
  'convenio_approved',
  'first_payment_invitation',
  'convenio_notice',
  'case_file_notice',
  'archive_shipment_notice',
  'archive_progress_report',
  'report_request',
] as const;
export const OUTBOX_RECIPIENT_KINDS = ['borrower', 'representative', 'agency', 'mediator', 'user', 'archive'] as const;
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const PURPOSE_LABELS: Readonly<Record<(typeof OUTBOX_PURPOSES)[number], string>> = {
  summons: 'Convocatoria a sesión (act. 11)',
  reschedule_summons: 'Convocatoria por reprogramación (act. 14)',
  survey_invitation: 'Invitación a la encuesta (act. 21)',
  assignment_available: 'Asignación disponible (ASG-1)',
  case_notice: 'Aviso del caso',
  convenio_approved: 'Solución aprobada: monto y plazo del primer pago (CNV-4)',
  first_payment_invitation: 'Invitar al primer pago (act. 26)',
  convenio_notice: 'Aviso del convenio (acts. 22–25)',
  case_file_notice: 'Aviso del expediente (acts. 28–31)',
  archive_shipment_notice: 'Aviso de envío de expedientes al ANEC (act. 35)',
  archive_progress_report: 'Reporte de avance del archivo (act. 36, REP-4)',
  report_request: 'Solicitud o aclaración de reporte mensual (acts. 32–34)',
};

export const CHANNEL_LABELS: Readonly<Record<OutboxChannel, string>> = { email: 'Correo electrónico', sms: 'SMS', whatsapp: 'WhatsApp' };

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]{2,}$/;
const PHONE_SEPARATORS = /[\s\-().]/g;
const MEXICAN_PHONE = /^(?:\+52)?(\d{10})$/;

export type AddressCheck = { ok: true; address: string } | { ok: false; message: string };

/**
 * The address a channel needs, normalised: an e-mail address for 'email'; a 10-digit Mexican
 * number (optionally with +52, spaces, dashes, dots or parentheses) for SMS and WhatsApp, stored
 * as +52 followed by the 10 digits, which is what providers expect.
 */
export function normalizeAddress(channel: OutboxChannel, address: string): AddressCheck {
  const trimmed = address.trim();
  if (channel === 'email') {
    if (trimmed.length <= 254 && EMAIL.test(trimmed)) return { ok: true, address: trimmed };
    return { ok: false, message: 'La dirección de correo electrónico no es válida.' };
  }
  const match = MEXICAN_PHONE.exec(trimmed.replace(PHONE_SEPARATORS, ''));
  if (match) return { ok: true, address: `+52${match[1]}` };
  const what = channel === 'sms' ? 'SMS' : 'WhatsApp';
  return { ok: false, message: `Para ${what} indique un teléfono de México de 10 dígitos (opcionalmente con +52).` };
}

/** An address shown to people: every character but the last 4 replaced (all of a short one). */
export function maskAddress(address: string): string {
  const characters = [...address];
  if (characters.length <= 4) return '*'.repeat(characters.length);
  return '*'.repeat(characters.length - 4) + characters.slice(-4).join('');
}

/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * Exponential backoff: after the n-th failed attempt (n ≥ 1) the next one waits base × 2^(n−1),
 * at most an hour. With the defaults (1 min, 8 attempts) a message is retried for about two hours.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(baseMs * 2 ** Math.min(exponent, 30), MAX_RETRY_DELAY_MS);
}

export type FailureOutcome = { status: 'pending'; nextAttemptAt: Date } | { status: 'failed' };

/** What happens after a failed attempt: retry later, or give up (permanent error or attempts used up). */
export function afterFailure(input: { attempts: number; maxAttempts: number; permanent: boolean; now: Date; retryBaseMs: number }): FailureOutcome {
  if (input.permanent || input.attempts >= input.maxAttempts) return { status: 'failed' };
  return { status: 'pending', nextAttemptAt: new Date(input.now.getTime() + retryDelayMs(input.attempts, input.retryBaseMs)) };
}

const EMAILS_IN_TEXT = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g;
/** Runs of 7 or more digits, possibly with +, spaces, dashes, dots or parentheses between them. */
const NUMBERS_IN_TEXT = /\+?\d(?:[\s\-().]*\d){6,}/g;
export const MAX_ERROR_LENGTH = 300;

/**
 * The text of an error as it may be stored (last_error) or logged: e-mail addresses, phone-like
 * numbers and the given personal values (the recipient's name and address) removed, one line,
 * at most 300 characters. Provider errors often echo the recipient back.
 */
export function redactError(error: unknown, personalValues: readonly string[] = []): string {
  let text = error instanceof Error ? `${error.message}` : typeof error === 'string' ? error : 'Error desconocido';
  for (const value of personalValues) {
    const needle = value.trim();
    if (needle.length >= 3) text = text.split(needle).join('[dato personal]');
  }
  text = text.replace(EMAILS_IN_TEXT, '[correo]').replace(NUMBERS_IN_TEXT, '[número]').replace(/\s+/g, ' ').trim();
  if (text.length === 0) text = 'Error desconocido';
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

// GSM 03.38: the basic set, and the extension table (2 septets each). Text outside both makes an
// SMS UCS-2, with 70 characters per segment instead of 160.
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€';
const GSM7 = new Set([...GSM7_BASIC, ...GSM7_EXTENSION]);
const SUBSTITUTES: Readonly<Record<string, string>> = { '«': '"', '»': '"', '“': '"', '”': '"', '‘': "'", '’': "'", '—': '-', '–': '-', '…': '...', '·': '-', '\u00a0': ' ' };

/** Whether a text fits the GSM-7 alphabet (one SMS segment holds 160 of its characters). */
export function isGsm7(text: string): boolean {
  return [...text].every((character) => GSM7.has(character));
}

/**
 * SMS text in the GSM-7 alphabet: accents GSM lacks are dropped (á → a, í → i; é, ñ and ü stay),
 * typographic punctuation becomes plain, anything else becomes '?'.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const character of text) {
    if (GSM7.has(character)) out += character;
    else if (SUBSTITUTES[character] !== undefined) out += SUBSTITUTES[character];
    else {
      const base = character.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base.length > 0 && [...base].every((c) => GSM7.has(c)) ? base : '?';
    }
  }
  return out;
}
