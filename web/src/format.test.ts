import { describe, expect, it } from 'vitest';
import {
  centsToPesosInput,
  parsePesosToCents,
  formatBasisPoints,
  formatCents,
  formatDate,
  formatDecimalText,
  formatInteger,
  formatInstantDate,
  formatMonth,
  formatShare,
  formatYesNo,
  currentMonth,
  isIsoDate,
  isMonth,
  mexicoCityDate,
} from './format';

describe('formatCents', () => {
  it('formats cents with es-MX thousands grouping and two decimals', () => {
    expect(formatCents(123456789)).toBe('$1,234,567.89');
    expect(formatCents(100000)).toBe('$1,000.00');
    expect(formatCents(99999)).toBe('$999.99');
  });

  it('pads small amounts', () => {
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(50)).toBe('$0.50');
    expect(formatCents(100)).toBe('$1.00');
  });

  it('puts the sign before the currency symbol', () => {
    expect(formatCents(-1200)).toBe('-$12.00');
    expect(formatCents(-7)).toBe('-$0.07');
    expect(formatCents(-123456789)).toBe('-$1,234,567.89');
  });

  it('is exact where binary floating point is not (0.1 + 0.2, 1.005, 2^53 - 1)', () => {
    expect(formatCents(10 + 20)).toBe('$0.30');
    expect(formatCents(1005)).toBe('$10.05');
    expect(formatCents(100000000000001)).toBe('$1,000,000,000,000.01');
    expect(formatCents(Number.MAX_SAFE_INTEGER)).toBe('$90,071,992,547,409.91');
  });

  it('accepts bigint beyond the safe-integer range', () => {
    expect(formatCents(123456789012345678901n)).toBe('$1,234,567,890,123,456,789.01');
  });

  it('refuses values that are not safe integers instead of showing a wrong amount', () => {
    expect(() => formatCents(12.5)).toThrow(RangeError);
    expect(() => formatCents(Number.NaN)).toThrow(RangeError);
    expect(() => formatCents(Number.MAX_SAFE_INTEGER + 2)).toThrow(RangeError);
  });
});

describe('formatBasisPoints', () => {
  it('shows basis points as a percentage with two decimals', () => {
    expect(formatBasisPoints(850)).toBe('8.50 %');
    expect(formatBasisPoints(1200)).toBe('12.00 %');
    expect(formatBasisPoints(1)).toBe('0.01 %');
    expect(formatBasisPoints(0)).toBe('0.00 %');
    expect(formatBasisPoints(10000)).toBe('100.00 %');
    expect(formatBasisPoints(-25)).toBe('-0.25 %');
  });

  it('refuses fractional basis points', () => {
    expect(() => formatBasisPoints(8.5)).toThrow(RangeError);
  });
});

describe('formatDate', () => {
  it('writes a calendar date in Spanish', () => {
    expect(formatDate('2024-03-03')).toBe('3 de marzo de 2024');
    expect(formatDate('1999-12-31')).toBe('31 de diciembre de 1999');
    expect(formatDate('2025-01-01')).toBe('1 de enero de 2025');
    expect(formatDate('2023-09-15')).toBe('15 de septiembre de 2023');
  });

  it('never shifts the day, whatever the time zone (no Date involved)', () => {
    // In America/Mexico_City, `new Date('2024-03-01')` is the evening of 29 February.
    expect(formatDate('2024-03-01')).toBe('1 de marzo de 2024');
    expect(formatDate('2024-01-01')).toBe('1 de enero de 2024');
  });

  it('knows leap years', () => {
    expect(formatDate('2024-02-29')).toBe('29 de febrero de 2024');
    expect(formatDate('2000-02-29')).toBe('29 de febrero de 2000');
    expect(formatDate('2023-02-29')).toBe('2023-02-29');
    expect(formatDate('1900-02-29')).toBe('1900-02-29');
  });

  it('returns text that is not a valid date unchanged', () => {
    expect(formatDate('2024-13-01')).toBe('2024-13-01');
    expect(formatDate('2024-04-31')).toBe('2024-04-31');
    expect(formatDate('2024-00-10')).toBe('2024-00-10');
    expect(formatDate('3/3/2024')).toBe('3/3/2024');
    expect(formatDate('2024-03-03T00:00:00Z')).toBe('2024-03-03T00:00:00Z');
    expect(formatDate('')).toBe('');
  });
});

describe('formatInteger and formatDecimalText', () => {
  it('groups thousands', () => {
    expect(formatInteger(0)).toBe('0');
    expect(formatInteger(999)).toBe('999');
    expect(formatInteger(1000)).toBe('1,000');
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatInteger(-1234)).toBe('-1,234');
  });

  it('groups the whole part of a decimal text and keeps its fraction as sent', () => {
    expect(formatDecimalText('12345.6789')).toBe('12,345.6789');
    expect(formatDecimalText('150.0000')).toBe('150.0000');
    expect(formatDecimalText('1000')).toBe('1,000');
    expect(formatDecimalText('-2500.5')).toBe('-2,500.5');
    expect(formatDecimalText('n/a')).toBe('n/a');
  });
});

describe('formatYesNo', () => {
  it('answers in Spanish', () => {
    expect(formatYesNo(true)).toBe('Sí');
    expect(formatYesNo(false)).toBe('No');
  });
});

describe('months and Mexico City dates', () => {
  it('formatMonth names the month in Spanish and leaves anything else unchanged', () => {
    expect(formatMonth('2026-03')).toBe('marzo de 2026');
    expect(formatMonth('2026-12')).toBe('diciembre de 2026');
    expect(formatMonth('2026-13')).toBe('2026-13');
    expect(formatMonth('marzo')).toBe('marzo');
  });

  it('isMonth and isIsoDate accept only valid values', () => {
    expect(isMonth('2026-01')).toBe(true);
    expect(isMonth('2026-00')).toBe(false);
    expect(isMonth('2026-1')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
  });

  it('reads the calendar date in Mexico City, not UTC', () => {
    // 03:00 UTC on 1 March is still 28 February in Mexico City (UTC-6).
    expect(mexicoCityDate(new Date('2026-03-01T03:00:00Z'))).toBe('2026-02-28');
    expect(currentMonth(new Date('2026-03-01T03:00:00Z'))).toBe('2026-02');
    expect(formatInstantDate('2026-03-01T18:00:00Z')).toBe('1 de marzo de 2026');
    expect(formatInstantDate('no es fecha')).toBe('no es fecha');
  });

  it('formatShare rounds to a whole percentage', () => {
    expect(formatShare(833, 1122)).toBe('74 %');
    expect(formatShare(5, 0)).toBe('0 %');
    expect(formatShare(1, 1)).toBe('100 %');
  });
});

describe('parsePesosToCents', () => {
  it('reads pesos as typed, exactly, into integer cents', () => {
    expect(parsePesosToCents('200,000')).toBe(20_000_000);
    expect(parsePesosToCents(' $1,500.5 ')).toBe(150_050);
    expect(parsePesosToCents('350000.00')).toBe(35_000_000);
    expect(parsePesosToCents('0.07')).toBe(7);
    // 0.1 + 0.2 in floating point is not 0.3: the cents come from the digits
    expect(parsePesosToCents('1234567.89')).toBe(123_456_789);
  });

  it('refuses what is not an amount in pesos', () => {
    for (const text of ['', 'abc', '1,50', '12,3456', '1.234', '-5', '1e5', '200 000', '$']) expect(parsePesosToCents(text)).toBeNull();
    expect(parsePesosToCents('99999999999999999')).toBeNull();
  });

  it('round-trips with centsToPesosInput', () => {
    for (const cents of [0, 7, 150_050, 20_000_000, 123_456_789]) expect(parsePesosToCents(centsToPesosInput(cents))).toBe(cents);
    expect(centsToPesosInput(20_000_000)).toBe('200,000.00');
  });
});
