/**
 * The case file from the signature to the national archive in a real Chromium (SPEC §6 EXP-1..4,
 * §4 acts. 28–31 and 35, §5 DL-13..DL-15, §7 REP-3): a RATIFIED case of AS01 is driven over HTTP to
 * its signed convenio; then the mediator, on a 360 × 740 phone, finds it in «Por integrar», sees
 * what EXP-1 still lacks, uploads each missing document from the checklist (PDF and PNG) and
 * delivers the file to the DR (act. 28); the DR manager accepts it (act. 29), records the
 * certificates and validates the CJA fees (act. 31, DL-14), marks it digitised (act. 35, DL-15),
 * selects it in «Archivo» and ships it with a courier, a guía and a date (EXP-4), and downloads the
 * shipment list (REP-3), read back with ExcelJS; the archive acknowledges the receipt and the file
 * shows it. The database agrees at each step.
 *
 * Everything happens on the server's real today. Needs the built app (web/dist) and Chromium, as
 * test/browser/convenio-journey.test.ts.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { monthBefore } from '../../src/modules/casefiles/casefiles.rules.js';
import { actOnCase, buildTestServer, caseWithSessionHeld, FULL_CHECKLIST, login, openSeededDatabase, type HeldCase } from '../factories.js';
import { Contexts, horizontalOverflow, launchChromium, openFromMenu, PHONE, serve, SKIP_BROWSER } from './harness.js';

/** A minimal PDF and a 1 × 1 PNG: what the server's content check accepts (EXP-3). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** EXP-1 for a RATIFIED convenio: every required document type, in the checklist's order. */
const UPLOADS = [
  { type: 'signed_convenio', name: 'convenio-firmado.pdf', mimeType: 'application/pdf', buffer: PDF },
  { type: 'acknowledgement', name: 'acuse.pdf', mimeType: 'application/pdf', buffer: PDF },
  { type: 'party_ids', name: 'identificaciones.png', mimeType: 'image/png', buffer: PNG },
  { type: 'cja_certificate', name: 'constancia-cja.pdf', mimeType: 'application/pdf', buffer: PDF },
  { type: 'fee_payment_proof', name: 'pago-derechos.png', mimeType: 'image/png', buffer: PNG },
  { type: 'confidentiality_agreement', name: 'confidencialidad.pdf', mimeType: 'application/pdf', buffer: PDF },
] as const;

const COURIER = 'Estafeta';
const TRACKING_NUMBER = 'EST-2026-000481';

describe.skipIf(SKIP_BROWSER)('browser: the case file from the signature to the national archive (web/dist + Chromium)', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const contexts = new Contexts();
  const today = systemClock.today();

  let held: HeldCase;
  let borrowerName: string;
  let folio: string;

  beforeAll(async () => {
    const launching = launchChromium();
    // Seeded on the real date: the month's assignment is today's, and so is day 0.
    database = await openSeededDatabase({ credits: 300, today });
    // The real clock: the session cookie's Expires is honoured against the browser's own time.
    app = await buildTestServer(database, systemClock);
    baseUrl = await serve(app);

    // A RATIFIED account (EXP-1 iv and act. 31 apply), driven over HTTP to its signature (acts. 2–20).
    held = await caseWithSessionHeld(app, database, { today, convenioTypes: ['RATIFIED'], solution: 'SOL-2' });
    const mediator = await login(app, held.mediatorUsername);
    const signed = await actOnCase(app, mediator, held.caseId, 'sign_convenio', {
      signedOn: today,
      convenioType: held.convenioType,
      solutionId: 'SOL-2',
      copies: 3,
      signedBy: ['borrower', 'representative', 'mediator'],
      acknowledgementSigned: true,
      firstPaymentExplained: true,
      checklist: FULL_CHECKLIST,
    });
    expect(signed.state).toBe('signed');
    const credit = await database.db.selectFrom('credits').select('borrower_name').where('credit_number', '=', held.creditNumber).executeTakeFirstOrThrow();
    borrowerName = credit.borrower_name;

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
    await page.locator(`[data-testid="case-file-header-status"][data-status="${status}"]`).waitFor();
  }

  function action(page: Page, name: string): Locator {
    return page.locator(`[data-testid="case-file-action"][data-action="${name}"]`);
  }

  async function fileRow() {
    return database.db.selectFrom('case_files').selectAll().where('case_id', '=', held.caseId).executeTakeFirstOrThrow();
  }

  it('mediator on a phone: «Por integrar» → the file with what EXP-1 lacks → uploads each document from the checklist → delivers it to the DR (act. 28)', async () => {
    const page = await signedIn(held.mediatorUsername, PHONE);
    // The signed case links to its file (act. 28).
    await page.goto(`/casos/${held.caseId}`);
    expect(await page.getByTestId('case-file-link').getAttribute('href')).toBe(`/expedientes/${held.caseId}`);
    await openFromMenu(page, 'Expedientes', 'Expedientes');
    expect(await page.getByTestId('case-file-queue-por-integrar').getAttribute('aria-current')).toBe('page');
    const row = page.locator(`[data-testid="case-file-row"][data-case="${held.caseId}"]`);
    await row.waitFor();
    // EXP-1 for RATIFIED: i, ii, iii, iv (CJA certificate and fees) and v are required, nothing uploaded yet.
    expect(await row.getByTestId('case-file-row-missing').getAttribute('data-missing')).toBe('5');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await row.getByRole('link', { name: `Expediente del crédito ${held.creditNumber}` }).click();
    await page.waitForURL(new RegExp(`/expedientes/${held.caseId}$`));
    await page.getByRole('heading', { level: 1, name: `Expediente del crédito ${held.creditNumber}` }).waitFor();
    await waitForStatus(page, 'building');

    // What is missing, item by item; the file cannot be delivered yet (act. 28: "en cuanto estén completos").
    expect(await page.getByTestId('checklist-summary').getAttribute('data-missing')).toBe('5');
    const items = page.getByTestId('checklist-item');
    expect(await items.evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('data-item'), node.getAttribute('data-satisfied'), node.getAttribute('data-required')]))).toEqual([
      ['EXP-1.i', 'false', 'true'],
      ['EXP-1.ii', 'false', 'true'],
      ['EXP-1.iii', 'false', 'true'],
      ['EXP-1.iv', 'false', 'true'],
      ['EXP-1.v', 'false', 'true'],
      ['EXP-1.vi', 'false', 'false'],
    ]);
    await page.getByTestId('case-file-incomplete').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // Each «Cargar …» of the checklist opens the upload form on its type, with the file chooser focused.
    const upload = page.getByTestId('document-upload-form');
    for (const [index, file] of UPLOADS.entries()) {
      await page.locator(`[data-testid="checklist-upload"][data-type="${file.type}"]`).click();
      const chooser = upload.getByLabel('Archivo');
      const chooserId = await chooser.getAttribute('id');
      await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe(chooserId);
      expect(await upload.getByLabel('Tipo de documento').inputValue()).toBe(file.type);
      await chooser.setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: file.buffer });
      await upload.getByRole('button', { name: 'Cargar el documento', exact: true }).click();
      await upload.getByTestId('document-uploaded').getByText(`Se cargó «${file.name}»`).waitFor();
      await expect.poll(() => page.getByTestId('document-list').getByTestId('document').count()).toBe(index + 1);
    }
    await page.locator('[data-testid="checklist-summary"][data-missing="0"]').waitFor();
    expect(await page.locator('[data-testid="checklist-item"][data-required="true"][data-satisfied="true"]').count()).toBe(5);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // Act. 28: the complete file goes to the DR; its receipt starts DL-13.
    const submit = action(page, 'submit');
    await submit.getByLabel('Nota para la DR').fill('Expediente completo con la constancia del CJA.');
    await submit.getByRole('button', { name: 'Entregar el expediente a la DR', exact: true }).click();
    await waitForStatus(page, 'submitted');
    expect(await page.getByTestId('case-file-written').innerText()).toContain('Se entregó el expediente a la DR');
    await page.locator('[data-testid="case-file-due"][data-rule="DL-13.request"][data-status="pending"]').waitFor();
    await page.getByTestId('no-case-file-actions').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    const stored = await fileRow();
    expect(stored).toMatchObject({ status: 'submitted', submitted_on: today, outcome: 'signed', convenio_type: 'RATIFIED', fee_validation_required: true });
    expect(stored.dl13_request_due_on).not.toBeNull();
    const documents = await database.db.selectFrom('case_documents').select(['document_type', 'version']).where('case_id', '=', held.caseId).orderBy('document_type').execute();
    expect(documents.map((document) => document.document_type)).toEqual(UPLOADS.map((file) => file.type).sort());
  });

  it('DR manager: «Por revisar» → accepts (act. 29), records the certificates and validates the CJA fees (act. 31), marks it digitised (act. 35); ships it from «Archivo» with courier, guía and date (EXP-4), downloads the list (REP-3) and sends last month\'s progress report (act. 36, REP-4)', async () => {
    const page = await signedIn(held.managerUsername);
    await openFromMenu(page, 'Expedientes', 'Expedientes');
    expect(await page.getByTestId('case-file-queue-por-revisar').getAttribute('aria-current')).toBe('page');
    const row = page.locator(`[data-testid="case-file-row"][data-case="${held.caseId}"]`);
    await row.waitFor();
    await row.getByTestId('case-file-row-due').getByText('DL-13.request').waitFor();
    await row.getByRole('link', { name: `Expediente del crédito ${held.creditNumber}` }).click();
    await waitForStatus(page, 'submitted');

    // Act. 29: complete and correct; RATIFIED still waits for the fee validation (act. 31).
    expect(await action(page, 'request_corrections').count()).toBe(1);
    await action(page, 'accept').getByRole('button', { name: 'Aceptar el expediente', exact: true }).click();
    await waitForStatus(page, 'accepted');
    expect(await page.getByTestId('case-file-header-status').innerText()).toContain('falta validar el pago de derechos u honorarios');

    const certificates = action(page, 'record_certificates');
    expect(await certificates.getByLabel('Fecha de recepción de las constancias').inputValue()).toBe(today);
    await certificates.getByRole('button', { name: 'Registrar la recepción', exact: true }).click();
    await page.locator('[data-testid="case-file-due"][data-rule="DL-14"][data-status="pending"]').waitFor();
    expect(await page.getByTestId('case-file-written').innerText()).toContain('(DL-14)');

    await action(page, 'validate_fees').getByRole('button', { name: 'Validar el pago', exact: true }).click();
    await page.locator('[data-testid="case-file-due"][data-rule="DL-14"][data-status="met"]').waitFor();
    await page.locator('[data-testid="case-file-due"][data-rule="DL-15"][data-status="pending"]').waitFor();

    await action(page, 'mark_digitised').getByRole('button', { name: 'Marcar como digitalizado', exact: true }).click();
    await waitForStatus(page, 'digitised');
    await page.locator('[data-testid="case-file-due"][data-rule="DL-15"][data-status="met"]').waitFor();
    expect(await fileRow()).toMatchObject({ status: 'digitised', accepted_on: today, certificates_received_on: today, fee_validated_on: today, digitised_on: today });
    // The file and its convenio link to each other.
    await page.getByTestId('case-file-convenio-link').click();
    await page.waitForURL(/\/convenios\/\d+$/);
    await page.getByTestId('convenio-case-file-link').click();
    await waitForStatus(page, 'digitised');

    // Act. 35: the ready file, a courier, a guía and a date.
    await openFromMenu(page, 'Archivo', 'Archivo de expedientes');
    const form = page.getByTestId('shipment-form');
    await form.getByLabel(`Crédito ${held.creditNumber} — ${borrowerName}`).check();
    await form.getByLabel('Paquetería').fill(COURIER);
    await form.getByLabel('Número de guía').fill(TRACKING_NUMBER);
    expect(await form.getByLabel('Fecha de envío').inputValue()).toBe(today);
    await form.getByRole('button', { name: 'Registrar el envío', exact: true }).click();
    const created = page.getByTestId('shipment-created');
    await created.getByText('Se registró el envío').waitFor();
    const shipment = await database.db.selectFrom('archive_shipments').selectAll().where('tracking_number', '=', TRACKING_NUMBER).executeTakeFirstOrThrow();
    folio = shipment.folio;
    expect(shipment).toMatchObject({ courier: COURIER, shipped_on: today, files_count: 1 });
    expect(await created.innerText()).toContain(folio);
    expect(await fileRow()).toMatchObject({ status: 'shipped', shipment_id: shipment.id });
    await page.locator(`[data-testid="shipment-row"][data-folio="${folio}"]`).waitFor();

    // REP-3: the list downloads from the link and holds the credit, the guía and the date.
    const [download] = await Promise.all([page.waitForEvent('download'), created.getByTestId('shipment-list-download').click()]);
    expect(download.suggestedFilename()).toBe(`envio-anec-${folio}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await download.path()) ?? '')) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (row: number, header: string) => sheet.getRow(row).getCell(headers.indexOf(header) + 1).value;
    expect(sheet.rowCount).toBe(2);
    expect(cell(2, 'No. de crédito')).toBe(held.creditNumber);
    expect(cell(2, 'Acreditado(a)')).toBe(borrowerName);
    expect(cell(2, 'Número de guía')).toBe(TRACKING_NUMBER);
    expect(cell(2, 'Paquetería')).toBe(COURIER);
    const shippedOn = cell(2, 'Fecha de envío');
    expect(shippedOn).toBeInstanceOf(Date);
    expect((shippedOn as Date).toISOString().slice(0, 10)).toBe(today);
    expect(cell(2, 'Número de documentos')).toBe(UPLOADS.length);

    // Act. 36 (REP-4): the report about last month, due in the first 15 days of this one (DL-16), sent from the same page.
    const progress = page.getByTestId('progress');
    const delegation = await database.db.selectFrom('delegations').select(['id', 'name']).where('code', '=', held.delegationCode).executeTakeFirstOrThrow();
    const lastMonth = monthBefore(today.slice(0, 7));
    await progress.getByTestId('progress-heading').getByText(delegation.name).waitFor();
    expect(await progress.getByTestId('progress-download').getAttribute('href')).toBe(`/api/archive/progress.xlsx?month=${lastMonth}&delegationId=${delegation.id}`);
    await progress.getByRole('button', { name: 'Enviar reporte de avance', exact: true }).click();
    await progress.getByTestId('progress-written').getByText('Se envió al ANEC el reporte de avance').waitFor();
    await progress.getByTestId('progress-sent').getByText('Enviado al ANEC el').waitFor();
    expect(await progress.getByRole('button', { name: 'Enviar reporte de avance' }).count()).toBe(0);
    const report = await database.db.selectFrom('archive_progress_reports').select(['month', 'sent_on']).where('delegation_id', '=', delegation.id).executeTakeFirstOrThrow();
    expect(report).toEqual({ month: lastMonth, sent_on: today });
  });

  it('archive: the shipment received → acknowledges the whole shipment (EXP-4); the file shows it received and the database agrees', async () => {
    const page = await signedIn('archivo');
    await openFromMenu(page, 'Archivo', 'Archivo de expedientes');
    const row = page.locator(`[data-testid="shipment-row"][data-folio="${folio}"]`);
    await row.getByTestId('shipment-row-receipts').getByText('0 de 1 recibidos').waitFor();
    await row.getByRole('link', { name: `Envío ${folio}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `Envío ${folio}` }).waitFor();
    const file = page.locator(`[data-testid="shipment-file"][data-credit="${held.creditNumber}"]`);
    expect(await file.getAttribute('data-status')).toBe('shipped');
    expect(await file.getByTestId('shipment-file-documents').getAttribute('data-count')).toBe(String(UPLOADS.length));

    await page.getByRole('button', { name: 'Acusar recibo del envío completo (1 expediente)', exact: true }).click();
    await page.getByTestId('receipt-written').getByText('Se acusó recibo de 1 expediente').waitFor();
    await page.locator(`[data-testid="shipment-file"][data-credit="${held.creditNumber}"][data-status="archived"]`).waitFor();
    await page.getByTestId('field-shipment-receipts').getByText('Recibido completo (1)').waitFor();

    // The file itself: received by the archive (EXP-4), the date in its progress.
    await file.getByRole('link', { name: `Expediente del crédito ${held.creditNumber}` }).click();
    await waitForStatus(page, 'archived');
    expect(await page.getByTestId('case-file-header-status').innerText()).toBe('Recibido por el ANEC (EXP-4)');
    await page.getByTestId('field-case-file-archived').getByText(new RegExp(`\\d+ de [a-z]+ de ${today.slice(0, 4)}`)).waitFor();
    const history = page.getByTestId('case-file-history').getByTestId('case-file-event');
    expect(await history.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-action')))).toEqual([
      'submit',
      'accept',
      'record_certificates',
      'validate_fees',
      'mark_digitised',
      'ship',
      'acknowledge_receipt',
    ]);

    const archivist = await database.db.selectFrom('users').select('id').where('username', '=', 'archivo').executeTakeFirstOrThrow();
    expect(await fileRow()).toMatchObject({ status: 'archived', archived_on: today, archived_by_user_id: archivist.id });
  });
});
