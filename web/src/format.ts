/**
 * Display formatting for es-MX. Amounts arrive as integer cents and rates as basis points; both
 * are formatted with integer (BigInt) arithmetic so no binary floating point touches them.
 * Dates arrive as 'YYYY-MM-DD' calendar dates and are formatted by parsing the text, never through
 * `Date`, so the time zone of the device cannot shift them by a day.
 */

const MONTH_NAMES = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
] as const;

/** "1234567" → "1,234,567" (es-MX groups thousands with commas). Digits only. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function toBigInt(value: number | bigint, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer: ${value}`);
  return BigInt(value);
}

/** Integer cents → "$1,234,567.89"; negative amounts → "-$12.00". */
export function formatCents(cents: number | bigint): string {
  const value = toBigInt(cents, 'cents');
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const whole = groupThousands((absolute / 100n).toString());
  const fraction = (absolute % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}$${whole}.${fraction}`;
}

/**
 * An amount in pesos as typed ("200,000", "$1,500.5", "350000.00") → integer cents, exactly (no
 * floating point); null when the text is not such an amount (at most two decimals, commas only
 * between groups of three digits).
 */
export function parsePesosToCents(text: string): number | null {
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (match === null) return null;
  const cents = BigInt(match[1]!.replace(/,/g, '')) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return cents > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(cents);
}

/** Integer cents → the amount as typed in a pesos field: 20000000 → "200,000.00". */
export function centsToPesosInput(cents: number): string {
  return formatCents(cents).replace('$', '');
}

/** Basis points → percentage with two decimals: 850 → "8.50 %", 1200 → "12.00 %". */
export function formatBasisPoints(basisPoints: number | bigint): string {
  const value = toBigInt(basisPoints, 'basisPoints');
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const whole = groupThousands((absolute / 100n).toString());
  const fraction = (absolute % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction} %`;
}

/** A whole count with es-MX grouping: 12345 → "12,345". */
export function formatInteger(value: number | bigint): string {
  const integer = toBigInt(value, 'value');
  const negative = integer < 0n;
  return `${negative ? '-' : ''}${groupThousands((negative ? -integer : integer).toString())}`;
}

/**
 * A decimal as text (as the API sends NUMERIC columns, e.g. VSM amounts) with grouping:
 * "12345.6789" → "12,345.6789". Text that is not a plain decimal is returned unchanged.
 */
export function formatDecimalText(text: string): string {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return text;
  const [, sign = '', whole = '', fraction] = match;
  return `${sign}${groupThousands(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * 'YYYY-MM-DD' → "3 de marzo de 2024". Parsed as text: no `Date`, no time zone. Text that is not a
 * valid calendar date is returned unchanged rather than shown as a wrong date.
 */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return isoDate;
  return `${day} de ${MONTH_NAMES[month - 1]} de ${year}`;
}

/** Booleans as the users read them. */
export function formatYesNo(value: boolean): string {
  return value ? 'Sí' : 'No';
}

/** 'YYYY-MM' → "marzo de 2026". Text that is not a valid month is returned unchanged. */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  const index = Number(match[2]) - 1;
  const name = MONTH_NAMES[index];
  if (name === undefined) return month;
  return `${name} de ${match[1]}`;
}

/** A valid 'YYYY-MM' (month 01..12). */
export function isMonth(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/** A valid 'YYYY-MM-DD' calendar date. */
export function isIsoDate(text: string): boolean {
  return formatDate(text) !== text;
}

/** The process's time zone (SPEC §2): every calendar date of the process is read there. */
const PROCESS_TIME_ZONE = 'America/Mexico_City';

/** An instant → its calendar date 'YYYY-MM-DD' in Mexico City. */
export function mexicoCityDate(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: PROCESS_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Today in Mexico City, 'YYYY-MM-DD'. */
export function todayInMexicoCity(now: Date = new Date()): string {
  return mexicoCityDate(now);
}

/** The current month in Mexico City, 'YYYY-MM'. */
export function currentMonth(now: Date = new Date()): string {
  return mexicoCityDate(now).slice(0, 7);
}

/** An ISO instant ("2026-03-02T14:00:00.000Z") → "2 de marzo de 2026" (its date in Mexico City). */
export function formatInstantDate(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return formatDate(mexicoCityDate(instant));
}

/**
 * `part` of `whole` as a whole percentage, "85 %" (rounded half up; "0 %" when whole is 0).
 * Counts only, never money.
 */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return '0 %';
  return `${formatInteger(Math.round((part * 100) / whole))} %`;
}
