/**
 * Time comes from a Clock so that every deadline can be tested on any date.
 * Calendar dates are ISO strings 'YYYY-MM-DD' in America/Mexico_City.
 */
export const TIME_ZONE = 'America/Mexico_City';

export type IsoDate = string;

export interface Clock {
  /** The current instant. */
  now(): Date;
  /** Today's calendar date in America/Mexico_City. */
  today(): IsoDate;
}

const dateFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date of an instant in America/Mexico_City. */
export function mexicoCityDate(instant: Date): IsoDate {
  return dateFormatter.format(instant);
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => mexicoCityDate(new Date()),
};

/**
 * A clock fixed at a calendar date (noon in Mexico City, so the date is the same in every zone
 * that matters) or at an exact instant.
 */
export function fixedClock(at: IsoDate | Date): Clock {
  const instant = typeof at === 'string' ? noonInMexicoCity(at) : at;
  return { now: () => new Date(instant.getTime()), today: () => mexicoCityDate(instant) };
}

/** A clock that keeps the system's time of day but reports the given date (for `--date`). */
export function clockAtDate(date: IsoDate | undefined): Clock {
  return date === undefined ? systemClock : fixedClock(date);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(value: string): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(value);
  if (!match) throw new RangeError(`Not a date (YYYY-MM-DD): ${value}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: ${value}`);
  }
  return { year, month, day };
}

/** A month of the platform (an assignment run's, a report's): 'YYYY-MM'. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isIsoDate(value: string): boolean {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** Calendar arithmetic on dates (no time zone involved: a date is a date). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** 'YYYY-MM' of a date. */
export function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

function noonInMexicoCity(date: IsoDate): Date {
  const { year, month, day } = parseIsoDate(date);
  // Mexico City has been UTC-6 all year since 2022 (and UTC-5/-6 before); 18:00 UTC is midday either way.
  return new Date(Date.UTC(year, month - 1, day, 18, 0, 0));
}

/** A calendar date as users in Mexico read it: `dd/mm/aaaa`. */
export function formatDateEs(date: IsoDate): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}
