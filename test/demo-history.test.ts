/**
 * The demo's past month (issue 6, item 9): on a fresh start last month has been worked through to
 * the archive, so the case files are in every state, there are shipments with receipts, an
 * archive-progress report (REP-4) and the office's report requests (acts. 32–34), and the reports
 * and indicators of that month show real figures: REP-1 read back has a row per tagged credit with
 * acceptances and signatures; the funnel reaches «archived».
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, monthOf } from '../src/clock.js';
import type { Database } from '../src/db/index.js';
import type { App } from '../src/http/context.js';
import { buildTestServer, login, openSeededDatabase, TEST_TODAY, type Caller } from './factories.js';

const PAST_MONTH = monthOf(addDays(`${monthOf(TEST_TODAY)}-01`, -1));

let database: Database;
let app: App;
let office: Caller;

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 1500, pastMonth: true });
  app = await buildTestServer(database);
  office = await login(app, 'gmc');
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('demo: a full past month (issue 6, item 9)', () => {
  it('has case files in every state (EXP-1, EXP-2), shipments with receipts, REP-4 and report requests', async () => {
    const { rows: files } = await sql<{ status: string; outcome: string; n: number }>`
      SELECT status, outcome, count(*)::int AS n FROM case_files GROUP BY 1, 2`.execute(database.db);
    const statuses = new Set(files.map((f) => f.status));
    for (const status of ['submitted', 'corrections_requested', 'accepted', 'digitised', 'shipped', 'archived']) expect(statuses, status).toContain(status);
    expect(new Set(files.map((f) => f.outcome))).toEqual(new Set(['signed', 'not_signed']));
    const building = await get(office, '/api/case-files?queue=to_build&pageSize=200');
    expect(building.total).toBeGreaterThan(0);

    const shipments = await database.db.selectFrom('archive_shipments').select(['id', 'shipped_on']).execute();
    expect(shipments.length).toBeGreaterThan(0);
    for (const shipment of shipments) expect(monthOf(shipment.shipped_on)).toBe(monthOf(TEST_TODAY));
    const archived = await database.db.selectFrom('case_files').select('archived_on').where('status', '=', 'archived').execute();
    expect(archived.length).toBeGreaterThan(0);
    const reports = await database.db.selectFrom('archive_progress_reports').select(['month', 'sent_on', 'dl16_due_on']).execute();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.month).toBe(PAST_MONTH);
    expect(reports[0]!.sent_on <= reports[0]!.dl16_due_on).toBe(true);
    const requests = await database.db.selectFrom('report_requests').select(['kind', 'status', 'month']).orderBy('id').execute();
    expect(requests.map((r) => [r.kind, r.status, r.month])).toEqual([
      ['agency', 'closed', PAST_MONTH],
      ['agency', 'clarification_requested', PAST_MONTH],
      ['region', 'requested', PAST_MONTH],
    ]);
  });

  it('REP-1 of the past month, read back, has the tagged credits with acceptances, signatures and CJA registrations', async () => {
    const agency = await database.db.selectFrom('agencies').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const response = await app.inject({ method: 'GET', url: `/api/reports/agency.xlsx?agencyId=${agency.id}&month=${PAST_MONTH}`, headers: office.headers });
    expect(response.statusCode, response.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const tagged = await database.db
      .selectFrom('credit_assignments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('month', '=', PAST_MONTH)
      .where('agency_id', '=', agency.id)
      .executeTakeFirstOrThrow();
    expect(sheet.rowCount - 1).toBe(Number(tagged.n));
    const column = (pattern: RegExp) => header.findIndex((h) => pattern.test(h));
    const yes = (index: number) => sheet.getRows(2, sheet.rowCount - 1)!.filter((row) => row.getCell(index).value === 'Sí').length;
    expect(yes(column(/acept/i))).toBeGreaterThan(0);
    expect(yes(column(/firm/i))).toBeGreaterThan(0);
  });

  it('the funnel of the past month goes from tagged to archived (REP-5)', async () => {
    const funnel = await get(office, `/api/indicators/funnel?monthFrom=${PAST_MONTH}&monthTo=${PAST_MONTH}`);
    const count = (stage: string) => (funnel.totals.stages as Array<{ stage: string; count: number }>).find((s) => s.stage === stage)!.count;
    expect(count('tagged')).toBeGreaterThan(count('accepted'));
    for (const stage of ['accepted', 'held', 'signed', 'approved', 'first_payment', 'filed', 'archived']) expect(count(stage), stage).toBeGreaterThan(0);
  });
});

async function get(caller: Caller, url: string) {
  const response = await app.inject({ method: 'GET', url, headers: caller.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
