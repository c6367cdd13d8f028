/**
 * The signed convenio in a real Chromium (SPEC §6 CNV-1..5, §4 acts. 20–25, EXP-3, §8): a case of
 * AS01 is driven over HTTP up to "session held" with SOL-2 among the draft convenios; then the
 * mediator, on a 360 × 740 phone, records the signature on the case page (act. 20), opens the
 * convenio from it, is refused in Spanish when he sends it without documents (act. 22) and when a
 * file is not what it says (EXP-3), uploads the scanned convenio (PDF) and the borrower's ID (PNG)
 * and sends them to the DR; the DR manager of the credit's delegación finds it in «Por revisar»
 * with its DL-10 date, approves it (act. 25) and the credit page shows the restructure applied
 * (CNV-4): the convenio's monthly payment, "Reestructura activa". The database agrees.
 *
 * Everything happens on the server's real today (the seed's month, day 0, the session and the
 * signature). Needs the built app (web/dist) and Chromium, as test/browser/mediation-journey.test.ts.
 */
import { type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { CHECKLIST_ITEMS, CHECKLIST_LABELS } from '../../src/modules/mediation/mediation.rules.js';
import { SOLUTION_NAMES } from '../../src/modules/solutions/solutions.rules.js';
import { buildTestServer, caseWithSessionHeld, openSeededDatabase } from '../factories.js';
import { Contexts, launchChromium, PHONE, serve, SKIP_BROWSER, horizontalOverflow } from './harness.js';

/** A minimal PDF and a 1 × 1 PNG: what the server's content check accepts (EXP-3). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** As the screens write a calendar date: "23 de noviembre de 2026". */
function spanishDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return `${day} de ${MONTHS[month - 1]} de ${year}`;
}

/** As the screens write cents: "$6,355.52". */
function pesos(cents: bigint): string {
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${whole}.${(cents % 100n).toString().padStart(2, '0')}`;
}

describe.skipIf(SKIP_BROWSER)('browser: the convenio from the signature to the approval that restructures the credit (web/dist + Chromium)', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const contexts = new Contexts();
  const today = systemClock.today();

  let credit: { creditNumber: string; delegationCode: string };
  let caseId: number;
  let convenioId: number;

  beforeAll(async () => {
    const launching = launchChromium();
    // Seeded on the real date: the month's assignment is today's, and so is day 0.
    database = await openSeededDatabase({ credits: 300, today });
    // The real clock: the session cookie's Expires is honoured against the browser's own time.
    app = await buildTestServer(database, systemClock);
    baseUrl = await serve(app);

    // An account of AS01's latest month without a case, RATIFIED or ADMINISTRATIVE, with SOL-2
    // available today, driven over HTTP to its session held (acts. 2–17), all today.
    const held = await caseWithSessionHeld(app, database, { today, solution: 'SOL-2' });
    credit = { creditNumber: held.creditNumber, delegationCode: held.delegationCode };
    caseId = held.caseId;

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

  async function waitForStatus(page: Page, status: string): Promise<void> {
    await page.locator(`[data-testid="convenio-header-status"][data-status="${status}"]`).waitFor();
  }

  function action(page: Page, name: string): Locator {
    return page.locator(`[data-testid="convenio-action"][data-action="${name}"]`);
  }

  async function convenioRow() {
    return database.db.selectFrom('convenios').selectAll().where('id', '=', convenioId).executeTakeFirstOrThrow();
  }

  it('mediator on a phone: the draft convenios of act. 13 on the case page; signs (act. 20) and opens the convenio from the case', async () => {
    const page = await signedIn('mediador.as01.1', PHONE);
    await page.goto(`/casos/${caseId}`);
    await page.locator('[data-testid="case-header-state"][data-state="session_held"]').waitFor();

    // Act. 13: one preliminary convenio per solution the DR handed over, as a PDF link.
    const draft = page.locator('[data-testid="draft-convenio"][data-solution="SOL-2"]');
    expect(await draft.getAttribute('href')).toBe(`/api/cases/${caseId}/draft-convenios/SOL-2`);
    const pdf = await page.request.get(`/api/cases/${caseId}/draft-convenios/SOL-2`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');

    // Act. 20 with the existing signature form: SOL-2, three copies, every signatory, CHK-1..10.
    const sign = page.locator('[data-testid="case-action"][data-action="sign_convenio"]');
    expect(await sign.getByLabel('Fecha de firma').inputValue()).toBe(today);
    await sign.getByLabel(`SOL-2 ${SOLUTION_NAMES['SOL-2']}`).check();
    for (const signatory of ['El acreditado', 'El representante del Infonavit', 'El mediador']) await sign.getByLabel(signatory, { exact: true }).check();
    await sign.getByLabel('El acreditado firmó el acuse de recibo de su original').check();
    await sign.getByLabel('Se informó al acreditado el plazo del primer pago').check();
    for (const item of CHECKLIST_ITEMS) await sign.getByLabel(`${item} ${CHECKLIST_LABELS[item]}`).check();
    await sign.getByRole('button', { name: 'Registrar el convenio firmado', exact: true }).click();
    await page.locator('[data-testid="case-header-state"][data-state="signed"]').waitFor();

    // The signed case links to its convenio (CNV-1).
    const link = page.getByTestId('case-convenio-link');
    await link.waitFor();
    const row = await database.db.selectFrom('convenios').select(['id', 'folio']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    convenioId = row.id;
    expect(await link.innerText()).toBe(`Ver el convenio ${row.folio}`);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await link.click();
    await page.waitForURL(new RegExp(`/convenios/${convenioId}$`));
    await page.getByRole('heading', { level: 1, name: `Convenio ${row.folio}` }).waitFor();
    await waitForStatus(page, 'signed');
    expect(await page.getByTestId('convenio-header-status').innerText()).toBe('Firmado: por enviar a la DR (act. 22)');

    // CNV-1: the terms of the catalogue, as signed.
    const signed = await convenioRow();
    expect(await page.getByTestId('term-monthly-payment-after').innerText()).toBe(pesos(signed.monthly_payment_cents));
    expect(await page.getByTestId('term-balance-after-after').innerText()).toBe(pesos(signed.balance_after_cents));
    expect(await page.getByTestId('convenio-first-payment-amount').innerText()).toBe(pesos(signed.first_payment_cents));
    expect(await page.getByTestId('convenio-first-payment-due').innerText()).toBe(spanishDate(signed.first_payment_due_on));
    expect(await page.getByTestId('convenio-sl1-status').innerText()).toBe('Cumplido');
    // Before the approval the credit keeps its terms: nothing to reconcile yet.
    await page.getByTestId('convenio-restructure-pending').waitFor();
    await page.getByTestId('convenio-reconciliation-later').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  it('mediator: refused in Spanish without documents (act. 22) and for a file that is not a PDF (EXP-3); uploads the scan and the ID and sends them to the DR', async () => {
    const page = await signedIn('mediador.as01.1', PHONE);
    await page.goto(`/convenios/${convenioId}`);
    await waitForStatus(page, 'signed');

    // Act. 22 needs both documents: the server's refusal is shown as it comes, in role="alert".
    const submit = action(page, 'submit_documents');
    await submit.getByRole('button', { name: 'Enviar a la DR', exact: true }).click();
    const refused = submit.getByTestId('convenio-action-error');
    await refused.getByText('Antes de enviar, cargue el convenio firmado digitalizado y la identificación oficial del acreditado (act. 22).').waitFor();
    expect(await refused.getAttribute('role')).toBe('alert');

    // EXP-3: the content must be what the file says it is.
    const upload = page.getByTestId('document-upload-form');
    await upload.getByLabel('Tipo de documento').selectOption('signed_convenio');
    await upload.getByLabel('Archivo').setInputFiles({ name: 'convenio.pdf', mimeType: 'application/pdf', buffer: Buffer.from('no es un PDF') });
    await upload.getByRole('button', { name: 'Cargar el documento', exact: true }).click();
    const invalid = upload.getByTestId('document-upload-error');
    await invalid.getByText('El contenido del archivo no es un PDF, JPEG o PNG válido.').waitFor();
    expect(await invalid.getAttribute('role')).toBe('alert');

    await upload.getByLabel('Tipo de documento').selectOption('signed_convenio');
    await upload.getByLabel('Archivo').setInputFiles({ name: 'convenio.pdf', mimeType: 'application/pdf', buffer: PDF });
    await upload.getByRole('button', { name: 'Cargar el documento', exact: true }).click();
    await upload.getByTestId('document-uploaded').getByText('Se cargó «convenio.pdf» como convenio firmado (digitalizado), versión 1.').waitFor();
    await page.locator('[data-testid="review-document"][data-type="signed_convenio"][data-ready="true"]').waitFor();

    // The next missing document is proposed.
    expect(await upload.getByLabel('Tipo de documento').inputValue()).toBe('borrower_id');
    await upload.getByLabel('Archivo').setInputFiles({ name: 'ine.png', mimeType: 'image/png', buffer: PNG });
    await upload.getByRole('button', { name: 'Cargar el documento', exact: true }).click();
    await upload.getByTestId('document-uploaded').getByText('Se cargó «ine.png» como identificación oficial del acreditado, versión 1.').waitFor();
    await page.locator('[data-testid="review-document"][data-type="borrower_id"][data-ready="true"]').waitFor();
    const documents = page.getByTestId('document-list').getByTestId('document');
    expect(await documents.count()).toBe(2);
    const scan = page.locator('[data-testid="document"][data-type="signed_convenio"]').getByTestId('document-download');
    const download = await page.request.get((await scan.getAttribute('href')) ?? '');
    expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);

    await action(page, 'submit_documents').getByRole('button', { name: 'Enviar a la DR', exact: true }).click();
    await waitForStatus(page, 'under_review');
    expect(await page.getByTestId('convenio-written').innerText()).toContain('Se envió a la DR el convenio');
    await page.getByTestId('no-convenio-actions').waitFor();
    await page.locator('[data-testid="review-step"][data-rule="DL-9"][data-status="met"]').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const stored = await convenioRow();
    expect(stored).toMatchObject({ status: 'under_review', submitted_on: today });
    const files = await database.db.selectFrom('case_documents').select(['document_type', 'media_type', 'version']).where('case_id', '=', caseId).orderBy('document_type').execute();
    expect(files).toEqual([
      { document_type: 'borrower_id', media_type: 'image/png', version: 1 },
      { document_type: 'signed_convenio', media_type: 'application/pdf', version: 1 },
    ]);
  });

  it('DR manager: «Por revisar» with the DL-10 date → approves (act. 25); the convenio shows the terms applied and no difference; the credit page shows the new terms and "Reestructura activa" (CNV-4)', async () => {
    const page = await signedIn(`gerente.${credit.delegationCode.toLowerCase()}`);
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Convenios' }).click();
    await page.getByRole('heading', { level: 1, name: 'Convenios de mediación' }).waitFor();
    expect(await page.getByTestId('convenio-queue-por-revisar').getAttribute('aria-current')).toBe('page');
    const submitted = await convenioRow();
    const row = page.locator(`[data-testid="convenio-row"][data-convenio="${convenioId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('convenio-review-by').innerText()).toBe(spanishDate(submitted.dl10_due_on ?? ''));
    await row.getByRole('link', { name: `Convenio ${submitted.folio}` }).click();
    await waitForStatus(page, 'under_review');

    // The DR reads both documents and may ask for corrections or approve.
    expect(await action(page, 'request_corrections').count()).toBe(1);
    const approve = action(page, 'approve');
    expect(await approve.getByTestId('approve-effect').innerText()).toContain(pesos(submitted.monthly_payment_cents));
    await approve.getByRole('button', { name: 'Aprobar y aplicar la reestructura', exact: true }).click();
    await waitForStatus(page, 'approved');
    expect(await page.getByTestId('convenio-written').innerText()).toContain(`la reestructura se aplicó al crédito ${credit.creditNumber}`);

    // The credit now carries the convenio's terms, and the reconciliation finds no difference.
    await page.getByTestId('convenio-restructure-applied').waitFor();
    expect(await page.getByTestId('term-now-monthly-payment-after').innerText()).toBe(pesos(submitted.monthly_payment_cents));
    expect(await page.getByTestId('term-now-restructure-after').innerText()).toBe('Sí');
    expect(await page.getByTestId('convenio-no-mismatches').innerText()).toContain('Sin diferencias');
    const history = page.getByTestId('convenio-history').getByTestId('convenio-event');
    expect(await history.evaluateAll((items) => items.map((item) => item.getAttribute('data-action')))).toEqual(['sign', 'submit_documents', 'approve']);
    expect(await history.nth(2).innerText()).toContain('CNV-4');

    await page.getByTestId('convenio-credit-link').click();
    await page.waitForURL(new RegExp(`/creditos/${credit.creditNumber}$`));
    await page.getByTestId('credit-restructure-banner').getByText('Reestructura activa').waitFor();
    expect(await page.getByTestId('field-monthly-payment').locator('dd').innerText()).toBe(pesos(submitted.monthly_payment_cents));
    expect(await page.getByTestId('field-active-restructure').locator('dd').innerText()).toBe('Sí');
    await page.locator(`[data-testid="credit-convenio"][data-convenio="${convenioId}"]`).waitFor();
    // SPEC §8 and PAY-1 on the credit page.
    await page.locator('[data-testid="solution"][data-solution="SOL-2"]').waitFor();
    await page.getByTestId('section-payments').getByRole('heading', { name: 'Pagos' }).waitFor();

    // The reconciliation of the delegación: every check, no difference.
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Conciliación' }).click();
    await page.getByTestId('reconciliation-no-mismatches').waitFor();
    expect(await page.getByTestId('reconciliation-check').count()).toBe(10);

    // The database: the credit's terms are the convenio's (CNV-4), with the servicing record.
    const approved = await convenioRow();
    expect(approved).toMatchObject({ status: 'approved', approved_on: today });
    const stored = await database.db
      .selectFrom('credits')
      .select(['balance_cents', 'monthly_payment_cents', 'payment_factor', 'interest_rate_bp', 'denomination', 'active_restructure'])
      .where('credit_number', '=', credit.creditNumber)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      balance_cents: approved.balance_after_cents,
      monthly_payment_cents: approved.monthly_payment_cents,
      payment_factor: approved.payment_factor,
      interest_rate_bp: approved.interest_rate_bp,
      denomination: 'MXN',
      active_restructure: true,
    });
    const restructure = await database.db.selectFrom('restructures').select(['monthly_payment_cents', 'applied_on']).where('convenio_id', '=', convenioId).executeTakeFirstOrThrow();
    expect(restructure).toEqual({ monthly_payment_cents: approved.monthly_payment_cents, applied_on: today });
  });

  it('mediation office: every convenio filtered by status, and the reconciliation of the credit\'s delegación', async () => {
    const page = await signedIn('gmc');
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Convenios' }).click();
    await page.getByRole('heading', { level: 1, name: 'Convenios de mediación' }).waitFor();
    await page.getByLabel('Estado', { exact: true }).selectOption({ label: 'Primer pago' });
    await page.getByLabel('Número de crédito, folio o nombre del acreditado').fill(credit.creditNumber);
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.waitForURL((url) => url.searchParams.get('lista') === 'primer-pago' && url.searchParams.get('q') === credit.creditNumber);
    const row = page.locator(`[data-testid="convenio-row"][data-convenio="${convenioId}"]`);
    await row.waitFor();
    const approved = await convenioRow();
    expect(await row.getByTestId('convenio-first-payment').innerText()).toBe(pesos(approved.first_payment_cents));
    expect(await row.getByTestId('convenio-first-payment-due').innerText()).toBe(spanishDate(approved.first_payment_due_on));
    // The same search among the broken ones finds nothing.
    await page.getByLabel('Estado', { exact: true }).selectOption({ label: 'Incumplidos' });
    await page.getByRole('button', { name: 'Buscar' }).click();
    await page.getByTestId('convenio-list-empty').getByText(`No hay convenios en esta lista para «${credit.creditNumber}».`).waitFor();

    const delegation = await database.db.selectFrom('delegations').select(['id', 'name']).where('code', '=', credit.delegationCode).executeTakeFirstOrThrow();
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Conciliación' }).click();
    await page.getByLabel('Delegación', { exact: true }).selectOption(String(delegation.id));
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await page.waitForURL((url) => url.searchParams.get('delegacion') === String(delegation.id));
    await page.getByTestId('reconciliation-summary').getByText(`${delegation.name}: sin diferencias.`).waitFor();
    await page.getByTestId('reconciliation-no-mismatches').waitFor();
  });
});
