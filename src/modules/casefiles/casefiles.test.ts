/**
 * Case files and the national archive on a real database, over HTTP where users act (SPEC §6
 * EXP-1..4, acts. 28–31 and 35–36, DL-13..16, REP-3, REP-4): the checklist refuses an incomplete
 * delivery (422), the review loop with corrections and acceptance, the fee validation of RATIFIED
 * and NOTARIAL files, digitisation of signed files only, the daily sweep's breaches on the right
 * day, the all-or-nothing shipment and its list read back from the XLSX, the archive's idempotent
 * receipt, the monthly progress report and DL-16, scope (SEC-2), and the event + audit trail of
 * every action (SEC-3). Cases reach their outcome through the demo's real services.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, fixedClock, formatDateEs, type IsoDate } from '../../clock.js';
import type { Database } from '../../db/index.js';
import type { DocumentType } from '../../db/schema.js';
import { openSeededDatabase, serversByDay, type Session } from '../../../test/factories.js';
import { CONVENIO_TYPE_LABELS } from '../assignment/assignment.rules.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { eligibleSolutionIds } from '../convenios/convenios.service.js';
import { DOCUMENT_TYPE_LABELS, uploadCaseDocument } from '../documents/documents.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { buildDemoCase, demoActors, demoUser } from '../mediation/demo-cases.js';
import { SHIPMENT_LIST_COLUMNS } from './casefiles.export.js';
import { ARCHIVE_PROGRESS_LABELS, type CaseFileAction } from './casefiles.rules.js';
import { applyCaseFileAction, sweepCaseFiles } from './casefiles.service.js';
import { sweepCases } from '../mediation/sweep.service.js';

let database: Database;
const { as, closeAll } = serversByDay(() => database);

/** Day 0 of every test case: this month's assignment (the demo's today is 2026-11-23). */
const DAY0 = '2026-11-02';
/** The session (signature or refusal) of the demo's case plan: day 10. */
const SESSION = addDays(DAY0, 10);
const MEDIATOR = 'mediador.as01.1';

let mediator: AuthUser;
let agencyId: number;
const usedCredits = new Set<string>();

/** An instant on a day, at an hour of Mexico City (UTC-6). */
function at(day: IsoDate, hour = 12): Date {
  return new Date(`${day}T${String(hour).padStart(2, '0')}:00:00-06:00`);
}

let pdfSerial = 0;
function pdf(): Buffer {
  pdfSerial += 1;
  return Buffer.from(`%PDF-1.4\n% expediente ${pdfSerial}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

const EXP1: DocumentType[] = ['signed_convenio', 'acknowledgement', 'party_ids', 'confidentiality_agreement'];
const EXP1_RATIFIED: DocumentType[] = [...EXP1, 'cja_certificate', 'fee_payment_proof'];
const EXP2: DocumentType[] = ['party_ids', 'confidentiality_agreement'];

interface OutcomeCase {
  caseId: number;
  creditNumber: string;
  delegationId: number;
  delegationCode: string;
  manager: AuthUser;
  managerUsername: string;
}

/** An account of AS01 with no case, of a type the CJA-certified mediator handles, with a solution available on day 0. */
async function freshCredit(type: 'RATIFIED' | 'ADMINISTRATIVE', where: { delegationId?: number; notDelegationId?: number } = {}) {
  const rows = await database.db
    .selectFrom('credit_assignments as a')
    .select(['a.credit_number', 'a.delegation_id'])
    .where('a.month', '=', DAY0.slice(0, 7))
    .where('a.agency_id', '=', agencyId)
    .where('a.entry', '=', 'monthly')
    .where('a.convenio_type', '=', type)
    .where((eb) => eb.or([eb('a.field_agent_user_id', 'is', null), eb('a.field_agent_user_id', '=', eb.selectFrom('users').select('id').where('username', '=', 'asesor.as01.1'))]))
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM mediation_cases m WHERE m.credit_number = a.credit_number)`)
    .$if(where.delegationId !== undefined, (qb) => qb.where('a.delegation_id', '=', where.delegationId!))
    .$if(where.notDelegationId !== undefined, (qb) => qb.where('a.delegation_id', '<>', where.notDelegationId!))
    .orderBy('a.credit_number')
    .limit(300)
    .execute();
  for (const row of rows) {
    if (usedCredits.has(row.credit_number)) continue;
    const available = await eligibleSolutionIds(database.db, row.credit_number, DAY0);
    if (available.length === 0) continue;
    usedCredits.add(row.credit_number);
    return { creditNumber: row.credit_number, delegationId: row.delegation_id, available };
  }
  throw new Error(`no fresh ${type} credit of AS01 (${JSON.stringify(where)})`);
}

/** A case driven by the real services from the visit (day 0) to its outcome at the session (day 10). */
async function outcomeCase(
  stop: 'signed' | 'refused_to_sign' | 'closed_no_agreement',
  type: 'RATIFIED' | 'ADMINISTRATIVE' = stop === 'signed' ? 'ADMINISTRATIVE' : 'RATIFIED',
  where: { delegationId?: number; notDelegationId?: number } = {},
): Promise<OutcomeCase> {
  const credit = await freshCredit(type, where);
  const caseId = await database.db.transaction().execute(async (trx) => {
    const actors = await demoActors(trx, { fieldAgent: 'asesor.as01.1', mediator: MEDIATOR });
    return buildDemoCase(trx, actors, { creditNumber: credit.creditNumber, delegationId: credit.delegationId, stop, day0: DAY0, available: credit.available, now: at(DAY0) });
  });
  const manager = await demoUser(database.db, { role: 'regional_manager', delegationId: credit.delegationId });
  const delegation = await database.db.selectFrom('delegations').select('code').where('id', '=', credit.delegationId).executeTakeFirstOrThrow();
  return { caseId, creditNumber: credit.creditNumber, delegationId: credit.delegationId, delegationCode: delegation.code, manager, managerUsername: manager.username };
}

async function upload(caseId: number, types: readonly DocumentType[], when: Date, user: AuthUser = mediator) {
  await database.db.transaction().execute(async (trx) => {
    for (const documentType of types) {
      await uploadCaseDocument(trx, user, { caseId, documentType, fileName: `${documentType}.pdf`, mediaType: 'application/pdf', content: pdf(), now: when });
    }
  });
}

/** One step of the file through the service, on the version stored now. */
async function act(user: AuthUser, caseId: number, action: CaseFileAction, on: IsoDate, input: object = {}) {
  return database.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('case_files').select('version').where('case_id', '=', caseId).executeTakeFirst();
    return applyCaseFileAction(trx, user, { caseId, action, version: row?.version, input: input as never, today: on, now: at(on) });
  });
}

/** A file delivered complete on `on`. */
async function submitted(c: OutcomeCase, types: readonly DocumentType[], on: IsoDate = SESSION) {
  await upload(c.caseId, types, at(on, 9));
  await act(mediator, c.caseId, 'submit', on);
}

async function fileOf(caseId: number) {
  return database.db.selectFrom('case_files').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
}

async function breachesOf(caseId: number) {
  return database.db.selectFrom('case_deadline_breaches').select(['rule', 'due_on', 'flagged_on', 'policy_version']).where('case_id', '=', caseId).orderBy('rule').execute();
}

async function sweep(today: IsoDate) {
  return database.db.transaction().execute((trx) => sweepCaseFiles(trx, { today, now: at(today, 2), actor: SYSTEM_ACTOR }));
}

function get(session: Session, url: string) {
  return session.app.inject({ method: 'GET', url, headers: session.caller.headers });
}

function post(session: Session, url: string, payload: object, headers: Record<string, string> = {}) {
  return session.app.inject({ method: 'POST', url, headers: { ...session.caller.headers, ...headers }, payload });
}

function fileAction(session: Session, caseId: number, payload: object, headers: Record<string, string> = {}) {
  return post(session, `/api/cases/${caseId}/case-file/actions`, payload, headers);
}

async function trailCounts(caseFileId: number | null) {
  const events = caseFileId === null ? 0 : Number((await database.db.selectFrom('case_file_events').select(sql<string>`count(*)`.as('n')).where('case_file_id', '=', caseFileId).executeTakeFirstOrThrow()).n);
  const audit = Number((await database.db.selectFrom('audit_events').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const outbox = Number((await database.db.selectFrom('outbox_messages').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  return { events, audit, outbox };
}

async function readWorkbook(payload: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(payload as unknown as ArrayBuffer);
  return workbook;
}

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 4000 });
  mediator = await demoUser(database.db, { username: MEDIATOR });
  agencyId = mediator.scope.kind === 'mediator' ? mediator.scope.agencyId : -1;
});

afterAll(async () => {
  await closeAll();
  await database.close();
});

describe('act. 28, EXP-1 — the mediator builds and delivers the file', () => {
  it('EXP-1: a signed case is listed to build with what is missing; a delivery without the IDs of the parties is refused (422, nothing written); a complete one starts DL-13', async () => {
    const c = await outcomeCase('signed', 'RATIFIED');
    const session = await as(MEDIATOR, SESSION);
    const list = await get(session, '/api/case-files?queue=to_build&pageSize=200');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.find((i: { caseId: number }) => i.caseId === c.caseId)).toMatchObject({
      caseFileId: null,
      status: 'building',
      outcome: 'signed',
      convenioType: 'RATIFIED',
      creditNumber: c.creditNumber,
      missingCount: 5,
    });
    // act. 22's ID of the borrower is not EXP-1 (iii)
    await upload(c.caseId, ['borrower_id', 'signed_convenio'], at(SESSION, 9));
    const before = await trailCounts(null);
    let response = await fileAction(session, c.caseId, { action: 'submit' });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().message).toContain('EXP-1.iii Copia de las identificaciones oficiales de los mediados y del mediador');
    expect(response.json().details.missing.map((m: { id: string }) => m.id)).toEqual(['EXP-1.ii', 'EXP-1.iii', 'EXP-1.iv', 'EXP-1.v']);
    expect(await database.db.selectFrom('case_files').select('id').where('case_id', '=', c.caseId).execute()).toEqual([]);
    expect((await trailCounts(null)).audit).toBe(before.audit);

    await upload(c.caseId, ['acknowledgement', 'party_ids', 'cja_certificate', 'fee_payment_proof', 'confidentiality_agreement'], at(SESSION, 10));
    response = await fileAction(session, c.caseId, { action: 'submit', note: 'Expediente completo, con constancias del CJA.' });
    expect(response.statusCode, response.body).toBe(200);
    const detail = response.json();
    expect(detail).toMatchObject({
      status: 'submitted',
      version: 1,
      outcome: 'signed',
      feeValidationRequired: true,
      dates: { submittedOn: SESSION, reviewRounds: 1 },
      checklist: { rule: 'EXP-1', complete: true, missing: [] },
      availableActions: [],
    });
    expect(detail.dueDates).toEqual([expect.objectContaining({ rule: 'DL-13.request', dueOn: addDays(SESSION, 2), status: 'pending' })]);
    expect(detail.events).toEqual([expect.objectContaining({ action: 'submit', activity: 'act. 28', toStatus: 'submitted', note: 'Expediente completo, con constancias del CJA.' })]);
    const audit = await database.db.selectFrom('audit_events').select('action').where('entity_type', '=', 'case_file').where('entity_id', '=', String(detail.caseFileId)).execute();
    expect(audit.map((a) => a.action)).toEqual(['case_file.submit']);
    // the second delivery needs the version (the file exists now)
    expect((await fileAction(session, c.caseId, { action: 'submit' })).statusCode).toBe(409);

    const manager = await as(c.managerUsername, SESSION);
    const queue = (await get(manager, '/api/case-files?queue=to_review&pageSize=200')).json();
    expect(queue.items.find((i: { caseId: number }) => i.caseId === c.caseId)).toMatchObject({ status: 'submitted', nextDue: { rule: 'DL-13.request', dueOn: addDays(SESSION, 2) }, breachedRules: [] });
    expect(detail.documents.filter((d: { documentType: string }) => d.documentType === 'borrower_id')).toHaveLength(1);
  });
});

describe('acts. 29–30, DL-13, EXP-3, SEC-2 — review, corrections, answer and acceptance', () => {
  it('the DR asks late (DL-13.request flagged at once), the mediator answers with a new version (the old one stays listed), the DR accepts; notices; scope; stale version', async () => {
    const c = await outcomeCase('signed', 'ADMINISTRATIVE');
    await submitted(c, EXP1);
    const late = addDays(SESSION, 3);

    // SEC-2: another DR manager and another mediator do not see it; the agency reads it and cannot act
    const other = await database.db.selectFrom('users').select('username').where('role', '=', 'regional_manager').where('delegation_id', '<>', c.delegationId).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const stranger = await as(other.username, late);
    expect((await get(stranger, `/api/cases/${c.caseId}/case-file`)).statusCode).toBe(404);
    expect((await fileAction(stranger, c.caseId, { action: 'accept', version: 1 })).statusCode).toBe(404);
    const otherMediator = await database.db.selectFrom('users').select('username').where('role', '=', 'mediator').where('mediator_id', '<>', mediator.scope.kind === 'mediator' ? mediator.scope.mediatorId : -1).orderBy('id').limit(1).executeTakeFirstOrThrow();
    expect((await get(await as(otherMediator.username, late), `/api/cases/${c.caseId}/case-file`)).statusCode).toBe(404);
    const agency = await as('agencia.as01', late);
    expect((await get(agency, `/api/cases/${c.caseId}/case-file`)).statusCode).toBe(200);
    expect((await fileAction(agency, c.caseId, { action: 'accept', version: 1 })).statusCode).toBe(403);

    const manager = await as(c.managerUsername, late);
    expect((await fileAction(manager, c.caseId, { action: 'request_corrections', version: 1, note: 'corto' })).statusCode).toBe(400);
    const note = 'La copia de las identificaciones no es legible; digitalícela de nuevo.';
    let response = await fileAction(manager, c.caseId, { action: 'request_corrections', version: 1, note });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'corrections_requested', version: 2, dates: { correctionsRequestedOn: late } });
    expect(response.json().dueDates.map((d: { rule: string; dueOn: string; status: string }) => [d.rule, d.dueOn, d.status])).toEqual([
      ['DL-13.request', addDays(SESSION, 2), 'breached'],
      ['DL-13.answer', addDays(late, 2), 'pending'],
    ]);
    expect(await breachesOf(c.caseId)).toEqual([{ rule: 'DL-13.request', due_on: addDays(SESSION, 2), flagged_on: late, policy_version: (await fileOf(c.caseId)).deadline_policy_version }]);
    const notice = await database.db.selectFrom('outbox_messages').selectAll().where('case_id', '=', c.caseId).where('purpose', '=', 'case_file_notice').orderBy('id').execute();
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({ recipient_kind: 'mediator', channel: 'email', recipient_address: (await database.db.selectFrom('mediators').select('email').where('id', '=', (await fileOf(c.caseId)).mediator_id).executeTakeFirstOrThrow()).email });
    expect(notice[0]!.body).toContain(note);
    expect(notice[0]!.body).toContain(formatDateEs(addDays(late, 2)));

    // act. 30: the answer brings a new document or a clarification
    const answerDay = addDays(late, 1);
    const session = await as(MEDIATOR, answerDay);
    response = await fileAction(session, c.caseId, { action: 'submit', version: 2 });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/act\. 30/);
    await upload(c.caseId, ['party_ids'], at(answerDay, 9));
    expect((await fileAction(session, c.caseId, { action: 'submit', version: 1 })).statusCode).toBe(409);
    response = await fileAction(session, c.caseId, { action: 'submit', version: 2 });
    expect(response.statusCode, response.body).toBe(200);
    const answered = response.json();
    expect(answered).toMatchObject({ status: 'submitted', version: 3, dates: { submittedOn: answerDay, reviewRounds: 2 } });
    // EXP-3: both versions of the IDs are kept; the checklist holds the current one
    expect(answered.documents.filter((d: { documentType: string }) => d.documentType === 'party_ids').map((d: { version: number; current: boolean }) => [d.version, d.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(answered.checklist.items.find((i: { id: string }) => i.id === 'EXP-1.iii').documents.map((d: { version: number }) => d.version)).toEqual([2]);

    const accepting = await as(c.managerUsername, addDays(answerDay, 1));
    response = await fileAction(accepting, c.caseId, { action: 'accept', version: 3 });
    expect(response.statusCode, response.body).toBe(200);
    const accepted = response.json();
    expect(accepted).toMatchObject({ status: 'accepted', version: 4, dates: { acceptedOn: addDays(answerDay, 1), serviceConcludedOn: addDays(answerDay, 1) }, statusLabel: expect.stringMatching(/digitalizar/) });
    expect(accepted.events.map((e: { action: string; activity: string }) => [e.action, e.activity])).toEqual([
      ['submit', 'act. 28'],
      ['request_corrections', 'act. 30'],
      ['answer', 'act. 30'],
      ['accept', 'act. 29'],
    ]);
    expect(accepted.availableActions.map((a: { action: string }) => a.action)).toEqual(['mark_digitised']);
    expect((await breachesOf(c.caseId)).map((b) => b.rule)).toEqual(['DL-13.request']);
    const notices = await database.db.selectFrom('outbox_messages').select('subject').where('case_id', '=', c.caseId).where('purpose', '=', 'case_file_notice').orderBy('id').execute();
    expect(notices.map((n) => n.subject)).toEqual([`Correcciones al expediente del crédito ${c.creditNumber}`, `Expediente del crédito ${c.creditNumber} aceptado por la DR`]);
  });
});

describe('DL-13 — the daily sweep', () => {
  it('flags DL-13.request and DL-13.answer on the day after their due date, not on it, also from the daily sweep; idempotent', async () => {
    const c = await outcomeCase('refused_to_sign');
    await submitted(c, EXP2);
    const file = await fileOf(c.caseId);
    expect(file).toMatchObject({ outcome: 'not_signed', fee_validation_required: false, dl13_request_due_on: addDays(SESSION, 2) });
    await sweep(addDays(SESSION, 2));
    expect(await breachesOf(c.caseId)).toEqual([]);
    const flagged = await sweep(addDays(SESSION, 3));
    expect(flagged.flagged['DL-13.request']).toBeGreaterThanOrEqual(1);
    expect(await breachesOf(c.caseId)).toEqual([{ rule: 'DL-13.request', due_on: addDays(SESSION, 2), flagged_on: addDays(SESSION, 3), policy_version: file.deadline_policy_version }]);

    await act(c.manager, c.caseId, 'request_corrections', addDays(SESSION, 3), { note: 'Falta la firma del acreditado en el acuerdo de confidencialidad.' });
    await sweep(addDays(SESSION, 5));
    expect((await breachesOf(c.caseId)).map((b) => b.rule)).toEqual(['DL-13.request']);
    // the daily sweep of SPEC §5 runs the case files' part (its summary counts them)
    const daily = await sweepCases(database.db, { today: addDays(SESSION, 6), now: at(addDays(SESSION, 6), 2), actor: SYSTEM_ACTOR });
    expect(daily.files['DL-13.answer']).toBe(1);
    expect((await breachesOf(c.caseId)).find((b) => b.rule === 'DL-13.answer')).toEqual({ rule: 'DL-13.answer', due_on: addDays(SESSION, 5), flagged_on: addDays(SESSION, 6), policy_version: file.deadline_policy_version });
    const again = await sweep(addDays(SESSION, 6));
    expect(again.flagged['DL-13.answer']).toBe(0);
  });
});

describe('act. 31, DL-14 — fee validation of RATIFIED and NOTARIAL files', () => {
  it('RATIFIED: accepted, the file waits for the certificates and the validation; a late validation is flagged at once and concludes the service (DL-15 starts)', async () => {
    const c = await outcomeCase('signed', 'RATIFIED');
    await submitted(c, EXP1_RATIFIED);
    await act(c.manager, c.caseId, 'accept', addDays(SESSION, 1));
    expect(await fileOf(c.caseId)).toMatchObject({ status: 'accepted', fee_validation_required: true, service_concluded_on: null, dl15_due_on: null });
    const manager = await as(c.managerUsername, addDays(SESSION, 1));
    const fees = (await get(manager, '/api/case-files?queue=fees&pageSize=200')).json();
    expect(fees.items.map((i: { caseId: number }) => i.caseId)).toContain(c.caseId);
    let response = await fileAction(manager, c.caseId, { action: 'validate_fees', version: 2 });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/constancias de pago.*act\. 31/);
    response = await fileAction(manager, c.caseId, { action: 'record_certificates', version: 2, receivedOn: addDays(SESSION, 2) });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/posterior a hoy/);
    response = await fileAction(manager, c.caseId, { action: 'record_certificates', version: 2 });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().dueDates.find((d: { rule: string }) => d.rule === 'DL-14')).toMatchObject({ dueOn: addDays(SESSION, 2), status: 'pending' });

    const lateDay = addDays(SESSION, 3);
    response = await fileAction(await as(c.managerUsername, lateDay), c.caseId, { action: 'validate_fees', version: 3 });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'accepted', dates: { feeValidatedOn: lateDay, serviceConcludedOn: lateDay } });
    expect(await fileOf(c.caseId)).toMatchObject({ fee_validated_on: lateDay, dl15_due_on: addDays(lateDay, 2) });
    expect((await breachesOf(c.caseId)).filter((b) => b.rule === 'DL-14')).toEqual([expect.objectContaining({ due_on: addDays(SESSION, 2), flagged_on: lateDay })]);
  });

  it('NOTARIAL: EXP-1 (iv) asks only the proof of the notary’s fees; the validation is required and DL-14 is swept the day after its due date', async () => {
    const c = await outcomeCase('signed', 'RATIFIED');
    // fixture: the same signed case, as a NOTARIAL convenio (its mediator would be a notary, CNV-2)
    await database.db.updateTable('mediation_cases').set({ convenio_type: 'NOTARIAL' }).where('id', '=', c.caseId).execute();
    await database.db.updateTable('convenios').set({ convenio_type: 'NOTARIAL' }).where('case_id', '=', c.caseId).execute();
    const session = await as(MEDIATOR, SESSION);
    const building = (await get(session, `/api/cases/${c.caseId}/case-file`)).json();
    expect(building).toMatchObject({ status: 'building', convenioType: 'NOTARIAL', feeValidationRequired: true });
    expect(building.checklist.items.find((i: { id: string }) => i.id === 'EXP-1.iv')).toMatchObject({ label: 'Constancia del pago de honorarios al Notario Público', documentTypes: ['fee_payment_proof'], required: true, satisfied: false });
    await submitted(c, [...EXP1, 'fee_payment_proof']);
    await act(c.manager, c.caseId, 'accept', SESSION);
    await act(c.manager, c.caseId, 'record_certificates', SESSION, { receivedOn: SESSION });
    expect(await fileOf(c.caseId)).toMatchObject({ fee_validation_required: true, certificates_received_on: SESSION, dl14_due_on: addDays(SESSION, 1), service_concluded_on: null });
    await sweep(addDays(SESSION, 1));
    expect((await breachesOf(c.caseId)).map((b) => b.rule)).not.toContain('DL-14');
    await sweep(addDays(SESSION, 2));
    expect((await breachesOf(c.caseId)).find((b) => b.rule === 'DL-14')).toMatchObject({ due_on: addDays(SESSION, 1), flagged_on: addDays(SESSION, 2) });
  });

  it('ADMINISTRATIVE: no fee validation — accepted means concluded, and recording certificates is refused', async () => {
    const c = await outcomeCase('signed', 'ADMINISTRATIVE');
    await submitted(c, EXP1);
    await act(c.manager, c.caseId, 'accept', SESSION);
    expect(await fileOf(c.caseId)).toMatchObject({ fee_validation_required: false, service_concluded_on: SESSION, dl15_due_on: addDays(SESSION, 2) });
    const response = await fileAction(await as(c.managerUsername, SESSION), c.caseId, { action: 'record_certificates', version: 2 });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/Ratificados y Notariales/);
  });
});

describe('act. 35, DL-15 — digitisation', () => {
  it('DL-15: a signed file is digitised within 2 days of the conclusion (swept the day after, not on it); a file without convenio is never digitised and is ready once accepted', async () => {
    const signed = await outcomeCase('signed', 'ADMINISTRATIVE');
    await submitted(signed, EXP1);
    await act(signed.manager, signed.caseId, 'accept', SESSION);
    await sweep(addDays(SESSION, 2));
    expect((await breachesOf(signed.caseId)).map((b) => b.rule)).not.toContain('DL-15');
    await sweep(addDays(SESSION, 3));
    expect((await breachesOf(signed.caseId)).find((b) => b.rule === 'DL-15')).toMatchObject({ due_on: addDays(SESSION, 2), flagged_on: addDays(SESSION, 3) });
    await act(signed.manager, signed.caseId, 'mark_digitised', addDays(SESSION, 4));
    expect(await fileOf(signed.caseId)).toMatchObject({ status: 'digitised', digitised_on: addDays(SESSION, 4) });

    const notSigned = await outcomeCase('closed_no_agreement');
    await submitted(notSigned, EXP2);
    await act(notSigned.manager, notSigned.caseId, 'accept', SESSION);
    expect(await fileOf(notSigned.caseId)).toMatchObject({ status: 'accepted', service_concluded_on: SESSION, dl15_due_on: null });
    const manager = await as(notSigned.managerUsername, addDays(SESSION, 5));
    const response = await fileAction(manager, notSigned.caseId, { action: 'mark_digitised', version: 2 });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/act\. 35/);
    await sweep(addDays(SESSION, 30));
    expect(await breachesOf(notSigned.caseId)).toEqual([]);
    const toShip = (await get(manager, '/api/case-files?queue=to_ship&pageSize=200')).json();
    expect(toShip.items.map((i: { caseId: number }) => i.caseId)).toContain(notSigned.caseId);
  });
});

/** A file ready for shipment: a signed one digitised, one without convenio accepted. */
async function readyFile(stop: 'signed' | 'refused_to_sign', where: { delegationId?: number; notDelegationId?: number }) {
  const c = await outcomeCase(stop, stop === 'signed' ? 'ADMINISTRATIVE' : 'RATIFIED', where);
  await submitted(c, stop === 'signed' ? [...EXP1, 'other'] : EXP2);
  await act(c.manager, c.caseId, 'accept', SESSION);
  if (stop === 'signed') await act(c.manager, c.caseId, 'mark_digitised', SESSION);
  return { ...c, caseFileId: (await fileOf(c.caseId)).id };
}

describe('EXP-4, REP-3, REP-4, DL-16 — shipment to the archive, receipt and the monthly progress report', () => {
  it('refuses a shipment with a file not ready or not the manager’s; ships the ready ones with the list (XLSX read back); notifies the archive; the archive acknowledges per file, idempotently; REP-4 and DL-16', async () => {
    // the delegación with the most fresh accounts of AS01 this month, of both types
    const busiest = await sql<{ delegation_id: number }>`
      SELECT a.delegation_id FROM credit_assignments a
      WHERE a.month = ${DAY0.slice(0, 7)} AND a.agency_id = ${agencyId} AND a.convenio_type IN ('RATIFIED', 'ADMINISTRATIVE')
        AND NOT EXISTS (SELECT 1 FROM mediation_cases m WHERE m.credit_number = a.credit_number)
      GROUP BY 1 HAVING count(*) FILTER (WHERE a.convenio_type = 'ADMINISTRATIVE') > 0 ORDER BY count(*) DESC, 1 LIMIT 1`.execute(database.db);
    const delegationId = busiest.rows[0]!.delegation_id;
    const signed = await readyFile('signed', { delegationId });
    const notSigned = await readyFile('refused_to_sign', { delegationId });
    const pending = await outcomeCase('signed', 'RATIFIED', { delegationId });
    await submitted(pending, EXP1_RATIFIED);
    const pendingFile = await fileOf(pending.caseId);
    const elsewhere = { id: (await readyFile('refused_to_sign', { notDelegationId: delegationId })).caseFileId };

    const shipDay = '2027-01-20';
    const manager = await as(signed.managerUsername, shipDay);
    const payload = { courier: 'Estafeta', trackingNumber: 'EST-7731-0042', shippedOn: shipDay };
    const before = await trailCounts(signed.caseFileId);
    let response = await post(manager, '/api/archive/shipments', { ...payload, caseFileIds: [signed.caseFileId, notSigned.caseFileId, pendingFile.id] });
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().message).toContain(`crédito ${pending.creditNumber}`);
    expect(response.json().message).toMatch(/EXP-4/);
    response = await post(manager, '/api/archive/shipments', { ...payload, caseFileIds: [signed.caseFileId, elsewhere.id] });
    expect(response.statusCode).toBe(422);
    expect(response.json().message).toContain(String(elsewhere.id));
    expect((await post(manager, '/api/archive/shipments', { ...payload, shippedOn: addDays(shipDay, 1), caseFileIds: [signed.caseFileId] })).statusCode).toBe(400);
    expect(await database.db.selectFrom('archive_shipments').select('id').execute()).toEqual([]);
    expect(await trailCounts(signed.caseFileId)).toEqual(before);
    expect((await fileOf(signed.caseId)).status).toBe('digitised');

    response = await post(manager, '/api/archive/shipments', { ...payload, caseFileIds: [signed.caseFileId, notSigned.caseFileId] });
    expect(response.statusCode, response.body).toBe(201);
    const shipment = response.json();
    expect(shipment).toMatchObject({ folio: `ENV-${signed.delegationCode}-20270120-1`, courier: 'Estafeta', trackingNumber: 'EST-7731-0042', shippedOn: shipDay, filesCount: 2, receivedCount: 0 });
    expect(shipment.files.map((f: { caseFileId: number; status: string }) => [f.caseFileId, f.status]).sort()).toEqual([
      [signed.caseFileId, 'shipped'],
      [notSigned.caseFileId, 'shipped'],
    ].sort());
    const shipEvents = await database.db.selectFrom('case_file_events').select(['case_file_id', 'action', 'from_status', 'to_status']).where('action', '=', 'ship').orderBy('case_file_id').execute();
    expect(shipEvents).toEqual(
      [
        { case_file_id: signed.caseFileId, action: 'ship', from_status: 'digitised', to_status: 'shipped' },
        { case_file_id: notSigned.caseFileId, action: 'ship', from_status: 'accepted', to_status: 'shipped' },
      ].sort((a, b) => a.case_file_id - b.case_file_id),
    );
    const archiveUser = await database.db.selectFrom('users').select(['email', 'full_name']).where('username', '=', 'archivo').executeTakeFirstOrThrow();
    const notice = await database.db.selectFrom('outbox_messages').selectAll().where('purpose', '=', 'archive_shipment_notice').execute();
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({ recipient_kind: 'archive', recipient_address: archiveUser.email, channel: 'email' });
    for (const text of [shipment.folio, 'EST-7731-0042', formatDateEs(shipDay), 'Número de expedientes: 2', shipment.delegation.name]) expect(notice[0]!.body).toContain(text);

    // REP-3: the list, cell by cell against the database
    const xlsx = await get(manager, `/api/archive/shipments/${shipment.id}/list.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const shipmentBook = await readWorkbook(xlsx.rawPayload);
    // the workbook's time is the server's clock (the same request gives the same file)
    expect(shipmentBook.created).toEqual(fixedClock(shipDay).now());
    const sheet = shipmentBook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...SHIPMENT_LIST_COLUMNS.map((c) => c.header)]);
    expect(sheet.rowCount).toBe(3);
    const managerName = (await database.db.selectFrom('users').select('full_name').where('username', '=', signed.managerUsername).executeTakeFirstOrThrow()).full_name;
    for (const rowNumber of [2, 3]) {
      const row = sheet.getRow(rowNumber);
      const creditNumber = String(row.getCell(1).value);
      const file = await database.db
        .selectFrom('case_files as f')
        .innerJoin('credits as cr', 'cr.credit_number', 'f.credit_number')
        .select(['f.case_id', 'f.outcome', 'f.convenio_type', 'cr.borrower_name'])
        .where('f.credit_number', '=', creditNumber)
        .executeTakeFirstOrThrow();
      const documents = await sql<{ document_type: DocumentType; version: number }>`
        SELECT DISTINCT ON (document_type) document_type, version FROM case_documents WHERE case_id = ${file.case_id}
        ORDER BY document_type, version DESC`.execute(database.db);
      expect(row.getCell(2).value).toBe(file.borrower_name);
      expect(row.getCell(3).value).toBe(managerName);
      expect(row.getCell(4).value).toBe('EST-7731-0042');
      expect(row.getCell(5).value).toBeInstanceOf(Date);
      expect((row.getCell(5).value as Date).toISOString().slice(0, 10)).toBe(shipDay);
      expect(row.getCell(6).value).toBe('Estafeta');
      expect(row.getCell(7).value).toBe(CONVENIO_TYPE_LABELS[file.convenio_type]);
      expect(row.getCell(8).value).toBe(file.outcome === 'signed' ? 'Con convenio' : 'Sin convenio');
      const cell = String(row.getCell(9).value);
      for (const d of documents.rows) expect(cell).toContain(`${DOCUMENT_TYPE_LABELS[d.document_type]} v${d.version}`);
      expect(row.getCell(10).value).toBe(documents.rows.length);
    }
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    // EXP-4: the archive acknowledges per file; again is a no-op; only the archive may
    const receiptDay = '2027-01-25';
    expect((await post(await as(signed.managerUsername, receiptDay), `/api/archive/shipments/${shipment.id}/receipts`, { caseFileIds: [signed.caseFileId] })).statusCode).toBe(403);
    const archive = await as('archivo', receiptDay);
    expect((await post(archive, `/api/archive/shipments/${shipment.id}/receipts`, { caseFileIds: [pendingFile.id] })).statusCode).toBe(422);
    response = await post(archive, `/api/archive/shipments/${shipment.id}/receipts`, { caseFileIds: [signed.caseFileId] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ receivedCount: 1 });
    const archived = await fileOf(signed.caseId);
    expect(archived).toMatchObject({ status: 'archived', archived_on: receiptDay });
    response = await post(archive, `/api/archive/shipments/${shipment.id}/receipts`, { caseFileIds: [signed.caseFileId] });
    expect(response.statusCode).toBe(200);
    expect((await fileOf(signed.caseId)).version).toBe(archived.version);
    expect(await database.db.selectFrom('case_file_events').select('action').where('case_file_id', '=', signed.caseFileId).where('action', '=', 'acknowledge_receipt').execute()).toHaveLength(1);
    expect((await fileOf(notSigned.caseId)).status).toBe('shipped');
    const page = (await get(archive, `/api/cases/${signed.caseId}/case-file`)).json();
    expect(page).toMatchObject({ status: 'archived', dates: { archivedOn: receiptDay }, shipment: { folio: shipment.folio, trackingNumber: 'EST-7731-0042' } });

    // DL-16: the report of January is due by February 15 — flagged on the 16th, not on the 15th
    const subject = `archive_report:${delegationId}:2027-01`;
    await sweep('2027-02-15');
    expect(await database.db.selectFrom('report_deadline_breaches').select('subject').where('subject', '=', subject).execute()).toEqual([]);
    await sweep('2027-02-16');
    expect(await database.db.selectFrom('report_deadline_breaches').select(['rule', 'due_on', 'flagged_on', 'delegation_id', 'month']).where('subject', '=', subject).execute()).toEqual([
      { rule: 'DL-16', due_on: '2027-02-15', flagged_on: '2027-02-16', delegation_id: delegationId, month: '2027-01' },
    ]);

    // REP-4: January's figures, sent late; the archive receives them
    const sendDay = '2027-02-17';
    const reporter = await as(signed.managerUsername, sendDay);
    const signedToDate = Number(
      (await database.db.selectFrom('convenios').select(sql<string>`count(*)`.as('n')).where('delegation_id', '=', delegationId).where('signed_on', '<=', '2027-01-31').executeTakeFirstOrThrow()).n,
    );
    const expectedFigures = {
      shipmentsInMonth: 1,
      filesShippedInMonth: 2,
      filesReceivedInMonth: 1,
      filesPendingAtMonthEnd: 1,
      conveniosSignedInMonth: 0,
      conveniosSignedToDate: signedToDate,
      conveniosArchivedInMonth: 1,
      conveniosArchivedToDate: 1,
    };
    response = await get(reporter, '/api/archive/progress?month=2027-01');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ month: '2027-01', figures: expectedFigures, canSend: true, report: null, dl16: { dueOn: '2027-02-15', status: 'breached' } });
    expect((await post(reporter, '/api/archive/progress-reports', { month: '2027-02' })).statusCode).toBe(409);
    response = await post(reporter, '/api/archive/progress-reports', { month: '2027-01' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ canSend: false, report: { sentOn: sendDay, contents: expectedFigures }, dl16: { status: 'breached' }, breach: { dueOn: '2027-02-15' } });
    expect((await post(reporter, '/api/archive/progress-reports', { month: '2027-01' })).statusCode).toBe(409);
    const report = await database.db.selectFrom('outbox_messages').selectAll().where('purpose', '=', 'archive_progress_report').execute();
    expect(report).toHaveLength(1);
    expect(report[0]!.body).toContain(`${ARCHIVE_PROGRESS_LABELS.filesReceivedInMonth}: 1`);
    // February's figures are the same as of any later day (REP-4 from dates): January unchanged
    const progressXlsx = await get(reporter, '/api/archive/progress.xlsx?month=2027-01');
    expect(progressXlsx.statusCode).toBe(200);
    const workbook = await readWorkbook(progressXlsx.rawPayload);
    expect(workbook.created).toEqual(fixedClock(sendDay).now());
    const summary = workbook.getWorksheet('Resumen')!;
    const values = new Map<string, unknown>();
    summary.eachRow((row, n) => {
      if (n > 1) values.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    for (const [key, label] of Object.entries(ARCHIVE_PROGRESS_LABELS)) expect(values.get(label)).toBe(expectedFigures[key as keyof typeof expectedFigures]);
    expect(values.get('Reporte enviado al ANEC')).toBe(`Sí, el ${formatDateEs(sendDay)}`);
    const files = workbook.getWorksheet('Expedientes')!;
    expect(files.rowCount).toBe(3);
    const byCredit = new Map<string, ExcelJS.Row>();
    files.eachRow((row, n) => {
      if (n > 1) byCredit.set(String(row.getCell(1).value), row);
    });
    expect((byCredit.get(signed.creditNumber)!.getCell(9).value as Date).toISOString().slice(0, 10)).toBe(receiptDay);
    expect(byCredit.get(signed.creditNumber)!.getCell(10).value).toBe('Recibido por el ANEC');
    expect(byCredit.get(notSigned.creditNumber)!.getCell(9).value).toBeNull();
    expect(byCredit.get(notSigned.creditNumber)!.getCell(10).value).toBe('Pendiente de acuse del ANEC');
  });
});

describe('SEC-3 — every action leaves one event and one audit event; a refused one leaves nothing', () => {
  it('a refused action writes nothing; an accepted one writes one case_file_events row, one audit event and its notice; a retried Idempotency-Key applies once', async () => {
    const c = await outcomeCase('refused_to_sign');
    await submitted(c, EXP2);
    const caseFileId = (await fileOf(c.caseId)).id;
    const manager = await as(c.managerUsername, SESSION);
    const session = await as(MEDIATOR, SESSION);
    const before = await trailCounts(caseFileId);
    expect((await fileAction(manager, c.caseId, { action: 'request_corrections', version: 1, note: 'corto' })).statusCode).toBe(400);
    expect((await fileAction(manager, c.caseId, { action: 'mark_digitised', version: 1 })).statusCode).toBe(409);
    expect((await fileAction(session, c.caseId, { action: 'accept', version: 1 })).statusCode).toBe(403);
    expect(await trailCounts(caseFileId)).toEqual(before);

    const key = { 'idempotency-key': `aceptar-${c.caseId}-0001` };
    const first = await fileAction(manager, c.caseId, { action: 'accept', version: 1 }, key);
    expect(first.statusCode, first.body).toBe(200);
    const replay = await fileAction(manager, c.caseId, { action: 'accept', version: 1 }, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toMatchObject({ status: 'accepted', version: 2 });
    const after = await trailCounts(caseFileId);
    expect(after).toEqual({ events: before.events + 1, audit: before.audit + 1, outbox: before.outbox + 1 });
    const lastAudit = await database.db.selectFrom('audit_events').select(['action', 'entity_id', 'actor_role']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(lastAudit).toEqual({ action: 'case_file.accept', entity_id: String(caseFileId), actor_role: 'regional_manager' });
  });
});
