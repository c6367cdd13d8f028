/**
 * The office's monthly report requests over HTTP on a real database (Guía acts. 32–34; SPEC §5
 * DL-17): request → delivery (the platform generates the report as of the delivery day and keeps
 * the file byte for byte) → clarification within 10 days → answer within 2 days → closed; a late
 * clarification is refused; the unanswered clarification is flagged by the sweep the day after its
 * due date and not before; scope (SEC-2), optimistic locking, events, audit and messages.
 */
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type IsoDate } from '../../clock.js';
import type { Database } from '../../db/index.js';
import { openSeededDatabase, serversByDay, type Session } from '../../../test/factories.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { sweepReportRequests } from './report-requests.service.js';

let database: Database;
const { as, closeAll } = serversByDay(() => database);
const MONTH = '2026-10';

let agencyId: number;
let agencyCode: string;
let agencyUser: string;
let otherAgencyUser: string;
let delegationId: number;
let managerUser: string;

async function list(session: Session, query = '') {
  const response = await session.app.inject({ method: 'GET', url: `/api/report-requests${query}`, headers: session.caller.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().rows as { id: number; status: string; version: number; actions: { action: string }[] }[];
}

async function step(session: Session, id: number, action: string, text?: string, version?: number) {
  const seen = version ?? (await session.app.inject({ method: 'GET', url: `/api/report-requests/${id}`, headers: session.caller.headers })).json().version;
  return session.app.inject({
    method: 'POST',
    url: `/api/report-requests/${id}/actions`,
    headers: session.caller.headers,
    payload: { action, version: seen, ...(text === undefined ? {} : { text }) },
  });
}

async function sweep(today: IsoDate) {
  return database.db.transaction().execute((trx) => sweepReportRequests(trx, { today, now: fixedClock(today).now(), actor: SYSTEM_ACTOR }));
}

beforeAll(async () => {
  database = await openSeededDatabase();
  // an agency with accounts last month and a delegación with a DR manager, neither with a request
  // for that month yet (the demo's past month already has some)
  const agency = await sql<{ id: number; code: string }>`
    SELECT ag.id, ag.code FROM agencies ag
    WHERE EXISTS (SELECT 1 FROM credit_assignments a WHERE a.agency_id = ag.id AND a.month = ${MONTH})
      AND NOT EXISTS (SELECT 1 FROM report_requests r WHERE r.agency_id = ag.id AND r.month = ${MONTH})
    ORDER BY ag.code LIMIT 1`.execute(database.db);
  agencyId = agency.rows[0]!.id;
  agencyCode = agency.rows[0]!.code;
  agencyUser = `agencia.${agencyCode.toLowerCase()}`;
  const other = await database.db.selectFrom('agencies').select('code').where('id', '<>', agencyId).orderBy('code').limit(1).executeTakeFirstOrThrow();
  otherAgencyUser = `agencia.${other.code.toLowerCase()}`;
  const delegation = await sql<{ id: number; code: string }>`
    SELECT d.id, d.code FROM delegations d
    WHERE NOT EXISTS (SELECT 1 FROM report_requests r WHERE r.delegation_id = d.id AND r.month = ${MONTH})
    ORDER BY d.code LIMIT 1`.execute(database.db);
  delegationId = delegation.rows[0]!.id;
  managerUser = `gerente.${delegation.rows[0]!.code.toLowerCase()}`;
});

afterAll(async () => {
  await closeAll();
  await database.close();
});

describe('acts. 32–33, DL-17 — the agency report requested, delivered, clarified and closed', () => {
  it('request → delivery (as of the delivery day, stored by sha256) → clarification on day 10 → late answer flagged (DL-17) → closed; one event, one audit event and one message per step', async () => {
    const office = await as('gmc', '2026-11-23');
    let response = await office.app.inject({ method: 'POST', url: '/api/report-requests', headers: office.caller.headers, payload: { kind: 'agency', agencyId, month: MONTH } });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({ kind: 'agency', month: MONTH, status: 'requested', version: 1, requestedOn: '2026-11-23', agency: { id: agencyId, code: agencyCode }, actions: [] });
    const id = created.id as number;
    // one request per agency and month; only a month that is over
    response = await office.app.inject({ method: 'POST', url: '/api/report-requests', headers: office.caller.headers, payload: { kind: 'agency', agencyId, month: MONTH } });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/Ya se solicitó/);
    response = await office.app.inject({ method: 'POST', url: '/api/report-requests', headers: office.caller.headers, payload: { kind: 'agency', agencyId, month: '2026-11' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/mes concluido/);
    // only the office requests
    const agency = await as(agencyUser, '2026-11-24');
    response = await agency.app.inject({ method: 'POST', url: '/api/report-requests', headers: agency.caller.headers, payload: { kind: 'agency', agencyId, month: '2026-09' } });
    expect(response.statusCode).toBe(403);

    // SEC-2: another agency and a DR manager do not see it; a mediator does not read requests
    const otherAgency = await as(otherAgencyUser, '2026-11-24');
    expect((await list(otherAgency)).map((r) => r.id)).not.toContain(id);
    expect((await step(otherAgency, id, 'deliver', undefined, 1)).statusCode).toBe(404);
    expect((await list(await as(managerUser, '2026-11-24'))).map((r) => r.id)).not.toContain(id);
    const mediator = await as('mediador.as01.1', '2026-11-24');
    expect((await mediator.app.inject({ method: 'GET', url: '/api/report-requests', headers: mediator.caller.headers })).statusCode).toBe(403);

    // act. 32: the agency delivers; the platform generates REP-1 as of the delivery day
    const mine = (await list(agency, '?kind=agency&status=requested')).find((r) => r.id === id)!;
    expect(mine.actions.map((a) => a.action)).toEqual(['deliver']);
    expect((await step(agency, id, 'close', undefined, 1)).statusCode).toBe(403);
    response = await step(agency, id, 'deliver', undefined, 1);
    expect(response.statusCode, response.body).toBe(200);
    const delivered = response.json();
    expect(delivered).toMatchObject({ status: 'delivered', version: 2, deliveredOn: '2026-11-24', asOf: '2026-11-24', dl17RequestDueOn: '2026-12-04' });
    expect(delivered.sha256).toMatch(/^[0-9a-f]{64}$/);
    // optimistic locking: the version seen before the delivery is stale
    response = await step(agency, id, 'deliver', undefined, 1);
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('STALE_VERSION');

    // the delivered file downloads exactly as delivered, on any later day
    const reader = await as('gmc', '2026-11-25');
    const file = await reader.app.inject({ method: 'GET', url: `/api/report-requests/${id}/file.xlsx`, headers: reader.caller.headers });
    expect(file.statusCode).toBe(200);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(delivered.sha256);
    expect(file.headers['x-content-sha256']).toBe(delivered.sha256);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([`REP-1 ${MONTH}`, 'Acerca de']);
    const assigned = await database.db.selectFrom('credit_assignments').select('credit_number').where('month', '=', MONTH).where('agency_id', '=', agencyId).execute();
    expect(workbook.worksheets[0]!.actualRowCount - 1).toBe(assigned.length);
    let asOf: unknown;
    workbook.worksheets[1]!.eachRow((row) => {
      if (row.getCell(1).value === 'Con corte al') asOf = row.getCell(2).value;
    });
    expect(asOf).toEqual(new Date('2026-11-24T00:00:00Z'));
    const gmc = await database.db.selectFrom('users').select('id').where('username', '=', 'gmc').executeTakeFirstOrThrow();
    const reads = await database.db.selectFrom('personal_data_reads').select('credit_number').where('user_id', '=', gmc.id).where('purpose', '=', `reporte entregado, solicitud ${id}`).execute();
    expect(reads.length).toBe(assigned.length);
    const later = await as('gmc', '2026-11-30');
    const again = await later.app.inject({ method: 'GET', url: `/api/report-requests/${id}/file.xlsx`, headers: later.caller.headers });
    expect(Buffer.compare(again.rawPayload, file.rawPayload)).toBe(0);

    // DL-17: the office asks on the 10th day after receipt, the last one of its window
    const asking = await as('gmc', '2026-12-04');
    expect((await step(asking, id, 'request_clarification', 'no')).statusCode).toBe(400);
    response = await step(asking, id, 'request_clarification', 'Explique los 3 casos sin sesión de la delegación Jalisco.');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'clarification_requested', clarificationRequestedOn: '2026-12-04', dl17AnswerDueOn: '2026-12-06' });

    // DL-17.answer: flagged by the sweep the day after the due date, not on it, once
    expect(await sweep('2026-12-06')).toEqual({ flagged: { 'DL-17.answer': 0 } });
    expect(await sweep('2026-12-07')).toEqual({ flagged: { 'DL-17.answer': 1 } });
    expect(await sweep('2026-12-08')).toEqual({ flagged: { 'DL-17.answer': 0 } });
    const breaches = await database.db.selectFrom('report_deadline_breaches').selectAll().where('subject', '=', `report_request:${id}`).execute();
    expect(breaches).toEqual([
      { subject: `report_request:${id}`, rule: 'DL-17.answer', delegation_id: null, agency_id: agencyId, month: MONTH, due_on: '2026-12-06', flagged_on: '2026-12-07', policy_version: expect.any(Number) },
    ]);

    // act. 33: the agency answers (late) and the office closes
    response = await step(await as(agencyUser, '2026-12-08'), id, 'answer_clarification', 'Los tres acreditados no dieron día y hora (NS-3); se anexan evidencias.');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'clarified', clarificationAnsweredOn: '2026-12-08', breaches: [{ rule: 'DL-17.answer', dueOn: '2026-12-06', flaggedOn: '2026-12-07' }] });
    response = await step(await as('gmc', '2026-12-09'), id, 'close');
    expect(response.statusCode, response.body).toBe(200);
    const closed = response.json();
    expect(closed).toMatchObject({ status: 'closed', closedOn: '2026-12-09', version: 5, actions: [] });
    expect(closed.history.map((h: { action: string; activity: string; toStatus: string }) => `${h.action}:${h.activity}:${h.toStatus}`)).toEqual([
      'request:act. 32:requested',
      'deliver:act. 32:delivered',
      'request_clarification:act. 33:clarification_requested',
      'answer_clarification:act. 33:clarified',
      'close:act. 32:closed',
    ]);
    const audit = await database.db.selectFrom('audit_events').select('action').where('entity_type', '=', 'report_request').where('entity_id', '=', String(id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['report_request.request', 'report_request.deliver', 'report_request.request_clarification', 'report_request.answer_clarification', 'report_request.close']);
    const messages = await database.db
      .selectFrom('outbox_messages')
      .select(['recipient_kind', 'recipient_address', 'subject'])
      .where('purpose', '=', 'report_request')
      .where('body', 'like', `%olicitud ${id}%`)
      .orderBy('id')
      .execute();
    const agencyEmail = (await database.db.selectFrom('agencies').select('contact_email').where('id', '=', agencyId).executeTakeFirstOrThrow()).contact_email;
    expect(messages.map((m) => `${m.recipient_kind}:${m.recipient_address}`)).toEqual([`agency:${agencyEmail}`, 'user:gmc@example.com', `agency:${agencyEmail}`, 'user:gmc@example.com', `agency:${agencyEmail}`]);
  });
});

describe('act. 34, DL-17 — the delegación report; a clarification after the 10 days is refused', () => {
  it('the DR manager delivers REP-2; on day 11 the office can no longer ask (409 naming DL-17) and closes; no breach is flagged for a clarification never asked', async () => {
    const office = await as('gmc', '2026-11-23');
    let response = await office.app.inject({ method: 'POST', url: '/api/report-requests', headers: office.caller.headers, payload: { kind: 'region', delegationId, month: MONTH } });
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json().id as number;
    // SEC-2: another delegación's manager and an agency do not reach it
    const stranger = await database.db.selectFrom('users').select('username').where('role', '=', 'regional_manager').where('delegation_id', '<>', delegationId).orderBy('id').limit(1).executeTakeFirstOrThrow();
    expect((await step(await as(stranger.username, '2026-11-24'), id, 'deliver', undefined, 1)).statusCode).toBe(404);
    expect((await step(await as(agencyUser, '2026-11-24'), id, 'deliver', undefined, 1)).statusCode).toBe(404);
    response = await step(await as(managerUser, '2026-11-24'), id, 'deliver', undefined, 1);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'delivered', asOf: '2026-11-24', dl17RequestDueOn: '2026-12-04', delegation: { id: delegationId } });
    const file = await office.app.inject({ method: 'GET', url: `/api/report-requests/${id}/file.xlsx`, headers: office.caller.headers });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as never);
    expect(workbook.worksheets[0]!.name).toBe(`REP-2 ${MONTH}`);

    const late = await as('gmc', '2026-12-05');
    const listed = (await list(late, '?kind=region')).find((r) => r.id === id)!;
    expect(listed.actions.map((a) => a.action)).toEqual(['close']);
    response = await step(late, id, 'request_clarification', 'Aclare el convenio sin primer pago.');
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/DL-17/);
    expect(response.json().message).toMatch(/04\/12\/2026/);
    response = await step(late, id, 'close');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'closed', closedOn: '2026-12-05' });
    await sweep('2026-12-20');
    expect(await database.db.selectFrom('report_deadline_breaches').select('rule').where('subject', '=', `report_request:${id}`).execute()).toEqual([]);
  });
});
