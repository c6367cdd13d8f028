import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { DELEGATIONS } from './delegations.js';
import {
  CREDIT_CSV_COLUMNS,
  DEMO_LOGINS,
  createRandom,
  DEMO_PASSWORD,
  EXPECTED_ELIGIBLE_SHARE,
  centsToVsmText,
  creditToCsvLine,
  demoUsers,
  generateCredits,
  generateReferenceData,
  type CreditRow,
} from './demo-data.js';

const AS_OF = '2026-01-15';
const SAMPLE = 50_000;

// One shared 50k sample: the generator is pure, so generating it once is enough.
const sample: CreditRow[] = [...generateCredits({ seed: 20260115, count: SAMPLE, asOf: AS_OF })];

function share(predicate: (row: CreditRow) => boolean, rows: readonly CreditRow[] = sample): number {
  return rows.filter(predicate).length / rows.length;
}

/** The exclusion facts of SPEC §3 as plain data (EXC-1..7, 9, 10; EXC-8 is not a credit fact). */
function isExclusionFree(row: CreditRow): boolean {
  return (
    row.brokenConvenios < 2 &&
    row.housingStatus === 'inhabited' &&
    !row.activeRestructure &&
    !row.outsourced &&
    !row.trustPool &&
    row.billingActive &&
    !row.activeExtension &&
    row.legalStage === 'none' &&
    !row.accompaniment
  );
}

/** Minimal RFC-4180 parser for one line (no embedded line breaks outside quotes needed here). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}

const camelCase = (column: string): string => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The `credits` columns of the migration, in order, without created_at/updated_at. */
function creditColumnsFromMigration(): string[] {
  const sql = readFileSync(new URL('../../db/migrations/0001_foundation.sql', import.meta.url), 'utf8');
  const start = sql.indexOf('CREATE TABLE credits (');
  const block = sql.slice(start, sql.indexOf('\n);', start));
  return block
    .split('\n')
    .slice(1)
    .map((line) => /^\s*([a-z_][a-z0-9_]*)\s+(text|smallint|integer|bigint|numeric|boolean|date|timestamptz)\b/.exec(line)?.[1])
    .filter((column): column is string => column !== undefined && column !== 'created_at' && column !== 'updated_at');
}

// Independent re-implementations of the check digits (not the generator's fast path).
const CHECK_VALUES = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';
function curpCheck(curp: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHECK_VALUES.indexOf(curp[i]!) * (18 - i);
  return String((10 - (sum % 10)) % 10);
}
function rfcCheck(rfc: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';
  const body = rfc.length === 12 ? ` ${rfc.slice(0, 11)}` : rfc.slice(0, 12);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += alphabet.indexOf(body[i]!) * (13 - i);
  const remainder = sum % 11;
  return remainder === 0 ? '0' : 11 - remainder === 10 ? 'A' : String(11 - remainder);
}
function nssCheck(nss: string): string {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let value = Number(nss[i]) * (i % 2 === 0 ? 1 : 2);
    if (value > 9) value -= 9;
    sum += value;
  }
  return String((10 - (sum % 10)) % 10);
}
const RENAPO_ENTITIES = new Set([
  'AS', 'BC', 'BS', 'CC', 'CL', 'CM', 'CS', 'CH', 'DF', 'DG', 'GT', 'GR', 'HG', 'JC', 'MC', 'MN',
  'MS', 'NT', 'NL', 'OC', 'PL', 'QT', 'QR', 'SP', 'SL', 'SR', 'TC', 'TS', 'TL', 'VZ', 'YN', 'ZS',
]);

function monthsBetween(fromIso: string, toIso: string): number {
  return (Number(toIso.slice(0, 4)) - Number(fromIso.slice(0, 4))) * 12 + Number(toIso.slice(5, 7)) - Number(fromIso.slice(5, 7));
}

function isCalendarDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

describe('DELEGATIONS', () => {
  it('lists the 32 federal entities in INEGI key order with valid codes and census populations', () => {
    expect(DELEGATIONS).toHaveLength(32);
    expect(DELEGATIONS.map((delegation) => delegation.id)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    for (const delegation of DELEGATIONS) {
      expect(delegation.code).toMatch(/^[A-Z]{2,4}$/);
      expect(delegation.name).toBe(`Delegación Regional ${delegation.state}`);
      expect(delegation.population).toBeGreaterThan(0);
    }
    expect(new Set(DELEGATIONS.map((delegation) => delegation.code)).size).toBe(32);
    expect(new Set(DELEGATIONS.map((delegation) => delegation.state)).size).toBe(32);
    expect(DELEGATIONS[0]!.state).toBe('Aguascalientes');
    expect(DELEGATIONS[8]!.code).toBe('CDMX');
    expect(DELEGATIONS[14]!.code).toBe('MEX');
    expect(DELEGATIONS[31]!.state).toBe('Zacatecas');
    // Censo 2020 national total.
    expect(DELEGATIONS.reduce((sum, delegation) => sum + delegation.population, 0)).toBe(126_014_024);
  });
});

const FAKE_PHONE = /^\+52 (\d{2} 5550|\d{3} 555) 01\d\d$/;

describe('createRandom', () => {
  it('is a deterministic uniform stream per (seed, stream)', () => {
    const draw = (seed: number, stream: number): number[] => {
      const random = createRandom(seed, stream);
      return Array.from({ length: 10_000 }, () => random());
    };
    const values = draw(1, 0);
    expect(draw(1, 0)).toEqual(values);
    expect(draw(1, 1)).not.toEqual(values);
    expect(draw(2, 0)).not.toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
  });
});

describe('generateCredits: determinism', () => {
  it('gives identical rows for the same seed and asOf, independent of count', () => {
    const first = [...generateCredits({ seed: 7, count: 1000, asOf: AS_OF })];
    const again = [...generateCredits({ seed: 7, count: 1500, asOf: AS_OF })].slice(0, 1000);
    expect(again).toEqual(first);
  });

  it('gives different rows for a different seed', () => {
    const a = [...generateCredits({ seed: 7, count: 1000, asOf: AS_OF })].map(creditToCsvLine);
    const b = [...generateCredits({ seed: 8, count: 1000, asOf: AS_OF })].map(creditToCsvLine);
    const same = a.filter((line, i) => line === b[i]).length;
    expect(same).toBe(0);
  });

  it('generates any slice on its own (firstIndex) exactly as within the whole run', () => {
    const whole = [...generateCredits({ seed: 3, count: 600, asOf: AS_OF })];
    const slice = [...generateCredits({ seed: 3, firstIndex: 400, count: 200, asOf: AS_OF })];
    expect(slice).toEqual(whole.slice(400));
  });

  it('rejects invalid options eagerly', () => {
    expect(() => generateCredits({ seed: 1, count: -1, asOf: AS_OF })).toThrow(RangeError);
    expect(() => generateCredits({ seed: 1.5, count: 1, asOf: AS_OF })).toThrow(RangeError);
    expect(() => generateCredits({ seed: 1, count: 1, asOf: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateCredits({ seed: 1, count: 1, asOf: '2010-01-01' })).toThrow(RangeError);
  });
});

describe('generateCredits: schema constraints (0001_foundation credits CHECKs)', () => {
  it('produces unique 10-digit credit numbers over 50k rows', () => {
    const numbers = new Set(sample.map((row) => row.creditNumber));
    expect(numbers.size).toBe(SAMPLE);
    for (const number of numbers) expect(number).toMatch(/^[0-9]{10}$/);
  });

  it('satisfies every CHECK regex, enumeration and range', () => {
    const segments = new Set(['cobranza_administrativa', 'recuperacion_cartera_vencida', 'recuperacion_vivienda_vulnerable', 'recuperacion_especializada']);
    const housing = new Set(['inhabited', 'abandoned', 'invaded', 'vandalised', 'uninhabited', 'not_located']);
    const legal = new Set(['none', 'lawsuit_filed', 'judgment', 'execution']);
    const failures: string[] = [];
    const check = (row: CreditRow, ok: boolean, what: string): void => {
      if (!ok && failures.length < 20) failures.push(`${row.creditNumber}: ${what}`);
    };
    for (const row of sample) {
      check(row, /^[0-9]{11}$/.test(row.borrowerNss), `nss ${row.borrowerNss}`);
      check(row, /^[A-Z]{4}[0-9]{6}[HM][A-Z]{5}[0-9A-Z][0-9]$/.test(row.borrowerCurp), `curp ${row.borrowerCurp}`);
      check(row, /^[A-Z]{4}[0-9]{6}[0-9A-Z]{3}$/.test(row.borrowerRfc), `rfc ${row.borrowerRfc}`);
      check(row, /^[0-9]{5}$/.test(row.addressPostalCode), `postal code ${row.addressPostalCode}`);
      check(row, [row.borrowerName, row.addressStreet, row.addressSettlement, row.addressMunicipality].every((text) => text.trim().length > 0), 'empty text');
      check(row, isCalendarDate(row.borrowerBirthDate) && isCalendarDate(row.originationDate), 'dates');
      check(row, Number.isInteger(row.delegationId) && row.delegationId >= 1 && row.delegationId <= 32, 'delegation');
      check(row, segments.has(row.segment), `segment ${row.segment}`);
      check(row, row.denomination === 'VSM' || row.denomination === 'MXN', 'denomination');
      check(row, row.regime === 'ROA' || row.regime === 'REA', 'regime');
      check(row, housing.has(row.housingStatus), 'housing');
      check(row, legal.has(row.legalStage), 'legal stage');
      check(row, row.originalAmountCents > 0n && row.balanceCents >= 0n && row.monthlyPaymentCents >= 0n, 'amounts');
      check(row, row.insuranceFeesCents >= 0n, 'insurance');
      check(row, /^\d{1,4}\.\d{6}$/.test(row.paymentFactor), `payment factor ${row.paymentFactor}`); // numeric(10,6)
      check(row, row.interestRateBp >= 0 && row.interestRateBp <= 10_000, 'rate');
      check(row, row.termMonths > 0 && row.termMonths <= 32_767, 'term');
      check(row, row.monthsInArrears >= 0 && row.monthsInArrears <= 32_767, 'arrears');
      check(row, row.paymentsMade >= 0, 'payments made');
      check(row, row.brokenConvenios >= 0, 'broken convenios');
      check(row, row.borrowerMonthlyIncomeCents === null || row.borrowerMonthlyIncomeCents >= 0n, 'income');
      check(row, row.borrowerMonthlyPensionCents === null || row.borrowerMonthlyPensionCents >= 0n, 'pension');
      if (row.denomination === 'VSM') {
        // CHECK (denomination <> 'VSM' OR (original_amount_vsm IS NOT NULL AND balance_vsm IS NOT NULL)), numeric(12,4)
        check(row, row.originalAmountVsm !== null && /^\d{1,8}\.\d{4}$/.test(row.originalAmountVsm), 'original VSM');
        check(row, row.balanceVsm !== null && /^\d{1,8}\.\d{4}$/.test(row.balanceVsm), 'balance VSM');
      } else {
        check(row, row.originalAmountVsm === null && row.balanceVsm === null, 'MXN credit with VSM amounts');
      }
    }
    expect(failures).toEqual([]);
  });

  it('shapes identities consistently: check digits, birth date, entity code, fake contacts', () => {
    const failures: string[] = [];
    for (const row of sample) {
      const { borrowerCurp: curp, borrowerRfc: rfc, borrowerNss: nss } = row;
      const yymmdd = row.borrowerBirthDate.slice(2, 4) + row.borrowerBirthDate.slice(5, 7) + row.borrowerBirthDate.slice(8, 10);
      const problems = [
        curp[17] !== curpCheck(curp) && 'CURP check digit',
        rfc[12] !== rfcCheck(rfc) && 'RFC check digit',
        nss[10] !== nssCheck(nss) && 'NSS check digit',
        curp.slice(4, 10) !== yymmdd && 'CURP birth date',
        rfc.slice(0, 10) !== curp.slice(0, 10) && 'RFC ≠ CURP stem',
        nss.slice(4, 6) !== yymmdd.slice(0, 2) && 'NSS birth year',
        !RENAPO_ENTITIES.has(curp.slice(11, 13)) && 'CURP entity',
        // The differentiator is a digit for births before 2000, a letter after.
        (row.borrowerBirthDate < '2000' ? !/[0-9]/.test(curp[16]!) : !/[A-Z]/.test(curp[16]!)) && 'CURP differentiator',
        row.phoneMobile !== null && !FAKE_PHONE.test(row.phoneMobile) && `mobile ${row.phoneMobile}`,
        row.phoneLandline !== null && !FAKE_PHONE.test(row.phoneLandline) && `landline ${row.phoneLandline}`,
        row.email !== null && !/^[a-z]+\.[a-z]+\d{2}@ejemplo\.invalid$/.test(row.email) && `email ${row.email}`,
      ].filter(Boolean);
      if (problems.length > 0 && failures.length < 20) failures.push(`${row.creditNumber} ${curp} ${rfc} ${nss}: ${problems.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('uses the sex letter of the given name (female names → M)', () => {
    const female = sample.filter((row) => /^(Juana|Margarita|Patricia|Gabriela|Araceli) /.test(row.borrowerName));
    const male = sample.filter((row) => /^(Francisco|Roberto|Jorge|Sergio|Ramón) /.test(row.borrowerName));
    expect(female.length).toBeGreaterThan(100);
    expect(male.length).toBeGreaterThan(100);
    expect(female.every((row) => row.borrowerCurp[10] === 'M')).toBe(true);
    expect(male.every((row) => row.borrowerCurp[10] === 'H')).toBe(true);
  });

  it('places postal codes in the delegation state range (first two digits)', () => {
    // Ranges of the first two digits of the Mexican postal code by state (SEPOMEX).
    const ranges: Record<string, [number, number]> = {
      AGS: [20, 20], BC: [21, 22], BCS: [23, 23], CAMP: [24, 24], COAH: [25, 27], COL: [28, 28], CHIS: [29, 30],
      CHIH: [31, 33], CDMX: [0, 16], DGO: [34, 35], GTO: [36, 38], GRO: [39, 41], HGO: [42, 43], JAL: [44, 49],
      MEX: [50, 57], MICH: [58, 61], MOR: [62, 62], NAY: [63, 63], NL: [64, 67], OAX: [68, 71], PUE: [72, 75],
      QRO: [76, 76], QROO: [77, 77], SLP: [78, 79], SIN: [80, 82], SON: [83, 85], TAB: [86, 86], TAMS: [87, 89],
      TLAX: [90, 90], VER: [91, 96], YUC: [97, 97], ZAC: [98, 99],
    };
    const outside = sample.filter((row) => {
      const [low, high] = ranges[DELEGATIONS[row.delegationId - 1]!.code]!;
      const prefix = Number(row.addressPostalCode.slice(0, 2));
      return prefix < low || prefix > high;
    });
    expect(outside.map((row) => `${row.delegationId} ${row.addressPostalCode}`).slice(0, 5)).toEqual([]);
  });
});

describe('generateCredits: money and time are consistent', () => {
  it('has positive payments, VSM amounts equal to cents / (UMI × 30.4) and exact payment factors', () => {
    const failures: string[] = [];
    for (const row of sample) {
      const factorMicro = BigInt(row.paymentFactor.replace('.', ''));
      // monthly payment = round-half-up(original × factor / 1000)
      const expectedPayment = (row.originalAmountCents * factorMicro * 2n + 1_000_000_000n) / 2_000_000_000n;
      const problems = [
        row.monthlyPaymentCents <= 0n && 'payment ≤ 0',
        row.monthlyPaymentCents !== expectedPayment && `payment ${row.monthlyPaymentCents} ≠ ${expectedPayment}`,
        row.denomination === 'VSM' && row.originalAmountVsm !== centsToVsmText(row.originalAmountCents) && 'original VSM',
        row.denomination === 'VSM' && row.balanceVsm !== centsToVsmText(row.balanceCents) && 'balance VSM',
        row.balanceCents < 0n && 'negative balance',
      ].filter(Boolean);
      if (problems.length > 0 && failures.length < 20) failures.push(`${row.creditNumber}: ${problems.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('converts cents to VSM exactly (100.81 × 30.4 = 3,064.624 pesos per VSM)', () => {
    expect(centsToVsmText(306_462n)).toBe('1.0000'); // 3,064.62 / 3,064.624 = 0.99999869…
    expect(centsToVsmText(306_400n)).toBe('0.9998'); // 0.99979635…
    expect(centsToVsmText(30_646_240n)).toBe('100.0000');
    expect(centsToVsmText(0n)).toBe('0.0000');
    expect(centsToVsmText(15n)).toBe('0.0000'); // 0.0000489… rounds down
    expect(centsToVsmText(16n)).toBe('0.0001'); // 0.0000522… rounds up
  });

  it('keeps rates, terms, ages and payment counts plausible', () => {
    const failures: string[] = [];
    for (const row of sample) {
      const elapsed = monthsBetween(row.originationDate, AS_OF);
      const ageAtOrigination = (Date.parse(row.originationDate) - Date.parse(row.borrowerBirthDate)) / (365.25 * 86_400_000);
      const problems = [
        (row.interestRateBp < 191 || row.interestRateBp > 1200) && `rate ${row.interestRateBp}`,
        (row.termMonths < 240 || row.termMonths > 360) && `term ${row.termMonths}`,
        row.paymentsMade + row.monthsInArrears > elapsed && 'more payments + arrears than months elapsed',
        row.paymentsMade >= row.termMonths && 'fully paid',
        row.monthsInArrears > 24 && 'arrears > 24',
        (ageAtOrigination < 25 || ageAtOrigination >= 51) && `age ${ageAtOrigination.toFixed(1)}`,
        row.originationDate >= AS_OF && 'originated after asOf',
        row.denomination === 'VSM' && (row.originationDate < '1995' || row.originationDate >= '2014') && 'VSM date',
        row.denomination === 'MXN' && (row.originationDate < '2010' || row.originationDate >= '2026') && 'MXN date',
        row.isRetired !== (row.borrowerMonthlyPensionCents !== null) && 'pension without retirement',
        row.legalStageFrozen && 'legal stage frozen',
      ].filter(Boolean);
      if (problems.length > 0 && failures.length < 20) failures.push(`${row.creditNumber}: ${problems.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('keeps most peso balances under the amount lent while many VSM debts grew past 1.5×', () => {
    const mxn = sample.filter((row) => row.denomination === 'MXN');
    const vsm = sample.filter((row) => row.denomination === 'VSM');
    expect(share((row) => row.balanceCents <= row.originalAmountCents, mxn)).toBeGreaterThan(0.6);
    expect(share((row) => row.balanceCents * 2n > row.originalAmountCents * 3n, vsm)).toBeGreaterThan(0.3);
    // Peso loans between 150k and 1.2M pesos.
    expect(mxn.every((row) => row.originalAmountCents >= 15_000_000n && row.originalAmountCents < 120_000_100n)).toBe(true);
    // Retired borrowers are the older ones.
    const retired = sample.filter((row) => row.isRetired);
    expect(retired.every((row) => row.borrowerBirthDate <= '1966-01-15')).toBe(true);
  });
});

describe('generateCredits: distributions on 50k rows', () => {
  it('splits VSM / MXN about 51 / 49', () => {
    const vsm = share((row) => row.denomination === 'VSM');
    expect(vsm).toBeGreaterThan(0.45);
    expect(vsm).toBeLessThan(0.57);
  });

  it('weights delegations by population', () => {
    const count = (code: string): number => {
      const id = DELEGATIONS.find((delegation) => delegation.code === code)!.id;
      return sample.filter((row) => row.delegationId === id).length;
    };
    expect(count('CDMX') + count('MEX')).toBeGreaterThan(count('COL') * 10);
    expect(count('MEX')).toBeGreaterThan(count('JAL'));
    expect(new Set(sample.map((row) => row.delegationId)).size).toBe(32);
  });

  it('leaves 50–70% of credits free of every exclusion fact', () => {
    const free = share(isExclusionFree);
    expect(free).toBeGreaterThan(0.5);
    expect(free).toBeLessThan(0.7);
    // The capacity sizing constant matches what the generator produces.
    const eligible = share((row) => row.inSocialCollections && isExclusionFree(row));
    expect(Math.abs(eligible - EXPECTED_ELIGIBLE_SHARE)).toBeLessThan(0.02);
  });

  it('is mostly delinquent, with the requested arrears buckets', () => {
    expect(share((row) => row.monthsInArrears === 0)).toBeCloseTo(0.1, 1);
    expect(share((row) => row.monthsInArrears >= 1 && row.monthsInArrears <= 3)).toBeCloseTo(0.3, 1);
    expect(share((row) => row.monthsInArrears >= 4 && row.monthsInArrears <= 9)).toBeCloseTo(0.4, 1);
    expect(share((row) => row.monthsInArrears >= 10)).toBeCloseTo(0.2, 1);
  });

  it('mixes segments, regimes and facts at the intended rates', () => {
    expect(share((row) => row.segment === 'cobranza_administrativa')).toBeCloseTo(0.55, 1);
    expect(share((row) => row.segment === 'recuperacion_cartera_vencida')).toBeCloseTo(0.3, 1);
    expect(share((row) => row.segment === 'recuperacion_vivienda_vulnerable')).toBeCloseTo(0.08, 1);
    expect(share((row) => row.segment === 'recuperacion_especializada')).toBeCloseTo(0.07, 1);
    expect(share((row) => row.regime === 'ROA')).toBeCloseTo(0.6, 1);
    expect(share((row) => row.inSocialCollections)).toBeCloseTo(0.97, 1);
    expect(share((row) => row.brokenConvenios === 0)).toBeCloseTo(0.93, 1);
    expect(share((row) => row.brokenConvenios === 2)).toBeCloseTo(0.02, 1);
    expect(share((row) => row.isRetired)).toBeCloseTo(0.05, 1);
    expect(share((row) => row.unemploymentInsuranceExhausted)).toBeCloseTo(0.3, 1);
    expect(share((row) => row.borrowerMonthlyIncomeCents !== null)).toBeGreaterThan(0.8);
    expect(share((row) => row.email === null)).toBeCloseTo(0.3, 1);
    expect(share((row) => row.phoneMobile === null)).toBeCloseTo(0.3, 1);
    // Delinquency drives the regime and the legal stage.
    const late = sample.filter((row) => row.monthsInArrears >= 10);
    const current = sample.filter((row) => row.monthsInArrears <= 3);
    expect(share((row) => row.regime === 'REA', late)).toBeGreaterThan(share((row) => row.regime === 'REA', current));
    expect(share((row) => row.legalStage !== 'none', late)).toBeGreaterThan(0.2);
    expect(share((row) => row.legalStage !== 'none', current)).toBeLessThan(0.02);
  });
});

describe('CSV format', () => {
  it('has exactly the credits columns of the migration, in table order', () => {
    expect([...CREDIT_CSV_COLUMNS]).toEqual(creditColumnsFromMigration());
  });

  it('round-trips every field of generated rows', () => {
    const expectedText = (value: unknown): string => (value === null ? '' : String(value));
    for (const row of sample.slice(0, 2000)) {
      const line = creditToCsvLine(row);
      expect(line).not.toMatch(/[\r\n]$/);
      const fields = parseCsvLine(line);
      expect(fields).toHaveLength(CREDIT_CSV_COLUMNS.length);
      const record = row as unknown as Record<string, unknown>;
      expect(CREDIT_CSV_COLUMNS.filter((column) => !(camelCase(column) in record))).toEqual([]);
      expect(fields).toEqual(CREDIT_CSV_COLUMNS.map((column) => expectedText(record[camelCase(column)])));
    }
    // …and every CreditRow field is a column.
    expect(Object.keys(sample[0]!).sort()).toEqual(CREDIT_CSV_COLUMNS.map(camelCase).sort());
  });

  it('quotes fields with commas, quotes and line breaks, and leaves nulls empty', () => {
    const row: CreditRow = {
      ...sample[0]!,
      borrowerName: 'Ana "La Güera" Pérez',
      addressStreet: 'Calle 5, Mz. 3',
      addressSettlement: 'Col. Centro\nSecc. 2',
      email: null,
      isRetired: true,
    };
    const line = creditToCsvLine(row);
    expect(line).toContain('"Ana ""La Güera"" Pérez"');
    expect(line).toContain('"Calle 5, Mz. 3"');
    const fields = parseCsvLine(line);
    expect(fields).toHaveLength(CREDIT_CSV_COLUMNS.length);
    expect(fields[CREDIT_CSV_COLUMNS.indexOf('borrower_name')]).toBe('Ana "La Güera" Pérez');
    expect(fields[CREDIT_CSV_COLUMNS.indexOf('address_street')]).toBe('Calle 5, Mz. 3');
    expect(fields[CREDIT_CSV_COLUMNS.indexOf('address_settlement')]).toBe('Col. Centro\nSecc. 2');
    expect(fields[CREDIT_CSV_COLUMNS.indexOf('email')]).toBe('');
    expect(fields[CREDIT_CSV_COLUMNS.indexOf('is_retired')]).toBe('true');
  });
});

describe('generateReferenceData', () => {
  const reference = generateReferenceData({ seed: 42, asOf: AS_OF });
  const { agencies, agencyDelegations, mediators, representatives } = reference;
  const servedBy = (agencyId: number): number[] =>
    agencyDelegations.filter((row) => row.agencyId === agencyId).map((row) => row.delegationId);

  it('is deterministic for the seed', () => {
    expect(generateReferenceData({ seed: 42, asOf: AS_OF })).toEqual(reference);
    expect(generateReferenceData({ seed: 43, asOf: AS_OF })).not.toEqual(reference);
  });

  it('has ~20 agencies serving 2–5 delegations, every delegation served by at least two', () => {
    expect(agencies.length).toBeGreaterThanOrEqual(18);
    expect(agencies.length).toBeLessThanOrEqual(22);
    expect(agencies.map((agency) => agency.id)).toEqual(agencies.map((_, i) => i + 1));
    for (const agency of agencies) {
      expect(servedBy(agency.id).length).toBeGreaterThanOrEqual(2);
      expect(servedBy(agency.id).length).toBeLessThanOrEqual(5);
      expect(agency.rfc).toMatch(/^[A-Z&]{3}[0-9]{6}[0-9A-Z]{3}$/);
      expect(agency.rfc[11]).toBe(rfcCheck(agency.rfc));
      expect(agency.contactEmail).toMatch(/@example\.com$/);
      expect(agency.contactPhone).toMatch(FAKE_PHONE);
      expect(agency.name).toMatch(/^Agencia de Soluciones .+, S\.(A\. de C\.V\.|C\.)$/);
    }
    expect(new Set(agencies.map((agency) => agency.code)).size).toBe(agencies.length);
    expect(new Set(agencies.map((agency) => agency.rfc)).size).toBe(agencies.length);
    expect(new Set(agencyDelegations.map((row) => `${row.agencyId}/${row.delegationId}`)).size).toBe(agencyDelegations.length);
    for (const delegation of DELEGATIONS) {
      expect(agencyDelegations.filter((row) => row.delegationId === delegation.id).length, delegation.code).toBeGreaterThanOrEqual(2);
    }
    expect(servedBy(1)).toContain(9); // the demo agency AS01 serves CDMX
  });

  it('sizes capacity at 1.1–1.3 × the expected eligible credits, with some tight delegations', () => {
    for (const expectedCredits of [20_000, 250_000]) {
      const { agencies: sized, agencyDelegations: links } = generateReferenceData({ seed: 42, asOf: AS_OF, expectedCredits });
      const eligible = expectedCredits * EXPECTED_ELIGIBLE_SHARE;
      const total = sized.reduce((sum, agency) => sum + agency.monthlyCapacity, 0);
      expect(total / eligible).toBeGreaterThan(1.1);
      expect(total / eligible).toBeLessThan(1.3);
      // Split each agency's capacity over its delegations by population and compare with demand.
      const population = (id: number): number => DELEGATIONS[id - 1]!.population;
      const totalPopulation = DELEGATIONS.reduce((sum, delegation) => sum + delegation.population, 0);
      const capacityOf = new Map<number, number>();
      for (const agency of sized) {
        const served = links.filter((row) => row.agencyId === agency.id).map((row) => row.delegationId);
        const servedPopulation = served.reduce((sum, id) => sum + population(id), 0);
        for (const id of served) capacityOf.set(id, (capacityOf.get(id) ?? 0) + (agency.monthlyCapacity * population(id)) / servedPopulation);
      }
      const ratios = DELEGATIONS.map((delegation) => capacityOf.get(delegation.id)! / ((eligible * delegation.population) / totalPopulation));
      expect(ratios.filter((ratio) => ratio < 1).length).toBeGreaterThanOrEqual(1);
    }
    expect(generateReferenceData({ seed: 42, asOf: AS_OF, expectedCredits: 0 }).agencies.every((agency) => agency.monthlyCapacity === 0)).toBe(true);
  });

  it('gives each agency 4–10 mediators of the three kinds, with valid and expired CJA certificates', () => {
    expect(mediators.map((mediator) => mediator.id)).toEqual(mediators.map((_, i) => i + 1));
    for (const agency of agencies) {
      const own = mediators.filter((mediator) => mediator.agencyId === agency.id);
      expect(own.length).toBeGreaterThanOrEqual(4);
      expect(own.length).toBeLessThanOrEqual(10);
    }
    for (const mediator of mediators) {
      if (mediator.kind === 'cja_certified') {
        expect(mediator.certificationNumber).toMatch(/^CJA-[A-Z]{2,4}-\d{4}-\d{4}$/);
        expect(isCalendarDate(mediator.certificationExpiresOn!)).toBe(true);
      }
      if (mediator.kind === 'notary') expect(mediator.notaryNumber).toMatch(/^Notaría \d+ de .+$/);
      if (mediator.appLicenceNumber !== null) expect(mediator.appLicenceNumber).toMatch(/^GM-\d{6}$/);
      expect(mediator.email).toMatch(/@example\.com$/);
      expect(mediator.phone).toMatch(FAKE_PHONE);
    }
    const licences = mediators.map((mediator) => mediator.appLicenceNumber).filter((licence) => licence !== null);
    expect(new Set(licences).size).toBe(licences.length);
    const kinds = new Set(mediators.map((mediator) => mediator.kind));
    expect(kinds).toEqual(new Set(['cja_certified', 'notary', 'professional']));
    const cja = mediators.filter((mediator) => mediator.kind === 'cja_certified');
    expect(cja.some((mediator) => mediator.certificationExpiresOn! < AS_OF)).toBe(true);
    expect(cja.some((mediator) => mediator.certificationExpiresOn! > AS_OF)).toBe(true);
    // The demo mediator (mediador.as01.1) is a CJA mediator with a current certificate.
    expect(mediators[0]).toMatchObject({ agencyId: 1, kind: 'cja_certified', active: true });
    expect(mediators[0]!.certificationExpiresOn! > AS_OF).toBe(true);
  });

  it('gives each agency 3–6 representatives in delegations it serves, with legal powers where needed', () => {
    expect(representatives.map((representative) => representative.id)).toEqual(representatives.map((_, i) => i + 1));
    for (const agency of agencies) {
      const own = representatives.filter((representative) => representative.agencyId === agency.id);
      expect(own.length).toBeGreaterThanOrEqual(3);
      expect(own.length).toBeLessThanOrEqual(6);
      for (const delegationId of servedBy(agency.id)) {
        // A RATIFIED convenio needs a representative with legal powers in every delegation served.
        expect(own.some((representative) => representative.delegationId === delegationId && representative.hasLegalPowers)).toBe(true);
      }
      for (const representative of own) expect(servedBy(agency.id)).toContain(representative.delegationId);
    }
    for (const representative of representatives) {
      expect(representative.phone).toMatch(FAKE_PHONE);
      expect(representative.email).toMatch(/@example\.com$/);
      // CHECK (NOT has_legal_powers OR power_of_attorney IS NOT NULL)
      if (representative.hasLegalPowers) {
        expect(representative.powerOfAttorney).toMatch(/^Escritura \d{1,3}(,\d{3})* del \d{1,2} de [a-z]+ de \d{4}, Notaría \d+ de .+$/);
      }
    }
  });
});

describe('demoUsers', () => {
  const reference = generateReferenceData({ seed: 42, asOf: AS_OF });
  const users = demoUsers(reference, { sampleCreditNumbers: [sample[0]!.creditNumber, sample[1]!.creditNumber, sample[2]!.creditNumber] });

  it('creates valid, unique usernames with the documented password', () => {
    expect(new Set(users.map((user) => user.username)).size).toBe(users.length);
    for (const user of users) {
      expect(user.username).toMatch(/^[a-z0-9._-]{3,64}$/);
      expect(user.username).toBe(user.username.toLowerCase());
      expect(user.password).toBe(DEMO_PASSWORD);
      expect(user.fullName.length).toBeGreaterThan(5);
    }
  });

  it('scopes every user as the users table requires', () => {
    const mediatorsById = new Map(reference.mediators.map((mediator) => [mediator.id, mediator]));
    for (const user of users) {
      if (user.role === 'regional_manager') expect(user.delegationId).toBeDefined();
      if (user.role === 'agency' || user.role === 'field_agent') expect(user.agencyId).toBeDefined();
      if (user.role === 'mediator') {
        expect(mediatorsById.get(user.mediatorId!)?.agencyId).toBe(user.agencyId);
      }
      if (user.role === 'representative') expect(user.representativeId).toBeDefined();
      if (user.role === 'borrower') expect(user.creditNumber).toBeDefined();
    }
  });

  it('has one user per national role, a manager per delegation and the agency staff', () => {
    const byRole = (role: string): number => users.filter((user) => user.role === role).length;
    for (const role of ['mediation_office', 'operations', 'auditor', 'admin', 'archive', 'specialized_recovery', 'representative']) {
      expect(byRole(role), role).toBe(1);
    }
    expect(byRole('regional_manager')).toBe(32);
    expect(users.find((user) => user.username === 'gerente.jal')?.delegationId).toBe(14);
    expect(byRole('agency')).toBe(reference.agencies.length);
    expect(byRole('field_agent')).toBe(2 * reference.agencies.length);
    expect(byRole('mediator')).toBe(reference.mediators.length);
    expect(users.filter((user) => user.role === 'borrower').map((user) => user.creditNumber)).toEqual([
      sample[0]!.creditNumber,
      sample[1]!.creditNumber,
    ]);
  });

  it('contains every login of DEMO_LOGINS with its role', () => {
    expect(DEMO_LOGINS.length).toBeGreaterThanOrEqual(6);
    for (const login of DEMO_LOGINS) {
      expect(users.find((user) => user.username === login.username)?.role, login.username).toBe(login.role);
      expect(login.description.length).toBeGreaterThan(10);
    }
  });

  it('names borrowers after their credits when the names are given', () => {
    const named = demoUsers(reference, { sampleCreditNumbers: [sample[0]!.creditNumber], sampleBorrowerNames: [sample[0]!.borrowerName] });
    expect(named.filter((user) => user.role === 'borrower')).toEqual([
      expect.objectContaining({ username: 'acreditado1', fullName: sample[0]!.borrowerName, creditNumber: sample[0]!.creditNumber }),
    ]);
  });
});
