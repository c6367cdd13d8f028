/**
 * The deadline policy page in a real Chromium (SPEC §5, /politicas/plazos): the mediation office
 * changes a deadline, sees the server refuse an inconsistent case clock in Spanish and approves a
 * remote-session tool (Lineamiento 3); operations reads the same page without any form.
 *
 * Needs the built app (web/dist) and Chromium, as test/browser/login-roles.test.ts.
 */
import { sql } from 'kysely';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { DEMO_PASSWORD } from '../../src/modules/portfolio/demo-data.js';
import { buildTestServer, openSeededDatabase } from '../factories.js';
import { Contexts, launchChromium, serve, SKIP_BROWSER } from './harness.js';

describe.skipIf(SKIP_BROWSER)('browser: deadline policy page (web/dist + Chromium)', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const contexts = new Contexts();

  beforeAll(async () => {
    const launching = launchChromium();
    database = await openSeededDatabase({ credits: 40 });
    // The system clock: the form's default effective date is today in Mexico City, as the server's.
    app = await buildTestServer(database, systemClock);
    baseUrl = await serve(app);
    browser = await launching;
  });

  afterAll(async () => {
    await contexts.closeAll();
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  async function signedIn(username: string): Promise<Page> {
    const context = await contexts.create(browser, baseUrl);
    const page = await context.newPage();
    await page.goto('/ingresar');
    await page.getByLabel('Usuario', { exact: true }).fill(username);
    await page.getByLabel('Contraseña', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByTestId('home-greeting').waitFor();
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Plazos' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plazos y días inhábiles' }).waitFor();
    return page;
  }

  async function latestVersion(key: string) {
    return database.db
      .selectFrom('policy_versions')
      .select(['version', 'value', 'reason', 'effective_from', 'author_user_id'])
      .where('policy_key', '=', key)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
  }

  async function versionCount(key: string): Promise<number> {
    const row = await database.db
      .selectFrom('policy_versions')
      .select(sql<string>`count(*)`.as('n'))
      .where('policy_key', '=', key)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The effective date is stored as a date; compare it as 'YYYY-MM-DD' whatever the driver returns. */
  function isoOf(value: unknown): string {
    return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  }

  it('gmc changes DL-1 from 1 to 2 business days: the table shows it and a new version is stored', async () => {
    const page = await signedIn('gmc');
    const section = page.getByTestId('deadline-section');
    const dl1 = section.getByTestId('deadline-table').locator('[data-testid="deadline-row"][data-rule="DL-1"]');
    expect(await dl1.getByTestId('deadline-amount').innerText()).toBe('1');
    expect(await dl1.getByTestId('deadline-unit').innerText()).toBe('Días naturales');

    const form = section.getByTestId('deadline-edit');
    await form.getByLabel('Cantidad de días de DL-1', { exact: true }).fill('2');
    await form.getByLabel('Unidad de DL-1', { exact: true }).selectOption('business');
    await form.getByLabel('Motivo del cambio').fill('Acuerdo con las agencias: dos días hábiles para distribuir.');
    const today = systemClock.today();
    await form.getByLabel('Vigente desde', { exact: true }).fill(today);
    await form.getByRole('button', { name: 'Guardar nueva versión' }).click();

    await form.getByTestId('policy-saved').getByText(/Se registró la versión 2/).waitFor();
    await dl1.getByTestId('deadline-unit').getByText('Días hábiles').waitFor();
    expect(await dl1.getByTestId('deadline-amount').innerText()).toBe('2');
    expect(await section.getByTestId('deadline-current-version').innerText()).toContain('Versión 2');
    await section.getByTestId('deadline-history').getByText('DL-1: 1 día natural → 2 días hábiles').waitFor();

    const stored = await latestVersion('deadlines');
    const gmc = await database.db.selectFrom('users').select('id').where('username', '=', 'gmc').executeTakeFirstOrThrow();
    expect(stored.version).toBe(2);
    expect((stored.value as Record<string, unknown>)['DL-1']).toEqual({ amount: 2, unit: 'business', from: 'acceptance' });
    expect(stored.reason).toBe('Acuerdo con las agencias: dos días hábiles para distribuir.');
    expect(isoOf(stored.effective_from)).toBe(today);
    expect(stored.author_user_id).toBe(gmc.id);
  });

  it('an inconsistent case clock (DL-4 after DL-5) shows the server’s Spanish message and stores nothing', async () => {
    const page = await signedIn('gmc');
    const before = await versionCount('deadlines');
    const form = page.getByTestId('deadline-edit');
    await form.getByLabel('Cantidad de días de DL-4', { exact: true }).fill('40');
    await form.getByLabel('Motivo del cambio').fill('Prueba de un reloj del caso inconsistente.');
    await form.getByRole('button', { name: 'Guardar nueva versión' }).click();

    const error = form.getByTestId('policy-error');
    await error.waitFor();
    expect(await error.innerText()).toContain(
      'DL-5: el cierre automático debe ser posterior al día del registro de no agendada (DL-4).',
    );
    expect(await versionCount('deadlines')).toBe(before);
  });

  it('gmc approves "Google Meet" for remote sessions', async () => {
    // The demo data may already approve some tools; "Google Meet" is added after them.
    const before = await latestVersion('remote_session_tools');
    const page = await signedIn('gmc');
    const section = page.getByTestId('tools-section');
    const form = section.getByTestId('tools-edit');
    await form.getByLabel('Nueva herramienta', { exact: true }).fill('Google Meet');
    await form.getByRole('button', { name: 'Agregar', exact: true }).click();
    await form.getByTestId('tool-row').getByRole('button', { name: 'Quitar Google Meet' }).waitFor();
    await form.getByLabel('Motivo del cambio').fill('Lineamiento 3: la Gerencia aprueba Google Meet.');
    await form.getByRole('button', { name: 'Guardar nueva versión' }).click();

    await form.getByTestId('policy-saved').getByText(/Se registró la versión/).waitFor();
    await section.getByTestId('tools-list').getByText('Google Meet', { exact: true }).waitFor();
    const stored = await latestVersion('remote_session_tools');
    expect(stored.version).toBe(before.version + 1);
    expect(stored.value).toEqual({ tools: [...(before.value as { tools: string[] }).tools, 'Google Meet'] });
  });

  it('operations reads the page without any form', async () => {
    const page = await signedIn('operacion');
    await page.getByTestId('policy-read-only').waitFor();
    await page.getByTestId('deadline-table').waitFor();
    await page.getByTestId('holiday-statutory').waitFor();
    await page.getByTestId('tools-section').getByTestId('tools-current-version').waitFor();
    expect(await page.locator('[data-testid="deadline-edit"], [data-testid="holiday-edit"], [data-testid="tools-edit"]').count()).toBe(0);
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Guardar nueva versión' }).count()).toBe(0);
    expect(await page.getByTestId('deadline-history').getByTestId('policy-version-row').count()).toBeGreaterThan(0);
  });
});
