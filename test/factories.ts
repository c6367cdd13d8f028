/**
 * Test factories: a seeded database (the demo generator at a small size), a server on it, and
 * signed-in callers. Every test file gets its own database.
 */
import { fixedClock, type Clock } from '../src/clock.js';
import type { Database } from '../src/db/index.js';
import { buildServer } from '../src/http/server.js';
import type { App } from '../src/http/context.js';
import { DEMO_PASSWORD } from '../src/modules/portfolio/demo-data.js';
import { seedDemo } from '../src/modules/portfolio/demo.service.js';
import { openTestDatabase } from './database.js';

export const TEST_TODAY = '2026-11-23';
export const TEST_SEED = 7;

export async function openSeededDatabase(options: { credits?: number; today?: string } = {}): Promise<Database> {
  const database = await openTestDatabase();
  const clock = fixedClock(options.today ?? TEST_TODAY);
  await database.db.transaction().execute((trx) =>
    seedDemo(trx, { credits: options.credits ?? 400, seed: TEST_SEED, today: clock.today(), now: clock.now() }),
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
