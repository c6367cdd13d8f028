/**
 * The monthly assignment in a real Chromium (SPEC §3): operations sees the run of the latest month
 * with its exclusions per rule (ASG-6) and can simulate a month without saving anything; an agency
 * sees only the accounts assigned to it (SEC-2).
 *
 * Needs the built app (web/dist) and Chromium, as test/browser/login-roles.test.ts.
 */
import { sql } from 'kysely';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { buildTestServer, openSeededDatabase } from '../factories.js';
import { Contexts, launchChromium, serve, SKIP_BROWSER } from './harness.js';


describe.skipIf(SKIP_BROWSER)('browser: monthly assignment (web/dist + Chromium)', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const contexts = new Contexts();

  /** The latest month run by the seed, and the agency with the most accounts in it. */
  let month: string;
  let agency: { id: number; code: string; username: string; accounts: number };

  beforeAll(async () => {
    const launching = launchChromium();
    // The seed already ran the assignment of the current and the previous month.
    database = await openSeededDatabase({ credits: 300 });
    app = await buildTestServer(database, systemClock);
    baseUrl = await serve(app);

    const latest = await database.db
      .selectFrom('assignment_runs')
      .select('month')
      .orderBy('month', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    month = latest.month;
    const busiest = await database.db
      .selectFrom('credit_assignments as a')
      .innerJoin('agencies as ag', 'ag.id', 'a.agency_id')
      .select(['ag.id', 'ag.code', sql<string>`count(*)`.as('n')])
      .where('a.month', '=', month)
      .groupBy(['ag.id', 'ag.code'])
      .orderBy(sql`count(*)`, 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    agency = { id: busiest.id, code: busiest.code, username: `agencia.${busiest.code.toLowerCase()}`, accounts: Number(busiest.n) };

    browser = await launching;
  });

  afterAll(async () => {
    await contexts.closeAll();
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  function signedIn(username: string): Promise<Page> {
    return contexts.signedIn(browser, baseUrl, username);
  }

  it('operations: /asignacion shows the latest run with the exclusion chart (rule ID, wording, count) and the downloads; a simulation saves nothing', async () => {
    const page = await signedIn('operacion');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Asignación' }).click();
    await page.getByRole('heading', { level: 1, name: 'Asignación mensual' }).waitFor();

    const published = page.getByTestId('published-run');
    await published.getByTestId('run-summary').waitFor();
    expect(await published.getByTestId('run-month-select').inputValue()).toBe(month);

    // The chart is a table: one row per rule, named by the rule ID and its wording.
    const chart = published.getByRole('table', { name: /Créditos excluidos por regla/ });
    await chart.waitFor();
    const exc3 = chart.getByRole('row', { name: /EXC-3/ });
    await exc3.getByRole('rowheader', { name: 'EXC-3 Tiene una reestructura activa.' }).waitFor();
    const summary = (await (
      await page.request.get(`/api/assignment/runs/${month}`)
    ).json()) as { byRule: Record<string, number>; evaluated: number; difference: { left: number; leftBecause: Record<string, number> } };
    expect(await published.getByTestId('exclusion-bar').count()).toBe(Object.keys(summary.byRule).length);
    expect((await exc3.getByTestId('exclusion-count').innerText()).replace(/,/g, '')).toBe(String(summary.byRule['EXC-3']));
    expect((await published.getByTestId('stat-evaluated').locator('dd').first().innerText()).replace(/,/g, '')).toBe(
      String(summary.evaluated),
    );

    // Against the previous month: who leaves and why; a credit leaving for two rules counts in both,
    // and the page says so when the reasons add up to more than the credits that leave.
    expect((await published.getByTestId('stat-left').locator('dd').first().innerText()).replace(/,/g, '')).toBe(String(summary.difference.left));
    const reasons = Object.values(summary.difference.leftBecause);
    expect(await published.getByTestId('leaving-reasons').locator('tbody tr').count()).toBe(reasons.length);
    const reasonTotal = reasons.reduce((sum, n) => sum + n, 0);
    expect(await published.getByTestId('leaving-reasons-note').count()).toBe(reasonTotal > summary.difference.left ? 1 : 0);

    expect(await published.getByRole('link', { name: /Descargar Excel/ }).getAttribute('href')).toBe(
      `/api/assignment/runs/${month}/file?format=xlsx`,
    );
    expect(await published.getByRole('link', { name: /Descargar CSV/ }).getAttribute('href')).toBe(
      `/api/assignment/runs/${month}/file?format=csv`,
    );

    // Simulating a month not yet run: the result is marked and nothing is written.
    const runsBefore = await database.db.selectFrom('assignment_runs').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const [year, monthNumber] = month.split('-').map(Number) as [number, number];
    const next = monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
    await page.getByTestId('run-form').getByLabel('Mes', { exact: true }).fill(next);
    await page.getByRole('button', { name: 'Simular (sin guardar)' }).click();
    await page.getByTestId('run-dry-run-notice').waitFor();
    expect(await page.getByTestId('run-dry-run-notice').innerText()).toContain('Simulación: no se guardó nada');
    await page.getByTestId('run-result').getByTestId('exclusion-chart').waitFor();
    const runsAfter = await database.db.selectFrom('assignment_runs').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(runsAfter.n).toBe(runsBefore.n);
  });

  it('SEC-2: an agency sees in /cuentas-asignadas only the accounts assigned to it, and its Excel link', async () => {
    const page = await signedIn(agency.username);
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Cuentas asignadas' }).click();
    const table = page.getByRole('table', { name: /Cuentas asignadas en/ });
    await table.waitFor();

    const shown = (await table.getByTestId('assigned-account-row').getByRole('link').allInnerTexts()).map((text) => text.trim());
    expect(shown.length).toBe(Math.min(agency.accounts, 25));
    const owners = await database.db
      .selectFrom('credit_assignments')
      .select(['credit_number', 'agency_id'])
      .where('month', '=', month)
      .where('credit_number', 'in', shown)
      .execute();
    expect(owners).toHaveLength(shown.length);
    expect(new Set(owners.map((row) => row.agency_id))).toEqual(new Set([agency.id]));
    expect(await page.getByTestId('assigned-summary').innerText()).toMatch(new RegExp(`^${agency.accounts.toLocaleString('en-US')} cuentas? asignadas?`));

    // No agency column: every row is the agency's own.
    expect(await table.getByRole('columnheader', { name: 'Agencia' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /Descargar Excel/ }).getAttribute('href')).toBe(
      `/api/assignment/runs/${month}/file?format=xlsx`,
    );
  });
});
