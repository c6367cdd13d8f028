/**
 * The outbox on a real database (PGlite, and PostgreSQL in CI): messages queued in the change's
 * transaction, delivered after commit with their evidence (DL-6), retried with backoff, read with
 * addresses masked, re-queued by operations (audited).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../clock.js';
import type { Database, Db } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { App } from '../../http/context.js';
import { buildTestServer, login, openSeededDatabase, TEST_TODAY, type Caller } from '../../../test/factories.js';
import { localAdapters, OutboxDeliveryError, type DeliveryReceipt, type OutboxAdapter, type OutboxAdapters, type OutgoingMessage } from './outbox.adapters.js';
import { claimNextDueMessage } from './outbox.repository.js';
import { deliverDueMessages, enqueueMessage, listCaseMessages, type DeliveryReport, type OutboxMessageInput } from './outbox.service.js';
import { summonsMessage } from './outbox.templates.js';
import { startOutboxWorker } from './outbox.worker.js';

let database: Database;
let db: Db;
let app: App;
const clock = fixedClock(TEST_TODAY);
const now = clock.now();
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 120 });
  db = database.db;
  app = await buildTestServer(database, clock);
});
afterAll(async () => {
  await app.close();
  await database.close();
});
beforeEach(async () => {
  await db.deleteFrom('outbox_messages').execute();
});

/** An adapter that records what it was given and answers with `reply` (default: a provider id). */
function recordingAdapter(reply?: (message: OutgoingMessage, call: number) => Promise<DeliveryReceipt>): { adapter: OutboxAdapter; calls: OutgoingMessage[] } {
  const calls: OutgoingMessage[] = [];
  return {
    calls,
    adapter: {
      name: 'test-provider',
      send: async (message) => {
        calls.push(message);
        return reply ? reply(message, calls.length) : { providerMessageId: `prov-${message.id}` };
      },
    },
  };
}

const sameForAll = (adapter: OutboxAdapter): OutboxAdapters => ({ email: adapter, sms: adapter, whatsapp: adapter });

const smsToBorrower = (overrides: Partial<OutboxMessageInput> = {}): OutboxMessageInput => ({
  purpose: 'summons',
  channel: 'sms',
  recipientKind: 'borrower',
  recipientName: 'Ana López Pérez',
  recipientAddress: '+52 55 1234 5678',
  subject: 'Convocatoria a sesión de mediación',
  body: 'Infonavit Mediacion: se le convoca a la sesion de mediacion del 25/11/2026 10:30 h.',
  now,
  ...overrides,
});

async function enqueue(message: OutboxMessageInput = smsToBorrower()): Promise<number> {
  return db.transaction().execute((trx) => enqueueMessage(trx, message));
}

async function row(id: number) {
  return db.selectFrom('outbox_messages').selectAll().where(sql<boolean>`id = ${id}`).executeTakeFirstOrThrow();
}

/** A minimal case for a credit with no open case (the case module owns the real ones). */
async function seedCase(): Promise<{ id: number; creditNumber: string }> {
  const credit = await sql<{ credit_number: string; delegation_id: number }>`
    SELECT c.credit_number, c.delegation_id FROM credits c
    WHERE NOT EXISTS (SELECT 1 FROM mediation_cases m WHERE m.credit_number = c.credit_number)
    ORDER BY c.credit_number LIMIT 1`.execute(db);
  const { credit_number, delegation_id } = credit.rows[0]!;
  const agency = await db.selectFrom('agencies').select('id').orderBy('id').executeTakeFirstOrThrow();
  const inserted = await db
    .insertInto('mediation_cases')
    .values({
      credit_number,
      round: 1,
      entry: 'monthly',
      month: TEST_TODAY.slice(0, 7),
      convenio_type: 'ADMINISTRATIVE',
      delegation_id,
      agency_id: agency.id,
      state: 'tagged',
      opened_on: TEST_TODAY,
      facts: '{}',
      created_at: now,
      updated_at: now,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(inserted.id), creditNumber: credit_number };
}

describe('enqueue: in the transaction of the change', () => {
  it('a change that rolls back sends nothing (no phantom message)', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueueMessage(trx, smsToBorrower());
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const { adapter, calls } = recordingAdapter();
    const report = await deliverDueMessages(db, { now: at(60), adapters: sameForAll(adapter) });
    expect(report).toEqual({ attempted: 0, sent: 0, retrying: 0, failed: 0 });
    expect(calls).toHaveLength(0);
    expect(await db.selectFrom('outbox_messages').select('id').execute()).toHaveLength(0);
  });

  it('stores the phone as +52 and 10 digits, pending and due now', async () => {
    const id = await enqueue();
    expect(await row(id)).toMatchObject({ recipient_address: '+525512345678', status: 'pending', attempts: 0, next_attempt_at: now, sent_at: null, adapter: null });
  });

  it('refuses an address that does not fit the channel, in Spanish (VALIDATION)', async () => {
    const attempts: Array<[Partial<OutboxMessageInput>, RegExp]> = [
      [{ recipientAddress: '55 1234 567' }, /teléfono de México de 10 dígitos/],
      [{ channel: 'whatsapp', recipientAddress: 'ana@ejemplo.mx' }, /Para WhatsApp/],
      [{ channel: 'email', recipientAddress: '5512345678' }, /correo electrónico no es válida/],
      [{ channel: 'email', recipientAddress: 'ana@ejemplo.mx', subject: null }, /necesita un asunto/],
      [{ recipientName: ' ' }, /nombre del destinatario/],
      [{ body: '' }, /no tiene texto/],
      [{ body: 'x'.repeat(1601) }, /excede 1600/],
    ];
    for (const [change, message] of attempts) {
      const error = await enqueue(smsToBorrower(change)).catch((e: unknown) => e);
      expect(error, String(message)).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('VALIDATION');
      expect((error as AppError).userMessage).toMatch(message);
    }
    expect(await db.selectFrom('outbox_messages').select('id').execute()).toHaveLength(0);
  });

  it('refuses to queue outside a transaction', async () => {
    await expect(enqueueMessage(db, smsToBorrower())).rejects.toThrow(/inside the transaction/);
  });
});

describe('delivery: evidence of each message (DL-6)', () => {
  it('sends due messages once and records sent_at, the adapter and the provider id', async () => {
    const first = await enqueue();
    const rendered = summonsMessage(
      {
        recipientKind: 'representative',
        recipientName: 'Luis Ramírez',
        creditNumber: '1234567890',
        caseId: 1,
        sessionDate: '2026-11-25',
        sessionTime: '10:30',
        mode: 'remote',
        remoteTool: 'Microsoft Teams',
        mediatorName: 'Juan Martínez',
        agencyName: 'AS01',
      },
      'email',
    );
    const second = await enqueue(smsToBorrower({ channel: 'email', recipientKind: 'representative', recipientName: 'Luis Ramírez', recipientAddress: 'luis@ejemplo.mx', ...rendered }));
    const later = await enqueue(smsToBorrower({ now: at(3600) }));

    const { adapter, calls } = recordingAdapter();
    const report = await deliverDueMessages(db, { now: at(5), adapters: sameForAll(adapter) });
    expect(report).toEqual({ attempted: 2, sent: 2, retrying: 0, failed: 0 });
    expect(calls.map((c) => c.id)).toEqual([first, second]);
    expect(calls[1]).toMatchObject({ channel: 'email', recipientAddress: 'luis@ejemplo.mx', subject: rendered.subject, body: rendered.body });
    for (const id of [first, second]) {
      expect(await row(id)).toMatchObject({ status: 'sent', sent_at: at(5), adapter: 'test-provider', provider_message_id: `prov-${id}`, attempts: 1, last_error: null });
    }
    expect((await row(later)).status).toBe('pending');

    // Sent messages are never sent again; the later one goes when it is due.
    const again = await deliverDueMessages(db, { now: at(3600), adapters: sameForAll(adapter) });
    expect(again.sent).toBe(1);
    expect(calls.map((c) => c.id)).toEqual([first, second, later]);
  });

  it('the local adapter delivers at once and keeps the message in the app (local-<id>)', async () => {
    const id = await enqueue();
    await deliverDueMessages(db, { now, adapters: localAdapters() });
    expect(await row(id)).toMatchObject({ status: 'sent', adapter: 'local', provider_message_id: `local-${id}`, sent_at: now });
  });

  it('respects the limit', async () => {
    for (let i = 0; i < 3; i++) await enqueue();
    const { adapter } = recordingAdapter();
    expect((await deliverDueMessages(db, { now, adapters: sameForAll(adapter), limit: 2 })).sent).toBe(2);
    expect((await deliverDueMessages(db, { now, adapters: sameForAll(adapter), limit: 2 })).sent).toBe(1);
  });

  it('retries with exponential backoff, then marks the message failed, keeping an error with no personal data', async () => {
    const id = await enqueue();
    const { adapter, calls } = recordingAdapter(async (message) => {
      throw new Error(`connect ECONNREFUSED for ${message.recipientName} <${message.recipientAddress}> (5512345678)`);
    });
    const options = { adapters: sameForAll(adapter), maxAttempts: 3, retryBaseMs: 1000 };

    expect(await deliverDueMessages(db, { ...options, now })).toEqual({ attempted: 1, sent: 0, retrying: 1, failed: 0 });
    let stored = await row(id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: at(1), adapter: 'test-provider', sent_at: null });
    expect(stored.last_error).toContain('ECONNREFUSED');
    expect(stored.last_error).not.toMatch(/Ana|López|5512345678|\+52/);

    expect((await deliverDueMessages(db, { ...options, now: at(0.5) })).attempted).toBe(0); // not due yet
    expect((await deliverDueMessages(db, { ...options, now: at(1) })).retrying).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: at(3) }); // 1 s + 2 s
    expect((await deliverDueMessages(db, { ...options, now: at(3) })).failed).toBe(1);
    stored = await row(id);
    expect(stored).toMatchObject({ status: 'failed', attempts: 3, sent_at: null });
    expect(stored.last_error).not.toMatch(/Ana|5512345678/);
    expect((await deliverDueMessages(db, { ...options, now: at(86_400) })).attempted).toBe(0); // failed stays failed
    expect(calls).toHaveLength(3);
  });

  it('a permanent error fails at once', async () => {
    const id = await enqueue();
    const { adapter } = recordingAdapter(async () => {
      throw new OutboxDeliveryError('SMS: el proveedor respondió HTTP 400.', { permanent: true });
    });
    expect(await deliverDueMessages(db, { now, adapters: sameForAll(adapter) })).toMatchObject({ failed: 1, retrying: 0 });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'SMS: el proveedor respondió HTTP 400.' });
  });

  it('a worker that died after claiming: the message is not taken during the lease, and is sent after it (at-least-once)', async () => {
    const id = await enqueue();
    const claimed = await claimNextDueMessage(db, now, at(300)); // claimed, then the process died
    expect(claimed?.id).toBe(id);
    const { adapter, calls } = recordingAdapter();
    expect((await deliverDueMessages(db, { now: at(299), adapters: sameForAll(adapter) })).attempted).toBe(0);
    expect((await deliverDueMessages(db, { now: at(300), adapters: sameForAll(adapter) })).sent).toBe(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(calls).toHaveLength(1);
  });

  it('two delivery runs at once never send a message twice', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await enqueue());
    const { adapter, calls } = recordingAdapter(async (message) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { providerMessageId: `prov-${message.id}` };
    });
    const reports = await Promise.all([deliverDueMessages(db, { now, adapters: sameForAll(adapter) }), deliverDueMessages(db, { now, adapters: sameForAll(adapter) })]);
    expect(reports[0].sent + reports[1].sent).toBe(6);
    expect(calls.map((c) => c.id).sort((a, b) => a - b)).toEqual(ids);
  });
});

describe('the worker', () => {
  it('delivers after commit and stops cleanly', async () => {
    const id = await enqueue();
    const batches: DeliveryReport[] = [];
    let delivered!: () => void;
    const done = new Promise<void>((resolve) => (delivered = resolve));
    const worker = startOutboxWorker({
      db,
      clock,
      adapters: localAdapters(),
      intervalMs: 20,
      onBatch: (report) => {
        batches.push(report);
        if (report.sent > 0) delivered();
      },
    });
    await done;
    await worker.stop();
    expect(batches.reduce((sum, batch) => sum + batch.sent, 0)).toBe(1);
    expect((await row(id)).status).toBe('sent');
    const count = batches.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches.length).toBe(count); // stopped
  });
});

describe('reading the evidence', () => {
  it('listCaseMessages: the case\'s messages with the address masked except its last 4 characters', async () => {
    const kase = await seedCase();
    const summons = await enqueue(smsToBorrower({ caseId: kase.id }));
    const email = await enqueue(smsToBorrower({ caseId: kase.id, channel: 'email', recipientKind: 'representative', recipientAddress: 'luis@ejemplo.mx', recipientName: 'Luis Ramírez' }));
    await enqueue(); // another case's (none)
    await deliverDueMessages(db, { now, adapters: sameForAll(recordingAdapter().adapter), limit: 1 });

    const messages = await listCaseMessages(db, kase.id);
    expect(messages.map((m) => m.id)).toEqual([summons, email]);
    expect(messages[0]).toMatchObject({
      purpose: 'summons',
      channel: 'sms',
      recipientKind: 'borrower',
      recipientName: 'Ana López Pérez',
      recipientAddressMasked: '*********5678',
      status: 'sent',
      attempts: 1,
      sentAt: now,
      adapter: 'test-provider',
      providerMessageId: `prov-${summons}`,
      caseId: kase.id,
      createdAt: now,
    });
    expect(messages[1]).toMatchObject({ recipientAddressMasked: '***********o.mx', status: 'pending', sentAt: null, nextAttemptAt: now });
    expect(JSON.stringify(messages)).not.toMatch(/5512345678|luis@/);
    expect(messages[0]).not.toHaveProperty('body');
  });
});

describe('HTTP: GET /api/outbox and POST /api/outbox/:id/retry', () => {
  let operations: Caller;
  let office: Caller;
  let auditor: Caller;
  let mediator: Caller;
  let agency: Caller;

  beforeAll(async () => {
    operations = await login(app, 'operacion');
    office = await login(app, 'gmc');
    auditor = await login(app, 'auditor');
    mediator = await login(app, 'mediador.as01.1');
    agency = await login(app, 'agencia.as01');
  });

  it('is documented in the OpenAPI document', async () => {
    const spec = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(Object.keys(spec.json().paths)).toEqual(expect.arrayContaining(['/api/outbox', '/api/outbox/{id}/retry']));
  });

  it('is for operations, the mediation office and the auditor (401 without a session, 403 for other roles)', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/outbox' })).statusCode).toBe(401);
    for (const caller of [mediator, agency]) expect((await app.inject({ method: 'GET', url: '/api/outbox', headers: caller.headers })).statusCode).toBe(403);
    for (const caller of [operations, office, auditor]) expect((await app.inject({ method: 'GET', url: '/api/outbox', headers: caller.headers })).statusCode).toBe(200);
  });

  it('lists newest first with filters and pages, addresses masked, and logs the read of borrowers\' data (SEC-4)', async () => {
    const kase = await seedCase();
    const sent = await enqueue(smsToBorrower({ caseId: kase.id }));
    await deliverDueMessages(db, { now, adapters: localAdapters() });
    const survey = await enqueue(smsToBorrower({ purpose: 'survey_invitation', channel: 'whatsapp', caseId: kase.id }));
    const agencyNotice = await enqueue(
      smsToBorrower({ purpose: 'assignment_available', channel: 'email', recipientKind: 'agency', recipientName: 'AS01', recipientAddress: 'contacto@as01.example' }),
    );

    const all = await app.inject({ method: 'GET', url: '/api/outbox', headers: office.headers });
    expect(all.json().total).toBe(3);
    expect(all.json().items.map((m: { id: number }) => m.id)).toEqual([agencyNotice, survey, sent]);
    expect(all.body).not.toMatch(/5512345678|contacto@as01/);
    expect(all.json().items[2]).toMatchObject({ status: 'sent', adapter: 'local', providerMessageId: `local-${sent}`, recipientAddressMasked: '*********5678', purposeLabel: 'Convocatoria a sesión (act. 11)' });

    const pending = await app.inject({ method: 'GET', url: '/api/outbox?status=pending&purpose=survey_invitation', headers: auditor.headers });
    expect(pending.json()).toMatchObject({ total: 1, items: [{ id: survey, channel: 'whatsapp', status: 'pending' }] });
    const page = await app.inject({ method: 'GET', url: '/api/outbox?limit=1&offset=1', headers: operations.headers });
    expect(page.json()).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ id: survey }] });
    expect((await app.inject({ method: 'GET', url: '/api/outbox?status=lost', headers: operations.headers })).statusCode).toBe(400);

    const reads = await db.selectFrom('personal_data_reads').select(['credit_number', 'purpose']).where('purpose', '=', 'outbox').execute();
    expect(reads.map((r) => r.credit_number)).toContain(kase.creditNumber);
  });

  it('operations re-queues a failed message (audited); not a sent one; others may not', async () => {
    const id = await enqueue();
    const { adapter } = recordingAdapter(async () => {
      throw new OutboxDeliveryError('SMS: el proveedor respondió HTTP 401.', { permanent: true });
    });
    await deliverDueMessages(db, { now, adapters: sameForAll(adapter) });
    expect((await row(id)).status).toBe('failed');

    for (const caller of [office, auditor, mediator]) {
      expect((await app.inject({ method: 'POST', url: `/api/outbox/${id}/retry`, headers: caller.headers })).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'POST', url: `/api/outbox/${id}/retry` })).statusCode).toBe(401);
    const retried = await app.inject({ method: 'POST', url: `/api/outbox/${id}/retry`, headers: operations.headers });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id, status: 'pending', attempts: 0, lastError: 'SMS: el proveedor respondió HTTP 401.' });

    const event = await db.selectFrom('audit_events').selectAll().where('action', '=', 'outbox.retried').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ entity_type: 'outbox_message', actor_role: 'operations' });
    expect(JSON.stringify(event.before)).toContain('failed');
    expect(JSON.stringify([event.before, event.after])).not.toMatch(/5512345678|Ana/);

    const again = await app.inject({ method: 'POST', url: `/api/outbox/${id}/retry`, headers: operations.headers });
    expect(again.statusCode).toBe(409);
    await deliverDueMessages(db, { now, adapters: localAdapters() });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    const sentRetry = await app.inject({ method: 'POST', url: `/api/outbox/${id}/retry`, headers: operations.headers });
    expect(sentRetry.statusCode).toBe(409);
    expect(sentRetry.json().message).toBe('El mensaje ya fue entregado; no se reenvía.');
    expect((await app.inject({ method: 'POST', url: '/api/outbox/999999/retry', headers: operations.headers })).statusCode).toBe(404);
  });
});
