/**
 * REP-1 and REP-2 on a real database (SPEC §7; acts. 32 and 34): a month of AS01 built through the
 * API with a case in every branch of REP-1 — not accepted (refused, a solution at the visit,
 * offered only), accepted and never distributed (closed by DL-5), not scheduled (NS-2), a session
 * that was not held (rescheduled), held but refused to sign (NR-3), signed RATIFIED and registered
 * before the CJA, signed ADMINISTRATIVE, signed after the month ended — then both reports read
 * back with ExcelJS cell by cell; reproducible "as of" a date; scope (SEC-2) and the read log
 * (SEC-4); the command's file.
 */
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type IsoDate } from '../../clock.js';
import type { Database } from '../../db/index.js';
import { actOnCase, FULL_CHECKLIST, openSeededDatabase, serversByDay, type Session } from '../../../test/factories.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { sweepCases } from '../mediation/sweep.service.js';
import { NOT_SCHEDULED_CAUSE_LABELS, REFUSAL_TO_SIGN_CAUSE_LABELS } from '../mediation/mediation.rules.js';
import { importPayments } from '../payments/payments.import.js';
import { SOLUTION_NAMES, type SolutionId } from '../solutions/solutions.rules.js';
import { agencyReportXlsx, planAgencyReport, writeAgencyReportFile } from './rep1.export.js';
import { REP1_COLUMNS } from './rep1.rules.js';
import { planRegionReport, writeRegionReportFile } from './rep2.export.js';
import { REP2_COLUMNS } from './rep2.rules.js';

let database: Database;
const { as, closeAll } = serversByDay(() => database);

const MONTH = '2026-11';
const DAY0: IsoDate = '2026-11-02';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const OPENING_CHECKLIST = { ...FULL_CHECKLIST, 'CHK-10': false };
/** The types the CJA-certified mediator of AS01 may mediate (CNV-2). */
const ANY = ['RATIFIED', 'ADMINISTRATIVE'] as const;

// ------------------------------------------------------------------------------------------------
// Reading a report back
// ------------------------------------------------------------------------------------------------

type Cell = string | number | null;

interface ReadReport {
  headers: string[];
  /** Data rows by credit number (the second column of both reports' first sheets is the credit). */
  rows: Map<string, Cell[]>;
  /** Every data row, in order. */
  all: Cell[][];
  about: Map<string, Cell>;
  sheetNames: string[];
  numFmts: (string | undefined)[];
  frozen: boolean;
  autoFilter: unknown;
}

function plain(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

async function readReport(content: Buffer): Promise<ReadReport> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as never);
  const [data, about] = workbook.worksheets;
  const width = data!.columnCount;
  const all: Cell[][] = [];
  let headers: string[] = [];
  let numFmts: (string | undefined)[] = [];
  data!.eachRow({ includeEmpty: false }, (row, index) => {
    const cells = Array.from({ length: width }, (_, i) => plain(row.getCell(i + 1).value));
    if (index === 1) headers = cells.map(String);
    else {
      all.push(cells);
      if (index === 2) numFmts = Array.from({ length: width }, (_, i) => row.getCell(i + 1).numFmt);
    }
  });
  const aboutLines = new Map<string, Cell>();
  about!.eachRow((row) => aboutLines.set(String(row.getCell(1).value), plain(row.getCell(2).value)));
  return {
    headers,
    rows: new Map(all.map((cells) => [String(cells[1]), cells])),
    all,
    about: aboutLines,
    sheetNames: workbook.worksheets.map((sheet) => sheet.name),
    numFmts,
    frozen: data!.views.some((view) => view.state === 'frozen' && view.ySplit === 1),
    autoFilter: data!.autoFilter,
  };
}

async function download(session: Session, url: string) {
  return session.app.inject({ method: 'GET', url, headers: session.caller.headers });
}

async function report(session: Session, url: string): Promise<ReadReport> {
  const response = await download(session, url);
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  expect(response.headers['content-type']).toContain('spreadsheetml');
  return readReport(response.rawPayload);
}

// ------------------------------------------------------------------------------------------------
// The month of AS01, built through the API
// ------------------------------------------------------------------------------------------------

interface Credit {
  creditNumber: string;
  delegationId: number;
  delegationName: string;
  delegationCode: string;
  borrowerName: string;
  convenioType: 'RATIFIED' | 'ADMINISTRATIVE';
  assignedOn: IsoDate;
  solution: SolutionId | undefined;
  /** The field agent the account is assigned to (act. 2). */
  agent: string;
}

let agencyId: number;
let mediatorId: number;
let mediatorName: string;
let representativeId: number;
const used = new Set<string>();

/** An account of AS01's month with no case, of one of the types, with the field agent it is assigned to (and an available solution when asked). */
async function creditOf(types: readonly Credit['convenioType'][], needsSolution: boolean): Promise<Credit> {
  const office = await as('gmc', DAY0);
  const rows = await sql<{ credit_number: string; delegation_id: number; name: string; code: string; borrower_name: string; assigned_on: string; convenio_type: Credit['convenioType']; agent: string }>`
    SELECT a.credit_number, a.delegation_id, d.name, d.code, c.borrower_name, a.assigned_on, a.convenio_type, coalesce(u.username, 'asesor.as01.1') AS agent
    FROM credit_assignments a
    JOIN credits c ON c.credit_number = a.credit_number
    JOIN delegations d ON d.id = a.delegation_id
    LEFT JOIN users u ON u.id = a.field_agent_user_id AND u.role = 'field_agent'
    WHERE a.month = ${MONTH} AND a.agency_id = ${agencyId} AND a.convenio_type IN (${sql.join(types)}) AND c.broken_convenios = 0
      AND NOT EXISTS (SELECT 1 FROM mediation_cases m WHERE m.credit_number = a.credit_number)
    ORDER BY a.credit_number`.execute(database.db);
  for (const row of rows.rows) {
    if (used.has(row.credit_number)) continue;
    let solution: SolutionId | undefined;
    if (needsSolution) {
      const catalogue = await download(office, `/api/credits/${row.credit_number}/solutions`);
      solution = (catalogue.json().solutions as { solution: SolutionId; available: boolean; terms?: unknown }[]).find((s) => s.available && s.terms)?.solution;
      if (solution === undefined) continue;
    }
    used.add(row.credit_number);
    return {
      creditNumber: row.credit_number,
      delegationId: row.delegation_id,
      delegationName: row.name,
      delegationCode: row.code,
      borrowerName: row.borrower_name,
      convenioType: row.convenio_type,
      assignedOn: row.assigned_on,
      solution,
      agent: row.agent,
    };
  }
  throw new Error(`no ${types.join('/')} account of AS01 left for ${MONTH}`);
}

async function openCase(credit: Credit, on: IsoDate = DAY0): Promise<number> {
  const agent = await as(credit.agent, on);
  const opened = await agent.app.inject({ method: 'POST', url: '/api/cases', headers: agent.caller.headers, payload: { creditNumber: credit.creditNumber } });
  expect(opened.statusCode, opened.body).toBe(201);
  return opened.json().id as number;
}

async function act(username: string, on: IsoDate, caseId: number, action: string, input: object = {}) {
  const session = await as(username, on);
  return actOnCase(session.app, session.caller, caseId, action, input);
}

const managerOf = (credit: Credit) => `gerente.${credit.delegationCode.toLowerCase()}`;

/** act. 2–5: visit, acceptance, representative, distribution (on DAY0 and the next day). */
async function distributedCase(credit: Credit): Promise<number> {
  const caseId = await openCase(credit);
  await act(credit.agent, DAY0, caseId, 'offer_mediation', { channel: 'home_visit', solutionsOffered: credit.solution ? [credit.solution] : [] });
  await act(credit.agent, DAY0, caseId, 'record_acceptance', { privacyNoticeShown: true, contactData: { mobile: '5512345678', email: 'acreditado@example.com' } });
  await act('agencia.as01', '2026-11-03', caseId, 'designate_representative', { representativeId });
  await act('agencia.as01', '2026-11-03', caseId, 'distribute', { mediatorId });
  return caseId;
}

/** act. 11–16: scheduled on `scheduledOn` for `sessionOn`, summoned, drafts provided, held on `sessionOn`. */
async function heldCase(credit: Credit, scheduledOn: IsoDate, sessionOn: IsoDate): Promise<number> {
  const caseId = await distributedCase(credit);
  await act('mediador.as01.1', scheduledOn, caseId, 'schedule_session', { sessionDate: sessionOn, sessionTime: '10:00', mode: 'in_person', place: 'Oficinas de la agencia' });
  await act('mediador.as01.1', scheduledOn, caseId, 'send_summons', { channel: 'email', recipients: ['borrower', 'representative'] });
  await act('mediador.as01.1', scheduledOn, caseId, 'request_draft_convenios');
  await act(managerOf(credit), scheduledOn, caseId, 'provide_draft_convenios');
  await act('mediador.as01.1', sessionOn, caseId, 'hold_session', {
    heldOn: sessionOn,
    mode: 'in_person',
    borrowerAttended: true,
    fundAttendee: 'representative',
    privacyNoticeShownAtStart: true,
    checklist: OPENING_CHECKLIST,
  });
  return caseId;
}

async function sign(credit: Credit, caseId: number, on: IsoDate): Promise<number> {
  await act('mediador.as01.1', on, caseId, 'sign_convenio', {
    signedOn: on,
    convenioType: credit.convenioType,
    solutionId: credit.solution,
    copies: 3,
    signedBy: ['borrower', 'representative', 'mediator'],
    acknowledgementSigned: true,
    firstPaymentExplained: true,
    checklist: FULL_CHECKLIST,
  });
  const row = await database.db.selectFrom('convenios').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return row.id;
}

async function convenioAct(username: string, on: IsoDate, convenioId: number, action: string, input: object = {}) {
  const session = await as(username, on);
  const current = await download(session, `/api/convenios/${convenioId}`);
  const response = await session.app.inject({
    method: 'POST',
    url: `/api/convenios/${convenioId}/actions/${action}`,
    headers: session.caller.headers,
    payload: { version: current.json().version, input },
  });
  expect(response.statusCode, response.body).toBe(200);
}

async function submit(caseId: number, convenioId: number, on: IsoDate) {
  const mediator = await as('mediador.as01.1', on);
  for (const [type, mediaType, content] of [
    ['signed_convenio', 'application/pdf', PDF],
    ['borrower_id', 'image/jpeg', JPEG],
  ] as const) {
    const uploaded = await mediator.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/documents?type=${type}&fileName=archivo`,
      headers: { ...mediator.caller.headers, 'content-type': mediaType },
      payload: content,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
  }
  await convenioAct('mediador.as01.1', on, convenioId, 'submit_documents');
}

const cases = {} as Record<
  'refused' | 'visitSolution' | 'offered' | 'neverDistributed' | 'notScheduled' | 'notHeld' | 'refusedToSign' | 'ratified' | 'administrative' | 'signedLater',
  Credit
>;
let ratifiedConvenio: { id: number; firstPaymentCents: bigint };
let administrativeConvenioId: number;

/** November: every branch up to the month's end. */
async function buildNovember(): Promise<void> {
  cases.refused = await creditOf(ANY, true);
  const refused = await openCase(cases.refused);
  await act(cases.refused.agent, DAY0, refused, 'offer_mediation', { channel: 'home_visit', solutionsOffered: [cases.refused.solution] });
  await act(cases.refused.agent, DAY0, refused, 'record_refusal', { note: 'No le interesa' });

  cases.visitSolution = await creditOf(ANY, true);
  await act(cases.visitSolution.agent, DAY0, await openCase(cases.visitSolution), 'record_solution_at_visit', { solutionId: cases.visitSolution.solution });

  cases.offered = await creditOf(ANY, true);
  await act(cases.offered.agent, DAY0, await openCase(cases.offered), 'offer_mediation', { channel: 'home_visit', solutionsOffered: [cases.offered.solution] });

  cases.neverDistributed = await creditOf(ANY, true);
  const neverDistributed = await openCase(cases.neverDistributed);
  await act(cases.neverDistributed.agent, DAY0, neverDistributed, 'offer_mediation', { channel: 'home_visit', solutionsOffered: [cases.neverDistributed.solution] });
  await act(cases.neverDistributed.agent, DAY0, neverDistributed, 'record_acceptance', { privacyNoticeShown: true });

  cases.notScheduled = await creditOf(ANY, true);
  const notScheduled = await distributedCase(cases.notScheduled);
  await act('mediador.as01.1', '2026-11-04', notScheduled, 'record_contact_attempt', { party: 'borrower', channel: 'phone', reached: true });
  notScheduledCaseId = notScheduled;

  cases.notHeld = await creditOf(ANY, true);
  const notHeld = await distributedCase(cases.notHeld);
  await act('mediador.as01.1', '2026-11-04', notHeld, 'schedule_session', { sessionDate: '2026-11-10', sessionTime: '10:00', mode: 'in_person', place: 'Oficinas' });
  await act('mediador.as01.1', '2026-11-04', notHeld, 'send_summons', { channel: 'email', recipients: ['borrower', 'representative'] });
  await act('mediador.as01.1', '2026-11-10', notHeld, 'reschedule_session', { sessionDate: '2026-11-20', sessionTime: '10:00', mode: 'in_person', place: 'Oficinas' });

  cases.refusedToSign = await creditOf(ANY, true);
  const refusedToSign = await heldCase(cases.refusedToSign, '2026-11-04', '2026-11-11');
  await act('mediador.as01.1', '2026-11-11', refusedToSign, 'record_refusal_to_sign', { cause: 'NR-3', finalSession: true });

  cases.ratified = await creditOf(['RATIFIED'], true);
  const ratified = await heldCase(cases.ratified, '2026-11-04', '2026-11-11');
  const ratifiedId = await sign(cases.ratified, ratified, '2026-11-11');
  await submit(ratified, ratifiedId, '2026-11-11');
  await convenioAct(managerOf(cases.ratified), '2026-11-12', ratifiedId, 'approve');
  const terms = await database.db.selectFrom('convenios').select('first_payment_cents').where('id', '=', ratifiedId).executeTakeFirstOrThrow();
  ratifiedConvenio = { id: ratifiedId, firstPaymentCents: terms.first_payment_cents };
  // CNV-5: the full first payment arrives on the 20th (the import detects it)
  const csv = `credit_number,reference,paid_on,amount,channel\n${cases.ratified.creditNumber},REP1-${ratifiedId},2026-11-20,${ratifiedConvenio.firstPaymentCents / 100n}.${String(ratifiedConvenio.firstPaymentCents % 100n).padStart(2, '0')},window\n`;
  await database.db.transaction().execute((trx) =>
    importPayments(trx, SYSTEM_ACTOR, { fileName: 'pagos.csv', input: Readable.from([Buffer.from(csv)]), today: '2026-11-20', now: fixedClock('2026-11-20').now() }),
  );

  cases.administrative = await creditOf(['ADMINISTRATIVE'], true);
  const administrative = await heldCase(cases.administrative, '2026-11-04', '2026-11-12');
  administrativeConvenioId = await sign(cases.administrative, administrative, '2026-11-12');
  await submit(administrative, administrativeConvenioId, '2026-11-12');

  cases.signedLater = await creditOf(ANY, true);
  signedLaterCaseId = await distributedCase(cases.signedLater);
  await act('mediador.as01.1', '2026-11-20', signedLaterCaseId, 'schedule_session', { sessionDate: '2026-12-02', sessionTime: '10:00', mode: 'in_person', place: 'Oficinas' });
  await act('mediador.as01.1', '2026-11-20', signedLaterCaseId, 'send_summons', { channel: 'email', recipients: ['borrower', 'representative'] });
  await act('mediador.as01.1', '2026-11-20', signedLaterCaseId, 'request_draft_convenios');
  await act(managerOf(cases.signedLater), '2026-11-20', signedLaterCaseId, 'provide_draft_convenios');
}

let notScheduledCaseId: number;
let signedLaterCaseId: number;

/** December: what happens after the month ended (a later approval, signature, NS record, closure, CJA registration). */
async function buildDecember(): Promise<void> {
  await convenioAct(managerOf(cases.administrative), '2026-12-01', administrativeConvenioId, 'approve');
  await act('mediador.as01.1', '2026-12-02', signedLaterCaseId, 'hold_session', {
    heldOn: '2026-12-02',
    mode: 'in_person',
    borrowerAttended: true,
    fundAttendee: 'representative',
    privacyNoticeShownAtStart: true,
    checklist: OPENING_CHECKLIST,
  });
  await sign(cases.signedLater, signedLaterCaseId, '2026-12-02');
  // act. 9: NS on day 31 (DL-4)
  await act('mediador.as01.1', '2026-12-03', notScheduledCaseId, 'record_not_scheduled', { cause: 'NS-2' });
  // day 32: DL-5 closes the case never distributed; act. 10 removes the NS case's tag
  await sweepCases(database.db, { today: '2026-12-04', now: fixedClock('2026-12-04').now(), actor: SYSTEM_ACTOR });
  // act. 27: registered before the CJA on the 4th, recorded on the 5th
  await convenioAct('mediador.as01.1', '2026-12-05', ratifiedConvenio.id, 'record_cja_registration', { centre: 'Centro de Justicia Alternativa', registrationNumber: 'CJA-2026-0042', registeredOn: '2026-12-04' });
}

// ------------------------------------------------------------------------------------------------
// What each of those credits' rows must say
// ------------------------------------------------------------------------------------------------

const TYPE = { RATIFIED: 'Convenio de Mediación Ratificado', ADMINISTRATIVE: 'Convenio de Mediación Administrativo' } as const;
const solution = (credit: Credit) => `${credit.solution} ${SOLUTION_NAMES[credit.solution!]}`;

/** The 21 cells of REP-1 for a credit: identity columns, then items (i)–(vii). */
function expected(credit: Credit, items: Cell[]): Cell[] {
  return [credit.delegationName, credit.creditNumber, credit.borrowerName, TYPE[credit.convenioType], credit.assignedOn, 'Sí', ...items];
}

function novemberRows(): Map<Credit, Cell[]> {
  const distributed = [mediatorName, '2026-11-03'];
  return new Map<Credit, Cell[]>([
    [cases.refused, expected(cases.refused, ['No', null, 'Negativa a la mediación', null, null, 'Sin sesión', 'Negativa a la mediación', null, null, null, null, null, null, null, null])],
    [
      cases.visitSolution,
      expected(cases.visitSolution, ['No', null, `Solución aceptada en la visita (sin mediación): ${solution(cases.visitSolution)}`, null, null, 'Sin sesión', `Solución aceptada en la visita (sin mediación): ${solution(cases.visitSolution)}`, null, null, null, null, null, null, null, null]),
    ],
    [
      cases.offered,
      expected(cases.offered, ['No', null, 'Mediación ofrecida; sin respuesta registrada a la fecha de corte', null, null, 'Sin sesión', 'Mediación ofrecida; sin respuesta registrada a la fecha de corte', null, null, null, null, null, null, null, null]),
    ],
    [cases.neverDistributed, expected(cases.neverDistributed, ['Sí', DAY0, null, null, null, 'Sin sesión', 'En Mediación: sin distribuir a un mediador (act. 5)', null, null, null, null, null, null, null, null])],
    [cases.notScheduled, expected(cases.notScheduled, ['Sí', DAY0, null, ...distributed, 'Sin sesión', 'En contacto con las partes: sin sesión agendada', null, null, null, null, null, null, null, null])],
    [
      cases.notHeld,
      expected(cases.notHeld, ['Sí', DAY0, null, ...distributed, 'No', 'No se celebró la sesión del 10/11/2026 ni la reagendada del 20/11/2026 (act. 14)', null, null, null, null, null, null, null, null]),
    ],
    [
      cases.refusedToSign,
      expected(cases.refusedToSign, ['Sí', DAY0, null, ...distributed, 'Sí', null, 'No', null, null, `NR-3: ${REFUSAL_TO_SIGN_CAUSE_LABELS['NR-3']}`, '2026-11-11', null, null, null]),
    ],
    [cases.ratified, expected(cases.ratified, ['Sí', DAY0, null, ...distributed, 'Sí', null, 'Sí', TYPE.RATIFIED, solution(cases.ratified), null, '2026-11-11', '2026-11-11', 'No', null])],
    [
      cases.administrative,
      expected(cases.administrative, ['Sí', DAY0, null, ...distributed, 'Sí', null, 'Sí', TYPE.ADMINISTRATIVE, solution(cases.administrative), null, '2026-11-12', '2026-11-12', 'No aplica', null]),
    ],
    [cases.signedLater, expected(cases.signedLater, ['Sí', DAY0, null, ...distributed, 'Sin sesión', 'Sesión agendada para el 02/12/2026', null, null, null, null, null, null, null, null])],
  ]);
}

// ------------------------------------------------------------------------------------------------

const AGENCY_URL = (query: string) => `/api/reports/agency.xlsx?month=${MONTH}${query}`;
let asOfMonthEnd: ReadReport;

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 2500 });
  const mediator = await database.db
    .selectFrom('users as u')
    .innerJoin('mediators as m', 'm.id', 'u.mediator_id')
    .select(['m.id', 'm.full_name', 'm.agency_id'])
    .where('u.username', '=', 'mediador.as01.1')
    .executeTakeFirstOrThrow();
  mediatorId = mediator.id;
  mediatorName = mediator.full_name;
  agencyId = mediator.agency_id;
  const representative = await database.db
    .selectFrom('representatives')
    .select('id')
    .where('agency_id', '=', agencyId)
    .where('has_legal_powers', '=', true)
    .where('active', '=', true)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  representativeId = representative.id;
  await buildNovember();
  asOfMonthEnd = await report(await as('gmc', '2026-12-01'), AGENCY_URL(`&agencyId=${agencyId}`));
  await buildDecember();
}, 600_000);

afterAll(async () => {
  await closeAll();
  await database.close();
});

describe('REP-1 — the agency monthly report (act. 32)', () => {
  it('REP-1 (i)–(vii): one row per credit assigned to the agency in the month, every branch cell by cell as of the month end', async () => {
    const read = asOfMonthEnd;
    expect(read.headers).toEqual(REP1_COLUMNS.map((c) => c.header));
    // (i): the rows are exactly the month's assignments of the agency
    const assigned = await database.db.selectFrom('credit_assignments').select('credit_number').where('month', '=', MONTH).where('agency_id', '=', agencyId).execute();
    expect(read.all.length).toBe(assigned.length);
    expect([...read.rows.keys()].sort()).toEqual(assigned.map((a) => a.credit_number).sort());
    expect(read.all.every((row) => row[5] === 'Sí')).toBe(true);
    for (const [credit, cells] of novemberRows()) expect(read.rows.get(credit.creditNumber), credit.creditNumber).toEqual(cells);
    // a clean table a person can filter: frozen header, autofilter, dates as dates
    expect(read.frozen).toBe(true);
    expect(read.autoFilter).toBe('A1:U1');
    expect(read.numFmts[4]).toBe('dd/mm/yyyy');
    expect(read.sheetNames).toEqual([`REP-1 ${MONTH}`, 'Acerca de']);
    expect(read.about.get('Con corte al')).toBe('2026-11-30');
    expect(read.about.get('Agencia')).toMatch(/^AS01 — /);
  });

  it('REP-1 (ii)–(v) agree with the event log for every credit of the month, and «Acerca de» counts the rows', async () => {
    const read = asOfMonthEnd;
    const log = await sql<{ credit_number: string; accepted: boolean; held: boolean; signed: boolean }>`
      SELECT c.credit_number,
             bool_or(e.action IN ('record_acceptance', 'mark_accepted')) AS accepted,
             bool_or(e.action = 'hold_session') AS held,
             bool_or(e.action = 'sign_convenio') AS signed
      FROM mediation_cases c JOIN case_events e ON e.case_id = c.id
      WHERE c.month = ${MONTH} AND c.agency_id = ${agencyId} AND e.on_date <= '2026-11-30'
      GROUP BY c.credit_number`.execute(database.db);
    const byCredit = new Map(log.rows.map((row) => [row.credit_number, row]));
    for (const [credit, cells] of read.rows) {
      const facts = byCredit.get(credit);
      expect(cells[6], credit).toBe(facts?.accepted ? 'Sí' : 'No');
      expect(cells[11] === 'Sí', credit).toBe(facts?.held ?? false);
      expect(cells[13] === 'Sí', credit).toBe(facts?.signed ?? false);
    }
    const count = (column: number, value: string) => read.all.filter((row) => row[column] === value).length;
    expect(read.about.get('(i) Créditos asignados susceptibles de mediación')).toBe(read.all.length);
    expect(read.about.get('(ii) Aceptaron la mediación')).toBe(count(6, 'Sí'));
    expect(read.about.get('(iii) Distribuidos a un mediador')).toBe(read.all.filter((row) => row[9] !== null).length);
    expect(read.about.get('(iv) De los distribuidos: asistieron a la sesión')).toBe(count(11, 'Sí'));
    expect(read.about.get('(v) De los que asistieron: firmaron el convenio')).toBe(count(13, 'Sí'));
    expect(read.about.get('(v) De los que asistieron: no firmaron')).toBe(count(13, 'No'));
  });

  it('REP-1 is reproducible "as of" a date: computed again after later events, the report as of the month end is identical; as of later dates the new facts appear', async () => {
    const office = await as('gmc', '2026-12-06');
    const again = await report(office, AGENCY_URL(`&agencyId=${agencyId}`));
    expect(again.all).toEqual(asOfMonthEnd.all);
    expect(await report(office, AGENCY_URL(`&agencyId=${agencyId}&asOf=2026-11-30`))).toMatchObject({ all: asOfMonthEnd.all });

    const later = await report(office, AGENCY_URL(`&agencyId=${agencyId}&asOf=2026-12-05`));
    const rows = novemberRows();
    const distributed = [mediatorName, '2026-11-03'];
    // the signature of 2 December, the NS-2 of day 31, the DL-5 closure of day 32, the CJA registration recorded on the 5th
    expect(later.rows.get(cases.signedLater.creditNumber)).toEqual(
      expected(cases.signedLater, [
        'Sí', DAY0, null, ...distributed, 'Sí', null, 'Sí', TYPE[cases.signedLater.convenioType], solution(cases.signedLater), null, '2026-12-02', '2026-12-02',
        cases.signedLater.convenioType === 'RATIFIED' ? 'No' : 'No aplica', null,
      ]),
    );
    expect(later.rows.get(cases.notScheduled.creditNumber)).toEqual(
      expected(cases.notScheduled, ['Sí', DAY0, null, ...distributed, 'Sin sesión', `NS-2: ${NOT_SCHEDULED_CAUSE_LABELS['NS-2']}`, null, null, null, null, null, null, null, null]),
    );
    expect(later.rows.get(cases.neverDistributed.creditNumber)![12]).toBe('Cerrado automáticamente: sin sesión agendada ni registro (DL-5)');
    expect(later.rows.get(cases.ratified.creditNumber)!.slice(19)).toEqual(['Sí', '2026-12-04']);
    expect(later.rows.get(cases.refused.creditNumber)).toEqual(rows.get(cases.refused));
    // registered on the 4th but recorded on the 5th: not yet in the report as of the 4th
    const fourth = await report(office, AGENCY_URL(`&agencyId=${agencyId}&asOf=2026-12-04`));
    expect(fourth.rows.get(cases.ratified.creditNumber)!.slice(19)).toEqual(['No', null]);
    expect(fourth.rows.get(cases.notScheduled.creditNumber)![12]).toBe(`NS-2: ${NOT_SCHEDULED_CAUSE_LABELS['NS-2']}`);
  });

  it('REP-1 refuses a month not over, an "as of" before the month end or in the future (400, Spanish)', async () => {
    const office = await as('gmc', '2026-12-06');
    for (const [query, message] of [
      [`/api/reports/agency.xlsx?month=2026-12&agencyId=${agencyId}`, /mes concluido/],
      [AGENCY_URL(`&agencyId=${agencyId}&asOf=2026-11-29`), /no puede ser anterior/],
      [AGENCY_URL(`&agencyId=${agencyId}&asOf=2026-12-07`), /no puede ser posterior a hoy/],
    ] as const) {
      const response = await download(office, query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().message).toMatch(message);
    }
  });

  it('SEC-2: an agency reads only its own REP-1; a DR manager only agencies serving his delegación, restricted to its rows; other roles are refused', async () => {
    const agency = await as('agencia.as01', '2026-12-06');
    const own = await report(agency, AGENCY_URL(''));
    expect(own.all).toEqual(asOfMonthEnd.all);
    const other = await database.db.selectFrom('agencies').select('id').where('id', '<>', agencyId).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const refused = await download(agency, AGENCY_URL(`&agencyId=${other.id}`));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/SEC-2/);

    const manager = await as(managerOf(cases.ratified), '2026-12-06');
    const regional = await report(manager, AGENCY_URL(`&agencyId=${agencyId}`));
    expect(regional.all.length).toBeGreaterThan(0);
    expect(regional.all.every((row) => row[0] === cases.ratified.delegationName)).toBe(true);
    expect(regional.all).toEqual(asOfMonthEnd.all.filter((row) => row[0] === cases.ratified.delegationName));
    const notServing = await database.db
      .selectFrom('agencies as ag')
      .select('ag.id')
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM agency_delegations x WHERE x.agency_id = ag.id AND x.delegation_id = ${cases.ratified.delegationId})`)
      .orderBy('ag.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect((await download(manager, AGENCY_URL(`&agencyId=${notServing.id}`))).statusCode).toBe(403);

    const mediator = await as('mediador.as01.1', '2026-12-06');
    expect((await download(mediator, AGENCY_URL(`&agencyId=${agencyId}`))).statusCode).toBe(403);
  });

  it('SEC-4: every borrower in a downloaded REP-1 is logged as a read by the user', async () => {
    const agency = await as('agencia.as01', '2026-12-07');
    const user = await database.db.selectFrom('users').select('id').where('username', '=', 'agencia.as01').executeTakeFirstOrThrow();
    const purpose = `REP-1 AS01 ${MONTH} (corte 2026-11-30)`;
    const logged = () => database.db.selectFrom('personal_data_reads').select('credit_number').where('user_id', '=', user.id).where('purpose', '=', purpose).execute();
    const before = await logged();
    const read = await report(agency, AGENCY_URL(''));
    // the log is written page by page in the report's transaction, which commits just after the
    // last byte is sent: wait for that commit (on PostgreSQL it can lag the reply by a moment)
    let after = await logged();
    for (let tries = 0; after.length - before.length < read.all.length && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await logged();
    }
    expect(after.length - before.length).toBe(read.all.length);
    expect(new Set(after.map((row) => row.credit_number))).toEqual(new Set(read.rows.keys()));
  });

  it('a download abandoned by its reader ends the report and its transaction: the database answers the next query', async () => {
    const plan = await planAgencyReport(database.db, undefined, { agency: agencyId, month: MONTH, today: '2026-12-06' });
    const stream = agencyReportXlsx(database.db, plan, { now: fixedClock('2026-12-06').now() });
    await once(stream, 'data');
    stream.destroy();
    await once(stream, 'close');
    const next = await database.db.selectFrom('agencies').select('id').where('id', '=', agencyId).execute();
    expect(next).toEqual([{ id: agencyId }]);
  });

  it('the command `cobranza report agency` writes the same REP-1 to a file, by agency code, with its progress', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'rep1-'));
    try {
      const path = join(directory, 'rep1.xlsx');
      const plan = await planAgencyReport(database.db, undefined, { agency: 'as01', month: MONTH, today: '2026-12-06' });
      expect(plan.agency.id).toBe(agencyId);
      const progress: number[] = [];
      let total = 0;
      const rows = await writeAgencyReportFile(database.db, plan, { path, now: fixedClock('2026-12-06').now(), onStart: (n) => (total = n), onProgress: (n) => progress.push(n) });
      expect(rows).toBe(asOfMonthEnd.all.length);
      expect(total).toBe(rows);
      expect(progress.at(-1)).toBe(rows);
      expect((await readReport(readFileSync(path))).all).toEqual(asOfMonthEnd.all);
      await expect(writeAgencyReportFile(database.db, plan, { path: join(directory, 'no', 'existe.xlsx'), now: new Date(0) })).rejects.toMatchObject({ code: 'VALIDATION' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('REP-2 — the delegación monthly report (act. 34)', () => {
  const regionUrl = (delegationId: number, asOf?: string) => `/api/reports/region.xlsx?month=${MONTH}&delegationId=${delegationId}${asOf ? `&asOf=${asOf}` : ''}`;

  it('REP-2: the convenios signed in the month with agency, type, solution, signature, approval, first payment (money) and status, as of the date', async () => {
    const office = await as('gmc', '2026-12-06');
    const read = await report(office, regionUrl(cases.ratified.delegationId));
    expect(read.headers).toEqual(REP2_COLUMNS.map((c) => c.header));
    const folio = (id: number) => database.db.selectFrom('convenios').select(['folio', 'agency_id']).where('id', '=', id).executeTakeFirstOrThrow();
    const ratified = await folio(ratifiedConvenio.id);
    const agencyName = (await database.db.selectFrom('agencies').select('name').where('id', '=', agencyId).executeTakeFirstOrThrow()).name;
    expect(read.rows.get(cases.ratified.creditNumber)).toEqual([
      cases.ratified.delegationName,
      cases.ratified.creditNumber,
      cases.ratified.borrowerName,
      ratified.folio,
      agencyName,
      TYPE.RATIFIED,
      solution(cases.ratified),
      '2026-11-11',
      '2026-11-12',
      Number(`${ratifiedConvenio.firstPaymentCents / 100n}.${String(ratifiedConvenio.firstPaymentCents % 100n).padStart(2, '0')}`),
      '2026-11-20',
      'Vigente: primer pago recibido (CNV-5)',
    ]);
    const column = REP2_COLUMNS.findIndex((c) => c.header === 'Primer pago (monto)');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(office, regionUrl(cases.ratified.delegationId))).rawPayload as never);
    const sheet = workbook.worksheets[0]!;
    let moneyFormat: string | undefined;
    sheet.eachRow((row, index) => {
      if (index > 1 && row.getCell(2).value === cases.ratified.creditNumber) moneyFormat = row.getCell(column + 1).numFmt;
    });
    expect(moneyFormat).toBe('$#,##0.00');
    // every convenio signed in November in the delegación, and nothing else
    const signed = await database.db
      .selectFrom('convenios')
      .select('credit_number')
      .where('delegation_id', '=', cases.ratified.delegationId)
      .where('signed_on', '>=', '2026-11-01')
      .where('signed_on', '<=', '2026-11-30')
      .execute();
    expect([...read.rows.keys()].sort()).toEqual([...new Set(signed.map((s) => s.credit_number))].sort());
    expect(read.about.get('Convenios firmados')).toBe(read.all.length);
    expect(read.about.get('Convenios con primer pago')).toBe(read.all.filter((row) => row[9] !== null).length);
    // the convenio signed in December is not a November convenio
    expect(read.rows.has(cases.signedLater.creditNumber)).toBe(false);
  });

  it('REP-2 is reproducible "as of" a date: the approval recorded on 1 December is not in the report as of the month end', async () => {
    const office = await as('gmc', '2026-12-06');
    const delegation = cases.administrative.delegationId;
    const monthEnd = await report(office, regionUrl(delegation, '2026-11-30'));
    const administrative = monthEnd.rows.get(cases.administrative.creditNumber)!;
    expect(administrative.slice(7)).toEqual(['2026-11-12', null, null, null, 'En revisión de la DR (act. 23)']);
    const later = await report(office, regionUrl(delegation, '2026-12-01'));
    expect(later.rows.get(cases.administrative.creditNumber)!.slice(7)).toEqual(['2026-11-12', '2026-12-01', null, null, 'Aprobado: en espera del primer pago (act. 25–26)']);
    // computed again after that day, the month-end report has not changed
    const again = await report(await as('gmc', '2026-12-07'), regionUrl(delegation, '2026-11-30'));
    expect(again.all).toEqual(monthEnd.all);
  });

  it('SEC-2: a DR manager reads only his delegación\'s REP-2; an agency does not read REP-2', async () => {
    const manager = await as(managerOf(cases.ratified), '2026-12-06');
    expect((await report(manager, `/api/reports/region.xlsx?month=${MONTH}`)).rows.has(cases.ratified.creditNumber)).toBe(true);
    const other = await database.db.selectFrom('delegations').select('id').where('id', '<>', cases.ratified.delegationId).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const refused = await download(manager, regionUrl(other.id));
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/SEC-2/);
    expect((await download(await as('agencia.as01', '2026-12-06'), regionUrl(cases.ratified.delegationId))).statusCode).toBe(403);
  });

  it('the command `cobranza report region` writes REP-2 to a file, by delegación code', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'rep2-'));
    try {
      const path = join(directory, 'rep2.xlsx');
      const plan = await planRegionReport(database.db, undefined, { delegation: cases.ratified.delegationCode.toLowerCase(), month: MONTH, today: '2026-12-06' });
      const rows = await writeRegionReportFile(database.db, plan, { path, now: fixedClock('2026-12-06').now() });
      const read = await readReport(readFileSync(path));
      expect(read.all.length).toBe(rows);
      expect(read.rows.has(cases.ratified.creditNumber)).toBe(true);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
