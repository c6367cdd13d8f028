/**
 * Spanish number words for the amounts of a convenio (CNV-1: amounts "con número y letra").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integerToSpanishWords, pesosInWords } from './number-words.js';

describe('pesosInWords (CNV-1: amounts in words)', () => {
  it.each<[bigint, string]>([
    [0n, 'cero pesos 00/100 M.N.'],
    [1n, 'cero pesos 01/100 M.N.'],
    [100n, 'un peso 00/100 M.N.'],
    [150n, 'un peso 50/100 M.N.'],
    [200n, 'dos pesos 00/100 M.N.'],
    [1_500n, 'quince pesos 00/100 M.N.'],
    [1_600n, 'dieciséis pesos 00/100 M.N.'],
    [2_100n, 'veintiún pesos 00/100 M.N.'],
    [2_200n, 'veintidós pesos 00/100 M.N.'],
    [3_000n, 'treinta pesos 00/100 M.N.'],
    [3_100n, 'treinta y un pesos 00/100 M.N.'],
    [9_999n, 'noventa y nueve pesos 99/100 M.N.'],
    [10_000n, 'cien pesos 00/100 M.N.'],
    [10_100n, 'ciento un pesos 00/100 M.N.'],
    [11_500n, 'ciento quince pesos 00/100 M.N.'],
    [50_000n, 'quinientos pesos 00/100 M.N.'],
    [70_700n, 'setecientos siete pesos 00/100 M.N.'],
    [90_000n, 'novecientos pesos 00/100 M.N.'],
    [100_000n, 'mil pesos 00/100 M.N.'],
    [100_100n, 'mil un pesos 00/100 M.N.'],
    [173_530n, 'mil setecientos treinta y cinco pesos 30/100 M.N.'],
    [200_000n, 'dos mil pesos 00/100 M.N.'],
    [2_100_000n, 'veintiún mil pesos 00/100 M.N.'],
    [3_100_000n, 'treinta y un mil pesos 00/100 M.N.'],
    [10_000_000n, 'cien mil pesos 00/100 M.N.'],
    [10_100_000n, 'ciento un mil pesos 00/100 M.N.'],
    [18_555_555n, 'ciento ochenta y cinco mil quinientos cincuenta y cinco pesos 55/100 M.N.'],
    [99_999_999n, 'novecientos noventa y nueve mil novecientos noventa y nueve pesos 99/100 M.N.'],
    [100_000_000n, 'un millón de pesos 00/100 M.N.'],
    [100_000_050n, 'un millón de pesos 50/100 M.N.'],
    [100_000_100n, 'un millón un pesos 00/100 M.N.'],
    [100_100_000n, 'un millón mil pesos 00/100 M.N.'],
    [123_456_789n, 'un millón doscientos treinta y cuatro mil quinientos sesenta y siete pesos 89/100 M.N.'],
    [200_000_000n, 'dos millones de pesos 00/100 M.N.'],
    [2_100_000_000n, 'veintiún millones de pesos 00/100 M.N.'],
    [10_000_000_000n, 'cien millones de pesos 00/100 M.N.'],
    [100_000_000_000n, 'mil millones de pesos 00/100 M.N.'],
    [250_000_000_000n, 'dos mil quinientos millones de pesos 00/100 M.N.'],
    [100_100_000_000_000n, 'un billón mil millones de pesos 00/100 M.N.'],
    [100_100_000_000n, 'mil un millones de pesos 00/100 M.N.'],
    [100_000_000_000_000n, 'un billón de pesos 00/100 M.N.'],
  ])('%s cents → %s', (cents, words) => {
    expect(pesosInWords(cents)).toBe(words);
  });

  it('refuses negative amounts', () => {
    expect(() => pesosInWords(-1n)).toThrow(RangeError);
  });
});

describe('integerToSpanishWords', () => {
  it.each<[number | bigint, string]>([
    [0, 'cero'],
    [1, 'uno'],
    [21, 'veintiuno'],
    [100, 'cien'],
    [101, 'ciento uno'],
    [1000, 'mil'],
    [1001, 'mil uno'],
    [21000, 'veintiún mil'],
    [100000, 'cien mil'],
    [1000000, 'un millón'],
    [2000000, 'dos millones'],
    [1234567, 'un millón doscientos treinta y cuatro mil quinientos sesenta y siete'],
    [10n ** 18n, 'un trillón'],
  ])('%s → %s', (value, words) => {
    expect(integerToSpanishWords(value)).toBe(words);
  });

  it('apocope before a masculine noun and feminine forms (meses, mensualidades)', () => {
    expect(integerToSpanishWords(1, { beforeNoun: true })).toBe('un');
    expect(integerToSpanishWords(21, { beforeNoun: true })).toBe('veintiún');
    expect(integerToSpanishWords(41, { beforeNoun: true })).toBe('cuarenta y un');
    expect(integerToSpanishWords(1, { feminine: true })).toBe('una');
    expect(integerToSpanishWords(21, { feminine: true })).toBe('veintiuna');
    expect(integerToSpanishWords(201, { feminine: true })).toBe('doscientas una');
    expect(integerToSpanishWords(500_000, { feminine: true })).toBe('quinientas mil');
    expect(integerToSpanishWords(21_000, { feminine: true })).toBe('veintiún mil');
  });

  it('refuses negatives and numbers beyond the named scales', () => {
    expect(() => integerToSpanishWords(-1)).toThrow(RangeError);
    expect(() => integerToSpanishWords(10n ** 30n)).toThrow(RangeError);
  });

  it('every number below 10^15 is written with known words only, never "un mil" or double spaces', () => {
    const vocabulary = new Set(
      ('cero un uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis diecisiete '
        + 'dieciocho diecinueve veinte veintiún veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete '
        + 'veintiocho veintinueve treinta cuarenta cincuenta sesenta setenta ochenta noventa y cien ciento doscientos trescientos '
        + 'cuatrocientos quinientos seiscientos setecientos ochocientos novecientos mil millón millones billón billones').split(' '),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), (value) => {
        const words = integerToSpanishWords(value);
        expect(words).not.toMatch(/^\s|\s$|\s\s|\buno (mil|millones|millón)\b/);
        // "mil", never "un mil", at the start of the number or after a scale word.
        expect(words).not.toMatch(/(^|(millón|millones|billón|billones) )un mil\b/);
        for (const word of words.split(' ')) expect(vocabulary.has(word), word).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
