/**
 * Indicators over HTTP on a real database (SPEC §7 REP-5): the funnel's counts and rates on a
 * hand-counted fixture, its groupings and filters, SL-1 compliance, the deadline counts DL-1..DL-17,
 * the scope of each role (SEC-2), "tagged" from the run summary where it is exact, and the XLSX
 * and CSV exports read back against the API's figures.
 *
 * The fixture lives in months the demo does not touch (2026-07, 2026-08): rows written directly,
 * each case a stage of the funnel, so every expected figure below is counted by hand from the
 * list in `FIXTURE`.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, fixedClock } from '../../clock.js';
import type { Database } from '../../db/index.js';
import { openSeededDatabase, serversByDay, TEST_TODAY } from '../../../test/factories.js';

let database: Database;
const { as, closeAll } = serversByDay(() => database);
const NOW = fixedClock(TEST_TODAY).now();

type Stop =
  | 'assigned'
  | 'tagged'
  | 'solution_at_visit'
  | 'offered'
  | 'refused'
  | 'accepted'
  | 'distributed'
  | 'closed_dl5'
  | 'scheduled'
  | 'held'
  | 'signed'
  | 'approved'
  | 'first_payment'
  | 'filed'
  | 'archived';

type Agency = 'A' | 'B';
type Delegation = 'D1' | 'D2';
type Mediator = 'mA1' | 'mA2' | 'mB1';

interface Entry {
  stop: Stop;
  agency: Agency;
  delegation: Delegation;
  mediator?: Mediator;
  month?: string;
  sl1Met?: boolean;
  breaches?: string[];
}

/** Agency A = AS01 (mediators mA1, mA2) in D1, agency B = AS02 (mB1) in D2; month 2026-08 unless said. */
const FIXTURE: Entry[] = [
  { stop: 'assigned', agency: 'A', delegation: 'D1' },
  { stop: 'assigned', agency: 'A', delegation: 'D2' },
  { stop: 'tagged', agency: 'A', delegation: 'D1' },
  { stop: 'solution_at_visit', agency: 'A', delegation: 'D1' },
  { stop: 'offered', agency: 'A', delegation: 'D1' },
  { stop: 'refused', agency: 'A', delegation: 'D1' },
  { stop: 'accepted', agency: 'A', delegation: 'D1', breaches: ['DL-1'] },
  { stop: 'distributed', agency: 'A', delegation: 'D1', mediator: 'mA1', breaches: ['DL-2'] },
  { stop: 'closed_dl5', agency: 'A', delegation: 'D1', mediator: 'mA1' },
  { stop: 'scheduled', agency: 'A', delegation: 'D1', mediator: 'mA1', breaches: ['DL-6'] },
  { stop: 'held', agency: 'A', delegation: 'D1', mediator: 'mA2' },
  { stop: 'signed', agency: 'A', delegation: 'D1', mediator: 'mA1', sl1Met: true, breaches: ['DL-9'] },
  { stop: 'approved', agency: 'A', delegation: 'D1', mediator: 'mA1', sl1Met: false },
  { stop: 'first_payment', agency: 'A', delegation: 'D1', mediator: 'mA2', sl1Met: true },
  { stop: 'filed', agency: 'A', delegation: 'D1', mediator: 'mA2', sl1Met: true, breaches: ['DL-13.request'] },
  { stop: 'archived', agency: 'A', delegation: 'D1', mediator: 'mA1', sl1Met: true },
  { stop: 'assigned', agency: 'B', delegation: 'D2' },
  { stop: 'offered', agency: 'B', delegation: 'D2' },
  { stop: 'distributed', agency: 'B', delegation: 'D2', mediator: 'mB1' },
  { stop: 'signed', agency: 'B', delegation: 'D2', mediator: 'mB1', sl1Met: false, breaches: ['DL-6', 'DL-9'] },
  { stop: 'signed', agency: 'A', delegation: 'D1', mediator: 'mA1', sl1Met: true, month: '2026-07' },
];

interface Ids {
  agencies: Record<Agency, number>;
  delegations: Record<Delegation, number>;
  mediators: Record<Mediator, number>;
  delegationCodes: Record<Delegation, string>;
  managerId: number;
}
let ids: Ids;
let freeCredits: string[];

const ORDER: Stop[] = ['assigned', 'tagged', 'offered', 'accepted', 'distributed', 'scheduled', 'held', 'signed', 'approved', 'first_payment', 'filed', 'archived'];
/** Whether an entry went through `stop` (the branches solution_at_visit, refused and closed_dl5 stop early). */
function reached(entry: Entry, stop: Stop): boolean {
  const at: Stop = entry.stop === 'solution_at_visit' ? 'tagged' : entry.stop === 'refused' ? 'offered' : entry.stop === 'closed_dl5' ? 'distributed' : entry.stop;
  return ORDER.indexOf(at) >= ORDER.indexOf(stop);
}

async function insertEntry(entry: Entry, index: number): Promise<void> {
  const month = entry.month ?? '2026-08';
  const day = (n: number) => addDays(`${month}-01`, n);
  const creditNumber = freeCredits[index]!;
  const delegationId = ids.delegations[entry.delegation];
  const agencyId = ids.agencies[entry.agency];
  const mediatorId = entry.mediator ? ids.mediators[entry.mediator] : null;
  const db = database.db;
  await db
    .insertInto('credit_assignments')
    .values({ month, credit_number: creditNumber, run_id: null, entry: 'monthly', delegation_id: delegationId, agency_id: agencyId, convenio_type: 'RATIFIED', assigned_on: day(0) })
    .execute();
  if (entry.stop === 'assigned') return;
  const state = {
    tagged: 'tagged',
    solution_at_visit: 'solution_at_visit',
    offered: 'offered',
    refused: 'refused',
    accepted: 'accepted',
    distributed: 'distributed',
    closed_dl5: 'closed_dl5',
    scheduled: 'scheduled',
    held: 'session_held',
  }[entry.stop as string] as 'tagged' | undefined;
  const signed = reached(entry, 'signed');
  const closedOn = entry.stop === 'solution_at_visit' || entry.stop === 'refused' ? day(2) : entry.stop === 'closed_dl5' ? day(34) : signed ? day(11) : null;
  const row = await db
    .insertInto('mediation_cases')
    .values({
      credit_number: creditNumber,
      round: 1,
      entry: 'monthly',
      month,
      convenio_type: 'RATIFIED',
      delegation_id: delegationId,
      agency_id: agencyId,
      mediator_id: mediatorId,
      state: signed ? 'signed' : state!,
      opened_on: day(2),
      accepted_on: reached(entry, 'accepted') || entry.stop === 'closed_dl5' ? day(2) : null,
      distributed_on: reached(entry, 'distributed') ? day(3) : null,
      scheduled_on: reached(entry, 'scheduled') ? day(4) : null,
      session_held_on: reached(entry, 'held') ? day(11) : null,
      closed_on: closedOn,
      closure_rule: entry.stop === 'closed_dl5' ? 'DL-5' : null,
      facts: JSON.stringify({ state: signed ? 'signed' : state }),
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const rule of entry.breaches ?? []) {
    await db.insertInto('case_deadline_breaches').values({ case_id: row.id, rule: rule as 'DL-1', due_on: day(3), flagged_on: day(4) }).execute();
  }
  if (!signed) return;
  const approved = reached(entry, 'approved');
  const paid = reached(entry, 'first_payment');
  const convenio = await db
    .insertInto('convenios')
    .values({
      folio: `IND-${month}-${index}`,
      case_id: row.id,
      credit_number: creditNumber,
      round: 1,
      delegation_id: delegationId,
      agency_id: agencyId,
      mediator_id: mediatorId!,
      convenio_type: 'RATIFIED',
      solution_id: 'SOL-2',
      solution_policy_version: 1,
      status: paid ? 'in_force' : approved ? 'approved' : 'signed',
      accepted_on: day(2),
      signed_on: day(11),
      sl1_due_on: day(32),
      sl1_met: entry.sl1Met ?? true,
      copies: 3,
      acknowledgement_signed: true,
      balance_before_cents: 10_000_000n,
      discount_cents: 0n,
      balance_after_cents: 10_000_000n,
      monthly_payment_cents: 300_000n,
      payment_factor: '1.000000',
      interest_rate_bp: 1000,
      term_months: 240,
      first_payment_cents: 300_000n,
      first_payment_due_on: day(40),
      terms: '{}',
      credit_before: '{}',
      dl9_due_on: day(11),
      approved_on: approved ? day(13) : null,
      first_paid_on: paid ? day(20) : null,
      created_at: NOW,
      updated_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!reached(entry, 'filed')) return;
  const archived = reached(entry, 'archived');
  let shipmentId: number | null = null;
  if (archived) {
    shipmentId = (
      await db
        .insertInto('archive_shipments')
        .values({ folio: `ENV-${index}`, delegation_id: delegationId, courier: 'Mensajería', tracking_number: `GUIA-${index}`, shipped_on: day(30), files_count: 1, created_by_user_id: ids.managerId, created_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  await db
    .insertInto('case_files')
    .values({
      case_id: row.id,
      credit_number: creditNumber,
      delegation_id: delegationId,
      agency_id: agencyId,
      mediator_id: mediatorId!,
      convenio_id: convenio.id,
      outcome: 'signed',
      convenio_type: 'RATIFIED',
      status: archived ? 'archived' : 'submitted',
      submitted_on: day(25),
      accepted_on: archived ? day(27) : null,
      fee_validation_required: true,
      shipment_id: shipmentId,
      archived_on: archived ? day(40) : null,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
}

async function idOf(table: 'agencies', code: string): Promise<number> {
  return (await database.db.selectFrom(table).select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

async function mediatorOf(username: string): Promise<number> {
  return (await database.db.selectFrom('users').select('mediator_id').where('username', '=', username).executeTakeFirstOrThrow()).mediator_id!;
}

beforeAll(async () => {
  database = await openSeededDatabase({ credits: 400 });
  const delegations = await database.db.selectFrom('delegations').select(['id', 'code']).orderBy('id').limit(2).execute();
  const [d1, d2] = delegations as [{ id: number; code: string }, { id: number; code: string }];
  const mediatorsOfA = await database.db.selectFrom('users').select('mediator_id').where('username', 'like', 'mediador.as01.%').orderBy('username').execute();
  ids = {
    agencies: { A: await idOf('agencies', 'AS01'), B: await idOf('agencies', 'AS02') },
    delegations: { D1: d1.id, D2: d2.id },
    delegationCodes: { D1: d1.code.toLowerCase(), D2: d2.code.toLowerCase() },
    mediators: { mA1: await mediatorOf('mediador.as01.1'), mA2: mediatorsOfA[1]!.mediator_id!, mB1: await mediatorOf('mediador.as02.1') },
    managerId: (await database.db.selectFrom('users').select('id').where('role', '=', 'regional_manager').where('delegation_id', '=', d1.id).executeTakeFirstOrThrow()).id,
  };
  freeCredits = (
    await database.db
      .selectFrom('credits as c')
      .select('c.credit_number')
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM mediation_cases m WHERE m.credit_number = c.credit_number)`)
      .orderBy('c.credit_number')
      .limit(FIXTURE.length + 5)
      .execute()
  ).map((row) => row.credit_number);
  for (const [index, entry] of FIXTURE.entries()) await insertEntry(entry, index);
  const reports = [
    { subject: `archive_report:${d1.id}:2026-08`, rule: 'DL-16' as const, delegation_id: d1.id, agency_id: null },
    { subject: 'report_request:9001', rule: 'DL-17.request' as const, delegation_id: null, agency_id: ids.agencies.A },
    { subject: 'report_request:9002', rule: 'DL-17.answer' as const, delegation_id: null, agency_id: ids.agencies.B },
  ];
  for (const report of reports) {
    await database.db.insertInto('report_deadline_breaches').values({ ...report, month: '2026-08', due_on: '2026-08-15', flagged_on: '2026-08-16' }).execute();
  }
});

afterAll(async () => {
  await closeAll();
  await database?.close();
});

const AUGUST = 'monthFrom=2026-08&monthTo=2026-08';

async function get(username: string, url: string) {
  const session = await as(username);
  return session.app.inject({ method: 'GET', url, headers: session.caller.headers });
}

async function json(username: string, url: string) {
  const response = await get(username, url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

type Figure = { stage: string; count: number | null; fromPrevious: { display: string } | null; fromStart: { display: string } | null };
const countsOf = (stages: Figure[]) => Object.fromEntries(stages.map((s) => [s.stage, s.count]));

/** The hand count of every stage for the entries that match. */
function handCount(match: (entry: Entry) => boolean, from: 'tagged' | 'distributed' = 'tagged') {
  const entries = FIXTURE.filter(match);
  const n = (stop: Stop) => entries.filter((entry) => reached(entry, stop)).length;
  const offered = entries.filter((e) => e.stop === 'refused' || reached(e, 'offered') || e.stop === 'closed_dl5').length;
  const counts: Record<string, number | null> = {
    tagged: entries.length,
    offered,
    accepted: entries.filter((e) => reached(e, 'accepted') || e.stop === 'closed_dl5').length,
    distributed: entries.filter((e) => reached(e, 'distributed') || e.stop === 'closed_dl5').length,
    scheduled: n('scheduled'),
    held: n('held'),
    signed: n('signed'),
    approved: n('approved'),
    first_payment: n('first_payment'),
    filed: n('filed'),
    archived: n('archived'),
  };
  if (from === 'distributed') for (const stage of ['tagged', 'offered', 'accepted'] as const) counts[stage] = null;
  return counts;
}

const inAugust = (entry: Entry) => (entry.month ?? '2026-08') === '2026-08';

describe('REP-5 funnel: counts and rates', () => {
  it('REP-5: the national funnel of a month equals the hand count, stage by stage, with exact rates', async () => {
    const body = await json('gmc', `/api/indicators/funnel?${AUGUST}`);
    // Written out: tagged 20, offered 15, accepted 12, distributed 11, scheduled 8, held 7, signed 6, approved 4, paid 3, filed 2, archived 1.
    expect(countsOf(body.totals.stages)).toEqual({ tagged: 20, offered: 15, accepted: 12, distributed: 11, scheduled: 8, held: 7, signed: 6, approved: 4, first_payment: 3, filed: 2, archived: 1 });
    expect(countsOf(body.totals.stages)).toEqual(handCount(inAugust));
    const display = (stage: string) => body.totals.stages.find((s: Figure) => s.stage === stage);
    expect(display('tagged')).toMatchObject({ fromPrevious: null, fromStart: null });
    expect(display('offered').fromPrevious).toEqual({ numerator: 15, denominator: 20, display: '75.0 %' });
    expect(display('distributed').fromPrevious.display).toBe('91.7 %');
    expect(display('scheduled').fromPrevious.display).toBe('72.7 %');
    expect(display('signed').fromPrevious.display).toBe('85.7 %');
    expect(display('signed').fromStart).toEqual({ numerator: 6, denominator: 20, display: '30.0 %' });
    expect(display('archived').fromStart.display).toBe('5.0 %');
    expect(body.start).toBe('tagged');
    expect(body.groups).toEqual([]);
    expect(body.tagged).toEqual({ fromRunSummary: [], counted: ['2026-08'] });
    expect(body.query.scopeLabel).toBe('Agosto de 2026 · Nacional');
  });

  it('REP-5: grouped by agency, each agency its own hand count; the groups add up to the total', async () => {
    const body = await json('gmc', `/api/indicators/funnel?${AUGUST}&groupBy=agency`);
    const byKey = Object.fromEntries(body.groups.map((g: { key: string; stages: Figure[] }) => [g.key, countsOf(g.stages)]));
    expect(byKey[String(ids.agencies.A)]).toEqual(handCount((e) => inAugust(e) && e.agency === 'A'));
    expect(byKey[String(ids.agencies.B)]).toEqual(handCount((e) => inAugust(e) && e.agency === 'B'));
    expect(byKey[String(ids.agencies.A)]!.tagged).toBe(16);
    expect(body.groups.map((g: { label: string }) => g.label)[0]).toMatch(/^AS01 · /);
    expect(countsOf(body.totals.stages).tagged).toBe(20);
  });

  it('REP-5: grouped by month over a range: each month apart, July from its own case', async () => {
    const body = await json('gmc', '/api/indicators/funnel?monthFrom=2026-07&monthTo=2026-08&groupBy=month');
    expect(body.groups.map((g: { key: string; label: string }) => [g.key, g.label])).toEqual([
      ['2026-07', 'julio de 2026'],
      ['2026-08', 'agosto de 2026'],
    ]);
    expect(countsOf(body.groups[0].stages)).toEqual(handCount((e) => e.month === '2026-07'));
    expect(countsOf(body.groups[1].stages)).toEqual(handCount(inAugust));
    expect(countsOf(body.totals.stages).signed).toBe(7);
  });

  it('REP-5: by mediator the funnel starts at distribution — grouped, and filtered', async () => {
    const body = await json('gmc', `/api/indicators/funnel?${AUGUST}&groupBy=mediator`);
    expect(body.start).toBe('distributed');
    expect(body.startNote).toContain('distribución');
    const byKey = Object.fromEntries(body.groups.map((g: { key: string; stages: Figure[] }) => [g.key, countsOf(g.stages)]));
    for (const mediator of ['mA1', 'mA2', 'mB1'] as const) {
      expect(byKey[String(ids.mediators[mediator])]).toEqual(handCount((e) => inAugust(e) && e.mediator === mediator, 'distributed'));
    }
    expect(byKey[String(ids.mediators.mA1)]).toMatchObject({ tagged: null, distributed: 6, scheduled: 4, held: 3, signed: 3, approved: 2, first_payment: 1, filed: 1, archived: 1 });
    const filtered = await json('gmc', `/api/indicators/funnel?${AUGUST}&mediatorId=${ids.mediators.mA2}`);
    expect(countsOf(filtered.totals.stages)).toEqual(handCount((e) => inAugust(e) && e.mediator === 'mA2', 'distributed'));
    expect(filtered.totals.stages.find((s: Figure) => s.stage === 'signed').fromStart.display).toBe('66.7 %');
  });

  it('REP-5: filters narrow the figures — a delegación, and an agency within it', async () => {
    const d2 = await json('gmc', `/api/indicators/funnel?${AUGUST}&delegationId=${ids.delegations.D2}`);
    expect(countsOf(d2.totals.stages)).toEqual(handCount((e) => inAugust(e) && e.delegation === 'D2'));
    const d2a = await json('gmc', `/api/indicators/funnel?${AUGUST}&delegationId=${ids.delegations.D2}&agencyId=${ids.agencies.A}`);
    expect(countsOf(d2a.totals.stages)).toEqual(handCount((e) => inAugust(e) && e.delegation === 'D2' && e.agency === 'A'));
    expect(countsOf(d2a.totals.stages).tagged).toBe(1);
  });
});

describe('SEC-2: each role sees only its scope', () => {
  it('an agency sees its own cases only; another agency\'s filter is refused', async () => {
    const own = await json('agencia.as01', `/api/indicators/funnel?${AUGUST}`);
    expect(countsOf(own.totals.stages)).toEqual(handCount((e) => inAugust(e) && e.agency === 'A'));
    expect(own.query.agencyId).toBe(ids.agencies.A);
    const other = await get('agencia.as01', `/api/indicators/funnel?${AUGUST}&agencyId=${ids.agencies.B}`);
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toContain('SEC-2');
  });

  it('a DR manager sees his delegación only (agency A\'s credit tagged in D2 is not his)', async () => {
    const body = await json(`gerente.${ids.delegationCodes.D1}`, `/api/indicators/funnel?${AUGUST}`);
    expect(countsOf(body.totals.stages)).toEqual(handCount((e) => inAugust(e) && e.delegation === 'D1'));
    expect(countsOf(body.totals.stages).tagged).toBe(15);
    expect((await get(`gerente.${ids.delegationCodes.D1}`, `/api/indicators/funnel?${AUGUST}&delegationId=${ids.delegations.D2}`)).statusCode).toBe(403);
  });

  it('a mediator sees the cases distributed to him, from distribution', async () => {
    const body = await json('mediador.as01.1', `/api/indicators/funnel?${AUGUST}`);
    expect(body.start).toBe('distributed');
    expect(countsOf(body.totals.stages)).toEqual(handCount((e) => inAugust(e) && e.mediator === 'mA1', 'distributed'));
  });

  it.each(['acreditado1', 'asesor.as01.1', 'representante', 'admin'])('%s is refused (403) every indicator and export', async (username) => {
    for (const path of ['funnel', 'sl1', 'breaches', 'funnel.xlsx', 'breaches.csv', 'options']) {
      expect((await get(username, `/api/indicators/${path}?${AUGUST}`)).statusCode).toBe(403);
    }
  });

  it('the filters offered are the scope\'s: an agency its own agency and mediators', async () => {
    const options = await json('agencia.as01', '/api/indicators/options');
    expect(options.agencies.map((a: { id: number }) => a.id)).toEqual([ids.agencies.A]);
    expect(options.mediators.every((m: { agencyId: number }) => m.agencyId === ids.agencies.A)).toBe(true);
    expect(options.currentMonth).toBe('2026-11');
    const national = await json('auditor', '/api/indicators/options');
    expect(national.agencies.length).toBeGreaterThan(1);
    expect(national.groupBy.map((g: { value: string }) => g.value)).toEqual(['none', 'delegation', 'agency', 'mediator', 'month']);
  });
});

describe('REP-5 input', () => {
  it.each([
    ['monthFrom=2026-09&monthTo=2026-08', 'El mes inicial no puede ser posterior al mes final.'],
    ['monthFrom=2026-13', 'El mes debe tener la forma AAAA-MM.'],
    ['monthFrom=2020-01&monthTo=2026-08', 'Consulte a lo más 36 meses a la vez.'],
    ['groupBy=credito', 'Agrupe por delegation, agency, mediator o month.'],
    ['agencyId=abc', 'entero'],
  ])('%s → 400 in Spanish', async (query, message) => {
    const response = await get('gmc', `/api/indicators/funnel?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(message);
  });
});

describe('SL-1 compliance', () => {
  it('SL-1: of the convenios signed in the month\'s cases, those signed within the service level, by agency', async () => {
    const body = await json('gmc', `/api/indicators/sl1?${AUGUST}&groupBy=agency`);
    expect(body.totals).toEqual({ signed: 6, met: 4, notMet: 2, rate: { numerator: 4, denominator: 6, display: '66.7 %' } });
    const byKey = Object.fromEntries(body.groups.map((g: { key: string }) => [g.key, g]));
    expect(byKey[String(ids.agencies.A)]).toMatchObject({ signed: 5, met: 4, notMet: 1, rate: { display: '80.0 %' } });
    expect(byKey[String(ids.agencies.B)]).toMatchObject({ signed: 1, met: 0, notMet: 1, rate: { display: '0.0 %' } });
    expect(body.basis).toContain('mes de la asignación');
  });

  it('SL-1: the signed count equals the funnel\'s, month by month', async () => {
    const sl1 = await json('gmc', '/api/indicators/sl1?monthFrom=2026-07&monthTo=2026-08&groupBy=month');
    const funnel = await json('gmc', '/api/indicators/funnel?monthFrom=2026-07&monthTo=2026-08&groupBy=month');
    expect(sl1.groups.map((g: { key: string; signed: number }) => [g.key, g.signed])).toEqual(
      funnel.groups.map((g: { key: string; stages: Figure[] }) => [g.key, countsOf(g.stages).signed]),
    );
    expect(sl1.groups[0]).toMatchObject({ key: '2026-07', met: 1, rate: { display: '100.0 %' } });
  });
});

describe('DL-1..DL-17 counts', () => {
  const countOf = (counts: Array<{ rule: string; count: number }>) => Object.fromEntries(counts.filter((c) => c.count > 0).map((c) => [c.rule, c.count]));

  it('DL-1..DL-17: every breach, closure and report deadline of the month, by rule, with its Spanish label', async () => {
    const body = await json('gmc', `/api/indicators/breaches?${AUGUST}`);
    expect(countOf(body.totals.counts)).toEqual({ 'DL-1': 1, 'DL-2': 1, 'DL-5': 1, 'DL-6': 2, 'DL-9': 2, 'DL-13.request': 1, 'DL-16': 1, 'DL-17.request': 1, 'DL-17.answer': 1 });
    expect(body.totals.total).toBe(11);
    expect(body.totals.counts).toHaveLength(17);
    const rule = (id: string) => body.rules.find((r: { rule: string }) => r.rule === id);
    expect(rule('DL-1')).toMatchObject({ label: 'La agencia aprueba y distribuye el caso a un mediador', record: 'case_breach' });
    expect(rule('DL-5').label).toContain('Cierre automático');
    expect(rule('DL-13.request')).toMatchObject({ ruleId: 'DL-13', label: 'El Gerente de Cobranza de la DR solicita correcciones al expediente' });
  });

  it('DL-1..DL-17 by agency: report deadlines without an agency go to their own group; the groups add up', async () => {
    const body = await json('gmc', `/api/indicators/breaches?${AUGUST}&groupBy=agency`);
    const byKey = Object.fromEntries(body.groups.map((g: { key: string | null; counts: Array<{ rule: string; count: number }>; total: number }) => [String(g.key), g]));
    expect(countOf(byKey[String(ids.agencies.A)].counts)).toEqual({ 'DL-1': 1, 'DL-2': 1, 'DL-5': 1, 'DL-6': 1, 'DL-9': 1, 'DL-13.request': 1, 'DL-17.request': 1 });
    expect(countOf(byKey[String(ids.agencies.B)].counts)).toEqual({ 'DL-6': 1, 'DL-9': 1, 'DL-17.answer': 1 });
    expect(byKey.null).toMatchObject({ label: 'Sin agencia (reportes de la delegación)', total: 1 });
    expect(body.groups.reduce((sum: number, g: { total: number }) => sum + g.total, 0)).toBe(body.totals.total);
  });

  it('SEC-2: an agency, a DR manager and a mediator count only their own deadlines', async () => {
    const agency = await json('agencia.as01', `/api/indicators/breaches?${AUGUST}`);
    expect(countOf(agency.totals.counts)).toEqual({ 'DL-1': 1, 'DL-2': 1, 'DL-5': 1, 'DL-6': 1, 'DL-9': 1, 'DL-13.request': 1, 'DL-17.request': 1 });
    const manager = await json(`gerente.${ids.delegationCodes.D1}`, `/api/indicators/breaches?${AUGUST}`);
    expect(countOf(manager.totals.counts)).toEqual({ 'DL-1': 1, 'DL-2': 1, 'DL-5': 1, 'DL-6': 1, 'DL-9': 1, 'DL-13.request': 1, 'DL-16': 1 });
    const mediator = await json('mediador.as01.1', `/api/indicators/breaches?${AUGUST}`);
    expect(countOf(mediator.totals.counts)).toEqual({ 'DL-2': 1, 'DL-5': 1, 'DL-6': 1, 'DL-9': 1 });
    expect(mediator.notes.join(' ')).toContain('no se cuentan por mediador');
  });
});

/** The rows of the first sheet of an XLSX body, as plain values. */
async function sheetRows(body: Buffer): Promise<Array<Array<string | number>>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('Indicador')!;
  const rows: Array<Array<string | number>> = [];
  sheet.eachRow((row) => rows.push((row.values as Array<string | number>).slice(1)));
  return rows;
}

function csvRows(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.slice(1).split('\r\n');
  const rows: string[][] = [];
  for (const line of lines) {
    if (line === '') break;
    const cells: string[] = [];
    for (const match of line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)) {
      if (match.index === line.length && match[0] === '') break;
      const cell = match[1]!;
      cells.push(cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);
    }
    rows.push(cells);
  }
  return rows;
}

describe('REP-5 exports: each figure exportable, exactly as shown', () => {
  it('REP-5: the funnel XLSX and CSV, read back, hold the API\'s counts and rates for the total and every group', async () => {
    const query = `${AUGUST}&groupBy=agency`;
    const api = await json('gmc', `/api/indicators/funnel?${query}`);
    const expected: Array<Array<string | number>> = [['Grupo', 'Etapa', 'Casos', 'Conversión desde la etapa anterior', 'Conversión desde «Susceptibles de mediación»']];
    for (const block of [{ label: 'Total', stages: api.totals.stages }, ...api.groups]) {
      for (const figure of block.stages as Figure[] & Array<{ label: string }>) {
        expected.push([block.label, (figure as unknown as { label: string }).label, figure.count!, figure.fromPrevious?.display ?? 'Base', figure.fromStart?.display ?? 'Base']);
      }
    }
    const xlsx = await get('gmc', `/api/indicators/funnel.xlsx?${query}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['content-disposition']).toContain('indicadores-embudo-2026-08.xlsx');
    expect(await sheetRows(xlsx.rawPayload)).toEqual(expected);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    // the workbook's time is the server's clock, the one «Generado» shows
    expect(workbook.created).toEqual(NOW);
    const about = new Map<string, string>();
    workbook.getWorksheet('Acerca de')!.eachRow((row) => about.set(String(row.getCell(1).value), String(row.getCell(2).value)));
    expect(about.get('Periodo y alcance')).toBe(api.query.scopeLabel);
    expect(about.get('Agrupado por')).toBe('Agencia');
    const csv = await get('gmc', `/api/indicators/funnel.csv?${query}`);
    expect(csvRows(csv.body)).toEqual(expected.map((row) => row.map(String)));
  });

  it('REP-5: the SL-1 and deadline XLSX hold the API\'s figures', async () => {
    const sl1 = await json('gmc', `/api/indicators/sl1?${AUGUST}&groupBy=agency`);
    const sl1Rows = await sheetRows((await get('gmc', `/api/indicators/sl1.xlsx?${AUGUST}&groupBy=agency`)).rawPayload);
    expect(sl1Rows.slice(1)).toEqual(
      [{ label: 'Total', ...sl1.totals }, ...sl1.groups].map((g: { label: string; signed: number; met: number; notMet: number; rate: { display: string } }) => [g.label, g.signed, g.met, g.notMet, g.rate.display]),
    );
    const breaches = await json('mediador.as01.1', `/api/indicators/breaches?${AUGUST}`);
    const rows = await sheetRows((await get('mediador.as01.1', `/api/indicators/breaches.xlsx?${AUGUST}`)).rawPayload);
    expect(rows.slice(1).map((row) => [row[1], row[4]])).toEqual(breaches.totals.counts.map((c: { rule: string; count: number }) => [c.rule, c.count]));
    expect(rows[1]).toEqual(['Total', 'DL-1', 'La agencia aprueba y distribuye el caso a un mediador', 'Plazo incumplido', 0]);
  });

  it('REP-5: a mediator\'s funnel export marks the stages before distribution as not applicable', async () => {
    const rows = await sheetRows((await get('mediador.as01.1', `/api/indicators/funnel.xlsx?${AUGUST}`)).rawPayload);
    expect(rows[1]).toEqual(['Total', 'Susceptibles de mediación', 'No aplica', 'No aplica', 'No aplica']);
    expect(rows[4]).toEqual(['Total', 'Distribuidos a un mediador', 6, 'Base', 'Base']);
  });
});

describe('REP-5 tagged from the run summary (ASG-6)', () => {
  it('REP-5: a month with a run and no other entry reads the summary; it equals the month\'s assignments', async () => {
    const count = async (where?: { delegationId: number }) => {
      let query = database.db.selectFrom('credit_assignments').select(sql<string>`count(*)`.as('n')).where('month', '=', '2026-11');
      if (where) query = query.where('delegation_id', '=', where.delegationId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    };
    const national = await json('gmc', '/api/indicators/funnel?monthFrom=2026-11');
    expect(national.tagged).toEqual({ fromRunSummary: ['2026-11'], counted: [] });
    expect(countsOf(national.totals.stages).tagged).toBe(await count());
    const delegation = await json('gmc', `/api/indicators/funnel?monthFrom=2026-11&delegationId=${ids.delegations.D1}`);
    expect(delegation.tagged.fromRunSummary).toEqual(['2026-11']);
    expect(countsOf(delegation.totals.stages).tagged).toBe(await count({ delegationId: ids.delegations.D1 }));
    // A delegación's agencies are not in the summary: counted.
    const crossed = await json('gmc', `/api/indicators/funnel?monthFrom=2026-11&delegationId=${ids.delegations.D1}&groupBy=agency`);
    expect(crossed.tagged.counted).toEqual(['2026-11']);
    expect(crossed.groups.reduce((sum: number, g: { stages: Figure[] }) => sum + countsOf(g.stages).tagged!, 0)).toBe(await count({ delegationId: ids.delegations.D1 }));
  });

  it('REP-5: once an ENT-A proposal tags a credit in the month after its run, the month is counted (the summary is no longer exact)', async () => {
    const before = countsOf((await json('gmc', '/api/indicators/funnel?monthFrom=2026-11')).totals.stages).tagged!;
    const credit = await database.db
      .selectFrom('credits as c')
      .select(['c.credit_number', 'c.delegation_id'])
      .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM credit_assignments a WHERE a.month = '2026-11' AND a.credit_number = c.credit_number)`)
      .orderBy('c.credit_number')
      .executeTakeFirstOrThrow();
    const office = await database.db.selectFrom('users').select('id').where('username', '=', 'gmc').executeTakeFirstOrThrow();
    const proposal = await database.db
      .insertInto('mediation_proposals')
      .values({ entry: 'request', requester_user_id: office.id, requester_area: 'Mediación', reason: 'Solicitud del acreditado', created_at: NOW, status: 'resolved', resolved_by: office.id, resolved_at: NOW, month: '2026-11' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('mediation_proposal_credits').values({ proposal_id: proposal.id, credit_number: credit.credit_number, outcome: 'tagged', agency_id: ids.agencies.A, convenio_type: 'RATIFIED' }).execute();
    await database.db
      .insertInto('credit_assignments')
      .values({ month: '2026-11', credit_number: credit.credit_number, run_id: null, entry: 'request', delegation_id: credit.delegation_id, agency_id: ids.agencies.A, convenio_type: 'RATIFIED', assigned_on: TEST_TODAY })
      .execute();
    const after = await json('gmc', '/api/indicators/funnel?monthFrom=2026-11');
    expect(after.tagged).toEqual({ fromRunSummary: [], counted: ['2026-11'] });
    expect(countsOf(after.totals.stages).tagged).toBe(before + 1);
  });
});

describe('SEC-2: another agency\'s cases do not change an agency\'s figures', () => {
  it('REP-5: a new case of agency B moves the national funnel and leaves agency A\'s as it was', async () => {
    const agencyBefore = await json('agencia.as01', `/api/indicators/funnel?${AUGUST}`);
    const nationalBefore = await json('gmc', `/api/indicators/funnel?${AUGUST}`);
    await insertEntry({ stop: 'held', agency: 'B', delegation: 'D1', mediator: 'mB1' }, FIXTURE.length + 1);
    const agencyAfter = await json('agencia.as01', `/api/indicators/funnel?${AUGUST}`);
    const nationalAfter = await json('gmc', `/api/indicators/funnel?${AUGUST}`);
    expect(agencyAfter.totals).toEqual(agencyBefore.totals);
    expect(countsOf(nationalAfter.totals.stages).held).toBe(countsOf(nationalBefore.totals.stages).held! + 1);
    const manager = await json(`gerente.${ids.delegationCodes.D1}`, `/api/indicators/funnel?${AUGUST}`);
    expect(countsOf(manager.totals.stages).held).toBe(handCount((e) => inAugust(e) && e.delegation === 'D1').held! + 1);
  });
});
