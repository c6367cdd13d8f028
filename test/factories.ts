/**
 * Test factories: a seeded database (the demo generator at a small size), a server on it, and
 * signed-in callers. Every test file gets its own database.
 */
import { sql } from 'kysely';
import { fixedClock, type Clock } from '../src/clock.js';
import type { Database } from '../src/db/index.js';
import { buildServer } from '../src/http/server.js';
import type { App } from '../src/http/context.js';
import { CHECKLIST_ITEMS } from '../src/modules/mediation/mediation.rules.js';
import { DEMO_PASSWORD } from '../src/modules/portfolio/demo-data.js';
import { seedDemo } from '../src/modules/portfolio/demo.service.js';
import { openTestDatabase } from './database.js';

export const TEST_TODAY = '2026-11-23';
export const TEST_SEED = 7;

/** The demo at a small size; without last month's history (issue 6) unless `pastMonth`. */
export async function openSeededDatabase(options: { credits?: number; today?: string; pastMonth?: boolean } = {}): Promise<Database> {
  const database = await openTestDatabase();
  const clock = fixedClock(options.today ?? TEST_TODAY);
  await database.db.transaction().execute((trx) =>
    seedDemo(trx, { credits: options.credits ?? 400, seed: TEST_SEED, today: clock.today(), now: clock.now(), pastMonth: options.pastMonth ?? false }),
  );
  return database;
}

export async function buildTestServer(database: Database, clock: Clock = fixedClock(TEST_TODAY)): Promise<App> {
  const app = await buildServer({ db: database.db, clock, sessionHours: 12, cookieSecure: false }, { logLevel: process.env.TEST_LOG_LEVEL ?? 'silent', engine: database.engine });
  await app.ready();
  return app;
}

export interface Caller {
  cookie: string;
  csrfToken: string;
  headers: Record<string, string>;
}

let loginCount = 0;

export async function login(app: App, username: string, password = DEMO_PASSWORD): Promise<Caller> {
  // A distinct address per login keeps the login rate limit out of tests that are not about it.
  loginCount++;
  const remoteAddress = `127.0.${Math.floor(loginCount / 250)}.${(loginCount % 250) + 1}`;
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
  if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.statusCode} ${response.body}`);
  const setCookie = response.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0]! : setCookie!).split(';')[0]!;
  const csrfToken = response.json().csrfToken as string;
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

export interface Session {
  app: App;
  caller: Caller;
}

/**
 * Servers on one database, one per day (their clocks are fixed), and sign-ins on them: for tests
 * that walk a case or a convenio through its days.
 */
export function serversByDay(database: () => Database) {
  const servers = new Map<string, App>();
  async function serverOn(date: string): Promise<App> {
    let app = servers.get(date);
    if (!app) {
      app = await buildTestServer(database(), fixedClock(date));
      servers.set(date, app);
    }
    return app;
  }
  async function as(username: string, date: string = TEST_TODAY): Promise<Session> {
    const app = await serverOn(date);
    return { app, caller: await login(app, username) };
  }
  async function closeAll(): Promise<void> {
    for (const app of servers.values()) await app.close();
    servers.clear();
  }
  return { serverOn, as, closeAll };
}

/** Every item of the session checklist (CHK-1..10) ticked: what a signature needs (CNV-2). */
export const FULL_CHECKLIST: Record<string, boolean> = Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, true]));

/**
 * One activity of a case over HTTP (acts. 2–21) on the version the caller reads first; a refusal
 * throws with the server's answer. The reply is the case after it.
 */
export async function actOnCase(app: App, caller: Caller, caseId: number, action: string, input: object = {}): Promise<{ state: string; version: number; facts: Record<string, unknown> }> {
  const current = await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: caller.headers });
  if (current.statusCode !== 200) throw new Error(`GET case ${caseId}: ${current.statusCode} ${current.body}`);
  const response = await app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/actions/${action}`,
    headers: caller.headers,
    payload: { version: current.json().version, input },
  });
  if (response.statusCode !== 200) throw new Error(`${action} on case ${caseId}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** A case driven to its session held, with who works it. */
export interface HeldCase {
  caseId: number;
  creditNumber: string;
  delegationCode: string;
  convenioType: 'RATIFIED' | 'ADMINISTRATIVE';
  /** The CJA-certified mediator of AS01 the case was distributed to. */
  mediatorUsername: string;
  /** The DR manager of the credit's delegación. */
  managerUsername: string;
}

/**
 * For the browser journeys: an account of AS01's latest month without a case, of one of
 * `convenioTypes` (the CJA-certified mediator handles RATIFIED and ADMINISTRATIVE), whose catalogue
 * offers `solution` with its terms today (SPEC §8); then acts. 2–17 over HTTP, all on the server's
 * today: visit, acceptance, representative with legal powers, distribution, session scheduled and
 * summoned, draft convenios requested and provided, session held with CHK-1..9 (CHK-10 is the
 * signature's).
 */
export async function caseWithSessionHeld(
  app: App,
  database: Database,
  { today, convenioTypes = ['RATIFIED', 'ADMINISTRATIVE'], solution = 'SOL-2' }: { today: string; convenioTypes?: readonly ('RATIFIED' | 'ADMINISTRATIVE')[]; solution?: string },
): Promise<HeldCase> {
  const mediatorUsername = 'mediador.as01.1';
  const office = await login(app, 'gmc');
  const candidates = await sql<{ credit_number: string; code: string; username: string; convenio_type: HeldCase['convenioType'] }>`
    SELECT a.credit_number, d.code, u.username, a.convenio_type
    FROM credit_assignments a
    JOIN agencies ag ON ag.id = a.agency_id AND ag.code = 'AS01'
    JOIN delegations d ON d.id = a.delegation_id
    JOIN users u ON u.id = a.field_agent_user_id AND u.role = 'field_agent'
    WHERE a.month = (SELECT max(month) FROM credit_assignments WHERE agency_id = a.agency_id)
      AND a.convenio_type IN (${sql.join(convenioTypes)})
      AND NOT EXISTS (SELECT 1 FROM mediation_cases c WHERE c.credit_number = a.credit_number)
    ORDER BY a.credit_number`.execute(database.db);
  let chosen: (typeof candidates.rows)[number] | undefined;
  for (const row of candidates.rows) {
    const catalogue = await app.inject({ method: 'GET', url: `/api/credits/${row.credit_number}/solutions`, headers: office.headers });
    if (catalogue.statusCode !== 200) throw new Error(`solutions of ${row.credit_number}: ${catalogue.statusCode} ${catalogue.body}`);
    const offers = catalogue.json().solutions as { solution: string; available: boolean; terms?: unknown }[];
    if (offers.some((offer) => offer.solution === solution && offer.available && offer.terms !== undefined)) {
      chosen = row;
      break;
    }
  }
  if (chosen === undefined) throw new Error(`no account of AS01 (${convenioTypes.join(', ')}) without a case with ${solution} available`);

  const mediator = await database.db
    .selectFrom('users as u')
    .innerJoin('mediators as m', 'm.id', 'u.mediator_id')
    .select(['m.id', 'm.kind', 'm.agency_id'])
    .where('u.username', '=', mediatorUsername)
    .executeTakeFirstOrThrow();
  if (mediator.kind !== 'cja_certified') throw new Error(`${mediatorUsername} is ${mediator.kind}, not CJA-certified`);
  const representative = await database.db
    .selectFrom('representatives')
    .select('id')
    .where('agency_id', '=', mediator.agency_id)
    .where('has_legal_powers', '=', true)
    .where('active', '=', true)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();

  const agent = await login(app, chosen.username);
  const opened = await app.inject({ method: 'POST', url: '/api/cases', headers: agent.headers, payload: { creditNumber: chosen.credit_number } });
  if (opened.statusCode !== 201) throw new Error(`open case ${chosen.credit_number}: ${opened.statusCode} ${opened.body}`);
  const caseId = opened.json().id as number;
  await actOnCase(app, agent, caseId, 'offer_mediation', { channel: 'home_visit', solutionsOffered: [solution] });
  await actOnCase(app, agent, caseId, 'record_acceptance', { privacyNoticeShown: true, contactData: { mobile: '5512345678' } });
  const agency = await login(app, 'agencia.as01');
  await actOnCase(app, agency, caseId, 'designate_representative', { representativeId: representative.id });
  await actOnCase(app, agency, caseId, 'distribute', { mediatorId: mediator.id });
  const mediatorApi = await login(app, mediatorUsername);
  await actOnCase(app, mediatorApi, caseId, 'schedule_session', { sessionDate: today, sessionTime: '10:00', mode: 'in_person', place: 'Oficinas de la agencia, Av. Reforma 100' });
  await actOnCase(app, mediatorApi, caseId, 'send_summons', { channel: 'sms', recipients: ['borrower', 'representative'] });
  await actOnCase(app, mediatorApi, caseId, 'request_draft_convenios');
  const managerUsername = `gerente.${chosen.code.toLowerCase()}`;
  const manager = await login(app, managerUsername);
  const provided = await actOnCase(app, manager, caseId, 'provide_draft_convenios');
  const drafts = provided.facts.draftSolutionIds;
  if (!Array.isArray(drafts) || !drafts.includes(solution)) throw new Error(`the DR did not hand over ${solution}: ${JSON.stringify(drafts)}`);
  const held = await actOnCase(app, mediatorApi, caseId, 'hold_session', {
    heldOn: today,
    mode: 'in_person',
    borrowerAttended: true,
    fundAttendee: 'representative',
    privacyNoticeShownAtStart: true,
    checklist: { ...FULL_CHECKLIST, 'CHK-10': false },
  });
  if (held.state !== 'session_held') throw new Error(`case ${caseId} is ${held.state} after hold_session`);
  return { caseId, creditNumber: chosen.credit_number, delegationCode: chosen.code, convenioType: chosen.convenio_type, mediatorUsername, managerUsername };
}
