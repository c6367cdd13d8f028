/**
 * All SQL of the outbox (`outbox_messages`, migration 0003). Rows are mapped to camelCase here.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { OutboxChannel, OutboxMessagesTable, OutboxPurpose, OutboxRecipientKind } from '../../db/schema.js';
import type { OutboxStatus } from './outbox.rules.js';

export interface OutboxRow {
  id: number;
  createdAt: Date;
  purpose: OutboxPurpose;
  channel: OutboxChannel;
  recipientKind: OutboxRecipientKind;
  recipientName: string;
  recipientAddress: string;
  subject: string | null;
  body: string;
  caseId: number | null;
  caseEventId: number | null;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  sentAt: Date | null;
  adapter: string | null;
  providerMessageId: string | null;
  lastError: string | null;
}

function toRow(row: Selectable<OutboxMessagesTable>): OutboxRow {
  return {
    id: Number(row.id),
    createdAt: row.created_at,
    purpose: row.purpose,
    channel: row.channel,
    recipientKind: row.recipient_kind,
    recipientName: row.recipient_name,
    recipientAddress: row.recipient_address,
    subject: row.subject,
    body: row.body,
    caseId: row.case_id,
    caseEventId: row.case_event_id === null ? null : Number(row.case_event_id),
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    sentAt: row.sent_at,
    adapter: row.adapter,
    providerMessageId: row.provider_message_id,
    lastError: row.last_error,
  };
}

/**
 * `id = $1`. (The schema declares the id as Generated<Int8>, whose Kysely select type is not
 * bigint, so the comparison is written in SQL; the value is an integer either way.)
 */
function hasId(id: number) {
  return sql<boolean>`id = ${id}`;
}

export interface NewOutboxRow {
  createdAt: Date;
  purpose: OutboxPurpose;
  channel: OutboxChannel;
  recipientKind: OutboxRecipientKind;
  recipientName: string;
  recipientAddress: string;
  subject: string | null;
  body: string;
  caseId: number | null;
  caseEventId: bigint | number | null;
}

export async function insertMessage(trx: Executor, message: NewOutboxRow): Promise<number> {
  const { id } = await trx
    .insertInto('outbox_messages')
    .values({
      created_at: message.createdAt,
      purpose: message.purpose,
      channel: message.channel,
      recipient_kind: message.recipientKind,
      recipient_name: message.recipientName,
      recipient_address: message.recipientAddress,
      subject: message.subject,
      body: message.body,
      case_id: message.caseId,
      case_event_id: message.caseEventId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: message.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/**
 * Claims the next due pending message in one statement: counts the attempt and moves
 * next_attempt_at to the end of a lease, so that no other worker takes it while it is being sent.
 * `FOR UPDATE SKIP LOCKED` lets several workers (several servers) claim different messages at
 * once; on PGlite there is a single connection and the statement simply runs alone. If the worker
 * dies, the lease expires and the message is claimed again.
 */
export async function claimNextDueMessage(db: Executor, now: Date, leaseUntil: Date): Promise<OutboxRow | undefined> {
  const row = await db
    .updateTable('outbox_messages')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil }))
    .where('id', '=', (eb) =>
      eb
        .selectFrom('outbox_messages')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** The delivery evidence (DL-6). Only a pending message becomes sent, so a message is sent once. */
export async function markMessageSent(db: Executor, id: number, evidence: { sentAt: Date; adapter: string; providerMessageId: string }): Promise<boolean> {
  const result = await db
    .updateTable('outbox_messages')
    .set({ status: 'sent', sent_at: evidence.sentAt, adapter: evidence.adapter, provider_message_id: evidence.providerMessageId, last_error: null })
    .where(hasId(id))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markAttemptFailed(
  db: Executor,
  id: number,
  outcome: { status: 'pending' | 'failed'; nextAttemptAt?: Date | undefined; adapter: string; lastError: string },
): Promise<void> {
  await db
    .updateTable('outbox_messages')
    .set({
      status: outcome.status,
      adapter: outcome.adapter,
      last_error: outcome.lastError,
      ...(outcome.nextAttemptAt ? { next_attempt_at: outcome.nextAttemptAt } : {}),
    })
    .where(hasId(id))
    .where('status', '=', 'pending')
    .execute();
}

export async function findCaseMessages(db: Executor, caseId: number): Promise<OutboxRow[]> {
  const rows = await db.selectFrom('outbox_messages').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toRow);
}

export interface OutboxFilter {
  status?: OutboxStatus | undefined;
  purpose?: OutboxPurpose | undefined;
  channel?: OutboxChannel | undefined;
  caseId?: number | undefined;
}

/** A page of messages, newest first, with the case's credit number (for the SEC-4 read log). */
export async function findMessages(
  db: Executor,
  filter: OutboxFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: Array<OutboxRow & { creditNumber: string | null }>; total: number }> {
  let query = db.selectFrom('outbox_messages as m');
  if (filter.status) query = query.where('m.status', '=', filter.status);
  if (filter.purpose) query = query.where('m.purpose', '=', filter.purpose);
  if (filter.channel) query = query.where('m.channel', '=', filter.channel);
  if (filter.caseId !== undefined) query = query.where('m.case_id', '=', filter.caseId);
  // One after the other: inside a transaction both run on one connection.
  const rows = await query
    .leftJoin('mediation_cases as c', 'c.id', 'm.case_id')
    .selectAll('m')
    .select('c.credit_number')
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return { rows: rows.map((row) => ({ ...toRow(row), creditNumber: row.credit_number })), total: Number(count.n) };
}

export async function findMessageForUpdate(trx: Executor, id: number): Promise<OutboxRow | undefined> {
  const row = await trx.selectFrom('outbox_messages').selectAll().where(hasId(id)).forUpdate().executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** A failed message back to pending, due now, with its attempts counted afresh. */
export async function requeueFailedMessage(trx: Executor, id: number, now: Date): Promise<void> {
  await trx
    .updateTable('outbox_messages')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now })
    .where(hasId(id))
    .where('status', '=', 'failed')
    .execute();
}

/** Counts by status, for the CLI. */
export async function countMessagesByStatus(db: Executor): Promise<Record<OutboxStatus, number>> {
  const rows = await db.selectFrom('outbox_messages').select(['status', sql<string>`count(*)`.as('n')]).groupBy('status').execute();
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
