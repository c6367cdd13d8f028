/**
 * Delivery adapters, one interface: `send` hands one message to a provider and returns the
 * provider's id for it (the evidence), or throws. An `OutboxDeliveryError` with `permanent: true`
 * is not retried (a rejected address, a refused request); anything else is retried with backoff.
 *
 * - local:          delivers at once; the message stays in the outbox, visible in the app.
 * - smtp:           e-mail through an SMTP server (SMTP_URL), with nodemailer.
 * - sms-http / whatsapp-http: POST JSON to a provider's gateway (SMS_PROVIDER_URL,
 *                   WHATSAPP_PROVIDER_URL + token); the provider's message id from the reply.
 *
 * Adapters never log: errors carry no personal data beyond what `redactError` strips.
 */
import { createTransport, type SendMailOptions } from 'nodemailer';
import type { OutboxConfig } from '../../config.js';
import type { OutboxChannel, OutboxPurpose } from '../../db/schema.js';

/** One message as an adapter sees it. */
export interface OutgoingMessage {
  id: number;
  purpose: OutboxPurpose;
  channel: OutboxChannel;
  recipientName: string;
  /** Normalised: an e-mail address, or +52 and 10 digits. */
  recipientAddress: string;
  subject: string | null;
  body: string;
}

export interface DeliveryReceipt {
  /** The provider's id of the message (SMTP Message-ID, the gateway's id, `local-<id>`). */
  providerMessageId: string;
}

export interface OutboxAdapter {
  /** Recorded with the delivery as evidence: 'local', 'smtp', 'sms-http', 'whatsapp-http'. */
  readonly name: string;
  send(message: OutgoingMessage): Promise<DeliveryReceipt>;
}

/** The adapter for each channel. */
export type OutboxAdapters = Readonly<Record<OutboxChannel, OutboxAdapter>>;

/** A delivery failure; `permanent` ones are not retried. The message is Spanish (shown to operations). */
export class OutboxDeliveryError extends Error {
  readonly permanent: boolean;

  constructor(message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OutboxDeliveryError';
    this.permanent = options.permanent;
  }
}

/** How long a provider may take to accept one message. The delivery lease is much longer. */
export const PROVIDER_TIMEOUT_MS = 15_000;

// ------------------------------------------------------------------------------------------------
// local

/** Delivers instantly: the outbox row is the message, read in the app (GET /api/outbox, case page). */
export function createLocalAdapter(): OutboxAdapter {
  return {
    name: 'local',
    send: async (message) => ({ providerMessageId: `local-${message.id}` }),
  };
}

/** Every channel through the local adapter (development, demo, tests). */
export function localAdapters(): OutboxAdapters {
  const local = createLocalAdapter();
  return { email: local, sms: local, whatsapp: local };
}

// ------------------------------------------------------------------------------------------------
// SMTP

export interface SmtpAdapterOptions {
  /** smtp://user:pass@host:587 or smtps://user:pass@host:465 */
  url: string;
  /** The From header: 'Name <address>' or an address. */
  from: string;
  timeoutMs?: number;
}

/** The domain of the From address, for Message-IDs. */
function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split('@')[1]?.trim() || 'cobranza-social.invalid';
}

/**
 * The e-mail for an outbox message: plain text in UTF-8, and a Message-ID derived from the outbox
 * id, so that a message delivered twice (the at-least-once case) is recognisable as one.
 */
export function buildEmail(message: OutgoingMessage, from: string): SendMailOptions & { messageId: string } {
  return {
    from,
    to: { name: message.recipientName, address: message.recipientAddress },
    subject: message.subject ?? 'Cobranza Social',
    text: message.body,
    messageId: `<outbox-${message.id}@${senderDomain(from)}>`,
    headers: { 'X-Outbox-Id': String(message.id), 'Auto-Submitted': 'auto-generated' },
  };
}

/** SMTP replies 5xx are final (mailbox unknown, message refused); 4xx and network errors are not. */
function smtpFailure(error: unknown): OutboxDeliveryError {
  const responseCode = (error as { responseCode?: unknown }).responseCode;
  const permanent = typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
  const detail = error instanceof Error ? error.message : String(error);
  const what = typeof responseCode === 'number' ? `el servidor SMTP respondió ${responseCode}` : 'no se pudo entregar al servidor SMTP';
  return new OutboxDeliveryError(`Correo: ${what} (${detail})`, { permanent, cause: error });
}

export function createSmtpAdapter(options: SmtpAdapterOptions): OutboxAdapter {
  const timeout = options.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  const transport = createTransport({
    url: options.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  });
  return {
    name: 'smtp',
    async send(message) {
      if (message.channel !== 'email') throw new OutboxDeliveryError('El adaptador SMTP sólo envía correo electrónico.', { permanent: true });
      const email = buildEmail(message, options.from);
      let info: { messageId?: string; rejected?: unknown[] };
      try {
        info = await transport.sendMail(email);
      } catch (error) {
        throw smtpFailure(error);
      }
      if (Array.isArray(info.rejected) && info.rejected.length > 0) {
        throw new OutboxDeliveryError('Correo: el servidor SMTP rechazó al destinatario.', { permanent: true });
      }
      return { providerMessageId: info.messageId ?? email.messageId };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// HTTP gateways for SMS and WhatsApp

export interface HttpAdapterOptions {
  name: string;
  channel: 'sms' | 'whatsapp';
  url: string;
  token?: string | undefined;
  timeoutMs?: number;
}

/**
 * The request a gateway receives: POST `url` with
 * `{ channel, to, body, reference }` (to = +52 and 10 digits, reference = 'outbox-<id>'), a bearer
 * token, and `Idempotency-Key: outbox-<id>` so that a gateway that honours it drops a repeated
 * delivery. The reply (2xx, JSON) names the message: `id`, `messageId`, `message_id` or `sid`.
 */
export function buildProviderRequest(message: OutgoingMessage, options: Pick<HttpAdapterOptions, 'channel' | 'token'>): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'idempotency-key': `outbox-${message.id}`,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return {
    headers,
    body: JSON.stringify({ channel: options.channel, to: message.recipientAddress, body: message.body, reference: `outbox-${message.id}` }),
  };
}

function providerMessageIdOf(reply: unknown): string | undefined {
  if (typeof reply !== 'object' || reply === null) return undefined;
  const record = reply as Record<string, unknown>;
  for (const key of ['id', 'messageId', 'message_id', 'sid']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim().length > 0) return value.trim().slice(0, 200);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  const nested = record.message ?? record.data;
  return nested !== undefined && nested !== reply ? providerMessageIdOf(nested) : undefined;
}

/** 4xx replies are final (bad number, refused request), except 408 and 429; 5xx are retried. */
function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export function createHttpAdapter(options: HttpAdapterOptions): OutboxAdapter {
  const timeout = options.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  const label = options.channel === 'sms' ? 'SMS' : 'WhatsApp';
  return {
    name: options.name,
    async send(message) {
      if (message.channel !== options.channel) {
        throw new OutboxDeliveryError(`El adaptador ${options.name} sólo envía ${label}.`, { permanent: true });
      }
      const request = buildProviderRequest(message, options);
      let response: Response;
      try {
        response = await fetch(options.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(timeout) });
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        throw new OutboxDeliveryError(
          timedOut ? `${label}: el proveedor no respondió en ${Math.ceil(timeout / 1000)} s.` : `${label}: no se pudo conectar con el proveedor.`,
          { permanent: false, cause: error },
        );
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new OutboxDeliveryError(`${label}: el proveedor respondió HTTP ${response.status}.`, { permanent: isPermanentStatus(response.status) });
      }
      let reply: unknown;
      try {
        reply = await response.json();
      } catch {
        reply = undefined;
      }
      const providerMessageId = providerMessageIdOf(reply);
      // The provider accepted the message but named no id: retrying could send it twice, so the
      // message is marked failed for operations to check with the provider.
      if (!providerMessageId) throw new OutboxDeliveryError(`${label}: el proveedor aceptó el mensaje sin devolver su identificador.`, { permanent: true });
      return { providerMessageId };
    },
  };
}

// ------------------------------------------------------------------------------------------------
// From the configuration

/** The adapters the environment configures; a channel without a provider uses the local adapter. */
export function adaptersFromConfig(config: OutboxConfig): OutboxAdapters {
  const local = createLocalAdapter();
  return {
    email: config.smtpUrl ? createSmtpAdapter({ url: config.smtpUrl, from: config.smtpFrom }) : local,
    sms: config.smsProviderUrl ? createHttpAdapter({ name: 'sms-http', channel: 'sms', url: config.smsProviderUrl, token: config.smsProviderToken }) : local,
    whatsapp: config.whatsappProviderUrl
      ? createHttpAdapter({ name: 'whatsapp-http', channel: 'whatsapp', url: config.whatsappProviderUrl, token: config.whatsappProviderToken })
      : local,
  };
}

/** 'email: smtp, sms: local, whatsapp: local' — for the start-up log (no secrets). */
export function describeAdapters(adapters: OutboxAdapters): string {
  return (Object.keys(adapters) as OutboxChannel[]).map((channel) => `${channel}: ${adapters[channel].name}`).join(', ');
}
