/**
 * Reports and indicators in a real Chromium (SPEC §7 REP-1, REP-2, REP-4, REP-5; §4 acts. 32–36;
 * §5 DL-17; SEC-2), on the demo's past month worked through to the archive
 * (src/modules/portfolio/demo-history.ts):
 *
 * - the mediation office filters last month on /indicadores: the funnel's chart (an image with
 *   its description) and its data table agree, «Expediente en el archivo» equals the signed cases'
 *   files the archive acknowledged, counted here in SQL; grouped by agency each agency's figure is
 *   the database's; the Excel export holds the table's figures;
 * - an agency sees only its own funnel (its «Susceptibles» are its assignments of the month, its
 *   figures its row of the national grouping), downloads its REP-1 whose rows are those
 *   assignments, and reads the office's closed request of its report with its history;
 * - the office requests a REP-2 (a repeated request is refused in Spanish), the request appears;
 *   /indicadores and /reportes fit a 360-px phone;
 * - the archive chooses any delegación for the progress report (REP-4), not only those that
 *   shipped files.
 *
 * Dates are TEST_TODAY's (the demo's past month is its previous month); instants are real, so the
 * session cookie's Expires holds against the browser's own clock. Needs the built app (web/dist)
 * and Chromium, as test/browser/casefile-journey.test.ts.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { type Browser, type BrowserContextOptions, type Download, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthOf, systemClock, type Clock } from '../../src/clock.js';
import type { Database } from '../../src/db/index.js';
import type { App } from '../../src/http/context.js';
import { monthBefore, monthEnd } from '../../src/modules/casefiles/casefiles.rules.js';
import { monthNameEs } from '../../src/modules/notify/outbox.templates.js';
import { buildTestServer, openSeededDatabase, TEST_TODAY } from '../factories.js';
import { Contexts, horizontalOverflow, launchChromium, openFromMenu, PHONE, serve, SKIP_BROWSER } from './harness.js';

const MONTH = monthBefore(monthOf(TEST_TODAY));
/** "Octubre de 2026": how the indicators name the month. */
const MONTH_LABEL = monthNameEs(MONTH).replace(/^./, (first) => first.toUpperCase());
const CLOCK: Clock = { today: () => TEST_TODAY, now: () => systemClock.now() };

type StageCounts = Record<string, number>;

/** "1,234" → 1234 (the page groups thousands with commas). */
function integerOf(text: string): number {
  const digits = text.trim().replace(/,/g, '');
  if (!/^\d+$/.test(digits)) throw new Error(`not a count: «${text}»`);
  return Number(digits);
}

function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

async function workbookOf(download: Download): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile((await download.path()) ?? '')) as unknown as ArrayBuffer);
  return workbook;
}

describe.skipIf(SKIP_BROWSER)('browser: reports and indicators on last month (REP-1, REP-2, REP-4, REP-5; web/dist + Chromium)', () => {
  let database: Database;
  let app: App;
  let browser: Browser;
  let baseUrl: string;
  const contexts = new Contexts();

  let agency: { id: number; code: string; name: string };
  /** The national funnel of the month, and its row per agency (REP-5), as the office's page showed them. */
  let national: StageCounts;
  const nationalByAgency = new Map<string, StageCounts>();

  beforeAll(async () => {
    const launching = launchChromium();
    database = await openSeededDatabase({ credits: 1500, pastMonth: true });
    app = await buildTestServer(database, CLOCK);
    baseUrl = await serve(app);
    agency = await database.db
      .selectFrom('agencies as a')
      .innerJoin('users as u', 'u.agency_id', 'a.id')
      .select(['a.id', 'a.code', 'a.name'])
      .where('u.username', '=', 'agencia.as01')
      .executeTakeFirstOrThrow();
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


  /** Filters /indicadores on the month (and a grouping) and waits for the figures of that query. */
  async function filterMonth(page: Page, scope: string, group: { option: string; label: string } = { option: 'Sin agrupar (total)', label: 'total' }): Promise<void> {
    const form = page.getByTestId('indicator-filters');
    await form.getByLabel('Desde el mes', { exact: true }).fill(MONTH);
    await form.getByLabel('Hasta el mes', { exact: true }).fill(MONTH);
    await form.getByLabel('Agrupar por', { exact: true }).selectOption({ label: group.option });
    await form.getByRole('button', { name: 'Consultar', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('desde') === MONTH && url.searchParams.get('hasta') === MONTH);
    await page.getByTestId('indicators-status').getByText(`${MONTH_LABEL} · ${scope} · agrupado por ${group.label}`, { exact: true }).waitFor();
  }

  /** The funnel's data table: stage → count (stages that apply). */
  async function funnelTable(page: Page): Promise<StageCounts> {
    const rows = await page.getByTestId('funnel-table').locator('tbody tr').evaluateAll((nodes) =>
      nodes.map((node) => [node.getAttribute('data-stage') ?? '', node.querySelector('[data-testid="funnel-count"]')?.textContent ?? '']),
    );
    return Object.fromEntries(rows.filter(([, count]) => count !== 'No aplica').map(([stage, count]) => [stage, integerOf(count!)]));
  }

  async function stageLabels(page: Page): Promise<Map<string, string>> {
    const rows = await page.getByTestId('funnel-table').locator('tbody tr').evaluateAll((nodes) =>
      nodes.map((node) => [node.getAttribute('data-stage') ?? '', node.querySelector('th')?.textContent?.trim() ?? '']),
    );
    return new Map(rows.map(([stage, label]) => [label!, stage!]));
  }

  /** Signed cases of the month whose file the archive acknowledged (EXP-4), counted apart from the repository's statement. */
  async function archivedByAgency(): Promise<Map<string, number>> {
    const { rows } = await sql<{ agency_id: number; n: number }>`
      SELECT c.agency_id, count(*)::int AS n
      FROM case_files f JOIN mediation_cases c ON c.id = f.case_id
      WHERE c.month = ${MONTH} AND f.status = 'archived' AND EXISTS (SELECT 1 FROM convenios v WHERE v.case_id = c.id)
      GROUP BY c.agency_id`.execute(database.db);
    return new Map(rows.map((row) => [String(row.agency_id), Number(row.n)]));
  }

  async function assignmentsOf(agencyId: number): Promise<string[]> {
    const rows = await database.db.selectFrom('credit_assignments').select('credit_number').where('month', '=', MONTH).where('agency_id', '=', agencyId).orderBy('credit_number').execute();
    return rows.map((row) => row.credit_number);
  }

  it('office (REP-5): last month on /indicadores — the funnel chart and its table agree, «archivados» is the database\'s count, by agency too, and the Excel export holds the same figures', async () => {
    const page = await signedIn('gmc');
    await openFromMenu(page, 'Indicadores', 'Indicadores');
    await filterMonth(page, 'Nacional');
    expect(await page.getByTestId('indicator-filters').getByLabel('Agencia', { exact: true }).count()).toBe(1);
    national = await funnelTable(page);

    const archived = await archivedByAgency();
    const archivedTotal = [...archived.values()].reduce((sum, n) => sum + n, 0);
    // The demo's month reaches the archive (EXP-4): the figure is something to check, not a zero.
    expect(archivedTotal).toBeGreaterThan(0);
    expect(national.archived).toBe(archivedTotal);
    const tagged = await database.db.selectFrom('credit_assignments').select((eb) => eb.fn.countAll<number>().as('n')).where('month', '=', MONTH).executeTakeFirstOrThrow();
    expect(national.tagged).toBe(Number(tagged.n));

    // The chart is one image whose description says every bar; its bars are the table's figures.
    const chart = page.getByRole('img', { name: new RegExp(`^Embudo de mediación, ${MONTH_LABEL} · Nacional: `) });
    const description = (await chart.getAttribute('aria-label')) ?? '';
    expect(description).toContain(`Susceptibles de mediación, ${grouped(national.tagged!)};`);
    expect(description).toContain(`Expediente en el archivo, ${grouped(archivedTotal)} (`);
    const bars = await chart.getByTestId('funnel-chart-bar').evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('data-key'), Number(node.getAttribute('data-value'))]));
    expect(Object.fromEntries(bars)).toEqual(national);

    // By agency: each row is that agency's, «archivados» the database's, and the rows add up to the total.
    await filterMonth(page, 'Nacional', { option: 'Agencia', label: 'agencia' });
    const groups = await page.getByTestId('funnel-group').evaluateAll((rows) =>
      rows.map((row) => [
        row.getAttribute('data-key') ?? '',
        Object.fromEntries([...row.querySelectorAll('td[data-stage]')].map((cell) => [cell.getAttribute('data-stage'), cell.querySelector('[data-testid="funnel-group-count"]')?.textContent ?? ''])),
      ]),
    );
    for (const [key, cells] of groups as Array<[string, Record<string, string>]>) {
      nationalByAgency.set(key, Object.fromEntries(Object.entries(cells).map(([stage, text]) => [stage, integerOf(text)])));
    }
    for (const [key, counts] of nationalByAgency) expect([key, counts.archived]).toEqual([key, archived.get(key) ?? 0]);
    expect([...archived.keys()].every((key) => nationalByAgency.has(key))).toBe(true);
    for (const stage of Object.keys(national)) {
      expect([stage, [...nationalByAgency.values()].reduce((sum, counts) => sum + counts[stage]!, 0)]).toEqual([stage, national[stage]]);
    }
    expect(await funnelTable(page)).toEqual(national);

    // The Excel export: the same figures, the total's and each agency's (REP-5).
    const labels = await stageLabels(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Descargar Excel: embudo de mediación', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(`indicadores-embudo-${MONTH}.xlsx`);
    const sheet = (await workbookOf(download)).getWorksheet('Indicador')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Grupo', 'Etapa', 'Casos']);
    const exported = new Map<string, StageCounts>();
    sheet.eachRow((row, number) => {
      if (number === 1) return;
      const [group, stageLabel, count] = (row.values as unknown[]).slice(1, 4) as [string, string, number];
      const counts = exported.get(group) ?? {};
      counts[labels.get(stageLabel) ?? stageLabel] = count;
      exported.set(group, counts);
    });
    const names = new Map((await database.db.selectFrom('agencies').select(['id', 'code', 'name']).execute()).map((a) => [String(a.id), `${a.code} · ${a.name}`]));
    expect(exported.get('Total')).toEqual(national);
    expect(exported.size).toBe(nationalByAgency.size + 1);
    for (const [key, counts] of nationalByAgency) expect(exported.get(names.get(key)!)).toEqual(counts);
  });

  it('agency (SEC-2, REP-1, acts. 32–33): only its own funnel — its assignments, its row of the national grouping —, its REP-1 of the month row by row, and the office\'s closed request with its history', async () => {
    const page = await signedIn('agencia.as01');
    await openFromMenu(page, 'Indicadores', 'Indicadores');
    expect(await page.getByTestId('indicator-filters').getByLabel('Agencia', { exact: true }).count()).toBe(0);
    await filterMonth(page, `${agency.code} · ${agency.name}`);
    const own = await funnelTable(page);
    const credits = await assignmentsOf(agency.id);
    expect(credits.length).toBeGreaterThan(0);
    expect(own.tagged).toBe(credits.length);
    expect(own.tagged).toBeLessThan(national.tagged!);
    expect(own).toEqual(nationalByAgency.get(String(agency.id)));

    // REP-1 of the month (act. 32): one row per credit assigned to the agency, as of the month's last day.
    await openFromMenu(page, 'Reportes', 'Reportes mensuales');
    const form = page.getByTestId('report-download');
    expect(await form.getByLabel('Agencia (obligatorio)', { exact: true }).count()).toBe(0);
    await form.getByLabel('Mes de la asignación (obligatorio)', { exact: true }).fill(MONTH);
    const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Descargar Excel', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(`rep1-${agency.code}-${MONTH}-corte-${monthEnd(MONTH)}.xlsx`);
    await page.getByTestId('report-download-status').getByText('descargado').waitFor();
    const sheet = (await workbookOf(download)).getWorksheet(`REP-1 ${MONTH}`)!;
    expect(sheet.rowCount - 1).toBe(own.tagged);
    const creditColumn = (sheet.getRow(1).values as unknown[]).indexOf('Crédito');
    const rows: string[] = [];
    sheet.eachRow((row, number) => {
      if (number > 1) rows.push(String(row.getCell(creditColumn).value));
    });
    expect(rows.sort()).toEqual(credits);

    // The office's requests: only the agency's own (SEC-2); the demo's first one delivered, clarified and closed (DL-17).
    const requests = await database.db.selectFrom('report_requests').select(['id', 'agency_id', 'month', 'status']).orderBy('id').execute();
    const ownRequests = requests.filter((request) => request.agency_id === agency.id);
    expect(requests.length).toBeGreaterThan(ownRequests.length);
    await page.getByTestId('report-requests').waitFor();
    const shown = await page.getByTestId('report-request').evaluateAll((cards) => cards.map((card) => Number(card.getAttribute('data-request'))));
    expect(shown.sort((a, b) => a - b)).toEqual(ownRequests.map((request) => request.id));
    const closed = ownRequests.find((request) => request.month === MONTH && request.status === 'closed');
    expect(closed).toBeDefined();
    const card = page.locator(`[data-testid="report-request"][data-request="${closed!.id}"]`);
    expect(await card.getAttribute('data-status')).toBe('closed');
    expect(await card.getByTestId('report-request-status').innerText()).toBe('Cerrado');
    await card.getByText('Aclare por qué tres casos aceptados').waitFor();
    await card.getByText('Los tres casos se aceptaron en viernes').waitFor();
    expect(await card.getByRole('button', { name: 'Descargar el reporte entregado', exact: true }).count()).toBe(1);
    expect(await card.locator('form').count()).toBe(0);

    await card.getByText('Historial de la solicitud', { exact: true }).click();
    const events = card.getByTestId('report-request-event');
    await events.first().waitFor();
    const stored = await database.db.selectFrom('report_request_events').select(['action', 'on_date']).where('report_request_id', '=', closed!.id).orderBy('version').execute();
    expect(stored.map((event) => event.action)).toEqual(['request', 'deliver', 'request_clarification', 'answer_clarification', 'close']);
    expect(await events.evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('data-action'), node.querySelector('time')?.getAttribute('datetime')]))).toEqual(
      stored.map((event) => [event.action, event.on_date]),
    );
    expect(await events.nth(2).innerText()).toContain('Gerencia de Mediación y Convenios');
    expect(await events.nth(1).innerText()).toContain('Agencia de Soluciones');
  });

  it('office (REP-2, act. 34): a repeated request is refused in Spanish, a new one for another delegación appears in the list; /indicadores and /reportes fit a phone', async () => {
    const existing = await database.db
      .selectFrom('report_requests as r')
      .innerJoin('delegations as d', 'd.id', 'r.delegation_id')
      .select(['r.id', 'd.name'])
      .where('r.kind', '=', 'region')
      .where('r.month', '=', MONTH)
      .executeTakeFirstOrThrow();
    const fresh = await database.db
      .selectFrom('delegations as d')
      .select(['d.id', 'd.name'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('report_requests as r').select('r.id').whereRef('r.delegation_id', '=', 'd.id').where('r.month', '=', MONTH))))
      .orderBy('d.name')
      .executeTakeFirstOrThrow();

    const page = await signedIn('gmc', PHONE);
    await openFromMenu(page, 'Reportes', 'Reportes mensuales');
    const form = page.getByTestId('new-report-request');
    await page.getByTestId('report-requests').waitFor();
    // The office chooses the agency of a REP-1 it downloads; the agency above had nothing to choose.
    expect(await page.getByTestId('report-download').getByLabel('Agencia (obligatorio)', { exact: true }).count()).toBe(1);
    await form.getByLabel('Reporte (obligatorio)', { exact: true }).selectOption({ label: 'REP-2 de una delegación (act. 34)' });
    await form.getByLabel('Delegación (obligatorio)', { exact: true }).selectOption({ label: existing.name });
    await form.getByLabel('Mes del reporte (obligatorio)', { exact: true }).fill(MONTH);
    await form.getByRole('button', { name: 'Solicitar', exact: true }).click();
    expect(await form.getByTestId('new-request-error').innerText()).toBe(`Ya se solicitó ese reporte de ${monthNameEs(MONTH)} (solicitud ${existing.id}, «Solicitado: por entregar»).`);

    await form.getByLabel('Delegación (obligatorio)', { exact: true }).selectOption({ label: fresh.name });
    await form.getByRole('button', { name: 'Solicitar', exact: true }).click();
    await form.getByText(/^Solicitud \d+ enviada: /).waitFor();
    const created = await database.db
      .selectFrom('report_requests')
      .select(['id', 'status', 'requested_on'])
      .where('kind', '=', 'region')
      .where('delegation_id', '=', fresh.id)
      .where('month', '=', MONTH)
      .executeTakeFirstOrThrow();
    expect(created).toMatchObject({ status: 'requested', requested_on: TEST_TODAY });
    expect(await form.getByRole('status').innerText()).toContain(`Solicitud ${created.id} enviada`);
    const card = page.locator(`[data-testid="report-request"][data-request="${created.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('requested');
    expect(await card.getByRole('heading', { level: 3 }).innerText()).toContain(fresh.name);
    await card.getByText('Historial de la solicitud', { exact: true }).click();
    await card.locator('[data-testid="report-request-event"][data-action="request"]').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    await page.goto(`/indicadores?desde=${MONTH}&hasta=${MONTH}&agrupar=agencia`);
    await page.getByTestId('funnel-groups').waitFor();
    await page.getByTestId('deadline-table').waitFor();
    expect(await funnelTable(page)).toEqual(national);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // Each bar's value («56 (6.9 % de la etapa anterior)», «100.0 %») stays inside its chart on the phone.
    for (const chart of ['funnel-chart', 'sl1-chart']) {
      const spill = await page.getByTestId(chart).evaluate((node) => {
        const right = node.getBoundingClientRect().right;
        return Math.max(...[...node.querySelectorAll('.barchart__value')].map((value) => value.getBoundingClientRect().right - right));
      });
      expect(spill, chart).toBeLessThanOrEqual(0.5);
    }
  });

  it('archive (REP-4, act. 36): the progress report of any delegación, also one that shipped nothing', async () => {
    const delegations = await database.db.selectFrom('delegations').select(['id', 'name']).orderBy('name').execute();
    const unshipped = await database.db
      .selectFrom('delegations as d')
      .select(['d.id', 'd.name'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('archive_shipments as s').select('s.id').whereRef('s.delegation_id', '=', 'd.id'))))
      .orderBy('d.name')
      .executeTakeFirstOrThrow();
    const page = await signedIn('archivo');
    await openFromMenu(page, 'Archivo', 'Archivo de expedientes');
    const progress = page.getByTestId('progress');
    const select = progress.getByLabel('Delegación', { exact: true });
    await expect.poll(() => select.locator('option').count()).toBe(delegations.length);
    await select.selectOption({ label: unshipped.name });
    await progress.getByTestId('progress-heading').getByText(`${unshipped.name}, ${monthNameEs(MONTH)}`).waitFor();
    expect(await progress.getByTestId('progress-download').getAttribute('href')).toBe(`/api/archive/progress.xlsx?month=${MONTH}&delegationId=${unshipped.id}`);
  });
});
