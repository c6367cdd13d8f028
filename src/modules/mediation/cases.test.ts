/**
 * The mediation case over HTTP on a real database (SPEC §4 acts. 2–21, §5): the journey from the
 * visit to the signature, SEC-1, optimistic locking (409 STALE_VERSION), idempotent retries,
 * forbidden transitions (409 with the rule), scope (SEC-2), ENT-C rounds and the audit trail.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { openSeededDatabase, serversByDay, TEST_TODAY, type Session } from '../../../test/factories.js';
import { localAdapters } from '../notify/outbox.adapters.js';
import { deliverDueMessages } from '../notify/outbox.service.js';
import { CHECKLIST_ITEMS } from './mediation.rules.js';
import { eligibleSolutionIds } from '../convenios/convenios.service.js';
import type { SolutionId } from '../solutions/solutions.rules.js';

let database: Database;
const { as, closeAll } = serversByDay(() => database);

async function act(session: Session, caseId: number, action: string, version: number, input: object = {}, key?: string) {
  return session.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/actions/${action}`,
    headers: { ...session.caller.headers, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { version, input },
  });
}

async function getCase(session: Session, caseId: number) {
  return session.app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: session.caller.headers });
}

const FULL_CHECKLIST = Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, true]));
const OPENING_CHECKLIST = { ...FULL_CHECKLIST, 'CHK-10': false };

let mediatorUser: { username: string; mediatorId: number; agencyId: number };
let otherMediator: string;
let representativeId: number;
let regionalManager: (delegationId: number) => Promise<string>;

/** A credit assigned this month to the field agent's agency, with a convenio type the mediator may handle. */
async function assignedCredit(exclude: string[] = []): Promise<{ creditNumber: string; delegationId: number; available: SolutionId[] }> {
  const rows = await database.db
    .selectFrom('credit_assignments as a')
    .innerJoin('users as u', (join) => join.on('u.username', '=', 'asesor.as01.1'))
    .select(['a.credit_number', 'a.delegation_id'])
    .whereRef('a.agency_id', '=', 'u.agency_id')
    .where((eb) => eb.or([eb('a.field_agent_user_id', 'is', null), eb('a.field_agent_user_id', '=', eb.ref('u.id'))]))
    .where('a.convenio_type', 'in', ['RATIFIED', 'ADMINISTRATIVE'])
    .where('a.credit_number', 'not in', exclude.length ? exclude : [''])
    .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM mediation_cases c WHERE c.credit_number = a.credit_number)`)
    .orderBy('a.month', 'desc')
    .orderBy('a.credit_number')
    .limit(50)
    .execute();
  // act. 2: the visit offers what the catalogue makes available (SPEC §8)
  for (const row of rows) {
    const available = await eligibleSolutionIds(database.db, row.credit_number, TEST_TODAY);
    if (available.length > 0) return { creditNumber: row.credit_number, delegationId: row.delegation_id, available };
  }
  throw new Error('no assigned credit with an available solution');
}

beforeAll(async () => {
  // enough of the portfolio for agency AS01 to hold every demo case and this file's own
  database = await openSeededDatabase({ credits: 5000 });
  const mediator = await database.db
    .selectFrom('users as u')
    .innerJoin('mediators as m', 'm.id', 'u.mediator_id')
    .select(['u.username', 'm.id', 'm.agency_id', 'm.kind'])
    .where('u.username', '=', 'mediador.as01.1')
    .executeTakeFirstOrThrow();
  expect(mediator.kind).toBe('cja_certified');
  mediatorUser = { username: mediator.username, mediatorId: mediator.id, agencyId: mediator.agency_id };
  const other = await database.db
    .selectFrom('users')
    .select('username')
    .where('role', '=', 'mediator')
    .where('username', '<>', mediator.username)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  otherMediator = other.username;
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
  regionalManager = async (delegationId) => {
    const row = await database.db.selectFrom('users').select('username').where('role', '=', 'regional_manager').where('delegation_id', '=', delegationId).executeTakeFirstOrThrow();
    return row.username;
  };
});

afterAll(async () => {
  await closeAll();
  await database.close();
});

describe('the demo (issue 4, item 9)', () => {
  it('opens with cases in every state of the flow, built by the rules, some past their day-32 and day-91 deadlines', async () => {
    const rows = await database.db.selectFrom('mediation_cases').select(['state', 'dl5_closes_on', 'dl8_closes_on', 'session_date']).execute();
    const states = new Set(rows.map((r) => r.state));
    for (const state of ['tagged', 'offered', 'refused', 'solution_at_visit', 'accepted', 'distributed', 'contacting', 'scheduled', 'rescheduled', 'not_scheduled', 'session_held', 'refused_to_sign', 'closed_no_agreement', 'signed']) {
      expect(states, state).toContain(state);
    }
    expect(rows.some((r) => ['accepted', 'distributed', 'contacting'].includes(r.state) && r.dl5_closes_on! < TEST_TODAY)).toBe(true);
    expect(rows.some((r) => ['scheduled', 'rescheduled'].includes(r.state) && r.dl8_closes_on! < TEST_TODAY && r.session_date! < TEST_TODAY)).toBe(true);
    // every demo case has its full history: one event per version
    const gaps = await sql<{ n: bigint }>`
      SELECT count(*) AS n FROM mediation_cases c
      WHERE c.version <> (SELECT count(*) FROM case_events e WHERE e.case_id = c.id)`.execute(database.db);
    expect(Number(gaps.rows[0]!.n)).toBe(0);
  });
});

describe('the case journey from the visit to the signature (acts. 2–21)', () => {
  it('field agent opens, offers and records acceptance; the agency distributes; the mediator schedules, summons, holds the session and the convenio is signed', async () => {
    const { creditNumber, delegationId, available } = await assignedCredit();
    const agent = await as('asesor.as01.1');
    const opened = await agent.app.inject({ method: 'POST', url: '/api/cases', headers: agent.caller.headers, payload: { creditNumber } });
    expect(opened.statusCode, opened.body).toBe(201);
    let detail = opened.json();
    expect(detail).toMatchObject({ state: 'tagged', round: 1, version: 1 });
    const id = detail.id as number;

    // act. 2: a solution the catalogue does not offer this credit cannot be offered
    const unavailable = (['SOL-1', 'SOL-2', 'SOL-3', 'SOL-4', 'SOL-5'] as const).find((s) => !available.includes(s));
    if (unavailable) {
      const refused = await act(agent, id, 'offer_mediation', detail.version, { channel: 'home_visit', solutionsOffered: [unavailable] });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toMatch(/act\. 2/);
    }
    let response = await act(agent, id, 'offer_mediation', detail.version, { channel: 'home_visit', solutionsOffered: available });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    expect(detail.state).toBe('offered');

    // SEC-1: contact data only after the privacy notice
    response = await act(agent, id, 'record_acceptance', detail.version, { privacyNoticeShown: false, contactData: { mobile: '5512345678' } });
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toMatch(/SEC-1/);

    response = await act(agent, id, 'record_acceptance', detail.version, { privacyNoticeShown: true, contactData: { mobile: '55 1234 5678', email: 'acreditado@example.com' } });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    expect(detail).toMatchObject({ state: 'accepted', acceptedOn: TEST_TODAY, day: 0, contact: { mobile: '5512345678', email: 'acreditado@example.com' } });
    // DL-5 and DL-8 fixed at acceptance with the policy in force (SPEC §5)
    const row = await database.db.selectFrom('mediation_cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ dl1_due_on: '2026-11-24', dl4_due_on: '2026-12-24', dl5_closes_on: '2026-12-25', dl8_closes_on: '2027-02-22' });
    expect(row.deadline_policy_version).toBeGreaterThanOrEqual(1);
    // the event log keeps which contact fields were captured, not the values (personal data)
    const acceptance = detail.events.find((e: { action: string }) => e.action === 'record_acceptance');
    expect(JSON.stringify(acceptance.data)).not.toContain('5512345678');
    expect(acceptance.data.contactDataFields).toEqual(['mobile', 'email']);

    const agency = await as('agencia.as01', '2026-11-24');
    response = await act(agency, id, 'designate_representative', detail.version, { representativeId });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    response = await act(agency, id, 'distribute', detail.version, { mediatorId: mediatorUser.mediatorId });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    expect(detail).toMatchObject({ state: 'distributed', mediatorId: mediatorUser.mediatorId });

    const mediator = await as(mediatorUser.username, '2026-11-25');
    const list = await mediator.app.inject({ method: 'GET', url: '/api/cases?queue=new', headers: mediator.caller.headers });
    expect(list.json().rows.map((r: { id: number }) => r.id)).toContain(id);
    response = await act(mediator, id, 'schedule_session', detail.version, { sessionDate: '2026-12-02', sessionTime: '10:30', mode: 'in_person', place: 'Oficinas de la agencia, Av. Reforma 100' });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    expect(detail.state).toBe('scheduled');
    response = await act(mediator, id, 'send_summons', detail.version, { channel: 'email', recipients: ['borrower', 'representative'] });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    // act. 11 / DL-6: the written summons went to the outbox in the same transaction, tied to the event
    const summonsEvent = detail.events.find((e: { action: string }) => e.action === 'send_summons');
    expect(detail.messages.map((m: { recipientKind: string; purpose: string; status: string }) => [m.recipientKind, m.purpose, m.status]).sort()).toEqual([
      ['borrower', 'summons', 'pending'],
      ['representative', 'summons', 'pending'],
    ]);
    expect(detail.messages[0].recipientAddressMasked).not.toContain('acreditado@example.com');
    const delivered = await deliverDueMessages(database.db, { now: new Date('2026-11-26T00:00:00Z'), adapters: localAdapters(), limit: 1000 });
    expect(delivered.sent).toBeGreaterThanOrEqual(2); // with the demo cases' own summons
    detail = (await getCase(mediator, id)).json();
    expect(detail.messages.every((m: { status: string; sentAt: string | null; providerMessageId: string | null }) => m.status === 'sent' && m.sentAt && m.providerMessageId)).toBe(true);
    expect(summonsEvent).toBeDefined();
    const body = await database.db.selectFrom('outbox_messages').select(['body', 'subject']).where('case_id', '=', id).where('recipient_kind', '=', 'borrower').executeTakeFirstOrThrow();
    expect(body.body).toContain('02/12/2026');
    expect(body.body).toContain('10:30');
    expect(body.body).toContain('Av. Reforma 100');
    response = await act(mediator, id, 'request_draft_convenios', detail.version);
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();

    const manager = await as(await regionalManager(delegationId), '2026-11-26');
    const requested = async () =>
      (await manager.app.inject({ method: 'GET', url: '/api/cases?queue=drafts_requested&limit=200', headers: manager.caller.headers })).json().rows.map((r: { id: number }) => r.id);
    expect(await requested()).toContain(id); // act. 13: the DR manager's list of requests
    response = await act(manager, id, 'provide_draft_convenios', detail.version);
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    // act. 13: the catalogue decides the drafts — every solution available for the credit today
    const drafts = detail.facts.draftSolutionIds as string[];
    expect(drafts.length).toBeGreaterThan(0);
    const chosen = drafts.includes('SOL-2') ? 'SOL-2' : drafts[0]!;
    expect(await requested()).not.toContain(id);

    const onSession = await as(mediatorUser.username, '2026-12-02');
    response = await act(onSession, id, 'hold_session', detail.version, {
      heldOn: '2026-12-02',
      mode: 'in_person',
      borrowerAttended: true,
      fundAttendee: 'representative',
      privacyNoticeShownAtStart: true,
      checklist: OPENING_CHECKLIST,
    });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    response = await act(onSession, id, 'sign_convenio', detail.version, {
      signedOn: '2026-12-02',
      convenioType: detail.convenioType,
      solutionId: chosen,
      copies: 3,
      signedBy: ['borrower', 'representative', 'mediator'],
      acknowledgementSigned: true,
      firstPaymentExplained: true,
      checklist: FULL_CHECKLIST,
    });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    expect(detail).toMatchObject({ state: 'signed', closedOn: '2026-12-02' });
    response = await act(onSession, id, 'invite_to_survey', detail.version, { channel: 'link', complaintChannelsExplained: true });
    expect(response.statusCode, response.body).toBe(200);
    detail = response.json();
    // act. 21 / SRV-1: the survey link goes to the borrower's mobile captured at acceptance
    expect(detail.messages.filter((m: { purpose: string }) => m.purpose === 'survey_invitation')).toEqual([
      expect.objectContaining({ channel: 'sms', recipientKind: 'borrower' }),
    ]);
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual([
      'open_case',
      'offer_mediation',
      'record_acceptance',
      'designate_representative',
      'distribute',
      'schedule_session',
      'send_summons',
      'request_draft_convenios',
      'provide_draft_convenios',
      'hold_session',
      'sign_convenio',
      'invite_to_survey',
    ]);
    expect(detail.events.map((e: { version: number }) => e.version)).toEqual(detail.events.map((_: unknown, i: number) => i + 1));
    // every transition left an audit event (SEC-3)
    const audited = await database.db.selectFrom('audit_events').select(sql<bigint>`count(*)`.as('n')).where('entity_type', '=', 'mediation_case').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(12);
  });
});

describe('ENT-C re-mediation', () => {
  it('the office tags a credit with a broken convenio for re-mediation: round 2, same flow; two broken convenios are excluded (EXC-1); none is refused (ENT-C)', async () => {
    const office = await as('gmc');
    const [once, twice, never] = await database.db
      .selectFrom('credits')
      .select('credit_number')
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM mediation_cases c WHERE c.credit_number = credits.credit_number)`)
      .orderBy('credit_number', 'desc')
      .limit(3)
      .execute();
    await database.db.updateTable('credits').set({ broken_convenios: 1 }).where('credit_number', '=', once!.credit_number).execute();
    await database.db.updateTable('credits').set({ broken_convenios: 2 }).where('credit_number', '=', twice!.credit_number).execute();
    await database.db.updateTable('credits').set({ broken_convenios: 0 }).where('credit_number', '=', never!.credit_number).execute();
    const open = (creditNumber: string, reMediation: object = {}) =>
      office.app.inject({ method: 'POST', url: '/api/cases', headers: office.caller.headers, payload: { creditNumber, reMediation } });

    const round2 = await open(once!.credit_number);
    expect(round2.statusCode, round2.body).toBe(201);
    expect(round2.json()).toMatchObject({ entry: 're_mediation', round: 2, roundLabel: 'Re-mediación (ronda 2)', state: 'tagged' });
    expect(round2.json().events[0]).toMatchObject({ action: 'open_case', activity: 'ENT-C' });

    const exhausted = await open(twice!.credit_number);
    expect(exhausted.statusCode).toBe(409);
    expect(exhausted.json().details.rule).toBe('EXC-1');

    const noPrior = await open(never!.credit_number, { newCircumstances: 'Perdió el empleo y recuperó ingresos este mes.' });
    expect(noPrior.statusCode).toBe(409);
    expect(noPrior.json().details.rule).toBe('ENT-C');

    // only the office tags re-mediation
    const agency = await as('agencia.as01');
    const forbidden = await agency.app.inject({ method: 'POST', url: '/api/cases', headers: agency.caller.headers, payload: { creditNumber: once!.credit_number, reMediation: {} } });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('guards over HTTP', () => {
  async function acceptedCase(): Promise<{ id: number; version: number; agent: Session }> {
    const { creditNumber, available } = await assignedCredit();
    const agent = await as('asesor.as01.1');
    const opened = (await agent.app.inject({ method: 'POST', url: '/api/cases', headers: agent.caller.headers, payload: { creditNumber } })).json();
    const offered = (await act(agent, opened.id, 'offer_mediation', opened.version, { channel: 'home_visit', solutionsOffered: [available[0]!] })).json();
    const accepted = (await act(agent, opened.id, 'record_acceptance', offered.version, { privacyNoticeShown: true })).json();
    expect(accepted.state).toBe('accepted');
    return { id: opened.id, version: accepted.version, agent };
  }

  it('refuses a forbidden transition with 409 and the rule in the message (act. 11 before distribution)', async () => {
    const { id, version } = await acceptedCase();
    const agency = await as('agencia.as01');
    const response = await act(agency, id, 'schedule_session', version, { sessionDate: '2026-12-01', sessionTime: '10:00', mode: 'in_person', place: 'Oficina' });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('FORBIDDEN');
    const closeEarly = await act(await as('operacion'), id, 'close_by_dl5', version);
    expect(closeEarly.statusCode).toBe(409);
    expect(closeEarly.json()).toMatchObject({ code: 'FORBIDDEN_TRANSITION', details: { rule: 'DL-5' } });
  });

  it('optimistic locking: the second of two writers with the same version gets 409 STALE_VERSION and changes nothing', async () => {
    const { id, version } = await acceptedCase();
    const agency = await as('agencia.as01');
    const [a, b] = await Promise.all([
      act(agency, id, 'designate_representative', version, { representativeId }),
      act(agency, id, 'distribute', version, { mediatorId: mediatorUser.mediatorId }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toBe('STALE_VERSION');
    const events = await database.db.selectFrom('case_events').select(sql<bigint>`count(*)`.as('n')).where('case_id', '=', id).executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(version + 1);
  });

  it('applies a capture sent twice with the same idempotency key once, and refuses the key for another request', async () => {
    const { creditNumber, available } = await assignedCredit();
    const agent = await as('asesor.as01.1');
    const key = 'visit-0001-aaaa';
    const first = await agent.app.inject({ method: 'POST', url: '/api/cases', headers: { ...agent.caller.headers, 'idempotency-key': key }, payload: { creditNumber } });
    const second = await agent.app.inject({ method: 'POST', url: '/api/cases', headers: { ...agent.caller.headers, 'idempotency-key': key }, payload: { creditNumber } });
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const id = first.json().id as number;
    const offerKey = 'visit-0001-offer';
    const offer1 = await act(agent, id, 'offer_mediation', 1, { channel: 'home_visit', solutionsOffered: [available[0]!] }, offerKey);
    const offer2 = await act(agent, id, 'offer_mediation', 1, { channel: 'home_visit', solutionsOffered: [available[0]!] }, offerKey);
    expect(offer1.statusCode).toBe(200);
    expect(offer2.statusCode).toBe(200);
    expect(offer2.headers['idempotent-replayed']).toBe('true');
    expect(offer2.json().version).toBe(2);
    const reused = await act(agent, id, 'record_refusal', 2, {}, offerKey);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    const cases = await database.db.selectFrom('mediation_cases').select(sql<bigint>`count(*)`.as('n')).where('credit_number', '=', creditNumber).executeTakeFirstOrThrow();
    expect(Number(cases.n)).toBe(1);
  });

  it('ASG-5: a credit with a case that has not ended cannot open another', async () => {
    const { id } = await acceptedCase();
    const creditNumber = (await database.db.selectFrom('mediation_cases').select('credit_number').where('id', '=', id).executeTakeFirstOrThrow()).credit_number;
    const agent = await as('asesor.as01.1');
    const again = await agent.app.inject({ method: 'POST', url: '/api/cases', headers: agent.caller.headers, payload: { creditNumber } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ details: { rule: 'ASG-5', caseId: id } });
  });

  it('SEC-2: a mediator never sees another mediator\'s case (404), an agency never another agency\'s', async () => {
    const { id, version } = await acceptedCase();
    const agency = await as('agencia.as01');
    const distributed = await act(agency, id, 'distribute', version, { mediatorId: mediatorUser.mediatorId });
    expect(distributed.statusCode).toBe(200);
    const other = await as(otherMediator);
    expect((await getCase(other, id)).statusCode).toBe(404);
    const list = await other.app.inject({ method: 'GET', url: '/api/cases?queue=all', headers: other.caller.headers });
    expect(list.json().rows.map((r: { id: number }) => r.id)).not.toContain(id);
    const otherAgency = await database.db.selectFrom('users').select('username').where('role', '=', 'agency').where('agency_id', '<>', mediatorUser.agencyId).limit(1).executeTakeFirstOrThrow();
    expect((await getCase(await as(otherAgency.username), id)).statusCode).toBe(404);
    expect((await act(other, id, 'record_contact_attempt', version + 1, { party: 'borrower', channel: 'phone', reached: true })).statusCode).toBe(404);
    // a field agent of the same agency sees only the cases of the accounts assigned to him
    const owner = await database.db.selectFrom('mediation_cases').select('field_agent_user_id').where('id', '=', id).executeTakeFirstOrThrow();
    const colleague = await database.db
      .selectFrom('users')
      .select('username')
      .where('role', '=', 'field_agent')
      .where('agency_id', '=', mediatorUser.agencyId)
      .where('id', '<>', owner.field_agent_user_id ?? -1)
      .limit(1)
      .executeTakeFirstOrThrow();
    expect((await getCase(await as(colleague.username), id)).statusCode).toBe(owner.field_agent_user_id === null ? 200 : 404);
    expect((await getCase(await as('asesor.as01.1'), id)).statusCode).toBe(200);
    // the case's mediator now sees the credit too
    const own = await as(mediatorUser.username);
    const creditNumber = (await getCase(own, id)).json().creditNumber;
    expect((await own.app.inject({ method: 'GET', url: `/api/credits/${creditNumber}`, headers: own.caller.headers })).statusCode).toBe(200);
  });

  it('SEC-1: contact data cannot be captured on a case with no privacy-notice record (ENT-A case marked accepted by the agency)', async () => {
    const { creditNumber } = await assignedCredit();
    // ENT-A: the credit entered by a request, so the agency marks it accepted without a visit (act. 7 of Anexo A)
    await database.db.updateTable('credit_assignments').set({ entry: 'request' }).where('credit_number', '=', creditNumber).execute();
    const agency = await as('agencia.as01');
    const opened = (await agency.app.inject({ method: 'POST', url: '/api/cases', headers: agency.caller.headers, payload: { creditNumber } })).json();
    expect(opened.entry).toBe('request');
    const marked = await act(agency, opened.id, 'mark_accepted', opened.version);
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json().privacyNoticeShownOn).toBeNull();
    const refused = await act(agency, opened.id, 'update_contact_data', marked.json().version, { contactData: { email: 'x@example.com' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/SEC-1/);
    const stored = await database.db.selectFrom('mediation_cases').select(['contact_email', 'version']).where('id', '=', opened.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ contact_email: null, version: marked.json().version });
    const withNotice = await act(agency, opened.id, 'update_contact_data', marked.json().version, { privacyNoticeShown: true, contactData: { email: 'x@example.com' } });
    expect(withNotice.statusCode, withNotice.body).toBe(200);
    expect(withNotice.json().contact.email).toBe('x@example.com');
  });

  it('answers 400 in Spanish for malformed input and 404 for an unknown case', async () => {
    const { id, version } = await acceptedCase();
    const mediator = await as(mediatorUser.username);
    const bad = await act(await as('agencia.as01'), id, 'distribute', version, { mediatorId: 'uno' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/Datos inválidos/);
    expect((await getCase(mediator, 99_999_999)).statusCode).toBe(404);
  });
});
