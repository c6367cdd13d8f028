/**
 * The convenio-type criteria in a real Chromium (ASG-3 as policy, ASG-2 versions,
 * /politicas/tipo-convenio): the mediation office reaches them from the policies' tabs, is told
 * in Spanish what is wrong with a draft before anything is sent, reorders, removes and adds rules
 * and registers a version that the next run uses; operations reads the rules in words, without a
 * form, each version with its author; on a phone nothing scrolls sideways.
 *
 * Needs the built app (web/dist) and Chromium, as test/browser/login-roles.test.ts.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { getPolicyInForce } from '../../src/modules/policy/policy.service.js';
import { buildTestServer, openSeededDatabase } from '../factories.js';
import { Contexts, horizontalOverflow, launchChromium, PHONE, serve, SKIP_BROWSER } from './harness.js';

describe.skipIf(SKIP_BROWSER)('browser: convenio-type criteria (web/dist + Chromium)', () => {
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

  async function openCriteria(page: Page): Promise<void> {
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Políticas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Criterios de exclusión' }).waitFor();
    await page.getByRole('navigation', { name: 'Políticas de la asignación' }).getByRole('link', { name: 'Tipo de convenio' }).click();
    await page.getByRole('heading', { level: 1, name: 'Criterios del tipo de convenio' }).waitFor();
    // the main navigation still marks where the office is
    expect(await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Políticas' }).getAttribute('aria-current')).toBe('page');
  }

  it('the office: a draft with an unreadable amount or an unconditional rule first is refused in Spanish; reordered, trimmed and extended, it becomes version 2', async () => {
    const page = await contexts.signedIn(browser, baseUrl, 'gmc');
    await openCriteria(page);

    // The rules in force, in words, in order
    const current = page.getByTestId('policy-current');
    expect(await current.getByTestId('convenio-rule').allInnerTexts()).toEqual([
      'Convenio de Mediación Ratificado cuando el saldo es de al menos $200,000.00 y hay en la delegación un mediador certificado por un Centro de Justicia Alternativa, con certificación vigente.',
      'Convenio de Mediación Notarial cuando el saldo es de al menos $500,000.00 y hay en la delegación un notario público mediador.',
    ]);
    expect(await current.getByTestId('convenio-fallback').innerText()).toBe('Si ninguna regla se cumple: Convenio de Mediación Administrativo.');

    const form = page.getByTestId('policy-edit');
    const cards = form.getByTestId('rule-card');
    expect(await cards.count()).toBe(2);

    // An amount that is not pesos: said before anything is sent
    await cards.nth(0).getByLabel('Saldo mínimo (pesos)').fill('doscientos mil');
    await form.getByLabel(/Motivo del cambio/).fill('Piloto de convenios notariales para Recuperación Especializada en la CDMX');
    await form.getByRole('button', { name: 'Guardar nueva versión' }).click();
    const error = form.getByTestId('policy-error');
    await error.waitFor();
    expect(await error.innerText()).toBe('Regla 1: el saldo mínimo debe ser una cantidad en pesos, por ejemplo 200,000.00.');
    await cards.nth(0).getByLabel('Saldo mínimo (pesos)').fill('150,000');

    // Remove the notarial rule; add one for a segment in one delegación and move it first
    await form.getByRole('button', { name: 'Quitar la regla 2' }).click();
    expect(await cards.count()).toBe(1);
    await form.getByRole('button', { name: 'Agregar regla' }).click();
    expect(await cards.count()).toBe(2);
    const added = cards.nth(1);
    expect(await added.getByLabel('Tipo de convenio').inputValue()).toBe('NOTARIAL');

    // Unconditional and not last: every rule after it would be dead
    await form.getByRole('button', { name: 'Subir la regla 2' }).click();
    await form.getByRole('button', { name: 'Guardar nueva versión' }).click();
    await error.waitFor();
    expect(await error.innerText()).toMatch(/^Regla 1: no tiene condiciones/);

    const first = cards.nth(0);
    await first.getByRole('checkbox', { name: 'Recuperación Especializada' }).check();
    await first.locator('summary', { hasText: 'Delegaciones' }).click();
    await first.getByRole('checkbox', { name: 'Ciudad de México' }).check();
    expect(await first.locator('summary').innerText()).toBe('Delegaciones: 1 elegida');
    await form.getByRole('button', { name: 'Guardar nueva versión' }).click();
    await form.getByTestId('policy-saved').getByText(/Se registró la versión 2/).waitFor();

    const inForce = await getPolicyInForce(database.db, 'convenio_type_criteria', systemClock.today());
    expect(inForce.version).toBe(2);
    expect(inForce.value).toEqual({
      rules: [
        { type: 'NOTARIAL', delegationIds: [9], segments: ['recuperacion_especializada'] },
        { type: 'RATIFIED', minBalanceCents: 15_000_000, requiresMediatorKind: 'cja_certified' },
      ],
      fallback: 'ADMINISTRATIVE',
    });

    // The page now shows version 2 in force, and the history says what changed
    await current.getByTestId('policy-current-version').getByText(/^Versión 2,/).waitFor();
    expect(await current.getByTestId('convenio-rule').first().innerText()).toBe(
      'Convenio de Mediación Notarial cuando la delegación es Ciudad de México y el segmento es Recuperación Especializada.',
    );
    const latestRow = page.getByTestId('policy-version-row').first();
    const office = await database.db.selectFrom('users').select('full_name').where('username', '=', 'gmc').executeTakeFirstOrThrow();
    expect(await latestRow.getByTestId('policy-version-author').innerText()).toBe(`${office.full_name} (usted)`);
    expect(await page.getByTestId('policy-version-row').last().getByTestId('policy-version-author').innerText()).toBe('Sistema (valor inicial)');

    expect(await latestRow.getByTestId('policy-version-changes').innerText()).toBe(
      'Regla 1: Convenio de Mediación Notarial cuando la delegación es Ciudad de México y el segmento es Recuperación Especializada.; ' +
        'Regla 2: Convenio de Mediación Ratificado cuando el saldo es de al menos $150,000.00 y hay en la delegación un mediador certificado por un Centro de Justicia Alternativa, con certificación vigente.',
    );

    // A version for next year is announced and marked, and the one in force stays
    const nextYear = Number(systemClock.today().slice(0, 4)) + 1;
    await form.getByLabel('Vigente desde').fill(`${nextYear}-01-01`);
    await form.getByLabel(/Motivo del cambio/).fill('Se confirma el piloto para el año siguiente');
    await form.getByRole('button', { name: 'Guardar nueva versión' }).click();
    await form.getByTestId('policy-saved').getByText(/Se registró la versión 3/).waitFor();
    await current.getByTestId('policy-scheduled').getByText(`La versión 3 entrará en vigor el 1 de enero de ${nextYear}.`).waitFor();
    expect(await current.getByTestId('policy-current-version').innerText()).toMatch(/^Versión 2,/);
    const scheduledRow = page.getByTestId('policy-version-row').first();
    expect(await scheduledRow.innerText()).toContain('Programada');
    expect(await scheduledRow.getByTestId('policy-version-changes').innerText()).toBe('Sin cambios en los criterios.');
  });

  it('operations reads the rules in words, without a form; on a phone nothing scrolls sideways', async () => {
    const page = await contexts.signedIn(browser, baseUrl, 'operacion');
    await page.goto('/politicas/tipo-convenio');
    await page.getByRole('heading', { level: 1, name: 'Criterios del tipo de convenio' }).waitFor();
    await page.getByTestId('policy-read-only').waitFor();
    expect(await page.getByTestId('convenio-rule').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('policy-edit').count()).toBe(0);
    // the version the office registered above, signed with its author's name (ASG-2)
    const office = await database.db.selectFrom('users').select('full_name').where('username', '=', 'gmc').executeTakeFirstOrThrow();
    expect(await page.getByTestId('policy-version-row').first().getByTestId('policy-version-author').innerText()).toBe(office.full_name);

    const phone = await contexts.signedIn(browser, baseUrl, 'gmc', PHONE);
    await phone.goto('/politicas/tipo-convenio');
    await phone.getByTestId('policy-edit').getByTestId('rule-card').first().waitFor();
    await phone.getByTestId('rule-card').first().locator('summary').click();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
  });
});
