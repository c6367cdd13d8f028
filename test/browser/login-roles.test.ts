/**
 * The browser app against a real HTTP server, in a real Chromium: signing in, what each role sees
 * of the portfolio (SEC-2: scope, and a credit outside it does not exist), a phone-sized screen,
 * and signing out.
 *
 * Needs the built app (web/dist, `npm run build:web`; `npm test` builds it first) and Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium). Without web/dist the file is skipped locally and
 * fails in CI.
 */
import { sql } from 'kysely';
import { type Browser, type BrowserContextOptions, type Page, type Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { ROLE_LABELS } from '../../src/modules/identity/identity.rules.js';
import { SESSION_COOKIE } from '../../src/http/auth.js';
import { DEMO_PASSWORD } from '../../src/modules/portfolio/demo-data.js';
import { buildTestServer, openSeededDatabase } from '../factories.js';
import { Contexts, launchChromium, PHONE, serve, SKIP_BROWSER, horizontalOverflow } from './harness.js';

/** The regional manager of the test: gerente.<code> (demoUsers). */
const REGIONAL_CODE = 'JAL';
/** Common surnames; the first that fits the test's needs is used. */
const SURNAME_CANDIDATES = ['Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez'];


describe.skipIf(SKIP_BROWSER)('browser: sign-in and what each role sees (web/dist + Chromium)', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const contexts = new Contexts();

  let regional: { id: number; name: string; username: string };
  /** A surname found inside the regional delegation and outside it. */
  let surname: string;
  let nationalMatches: number;
  let regionalMatches: number;
  let outsideCreditNumber: string;

  async function countMatches(pattern: string, delegation?: { id: number; inside: boolean }): Promise<number> {
    let query = database.db
      .selectFrom('credits')
      .select(sql<string>`count(*)`.as('n'))
      .where(sql<boolean>`lower(borrower_name) LIKE ${`%${pattern.toLowerCase()}%`}`);
    if (delegation) query = query.where('delegation_id', delegation.inside ? '=' : '!=', delegation.id);
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  beforeAll(async () => {
    const launching = launchChromium();
    database = await openSeededDatabase({ credits: 300 });
    // The real clock: the session cookie carries an absolute Expires, which a browser honours
    // against its own (real) time; a fixed test date would expire it once that date is past.
    app = await buildTestServer(database, systemClock);
    baseUrl = await serve(app);

    const delegation = await database.db
      .selectFrom('delegations')
      .select(['id', 'name', 'code'])
      .where('code', '=', REGIONAL_CODE)
      .executeTakeFirstOrThrow();
    regional = { id: delegation.id, name: delegation.name, username: `gerente.${delegation.code.toLowerCase()}` };

    let chosen: string | undefined;
    for (const candidate of SURNAME_CANDIDATES) {
      const inside = await countMatches(candidate, { id: regional.id, inside: true });
      const outside = await countMatches(candidate, { id: regional.id, inside: false });
      if (inside > 0 && outside > 0) {
        chosen = candidate;
        regionalMatches = inside;
        nationalMatches = inside + outside;
        break;
      }
    }
    if (chosen === undefined) throw new Error(`no surname of ${SURNAME_CANDIDATES.join(', ')} is both in ${REGIONAL_CODE} and elsewhere`);
    surname = chosen;

    const outside = await database.db
      .selectFrom('credits')
      .select('credit_number')
      .where('delegation_id', '!=', regional.id)
      .orderBy('credit_number')
      .limit(1)
      .executeTakeFirstOrThrow();
    outsideCreditNumber = outside.credit_number;

    browser = await launching;
  });

  afterAll(async () => {
    await contexts.closeAll();
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await contexts.create(browser, baseUrl, options);
    return context.newPage();
  }

  async function textOf(locator: Locator): Promise<string> {
    await locator.waitFor({ state: 'visible' });
    return (await locator.innerText()).replace(/\s+/g, ' ').trim();
  }

  async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
    await page.getByLabel('Usuario', { exact: true }).fill(username);
    await page.getByLabel('Contraseña', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Ingresar' }).click();
  }

  async function signInFromLogin(page: Page, username: string): Promise<void> {
    await page.goto('/ingresar');
    await signIn(page, username);
    await page.getByTestId('home-greeting').waitFor();
  }

  /**
   * Submits a search and waits until the table shows its answer (not the previous page's rows).
   * `whileLoading` runs while the server's answer is held back.
   */
  async function search(page: Page, text: string, whileLoading?: () => Promise<void>): Promise<void> {
    const box = page.getByLabel('Número de crédito o nombre del acreditado');
    await box.fill(text);
    const isThisSearch = (url: URL) => url.pathname === '/api/credits' && url.searchParams.get('q') === text;
    let release = () => {};
    if (whileLoading) {
      const gate = new Promise<void>((resolve) => (release = resolve));
      await page.route(isThisSearch, async (route) => {
        await gate;
        await route.continue();
      });
    }
    const answered = page.waitForResponse((response) => isThisSearch(new URL(response.url())));
    await page.getByRole('button', { name: 'Buscar' }).click();
    if (whileLoading) {
      try {
        await whileLoading();
      } finally {
        release();
        await page.unrouteAll({ behavior: 'wait' });
      }
    }
    expect((await answered).status()).toBe(200);
    await page.locator('.results-area[aria-busy="false"]').waitFor({ state: 'attached' });
    await page.getByRole('table', { name: 'Créditos encontrados' }).waitFor();
  }

  async function delegationColumn(page: Page): Promise<string[]> {
    const cells = page.getByTestId('credit-row').locator('td[data-label="Delegación"]');
    return (await cells.allInnerTexts()).map((text) => text.trim());
  }

  it('without a session /creditos goes to /ingresar; a wrong password shows the Spanish error in role=alert, the right one returns to /creditos', async () => {
    const page = await newPage();
    await page.goto('/creditos');
    await page.waitForURL((url) => url.pathname === '/ingresar');
    await page.getByRole('heading', { name: 'Ingresar' }).waitFor();

    await signIn(page, 'operacion', 'no-es-la-contraseña');
    expect(await textOf(page.getByRole('alert'))).toBe('Usuario o contraseña incorrectos.');
    expect(page.url()).toBe(`${baseUrl}/ingresar`);
    expect(await page.getByLabel('Contraseña', { exact: true }).inputValue()).toBe('');

    await signIn(page, 'operacion');
    await page.waitForURL((url) => url.pathname === '/creditos');
    await page.getByRole('heading', { name: 'Cartera de créditos' }).waitFor();
  });

  it('mediation office (gmc, national scope): home shows role and "Alcance: nacional"; a surname search ("Cargando créditos…" while it loads) returns credits of several delegations; the detail shows Acreditado, Crédito and Hechos para exclusión', async () => {
    const page = await newPage();
    await signInFromLogin(page, 'gmc');
    expect(await textOf(page.getByTestId('user-role'))).toBe(`Rol: ${ROLE_LABELS.mediation_office}`);
    expect(await textOf(page.getByTestId('user-scope'))).toBe('Alcance: nacional');

    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Cartera' }).click();
    await page.getByRole('heading', { name: 'Cartera de créditos' }).waitFor();
    const rows = page.getByTestId('credit-row');
    await search(page, surname, async () => {
      // The previous rows stay while the new search loads; the live summary must not call them
      // the answer to «surname».
      await page.getByTestId('results-summary').filter({ hasText: 'Cargando créditos…' }).waitFor();
      expect(await rows.count()).toBe(25);
    });
    expect(await rows.count()).toBe(Math.min(nationalMatches, 25));
    expect(await textOf(page.getByTestId('results-summary'))).toMatch(new RegExp(`^${nationalMatches} créditos? para «${surname}»`));
    for (const name of (await rows.locator('td[data-label="Acreditado"]').allInnerTexts()).map((text) => text.trim())) {
      expect(name.toLowerCase()).toContain(surname.toLowerCase());
    }
    expect(new Set(await delegationColumn(page)).size).toBeGreaterThan(1);

    const first = rows.first().getByRole('link');
    const creditNumber = (await first.innerText()).trim();
    await first.click();
    await page.getByRole('heading', { level: 1, name: `Crédito ${creditNumber}` }).waitFor();
    for (const section of ['Acreditado', 'Crédito', 'Hechos para exclusión']) {
      await page.getByRole('region', { name: section, exact: true }).waitFor();
    }
    const borrowerName = await textOf(page.getByTestId('credit-borrower-name'));
    expect(borrowerName.toLowerCase()).toContain(surname.toLowerCase());
  });

  it('SEC-2: a regional manager sees only their delegation, and a credit of another delegation is "Crédito no encontrado" (404, same answer as a number that does not exist)', async () => {
    const page = await newPage();
    await signInFromLogin(page, regional.username);
    expect(await textOf(page.getByTestId('user-role'))).toBe(`Rol: ${ROLE_LABELS.regional_manager}`);
    expect(await textOf(page.getByTestId('user-scope'))).toBe(`Alcance: ${regional.name}`);

    await page.getByTestId('quick-link-portfolio').click();
    await page.getByRole('table', { name: 'Créditos encontrados' }).waitFor();
    const everything = await delegationColumn(page);
    expect(everything.length).toBeGreaterThan(0);
    expect(new Set(everything)).toEqual(new Set([regional.name]));

    await search(page, surname);
    expect(await page.getByTestId('credit-row').count()).toBe(Math.min(regionalMatches, 25));
    expect(new Set(await delegationColumn(page))).toEqual(new Set([regional.name]));

    const refused = page.waitForResponse((response) => response.url().endsWith(`/api/credits/${outsideCreditNumber}`));
    await page.goto(`/creditos/${outsideCreditNumber}`);
    const answer = await refused;
    expect(answer.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Crédito no encontrado' }).waitFor();
    expect(await page.getByTestId('credit-not-found').isVisible()).toBe(true);
    expect(await page.getByText(outsideCreditNumber).count()).toBe(0);

    // Existence does not leak: out of scope and non-existent answer alike.
    const missing = '0000000001';
    expect(await database.db.selectFrom('credits').select('credit_number').where('credit_number', '=', missing).executeTakeFirst()).toBeUndefined();
    const [outsideBody, missingBody] = await Promise.all(
      [outsideCreditNumber, missing].map((number) =>
        page.evaluate(async (url) => {
          const response = await fetch(url);
          return { status: response.status, body: await response.text() };
        }, `/api/credits/${number}`),
      ),
    );
    expect(outsideBody).toEqual(missingBody);
  });

  it('on a 360×740 phone the login, home, search results and detail fit the width (no horizontal scroll)', async () => {
    const page = await newPage(PHONE);
    await page.goto('/ingresar');
    await page.getByRole('button', { name: 'Ingresar' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await signIn(page, 'gmc');
    await page.getByTestId('home-greeting').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.goto('/creditos');
    await page.getByRole('table', { name: 'Créditos encontrados' }).waitFor();
    await search(page, surname);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const button = await page.getByRole('button', { name: 'Buscar' }).boundingBox();
    expect(button).not.toBeNull();
    expect(button!.x + button!.width).toBeLessThanOrEqual(360);
    expect(button!.height).toBeGreaterThanOrEqual(44);
    const row = await page.getByTestId('credit-row').first().boundingBox();
    expect(row!.x + row!.width).toBeLessThanOrEqual(360);

    await page.getByTestId('credit-row').first().getByRole('link').click();
    await page.getByRole('region', { name: 'Hechos para exclusión', exact: true }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('signing out returns to /ingresar and the old session is dead on the server (the API answers 401)', async () => {
    const page = await newPage();
    await signInFromLogin(page, 'gmc');
    const cookie = (await page.context().cookies(baseUrl)).find((entry) => entry.name === SESSION_COOKIE);
    expect(cookie?.httpOnly).toBe(true);
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(200);

    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.waitForURL((url) => url.pathname === '/ingresar');
    await page.getByRole('button', { name: 'Ingresar' }).waitFor();

    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    expect(await page.evaluate(async () => (await fetch('/api/credits?q=&limit=1&offset=0')).status)).toBe(401);
    // Not only the cookie is gone: the session token itself no longer opens anything.
    const replay = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${cookie!.value}` } });
    expect(replay.statusCode).toBe(401);

    await page.goto('/creditos');
    await page.waitForURL((url) => url.pathname === '/ingresar');
  });
});
