/**
 * Convenios over HTTP on a real database (SPEC §6 CNV-1..6, acts. 20–27, §9 PAY-1): the signature
 * records the catalogue's terms (CNV-1, SL-1); the mediator uploads the scan and the ID and
 * submits (act. 22, EXP-3); the DR manager asks for corrections (act. 24) and approves (act. 25),
 * which applies the restructure atomically (CNV-4); the first payment keeps it in force and a
 * missed one breaks it (CNV-5) — re-mediation, then EXC-1; the reconciliation lists every
 * mismatch; scope (SEC-2); the RE hand-over (CNV-6); the documents read back (CNV-3).
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, fixedClock, type IsoDate } from '../../clock.js';
import type { Database } from '../../db/index.js';
import { openSeededDatabase, serversByDay, TEST_TODAY, type Session } from '../../../test/factories.js';
import { pdfText } from '../../../test/pdf.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { CHECKLIST_ITEMS } from '../mediation/mediation.rules.js';
import { sweepCases } from '../mediation/sweep.service.js';
import { importPayments } from '../payments/payments.import.js';
import { formatPesos } from '../../money.js';
import { explainBroken } from './convenios.rules.js';
import { findMismatches } from './convenios.service.js';
import { describeReconciliation, reconcileConvenios, reconciliationCsv } from './reconciliation.js';

let database: Database;
const { as, closeAll } = serversByDay(() => database);

async function caseAct(session: Session, caseId: number, action: string, input: object = {}) {
  const current = await session.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: session.caller.headers });
  expect(current.statusCode, current.body).toBe(200);
  const response = await session.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/actions/${action}`,
    headers: session.caller.headers,
    payload: { version: current.json().version, input },
  });
  return response;
}

async function convenio(session: Session, id: number) {
  return session.app.inject({ method: 'GET', url: `/api/convenios/${id}`, headers: session.caller.headers });
}

async function convenioAct(session: Session, id: number, action: string, input: object = {}, version?: number) {
  const seen = version ?? (await convenio(session, id)).json().version;
  return session.app.inject({ method: 'POST', url: `/api/convenios/${id}/actions/${action}`, headers: session.caller.headers, payload: { version: seen, input } });
}

async function upload(session: Session, caseId: number, type: string, mediaType: string, content: Buffer, fileName = 'archivo') {
  return session.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/documents?type=${type}&fileName=${encodeURIComponent(fileName)}`,
    headers: { ...session.caller.headers, 'content-type': mediaType },
    payload: content,
  });
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const FULL_CHECKLIST = Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, true]));
const OPENING_CHECKLIST = { ...FULL_CHECKLIST, 'CHK-10': false };

let mediatorUsername: string;
let mediatorId: number;
let representativeId: number;
const usedCredits: string[] = [];

async function managerOf(delegationId: number, other = false): Promise<string> {
  const row = await database.db
    .selectFrom('users')
    .select('username')
    .where('role', '=', 'regional_manager')
    .where('delegation_id', other ? '<>' : '=', delegationId)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  return row.username;
}

/**
 * A credit of agency AS01 (the mediator's), RATIFIED or ADMINISTRATIVE, with no case yet, for
 * which `solution` is available with terms today.
 */
async function creditFor(solution: string, where: (credit: { months_in_arrears: number }) => boolean = () => true) {
  const office = await as('gmc');
  const rows = await database.db
    .selectFrom('credit_assignments as a')
    .innerJoin('users as u', (join) => join.on('u.username', '=', 'asesor.as01.1'))
    .innerJoin('credits as c', 'c.credit_number', 'a.credit_number')
    .select(['a.credit_number', 'a.delegation_id', 'a.convenio_type', 'c.months_in_arrears'])
    .whereRef('a.agency_id', '=', 'u.agency_id')
    .where((eb) => eb.or([eb('a.field_agent_user_id', 'is', null), eb('a.field_agent_user_id', '=', eb.ref('u.id'))]))
    .where('a.convenio_type', 'in', ['RATIFIED', 'ADMINISTRATIVE'])
    .where('c.broken_convenios', '=', 0)
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM mediation_cases m WHERE m.credit_number = a.credit_number)`)
    .orderBy('a.month', 'desc')
    .orderBy('a.credit_number')
    .limit(400)
    .execute();
  for (const row of rows) {
    if (usedCredits.includes(row.credit_number) || !where(row)) continue;
    const catalogue = await office.app.inject({ method: 'GET', url: `/api/credits/${row.credit_number}/solutions`, headers: office.caller.headers });
    const offer = catalogue.json().solutions.find((s: { solution: string; available: boolean; terms?: unknown }) => s.solution === solution && s.available && s.terms);
    if (offer) {
      usedCredits.push(row.credit_number);
      return { creditNumber: row.credit_number, delegationId: row.delegation_id, convenioType: row.convenio_type, offer };
    }
  }
  throw new Error(`no credit of AS01 with ${solution} available`);
}

/** Drives a case from the visit to the session held (acts. 2–16) through the API. */
async function heldCase(solution = 'SOL-2', accepted: IsoDate = '2026-11-02', where?: (credit: { months_in_arrears: number }) => boolean) {
  const credit = await creditFor(solution, where);
  const agent = await as('asesor.as01.1', accepted);
  const opened = await agent.app.inject({ method: 'POST', url: '/api/cases', headers: agent.caller.headers, payload: { creditNumber: credit.creditNumber } });
  expect(opened.statusCode, opened.body).toBe(201);
  const caseId = opened.json().id as number;
  expect((await caseAct(agent, caseId, 'offer_mediation', { channel: 'home_visit', solutionsOffered: [solution] })).statusCode).toBe(200);
  const accept = await caseAct(agent, caseId, 'record_acceptance', { privacyNoticeShown: true, contactData: { mobile: '5512345678', email: 'acreditado@example.com' } });
  expect(accept.statusCode, accept.body).toBe(200);
  const agency = await as('agencia.as01', addDays(accepted, 1));
  expect((await caseAct(agency, caseId, 'designate_representative', { representativeId })).statusCode).toBe(200);
  expect((await caseAct(agency, caseId, 'distribute', { mediatorId })).statusCode).toBe(200);
  const mediator = await as(mediatorUsername, addDays(accepted, 2));
  const session = addDays(accepted, 9);
  expect((await caseAct(mediator, caseId, 'schedule_session', { sessionDate: session, sessionTime: '10:00', mode: 'in_person', place: 'Oficinas de la agencia' })).statusCode).toBe(200);
  expect((await caseAct(mediator, caseId, 'send_summons', { channel: 'email', recipients: ['borrower', 'representative'] })).statusCode).toBe(200);
  expect((await caseAct(mediator, caseId, 'request_draft_convenios')).statusCode).toBe(200);
  const manager = await as(await managerOf(credit.delegationId), addDays(accepted, 3));
  const provided = await caseAct(manager, caseId, 'provide_draft_convenios');
  expect(provided.statusCode, provided.body).toBe(200);
  const onSession = await as(mediatorUsername, session);
  expect((await caseAct(onSession, caseId, 'hold_session', { heldOn: session, mode: 'in_person', borrowerAttended: true, fundAttendee: 'representative', privacyNoticeShownAtStart: true, checklist: OPENING_CHECKLIST })).statusCode).toBe(200);
  return { credit, caseId, session, onSession, provided };
}

/** Drives a case from the visit to the signature (acts. 2–20) through the API; returns ids and the signature day. */
async function signedCase(solution = 'SOL-2', accepted: IsoDate = '2026-11-02') {
  const { credit, caseId, session, onSession, provided } = await heldCase(solution, accepted);
  const signed = await caseAct(onSession, caseId, 'sign_convenio', {
    signedOn: session,
    convenioType: credit.convenioType,
    solutionId: solution,
    copies: 3,
    signedBy: ['borrower', 'representative', 'mediator'],
    acknowledgementSigned: true,
    firstPaymentExplained: true,
    checklist: FULL_CHECKLIST,
  });
  expect(signed.statusCode, signed.body).toBe(200);
  const row = await database.db.selectFrom('convenios').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return { ...credit, caseId, convenioId: row.id, signedOn: session, row, drafts: provided.json() };
}

/** act. 22 and act. 25 in one go: upload, submit, approve. */
async function approvedConvenio(solution = 'SOL-2', accepted: IsoDate = '2026-11-02') {
  const signed = await signedCase(solution, accepted);
  const mediator = await as(mediatorUsername, signed.signedOn);
  expect((await upload(mediator, signed.caseId, 'signed_convenio', 'application/pdf', PDF, 'convenio.pdf')).statusCode).toBe(201);
  expect((await upload(mediator, signed.caseId, 'borrower_id', 'image/jpeg', JPEG, 'ine.jpg')).statusCode).toBe(201);
  expect((await convenioAct(mediator, signed.convenioId, 'submit_documents')).statusCode).toBe(200);
  const manager = await as(await managerOf(signed.delegationId), addDays(signed.signedOn, 1));
  const approved = await convenioAct(manager, signed.convenioId, 'approve');
  expect(approved.statusCode, approved.body).toBe(200);
  return { ...signed, approvedOn: addDays(signed.signedOn, 1), detail: approved.json() };
}

async function importCsv(rows: string[], today: IsoDate) {
  const csv = ['credit_number,reference,paid_on,amount,channel', ...rows].join('\n') + '\n';
  return database.db.transaction().execute((trx) =>
    importPayments(trx, SYSTEM_ACTOR, { fileName: 'pagos.csv', input: Readable.from([Buffer.from(csv)]), today, now: new Date(`${today}T18:00:00Z`) }),
  );
}

function pesos(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 5000 });
  const mediator = await database.db
    .selectFrom('users as u')
    .innerJoin('mediators as m', 'm.id', 'u.mediator_id')
    .select(['u.username', 'm.id', 'm.agency_id'])
    .where('u.username', '=', 'mediador.as01.1')
    .executeTakeFirstOrThrow();
  mediatorUsername = mediator.username;
  mediatorId = mediator.id;
  const representative = await database.db
    .selectFrom('representatives')
    .select('id')
    .where('agency_id', '=', mediator.agency_id)
    .where('has_legal_powers', '=', true)
    .where('active', '=', true)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  representativeId = representative.id;
});

afterAll(async () => {
  await closeAll();
  await database.close();
});

describe('act. 20 — the signature records the convenio (CNV-1, SL-1)', () => {
  it('records the terms the catalogue gives on the signature day, the first payment, SL-1 and the DL-9 date; act. 13 provides every available solution', async () => {
    const signed = await signedCase('SOL-2');
    const { row, offer } = signed;
    // act. 13: the DR provides one preliminary convenio per available solution, chosen by the catalogue
    expect(signed.drafts.facts.draftSolutionIds).toContain('SOL-2');
    expect(row).toMatchObject({
      status: 'signed',
      solution_id: 'SOL-2',
      signed_on: signed.signedOn,
      accepted_on: '2026-11-02',
      sl1_due_on: '2026-12-02',
      sl1_met: true,
      dl9_due_on: signed.signedOn,
      copies: 3,
      acknowledgement_signed: true,
    });
    expect(row.folio).toBe(`CM-2026-${String(signed.caseId).padStart(7, '0')}`);
    expect(row.balance_after_cents).toBe(row.balance_before_cents - row.discount_cents);
    expect(Number(row.monthly_payment_cents)).toBe(offer.terms.monthlyPaymentCents);
    expect(Number(row.first_payment_cents)).toBe(offer.terms.firstPaymentCents);
    expect(row.first_payment_due_on > row.signed_on).toBe(true);
    const events = await database.db.selectFrom('convenio_events').select(['action', 'rule']).where('convenio_id', '=', row.id).execute();
    expect(events).toEqual([{ action: 'sign', rule: 'CNV-1' }]);
  });
});

describe('acts. 22–25 — review and approval (CNV-4, DL-9..12)', () => {
  it('the mediator uploads and submits; the DR asks for corrections, the mediator answers, the DR approves: the restructure is applied in the same transaction', async () => {
    const signed = await signedCase('SOL-2');
    const mediator = await as(mediatorUsername, signed.signedOn);
    // act. 22 needs both documents
    let response = await convenioAct(mediator, signed.convenioId, 'submit_documents');
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/act\. 22/);
    // EXP-3: clear errors for bad files
    expect((await upload(mediator, signed.caseId, 'signed_convenio', 'application/pdf', Buffer.alloc(0))).statusCode).toBe(422);
    response = await upload(mediator, signed.caseId, 'signed_convenio', 'application/pdf', JPEG);
    expect(response.statusCode).toBe(422);
    expect(response.json().message).toMatch(/image\/jpeg/);
    expect((await upload(mediator, signed.caseId, 'signed_convenio', 'text/plain', Buffer.from('hola'))).statusCode).toBe(415);
    expect((await upload(mediator, signed.caseId, 'signed_convenio', 'application/pdf', PDF, 'convenio.pdf')).statusCode).toBe(201);
    expect((await upload(mediator, signed.caseId, 'borrower_id', 'image/jpeg', JPEG, 'ine.jpg')).statusCode).toBe(201);
    response = await convenioAct(mediator, signed.convenioId, 'submit_documents');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'under_review', review: { submittedOn: signed.signedOn, dl10DueOn: addDays(signed.signedOn, 1) } });

    // SEC-2: another delegación's manager does not see it; the mediator cannot approve
    const stranger = await as(await managerOf(signed.delegationId, true), addDays(signed.signedOn, 1));
    expect((await convenio(stranger, signed.convenioId)).statusCode).toBe(404);
    expect((await convenioAct(mediator, signed.convenioId, 'approve', {}, response.json().version)).statusCode).toBe(403);

    const manager = await as(await managerOf(signed.delegationId), addDays(signed.signedOn, 1));
    const queue = await manager.app.inject({ method: 'GET', url: '/api/convenios?queue=to_review', headers: manager.caller.headers });
    expect(queue.json().rows.map((r: { id: number }) => r.id)).toContain(signed.convenioId);
    response = await convenioAct(manager, signed.convenioId, 'request_corrections', { reason: 'La identificación está cortada; envíe una copia legible.' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ status: 'corrections_requested', review: { dl11DueOn: addDays(signed.signedOn, 2), reviewRounds: 1 } });
    // act. 24: the answer brings a corrected document or an explanation
    const answering = await as(mediatorUsername, addDays(signed.signedOn, 2));
    response = await convenioAct(answering, signed.convenioId, 'submit_documents');
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/act\. 24/);
    const replaced = await upload(answering, signed.caseId, 'borrower_id', 'image/jpeg', Buffer.concat([JPEG, Buffer.from([0x00])]), 'ine-legible.jpg');
    expect(replaced.json()).toMatchObject({ version: 2, current: true });
    response = await convenioAct(answering, signed.convenioId, 'submit_documents');
    expect(response.statusCode, response.body).toBe(200);

    const before = await database.db.selectFrom('credits').selectAll().where('credit_number', '=', signed.creditNumber).executeTakeFirstOrThrow();
    // a day late for DL-10 and DL-12 (received again on day +2: due on day +3)
    const approving = await as(await managerOf(signed.delegationId), addDays(signed.signedOn, 4));
    response = await convenioAct(approving, signed.convenioId, 'approve');
    expect(response.statusCode, response.body).toBe(200);
    const detail = response.json();
    expect(detail.status).toBe('approved');
    const after = await database.db.selectFrom('credits').selectAll().where('credit_number', '=', signed.creditNumber).executeTakeFirstOrThrow();
    const row = signed.row;
    expect(after).toMatchObject({
      balance_cents: row.balance_after_cents,
      monthly_payment_cents: row.monthly_payment_cents,
      payment_factor: row.payment_factor,
      interest_rate_bp: row.interest_rate_bp,
      term_months: before.payments_made + row.term_months,
      months_in_arrears: 0,
      denomination: 'MXN',
      active_restructure: true,
    });
    // the servicing record (PR "Salidas") and the notices (CNV-4, act. 26)
    const restructure = await database.db.selectFrom('restructures').selectAll().where('convenio_id', '=', signed.convenioId).executeTakeFirstOrThrow();
    expect(restructure).toMatchObject({ credit_number: signed.creditNumber, folio: row.folio, payment_factor: row.payment_factor });
    const salidas = await approving.app.inject({ method: 'GET', url: `/api/servicing-records.csv?from=${addDays(signed.signedOn, 4)}&to=${addDays(signed.signedOn, 4)}`, headers: approving.caller.headers });
    expect(salidas.statusCode, salidas.body).toBe(200);
    const line = salidas.body.split('\n').find((l) => l.includes(signed.creditNumber))!;
    expect(line).toContain(`${signed.creditNumber},`);
    expect(line).toContain(`,${row.folio},`);
    expect(line).toContain(`,${row.payment_factor},`);
    const messages = await database.db.selectFrom('outbox_messages').select(['purpose', 'recipient_kind', 'channel', 'body']).where('case_id', '=', signed.caseId).where('purpose', 'in', ['convenio_approved', 'first_payment_invitation']).execute();
    expect(messages.map((m) => `${m.purpose}:${m.recipient_kind}:${m.channel}`).sort()).toEqual([
      'convenio_approved:borrower:email',
      'convenio_approved:borrower:sms',
      'first_payment_invitation:agency:email',
    ]);
    expect(messages.find((m) => m.channel === 'sms')!.body).toContain(row.folio);
    // DL-10 and DL-12 were late (approval two days after the last receipt): flagged at the action
    const breaches = await database.db.selectFrom('case_deadline_breaches').select('rule').where('case_id', '=', signed.caseId).execute();
    expect(breaches.map((b) => b.rule).sort()).toEqual(['DL-10', 'DL-12']);
    // the agency's first-payment work list (act. 26)
    const agency = await as('agencia.as01', addDays(signed.signedOn, 4));
    const work = await agency.app.inject({ method: 'GET', url: '/api/convenios?queue=first_payment', headers: agency.caller.headers });
    expect(work.json().rows.map((r: { id: number }) => r.id)).toContain(signed.convenioId);
    expect(await findMismatches(database.db, { kind: 'national' }, { convenioId: signed.convenioId })).toEqual([]);
  });

  it('approval is atomic: when a notice cannot be queued, neither the convenio nor the credit changes', async () => {
    const signed = await signedCase('SOL-2');
    const mediator = await as(mediatorUsername, signed.signedOn);
    await upload(mediator, signed.caseId, 'signed_convenio', 'application/pdf', PDF, 'convenio.pdf');
    await upload(mediator, signed.caseId, 'borrower_id', 'image/jpeg', JPEG, 'ine.jpg');
    expect((await convenioAct(mediator, signed.convenioId, 'submit_documents')).statusCode).toBe(200);
    const agency = await database.db.selectFrom('agencies').select(['id', 'contact_email']).where('id', '=', signed.row.agency_id).executeTakeFirstOrThrow();
    await database.db.updateTable('agencies').set({ contact_email: 'sin-arroba' }).where('id', '=', agency.id).execute();
    try {
      const before = await database.db.selectFrom('credits').selectAll().where('credit_number', '=', signed.creditNumber).executeTakeFirstOrThrow();
      const manager = await as(await managerOf(signed.delegationId), addDays(signed.signedOn, 1));
      const response = await convenioAct(manager, signed.convenioId, 'approve');
      expect(response.statusCode).toBe(400);
      const after = await database.db.selectFrom('credits').selectAll().where('credit_number', '=', signed.creditNumber).executeTakeFirstOrThrow();
      expect(after).toEqual(before);
      expect((await database.db.selectFrom('convenios').select('status').where('id', '=', signed.convenioId).executeTakeFirstOrThrow()).status).toBe('under_review');
      expect(await database.db.selectFrom('restructures').select('id').where('convenio_id', '=', signed.convenioId).execute()).toEqual([]);
    } finally {
      await database.db.updateTable('agencies').set({ contact_email: agency.contact_email }).where('id', '=', agency.id).execute();
    }
  });
});

describe('CNV-5 — first payment, broken convenio, re-mediation and EXC-1', () => {
  it('a single payment of the full amount within the period keeps the convenio in force; the reconciliation finds nothing', async () => {
    const approved = await approvedConvenio('SOL-2');
    const amount = approved.detail.firstPayment.amountCents as number;
    // a partial payment is not the first payment
    await importCsv([`${approved.creditNumber},P-${approved.caseId}-1,${approved.approvedOn},${pesos(amount - 1)},window`], approved.approvedOn);
    expect((await database.db.selectFrom('convenios').select('status').where('id', '=', approved.convenioId).executeTakeFirstOrThrow()).status).toBe('approved');
    const payDay = addDays(approved.approvedOn, 2);
    const result = await importCsv([`${approved.creditNumber},P-${approved.caseId}-2,${payDay},${pesos(amount)},window`], payDay);
    expect(result.firstPaymentsDetected).toBe(1);
    const row = await database.db.selectFrom('convenios').selectAll().where('id', '=', approved.convenioId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'in_force', first_paid_on: payDay, first_paid_cents: BigInt(amount) });
    // the balance went down by both payments and agrees with the convenio minus what was paid
    expect(await findMismatches(database.db, { kind: 'national' }, { convenioId: approved.convenioId })).toEqual([]);
    // the sweep after the deadline leaves it alone
    const summary = await sweepCases(database.db, { today: addDays(row.first_payment_due_on, 1), now: fixedClock(TEST_TODAY).now(), actor: SYSTEM_ACTOR });
    expect((await database.db.selectFrom('convenios').select('status').where('id', '=', approved.convenioId).executeTakeFirstOrThrow()).status).toBe('in_force');
    expect(summary.convenios.broken).toBeGreaterThanOrEqual(0);
  });

  it('the daily sweep breaks an approved convenio whose deadline passed unpaid: one more broken convenio, restructure off, re-mediation allowed; the second broken one excludes the credit (EXC-1)', async () => {
    const approved = await approvedConvenio('SOL-2');
    const due = approved.detail.firstPayment.dueOn as IsoDate;
    const brokenBefore = 0;
    // on the deadline itself nothing breaks (every predicate is "after" the day)
    await sweepCases(database.db, { today: due, now: fixedClock(TEST_TODAY).now(), actor: SYSTEM_ACTOR });
    expect((await database.db.selectFrom('convenios').select('status').where('id', '=', approved.convenioId).executeTakeFirstOrThrow()).status).toBe('approved');
    const summary = await sweepCases(database.db, { today: addDays(due, 1), now: fixedClock(TEST_TODAY).now(), actor: SYSTEM_ACTOR });
    expect(summary.convenios.broken).toBeGreaterThanOrEqual(1);
    const row = await database.db.selectFrom('convenios').selectAll().where('id', '=', approved.convenioId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'broken', broken_on: addDays(due, 1), broken_rule: 'CNV-5' });
    const event = await database.db.selectFrom('convenio_events').selectAll().where('convenio_id', '=', approved.convenioId).where('action', '=', 'break').executeTakeFirstOrThrow();
    // the sweep writes in SQL the very wording of the pure rules
    expect(event.explanation).toBe(explainBroken(due, formatPesos(BigInt(approved.detail.firstPayment.amountCents))));
    const credit = await database.db.selectFrom('credits').select(['broken_convenios', 'active_restructure']).where('credit_number', '=', approved.creditNumber).executeTakeFirstOrThrow();
    expect(credit).toEqual({ broken_convenios: brokenBefore + 1, active_restructure: false });
    // idempotent: the same day again breaks nothing more
    const again = await sweepCases(database.db, { today: addDays(due, 1), now: fixedClock(TEST_TODAY).now(), actor: SYSTEM_ACTOR });
    expect(again.convenios.broken).toBe(0);
    // ENT-C: re-mediation opens round 2
    const office = await as('gmc', addDays(due, 2));
    const reopened = await office.app.inject({ method: 'POST', url: '/api/cases', headers: office.caller.headers, payload: { creditNumber: approved.creditNumber, reMediation: {} } });
    expect(reopened.statusCode, reopened.body).toBe(201);
    expect(reopened.json().round).toBe(2);
    // EXC-1: a second broken convenio ends re-mediation
    await database.db.updateTable('credits').set({ broken_convenios: 2 }).where('credit_number', '=', approved.creditNumber).execute();
    await database.db.updateTable('mediation_cases').set({ state: 'refused', closed_on: addDays(due, 2) }).where('id', '=', reopened.json().id).execute();
    const refused = await office.app.inject({ method: 'POST', url: '/api/cases', headers: office.caller.headers, payload: { creditNumber: approved.creditNumber, reMediation: {} } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/EXC-1/);
  });
});

describe('reconciliation — signed terms vs applied terms vs payments', () => {
  it('lists a credit charged more than its convenio says, and scope limits the view to the manager’s delegación', async () => {
    const approved = await approvedConvenio('SOL-2');
    await database.db
      .updateTable('credits')
      .set({ monthly_payment_cents: sql`monthly_payment_cents + 100` })
      .where('credit_number', '=', approved.creditNumber)
      .execute();
    const manager = await as(await managerOf(approved.delegationId), approved.approvedOn);
    const response = await manager.app.inject({ method: 'GET', url: '/api/convenios/reconciliation', headers: manager.caller.headers });
    expect(response.statusCode, response.body).toBe(200);
    const mismatches = response.json().mismatches.filter((m: { convenioId: number }) => m.convenioId === approved.convenioId);
    expect(mismatches.map((m: { check: string }) => m.check)).toEqual(['credit_payment']);
    expect(mismatches[0]).toMatchObject({ expected: String(approved.detail.terms.monthlyPaymentCents), actual: String(approved.detail.terms.monthlyPaymentCents + 100) });
    const stranger = await as(await managerOf(approved.delegationId, true), approved.approvedOn);
    const theirs = (await stranger.app.inject({ method: 'GET', url: '/api/convenios/reconciliation', headers: stranger.caller.headers })).json();
    expect(theirs.mismatches.some((m: { convenioId: number }) => m.convenioId === approved.convenioId)).toBe(false);
    // the CLI's report (cobranza reconcile): counts per check, the mismatch named, a CSV line
    const report = await reconcileConvenios(database.db, { delegationId: approved.delegationId });
    expect(report.byCheck.credit_payment).toBeGreaterThanOrEqual(1);
    expect(describeReconciliation(report)).toContain(approved.row.folio);
    expect([...reconciliationCsv(report.mismatches)].join('')).toContain(`${approved.row.folio},${approved.creditNumber}`);
    await database.db
      .updateTable('credits')
      .set({ monthly_payment_cents: sql`monthly_payment_cents - 100` })
      .where('credit_number', '=', approved.creditNumber)
      .execute();
  });
});

describe('act. 27, CNV-3 and CNV-6', () => {
  it('the documents read back: the signed convenio and the acknowledgement carry the folio, the parties and the first payment', async () => {
    const approved = await signedCase('SOL-2');
    const mediator = await as(mediatorUsername, approved.signedOn);
    const pdf = await mediator.app.inject({ method: 'GET', url: `/api/convenios/${approved.convenioId}/convenio.pdf`, headers: mediator.caller.headers });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text } = await pdfText(pdf.rawPayload);
    expect(text).toContain(approved.row.folio);
    expect(text).toContain(approved.creditNumber);
    const borrower = await database.db.selectFrom('credits').select('borrower_name').where('credit_number', '=', approved.creditNumber).executeTakeFirstOrThrow();
    expect(text).toContain(borrower.borrower_name);
    const acuse = await mediator.app.inject({ method: 'GET', url: `/api/convenios/${approved.convenioId}/acuse.pdf`, headers: mediator.caller.headers });
    expect((await pdfText(acuse.rawPayload)).text).toMatch(/acuse de recibo/i);
    // the draft of one of the case's solutions (act. 13), as the mediator received it
    const draft = await mediator.app.inject({ method: 'GET', url: `/api/cases/${approved.caseId}/draft-convenios/SOL-2`, headers: mediator.caller.headers });
    expect(draft.statusCode, draft.body).toBe(200);
    expect((await pdfText(draft.rawPayload)).text).toContain('PRELIMINAR');
  });

  it('act. 27: a RATIFIED convenio records its CJA registration after approval; an ADMINISTRATIVE one cannot', async () => {
    const approved = await approvedConvenio('SOL-2');
    const mediator = await as(mediatorUsername, addDays(approved.approvedOn, 1));
    const response = await convenioAct(mediator, approved.convenioId, 'record_cja_registration', {
      centre: 'Centro de Justicia Alternativa del Poder Judicial',
      registrationNumber: 'CJA-2026-0042',
      registeredOn: addDays(approved.approvedOn, 1),
    });
    if (approved.convenioType === 'RATIFIED') {
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().cja).toMatchObject({ registrationNumber: 'CJA-2026-0042' });
    } else {
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(/act\. 27/);
    }
  });
});

describe('CNV-6 — refusal to sign and the RE hand-over', () => {
  it('a refusal with a credit of the RE profile (10+ months in arrears) hands it over to Recuperación Especializada; one below it does not', async () => {
    const deep = await heldCase('SOL-2', '2026-11-02', (c) => c.months_in_arrears >= 10);
    let response = await caseAct(deep.onSession, deep.caseId, 'record_refusal_to_sign', { cause: 'NR-2', finalSession: true });
    expect(response.statusCode, response.body).toBe(200);
    const handover = await database.db.selectFrom('re_handovers').selectAll().where('case_id', '=', deep.caseId).executeTakeFirstOrThrow();
    expect(handover).toMatchObject({ credit_number: deep.credit.creditNumber, delegation_id: deep.credit.delegationId, handed_over_on: deep.session });
    expect(handover.reason).toMatch(/CNV-6/);
    const credit = await database.db.selectFrom('credits').select('segment').where('credit_number', '=', deep.credit.creditNumber).executeTakeFirstOrThrow();
    expect(credit.segment).toBe('recuperacion_especializada');
    const office = await as('operacion', deep.session);
    const salidas = await office.app.inject({ method: 'GET', url: `/api/re-handovers.csv?from=${deep.session}&to=${deep.session}`, headers: office.caller.headers });
    expect(salidas.body.split('\n')[0]).toBe('delegacion,credito,acreditado,agencia,fecha_asignacion,fecha_traspaso,motivo');
    expect(salidas.body).toContain(`,${deep.credit.creditNumber},`);

    const shallow = await heldCase('SOL-2', '2026-11-02', (c) => c.months_in_arrears < 10);
    response = await caseAct(shallow.onSession, shallow.caseId, 'record_refusal_to_sign', { cause: 'NR-1', finalSession: true });
    expect(response.statusCode, response.body).toBe(200);
    expect(await database.db.selectFrom('re_handovers').select('id').where('case_id', '=', shallow.caseId).execute()).toEqual([]);
  });
});

describe('EXP-3 — documents in scope', () => {
  it('keeps every version, and a download out of scope is 404 while an allowed one is logged (SEC-4)', async () => {
    const signed = await signedCase('SOL-2');
    const mediator = await as(mediatorUsername, signed.signedOn);
    const first = (await upload(mediator, signed.caseId, 'signed_convenio', 'application/pdf', PDF, 'v1.pdf')).json();
    const second = (await upload(mediator, signed.caseId, 'signed_convenio', 'application/pdf', Buffer.concat([PDF, Buffer.from('% v2\n')]), 'v2.pdf')).json();
    expect(second).toMatchObject({ version: 2, replacesDocumentId: first.id, current: true });
    // the same file sent again (a retry after a lost answer) is not a third version
    const again = (await upload(mediator, signed.caseId, 'signed_convenio', 'application/pdf', Buffer.concat([PDF, Buffer.from('% v2\n')]), 'v2.pdf')).json();
    expect(again).toMatchObject({ id: second.id, version: 2 });
    const list = (await mediator.app.inject({ method: 'GET', url: `/api/cases/${signed.caseId}/documents`, headers: mediator.caller.headers })).json();
    expect(list.filter((d: { documentType: string }) => d.documentType === 'signed_convenio').map((d: { version: number; current: boolean }) => [d.version, d.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    const download = await mediator.app.inject({ method: 'GET', url: `/api/documents/${first.id}/content`, headers: mediator.caller.headers });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    const stranger = await as(await managerOf(signed.delegationId, true), signed.signedOn);
    expect((await stranger.app.inject({ method: 'GET', url: `/api/documents/${first.id}/content`, headers: stranger.caller.headers })).statusCode).toBe(404);
    const reads = await database.db.selectFrom('personal_data_reads').select('purpose').where('credit_number', '=', signed.creditNumber).execute();
    expect(reads.some((r) => r.purpose.includes(`documento ${first.id}`))).toBe(true);
  });
});
