/**
 * The notification outbox (ARCHITECTURE "notifications"; DL-6 evidence):
 *
 * - `enqueueMessage` writes a message in the caller's transaction: a change that rolls back
 *   sends nothing, and a committed change always has its message (no lost, no phantom messages).
 * - `deliverDueMessages` sends, after commit, what is due through the channel's adapter and
 *   records the evidence (sent_at, adapter, provider id) or the failure with a retry time.
 * - `listCaseMessages`, `listOutboxMessages` read the evidence with addresses masked;
 *   `retryMessage` puts a failed message back in the queue (operations, audited).
 */
import type { Executor } from '../../db/index.js';
import type { OutboxChannel, OutboxPurpose, OutboxRecipientKind } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf, logPersonalDataRead, recordEvent } from '../audit/audit.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { OutboxDeliveryError, type OutboxAdapters, type OutgoingMessage } from './outbox.adapters.js';
import {
  claimNextDueMessage,
  countMessagesByStatus,
  findCaseMessages,
  findMessageForUpdate,
  findMessages,
  insertMessage,
  markAttemptFailed,
  markMessageSent,
  requeueFailedMessage,
  type OutboxFilter,
  type OutboxRow,
} from './outbox.repository.js';
import {
  afterFailure,
  maskAddress,
  normalizeAddress,
  OUTBOX_CHANNELS,
  OUTBOX_PURPOSES,
  OUTBOX_RECIPIENT_KINDS,
  PURPOSE_LABELS,
  redactError,
  type OutboxStatus,
} from './outbox.rules.js';

// ------------------------------------------------------------------------------------------------
// Enqueue

export interface OutboxMessageInput {
  purpose: OutboxPurpose;
  channel: OutboxChannel;
  recipientKind: OutboxRecipientKind;
  recipientName: string;
  /** An e-mail address for 'email'; a 10-digit Mexican phone (optionally +52) for 'sms'/'whatsapp'. */
  recipientAddress: string;
  /** Required for e-mail; the title shown with the evidence for the other channels. */
  subject?: string | null | undefined;
  body: string;
  caseId?: number | null | undefined;
  /** The case event that sends it (the summons of act. 11 is evidence of that event, DL-6). */
  caseEventId?: bigint | number | null | undefined;
  /** When the message was queued; it is due from then on. */
  now: Date;
}

/** Body limits per channel: SMS up to 10 segments, WhatsApp's own limit, a long e-mail. */
const MAX_BODY: Readonly<Record<OutboxChannel, number>> = { sms: 1600, whatsapp: 4096, email: 100_000 };

function invalid(userMessage: string): AppError {
  return new AppError('VALIDATION', { userMessage });
}

/**
 * Queues one message inside the caller's transaction (the one that records the change the message
 * announces). Returns the outbox id. Throws VALIDATION with a Spanish message when the address
 * does not fit the channel or a field is missing.
 */
export async function enqueueMessage(trx: Executor, message: OutboxMessageInput): Promise<number> {
  if (!trx.isTransaction) {
    // A message queued outside the change's transaction could be sent for a change that rolled back.
    throw new Error('enqueueMessage must run inside the transaction of the change it announces');
  }
  if (!(OUTBOX_CHANNELS as readonly string[]).includes(message.channel)) throw invalid('El canal debe ser correo electrónico, SMS o WhatsApp.');
  if (!(OUTBOX_PURPOSES as readonly string[]).includes(message.purpose)) throw invalid('El propósito del mensaje no es válido.');
  if (!(OUTBOX_RECIPIENT_KINDS as readonly string[]).includes(message.recipientKind)) throw invalid('El tipo de destinatario no es válido.');
  const address = normalizeAddress(message.channel, message.recipientAddress ?? '');
  if (!address.ok) throw invalid(address.message);
  const recipientName = message.recipientName?.trim() ?? '';
  if (recipientName.length === 0 || recipientName.length > 200) throw invalid('Indique el nombre del destinatario (hasta 200 caracteres).');
  const subject = message.subject?.trim() || null;
  if (message.channel === 'email' && subject === null) throw invalid('El correo electrónico necesita un asunto.');
  if (subject !== null && subject.length > 300) throw invalid('El asunto no puede exceder 300 caracteres.');
  const body = message.body?.trim() ?? '';
  if (body.length === 0) throw invalid('El mensaje no tiene texto.');
  if (body.length > MAX_BODY[message.channel]) throw invalid(`El mensaje excede ${MAX_BODY[message.channel]} caracteres para este canal.`);

  return insertMessage(trx, {
    createdAt: message.now,
    purpose: message.purpose,
    channel: message.channel,
    recipientKind: message.recipientKind,
    recipientName,
    recipientAddress: address.address,
    subject,
    body,
    caseId: message.caseId ?? null,
    caseEventId: message.caseEventId ?? null,
  });
}

// ------------------------------------------------------------------------------------------------
// Delivery

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_RETRY_BASE_MS = 60_000;
/** While a claimed message is being sent, no other worker takes it (far above the provider timeout). */
export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_DELIVERY_LIMIT = 100;

/** Where the worker reports (pino's interface; Fastify's `app.log` fits). Never personal data. */
export interface OutboxLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface DeliverOptions {
  /** The instant of this run: what is due, and the time recorded as sent_at. */
  now: Date;
  adapters: OutboxAdapters;
  /** At most this many messages in this run. */
  limit?: number | undefined;
  /** Attempts before a message is marked failed (OUTBOX_MAX_ATTEMPTS). */
  maxAttempts?: number | undefined;
  /** The first retry delay, doubled each time (OUTBOX_RETRY_BASE_SECONDS). */
  retryBaseMs?: number | undefined;
  leaseMs?: number | undefined;
  log?: OutboxLog | undefined;
}

export interface DeliveryReport {
  /** Messages handed to an adapter. */
  attempted: number;
  sent: number;
  /** Failed this time, queued again for later. */
  retrying: number;
  /** Failed for good (permanent error or attempts used up). */
  failed: number;
}

function outgoing(row: OutboxRow): OutgoingMessage {
  return {
    id: row.id,
    purpose: row.purpose,
    channel: row.channel,
    recipientName: row.recipientName,
    recipientAddress: row.recipientAddress,
    subject: row.subject,
    body: row.body,
  };
}

/**
 * Sends the due pending messages, one at a time: claim (one short statement), call the adapter
 * with no transaction open, then record the outcome in another short statement. The adapter call
 * never holds a database connection (PGlite has one). Delivery is at-least-once: if the process
 * dies between the provider's acceptance and the record, the lease expires and the message is
 * sent again (see README); a message recorded as sent is never sent again.
 */
export async function deliverDueMessages(db: Executor, options: DeliverOptions): Promise<DeliveryReport> {
  const limit = options.limit ?? DEFAULT_DELIVERY_LIMIT;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const retryBaseMs = options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const leaseUntil = new Date(options.now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS));
  const report: DeliveryReport = { attempted: 0, sent: 0, retrying: 0, failed: 0 };

  while (report.attempted < limit) {
    const row = await claimNextDueMessage(db, options.now, leaseUntil);
    if (!row) break;
    report.attempted++;
    const adapter = options.adapters[row.channel];
    let providerMessageId: string;
    try {
      const receipt = await adapter.send(outgoing(row));
      providerMessageId = String(receipt.providerMessageId).slice(0, 200);
      if (providerMessageId.length === 0) throw new OutboxDeliveryError('El proveedor no devolvió el identificador del mensaje.', { permanent: true });
    } catch (error) {
      const permanent = error instanceof OutboxDeliveryError && error.permanent;
      const outcome = afterFailure({ attempts: row.attempts, maxAttempts, permanent, now: options.now, retryBaseMs });
      const lastError = redactError(error, [row.recipientName, row.recipientAddress, row.recipientAddress.replace(/^\+52/, '')]);
      await markAttemptFailed(db, row.id, {
        status: outcome.status,
        nextAttemptAt: outcome.status === 'pending' ? outcome.nextAttemptAt : undefined,
        adapter: adapter.name,
        lastError,
      });
      if (outcome.status === 'failed') report.failed++;
      else report.retrying++;
      options.log?.warn(
        { outboxId: row.id, channel: row.channel, purpose: row.purpose, adapter: adapter.name, attempts: row.attempts, outcome: outcome.status, error: lastError },
        'outbox delivery attempt failed',
      );
      continue;
    }
    await markMessageSent(db, row.id, { sentAt: options.now, adapter: adapter.name, providerMessageId });
    report.sent++;
  }
  return report;
}

// ------------------------------------------------------------------------------------------------
// Reading the evidence

/** How many messages are pending, sent and failed (the CLI's summary). */
export function countOutboxMessages(db: Executor): Promise<Record<OutboxStatus, number>> {
  return countMessagesByStatus(db);
}

/** One message as people see it: the address masked except its last 4 characters, no body. */
export interface OutboxMessageView {
  id: number;
  purpose: OutboxPurpose;
  purposeLabel: string;
  channel: OutboxChannel;
  recipientKind: OutboxRecipientKind;
  recipientName: string;
  recipientAddressMasked: string;
  subject: string | null;
  status: OutboxStatus;
  attempts: number;
  /** When the next attempt is due (pending messages only). */
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  adapter: string | null;
  providerMessageId: string | null;
  /** Why the last attempt failed (no personal data). */
  lastError: string | null;
  caseId: number | null;
  caseEventId: number | null;
  createdAt: Date;
}

function toView(row: OutboxRow): OutboxMessageView {
  return {
    id: row.id,
    purpose: row.purpose,
    purposeLabel: PURPOSE_LABELS[row.purpose],
    channel: row.channel,
    recipientKind: row.recipientKind,
    recipientName: row.recipientName,
    recipientAddressMasked: maskAddress(row.recipientAddress),
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    sentAt: row.sentAt,
    adapter: row.adapter,
    providerMessageId: row.providerMessageId,
    lastError: row.lastError,
    caseId: row.caseId,
    caseEventId: row.caseEventId,
    createdAt: row.createdAt,
  };
}

/**
 * The messages of a case, oldest first: the delivery evidence of its summons (act. 11, 14; DL-6)
 * and survey invitation (act. 21). The caller checks the case's scope and logs the read (SEC-4).
 */
export async function listCaseMessages(db: Executor, caseId: number): Promise<OutboxMessageView[]> {
  return (await findCaseMessages(db, caseId)).map(toView);
}

export interface ListOutboxQuery extends OutboxFilter {
  limit: number;
  offset: number;
  now: Date;
}

/**
 * A page of the outbox, newest first, for operations, the mediation office and the auditor
 * (national scope). Reading recipients' names of case messages is logged per credit (SEC-4).
 */
export async function listOutboxMessages(
  db: Executor,
  user: AuthUser,
  query: ListOutboxQuery,
): Promise<{ items: OutboxMessageView[]; total: number; limit: number; offset: number }> {
  const { rows, total } = await findMessages(db, query, { limit: query.limit, offset: query.offset });
  const creditNumbers = [...new Set(rows.filter((row) => row.recipientKind === 'borrower' && row.creditNumber !== null).map((row) => row.creditNumber!))];
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, query.now, creditNumbers, 'outbox');
  return { items: rows.map(toView), total, limit: query.limit, offset: query.offset };
}

/**
 * Operations puts a failed message back in the queue (due now, attempts counted afresh), e.g.
 * after fixing a provider's configuration. Audited with the failure it replaces.
 */
export async function retryMessage(trx: Executor, user: AuthUser, input: { id: number; now: Date }): Promise<OutboxMessageView> {
  const row = await findMessageForUpdate(trx, input.id);
  if (!row) throw notFound('Mensaje');
  if (row.status !== 'failed') {
    throw new AppError('CONFLICT', {
      userMessage: row.status === 'sent' ? 'El mensaje ya fue entregado; no se reenvía.' : 'El mensaje ya está en la cola de envío.',
    });
  }
  await requeueFailedMessage(trx, row.id, input.now);
  await recordEvent(trx, actorOf(user), input.now, {
    action: 'outbox.retried',
    entityType: 'outbox_message',
    entityId: String(row.id),
    before: { status: row.status, attempts: row.attempts, adapter: row.adapter, lastError: row.lastError },
    after: { status: 'pending', attempts: 0, nextAttemptAt: input.now },
  });
  const after = await findMessageForUpdate(trx, row.id);
  return toView(after!);
}
