/**
 * The mediation case in a real Chromium (SPEC §4 acts. 2–21, §5, SEC-1): a field agent of AS01, on
 * a 360 × 740 phone, opens a visit, offers the solutions and mediation, shows the privacy notice
 * before the contact fields unlock and records the acceptance ("En Mediación", day 0); the agency
 * designates a representative with legal powers and distributes to mediador.as01.1; the mediator,
 * on a phone, schedules an in-person session for today and sends the summons — once, although the
 * first answer is lost on the network (the retry reuses the Idempotency-Key); the DR manager hands
 * the draft convenios over while the mediator's page is open, so the mediator's next write gets
 * 409 STALE_VERSION and the reload button; then the session with the checklist, the signature and
 * the survey invitation. Everything happens on the server's real today (a session scheduled for
 * today may be held today: `held_on_valid`).
 *
 * Needs the built app (web/dist) and Chromium, as test/browser/login-roles.test.ts.
 */
import { sql } from 'kysely';
import { type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { CHECKLIST_ITEMS, CHECKLIST_LABELS, type ChecklistItem } from '../../src/modules/mediation/mediation.rules.js';
import { SOLUTION_NAMES } from '../../src/modules/solutions/solutions.rules.js';
import { eligibleSolutionIds } from '../../src/modules/convenios/convenios.service.js';
import { buildTestServer, openSeededDatabase } from '../factories.js';
import { Contexts, launchChromium, PHONE, serve, SKIP_BROWSER, horizontalOverflow } from './harness.js';

describe.skipIf(SKIP_BROWSER)('browser: the mediation journey from the visit to the signature (web/dist + Chromium)', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const contexts = new Contexts();
  const today = systemClock.today();

  /** A credit of AS01's latest month without a case, of a type a CJA mediator handles. */
  let credit: { creditNumber: string; convenioType: string; delegationCode: string };
  /** The field agent of AS01 the account is assigned to. */
  let fieldAgent: string;
  let mediator: { id: number; fullName: string };
  let representative: { id: number; fullName: string };
  let caseId: number;
  let mediatorPage: Page;

  beforeAll(async () => {
    const launching = launchChromium();
    // Seeded on the real date: the month's assignment is today's, and so is day 0.
    database = await openSeededDatabase({ credits: 300, today });
    // The real clock: the session cookie's Expires is honoured against the browser's own time.
    app = await buildTestServer(database, systemClock);
    baseUrl = await serve(app);

    const agency = await database.db.selectFrom('users').select('agency_id').where('username', '=', 'agencia.as01').executeTakeFirstOrThrow();
    if (agency.agency_id === null) throw new Error('agencia.as01 has no agency');
    const agencyId = agency.agency_id;
    // The demo seed opens cases for some of asesor.as01.1's accounts: the field agent is the one
    // of AS01 who has an account without any case (asesor.as01.1 first).
    const row = await sql<{ credit_number: string; convenio_type: string; code: string; username: string }>`
      SELECT a.credit_number, a.convenio_type, d.code, u.username
      FROM credit_assignments a
      JOIN delegations d ON d.id = a.delegation_id
      JOIN users u ON u.id = a.field_agent_user_id AND u.role = 'field_agent'
      WHERE a.agency_id = ${agencyId}
        AND a.month = (SELECT max(month) FROM credit_assignments WHERE agency_id = ${agencyId})
        AND a.convenio_type IN ('RATIFIED', 'ADMINISTRATIVE')
        AND NOT EXISTS (SELECT 1 FROM mediation_cases c WHERE c.credit_number = a.credit_number)
      ORDER BY (u.username = 'asesor.as01.1') DESC, (a.convenio_type = 'RATIFIED') DESC, a.credit_number
      LIMIT 60`.execute(database.db);
    // act. 2: the visit offers what the catalogue makes available today; the journey signs a restructure (SOL-2)
    let found: (typeof row.rows)[number] | undefined;
    for (const candidate of row.rows) {
      if ((await eligibleSolutionIds(database.db, candidate.credit_number, today)).includes('SOL-2')) {
        found = candidate;
        break;
      }
    }
    if (found === undefined) throw new Error('no account of AS01 without a case');
    credit = { creditNumber: found.credit_number, convenioType: found.convenio_type, delegationCode: found.code };
    fieldAgent = found.username;

    const cja = await database.db
      .selectFrom('users as u')
      .innerJoin('mediators as m', 'm.id', 'u.mediator_id')
      .select(['m.id', 'm.full_name', 'm.kind'])
      .where('u.username', '=', 'mediador.as01.1')
      .executeTakeFirstOrThrow();
    expect(cja.kind).toBe('cja_certified');
    mediator = { id: cja.id, fullName: cja.full_name };
    const withPowers = await database.db
      .selectFrom('representatives')
      .select(['id', 'full_name'])
      .where('agency_id', '=', agencyId)
      .where('has_legal_powers', '=', true)
      .where('active', '=', true)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    representative = { id: withPowers.id, fullName: withPowers.full_name };

    browser = await launching;
  });

  afterAll(async () => {
    await contexts.closeAll();
    await browser?.close();
    await app?.close();
    await database?.close();
  });

  function signedIn(username: string, options: BrowserContextOptions = {}): Promise<Page> {
    return contexts.signedIn(browser, baseUrl, username, options);
  }

  /** The Idempotency-Key of every case write the page sends. */
  function recordKeys(page: Page): string[] {
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname.startsWith('/api/cases')) keys.push(request.headers()['idempotency-key'] ?? '');
    });
    return keys;
  }

  function panel(page: Page, id: string): Locator {
    return page.locator(`[data-testid="case-action"][data-action="${id}"]`);
  }

  async function waitForState(page: Page, state: string): Promise<void> {
    await page.locator(`[data-testid="case-header-state"][data-state="${state}"]`).waitFor();
  }

  async function caseEvents(): Promise<string[]> {
    const rows = await database.db.selectFrom('case_events').select('action').where('case_id', '=', caseId).orderBy('version').execute();
    return rows.map((row) => row.action);
  }

  async function checkChecklist(form: Locator, items: readonly ChecklistItem[]): Promise<void> {
    for (const item of items) await form.getByLabel(`${item} ${CHECKLIST_LABELS[item]}`).check();
  }

  it('field agent on a phone: Visitas → "Registrar visita" → solutions offered, mediation offered; the contact fields unlock only after the privacy notice (SEC-1); the acceptance is "En Mediación", day 0', async () => {
    const page = await signedIn(fieldAgent, PHONE);
    const keys = recordKeys(page);
    await page.getByTestId('quick-link-visits').waitFor();
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Visitas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Visitas' }).waitFor();
    await page.getByLabel('Número de crédito o nombre del acreditado').fill(credit.creditNumber);
    await page.getByLabel('Sólo pendientes').check();
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === credit.creditNumber && url.searchParams.get('pendientes') === 'si');
    const row = page.locator(`[data-testid="visit-row"][data-credit="${credit.creditNumber}"]`);
    expect(await row.locator('td[data-label="Caso"]').innerText()).toBe('Sin visita');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await row.getByRole('button', { name: `Registrar visita del crédito ${credit.creditNumber}` }).click();

    await page.waitForURL(/\/casos\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split('/').pop());
    await waitForState(page, 'tagged');
    expect(await page.getByTestId('case-credit-number').innerText()).toBe(credit.creditNumber);
    expect(await page.getByTestId('case-round').innerText()).toBe('Mediación');

    // Act. 2: the visit form is open; the solutions carry their names (SPEC §8).
    const visit = panel(page, 'visit');
    expect(await visit.getByRole('button', { name: 'Registrar visita (act. 2–3)' }).getAttribute('aria-expanded')).toBe('true');
    await visit.getByLabel(`SOL-2 ${SOLUTION_NAMES['SOL-2']}`).check();
    await visit.getByLabel('No aceptó ninguna').check();
    await visit.getByTestId('mediation-explanation').waitFor();
    await visit.getByRole('button', { name: 'Registrar visita y ofrecer la mediación', exact: true }).click();
    await waitForState(page, 'offered');

    // Act. 3–4: the answer form; SEC-1 — no contact data before the privacy notice.
    const answer = panel(page, 'answer');
    await answer.getByLabel('Sí, acepta la mediación').check();
    const mobile = answer.getByLabel('Teléfono celular');
    expect(await mobile.isDisabled()).toBe(true);
    expect(await answer.getByLabel('Correo electrónico').isDisabled()).toBe(true);
    const submit = answer.getByRole('button', { name: 'Registrar la aceptación («En Mediación», día 0)', exact: true });
    await submit.click();
    const privacy = answer.getByLabel('Se mostró el aviso de privacidad');
    await answer.getByText('Marque que mostró el aviso de privacidad antes de registrar la aceptación (SEC-1).').waitFor();
    expect(await privacy.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await privacy.check();
    expect(await mobile.isEnabled()).toBe(true);
    await mobile.fill('55 1234 567');
    await submit.click();
    await answer.getByText('El teléfono celular debe tener 10 dígitos.').waitFor();
    await mobile.fill('55 1234 5678');
    await submit.click();

    await waitForState(page, 'accepted');
    expect(await page.getByTestId('case-header-day').innerText()).toBe('Día 0 desde la aceptación');
    const written = page.getByTestId('case-written');
    expect(await written.innerText()).toContain('día 0');
    expect(await written.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByTestId('field-contact-mobile').locator('dd').innerText()).toBe('5512345678');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const stored = await database.db
      .selectFrom('mediation_cases')
      .select(['state', 'accepted_on', 'privacy_notice_shown_on', 'contact_mobile', 'dl1_due_on'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ state: 'accepted', accepted_on: today, privacy_notice_shown_on: today, contact_mobile: '5512345678' });
    expect(await caseEvents()).toEqual(['open_case', 'offer_mediation', 'record_acceptance']);
    // One fresh Idempotency-Key per submission (open, offer, acceptance).
    expect(keys).toHaveLength(3);
    expect(keys.every((key) => /^[A-Za-z0-9-]{8,}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(3);
  });

  it('agency: "Por distribuir" shows the DL-1 date; designates a representative with legal powers and distributes to mediador.as01.1 (app licence); the credit page links to the case', async () => {
    const page = await signedIn('agencia.as01');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Casos', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Casos de mediación' }).waitFor();
    expect(await page.getByTestId('queue-por-distribuir').getAttribute('aria-current')).toBe('page');
    const row = page.locator(`[data-testid="case-row"][data-case="${caseId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('case-distribute-by').innerText()).not.toBe('—');
    await row.getByRole('link', { name: `Caso del crédito ${credit.creditNumber}` }).click();
    await waitForState(page, 'accepted');
    await page.locator('[data-testid="due-date"][data-rule="DL-1"][data-status="pending"]').waitFor();

    // Act. 7: the representative first (the suggested panel while none is designated).
    const designate = panel(page, 'designate_representative');
    const select = designate.getByLabel('Representante del Infonavit');
    await select.waitFor();
    if (credit.convenioType !== 'ADMINISTRATIVE') {
      expect(await designate.innerText()).toContain('debe tener poderes de representación legal');
      // Representatives without legal powers cannot be chosen for this convenio.
      const usable = await select.locator('option:not([value=""])').evaluateAll((options) =>
        options.map((option) => ({ text: option.textContent ?? '', disabled: option.hasAttribute('disabled') })),
      );
      for (const option of usable) if (option.text.includes('sin poderes legales')) expect(option.disabled).toBe(true);
    }
    await select.selectOption(String(representative.id));
    await designate.getByRole('button', { name: 'Designar al representante', exact: true }).click();
    await page.getByTestId('field-case-representative').getByText(representative.fullName).waitFor();

    // Act. 5: a mediator without app licence cannot be chosen.
    const distribute = panel(page, 'distribute');
    expect(await distribute.getByRole('button', { name: 'Aprobar y distribuir al mediador (act. 5)' }).getAttribute('aria-expanded')).toBe('true');
    const mediators = distribute.getByLabel('Mediador (obligatorio)', { exact: true });
    await mediators.waitFor();
    const options = await mediators.locator('option:not([value=""])').evaluateAll((items) =>
      items.map((option) => ({ text: option.textContent ?? '', disabled: option.hasAttribute('disabled') })),
    );
    for (const option of options) if (option.text.includes('sin licencia')) expect(option.disabled).toBe(true);
    await mediators.selectOption(String(mediator.id));
    await distribute.getByTestId('selected-mediator').getByText('Certificado por un Centro de Justicia Alternativa').waitFor();
    await distribute.getByRole('button', { name: 'Aprobar y distribuir', exact: true }).click();
    await waitForState(page, 'distributed');
    expect(await page.getByTestId('case-written').innerText()).toBe(`Se distribuyó el caso a ${mediator.fullName}.`);
    expect(await caseEvents()).toEqual(['open_case', 'offer_mediation', 'record_acceptance', 'designate_representative', 'distribute']);

    await page.goto(`/creditos/${credit.creditNumber}`);
    const cases = page.getByTestId('section-credit-cases');
    await cases.locator(`[data-testid="credit-case"][data-case="${caseId}"]`).getByRole('link').click();
    await page.waitForURL(new RegExp(`/casos/${caseId}$`));
  });

  it('mediator on a phone: "Nuevos" → schedules an in-person session for today and sends the summons once although the first answer is lost (same Idempotency-Key); asks the DR for the drafts', async () => {
    mediatorPage = await signedIn('mediador.as01.1', PHONE);
    const page = mediatorPage;
    const keys = recordKeys(page);
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Mis casos' }).click();
    expect(await page.getByTestId('queue-nuevos').getAttribute('aria-current')).toBe('page');
    await page.locator(`[data-testid="case-row"][data-case="${caseId}"]`).getByRole('link').click();
    await waitForState(page, 'distributed');

    const schedule = panel(page, 'schedule_session');
    await schedule.getByLabel('Fecha de la sesión').fill(today);
    await schedule.getByLabel('Hora').fill('10:30');
    await schedule.getByLabel('Presencial').check();
    await schedule.getByLabel('Lugar de la sesión').fill('Oficinas de la agencia, Av. Reforma 100');
    await schedule.getByRole('button', { name: 'Agendar la sesión', exact: true }).click();
    await waitForState(page, 'scheduled');
    expect(await page.getByTestId('field-case-session').locator('dd').innerText()).toContain('10:30, presencial: Oficinas de la agencia');
    await page.locator('[data-testid="due-date"][data-rule="DL-6"]').waitFor();

    // A refusal of the server is shown in Spanish in role="alert": no e-mail was captured (SEC-1).
    const summons = panel(page, 'send_summons');
    await summons.getByLabel('Correo electrónico').check();
    await summons.getByRole('button', { name: 'Enviar la convocatoria', exact: true }).click();
    const refused = summons.getByTestId('case-action-error');
    await refused.getByText(/No hay correo electrónico del acreditado/).waitFor();
    expect(await refused.getAttribute('role')).toBe('alert');

    // The first answer of the summons is lost after the server applied it; the retry reuses the key.
    let dropped = false;
    await page.route('**/api/cases/*/actions/send_summons', async (route) => {
      if (dropped) return route.continue();
      dropped = true;
      await route.fetch();
      await route.abort('failed');
    });
    await summons.getByLabel('SMS', { exact: true }).check();
    await summons.getByRole('button', { name: 'Enviar la convocatoria', exact: true }).click();
    const failure = summons.getByTestId('case-action-error');
    await failure.waitFor();
    expect(await failure.getAttribute('role')).toBe('alert');
    expect(await failure.innerText()).toContain('No fue posible conectar con el servidor');
    const replayed = page.waitForResponse((response) => response.url().endsWith('/actions/send_summons'));
    await summons.getByRole('button', { name: 'Enviar la convocatoria', exact: true }).click();
    expect((await replayed).headers()['idempotent-replayed']).toBe('true');
    await page.unrouteAll({ behavior: 'wait' });
    await page.getByTestId('case-written').getByText('Se registró el envío de la convocatoria').waitFor();
    const summonsKeys = keys.slice(-2);
    expect(summonsKeys[0]).toBe(summonsKeys[1]);
    // The evidence: one SMS to the borrower and one to the representative, masked (act. 11, DL-6).
    const messages = page.getByTestId('case-messages').locator('[data-testid="case-message"][data-purpose="summons"]');
    expect(await messages.count()).toBe(2);
    expect(await messages.first().innerText()).toContain('SMS');
    expect(await page.getByTestId('case-messages').innerText()).not.toContain('5512345678');
    expect(await caseEvents()).toEqual(['open_case', 'offer_mediation', 'record_acceptance', 'designate_representative', 'distribute', 'schedule_session', 'send_summons']);

    // Act. 12: ask the DR for the draft convenios — the next panel open once the summons is sent.
    const drafts = panel(page, 'request_draft_convenios');
    expect(await drafts.getByRole('button', { name: 'Solicitar convenios preliminares a la DR (act. 12)' }).getAttribute('aria-expanded')).toBe('true');
    await drafts.getByRole('button', { name: 'Solicitar convenios preliminares a la DR', exact: true }).click();
    await page.getByTestId('case-written').getByText('Se registró: Solicitar convenios preliminares a la DR').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('DR manager hands over the drafts (act. 13); the mediator\'s open page is then stale (409, "Recargar el caso"); after the reload the session is held with the checklist, the convenio signed and the survey invitation recorded', async () => {
    const manager = await signedIn(`gerente.${credit.delegationCode.toLowerCase()}`);
    await manager.goto(`/casos/${caseId}`);
    const provide = panel(manager, 'provide_draft_convenios');
    // act. 13: the catalogue decides the drafts; the form lists them with their terms
    await provide.getByTestId('drafts-to-provide').getByText(`SOL-2 ${SOLUTION_NAMES['SOL-2']}`).waitFor();
    await provide.getByRole('button', { name: 'Entregar los convenios preliminares', exact: true }).click();
    await manager.getByTestId('case-written').getByText('Se registró: Entregar convenios preliminares al mediador').waitFor();

    // The mediator's page still shows the version before the drafts.
    const page = mediatorPage;
    const hold = panel(page, 'hold_session');
    expect(await hold.getByRole('button', { name: /Registrar la sesión celebrada \(act\. 16–17\)/ }).getAttribute('aria-expanded')).toBe('true');
    async function fillSession(form: Locator) {
      expect(await form.getByLabel('Fecha en que se celebró').inputValue()).toBe(today);
      expect(await form.getByLabel('Presencial').isChecked()).toBe(true);
      await form.getByRole('group', { name: /¿Asistió el acreditado\?/ }).getByLabel('Sí', { exact: true }).check();
      await form.getByLabel('El representante del Infonavit designado').check();
      // Lineamiento 4: the opening items; CHK-10 (signature) comes with the convenio.
      await checkChecklist(form, CHECKLIST_ITEMS.filter((item) => item !== 'CHK-10'));
      expect(await form.getByLabel(`CHK-2 ${CHECKLIST_LABELS['CHK-2']}`).isChecked()).toBe(true);
    }
    await fillSession(hold);
    await hold.getByRole('button', { name: 'Registrar la sesión celebrada', exact: true }).click();
    const stale = hold.getByTestId('case-action-error');
    await stale.waitFor();
    expect(await stale.innerText()).toContain('El caso cambió mientras lo tenía abierto');
    await stale.getByRole('button', { name: 'Recargar el caso' }).click();
    await page.getByTestId('field-case-session').waitFor();
    const reloaded = panel(page, 'hold_session');
    await reloaded.getByTestId('case-action-error').waitFor({ state: 'detached' });
    await fillSession(reloaded);
    await reloaded.getByRole('button', { name: 'Registrar la sesión celebrada', exact: true }).click();
    await waitForState(page, 'session_held');

    // Act. 20: the signature — a solution among the drafts, three copies, every signatory, CHK-1..10.
    const sign = panel(page, 'sign_convenio');
    expect(await sign.getByLabel('Fecha de firma').inputValue()).toBe(today);
    await sign.getByLabel(`SOL-2 ${SOLUTION_NAMES['SOL-2']}`).check();
    for (const signatory of ['El acreditado', 'El representante del Infonavit', 'El mediador']) await sign.getByLabel(signatory, { exact: true }).check();
    await sign.getByLabel('El acreditado firmó el acuse de recibo de su original').check();
    await sign.getByLabel('Se informó al acreditado el plazo del primer pago').check();
    await checkChecklist(sign, CHECKLIST_ITEMS);
    await sign.getByRole('button', { name: 'Registrar el convenio firmado', exact: true }).click();
    await waitForState(page, 'signed');

    // Act. 21: the survey, whatever the outcome.
    const survey = panel(page, 'invite_to_survey');
    await survey.getByLabel('Se le dio la liga de la encuesta').check();
    await survey.getByLabel('Se le informó dónde presentar quejas sobre el servicio').check();
    await survey.getByRole('button', { name: 'Registrar la invitación', exact: true }).click();
    await page.getByTestId('case-written').getByText('Se registró: Invitar a la encuesta de calidad del servicio').waitFor();

    const expected = [
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
    ];
    expect(await caseEvents()).toEqual(expected);
    // The history shows every event, with its activity and who recorded it.
    const history = page.getByTestId('case-history').getByTestId('case-event');
    expect(await history.evaluateAll((items) => items.map((item) => item.getAttribute('data-action')))).toEqual(expected);
    expect(await history.nth(9).innerText()).toContain('(act. 16–17)');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('agency: the mediator ↔ app-licence register; a licence is assigned from the edit form', async () => {
    const agency = await database.db.selectFrom('users').select('agency_id').where('username', '=', 'agencia.as01').executeTakeFirstOrThrow();
    const other = await database.db
      .selectFrom('mediators')
      .select(['id', 'full_name'])
      .where('agency_id', '=', agency.agency_id ?? -1)
      .where('id', '<>', mediator.id)
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const page = await signedIn('agencia.as01');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Mediadores' }).click();
    const row = page.locator(`[data-testid="mediator-row"][data-mediator="${other.id}"]`);
    await row.getByRole('button', { name: new RegExp(`licencia de ${other.full_name}`) }).click();
    const form = row.getByTestId('licence-form');
    const input = form.getByLabel('Licencia de la aplicación');
    await input.fill('gm 1');
    await form.getByRole('button', { name: 'Guardar', exact: true }).click();
    await form.getByText(/de 6 a 30 letras mayúsculas/).waitFor();
    await input.fill('gm-990001');
    await form.getByRole('button', { name: 'Guardar', exact: true }).click();
    await page.getByTestId('licence-saved').getByText(`${other.full_name}: licencia GM-990001.`).waitFor();
    expect(await row.getByTestId('mediator-licence').innerText()).toBe('GM-990001');
    const stored = await database.db.selectFrom('mediators').select('app_licence_number').where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(stored.app_licence_number).toBe('GM-990001');
  });
  it('mediation office: tags a credit with a broken convenio for re-mediation from the credit page (ENT-C, round 2)', async () => {
    const row = await database.db
      .selectFrom('credits')
      .select('credit_number')
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM mediation_cases c WHERE c.credit_number = credits.credit_number)`)
      .orderBy('credit_number', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await database.db.updateTable('credits').set({ broken_convenios: 1 }).where('credit_number', '=', row.credit_number).execute();
    const page = await signedIn('gmc');
    await page.goto(`/creditos/${row.credit_number}`);
    const form = page.getByTestId('re-mediation-form');
    await form.getByRole('button', { name: 'Etiquetar para re-mediación' }).click();
    await page.waitForURL(/\/casos\/\d+$/);
    await waitForState(page, 'tagged');
    await page.getByText('Re-mediación (ronda 2)').first().waitFor();
    const stored = await database.db.selectFrom('mediation_cases').select(['round', 'entry']).where('credit_number', '=', row.credit_number).executeTakeFirstOrThrow();
    expect(stored).toEqual({ round: 2, entry: 're_mediation' });
  });
});
