import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../clock.js';
import {
  DEADLINE_ANCHOR_OF,
  DEADLINE_KEYS,
  DEFAULT_DEADLINE_POLICY,
  DEFAULT_HOLIDAY_POLICY,
  MEXICAN_HOLIDAYS,
  ZDeadlinePolicy,
  ZHolidayPolicy,
  addBusinessDays,
  addDeadlineDays,
  agencyReportDueDates,
  archiveReportDueDate,
  breachesDl1,
  breachesDl2,
  breachesDl4,
  breachesDl6,
  caseDay,
  caseDueDates,
  closesByDl5,
  closesByDl8,
  countDeadlineDays,
  createHolidayCalendar,
  dayOfWeek,
  dueDateOf,
  explainDeadline,
  isBusinessDay,
  presidentialInauguration,
  rollToBusinessDay,
  ruleIdOf,
  statutoryRestDays,
  type CaseDeadlineFacts,
  type DayUnit,
  type DeadlineKey,
  type DeadlinePolicy,
  type DueDate,
  type HolidayCalendar,
} from './deadlines.rules.js';

const ACCEPTED: IsoDate = '2026-10-22'; // day 32 = 23/11/2026
const policy = DEFAULT_DEADLINE_POLICY;
const holidays = MEXICAN_HOLIDAYS;

/** A policy with every deadline of the case clock in business days. */
function businessPolicy(): DeadlinePolicy {
  const result = structuredClone(DEFAULT_DEADLINE_POLICY);
  for (const key of DEADLINE_KEYS) result[key].unit = 'business';
  return result;
}

function dueFor(dates: DueDate[], key: DeadlineKey): DueDate[] {
  return dates.filter((date) => date.key === key);
}

function onlyDue(dates: DueDate[], key: DeadlineKey): DueDate {
  const found = dueFor(dates, key);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Independent oracle: business days in (from, to], walking day by day with the statutory list. */
function oracleElapsed(from: IsoDate, to: IsoDate, unit: DayUnit): number {
  if (unit === 'calendar') return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  const rest = new Set<string>();
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) for (const day of statutoryRestDays(year)) rest.add(day.date);
  let count = 0;
  for (let current = addDays(from, 1); current <= to; current = addDays(current, 1)) {
    const weekday = new Date(`${current}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !rest.has(current)) count += 1;
  }
  return count;
}

const arbDate = (from: IsoDate = '2020-01-01', span = 365 * 15) => fc.integer({ min: 0, max: span }).map((offset) => addDays(from, offset));

/** Random consistent policies: DL-3 < DL-4 < DL-5, DL-3 ≤ DL-7 < DL-8, one unit for the case clock. */
const arbPolicy: fc.Arbitrary<DeadlinePolicy> = fc
  .record({
    unit: fc.constantFrom<DayUnit>('calendar', 'business'),
    otherUnit: fc.constantFrom<DayUnit>('calendar', 'business'),
    dl3: fc.integer({ min: 1, max: 60 }),
    gap4: fc.integer({ min: 1, max: 3 }),
    gap5: fc.integer({ min: 1, max: 3 }),
    extra7: fc.integer({ min: 0, max: 90 }),
    gap8: fc.integer({ min: 1, max: 5 }),
    small: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ unit, otherUnit, dl3, gap4, gap5, extra7, gap8, small }) => {
    const result = structuredClone(DEFAULT_DEADLINE_POLICY);
    result['DL-3'] = { amount: dl3, unit, from: 'acceptance' };
    result['DL-4'] = { amount: dl3 + gap4, unit, from: 'acceptance' };
    result['DL-5'] = { amount: dl3 + gap4 + gap5, unit, from: 'acceptance' };
    result['DL-7'] = { amount: dl3 + extra7, unit, from: 'acceptance' };
    result['DL-8'] = { amount: dl3 + extra7 + gap8, unit, from: 'acceptance' };
    result['DL-1'] = { amount: small, unit: otherUnit, from: 'acceptance' };
    result['DL-2'] = { amount: small, unit: otherUnit, from: 'distribution' };
    result['DL-6'] = { amount: small, unit: otherUnit, from: 'scheduling' };
    return result;
  });

describe('deadline policy (SPEC §5)', () => {
  it('the defaults are a valid policy', () => {
    expect(ZDeadlinePolicy.parse(DEFAULT_DEADLINE_POLICY)).toEqual(DEFAULT_DEADLINE_POLICY);
  });

  it.each<[DeadlineKey, number, DayUnit, string]>([
    ['DL-1', 1, 'calendar', 'acceptance'],
    ['DL-2', 1, 'calendar', 'distribution'],
    ['DL-3', 30, 'calendar', 'acceptance'],
    ['DL-4', 31, 'calendar', 'acceptance'],
    ['DL-5', 32, 'calendar', 'acceptance'],
    ['DL-6', 0, 'calendar', 'scheduling'],
    ['DL-7', 90, 'calendar', 'acceptance'],
    ['DL-8', 91, 'calendar', 'acceptance'],
    ['DL-9', 0, 'calendar', 'signature'],
    ['DL-10', 1, 'calendar', 'convenio_receipt'],
    ['DL-11', 1, 'calendar', 'correction_request'],
    ['DL-12', 1, 'calendar', 'convenio_receipt'],
    ['DL-13.request', 2, 'calendar', 'case_file_receipt'],
    ['DL-13.answer', 2, 'calendar', 'file_correction_request'],
    ['DL-14', 1, 'calendar', 'certificates_receipt'],
    ['DL-15', 2, 'calendar', 'service_conclusion'],
    ['DL-16', 15, 'calendar', 'month_start'],
    ['DL-17.request', 10, 'calendar', 'report_receipt'],
    ['DL-17.answer', 2, 'calendar', 'report_clarification_request'],
    ['DL-18', 1, 'calendar', 'office_notice'],
    ['SL-1', 30, 'calendar', 'acceptance'],
  ])('%s defaults to %i %s days from %s (seed 001)', (key, amount, unit, from) => {
    expect(DEFAULT_DEADLINE_POLICY[key]).toEqual({ amount, unit, from });
    expect(DEADLINE_ANCHOR_OF[key]).toBe(from);
  });

  it('covers every rule DL-1..DL-18 and SL-1', () => {
    const rules = new Set(DEADLINE_KEYS.map(ruleIdOf));
    expect([...rules]).toEqual([...Array.from({ length: 18 }, (_, i) => `DL-${i + 1}`), 'SL-1']);
  });

  const inconsistent: Array<[string, (p: DeadlinePolicy) => void, string]> = [
    ['DL-5 closure not after DL-3', (p) => (p['DL-5'].amount = 30), 'DL-5'],
    ['DL-5 closure not after DL-4', (p) => (p['DL-5'].amount = 31), 'DL-5'],
    ['DL-4 record not after DL-3', (p) => (p['DL-4'].amount = 30), 'DL-4'],
    ['DL-8 closure not after DL-7', (p) => (p['DL-8'].amount = 90), 'DL-8'],
    ['DL-7 window shorter than DL-3', (p) => (p['DL-7'].amount = 29), 'DL-7'],
    ['case clock in mixed units', (p) => (p['DL-5'].unit = 'business'), 'DL-5'],
  ];
  it.each(inconsistent)('refuses a policy with %s', (_name, change, rule) => {
    const candidate = structuredClone(DEFAULT_DEADLINE_POLICY);
    change(candidate);
    const result = ZDeadlinePolicy.safeParse(candidate);
    expect(result.success).toBe(false);
    expect(result.error?.issues.some((issue) => issue.path[0] === rule && issue.message.includes(rule))).toBe(true);
  });

  it('refuses changing what a deadline counts from (the procedure is fixed)', () => {
    const candidate = structuredClone(DEFAULT_DEADLINE_POLICY) as unknown as Record<string, { from: string }>;
    candidate['DL-5']!.from = 'distribution';
    expect(ZDeadlinePolicy.safeParse(candidate).success).toBe(false);
  });

  it('refuses negative, fractional or missing amounts and unknown units', () => {
    for (const bad of [{ amount: -1 }, { amount: 1.5 }, { amount: undefined }, { unit: 'weeks' }]) {
      const candidate = { ...DEFAULT_DEADLINE_POLICY, 'DL-2': { ...DEFAULT_DEADLINE_POLICY['DL-2'], ...bad } };
      expect(ZDeadlinePolicy.safeParse(candidate).success).toBe(false);
    }
  });

  it('property: every consistently ordered policy is accepted; swapping DL-7 and DL-8 is refused', () => {
    fc.assert(
      fc.property(arbPolicy, (candidate) => {
        expect(ZDeadlinePolicy.safeParse(candidate).success).toBe(true);
        const swapped = structuredClone(candidate);
        [swapped['DL-7'].amount, swapped['DL-8'].amount] = [candidate['DL-8'].amount, candidate['DL-7'].amount];
        expect(ZDeadlinePolicy.safeParse(swapped).success).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('holiday calendar (LFT art. 74)', () => {
  it('2026: 1 Jan, 2 Feb, 16 Mar, 1 May, 16 Sep, 16 Nov, 25 Dec', () => {
    expect(statutoryRestDays(2026).map((day) => day.date)).toEqual([
      '2026-01-01',
      '2026-02-02',
      '2026-03-16',
      '2026-05-01',
      '2026-09-16',
      '2026-11-16',
      '2026-12-25',
    ]);
  });

  it.each([
    [2024, ['2024-02-05', '2024-03-18', '2024-11-18']],
    [2025, ['2025-02-03', '2025-03-17', '2025-11-17']],
    [2027, ['2027-02-01', '2027-03-15', '2027-11-15']],
    [2030, ['2030-02-04', '2030-03-18', '2030-11-18']],
  ])('%i: the movable Mondays are %j', (year, mondays) => {
    const dates = statutoryRestDays(year).map((day) => day.date);
    for (const monday of mondays) expect(dates).toContain(monday);
  });

  it('fr. VII: 1 Oct on the hand-over years 2024, 2030, 2036 (DOF 30-09-2024); 1 Dec in 2018 and 2012; none in other years', () => {
    expect(presidentialInauguration(2024)).toBe('2024-10-01');
    expect(presidentialInauguration(2030)).toBe('2030-10-01');
    expect(presidentialInauguration(2036)).toBe('2036-10-01');
    expect(presidentialInauguration(2018)).toBe('2018-12-01');
    expect(presidentialInauguration(2012)).toBe('2012-12-01');
    for (const year of [2025, 2026, 2027, 2028, 2029, 2031]) expect(presidentialInauguration(year)).toBeUndefined();
    expect(statutoryRestDays(2030).map((day) => day.date)).toContain('2030-10-01');
    expect(statutoryRestDays(2026).some((day) => day.source.endsWith('fr. VII'))).toBe(false);
  });

  it('names each day and cites its fraction of art. 74', () => {
    const day = statutoryRestDays(2026).find((item) => item.date === '2026-11-16');
    expect(day).toEqual({ date: '2026-11-16', name: 'Día de la Revolución (tercer lunes de noviembre)', source: 'Ley Federal del Trabajo, art. 74 fr. VI' });
  });

  it('property: for any year, the movable days are the right Mondays and the fixed days are fixed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2006, max: 2200 }), (year) => {
        const days = statutoryRestDays(year);
        expect(days).toHaveLength(presidentialInauguration(year) ? 8 : 7);
        const feb = days.find((day) => day.source.endsWith('fr. II'))!.date;
        const mar = days.find((day) => day.source.endsWith('fr. III'))!.date;
        const nov = days.find((day) => day.source.endsWith('fr. VI'))!.date;
        for (const date of [feb, mar, nov]) expect(dayOfWeek(date)).toBe(1);
        expect(Number(feb.slice(8))).toBeLessThanOrEqual(7);
        expect(Number(mar.slice(8))).toBeGreaterThanOrEqual(15);
        expect(Number(mar.slice(8))).toBeLessThanOrEqual(21);
        expect(Number(nov.slice(8))).toBeGreaterThanOrEqual(15);
        expect(Number(nov.slice(8))).toBeLessThanOrEqual(21);
        expect(feb.slice(5, 7)).toBe('02');
        expect(mar.slice(5, 7)).toBe('03');
        expect(nov.slice(5, 7)).toBe('11');
        for (const fixed of ['01-01', '05-01', '09-16', '12-25']) expect(days.map((day) => day.date)).toContain(`${year}-${fixed}`);
        expect(presidentialInauguration(year) !== undefined).toBe((year - 2024) % 6 === 0);
      }),
      { numRuns: 200 },
    );
  });

  it('adds the policy’s extra non-working days, with their names', () => {
    const calendar = createHolidayCalendar({
      statutoryRestDays: true,
      extraNonWorkingDays: [
        { date: '2026-04-02', name: 'Jueves Santo' },
        { date: '2026-04-03', name: 'Viernes Santo' },
      ],
    });
    expect(calendar.isHoliday('2026-04-02')).toBe(true);
    expect(calendar.nonWorkingDay('2026-04-03')).toEqual({ date: '2026-04-03', name: 'Viernes Santo', source: 'Política de días inhábiles' });
    expect(calendar.isHoliday('2026-11-16')).toBe(true);
    expect(calendar.isHoliday('2026-04-06')).toBe(false);
    expect(MEXICAN_HOLIDAYS.isHoliday('2026-04-02')).toBe(false);
  });

  it('the statutory days can be switched off by the policy', () => {
    const calendar = createHolidayCalendar({ statutoryRestDays: false, extraNonWorkingDays: [] });
    expect(calendar.isHoliday('2026-09-16')).toBe(false);
    expect(isBusinessDay('2026-09-16', calendar)).toBe(true);
  });

  it('the holiday policy refuses repeated and invalid dates', () => {
    expect(ZHolidayPolicy.safeParse(DEFAULT_HOLIDAY_POLICY).success).toBe(true);
    const repeated = { statutoryRestDays: true, extraNonWorkingDays: [{ date: '2026-04-02', name: 'a' }, { date: '2026-04-02', name: 'b' }] };
    expect(ZHolidayPolicy.safeParse(repeated).success).toBe(false);
    expect(ZHolidayPolicy.safeParse({ statutoryRestDays: true, extraNonWorkingDays: [{ date: '2026-02-30', name: 'x' }] }).success).toBe(false);
    expect(ZHolidayPolicy.safeParse({ statutoryRestDays: true, extraNonWorkingDays: [{ date: '2026-02-03', name: ' ' }] }).success).toBe(false);
  });
});

describe('day arithmetic (SPEC §5: calendar or business days)', () => {
  it.each<[string, IsoDate, number, DayUnit, IsoDate]>([
    ['day 32 from acceptance (DL-5)', ACCEPTED, 32, 'calendar', '2026-11-23'],
    ['day 91 from acceptance (DL-8)', ACCEPTED, 91, 'calendar', '2027-01-21'],
    ['calendar days ignore holidays and weekends', '2026-11-13', 1, 'calendar', '2026-11-14'],
    ['same day in calendar days', '2026-11-14', 0, 'calendar', '2026-11-14'],
    ['next business day skips the weekend and Revolution Monday', '2026-11-13', 1, 'business', '2026-11-17'],
    ['same business day from a Saturday rolls to the next business day', '2026-11-14', 0, 'business', '2026-11-17'],
    ['same business day on a business day is that day', '2026-11-18', 0, 'business', '2026-11-18'],
    ['next business day over Christmas', '2026-12-24', 1, 'business', '2026-12-28'],
    ['next business day over the Constitution Monday', '2026-01-30', 1, 'business', '2026-02-03'],
    ['two business days over the inauguration of 2030', '2030-09-30', 2, 'business', '2030-10-03'],
    ['five business days over New Year', '2026-12-30', 5, 'business', '2027-01-07'],
    ['across the 2028 leap day', '2028-02-28', 1, 'calendar', '2028-02-29'],
  ])('%s: %s + %i %s = %s', (_name, from, amount, unit, expected) => {
    expect(addDeadlineDays(from, amount, unit, holidays)).toBe(expected);
  });

  it('isBusinessDay: Monday–Friday and not a rest day', () => {
    expect(isBusinessDay('2026-11-16', holidays)).toBe(false); // Revolution Monday
    expect(isBusinessDay('2026-11-17', holidays)).toBe(true);
    expect(isBusinessDay('2026-11-14', holidays)).toBe(false); // Saturday
    expect(isBusinessDay('2026-11-15', holidays)).toBe(false); // Sunday
    expect(rollToBusinessDay('2026-11-14', holidays)).toBe('2026-11-17');
  });

  it('countDeadlineDays counts elapsed calendar or business days', () => {
    expect(countDeadlineDays(ACCEPTED, '2026-11-23', 'calendar', holidays)).toBe(32);
    expect(countDeadlineDays('2026-11-13', '2026-11-17', 'business', holidays)).toBe(1);
    expect(countDeadlineDays('2026-11-17', '2026-11-13', 'business', holidays)).toBe(-1);
    expect(countDeadlineDays('2026-11-13', '2026-11-13', 'business', holidays)).toBe(0);
  });

  it('"day N" counts calendar days from acceptance, day 0 = acceptance (SPEC §5)', () => {
    expect(caseDay(ACCEPTED, ACCEPTED)).toBe(0);
    expect(caseDay(ACCEPTED, '2026-11-22')).toBe(31);
    expect(caseDay(ACCEPTED, '2026-11-23')).toBe(32);
  });

  it('refuses negative or fractional day counts', () => {
    expect(() => addDeadlineDays(ACCEPTED, -1, 'calendar', holidays)).toThrow(RangeError);
    expect(() => addBusinessDays(ACCEPTED, 1.5, holidays)).toThrow(RangeError);
  });

  const arbExtra = fc.uniqueArray(arbDate('2026-01-01', 800), { maxLength: 30 });

  it('property: a business-day result is a business day, exactly N business days later, skipping every holiday', () => {
    fc.assert(
      fc.property(arbDate('2026-01-01', 700), fc.integer({ min: 0, max: 40 }), arbExtra, (from, amount, extra) => {
        const calendar = createHolidayCalendar({ statutoryRestDays: true, extraNonWorkingDays: extra.map((date) => ({ date, name: 'extra' })) });
        const result = addBusinessDays(from, amount, calendar);
        expect(isBusinessDay(result, calendar)).toBe(true);
        expect(extra).not.toContain(result);
        expect(result >= from).toBe(true);
        if (amount > 0) {
          expect(countDeadlineDays(from, result, 'business', calendar)).toBe(amount);
          expect(countDeadlineDays(from, addDays(result, -1), 'business', calendar)).toBe(amount - 1);
        } else {
          expect(result).toBe(rollToBusinessDay(from, calendar));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: business-day results agree with an independent day-by-day count (statutory calendar)', () => {
    fc.assert(
      fc.property(arbDate(), fc.integer({ min: 1, max: 60 }), (from, amount) => {
        const result = addBusinessDays(from, amount, holidays);
        expect(oracleElapsed(from, result, 'business')).toBe(amount);
        expect(oracleElapsed(from, addDays(result, -1), 'business')).toBe(amount - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('property: day arithmetic is monotonic in the start date and in the amount', () => {
    fc.assert(
      fc.property(arbDate(), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (from, shift, a, b) => {
        for (const unit of ['calendar', 'business'] as const) {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(addDeadlineDays(from, low, unit, holidays) <= addDeadlineDays(from, high, unit, holidays)).toBe(true);
          expect(addDeadlineDays(from, a, unit, holidays) <= addDeadlineDays(addDays(from, shift), a, unit, holidays)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: calendar days are plain date addition', () => {
    fc.assert(
      fc.property(arbDate(), fc.integer({ min: 0, max: 366 }), (from, amount) => {
        expect(addDeadlineDays(from, amount, 'calendar', holidays)).toBe(addDays(from, amount));
        expect(countDeadlineDays(from, addDays(from, amount), 'calendar', holidays)).toBe(amount);
      }),
    );
  });
});

describe('due dates of a case', () => {
  const accepted: CaseDeadlineFacts = { acceptedOn: ACCEPTED };

  it('just accepted: DL-1, DL-3, DL-4, DL-5 and SL-1 pending, with their dates', () => {
    const dates = caseDueDates(accepted, policy, 3, holidays, ACCEPTED);
    expect(dates.map((date) => [date.key, date.dueOn, date.status])).toEqual([
      ['DL-1', '2026-10-23', 'pending'],
      ['DL-3', '2026-11-21', 'pending'],
      ['DL-4', '2026-11-22', 'pending'],
      ['DL-5', '2026-11-23', 'pending'],
      ['SL-1', '2026-11-21', 'pending'],
    ]);
  });

  it('DL-5 explains rule, day, date, condition and policy version in Spanish', () => {
    const dl5 = onlyDue(caseDueDates(accepted, policy, 3, holidays, ACCEPTED), 'DL-5');
    expect(dl5.explanation).toBe(
      'DL-5: cierre automático el día 32 desde la aceptación (23/11/2026) sin sesión agendada ni registro de no agendada — política v3',
    );
    expect(dl5.effect).toBe('closure');
    expect(dl5.policyVersion).toBe(3);
  });

  it.each<[DeadlineKey, Partial<DeadlinePolicy[DeadlineKey]>, string]>([
    ['DL-1', {}, 'DL-1: la agencia aprueba y distribuye el caso a un mediador a más tardar al día siguiente de la aceptación (23/10/2026) — política v1'],
    ['DL-1', { unit: 'business' }, 'DL-1: la agencia aprueba y distribuye el caso a un mediador a más tardar el día hábil siguiente a la aceptación (23/10/2026) — política v1'],
    ['DL-3', {}, 'DL-3: agendar la sesión de mediación dentro de los 30 días naturales desde la aceptación (21/11/2026) — política v1'],
    ['DL-4', {}, 'DL-4: registrar que no se logró agendar la sesión y su causa (NS-1 a NS-3) el día 31 desde la aceptación (22/11/2026) — política v1'],
    ['DL-8', {}, 'DL-8: cierre automático el día 91 desde la aceptación (21/01/2027) sin sesión celebrada ni nueva fecha — política v1'],
    ['SL-1', {}, 'SL-1: nivel de servicio: convenio firmado por el acreditado dentro de los 30 días naturales desde la aceptación (21/11/2026) — política v1'],
  ])('%s wording %j', (key, change, expected) => {
    const candidate = structuredClone(policy);
    Object.assign(candidate[key], change);
    expect(explainDeadline(key, dueDateOf(key, ACCEPTED, candidate, holidays), candidate, 1)).toBe(expected);
  });

  it('wording of same-day, within-N and DL-16', () => {
    expect(explainDeadline('DL-9', '2026-11-05', policy, 2)).toBe(
      'DL-9: enviar al Gerente de Cobranza de la DR el convenio firmado digitalizado y la identificación el mismo día de la firma del convenio (05/11/2026) — política v2',
    );
    expect(explainDeadline('DL-6', '2026-11-05', policy, 2)).toContain('el mismo día del agendado de la sesión (05/11/2026)');
    expect(explainDeadline('DL-13.request', '2026-11-07', policy, 2)).toBe(
      'DL-13: el Gerente de Cobranza de la DR solicita correcciones al expediente dentro de los 2 días naturales siguientes a la recepción del expediente (07/11/2026) — política v2',
    );
    expect(explainDeadline('DL-16', '2026-12-15', policy, 2)).toBe(
      'DL-16: enviar el reporte de avance de convenios recibidos en el ANEC dentro de los primeros 15 días naturales del mes (15/12/2026) — política v2',
    );
    expect(explainDeadline('DL-18', '2026-11-05', businessPolicy(), 2)).toContain('a más tardar el día hábil siguiente al aviso de la Gerencia de Mediación y Convenios');
  });

  type Row = [string, DeadlineKey, CaseDeadlineFacts, IsoDate, DueDate['status'] | 'absent'];
  const scheduled: CaseDeadlineFacts = { ...accepted, distributedOn: '2026-10-23', firstContactOn: '2026-10-23', scheduledOn: '2026-10-26', sessionDate: '2026-11-05', summonsSentOn: '2026-10-26' };
  const signed: CaseDeadlineFacts = { ...scheduled, sessionHeldOn: '2026-11-05', signedOn: '2026-11-05' };
  const rows: Row[] = [
    ['DL-1 met: distributed the next day', 'DL-1', { ...accepted, distributedOn: '2026-10-23' }, '2026-12-01', 'met'],
    ['DL-1 breached: distributed two days later', 'DL-1', { ...accepted, distributedOn: '2026-10-24' }, '2026-12-01', 'breached'],
    ['DL-1 pending on the due day', 'DL-1', accepted, '2026-10-23', 'pending'],
    ['DL-1 breached the day after, not distributed', 'DL-1', accepted, '2026-10-24', 'breached'],
    ['DL-2 absent before distribution', 'DL-2', accepted, '2026-10-24', 'absent'],
    ['DL-2 met: contact the same day', 'DL-2', { ...accepted, distributedOn: '2026-10-23', firstContactOn: '2026-10-23' }, '2026-10-30', 'met'],
    ['DL-2 breached: no contact by the next day', 'DL-2', { ...accepted, distributedOn: '2026-10-23' }, '2026-10-25', 'breached'],
    ['DL-3 met: scheduled on day 30', 'DL-3', { ...accepted, scheduledOn: '2026-11-21' }, '2026-12-01', 'met'],
    ['DL-3 window expired on day 31', 'DL-3', accepted, '2026-11-22', 'breached'],
    ['DL-4 pending on day 31', 'DL-4', accepted, '2026-11-22', 'pending'],
    ['DL-4 met: NS recorded on day 31', 'DL-4', { ...accepted, notScheduledRecordedOn: '2026-11-22' }, '2026-11-30', 'met'],
    ['DL-4 breached on day 32 without NS', 'DL-4', accepted, '2026-11-23', 'breached'],
    ['DL-4 absent once a session was scheduled', 'DL-4', scheduled, '2026-11-30', 'absent'],
    ['DL-5 pending on day 31', 'DL-5', accepted, '2026-11-22', 'pending'],
    ['DL-5 applies on day 32', 'DL-5', accepted, '2026-11-23', 'breached'],
    ['DL-5 averted by the NS record', 'DL-5', { ...accepted, notScheduledRecordedOn: '2026-11-22' }, '2026-11-23', 'met'],
    ['DL-5 absent once a session was scheduled', 'DL-5', scheduled, '2026-11-23', 'absent'],
    ['DL-6 met: summons the same day', 'DL-6', scheduled, '2026-11-01', 'met'],
    ['DL-6 breached: summons the next day', 'DL-6', { ...scheduled, summonsSentOn: '2026-10-27' }, '2026-11-01', 'breached'],
    ['DL-7 met: session held on day 14', 'DL-7', signed, '2026-11-30', 'met'],
    ['DL-7 pending on day 90', 'DL-7', scheduled, '2027-01-20', 'pending'],
    ['DL-7 window expired on day 91', 'DL-7', scheduled, '2027-01-21', 'breached'],
    ['DL-8 pending on day 90', 'DL-8', scheduled, '2027-01-20', 'pending'],
    ['DL-8 applies on day 91 without a session held', 'DL-8', scheduled, '2027-01-21', 'breached'],
    ['DL-8 averted by a session held', 'DL-8', signed, '2027-01-21', 'met'],
    ['DL-8 pending while a new date is still to come', 'DL-8', { ...scheduled, sessionDate: '2027-01-25' }, '2027-01-21', 'pending'],
    ['SL-1 met: signed on day 14', 'SL-1', signed, '2026-12-01', 'met'],
    ['SL-1 breached: signed on day 31', 'SL-1', { ...signed, signedOn: '2026-11-22' }, '2026-12-01', 'breached'],
    ['DL-9 pending on the signature day', 'DL-9', signed, '2026-11-05', 'pending'],
    ['DL-9 breached the next day without sending', 'DL-9', signed, '2026-11-06', 'breached'],
    ['DL-9 met: sent the same day', 'DL-9', { ...signed, convenioSentOn: '2026-11-05' }, '2026-11-06', 'met'],
    ['DL-10 met: reviewed the next day', 'DL-10', { ...signed, convenioSentOn: '2026-11-05', convenioReviewedOn: '2026-11-06' }, '2026-11-10', 'met'],
    ['DL-10 breached: not reviewed two days later', 'DL-10', { ...signed, convenioSentOn: '2026-11-05' }, '2026-11-07', 'breached'],
    ['DL-11 absent without a correction request', 'DL-11', { ...signed, convenioSentOn: '2026-11-05' }, '2026-11-07', 'absent'],
    ['DL-11 breached: answered two days after the request', 'DL-11', { ...signed, correctionRequestedOn: '2026-11-06', correctionAnsweredOn: '2026-11-08' }, '2026-11-10', 'breached'],
    ['DL-12 met: approved the next day', 'DL-12', { ...signed, convenioSentOn: '2026-11-05', approvedOn: '2026-11-06' }, '2026-11-10', 'met'],
    ['DL-12 breached: not approved by the next day', 'DL-12', { ...signed, convenioSentOn: '2026-11-05' }, '2026-11-07', 'breached'],
    ['DL-13.request pending while the DR manager may still ask', 'DL-13.request', { ...signed, caseFileReceivedOn: '2026-11-10' }, '2026-11-12', 'pending'],
    ['DL-13.request absent after the window with no request', 'DL-13.request', { ...signed, caseFileReceivedOn: '2026-11-10' }, '2026-11-13', 'absent'],
    ['DL-13.request absent once the file was accepted', 'DL-13.request', { ...signed, caseFileReceivedOn: '2026-11-10', caseFileReviewedOn: '2026-11-11' }, '2026-11-11', 'absent'],
    ['DL-13.request breached: asked on the third day', 'DL-13.request', { ...signed, caseFileReceivedOn: '2026-11-10', fileCorrectionRequestedOn: '2026-11-13' }, '2026-11-20', 'breached'],
    ['DL-13.answer met within 2 days', 'DL-13.answer', { ...signed, caseFileReceivedOn: '2026-11-10', fileCorrectionRequestedOn: '2026-11-11', fileCorrectionAnsweredOn: '2026-11-13' }, '2026-11-20', 'met'],
    ['DL-14 breached: fees validated two days later', 'DL-14', { ...signed, feeCertificatesReceivedOn: '2026-11-20', feeValidatedOn: '2026-11-22' }, '2026-11-30', 'breached'],
    ['DL-15 met: digitised within 2 days', 'DL-15', { ...signed, serviceConcludedOn: '2026-11-20', fileDigitisedOn: '2026-11-22' }, '2026-11-30', 'met'],
    ['DL-15 absent when no convenio was signed', 'DL-15', { ...scheduled, serviceConcludedOn: '2026-11-20' }, '2026-11-30', 'absent'],
    ['DL-18 met: marked accepted the day after the notice', 'DL-18', { ...accepted, entryNoticeOn: '2026-10-21' }, '2026-10-30', 'met'],
    ['DL-18 breached: marked two days after the notice', 'DL-18', { ...accepted, entryNoticeOn: '2026-10-20' }, '2026-10-30', 'breached'],
  ];
  it.each(rows)('%s', (_name, key, facts, today, expected) => {
    const found = dueFor(caseDueDates(facts, policy, 1, holidays, today), key);
    if (expected === 'absent') expect(found).toEqual([]);
    else expect(found.map((date) => date.status)).toEqual([expected]);
  });

  it('DL-6 applies again to the new date of a reschedule (act. 14)', () => {
    const facts: CaseDeadlineFacts = { ...scheduled, rescheduledOn: '2026-11-05', sessionDate: '2026-11-12' };
    const dl6 = dueFor(caseDueDates(facts, policy, 1, holidays, '2026-11-06'), 'DL-6');
    expect(dl6.map((date) => [date.anchorDate, date.status])).toEqual([
      ['2026-10-26', 'met'],
      ['2026-11-05', 'breached'],
    ]);
  });

  it('business-day policy: DL-1 due the next business day after a Friday acceptance before Revolution Monday', () => {
    const dates = caseDueDates({ acceptedOn: '2026-11-13' }, businessPolicy(), 4, holidays, '2026-11-13');
    expect(onlyDue(dates, 'DL-1').dueOn).toBe('2026-11-17');
    expect(onlyDue(dates, 'DL-5').explanation).toContain('el día hábil 32 desde la aceptación');
  });

  it('DL-16: the archive report of December 2026 is due on 15/12 (calendar) or on the 15th business day', () => {
    expect(archiveReportDueDate('2026-12', undefined, policy, 1, holidays, '2026-12-16').status).toBe('breached');
    expect(archiveReportDueDate('2026-12', '2026-12-15', policy, 1, holidays, '2026-12-16')).toMatchObject({ dueOn: '2026-12-15', status: 'met' });
    expect(archiveReportDueDate('2026-12', undefined, businessPolicy(), 1, holidays, '2026-12-01').dueOn).toBe('2026-12-21');
    expect(archiveReportDueDate('2026-11', undefined, businessPolicy(), 1, holidays, '2026-11-01').dueOn).toBe('2026-11-23'); // skips 16 Nov
  });

  it('DL-17: clarification asked within 10 days, answered within 2', () => {
    const received = { receivedOn: '2026-12-01' };
    expect(agencyReportDueDates(received, policy, 1, holidays, '2026-12-05').map((d) => [d.key, d.status])).toEqual([['DL-17.request', 'pending']]);
    expect(agencyReportDueDates(received, policy, 1, holidays, '2026-12-12')).toEqual([]);
    const asked = { ...received, clarificationRequestedOn: '2026-12-11', clarificationAnsweredOn: '2026-12-14' };
    expect(agencyReportDueDates(asked, policy, 1, holidays, '2026-12-20').map((d) => [d.key, d.dueOn, d.status])).toEqual([
      ['DL-17.request', '2026-12-11', 'met'],
      ['DL-17.answer', '2026-12-13', 'breached'],
    ]);
  });
});

describe('sweep predicates (mirrored in SQL)', () => {
  const base: CaseDeadlineFacts = { acceptedOn: ACCEPTED };

  it('DL-5: closes on day 32, not on day 31, not with a session scheduled or an NS record, not twice', () => {
    expect(closesByDl5(base, '2026-11-22', policy)).toBe(false);
    expect(closesByDl5(base, '2026-11-23', policy)).toBe(true);
    expect(closesByDl5(base, '2027-03-01', policy)).toBe(true);
    expect(closesByDl5({ ...base, scheduledOn: '2026-11-20' }, '2026-11-23', policy)).toBe(false);
    expect(closesByDl5({ ...base, notScheduledRecordedOn: '2026-11-22' }, '2026-11-23', policy)).toBe(false);
    expect(closesByDl5({ ...base, closedOn: '2026-11-23' }, '2026-11-24', policy)).toBe(false);
  });

  it('DL-8: closes on day 91 a scheduled case with no session held and no new date', () => {
    const scheduled: CaseDeadlineFacts = { ...base, scheduledOn: '2026-10-26', sessionDate: '2026-11-05' };
    expect(closesByDl8(scheduled, '2027-01-20', policy)).toBe(false);
    expect(closesByDl8(scheduled, '2027-01-21', policy)).toBe(true);
    expect(closesByDl8({ ...scheduled, rescheduledOn: '2026-11-05', sessionDate: '2026-12-01' }, '2027-01-21', policy)).toBe(true);
    expect(closesByDl8({ ...scheduled, sessionDate: '2027-01-22' }, '2027-01-21', policy)).toBe(false);
    expect(closesByDl8({ ...scheduled, sessionHeldOn: '2026-11-05' }, '2027-01-21', policy)).toBe(false);
    expect(closesByDl8(base, '2027-01-21', policy)).toBe(false); // never scheduled: DL-5's business
    expect(closesByDl8({ ...scheduled, closedOn: '2027-01-21' }, '2027-01-22', policy)).toBe(false);
  });

  const arbFacts = (acceptedOn: IsoDate) =>
    fc
      .record({
        scheduled: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        ns: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        held: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        sessionDate: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
        closed: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
      })
      .map(({ scheduled, ns, held, sessionDate, closed }) => {
        const at = (offset: number | undefined) => (offset === undefined ? undefined : addDays(acceptedOn, offset));
        return { acceptedOn, scheduledOn: at(scheduled), notScheduledRecordedOn: at(ns), sessionHeldOn: at(held), sessionDate: at(sessionDate), closedOn: at(closed) } satisfies CaseDeadlineFacts;
      });

  it('property DL-5: for every acceptance date and policy, closes exactly the open cases with no session and no NS record on or after day N; none earlier', () => {
    fc.assert(
      fc.property(
        arbDate().chain((acceptedOn) => fc.tuple(fc.constant(acceptedOn), arbFacts(acceptedOn))),
        arbPolicy,
        fc.integer({ min: 0, max: 150 }),
        ([acceptedOn, facts], candidate, offset) => {
          const today = addDays(acceptedOn, offset);
          const rule = candidate['DL-5'];
          const reached = oracleElapsed(acceptedOn, today, rule.unit) >= rule.amount;
          const expected = facts.closedOn === undefined && facts.scheduledOn === undefined && facts.notScheduledRecordedOn === undefined && reached;
          expect(closesByDl5(facts, today, candidate, holidays)).toBe(expected);
          if (facts.scheduledOn === undefined && facts.notScheduledRecordedOn === undefined && facts.closedOn === undefined) {
            const closesOn = dueDateOf('DL-5', acceptedOn, candidate, holidays);
            expect(closesByDl5(facts, addDays(closesOn, -1), candidate, holidays)).toBe(false);
            expect(closesByDl5(facts, closesOn, candidate, holidays)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property DL-8: closes exactly the open scheduled cases with no session held and no date to come on or after day N', () => {
    fc.assert(
      fc.property(
        arbDate().chain((acceptedOn) => fc.tuple(fc.constant(acceptedOn), arbFacts(acceptedOn))),
        arbPolicy,
        fc.integer({ min: 0, max: 250 }),
        ([acceptedOn, facts], candidate, offset) => {
          const today = addDays(acceptedOn, offset);
          const rule = candidate['DL-8'];
          const reached = oracleElapsed(acceptedOn, today, rule.unit) >= rule.amount;
          const dateToCome = facts.sessionDate !== undefined && facts.sessionDate >= today;
          const expected = facts.closedOn === undefined && facts.scheduledOn !== undefined && facts.sessionHeldOn === undefined && !dateToCome && reached;
          expect(closesByDl8(facts, today, candidate, holidays)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('SLA breaches DL-1, DL-2, DL-4, DL-6 (examples)', () => {
    expect(breachesDl1(base, '2026-10-23', policy)).toBe(false);
    expect(breachesDl1(base, '2026-10-24', policy)).toBe(true);
    expect(breachesDl1({ ...base, distributedOn: '2026-10-23' }, '2026-12-01', policy)).toBe(false);
    expect(breachesDl2({ ...base, distributedOn: '2026-10-23' }, '2026-10-25', policy)).toBe(true);
    expect(breachesDl2(base, '2026-12-01', policy)).toBe(false);
    expect(breachesDl4(base, '2026-11-22', policy)).toBe(false);
    expect(breachesDl4(base, '2026-11-23', policy)).toBe(true);
    expect(breachesDl4({ ...base, scheduledOn: '2026-11-01' }, '2026-11-23', policy)).toBe(false);
    expect(breachesDl6({ ...base, scheduledOn: '2026-11-01' }, '2026-11-01', policy)).toBe(false);
    expect(breachesDl6({ ...base, scheduledOn: '2026-11-01' }, '2026-11-02', policy)).toBe(true);
    expect(breachesDl6({ ...base, scheduledOn: '2026-11-01', summonsSentOn: '2026-11-01', rescheduledOn: '2026-11-10' }, '2026-11-11', policy)).toBe(true);
  });

  it('property: the SLA predicates agree with the due-date list (what the sweep flags is what the case explains)', () => {
    const arbSlaFacts = arbDate().chain((acceptedOn) =>
      fc
        .record({
          distributed: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
          contact: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
          scheduled: fc.option(fc.integer({ min: 0, max: 35 }), { nil: undefined }),
          summons: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
          rescheduled: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
          rescheduleSummons: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
          ns: fc.option(fc.integer({ min: 25, max: 35 }), { nil: undefined }),
        })
        .map((o): CaseDeadlineFacts => {
          const at = (offset: number | undefined, from: IsoDate | undefined = acceptedOn) => (offset === undefined || from === undefined ? undefined : addDays(from, offset));
          const distributedOn = at(o.distributed);
          const scheduledOn = at(o.scheduled);
          const rescheduledOn = scheduledOn === undefined ? undefined : at(o.rescheduled, scheduledOn);
          return {
            acceptedOn,
            distributedOn,
            firstContactOn: at(o.contact, distributedOn),
            scheduledOn,
            summonsSentOn: at(o.summons, scheduledOn),
            rescheduledOn,
            rescheduleSummonsSentOn: at(o.rescheduleSummons, rescheduledOn),
            notScheduledRecordedOn: scheduledOn === undefined ? at(o.ns) : undefined,
          };
        }),
    );
    const breachedIn = (dates: DueDate[], rule: string) => dates.some((date) => date.rule === rule && date.status === 'breached');
    fc.assert(
      fc.property(arbSlaFacts, arbPolicy, fc.integer({ min: 0, max: 60 }), (facts, candidate, offset) => {
        const today = addDays(facts.acceptedOn, offset);
        const dates = caseDueDates(facts, candidate, 1, holidays, today);
        expect(breachesDl1(facts, today, candidate, holidays)).toBe(breachedIn(dates, 'DL-1'));
        expect(breachesDl2(facts, today, candidate, holidays)).toBe(breachedIn(dates, 'DL-2'));
        expect(breachesDl4(facts, today, candidate, holidays)).toBe(breachedIn(dates, 'DL-4'));
        expect(breachesDl6(facts, today, candidate, holidays)).toBe(breachedIn(dates, 'DL-6'));
        expect(closesByDl5(facts, today, candidate, holidays)).toBe(breachedIn(dates, 'DL-5'));
      }),
      { numRuns: 500 },
    );
  });

  it('a custom holiday calendar moves business-day closures (policy-provided non-working days)', () => {
    const business = businessPolicy();
    const calendar: HolidayCalendar = createHolidayCalendar({ statutoryRestDays: true, extraNonWorkingDays: [{ date: '2026-12-07', name: 'Día inhábil' }] });
    const without = dl5Date(business, holidays);
    const withExtra = dl5Date(business, calendar);
    expect([without, withExtra]).toEqual(['2026-12-08', '2026-12-09']); // day hábil 32, then 7 Dec off
    expect(closesByDl5(base, without, business, calendar)).toBe(false);
    expect(closesByDl5(base, withExtra, business, calendar)).toBe(true);
  });
});

function dl5Date(candidate: DeadlinePolicy, calendar: HolidayCalendar): IsoDate {
  return dueDateOf('DL-5', ACCEPTED, candidate, calendar);
}
