/**
 * Deadlines and service levels (SPEC §5). Pure — no I/O, no clock: `today` is always a parameter.
 *
 * - The deadline policy DL-1..DL-18 and SL-1 (versioned policy value, zod schema, defaults citing
 *   the seed), with its consistency rules.
 * - The holiday calendar: Mexican official rest days (Ley Federal del Trabajo art. 74) for any
 *   year, plus the non-working days the policy adds.
 * - Day arithmetic in calendar or business days; "day N" counted from acceptance (day 0).
 * - The due dates of a case with their Spanish explanation and status as of a date.
 * - The predicates the daily sweep mirrors in SQL: the automatic closures DL-5 and DL-8 and the SLA
 *   breaches DL-1, DL-2, DL-4 and DL-6.
 */
import { z } from 'zod';
import { addDays, daysBetween, formatDateEs, isIsoDate, parseIsoDate, type IsoDate } from '../../clock.js';
import type { PolicyDefinition } from '../policy/policy.definitions.js';

// ------------------------------------------------------------------------------------------------
// The policy
// ------------------------------------------------------------------------------------------------

/** 'calendar' = días naturales; 'business' = días hábiles (Monday–Friday, not a non-working day). */
export const DAY_UNITS = ['calendar', 'business'] as const;
export type DayUnit = (typeof DAY_UNITS)[number];

/** What a deadline counts from. Each is a fact (a date) of the case or of a report. */
export const DEADLINE_ANCHORS = [
  'acceptance', // act. 4: the field agent recorded "En Mediación" — day 0 of every mediation clock
  'distribution', // act. 5: the agency distributed the case to a mediator
  'scheduling', // act. 11: the mediator recorded the session date (or the new date, act. 14)
  'signature', // act. 20: the convenio was signed
  'convenio_receipt', // act. 22–23: the DR manager received the scanned convenio and the ID
  'correction_request', // act. 24: the DR manager asked for changes or clarifications
  'case_file_receipt', // act. 29: the DR manager received the case file
  'file_correction_request', // act. 30: the DR manager asked for corrections to the file
  'certificates_receipt', // act. 31: the CJA / notary fee certificates were received
  'service_conclusion', // act. 35: the mediation service concluded
  'month_start', // act. 36: the month of the archive-progress report
  'report_receipt', // act. 32: the mediation office received the agency's monthly report
  'report_clarification_request', // act. 33: the office asked the agency for clarifications
  'office_notice', // ENT-A act. 6: the office told the agency the credits were tagged
] as const;
export type DeadlineAnchor = (typeof DEADLINE_ANCHORS)[number];

/**
 * The keys of the policy. DL-13 and DL-17 state two deadlines each (the request, then the answer),
 * so they have two keys; `ruleIdOf` gives the rule ID to cite.
 */
export const DEADLINE_KEYS = [
  'DL-1',
  'DL-2',
  'DL-3',
  'DL-4',
  'DL-5',
  'DL-6',
  'DL-7',
  'DL-8',
  'DL-9',
  'DL-10',
  'DL-11',
  'DL-12',
  'DL-13.request',
  'DL-13.answer',
  'DL-14',
  'DL-15',
  'DL-16',
  'DL-17.request',
  'DL-17.answer',
  'DL-18',
  'SL-1',
] as const;
export type DeadlineKey = (typeof DEADLINE_KEYS)[number];

export function ruleIdOf(key: DeadlineKey): string {
  return key.split('.')[0]!;
}

/** The anchor of each key: fixed by the procedure, stored in the policy so it reads whole. */
export const DEADLINE_ANCHOR_OF = {
  'DL-1': 'acceptance',
  'DL-2': 'distribution',
  'DL-3': 'acceptance',
  'DL-4': 'acceptance',
  'DL-5': 'acceptance',
  'DL-6': 'scheduling',
  'DL-7': 'acceptance',
  'DL-8': 'acceptance',
  'DL-9': 'signature',
  'DL-10': 'convenio_receipt',
  'DL-11': 'correction_request',
  'DL-12': 'convenio_receipt',
  'DL-13.request': 'case_file_receipt',
  'DL-13.answer': 'file_correction_request',
  'DL-14': 'certificates_receipt',
  'DL-15': 'service_conclusion',
  'DL-16': 'month_start',
  'DL-17.request': 'report_receipt',
  'DL-17.answer': 'report_clarification_request',
  'DL-18': 'office_notice',
  'SL-1': 'acceptance',
} as const satisfies Record<DeadlineKey, DeadlineAnchor>;

/**
 * How a deadline reads:
 * - `within`: the step is due by anchor + amount ("el mismo día" = 0, "al día siguiente" = 1);
 * - `window`: the step may happen until anchor + amount (DL-3, DL-7) or is measured there (SL-1);
 * - `day`: something happens on day N counted from the anchor (DL-4 record, DL-5/DL-8 closures);
 * - `month`: within the first N days of the month (DL-16).
 */
export type DeadlineKind = 'within' | 'window' | 'day' | 'month';
/** What passing the deadline means (SPEC §5 "consequence" column). */
export type DeadlineEffect = 'sla_breach' | 'window' | 'closure' | 'kpi';

export const DEADLINE_KIND: Record<DeadlineKey, DeadlineKind> = {
  'DL-1': 'within',
  'DL-2': 'within',
  'DL-3': 'window',
  'DL-4': 'day',
  'DL-5': 'day',
  'DL-6': 'within',
  'DL-7': 'window',
  'DL-8': 'day',
  'DL-9': 'within',
  'DL-10': 'within',
  'DL-11': 'within',
  'DL-12': 'within',
  'DL-13.request': 'within',
  'DL-13.answer': 'within',
  'DL-14': 'within',
  'DL-15': 'within',
  'DL-16': 'month',
  'DL-17.request': 'within',
  'DL-17.answer': 'within',
  'DL-18': 'within',
  'SL-1': 'window',
};

export const DEADLINE_EFFECT: Record<DeadlineKey, DeadlineEffect> = {
  'DL-1': 'sla_breach',
  'DL-2': 'sla_breach',
  'DL-3': 'window',
  'DL-4': 'sla_breach',
  'DL-5': 'closure',
  'DL-6': 'sla_breach',
  'DL-7': 'window',
  'DL-8': 'closure',
  'DL-9': 'sla_breach',
  'DL-10': 'sla_breach',
  'DL-11': 'sla_breach',
  'DL-12': 'sla_breach',
  'DL-13.request': 'sla_breach',
  'DL-13.answer': 'sla_breach',
  'DL-14': 'sla_breach',
  'DL-15': 'sla_breach',
  'DL-16': 'sla_breach',
  'DL-17.request': 'sla_breach',
  'DL-17.answer': 'sla_breach',
  'DL-18': 'sla_breach',
  'SL-1': 'kpi',
};

const ZDayUnit = z.enum(DAY_UNITS, { error: 'La unidad debe ser «calendar» (días naturales) o «business» (días hábiles).' });

function deadlineRule<A extends DeadlineAnchor>(anchor: A) {
  return z.object({
    amount: z.number().int().min(0).max(366),
    unit: ZDayUnit,
    from: z.literal(anchor),
  });
}

/** The rules counted on the case clock (day 0 = acceptance); they must share one unit to be ordered. */
export const CASE_CLOCK_KEYS = ['DL-3', 'DL-4', 'DL-5', 'DL-7', 'DL-8'] as const satisfies readonly DeadlineKey[];

/**
 * The deadline policy (SPEC §5), owned by `mediation_office`. The seed allows the office to change
 * the amounts ("podrán ser modificados por la Gerencia de Mediación y Convenios, previa
 * notificación a las áreas involucradas y la adecuación en el sistema", Guía act. 9, 10 and 14);
 * the anchors are the procedure itself and cannot change. The refinement keeps the case clock
 * ordered: scheduling window (DL-3) < NS record day (DL-4) < DL-5 closure; DL-3 ≤ session window
 * (DL-7) < DL-8 closure.
 */
export const ZDeadlinePolicy = z
  .object({
    'DL-1': deadlineRule('acceptance'),
    'DL-2': deadlineRule('distribution'),
    'DL-3': deadlineRule('acceptance'),
    'DL-4': deadlineRule('acceptance'),
    'DL-5': deadlineRule('acceptance'),
    'DL-6': deadlineRule('scheduling'),
    'DL-7': deadlineRule('acceptance'),
    'DL-8': deadlineRule('acceptance'),
    'DL-9': deadlineRule('signature'),
    'DL-10': deadlineRule('convenio_receipt'),
    'DL-11': deadlineRule('correction_request'),
    'DL-12': deadlineRule('convenio_receipt'),
    'DL-13.request': deadlineRule('case_file_receipt'),
    'DL-13.answer': deadlineRule('file_correction_request'),
    'DL-14': deadlineRule('certificates_receipt'),
    'DL-15': deadlineRule('service_conclusion'),
    'DL-16': deadlineRule('month_start').extend({ amount: z.number().int().min(1).max(28) }),
    'DL-17.request': deadlineRule('report_receipt'),
    'DL-17.answer': deadlineRule('report_clarification_request'),
    'DL-18': deadlineRule('office_notice'),
    'SL-1': deadlineRule('acceptance'),
  })
  .superRefine((policy, ctx) => {
    const unit = policy['DL-3'].unit;
    for (const key of CASE_CLOCK_KEYS) {
      if (policy[key].unit !== unit) {
        ctx.addIssue({
          code: 'custom',
          path: [key, 'unit'],
          message: `${key}: DL-3, DL-4, DL-5, DL-7 y DL-8 cuentan los días desde la aceptación y deben usar la misma unidad.`,
        });
      }
    }
    const order: Array<[DeadlineKey, DeadlineKey, 'gt' | 'ge', string]> = [
      ['DL-4', 'DL-3', 'gt', 'DL-4: el registro de no agendada debe ser posterior al plazo para agendar (DL-3).'],
      ['DL-5', 'DL-4', 'gt', 'DL-5: el cierre automático debe ser posterior al día del registro de no agendada (DL-4).'],
      ['DL-5', 'DL-3', 'gt', 'DL-5: el cierre automático debe ser posterior al plazo para agendar (DL-3).'],
      ['DL-7', 'DL-3', 'ge', 'DL-7: el plazo para celebrar la sesión no puede ser menor que el plazo para agendarla (DL-3).'],
      ['DL-8', 'DL-7', 'gt', 'DL-8: el cierre automático debe ser posterior al plazo para celebrar la sesión (DL-7).'],
    ];
    for (const [later, earlier, relation, message] of order) {
      const ok = relation === 'gt' ? policy[later].amount > policy[earlier].amount : policy[later].amount >= policy[earlier].amount;
      if (!ok) ctx.addIssue({ code: 'custom', path: [later, 'amount'], message });
    }
  });
export type DeadlinePolicy = z.infer<typeof ZDeadlinePolicy>;
export type DeadlineRule = DeadlinePolicy[DeadlineKey];

/** The defaults of SPEC §5, each from the seed (001, Guía para la prestación del Servicio de Mediación). */
export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  // Guía act. 5: the agency approves and distributes "de manera diaria" → same or next day.
  'DL-1': { amount: 1, unit: 'calendar', from: 'acceptance' },
  // Guía act. 8: "el mismo día o a más tardar al día siguiente de que se le hayan notificado".
  'DL-2': { amount: 1, unit: 'calendar', from: 'distribution' },
  // Guía act. 9: "al menos durante 30 días naturales, contados a partir de la fecha en que se haya registrado … que el acreditado aceptó".
  'DL-3': { amount: 30, unit: 'calendar', from: 'acceptance' },
  // Guía act. 9: "Concluido el plazo antes señalado … al día 31, debe registrar … que no se logró agendar".
  'DL-4': { amount: 31, unit: 'calendar', from: 'acceptance' },
  // Guía act. 10: "Si llegado el día 32, el mediador no ha registrado … se deberá ejecutar el proceso automático para cerrar".
  'DL-5': { amount: 32, unit: 'calendar', from: 'acceptance' },
  // Guía act. 11: "Las tareas 1 y 2 … deberán realizarse el mismo día en que se agendó la sesión".
  'DL-6': { amount: 0, unit: 'calendar', from: 'scheduling' },
  // Guía act. 9 nota 1 and act. 14: "90 días naturales para llevar a cabo la sesión", "por una única ocasión".
  'DL-7': { amount: 90, unit: 'calendar', from: 'acceptance' },
  // Guía act. 15: "A los 91 días naturales … si el mediador no registra una nueva fecha … corre el proceso automático".
  'DL-8': { amount: 91, unit: 'calendar', from: 'acceptance' },
  // Guía act. 22: "Esta actividad se deberá realizar el mismo día de la firma del convenio".
  'DL-9': { amount: 0, unit: 'calendar', from: 'signature' },
  // Guía act. 23: "a más tardar al día siguiente de haber recibido los documentos".
  'DL-10': { amount: 1, unit: 'calendar', from: 'convenio_receipt' },
  // Guía act. 24: "El mediador deberá dar respuesta a más tardar al día siguiente de recibir el requerimiento".
  'DL-11': { amount: 1, unit: 'calendar', from: 'correction_request' },
  // Guía act. 25: "a más tardar al día siguiente de haber recibido el convenio firmado digitalizado".
  'DL-12': { amount: 1, unit: 'calendar', from: 'convenio_receipt' },
  // Guía act. 30: "dentro de los dos días siguientes a la recepción del expediente".
  'DL-13.request': { amount: 2, unit: 'calendar', from: 'case_file_receipt' },
  // Guía act. 30: "El Mediador deberá dar respuesta dentro de los dos días siguientes a la recepción de la solicitud".
  'DL-13.answer': { amount: 2, unit: 'calendar', from: 'file_correction_request' },
  // Guía act. 31: "a más tardar al día siguiente de haber recibido las constancias de pago".
  'DL-14': { amount: 1, unit: 'calendar', from: 'certificates_receipt' },
  // PR act. 34 nota: "La tarea 1 deberá realizarse dentro de los dos días siguientes a que haya concluido el servicio".
  'DL-15': { amount: 2, unit: 'calendar', from: 'service_conclusion' },
  // Guía act. 36: "en los primeros quince días de cada mes".
  'DL-16': { amount: 15, unit: 'calendar', from: 'month_start' },
  // Guía act. 33: "dentro de los diez días siguientes a la recepción de los informes".
  'DL-17.request': { amount: 10, unit: 'calendar', from: 'report_receipt' },
  // Guía act. 33: "La Agencia de Soluciones deberá dar respuesta dentro de los dos días siguientes".
  'DL-17.answer': { amount: 2, unit: 'calendar', from: 'report_clarification_request' },
  // Guía Anexo 1 A act. 7: "a más tardar al día siguiente de que la Gerencia de Mediación haya informado".
  'DL-18': { amount: 1, unit: 'calendar', from: 'office_notice' },
  // PR "Niveles de Servicio": "Convenio de Mediación firmado por el acreditado — 30 días naturales";
  // the seed does not state the start: measured from acceptance (SPEC §5).
  'SL-1': { amount: 30, unit: 'calendar', from: 'acceptance' },
};

// ------------------------------------------------------------------------------------------------
// The holiday calendar
// ------------------------------------------------------------------------------------------------

const ZIsoDate = z.string().refine(isIsoDate, 'Fecha inválida (AAAA-MM-DD).');

/**
 * Non-working days (policy key `holiday_calendar`): the official rest days of Ley Federal del
 * Trabajo art. 74 (switchable) plus the days the office adds (e.g. Jueves y Viernes Santo, 2 de
 * noviembre, 12 de diciembre, or a local election day), each with its name.
 */
export const ZHolidayPolicy = z.object({
  statutoryRestDays: z.boolean(),
  extraNonWorkingDays: z
    .array(z.object({ date: ZIsoDate, name: z.string().trim().min(1, 'Indique el nombre del día inhábil.') }))
    .refine((days) => new Set(days.map((day) => day.date)).size === days.length, 'Hay días inhábiles repetidos.'),
});
export type HolidayPolicy = z.infer<typeof ZHolidayPolicy>;

export const DEFAULT_HOLIDAY_POLICY: HolidayPolicy = { statutoryRestDays: true, extraNonWorkingDays: [] };

export interface NonWorkingDay {
  date: IsoDate;
  name: string;
  source: string;
}

/** A calendar of non-working days; Saturdays and Sundays are never business days in addition. */
export interface HolidayCalendar {
  isHoliday(date: IsoDate): boolean;
  nonWorkingDay(date: IsoDate): NonWorkingDay | undefined;
}

/** 0 = Sunday … 6 = Saturday (the date is a calendar date: no time zone involved). */
export function dayOfWeek(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function isoOf(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The n-th Monday (weekday 1) etc. of a month. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): IsoDate {
  const first = isoOf(year, month, 1);
  const offset = (weekday - dayOfWeek(first) + 7) % 7;
  return addDays(first, offset + 7 * (n - 1));
}

const LFT_74 = 'Ley Federal del Trabajo, art. 74';

/**
 * The official rest days of a year (días de descanso obligatorio), Ley Federal del Trabajo art. 74:
 * I 1 Jan; II first Monday of February (5 Feb); III third Monday of March (21 Mar); IV 1 May;
 * V 16 Sep; VI third Monday of November (20 Nov); VII 1 Oct every six years, when the Federal
 * Executive is handed over — reformed by DOF 30-09-2024 (in force 1 Oct 2024) to follow
 * Constitution art. 83, it was 1 Dec until the 2018 hand-over, so 2000…2018 give 1 Dec and 2024,
 * 2030, 2036… give 1 Oct; VIII 25 Dec. Fraction IX (ordinary election days) falls on a Sunday
 * (LGIPE art. 22: first Sunday of June), so it never changes a business-day count; a local
 * extraordinary election on a weekday goes in the policy's extra days. The Monday rule dates from
 * the reform of DOF 17-01-2006 and is applied to every year.
 */
export function statutoryRestDays(year: number): NonWorkingDay[] {
  const days: NonWorkingDay[] = [
    { date: isoOf(year, 1, 1), name: 'Año Nuevo', source: `${LFT_74} fr. I` },
    { date: nthWeekdayOfMonth(year, 2, 1, 1), name: 'Día de la Constitución (primer lunes de febrero)', source: `${LFT_74} fr. II` },
    { date: nthWeekdayOfMonth(year, 3, 1, 3), name: 'Natalicio de Benito Juárez (tercer lunes de marzo)', source: `${LFT_74} fr. III` },
    { date: isoOf(year, 5, 1), name: 'Día del Trabajo', source: `${LFT_74} fr. IV` },
    { date: isoOf(year, 9, 16), name: 'Día de la Independencia', source: `${LFT_74} fr. V` },
    { date: nthWeekdayOfMonth(year, 11, 1, 3), name: 'Día de la Revolución (tercer lunes de noviembre)', source: `${LFT_74} fr. VI` },
    { date: isoOf(year, 12, 25), name: 'Navidad', source: `${LFT_74} fr. VIII` },
  ];
  const inauguration = presidentialInauguration(year);
  if (inauguration) days.push({ date: inauguration, name: 'Transmisión del Poder Ejecutivo Federal', source: `${LFT_74} fr. VII` });
  return days.sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** 1 Oct of 2024, 2030, 2036…; 1 Dec of 2018, 2012, 2006… (before the 2024 reform). */
export function presidentialInauguration(year: number): IsoDate | undefined {
  if ((year - 2024) % 6 !== 0) return undefined;
  return year >= 2024 ? isoOf(year, 10, 1) : isoOf(year, 12, 1);
}

/** Builds the calendar of a holiday policy. Pure; statutory years are computed once and kept. */
export function createHolidayCalendar(policy: HolidayPolicy): HolidayCalendar {
  const extra = new Map<IsoDate, NonWorkingDay>(
    policy.extraNonWorkingDays.map((day) => [day.date, { date: day.date, name: day.name, source: 'Política de días inhábiles' }]),
  );
  const byYear = new Map<number, Map<IsoDate, NonWorkingDay>>();
  const statutory = (date: IsoDate): NonWorkingDay | undefined => {
    if (!policy.statutoryRestDays) return undefined;
    const year = Number(date.slice(0, 4));
    let days = byYear.get(year);
    if (!days) {
      days = new Map(statutoryRestDays(year).map((day) => [day.date, day]));
      byYear.set(year, days);
    }
    return days.get(date);
  };
  const nonWorkingDay = (date: IsoDate) => statutory(date) ?? extra.get(date);
  return { nonWorkingDay, isHoliday: (date) => nonWorkingDay(date) !== undefined };
}

/** The default calendar: LFT art. 74 rest days, no extra days. */
export const MEXICAN_HOLIDAYS: HolidayCalendar = createHolidayCalendar(DEFAULT_HOLIDAY_POLICY);

// ------------------------------------------------------------------------------------------------
// Day arithmetic
// ------------------------------------------------------------------------------------------------

export function isWeekend(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

/** Monday to Friday and not a non-working day of the calendar. */
export function isBusinessDay(date: IsoDate, holidays: HolidayCalendar): boolean {
  return !isWeekend(date) && !holidays.isHoliday(date);
}

/** The date itself when it is a business day, else the next business day. */
export function rollToBusinessDay(date: IsoDate, holidays: HolidayCalendar): IsoDate {
  let current = date;
  while (!isBusinessDay(current, holidays)) current = addDays(current, 1);
  return current;
}

/**
 * `amount` business days after `from` (from itself not counted). Amount 0 means "the same day":
 * `from` when it is a business day, else the next business day — a deadline never falls on a
 * non-working day when it is counted in business days.
 */
export function addBusinessDays(from: IsoDate, amount: number, holidays: HolidayCalendar): IsoDate {
  if (!Number.isInteger(amount) || amount < 0) throw new RangeError(`Not a day count: ${amount}`);
  if (amount === 0) return rollToBusinessDay(from, holidays);
  let current = from;
  let remaining = amount;
  while (remaining > 0) {
    current = addDays(current, 1);
    if (isBusinessDay(current, holidays)) remaining -= 1;
  }
  return current;
}

/** The due date `amount` days after `from`, in calendar days (no roll) or business days. */
export function addDeadlineDays(from: IsoDate, amount: number, unit: DayUnit, holidays: HolidayCalendar): IsoDate {
  if (!Number.isInteger(amount) || amount < 0) throw new RangeError(`Not a day count: ${amount}`);
  return unit === 'calendar' ? addDays(from, amount) : addBusinessDays(from, amount, holidays);
}

/**
 * How many days of the unit have elapsed from `from` to `to`: calendar days, or business days in
 * (from, to]. Negative when `to` is before `from`.
 */
export function countDeadlineDays(from: IsoDate, to: IsoDate, unit: DayUnit, holidays: HolidayCalendar): number {
  if (unit === 'calendar') return daysBetween(from, to);
  if (to < from) return -countDeadlineDays(to, from, unit, holidays);
  let count = 0;
  for (let current = addDays(from, 1); current <= to; current = addDays(current, 1)) {
    if (isBusinessDay(current, holidays)) count += 1;
  }
  return count;
}

/** "Day N" of the mediation clock (SPEC §5): calendar days since acceptance, which is day 0. */
export function caseDay(acceptedOn: IsoDate, date: IsoDate): number {
  return daysBetween(acceptedOn, date);
}

/** The due date of a policy key from its anchor date. */
export function dueDateOf(key: DeadlineKey, anchorDate: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar): IsoDate {
  const rule = policy[key];
  if (key === 'DL-16') {
    // "The first N days of the month": day 1 is the first of the month, so count from the day before.
    return addDeadlineDays(addDays(`${anchorDate.slice(0, 7)}-01`, -1), rule.amount, rule.unit, holidays);
  }
  return addDeadlineDays(anchorDate, rule.amount, rule.unit, holidays);
}

// ------------------------------------------------------------------------------------------------
// Spanish wording
// ------------------------------------------------------------------------------------------------

/** "de la aceptación" etc.; `a`/`desde` forms are derived (del → al / desde el). */
const ANCHOR_OF_PHRASE: Record<DeadlineAnchor, string> = {
  acceptance: 'de la aceptación',
  distribution: 'de la distribución',
  scheduling: 'del agendado de la sesión',
  signature: 'de la firma del convenio',
  convenio_receipt: 'de la recepción del convenio firmado',
  correction_request: 'de la solicitud de cambios o aclaraciones',
  case_file_receipt: 'de la recepción del expediente',
  file_correction_request: 'de la solicitud de correcciones al expediente',
  certificates_receipt: 'de la recepción de las constancias de pago',
  service_conclusion: 'de la conclusión del servicio',
  month_start: 'del inicio del mes',
  report_receipt: 'de la recepción del informe',
  report_clarification_request: 'de la solicitud de aclaración',
  office_notice: 'del aviso de la Gerencia de Mediación y Convenios',
};

function anchorPhrase(anchor: DeadlineAnchor, preposition: 'de' | 'a' | 'desde'): string {
  const of = ANCHOR_OF_PHRASE[anchor];
  if (preposition === 'de') return of;
  if (of.startsWith('del ')) return preposition === 'a' ? `al ${of.slice(4)}` : `desde el ${of.slice(4)}`;
  return `${preposition} ${of.slice(3)}`;
}

/** What each deadline asks, as users read it. */
export const DEADLINE_SUBJECT: Record<DeadlineKey, string> = {
  'DL-1': 'la agencia aprueba y distribuye el caso a un mediador',
  'DL-2': 'primer contacto del mediador con las partes',
  'DL-3': 'agendar la sesión de mediación',
  'DL-4': 'registrar que no se logró agendar la sesión y su causa (NS-1 a NS-3)',
  'DL-5': 'cierre automático',
  'DL-6': 'registrar los datos de la sesión y enviar la convocatoria por escrito',
  'DL-7': 'celebrar la sesión de mediación (una sola reprogramación)',
  'DL-8': 'cierre automático',
  'DL-9': 'enviar al Gerente de Cobranza de la DR el convenio firmado digitalizado y la identificación',
  'DL-10': 'el Gerente de Cobranza de la DR revisa el convenio',
  'DL-11': 'el mediador responde la solicitud de cambios o aclaraciones',
  'DL-12': 'el Gerente de Cobranza de la DR aprueba la solución',
  'DL-13.request': 'el Gerente de Cobranza de la DR solicita correcciones al expediente',
  'DL-13.answer': 'el mediador responde las correcciones al expediente',
  'DL-14': 'el Gerente de Cobranza de la DR valida el pago de derechos u honorarios',
  'DL-15': 'digitalizar el expediente completo',
  'DL-16': 'enviar el reporte de avance de convenios recibidos en el ANEC',
  'DL-17.request': 'la Gerencia de Mediación y Convenios solicita aclaraciones al informe de la agencia',
  'DL-17.answer': 'la agencia responde las aclaraciones al informe',
  'DL-18': 'la agencia marca la cuenta con mediación aceptada',
  'SL-1': 'nivel de servicio: convenio firmado por el acreditado',
};

const DEADLINE_CONDITION: Partial<Record<DeadlineKey, string>> = {
  'DL-5': 'sin sesión agendada ni registro de no agendada',
  'DL-8': 'sin sesión celebrada ni nueva fecha',
};

const UNIT_WORD: Record<DayUnit, string> = { calendar: 'naturales', business: 'hábiles' };

/** "el mismo día de la firma del convenio", "el día 32 desde la aceptación", … */
export function timingPhrase(key: DeadlineKey, rule: Pick<DeadlineRule, 'amount' | 'unit'>): string {
  const anchor = DEADLINE_ANCHOR_OF[key];
  const { amount, unit } = rule;
  switch (DEADLINE_KIND[key]) {
    case 'day':
      return `el día ${unit === 'business' ? 'hábil ' : ''}${amount} ${anchorPhrase(anchor, 'desde')}`;
    case 'month':
      return `dentro de los primeros ${amount} días ${UNIT_WORD[unit]} del mes`;
    case 'window':
      if (amount === 0) return `el mismo día ${anchorPhrase(anchor, 'de')}`;
      return `dentro de los ${amount} ${amount === 1 ? 'día' : 'días'} ${unit === 'calendar' ? 'natural' : 'hábil'}${amount === 1 ? '' : 'es'} ${anchorPhrase(anchor, 'desde')}`;
    case 'within':
      if (amount === 0) return unit === 'business' ? `el mismo día hábil ${anchorPhrase(anchor, 'de')}` : `el mismo día ${anchorPhrase(anchor, 'de')}`;
      if (amount === 1) return unit === 'business' ? `a más tardar el día hábil siguiente ${anchorPhrase(anchor, 'a')}` : `a más tardar al día siguiente ${anchorPhrase(anchor, 'de')}`;
      return `dentro de los ${amount} días ${UNIT_WORD[unit]} siguientes ${anchorPhrase(anchor, 'a')}`;
  }
}

/**
 * "DL-5: cierre automático el día 32 desde la aceptación (23/11/2026) sin sesión agendada ni
 * registro de no agendada — política v3".
 */
export function explainDeadline(key: DeadlineKey, dueOn: IsoDate, policy: DeadlinePolicy, policyVersion: number): string {
  const condition = DEADLINE_CONDITION[key];
  return `${ruleIdOf(key)}: ${DEADLINE_SUBJECT[key]} ${timingPhrase(key, policy[key])} (${formatDateEs(dueOn)})${condition ? ` ${condition}` : ''} — política v${policyVersion}`;
}

// ------------------------------------------------------------------------------------------------
// Due dates of a case
// ------------------------------------------------------------------------------------------------

/** The dated facts of a case that deadlines read. Every date is a calendar date (IsoDate). */
export interface CaseDeadlineFacts {
  /** act. 4: "En Mediación" — day 0 (for ENT-A/B, the day the agency marked it accepted). */
  acceptedOn: IsoDate;
  /** ENT-A act. 6: the office told the agency the credit was tagged (DL-18). */
  entryNoticeOn?: IsoDate | undefined;
  distributedOn?: IsoDate | undefined;
  firstContactOn?: IsoDate | undefined;
  /** act. 11: the day the first session date was recorded. */
  scheduledOn?: IsoDate | undefined;
  /** The date the (current) session is set for. */
  sessionDate?: IsoDate | undefined;
  summonsSentOn?: IsoDate | undefined;
  /** act. 14: the day the one new date was recorded. */
  rescheduledOn?: IsoDate | undefined;
  rescheduleSummonsSentOn?: IsoDate | undefined;
  /** act. 9: the day the mediator recorded NS with its cause. */
  notScheduledRecordedOn?: IsoDate | undefined;
  /** act. 16: the first session held. */
  sessionHeldOn?: IsoDate | undefined;
  signedOn?: IsoDate | undefined;
  /** act. 22: sent by the mediator = received by the DR manager (the latest sending after corrections). */
  convenioSentOn?: IsoDate | undefined;
  convenioReviewedOn?: IsoDate | undefined;
  correctionRequestedOn?: IsoDate | undefined;
  correctionAnsweredOn?: IsoDate | undefined;
  approvedOn?: IsoDate | undefined;
  caseFileReceivedOn?: IsoDate | undefined;
  caseFileReviewedOn?: IsoDate | undefined;
  fileCorrectionRequestedOn?: IsoDate | undefined;
  fileCorrectionAnsweredOn?: IsoDate | undefined;
  feeCertificatesReceivedOn?: IsoDate | undefined;
  feeValidatedOn?: IsoDate | undefined;
  serviceConcludedOn?: IsoDate | undefined;
  fileDigitisedOn?: IsoDate | undefined;
  closedOn?: IsoDate | undefined;
}

/**
 * - `met`: done on or before the due date (for a closure: averted — a session was scheduled, NS
 *   recorded, or a session held);
 * - `pending`: not done and the due date has not passed;
 * - `breached`: done late, or not done and the due date passed (for a closure: the closure applies
 *   from its day on; for a window: it expired).
 */
export type DeadlineStatus = 'met' | 'pending' | 'breached';

export const DEADLINE_STATUS_LABELS: Record<DeadlineStatus, string> = {
  met: 'Cumplido',
  pending: 'Pendiente',
  breached: 'Incumplido',
};

export interface DueDate {
  key: DeadlineKey;
  rule: string;
  anchor: DeadlineAnchor;
  anchorDate: IsoDate;
  dueOn: IsoDate;
  /** When the step was done (for a closure: when it was averted). */
  doneOn?: IsoDate | undefined;
  status: DeadlineStatus;
  effect: DeadlineEffect;
  policyVersion: number;
  explanation: string;
}

function statusOf(dueOn: IsoDate, doneOn: IsoDate | undefined, today: IsoDate): DeadlineStatus {
  if (doneOn !== undefined) return doneOn <= dueOn ? 'met' : 'breached';
  return today > dueOn ? 'breached' : 'pending';
}

interface DeadlineContext {
  policy: DeadlinePolicy;
  policyVersion: number;
  holidays: HolidayCalendar;
  today: IsoDate;
}

/** Evaluates one deadline from its anchor date and the date the step was done (if it was). */
export function evaluateDeadline(
  key: DeadlineKey,
  anchorDate: IsoDate,
  doneOn: IsoDate | undefined,
  context: DeadlineContext,
): DueDate {
  const dueOn = dueDateOf(key, anchorDate, context.policy, context.holidays);
  const status = DEADLINE_EFFECT[key] === 'closure'
    ? doneOn !== undefined ? 'met' : context.today >= dueOn ? 'breached' : 'pending'
    : statusOf(dueOn, doneOn, context.today);
  return {
    key,
    rule: ruleIdOf(key),
    anchor: DEADLINE_ANCHOR_OF[key],
    anchorDate,
    dueOn,
    doneOn,
    status,
    effect: DEADLINE_EFFECT[key],
    policyVersion: context.policyVersion,
    explanation: explainDeadline(key, dueOn, context.policy, context.policyVersion),
  };
}

/**
 * The due dates that apply to a case, in procedure order, each with its status as of `today`.
 * A deadline is listed once its anchor exists and while it still applies: DL-4/DL-5 only while
 * no session was scheduled; DL-6/DL-7/DL-8 once one was; DL-11 and DL-13 only when a correction
 * was requested (or, for DL-13.request, while the DR manager may still ask).
 */
export function caseDueDates(
  facts: CaseDeadlineFacts,
  policy: DeadlinePolicy,
  policyVersion: number,
  holidays: HolidayCalendar,
  today: IsoDate,
): DueDate[] {
  const context: DeadlineContext = { policy, policyVersion, holidays, today };
  const dates: DueDate[] = [];
  const add = (key: DeadlineKey, anchorDate: IsoDate | undefined, doneOn: IsoDate | undefined) => {
    if (anchorDate !== undefined) dates.push(evaluateDeadline(key, anchorDate, doneOn, context));
  };
  const accepted = facts.acceptedOn;

  add('DL-18', facts.entryNoticeOn, accepted);
  add('DL-1', accepted, facts.distributedOn);
  add('DL-2', facts.distributedOn, facts.firstContactOn);
  add('DL-3', accepted, facts.scheduledOn);
  if (facts.scheduledOn === undefined) {
    add('DL-4', accepted, facts.notScheduledRecordedOn);
    add('DL-5', accepted, facts.notScheduledRecordedOn);
  } else {
    add('DL-6', facts.scheduledOn, facts.summonsSentOn);
    if (facts.rescheduledOn !== undefined) add('DL-6', facts.rescheduledOn, facts.rescheduleSummonsSentOn);
    add('DL-7', accepted, facts.sessionHeldOn);
    const dl8 = evaluateDeadline('DL-8', accepted, facts.sessionHeldOn, context);
    // "… ni nueva fecha": a session date still to come keeps the closure pending.
    dates.push(dl8.status === 'breached' && pendingSessionDate(facts, today) !== undefined ? { ...dl8, status: 'pending' } : dl8);
  }
  add('SL-1', accepted, facts.signedOn);
  add('DL-9', facts.signedOn, facts.convenioSentOn);
  add('DL-10', facts.convenioSentOn, facts.convenioReviewedOn);
  add('DL-11', facts.correctionRequestedOn, facts.correctionAnsweredOn);
  add('DL-12', facts.convenioSentOn, facts.approvedOn);
  if (facts.caseFileReceivedOn !== undefined) {
    const requestDue = dueDateOf('DL-13.request', facts.caseFileReceivedOn, policy, holidays);
    const stillMayAsk = facts.caseFileReviewedOn === undefined && today <= requestDue;
    if (facts.fileCorrectionRequestedOn !== undefined || stillMayAsk) add('DL-13.request', facts.caseFileReceivedOn, facts.fileCorrectionRequestedOn);
  }
  add('DL-13.answer', facts.fileCorrectionRequestedOn, facts.fileCorrectionAnsweredOn);
  add('DL-14', facts.feeCertificatesReceivedOn, facts.feeValidatedOn);
  add('DL-15', facts.signedOn === undefined ? undefined : facts.serviceConcludedOn, facts.fileDigitisedOn);
  return dates;
}

/** A session date still to come counts as the "new date" of DL-8. */
function pendingSessionDate(facts: CaseDeadlineFacts, today: IsoDate): IsoDate | undefined {
  return facts.sessionDate !== undefined && facts.sessionDate >= today ? facts.sessionDate : undefined;
}

/** DL-16: the archive-progress report of a month ('YYYY-MM'), due within its first N days. */
export function archiveReportDueDate(
  month: string,
  sentOn: IsoDate | undefined,
  policy: DeadlinePolicy,
  policyVersion: number,
  holidays: HolidayCalendar,
  today: IsoDate,
): DueDate {
  return evaluateDeadline('DL-16', `${month}-01`, sentOn, { policy, policyVersion, holidays, today });
}

/** DL-17: the office may ask for clarifications of an agency report; the agency then answers. */
export function agencyReportDueDates(
  report: { receivedOn: IsoDate; reviewedOn?: IsoDate | undefined; clarificationRequestedOn?: IsoDate | undefined; clarificationAnsweredOn?: IsoDate | undefined },
  policy: DeadlinePolicy,
  policyVersion: number,
  holidays: HolidayCalendar,
  today: IsoDate,
): DueDate[] {
  const context: DeadlineContext = { policy, policyVersion, holidays, today };
  const dates: DueDate[] = [];
  const requestDue = dueDateOf('DL-17.request', report.receivedOn, policy, holidays);
  if (report.clarificationRequestedOn !== undefined || (report.reviewedOn === undefined && today <= requestDue)) {
    dates.push(evaluateDeadline('DL-17.request', report.receivedOn, report.clarificationRequestedOn, context));
  }
  if (report.clarificationRequestedOn !== undefined) {
    dates.push(evaluateDeadline('DL-17.answer', report.clarificationRequestedOn, report.clarificationAnsweredOn, context));
  }
  return dates;
}

// ------------------------------------------------------------------------------------------------
// Predicates the daily sweep mirrors in SQL
// ------------------------------------------------------------------------------------------------

/** The date the DL-5 closure applies from (day 32 by default). */
export function dl5ClosesOn(acceptedOn: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar = MEXICAN_HOLIDAYS): IsoDate {
  return dueDateOf('DL-5', acceptedOn, policy, holidays);
}

/** The date the DL-8 closure applies from (day 91 by default). */
export function dl8ClosesOn(acceptedOn: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar = MEXICAN_HOLIDAYS): IsoDate {
  return dueDateOf('DL-8', acceptedOn, policy, holidays);
}

/**
 * DL-5 (Guía act. 10): on or after day 32 an open case with no scheduled session and no NS record
 * is closed. SQL: `closed_on IS NULL AND scheduled_on IS NULL AND not_scheduled_recorded_on IS NULL
 * AND dl5_closes_on <= :today`.
 */
export function closesByDl5(facts: CaseDeadlineFacts, today: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar = MEXICAN_HOLIDAYS): boolean {
  return (
    facts.closedOn === undefined &&
    facts.scheduledOn === undefined &&
    facts.notScheduledRecordedOn === undefined &&
    today >= dl5ClosesOn(facts.acceptedOn, policy, holidays)
  );
}

/**
 * DL-8 (Guía act. 15): on or after day 91 an open case whose session was scheduled but never held,
 * and with no new date still to come, is closed. SQL: `closed_on IS NULL AND scheduled_on IS NOT
 * NULL AND session_held_on IS NULL AND (session_date IS NULL OR session_date < :today) AND
 * dl8_closes_on <= :today`. (Under the guards every session date is within DL-7, before day 91, so
 * the session-date condition only matters for data that broke them.)
 */
export function closesByDl8(facts: CaseDeadlineFacts, today: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar = MEXICAN_HOLIDAYS): boolean {
  return (
    facts.closedOn === undefined &&
    facts.scheduledOn !== undefined &&
    facts.sessionHeldOn === undefined &&
    pendingSessionDate(facts, today) === undefined &&
    today >= dl8ClosesOn(facts.acceptedOn, policy, holidays)
  );
}

function breached(dueOn: IsoDate, doneOn: IsoDate | undefined, today: IsoDate): boolean {
  return statusOf(dueOn, doneOn, today) === 'breached';
}

/** DL-1: the agency did not approve and distribute the accepted case by its due date. */
export function breachesDl1(facts: CaseDeadlineFacts, today: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar = MEXICAN_HOLIDAYS): boolean {
  return breached(dueDateOf('DL-1', facts.acceptedOn, policy, holidays), facts.distributedOn, today);
}

/** DL-2: the mediator did not make the first contact by its due date after distribution. */
export function breachesDl2(facts: CaseDeadlineFacts, today: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar = MEXICAN_HOLIDAYS): boolean {
  if (facts.distributedOn === undefined) return false;
  return breached(dueDateOf('DL-2', facts.distributedOn, policy, holidays), facts.firstContactOn, today);
}

/** DL-4: no session was scheduled and NS was not recorded by day 31 (or was recorded later). */
export function breachesDl4(facts: CaseDeadlineFacts, today: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar = MEXICAN_HOLIDAYS): boolean {
  if (facts.scheduledOn !== undefined) return false;
  return breached(dueDateOf('DL-4', facts.acceptedOn, policy, holidays), facts.notScheduledRecordedOn, today);
}

/** DL-6: the summons of a scheduling (or of the new date) was not sent the same day. */
export function breachesDl6(facts: CaseDeadlineFacts, today: IsoDate, policy: DeadlinePolicy, holidays: HolidayCalendar = MEXICAN_HOLIDAYS): boolean {
  const late = (scheduledOn: IsoDate | undefined, sentOn: IsoDate | undefined) =>
    scheduledOn !== undefined && breached(dueDateOf('DL-6', scheduledOn, policy, holidays), sentOn, today);
  return late(facts.scheduledOn, facts.summonsSentOn) || late(facts.rescheduledOn, facts.rescheduleSummonsSentOn);
}

// ------------------------------------------------------------------------------------------------
// Policy definitions (to be listed in src/modules/policy/policy.definitions.ts)
// ------------------------------------------------------------------------------------------------

export const DEADLINE_POLICY_DEFINITION = {
  key: 'deadlines',
  label: 'Plazos y niveles de servicio (DL-1 a DL-18, SL-1)',
  schema: ZDeadlinePolicy,
  defaultValue: DEFAULT_DEADLINE_POLICY,
  defaultSource:
    'Guía para la prestación del Servicio de Mediación y PR "Niveles de Servicio" (seed 001): días naturales; día 0 = aceptación; DL-3 30 días, DL-4 día 31, DL-5 día 32, DL-7 90 días, DL-8 día 91, "el mismo día" = 0, "al día siguiente" = 1, "dentro de los dos días" = 2, DL-16 primeros 15 días del mes, DL-17 10 y 2 días, SL-1 30 días.',
  owners: ['mediation_office'],
} satisfies PolicyDefinition<DeadlinePolicy>;

export const HOLIDAY_POLICY_DEFINITION = {
  key: 'holiday_calendar',
  label: 'Días inhábiles (LFT art. 74 y días adicionales)',
  schema: ZHolidayPolicy,
  defaultValue: DEFAULT_HOLIDAY_POLICY,
  defaultSource:
    'Ley Federal del Trabajo art. 74 (reforma DOF 30-09-2024: 1 de octubre de cada seis años); sin días adicionales hasta que la Gerencia de Mediación y Convenios los publique.',
  owners: ['mediation_office'],
} satisfies PolicyDefinition<HolidayPolicy>;
