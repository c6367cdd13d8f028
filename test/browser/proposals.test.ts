/**
 * Mediation outside the monthly run in a real Chromium (SPEC §11, ENT-A): operations proposes
 * credits, the mediation office opens the proposal from its notice, has the criteria checked and
 * sees each credit's outcome — the excluded one with every rule ID and its wording, the tagged one
 * with its agency and convenio type —; a second review is refused (409) in Spanish; the form
 * checks credit numbers before sending; a borrower asks for mediation of his own credit only; the
 * detail fits a 360 px phone.
 *
 * Needs the built app (web/dist) and Chromium, as test/browser/login-roles.test.ts.
 */
import { sql } from 'kysely';
import { type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { EXCLUSION_WORDING, ruleBit, rulesOfMask } from '../../src/modules/assignment/assignment.rules.js';
import { ROLE_LABELS } from '../../src/modules/identity/identity.rules.js';
import type { ExclusionRuleId } from '../../src/modules/policy/policy.definitions.js';
import { DEMO_PASSWORD } from '../../src/modules/portfolio/demo-data.js';
import { buildTestServer, openSeededDatabase } from '../factories.js';
import { Contexts, launchChromium, PHONE, serve, SKIP_BROWSER } from './harness.js';


describe.skipIf(SKIP_BROWSER)('browser: proposals of credits for mediation outside the monthly run (web/dist + Chromium)', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const contexts = new Contexts();

  /** The month the review tags in: the server's (real) today, which also seeded the monthly run. */
  const month = systemClock.today().slice(0, 7);
  /** Excluded by the month's run for two rules or more, and not assigned this month. */
  let excluded: { creditNumber: string; rules: ExclusionRuleId[] };
  /** Excluded by the month's run for one rule whose cause lapsed since (cleared below), in a delegation an agency serves (given room below). */
  let eligible: string;
  /** acreditado1's credit. */
  let borrowerCredit: string;

  beforeAll(async () => {
    const launching = launchChromium();
    // Seeded on the real date, so that the seed's monthly run and the review share the month.
    database = await openSeededDatabase({ credits: 300, today: systemClock.today() });
    // The real clock: the session cookie's Expires is honoured against the browser's own time.
    app = await buildTestServer(database, systemClock);
    baseUrl = await serve(app);

    const notAssigned = sql<boolean>`NOT EXISTS (SELECT 1 FROM credit_assignments a WHERE a.month = ${month} AND a.credit_number = e.credit_number)`;
    const withExclusions = await sql<{ credit_number: string; exclusion_mask: number }>`
      SELECT e.credit_number, e.exclusion_mask
      FROM credit_evaluations e JOIN assignment_runs r ON r.id = e.run_id
      WHERE r.month = ${month} AND ${notAssigned}
        AND (e.exclusion_mask & (e.exclusion_mask - 1)) <> 0  -- two bits or more: two rules at least
      ORDER BY e.credit_number LIMIT 1`.execute(database.db);
    const excludedRow = withExclusions.rows[0];
    if (excludedRow === undefined) throw new Error(`no credit excluded by two rules in the run of ${month}`);
    excluded = { creditNumber: excludedRow.credit_number, rules: rulesOfMask(excludedRow.exclusion_mask) };

    // A credit the run excluded for one rule only, whose cause lapsed after the run (an extension
    // that ended, a restructure cancelled…): ENT-A is how it enters mediation this month.
    const lapsing = { 'EXC-3': 'active_restructure', 'EXC-4': 'outsourced', 'EXC-5': 'trust_pool', 'EXC-7': 'active_extension', 'EXC-10': 'accompaniment' } as const;
    const single = await sql<{ credit_number: string; exclusion_mask: number }>`
      SELECT e.credit_number, e.exclusion_mask
      FROM credit_evaluations e JOIN assignment_runs r ON r.id = e.run_id
      WHERE r.month = ${month} AND e.exclusion_mask = ANY(${Object.keys(lapsing).map((rule) => ruleBit(rule as keyof typeof lapsing))}::int[]) AND ${notAssigned}
        AND EXISTS (SELECT 1 FROM agency_delegations ad JOIN agencies ag ON ag.id = ad.agency_id AND ag.active
                    WHERE ad.delegation_id = e.delegation_id)
      ORDER BY e.credit_number LIMIT 1`.execute(database.db);
    const eligibleRow = single.rows[0];
    if (eligibleRow === undefined) throw new Error(`no credit excluded by one lapsing rule in the run of ${month}`);
    eligible = eligibleRow.credit_number;
    const lapsed = lapsing[rulesOfMask(eligibleRow.exclusion_mask)[0] as keyof typeof lapsing];
    await sql`UPDATE credits SET ${sql.ref(lapsed)} = false WHERE credit_number = ${eligible}`.execute(database.db);
    // A proposal respects capacity: the agencies serving its delegación get room for a few more
    // accounts this month.
    await sql`UPDATE agencies SET monthly_capacity = monthly_capacity + 5
              WHERE id IN (SELECT ad.agency_id FROM agency_delegations ad JOIN credits c ON c.delegation_id = ad.delegation_id
                           WHERE c.credit_number = ${eligible})`.execute(database.db);

    const borrower = await database.db.selectFrom('users').select('credit_number').where('username', '=', 'acreditado1').executeTakeFirstOrThrow();
    if (borrower.credit_number === null) throw new Error('acreditado1 has no credit');
    borrowerCredit = borrower.credit_number;

    browser = await launching;
  });

  afterAll(async () => {
    await contexts.closeAll();
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  async function signedIn(username: string, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await contexts.create(browser, baseUrl, options);
    const page = await context.newPage();
    await page.goto('/ingresar');
    await page.getByLabel('Usuario', { exact: true }).fill(username);
    await page.getByLabel('Contraseña', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByTestId('home-greeting').waitFor();
    return page;
  }

  async function proposalCount(): Promise<number> {
    const row = await database.db.selectFrom('mediation_proposals').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function horizontalOverflow(page: Page): Promise<number> {
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    return scrollWidth - 360;
  }

  function creditRow(page: Page, creditNumber: string) {
    return page.locator(`[data-testid="proposal-credit-row"][data-credit="${creditNumber}"]`);
  }

  it('ENT-A: operations proposes two credits; the office opens the notice, checks the criteria: one tagged (agency, convenio type), one excluded with every rule; a second review is refused in Spanish (409); the detail fits 360 px', async () => {
    const operations = await signedIn('operacion');
    await operations.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Propuestas' }).click();
    await operations.getByRole('heading', { level: 1, name: 'Propuestas de mediación' }).waitFor();
    const form = operations.getByTestId('proposal-form');
    await form.getByLabel('Números de crédito').fill(`${excluded.creditNumber},\n${eligible}`);
    await form.getByLabel('Motivo de la propuesta').fill('Acreditados que pidieron apoyo en la oficina de Operación');
    await form.getByRole('button', { name: 'Enviar propuesta' }).click();

    await operations.waitForURL(/\/propuestas\/\d+$/);
    const id = Number(new URL(operations.url()).pathname.split('/').pop());
    await operations.getByRole('heading', { level: 1, name: `Propuesta ${id}` }).waitFor();
    expect(await operations.getByTestId('proposal-created').innerText()).toContain(`Se registró su propuesta ${id}`);
    expect(await operations.getByTestId('field-proposal-status').locator('dd').innerText()).toBe('Pendiente de revisión');
    expect(await creditRow(operations, excluded.creditNumber).getByTestId('credit-outcome').innerText()).toBe('Pendiente');
    // Operations may review too: the button is there (the office reviews this one below).
    await operations.getByRole('button', { name: 'Revisar criterios y etiquetar' }).waitFor();

    // The mediation office reaches it from the notice on its home page.
    const office = await signedIn('gmc');
    const notice = office.getByTestId('notice').filter({ has: office.getByRole('heading', { name: `Solicitud de mediación ${id}`, exact: true }) });
    await notice.getByRole('link', { name: /Ver detalle/ }).click();
    await office.waitForURL(new RegExp(`/propuestas/${id}$`));
    expect(await office.getByTestId('field-proposal-requester').locator('dd').innerText()).not.toBe('');
    expect(await office.getByTestId('field-proposal-area').locator('dd').innerText()).toBe(ROLE_LABELS.operations);
    expect(await office.getByTestId('field-proposal-reason').locator('dd').innerText()).toBe('Acreditados que pidieron apoyo en la oficina de Operación');

    await office.getByRole('button', { name: 'Revisar criterios y etiquetar' }).click();
    const resolutionTitle = office.getByRole('heading', { level: 2, name: 'Resultado de la revisión' });
    await resolutionTitle.waitFor();
    // The answer takes the focus, for keyboard and screen-reader users.
    expect(await resolutionTitle.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    expect(await office.getByTestId('stat-tagged').locator('dd').innerText()).toBe('1');
    expect(await office.getByTestId('stat-excluded').locator('dd').innerText()).toBe('1');
    expect(await office.getByRole('button', { name: 'Revisar criterios y etiquetar' }).count()).toBe(0);

    const excludedRow = creditRow(office, excluded.creditNumber);
    expect(await excludedRow.getAttribute('data-outcome')).toBe('excluded');
    expect(await excludedRow.getByTestId('credit-outcome').innerText()).toBe('Excluido');
    const reasons = excludedRow.getByTestId('credit-reason');
    expect(await reasons.evaluateAll((items) => items.map((item) => item.getAttribute('data-rule')))).toEqual(excluded.rules);
    for (const rule of excluded.rules) {
      const reason = excludedRow.locator(`[data-testid="credit-reason"][data-rule="${rule}"]`);
      expect(await reason.getByTestId('rule-badge').innerText()).toBe(rule);
      expect(await reason.innerText()).toContain(EXCLUSION_WORDING[rule]);
    }

    const assignment = await database.db
      .selectFrom('credit_assignments as a')
      .innerJoin('agencies as ag', 'ag.id', 'a.agency_id')
      .select(['a.entry', 'ag.name'])
      .where('a.month', '=', month)
      .where('a.credit_number', '=', eligible)
      .executeTakeFirstOrThrow();
    expect(assignment.entry).toBe('request');
    const taggedRow = creditRow(office, eligible);
    expect(await taggedRow.getByTestId('credit-outcome').innerText()).toBe('Etiquetado');
    expect(await taggedRow.getByTestId('credit-agency').innerText()).toBe(assignment.name);
    expect(await taggedRow.getByTestId('credit-convenio-type').innerText()).toMatch(/^Convenio de Mediación (Ratificado|Notarial|Administrativo)$/);
    // ENT-B only: an ENT-A credit's legal stage is not frozen.
    expect(await taggedRow.getByTestId('credit-legal-stage-frozen').count()).toBe(0);

    // Operations' page still shows it pending: its review is refused (409) in Spanish, and the
    // page then shows the office's result.
    await operations.getByRole('button', { name: 'Revisar criterios y etiquetar' }).click();
    const refused = operations.getByTestId('proposal-resolve-error');
    await refused.waitFor();
    expect(await refused.getAttribute('role')).toBe('alert');
    expect(await refused.innerText()).toMatch(new RegExp(`La propuesta ${id} ya fue resuelta`));
    await operations.getByTestId('proposal-resolution').waitFor();
    expect(await creditRow(operations, eligible).getByTestId('credit-outcome').innerText()).toBe('Etiquetado');

    // A phone: the credits become stacked cards, nothing scrolls sideways.
    const phone = await signedIn('gmc', PHONE);
    await phone.goto(`/propuestas/${id}`);
    await creditRow(phone, excluded.creditNumber).getByTestId('credit-reasons').waitFor();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    const button = await phone.getByRole('link', { name: excluded.creditNumber }).boundingBox();
    expect(button).not.toBeNull();
    expect(button!.x + button!.width).toBeLessThanOrEqual(360);

    // The office's list: the proposal is among the resolved ones, not the pending ones.
    await phone.goto('/propuestas?estado=resueltas');
    await phone.locator(`[data-testid="proposal-row"][data-proposal="${id}"]`).waitFor();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    await phone.getByLabel('Estado', { exact: true }).selectOption('pendientes');
    await phone.waitForURL(/estado=pendientes/);
    await phone
      .getByText('No hay propuestas pendientes de revisión.', { exact: true })
      .or(phone.getByRole('table', { name: /^Propuestas pendientes de revisión/ }))
      .waitFor();
    expect(await phone.locator(`[data-testid="proposal-row"][data-proposal="${id}"]`).count()).toBe(0);
  });

  it('the form refuses numbers that are not 10 digits before sending (in Spanish, on the field), and shows the server\'s 400 for an unknown credit', async () => {
    const page = await signedIn('operacion');
    await page.goto('/propuestas');
    const form = page.getByTestId('proposal-form');
    const credits = form.getByLabel('Números de crédito');
    const before = await proposalCount();

    await credits.fill(`${eligible} 12345 15000-00001`);
    await form.getByLabel('Motivo de la propuesta').fill('Prueba de validación');
    await form.getByRole('button', { name: 'Enviar propuesta' }).click();
    const problem = form.getByTestId('proposal-credits-error');
    await problem.waitFor();
    expect(await problem.getAttribute('role')).toBe('alert');
    expect(await problem.innerText()).toBe(
      'Cada número de crédito tiene exactamente 10 dígitos, sin letras ni guiones. Esto no son números de crédito: «12345», «15000-00001».',
    );
    expect(await credits.getAttribute('aria-invalid')).toBe('true');
    expect(await credits.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    expect(await proposalCount()).toBe(before);

    await credits.fill('0000000001');
    await form.getByRole('button', { name: 'Enviar propuesta' }).click();
    const refused = form.getByTestId('proposal-form-error');
    await refused.waitFor();
    expect(await refused.getAttribute('role')).toBe('alert');
    expect(await refused.innerText()).toMatch(/Créditos inexistentes: 0000000001/);
    expect(await proposalCount()).toBe(before);
    expect(new URL(page.url()).pathname).toBe('/propuestas');
  });

  it('a borrower asks for mediation of his own credit: the form names it, he sees his request pending and no review button', async () => {
    const page = await signedIn('acreditado1');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Solicitar mediación' }).click();
    await page.getByRole('heading', { level: 1, name: 'Solicitar mediación' }).waitFor();
    const form = page.getByTestId('proposal-form');
    await form.getByRole('heading', { name: 'Solicitar mediación de mi crédito' }).waitFor();
    expect(await form.getByTestId('proposal-own-credit').locator('dd').innerText()).toBe(borrowerCredit);
    expect(await form.getByLabel('Números de crédito').count()).toBe(0);
    await page.getByTestId('proposal-list-empty').waitFor();

    await form.getByRole('button', { name: 'Solicitar mediación' }).click();
    expect(await form.getByTestId('proposal-reason-error').innerText()).toMatch(/Explique el motivo/);

    await form.getByLabel('¿Por qué solicita la mediación?').fill('Perdí mi empleo y quiero llegar a un acuerdo de pago.');
    await form.getByRole('button', { name: 'Solicitar mediación' }).click();
    await page.waitForURL(/\/propuestas\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    expect(await page.getByTestId('proposal-created').innerText()).toContain(`Se registró su solicitud ${id}`);
    await page.getByTestId('proposal-waiting').waitFor();
    expect(await page.getByRole('button', { name: 'Revisar criterios y etiquetar' }).count()).toBe(0);
    expect(await creditRow(page, borrowerCredit).getByTestId('credit-outcome').innerText()).toBe('Pendiente');

    const stored = await database.db
      .selectFrom('mediation_proposal_credits')
      .select('credit_number')
      .where('proposal_id', '=', id)
      .execute();
    expect(stored.map((row) => row.credit_number)).toEqual([borrowerCredit]);

    await page.getByRole('link', { name: 'Mis solicitudes' }).click();
    const row = page.locator(`[data-testid="proposal-row"][data-proposal="${id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('proposal-status').innerText()).toBe('Pendiente de revisión');
    expect(await page.getByTestId('proposal-row').count()).toBe(1);
  });
});
