/**
 * Deterministic synthetic demo portfolio (SPEC §2) and reference data (delegations, agencies,
 * mediators, representatives, demo users).
 *
 * Pure: no I/O, no clock, no Math.random. Everything is a function of (seed, asOf, …).
 * Credits are streamed by a generator (6 M rows never live in memory at once); each row has its
 * own random stream derived from (seed, row index), so a row does not depend on `count` and any
 * slice of the portfolio can be generated on its own (`firstIndex`).
 *
 * Money is integer cents (bigint in every row). The only floating point is in *factors* (annuity
 * factor, remaining-balance fraction, random draws), which are turned into integers before they
 * touch an amount; amounts are then multiplied and divided exactly, with half-up rounding (in the
 * hot loop on safe integers, every product checked below 2^53; `centsToVsmText` in bigint).
 *
 * All people, addresses, phones and e-mails are fictitious: phones use the 555-01xx pattern and
 * e-mails the reserved domains `ejemplo.invalid` (borrowers) and `example.com` (providers, staff).
 */
import type { HousingStatus, LegalStage, MediatorKind, Role, Segment } from '../../db/schema.js';
import { DELEGATIONS, type Delegation } from './delegations.js';

// ------------------------------------------------------------------------------------------------
// Constants

/**
 * UMI daily value (Unidad Mixta Infonavit) used to value VSM credits: 100.81 MXN, frozen for
 * 2024–2026 (DOMAIN-FACTS §2). A demo constant; production reads it from versioned policy.
 */
export const DEMO_UMI_DAILY_CENTS = 10081n;
/** Days per month in the VSM ↔ pesos conversion (monthly = daily × 30.4), in tenths. */
const DAYS_PER_MONTH_TENTHS = 304n;
/** One monthly UMI in tenths of a cent: 100.81 × 30.4 × 100 × 10 = 3,064,624. */
const MONTHLY_UMI_DECI_CENTS = DEMO_UMI_DAILY_CENTS * DAYS_PER_MONTH_TENTHS;

/** Password of every demo user (documented, printed at start-up). */
export const DEMO_PASSWORD = 'Demo-2026!';

/**
 * Share of generated credits expected to be eligible (in social collections and hit by no
 * exclusion fact); measured on 50k rows of this generator (≈ 0.585). Used to size agency
 * capacity.
 */
export const EXPECTED_ELIGIBLE_SHARE = 0.585;

/** Demo credit numbers: "15" + an 8-digit sequence (1-based), e.g. 1500000001. */
const CREDIT_NUMBER_BASE = 1_500_000_000;
const MAX_CREDITS = 99_999_999;

/** Borrowers are 25–50 years old at origination (in days of 365.25). */
const AGE_25_DAYS = Math.ceil(25 * 365.25);
const AGE_SPAN_DAYS = Math.floor(26 * 365.25) - 1;

/** Oldest date the day table covers (birth dates reach back to ~1945). */
const DATE_TABLE_START = { year: 1940, month: 1, day: 1 } as const;

// ------------------------------------------------------------------------------------------------
// Types

export type Denomination = 'VSM' | 'MXN';
export type Regime = 'ROA' | 'REA';

/** One row of `credits`, every column except created_at/updated_at, camelCase. */
export interface CreditRow {
  creditNumber: string;
  borrowerName: string;
  borrowerNss: string;
  borrowerCurp: string;
  borrowerRfc: string;
  /** YYYY-MM-DD */
  borrowerBirthDate: string;
  addressStreet: string;
  addressSettlement: string;
  addressMunicipality: string;
  addressPostalCode: string;
  phoneLandline: string | null;
  phoneMobile: string | null;
  email: string | null;
  delegationId: number;
  segment: Segment;
  inSocialCollections: boolean;
  denomination: Denomination;
  originalAmountCents: bigint;
  balanceCents: bigint;
  /** numeric(12,4) as decimal text, e.g. "123.4567"; non-null for VSM credits. */
  originalAmountVsm: string | null;
  balanceVsm: string | null;
  monthlyPaymentCents: bigint;
  /** numeric(10,6) as decimal text: monthly payment per 1,000 of the original amount. */
  paymentFactor: string;
  insuranceFeesCents: bigint;
  interestRateBp: number;
  termMonths: number;
  regime: Regime;
  monthsInArrears: number;
  paymentsMade: number;
  /** YYYY-MM-DD */
  originationDate: string;
  borrowerMonthlyIncomeCents: bigint | null;
  borrowerMonthlyPensionCents: bigint | null;
  isRetired: boolean;
  cofinanced: boolean;
  unemploymentInsuranceExhausted: boolean;
  brokenConvenios: number;
  housingStatus: HousingStatus;
  activeRestructure: boolean;
  outsourced: boolean;
  trustPool: boolean;
  billingActive: boolean;
  activeExtension: boolean;
  legalStage: LegalStage;
  accompaniment: boolean;
  legalStageFrozen: boolean;
}

export interface GenerateCreditsOptions {
  seed: number;
  count: number;
  /** YYYY-MM-DD, the portfolio's cut-off date (≥ 2014-03-01). */
  asOf: string;
  /** Index of the first row (default 0): rows [firstIndex, firstIndex + count). */
  firstIndex?: number;
}

export interface AgencyRow {
  id: number;
  code: string;
  name: string;
  rfc: string;
  contactEmail: string;
  contactPhone: string;
  monthlyCapacity: number;
  active: boolean;
}

export interface AgencyDelegationRow {
  agencyId: number;
  delegationId: number;
}

export interface MediatorRow {
  id: number;
  agencyId: number;
  fullName: string;
  kind: MediatorKind;
  certificationNumber: string | null;
  /** YYYY-MM-DD */
  certificationExpiresOn: string | null;
  notaryNumber: string | null;
  appLicenceNumber: string | null;
  email: string;
  phone: string;
  active: boolean;
}

export interface RepresentativeRow {
  id: number;
  agencyId: number;
  delegationId: number;
  fullName: string;
  email: string;
  phone: string;
  hasLegalPowers: boolean;
  powerOfAttorney: string | null;
  active: boolean;
}

export interface DemoReferenceData {
  delegations: Delegation[];
  agencies: AgencyRow[];
  agencyDelegations: AgencyDelegationRow[];
  mediators: MediatorRow[];
  representatives: RepresentativeRow[];
}

export interface ReferenceDataOptions {
  seed: number;
  /** YYYY-MM-DD */
  asOf: string;
  /** Portfolio size the agency capacity is sized for (default 20,000). */
  expectedCredits?: number;
}

export interface DemoUser {
  username: string;
  fullName: string;
  email: string;
  role: Role;
  password: string;
  delegationId?: number;
  agencyId?: number;
  mediatorId?: number;
  representativeId?: number;
  creditNumber?: string;
}

// ------------------------------------------------------------------------------------------------
// Random numbers: xoshiro128** seeded through a 32-bit finaliser (murmur3 fmix32).

function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

interface RandomStream {
  /** Restart the stream at (seed, stream); distinct pairs give distinct states. */
  reset(seed: number, stream: number): void;
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

function createStream(): RandomStream {
  // State in a typed array: raw 32-bit slots, no boxing of values outside the small-integer range.
  const state = new Int32Array(4);
  const u32 = (): number => {
    const s0 = state[0]!;
    const s1 = state[1]!;
    const s2 = state[2]! ^ s0;
    const s3 = state[3]! ^ s1;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    state[0] = s0 ^ s3;
    state[1] = s1 ^ s2;
    state[2] = s2 ^ (s1 << 9);
    state[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  return {
    reset(seed: number, stream: number): void {
      // (fmix32(seed), fmix32(stream)) is injective in (seed, stream): fmix32 is a bijection.
      const a = fmix32(seed);
      const b = fmix32(stream ^ 0x5bd1e995);
      state[0] = a;
      state[1] = b;
      state[2] = fmix32((a ^ Math.imul(b, 0x9e3779b1)) + 0x632be5ab);
      state[3] = fmix32((b + Math.imul(a, 0x85ebca77)) ^ 0x27d4eb2f);
      if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1;
      u32();
      u32();
    },
    u32,
    next: () => u32() / 4294967296,
    int: (n: number) => Math.floor((u32() / 4294967296) * n),
  };
}

/** A deterministic uniform [0, 1) generator for (seed, stream); handy for callers and tests. */
export function createRandom(seed: number, stream = 0): () => number {
  const random = createStream();
  random.reset(seed >>> 0, stream >>> 0);
  return random.next;
}

/**
 * A 65,536-entry lookup table mapping a uniform 16-bit draw to a category index with the given
 * weights: picking is one array read.
 */
function buildPickTable(weights: readonly number[]): Uint8Array {
  if (weights.length > 255) throw new RangeError('at most 255 categories');
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const table = new Uint8Array(65536);
  let cumulative = 0;
  let slot = 0;
  weights.forEach((weight, index) => {
    cumulative += weight;
    const end = index === weights.length - 1 ? 65536 : Math.round((cumulative / total) * 65536);
    for (; slot < end; slot++) table[slot] = index;
  });
  return table;
}

/** Standard normal quantiles at (i + 0.5) / 4096 (Acklam's rational approximation). */
const NORMAL_TABLE: Float64Array = (() => {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const quantile = (p: number): number => {
    const low = 0.02425;
    if (p < low) {
      const q = Math.sqrt(-2 * Math.log(p));
      return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
    }
    if (p > 1 - low) {
      const q = Math.sqrt(-2 * Math.log(1 - p));
      return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
    }
    const q = p - 0.5;
    const r = q * q;
    return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  };
  const table = new Float64Array(4096);
  for (let i = 0; i < 4096; i++) table[i] = quantile((i + 0.5) / 4096);
  return table;
})();

/** exp(sigma × z) for every entry of NORMAL_TABLE: a lognormal multiplier with median 1. */
function lognormalTable(sigma: number): Float64Array {
  return NORMAL_TABLE.map((z) => Math.exp(sigma * z));
}
const INCOME_SPREAD = lognormalTable(0.55);
const LOAN_MULTIPLE_SPREAD = lognormalTable(0.35);

// ------------------------------------------------------------------------------------------------
// Names (fictitious combinations of common Mexican given names and surnames)

const MALE_GIVEN_NAMES = [
  'José Luis', 'Juan Carlos', 'Miguel Ángel', 'José Antonio', 'Francisco', 'Jesús', 'Alejandro',
  'Roberto', 'Fernando', 'Jorge', 'Ricardo', 'Eduardo', 'Javier', 'Daniel', 'Arturo', 'Sergio',
  'Raúl', 'Martín', 'Manuel', 'Pedro', 'Héctor', 'Óscar', 'Gerardo', 'Enrique', 'Alberto',
  'Rafael', 'Víctor Hugo', 'Luis Fernando', 'Armando', 'Salvador', 'Ramón', 'Guillermo', 'Adrián',
  'Ignacio', 'Rubén', 'Gabriel', 'Hugo', 'Alfredo', 'Mario', 'Julio César', 'Ernesto', 'Rodolfo',
  'Felipe', 'Andrés', 'Joel', 'Juan', 'José', 'Luis Alberto',
] as const;

const FEMALE_GIVEN_NAMES = [
  'María Guadalupe', 'María de Lourdes', 'Juana', 'Margarita', 'Verónica', 'Leticia', 'Rosa María',
  'Patricia', 'Elizabeth', 'Alejandra', 'Gabriela', 'Adriana', 'Claudia', 'Araceli', 'Silvia',
  'Martha', 'Laura', 'Norma', 'Teresa', 'Yolanda', 'Sandra', 'Mónica', 'Gloria', 'Alicia',
  'Maribel', 'Lucía', 'Beatriz', 'Ana María', 'Karina', 'Rocío', 'Érika', 'Carmen', 'Diana',
  'Susana', 'Brenda', 'Blanca Estela', 'Irma', 'Angélica', 'Josefina', 'Olga', 'Liliana',
  'Cecilia', 'Mariana', 'Fabiola', 'María Elena', 'Guadalupe',
] as const;

const SURNAMES = [
  'Hernández', 'García', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez',
  'Ramírez', 'Cruz', 'Flores', 'Gómez', 'Morales', 'Vázquez', 'Reyes', 'Jiménez', 'Torres', 'Díaz',
  'Gutiérrez', 'Ruiz', 'Mendoza', 'Aguilar', 'Ortiz', 'Moreno', 'Castillo', 'Romero', 'Álvarez',
  'Méndez', 'Chávez', 'Rivera', 'Juárez', 'Ramos', 'Domínguez', 'Herrera', 'Medina', 'Castro',
  'Vargas', 'Guzmán', 'Velázquez', 'Muñoz', 'Rojas', 'Salazar', 'Contreras', 'De la Cruz', 'Luna',
  'Ortega', 'Guerrero', 'Estrada', 'Bautista', 'Cortés', 'Soto', 'Alvarado', 'Espinoza', 'Lara',
  'Ávila', 'Ríos', 'Cervantes', 'Silva', 'Delgado', 'Vega', 'Márquez', 'Sandoval', 'Carrillo',
  'León', 'Mejía', 'Solís', 'Rosas', 'Ibarra', 'Valdez', 'Núñez', 'Campos', 'Santiago', 'Navarro',
  'Pacheco', 'Villanueva', 'Ochoa', 'Del Ángel', 'Acosta', 'Cárdenas', 'Fuentes',
] as const;

/** Words skipped when forming CURP/RFC letters (RENAPO instructivo). */
const NAME_PARTICLES = new Set(['DA', 'DAS', 'DE', 'DEL', 'DER', 'DI', 'DIE', 'DD', 'EL', 'LA', 'LOS', 'LAS', 'LE', 'LES', 'MAC', 'MC', 'VAN', 'VON', 'Y']);
/** First given names skipped when a second one exists (RENAPO instructivo). */
const COMMON_FIRST_NAMES = new Set(['MARIA', 'MA', 'MA.', 'M', 'M.', 'JOSE', 'J', 'J.']);
/** Inconvenient four-letter words: the second letter is replaced by X (RENAPO instructivo). */
const INCONVENIENT_WORDS = new Set([
  'BACA', 'BAKA', 'BUEI', 'BUEY', 'CACA', 'CACO', 'CAGA', 'CAGO', 'CAKA', 'CAKO', 'COGE', 'COGI',
  'COJA', 'COJE', 'COJI', 'COJO', 'COLA', 'CULO', 'FALO', 'FETO', 'GETA', 'GUEI', 'GUEY', 'JETA',
  'JOTO', 'KACA', 'KACO', 'KAGA', 'KAGO', 'KAKA', 'KAKO', 'KOGE', 'KOGI', 'KOJA', 'KOJE', 'KOJI',
  'KOJO', 'KOLA', 'KULO', 'LILO', 'LOCA', 'LOCO', 'LOKA', 'LOKO', 'MAME', 'MAMO', 'MEAR', 'MEAS',
  'MEON', 'MIAR', 'MION', 'MOCO', 'MOKO', 'MULA', 'MULO', 'NACA', 'NACO', 'PEDA', 'PEDO', 'PENE',
  'PIPI', 'PITO', 'POPO', 'PUTA', 'PUTO', 'QULO', 'RATA', 'ROBA', 'ROBE', 'ROBO', 'RUIN', 'SENO',
  'TETA', 'VACA', 'VAGA', 'VAGO', 'VAKA', 'VUEI', 'VUEY', 'WUEI', 'WUEY',
]);

interface NameEntry {
  display: string;
  /** First letter for CURP/RFC. */
  initial: string;
  /** Its index in A–Z. */
  initialIndex: number;
  /** First internal vowel (surnames) for CURP/RFC. */
  vowel: string;
  /** First internal consonant for CURP. */
  consonant: string;
  /** Its check-digit value. */
  consonantValue: number;
  /** Lowercase ASCII, no spaces, for e-mail addresses. */
  mail: string;
}

const UPPER_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function foldAscii(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function nameEntry(display: string, isGiven: boolean): NameEntry {
  // Ñ counts as X in the CURP letters.
  const words = foldAscii(display.toUpperCase().replace(/Ñ/g, 'X'))
    .split(/\s+/)
    .filter((word) => !NAME_PARTICLES.has(word));
  let main = words.join('');
  if (isGiven && words.length > 1 && COMMON_FIRST_NAMES.has(words[0]!)) main = words[1]!;
  const rest = main.slice(1);
  const vowel = /[AEIOU]/.exec(rest)?.[0] ?? 'X';
  const consonant = /[B-DF-HJ-NP-TV-Z]/.exec(rest)?.[0] ?? 'X';
  const mailSource = isGiven ? display.split(/\s+/)[0]! : display;
  const mail = foldAscii(mailSource.toLowerCase()).replace(/[^a-z]/g, '');
  const initial = main.charAt(0);
  if (!/^[A-Z]$/.test(initial)) throw new Error(`name must start with a letter A-Z: ${display}`);
  return { display, initial, initialIndex: initial.charCodeAt(0) - 65, vowel, consonant, consonantValue: checkCharValue(consonant.charCodeAt(0)), mail };
}

const MALE_NAMES: readonly NameEntry[] = MALE_GIVEN_NAMES.map((name) => nameEntry(name, true));
const FEMALE_NAMES: readonly NameEntry[] = FEMALE_GIVEN_NAMES.map((name) => nameEntry(name, true));
const SURNAME_ENTRIES: readonly NameEntry[] = SURNAMES.map((name) => nameEntry(name, false));

/**
 * The four CURP/RFC letters for every (paternal surname, maternal initial, given initial), with
 * inconvenient words already defused: index paternal × 676 + maternal × 26 + given.
 */
const CURP_LETTERS: readonly string[] = SURNAME_ENTRIES.flatMap((paternal) =>
  Array.from({ length: 676 }, (_, n) => {
    const letters = paternal.initial + paternal.vowel + UPPER_LETTERS.charAt(Math.floor(n / 26)) + UPPER_LETTERS.charAt(n % 26);
    return INCONVENIENT_WORDS.has(letters) ? `${letters.charAt(0)}X${letters.slice(2)}` : letters;
  }),
);

// ------------------------------------------------------------------------------------------------
// Addresses

const STREETS = [
  'Av. Benito Juárez', 'Calle Miguel Hidalgo', 'Calle José María Morelos', 'Av. Independencia',
  'Calle 5 de Mayo', 'Av. Revolución', 'Calle Ignacio Zaragoza', 'Calle Vicente Guerrero',
  'Calle Ignacio Allende', 'Av. Lázaro Cárdenas', 'Calle Francisco I. Madero', 'Calle Emiliano Zapata',
  'Calle Niños Héroes', 'Av. Constitución', 'Calle 16 de Septiembre', 'Calle Juan Aldama',
  'Calle Mariano Matamoros', 'Calle Nicolás Bravo', 'Av. Insurgentes', 'Calle Venustiano Carranza',
  'Calle de los Pinos', 'Calle Jacarandas', 'Calle Girasoles', 'Calle Tulipanes', 'Privada Las Rosas',
  'Andador Colibrí', 'Cerrada del Roble', 'Calle Fresno', 'Calle Olivo', 'Calle Cedro',
  'Circuito Las Palmas', 'Retorno Gaviotas',
] as const;

const SETTLEMENTS = [
  'Col. Centro', 'Fracc. Villas del Sol', 'Col. Infonavit El Rosario', 'Unidad Hab. Infonavit Norte',
  'Fracc. Jardines del Valle', 'Col. Las Américas', 'Fracc. Real del Bosque', 'Col. Lomas de San Juan',
  'Fracc. Hacienda Santa Fe', 'Col. Emiliano Zapata', 'Fracc. Paseos del Pedregal', 'Col. Benito Juárez',
  'Fracc. Los Héroes, 3a. Etapa', 'Col. Santa Cecilia', 'Fracc. Villa Magna', 'Col. Industrial',
  'Fracc. Valle Verde', 'Col. Solidaridad', 'Fracc. Villas del Prado', 'Col. San Miguel',
  'Fracc. Las Villas', 'Col. Insurgentes', 'Fracc. Casas Alegres', 'Col. Guadalupe',
  'Fracc. Praderas del Sol', 'Col. Revolución', 'Unidad Hab. Infonavit Sur, Secc. 2',
  'Fracc. Los Olivos', 'Col. Ampliación Hidalgo', 'Fracc. Arboledas',
] as const;

interface StateProfile {
  /** RENAPO two-letter entity code used in the CURP. */
  curpState: string;
  /** Long-distance prefix (lada) of the main city. */
  lada: string;
  /** Municipalities (alcaldías in CDMX) with a 3-digit postal-code prefix in the state's range. */
  municipalities: ReadonlyArray<readonly [name: string, postalPrefix: string]>;
}

/** Indexed by delegation id − 1 (INEGI order). */
const STATE_PROFILES: readonly StateProfile[] = [
  { curpState: 'AS', lada: '449', municipalities: [['Aguascalientes', '201'], ['Jesús María', '209'], ['Calvillo', '208']] },
  { curpState: 'BC', lada: '664', municipalities: [['Tijuana', '221'], ['Mexicali', '211'], ['Ensenada', '228']] },
  { curpState: 'BS', lada: '612', municipalities: [['La Paz', '230'], ['Los Cabos', '234'], ['Comondú', '236']] },
  { curpState: 'CC', lada: '981', municipalities: [['Campeche', '240'], ['Carmen', '241'], ['Champotón', '244']] },
  { curpState: 'CL', lada: '844', municipalities: [['Saltillo', '250'], ['Torreón', '270'], ['Monclova', '257']] },
  { curpState: 'CM', lada: '312', municipalities: [['Colima', '280'], ['Manzanillo', '282'], ['Tecomán', '281']] },
  { curpState: 'CS', lada: '961', municipalities: [['Tuxtla Gutiérrez', '290'], ['Tapachula', '307'], ['San Cristóbal de las Casas', '292']] },
  { curpState: 'CH', lada: '614', municipalities: [['Juárez', '323'], ['Chihuahua', '311'], ['Delicias', '330']] },
  { curpState: 'DF', lada: '55', municipalities: [['Iztapalapa', '093'], ['Gustavo A. Madero', '077'], ['Álvaro Obregón', '014'], ['Tlalpan', '140'], ['Coyoacán', '043']] },
  { curpState: 'DG', lada: '618', municipalities: [['Durango', '340'], ['Gómez Palacio', '350'], ['Lerdo', '351']] },
  { curpState: 'GT', lada: '477', municipalities: [['León', '371'], ['Irapuato', '365'], ['Celaya', '380'], ['Guanajuato', '360']] },
  { curpState: 'GR', lada: '744', municipalities: [['Acapulco de Juárez', '393'], ['Chilpancingo de los Bravo', '390'], ['Iguala de la Independencia', '400']] },
  { curpState: 'HG', lada: '771', municipalities: [['Pachuca de Soto', '420'], ['Tulancingo de Bravo', '436'], ['Tizayuca', '438']] },
  { curpState: 'JC', lada: '33', municipalities: [['Guadalajara', '444'], ['Zapopan', '451'], ['San Pedro Tlaquepaque', '455'], ['Tlajomulco de Zúñiga', '456'], ['Puerto Vallarta', '483']] },
  { curpState: 'MC', lada: '55', municipalities: [['Ecatepec de Morelos', '550'], ['Nezahualcóyotl', '577'], ['Toluca', '500'], ['Naucalpan de Juárez', '535'], ['Tlalnepantla de Baz', '540'], ['Chimalhuacán', '563']] },
  { curpState: 'MN', lada: '443', municipalities: [['Morelia', '580'], ['Uruapan', '600'], ['Zamora', '596']] },
  { curpState: 'MS', lada: '777', municipalities: [['Cuernavaca', '620'], ['Jiutepec', '625'], ['Cuautla', '627']] },
  { curpState: 'NT', lada: '311', municipalities: [['Tepic', '630'], ['Bahía de Banderas', '637'], ['Santiago Ixcuintla', '633']] },
  { curpState: 'NL', lada: '81', municipalities: [['Monterrey', '640'], ['Guadalupe', '671'], ['Apodaca', '666'], ['General Escobedo', '660']] },
  { curpState: 'OC', lada: '951', municipalities: [['Oaxaca de Juárez', '680'], ['San Juan Bautista Tuxtepec', '683'], ['Salina Cruz', '706']] },
  { curpState: 'PL', lada: '222', municipalities: [['Puebla', '724'], ['Tehuacán', '757'], ['San Martín Texmelucan', '741']] },
  { curpState: 'QT', lada: '442', municipalities: [['Querétaro', '760'], ['San Juan del Río', '768'], ['Corregidora', '769']] },
  { curpState: 'QR', lada: '998', municipalities: [['Benito Juárez', '775'], ['Othón P. Blanco', '770'], ['Solidaridad', '777']] },
  { curpState: 'SP', lada: '444', municipalities: [['San Luis Potosí', '780'], ['Soledad de Graciano Sánchez', '784'], ['Ciudad Valles', '790']] },
  { curpState: 'SL', lada: '667', municipalities: [['Culiacán', '800'], ['Mazatlán', '820'], ['Ahome', '812']] },
  { curpState: 'SR', lada: '662', municipalities: [['Hermosillo', '830'], ['Cajeme', '850'], ['Nogales', '840']] },
  { curpState: 'TC', lada: '993', municipalities: [['Centro', '860'], ['Cárdenas', '865'], ['Comalcalco', '863']] },
  { curpState: 'TS', lada: '899', municipalities: [['Reynosa', '887'], ['Matamoros', '873'], ['Nuevo Laredo', '880'], ['Victoria', '870'], ['Tampico', '891']] },
  { curpState: 'TL', lada: '246', municipalities: [['Tlaxcala', '900'], ['Apizaco', '903'], ['Huamantla', '905']] },
  { curpState: 'VZ', lada: '229', municipalities: [['Veracruz', '917'], ['Xalapa', '910'], ['Coatzacoalcos', '964'], ['Poza Rica de Hidalgo', '933'], ['Córdoba', '945']] },
  { curpState: 'YN', lada: '999', municipalities: [['Mérida', '971'], ['Kanasín', '973'], ['Valladolid', '977']] },
  { curpState: 'ZS', lada: '492', municipalities: [['Zacatecas', '980'], ['Fresnillo', '990'], ['Guadalupe', '986']] },
];

if (STATE_PROFILES.length !== DELEGATIONS.length) throw new Error('STATE_PROFILES must match DELEGATIONS');

/** Fake number in the 555-01xx style: "+52 33 5550 0142", "+52 449 555 0142". */
function fakePhone(lada: string, lastFour: number): string {
  const tail = String(lastFour).padStart(4, '0');
  return lada.length === 2 ? `+52 ${lada} 5550 ${tail}` : `+52 ${lada} 555 ${tail}`;
}

/** Borrowers' phones per delegation: the 100 numbers …0100–…0199 of the state's lada. */
const BORROWER_PHONES: readonly (readonly string[])[] = STATE_PROFILES.map((profile) =>
  Array.from({ length: 100 }, (_, n) => fakePhone(profile.lada, 100 + n)),
);

// ------------------------------------------------------------------------------------------------
// Calendar (UTC day numbers; no clock)

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseIsoDate(text: string, what: string): { year: number; month: number; day: number; epochDay: number } {
  const match = ISO_DATE.exec(text);
  if (!match) throw new RangeError(`${what} must be YYYY-MM-DD: ${text}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const epochDay = Date.UTC(year, month - 1, day) / MS_PER_DAY;
  if (isoFromEpochDay(epochDay) !== text) throw new RangeError(`${what} is not a calendar date: ${text}`);
  return { year, month, day, epochDay };
}

function isoFromEpochDay(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

interface Calendar {
  startDay: number;
  asOfDay: number;
  /** ISO date of (startDay + i). */
  iso: string[];
  /** YYMMDD of (startDay + i), as in CURP and RFC. */
  yymmdd: string[];
  /** Check-digit sums of YYMMDD at CURP weights 14..9 and RFC weights 9..4. */
  curpBirthSum: Int16Array;
  rfcBirthSum: Int16Array;
  /** Calendar year of (startDay + i). */
  year: Int16Array;
  /** year × 12 + (month − 1) of (startDay + i). */
  monthIndex: Int32Array;
}

let cachedCalendar: Calendar | undefined;

function calendarUntil(asOf: string): Calendar {
  const { epochDay: asOfDay } = parseIsoDate(asOf, 'asOf');
  if (cachedCalendar?.asOfDay === asOfDay) return cachedCalendar;
  const startDay = Date.UTC(DATE_TABLE_START.year, DATE_TABLE_START.month - 1, DATE_TABLE_START.day) / MS_PER_DAY;
  const length = asOfDay - startDay + 1;
  const iso = new Array<string>(length);
  const yymmdd = new Array<string>(length);
  const curpBirthSum = new Int16Array(length);
  const rfcBirthSum = new Int16Array(length);
  const year = new Int16Array(length);
  const monthIndex = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const date = new Date((startDay + i) * MS_PER_DAY);
    const text = date.toISOString().slice(0, 10);
    iso[i] = text;
    const digits = text.slice(2, 4) + text.slice(5, 7) + text.slice(8, 10);
    yymmdd[i] = digits;
    curpBirthSum[i] = weightedSum(digits, 14);
    rfcBirthSum[i] = weightedSum(digits, 9);
    year[i] = date.getUTCFullYear();
    monthIndex[i] = date.getUTCFullYear() * 12 + date.getUTCMonth();
  }
  cachedCalendar = { startDay, asOfDay, iso, yymmdd, curpBirthSum, rfcBirthSum, year, monthIndex };
  return cachedCalendar;
}

const SPANISH_MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

/** "3 de marzo de 2022" */
function spanishLongDate(iso: string): string {
  const { year, month, day } = parseIsoDate(iso, 'date');
  return `${day} de ${SPANISH_MONTHS[month - 1]} de ${year}`;
}

// ------------------------------------------------------------------------------------------------
// Identity numbers

/** A character's value in the CURP and RFC check-digit alphabets (they agree on 0-9, A-N, O-Z). */
function checkCharValue(code: number): number {
  // '0'..'9' → 0..9, 'A'..'N' → 10..23, (Ñ or & → 24), 'O'..'Z' → 25..36
  return code <= 57 ? code - 48 : code <= 78 ? code - 55 : code - 54;
}

/** Σ value(text[i]) × (firstWeight − i). */
function weightedSum(text: string, firstWeight: number): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += checkCharValue(text.charCodeAt(i)) * (firstWeight - i);
  return sum;
}

/** CURP check digit from Σ value × weight over the first 17 characters (weights 18..2). */
function curpCheckFromSum(sum: number): string {
  return DIGITS.charAt((10 - (sum % 10)) % 10);
}

/** RFC check digit (SAT, mod 11) over the first 12 characters (a moral person's 11 are padded). */
function rfcCheckDigit(body: string): string {
  const padded = body.length === 11 ? ` ${body}` : body;
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    const code = padded.charCodeAt(i);
    const value = code === 32 ? 37 : code === 38 ? 24 : checkCharValue(code);
    sum += value * (13 - i);
  }
  return rfcCheckFromSum(sum);
}

/** RFC check digit from Σ value × weight over the first 12 characters (weights 13..2). */
function rfcCheckFromSum(sum: number): string {
  const remainder = sum % 11;
  if (remainder === 0) return '0';
  const digit = 11 - remainder;
  return digit === 10 ? 'A' : DIGITS.charAt(digit);
}

const DIGITS = '0123456789';
/** Characters in check-digit value order (CURP alphabet without Ñ, which is never produced). */
const CHECK_ALPHABET = '0123456789ABCDEFGHIJKLMN?OPQRSTUVWXYZ';
/** Characters of an RFC homoclave (no 0/O ambiguity). */
const HOMOCLAVE = '123456789ABCDEFGHIJKLMNPQRSTUVWXYZ';

// Partial check-digit sums, so the generator never re-reads the strings it builds.
/** CURP weights 18..15 / RFC weights 13..10 of the four letters, by CURP_LETTERS index. */
const CURP_LETTERS_SUM = Int32Array.from(CURP_LETTERS, (letters) => weightedSum(letters, 18));
const RFC_LETTERS_SUM = Int32Array.from(CURP_LETTERS, (letters) => weightedSum(letters, 13));
/** CURP weights 7..6 (positions 11–12) of the entity code, by delegation index. */
const CURP_STATE_SUM = STATE_PROFILES.map((profile) => weightedSum(profile.curpState, 7));
/** CURP weight 10 of the sex letter. */
const CURP_SEX_SUM = { H: checkCharValue(72) * 8, M: checkCharValue(77) * 8 } as const;
const HOMOCLAVE_VALUES = Array.from(HOMOCLAVE, (char) => checkCharValue(char.charCodeAt(0)));
const LETTER_VALUES = Array.from(UPPER_LETTERS, (char) => checkCharValue(char.charCodeAt(0)));
/** NSS: Luhn contribution of a two-digit group at weights (1, 2). */
const NSS_PAIR_SUM = Array.from({ length: 100 }, (_, n) => {
  const doubled = (n % 10) * 2;
  return Math.floor(n / 10) + (doubled > 9 ? doubled - 9 : doubled);
});

// ------------------------------------------------------------------------------------------------
// Money helpers. Exact integer arithmetic, half-up rounding, non-negative operands. The public
// helper works in bigint; the generator's hot loop uses the same arithmetic on safe integers
// (every product is checked to stay below 2^53, where double arithmetic on integers is exact),
// then converts the results to bigint once. Tests check both paths agree on every row.

function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (2n * denominator);
}

/** cents → VSM with 4 decimals as text: cents / (UMI daily × 30.4), rounded half up. */
export function centsToVsmText(cents: bigint): string {
  // VSM × 10^4 = cents × 10 × 10^4 / (UMI cents × 304)
  const scaled = divRoundHalfUp(cents * 100_000n, MONTHLY_UMI_DECI_CENTS);
  const whole = scaled / 10_000n;
  const fraction = scaled % 10_000n;
  return `${whole}.${fraction.toString().padStart(4, '0')}`;
}

/** a × b for non-negative safe integers; throws instead of losing precision. */
function mulExact(a: number, b: number): number {
  const product = a * b;
  if (product > Number.MAX_SAFE_INTEGER) throw new RangeError(`integer overflow: ${a} × ${b}`);
  return product;
}

/** round-half-up(a / b) for non-negative safe integers, exact (the remainder is corrected). */
function divRoundExact(a: number, b: number): number {
  let quotient = Math.floor(a / b);
  let remainder = a - quotient * b;
  if (remainder < 0) {
    quotient -= 1;
    remainder += b;
  } else if (remainder >= b) {
    quotient += 1;
    remainder -= b;
  }
  return remainder * 2 >= b ? quotient + 1 : quotient;
}

const MONTHLY_UMI_DECI_CENTS_NUMBER = Number(MONTHLY_UMI_DECI_CENTS);
const UMI_DAILY_CENTS_NUMBER = Number(DEMO_UMI_DAILY_CENTS);
const FOUR_DIGITS = Array.from({ length: 10_000 }, (_, n) => String(n).padStart(4, '0'));
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const SIX_DIGITS_PAD = '000000';

/** Same result as centsToVsmText for a safe-integer amount. */
function centsNumberToVsmText(cents: number): string {
  const scaled = divRoundExact(mulExact(cents, 100_000), MONTHLY_UMI_DECI_CENTS_NUMBER);
  const whole = Math.floor(scaled / 10_000);
  return `${whole}.${FOUR_DIGITS[scaled - whole * 10_000]}`;
}

function microToDecimalText(micro: number): string {
  const whole = Math.floor(micro / 1_000_000);
  const fraction = String(micro - whole * 1_000_000);
  return `${whole}.${SIX_DIGITS_PAD.slice(fraction.length)}${fraction}`;
}

/**
 * Daily general minimum wage (zona A, January) in cents by year, used to express a VSM credit's
 * amount in the nominal pesos of its origination year (CONASAMI tables; approximate, demo only).
 */
const MINIMUM_WAGE_CENTS_BY_YEAR: Readonly<Record<number, number>> = {
  1995: 1634, 1996: 2066, 1997: 2645, 1998: 3020, 1999: 3445, 2000: 3790, 2001: 4035,
  2002: 4215, 2003: 4365, 2004: 4524, 2005: 4680, 2006: 4867, 2007: 5057, 2008: 5259,
  2009: 5480, 2010: 5746, 2011: 5982, 2012: 6233, 2013: 6476,
};

/**
 * Interest rate (basis points) of a peso credit by monthly income, after the June 2021 table:
 * thresholds are multiples of the 2021 monthly UMA (89.62 × 30.4); the rate steps every 0.1 UMA
 * inside each band (DOMAIN-FACTS §1).
 */
const UMA_2021_MONTHLY_CENTS = 272_445;
const RATE_BANDS: ReadonlyArray<readonly [fromMultiple: number, toMultiple: number, fromBp: number, toBp: number]> = [
  [1.5, 2.0, 191, 333],
  [2.1, 3.0, 355, 551],
  [3.1, 4.0, 570, 721],
  [4.1, 5.0, 741, 886],
  [5.1, 6.0, 903, 1042],
];

function rateBpForIncome(incomeCents: number): number {
  const multiple = Math.floor((incomeCents / UMA_2021_MONTHLY_CENTS) * 10) / 10;
  if (multiple < 1.5) return 191;
  if (multiple >= 6.1) return 1045;
  let previousTop = 191;
  for (const [from, to, fromBp, toBp] of RATE_BANDS) {
    if (multiple < from) return previousTop;
    if (multiple <= to) return Math.round(fromBp + ((toBp - fromBp) * (multiple - from)) / (to - from));
    previousTop = toBp;
  }
  return 1045;
}

/** Longest exponent the power tables cover (term ≤ 360 plus unpaid months). */
const MAX_EXPONENT = 512;
const powerTables: (Float64Array | undefined)[] = [];

/**
 * (1 + bp/120000)^k for k = 0..MAX_EXPONENT, by repeated multiplication (basic IEEE operations
 * only, so the factors are bit-identical on every platform). Memoised per rate.
 */
function powersOfMonthlyRate(rateBp: number): Float64Array {
  let table = powerTables[rateBp];
  if (!table) {
    const base = 1 + rateBp / 120_000;
    table = new Float64Array(MAX_EXPONENT + 1);
    table[0] = 1;
    for (let k = 1; k <= MAX_EXPONENT; k++) table[k] = table[k - 1]! * base;
    powerTables[rateBp] = table;
  }
  return table;
}

// ------------------------------------------------------------------------------------------------
// Category tables (weights are relative; probabilities are plain fractions)

const DELEGATION_PICK = buildPickTable(DELEGATIONS.map((delegation) => delegation.population));

/** Arrears buckets: 0 → 10%, 1–3 → 30%, 4–9 → 40%, 10–24 → 20%. */
const ARREARS_BUCKET_PICK = buildPickTable([10, 30, 40, 20]);
const ARREARS_BUCKET_RANGE: ReadonlyArray<readonly [number, number]> = [[0, 0], [1, 3], [4, 9], [10, 24]];
/** P(REA | bucket): more direct-pay borrowers among the delinquent (≈ 40% overall). */
const REA_PROBABILITY = [0.25, 0.3, 0.42, 0.6];
/** P(legal stage ≠ none | bucket): the legal area takes accounts after ~9 omisos (≈ 9% overall). */
const LEGAL_PROBABILITY = [0, 0.015, 0.06, 0.3];
/** P(unemployment insurance exhausted | bucket) (≈ 30% overall). */
const FPP_EXHAUSTED_PROBABILITY = [0.15, 0.15, 0.4, 0.4];

const SEGMENTS: readonly Segment[] = [
  'cobranza_administrativa',
  'recuperacion_cartera_vencida',
  'recuperacion_vivienda_vulnerable',
  'recuperacion_especializada',
];
/** Segment by arrears bucket (later buckets lean to recovery); overall ≈ 55% / 30% / 8% / 7%. */
const SEGMENT_PICK_BY_BUCKET: readonly Uint8Array[] = [
  buildPickTable([85, 5, 5, 5]),
  buildPickTable([80, 10, 5, 5]),
  buildPickTable([45, 40, 9, 6]),
  buildPickTable([22.5, 52.5, 12.5, 12.5]),
];

const HOUSING_STATUSES: readonly HousingStatus[] = ['inhabited', 'abandoned', 'invaded', 'vandalised', 'uninhabited', 'not_located'];
/** 93% inhabited; 7% spread over the EXC-2 statuses. */
const HOUSING_PICK = buildPickTable([93, 2, 0.8, 1.2, 2, 1]);

const LEGAL_STAGES: readonly LegalStage[] = ['lawsuit_filed', 'judgment', 'execution'];
const LEGAL_STAGE_PICK = buildPickTable([60, 25, 15]);

/** broken_convenios 0 → 93%, 1 → 5%, 2 → 2%. */
const BROKEN_CONVENIOS_PICK = buildPickTable([93, 5, 2]);

const TERMS = [240, 300, 360] as const;
const MXN_TERM_PICK = buildPickTable([20, 30, 50]);
const VSM_TERM_PICK = buildPickTable([25, 25, 50]);

/**
 * Exclusion-fact probabilities (SPEC §3), set so ≈ 60% of credits are hit by none. Together with
 * broken convenios (2%), housing (7%) and legal stage (≈ 9%) above; the rounder rates 8% / 4% /
 * 7% for restructure / housing / legal would leave ≈ 71% free.
 */
const P_ACTIVE_RESTRUCTURE = 0.14;
const P_OUTSOURCED = 0.02;
const P_TRUST_POOL = 0.04;
const P_NOT_BILLING = 0.03;
const P_ACTIVE_EXTENSION = 0.04;
const P_ACCOMPANIMENT = 0.03;
/** Share of borrowers aged 60+ who are retired (≈ 5% of the portfolio overall). */
const P_RETIRED_IF_60_OR_OLDER = 0.18;

// ------------------------------------------------------------------------------------------------
// Credits

/** Column names of `credits` in table order (without created_at/updated_at); the CSV header. */
const CREDIT_COLUMN_FIELDS = [
  ['credit_number', 'creditNumber'],
  ['borrower_name', 'borrowerName'],
  ['borrower_nss', 'borrowerNss'],
  ['borrower_curp', 'borrowerCurp'],
  ['borrower_rfc', 'borrowerRfc'],
  ['borrower_birth_date', 'borrowerBirthDate'],
  ['address_street', 'addressStreet'],
  ['address_settlement', 'addressSettlement'],
  ['address_municipality', 'addressMunicipality'],
  ['address_postal_code', 'addressPostalCode'],
  ['phone_landline', 'phoneLandline'],
  ['phone_mobile', 'phoneMobile'],
  ['email', 'email'],
  ['delegation_id', 'delegationId'],
  ['segment', 'segment'],
  ['in_social_collections', 'inSocialCollections'],
  ['denomination', 'denomination'],
  ['original_amount_cents', 'originalAmountCents'],
  ['balance_cents', 'balanceCents'],
  ['original_amount_vsm', 'originalAmountVsm'],
  ['balance_vsm', 'balanceVsm'],
  ['monthly_payment_cents', 'monthlyPaymentCents'],
  ['payment_factor', 'paymentFactor'],
  ['insurance_fees_cents', 'insuranceFeesCents'],
  ['interest_rate_bp', 'interestRateBp'],
  ['term_months', 'termMonths'],
  ['regime', 'regime'],
  ['months_in_arrears', 'monthsInArrears'],
  ['payments_made', 'paymentsMade'],
  ['origination_date', 'originationDate'],
  ['borrower_monthly_income_cents', 'borrowerMonthlyIncomeCents'],
  ['borrower_monthly_pension_cents', 'borrowerMonthlyPensionCents'],
  ['is_retired', 'isRetired'],
  ['cofinanced', 'cofinanced'],
  ['unemployment_insurance_exhausted', 'unemploymentInsuranceExhausted'],
  ['broken_convenios', 'brokenConvenios'],
  ['housing_status', 'housingStatus'],
  ['active_restructure', 'activeRestructure'],
  ['outsourced', 'outsourced'],
  ['trust_pool', 'trustPool'],
  ['billing_active', 'billingActive'],
  ['active_extension', 'activeExtension'],
  ['legal_stage', 'legalStage'],
  ['accompaniment', 'accompaniment'],
  ['legal_stage_frozen', 'legalStageFrozen'],
] as const satisfies ReadonlyArray<readonly [string, keyof CreditRow]>;

// Compile-time proof that every CreditRow field has a column.
type UnmappedCreditField = Exclude<keyof CreditRow, (typeof CREDIT_COLUMN_FIELDS)[number][1]>;
const EVERY_FIELD_MAPPED: [UnmappedCreditField] extends [never] ? true : UnmappedCreditField = true;
void EVERY_FIELD_MAPPED;

export const CREDIT_CSV_COLUMNS: readonly string[] = Object.freeze(CREDIT_COLUMN_FIELDS.map(([column]) => column));
const NEEDS_QUOTING = /[",\r\n]/;

function csvText(value: string): string {
  return NEEDS_QUOTING.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvNullableText(value: string | null): string {
  return value === null ? '' : csvText(value);
}

function csvNullable(value: bigint | null): string {
  return value === null ? '' : String(value);
}

/**
 * One RFC-4180 CSV line in CREDIT_CSV_COLUMNS order (null → empty field, booleans true/false),
 * no line terminator. Written out field by field for speed; the tests check the order against
 * CREDIT_CSV_COLUMNS and the migration.
 */
export function creditToCsvLine(row: CreditRow): string {
  return (
    `${csvText(row.creditNumber)},${csvText(row.borrowerName)},${csvText(row.borrowerNss)},` +
    `${csvText(row.borrowerCurp)},${csvText(row.borrowerRfc)},` +
    `${csvText(row.borrowerBirthDate)},${csvText(row.addressStreet)},` +
    `${csvText(row.addressSettlement)},${csvText(row.addressMunicipality)},` +
    `${csvText(row.addressPostalCode)},${csvNullableText(row.phoneLandline)},` +
    `${csvNullableText(row.phoneMobile)},${csvNullableText(row.email)},${row.delegationId},` +
    `${csvText(row.segment)},${row.inSocialCollections},${csvText(row.denomination)},` +
    `${row.originalAmountCents},${row.balanceCents},` +
    `${csvNullableText(row.originalAmountVsm)},${csvNullableText(row.balanceVsm)},` +
    `${row.monthlyPaymentCents},${csvText(row.paymentFactor)},${row.insuranceFeesCents},` +
    `${row.interestRateBp},${row.termMonths},${csvText(row.regime)},${row.monthsInArrears},` +
    `${row.paymentsMade},${csvText(row.originationDate)},` +
    `${csvNullable(row.borrowerMonthlyIncomeCents)},` +
    `${csvNullable(row.borrowerMonthlyPensionCents)},${row.isRetired},${row.cofinanced},` +
    `${row.unemploymentInsuranceExhausted},${row.brokenConvenios},` +
    `${csvText(row.housingStatus)},${row.activeRestructure},${row.outsourced},` +
    `${row.trustPool},${row.billingActive},${row.activeExtension},${csvText(row.legalStage)},` +
    `${row.accompaniment},${row.legalStageFrozen}`
  );
}

/**
 * Streams `count` synthetic credits, deterministic for (seed, asOf) and each row's index, so a
 * row never depends on `count` and slices can be generated independently (`firstIndex`).
 * Options are validated eagerly (RangeError). Distributions are documented next to their tables.
 */
export function generateCredits(options: GenerateCreditsOptions): Generator<CreditRow> {
  const { count, asOf } = options;
  const firstIndex = options.firstIndex ?? 0;
  if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer: ${options.seed}`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer: ${count}`);
  if (!Number.isInteger(firstIndex) || firstIndex < 0 || firstIndex + count > MAX_CREDITS) {
    throw new RangeError(`rows [${firstIndex}, ${firstIndex + count}) exceed the ${MAX_CREDITS} credit numbers`);
  }
  parseIsoDate(asOf, 'asOf');
  if (asOf < '2014-03-01') throw new RangeError(`asOf must be on or after 2014-03-01: ${asOf}`);
  return creditRows(options.seed >>> 0, firstIndex, count, asOf);
}

function* creditRows(seed: number, firstIndex: number, count: number, asOf: string): Generator<CreditRow> {
  const { startDay, asOfDay, iso, yymmdd, curpBirthSum, rfcBirthSum, year, monthIndex } = calendarUntil(asOf);
  const asOfMonth = monthIndex[asOfDay - startDay]!;
  const dayOf = (y: number, month: number, day: number): number => Date.UTC(y, month - 1, day) / MS_PER_DAY;
  // Origination windows: VSM 1995–2013, MXN 2010–2025; both end at least two months before asOf.
  const latestOrigination = asOfDay - 61;
  const vsmFirst = dayOf(1995, 1, 1);
  const vsmSpan = Math.min(dayOf(2013, 12, 31), latestOrigination) - vsmFirst + 1;
  const mxnFirst = dayOf(2010, 1, 1);
  const mxnSpan = Math.min(dayOf(2025, 12, 31), latestOrigination) - mxnFirst + 1;

  const random = createStream();
  const { next, int, u32 } = random;
  const pick16 = (table: Uint8Array): number => table[u32() >>> 16]!;

  for (let index = firstIndex; index < firstIndex + count; index++) {
    random.reset(seed, index);

    // --- where and when
    const delegationIndex = pick16(DELEGATION_PICK);
    const delegation = DELEGATIONS[delegationIndex]!;
    const profile = STATE_PROFILES[delegationIndex]!;
    const isVsm = next() < 0.51;
    const originationOffset = (isVsm ? vsmFirst + int(vsmSpan) : mxnFirst + int(mxnSpan)) - startDay;
    const originationYear = year[originationOffset]!;
    const elapsedMonths = asOfMonth - monthIndex[originationOffset]!;

    // --- borrower: age 25–50 at origination; CURP/RFC/NSS shaped and check-digited
    const female = next() < 0.42;
    const given = female ? FEMALE_NAMES[int(FEMALE_NAMES.length)]! : MALE_NAMES[int(MALE_NAMES.length)]!;
    const paternalIndex = int(SURNAME_ENTRIES.length);
    const paternal = SURNAME_ENTRIES[paternalIndex]!;
    const maternal = SURNAME_ENTRIES[int(SURNAME_ENTRIES.length)]!;
    const birthOffset = originationOffset - (AGE_25_DAYS + int(AGE_SPAN_DAYS)); // 25 to 50 years old
    const birthYear = year[birthOffset]!;
    const birthDigits = yymmdd[birthOffset]!;
    const ageAtAsOf = (asOfDay - startDay - birthOffset) / 365.25;

    const lettersIndex = paternalIndex * 676 + maternal.initialIndex * 26 + given.initialIndex;
    const letters = CURP_LETTERS[lettersIndex]!;
    const birthStateIndex = next() < 0.8 ? delegationIndex : int(STATE_PROFILES.length);
    const differentiatorValue = birthYear < 2000 ? int(10) : LETTER_VALUES[int(26)]!; // digit, or a letter from 2000 on
    const curpSum =
      CURP_LETTERS_SUM[lettersIndex]! + curpBirthSum[birthOffset]! + CURP_SEX_SUM[female ? 'M' : 'H'] + CURP_STATE_SUM[birthStateIndex]! +
      paternal.consonantValue * 5 + maternal.consonantValue * 4 + given.consonantValue * 3 + differentiatorValue * 2;
    const curp =
      letters + birthDigits + (female ? 'M' : 'H') + STATE_PROFILES[birthStateIndex]!.curpState +
      paternal.consonant + maternal.consonant + given.consonant + CHECK_ALPHABET.charAt(differentiatorValue) + curpCheckFromSum(curpSum);
    const homoclave1 = int(HOMOCLAVE.length);
    const homoclave2 = int(HOMOCLAVE.length);
    const rfcSum = RFC_LETTERS_SUM[lettersIndex]! + rfcBirthSum[birthOffset]! + HOMOCLAVE_VALUES[homoclave1]! * 3 + HOMOCLAVE_VALUES[homoclave2]! * 2;
    const rfc = letters + birthDigits + HOMOCLAVE.charAt(homoclave1) + HOMOCLAVE.charAt(homoclave2) + rfcCheckFromSum(rfcSum);
    // NSS: IMSS sub-delegation, year of registration, year of birth, serial, check digit.
    const nssSubdelegation = 10 + ((delegation.id * 7 + int(3)) % 90);
    const nssRegistered = (birthYear + 18 + int(8)) % 100;
    const nssBorn = birthYear % 100;
    const nssSerialHigh = int(100);
    const nssSerialLow = int(100);
    const nssSum =
      NSS_PAIR_SUM[nssSubdelegation]! + NSS_PAIR_SUM[nssRegistered]! + NSS_PAIR_SUM[nssBorn]! + NSS_PAIR_SUM[nssSerialHigh]! + NSS_PAIR_SUM[nssSerialLow]!;
    const nss =
      TWO_DIGITS[nssSubdelegation]! + TWO_DIGITS[nssRegistered]! + TWO_DIGITS[nssBorn]! + TWO_DIGITS[nssSerialHigh]! + TWO_DIGITS[nssSerialLow]! +
      DIGITS.charAt((10 - (nssSum % 10)) % 10);

    const municipality = profile.municipalities[next() < 0.5 ? 0 : int(profile.municipalities.length)]!;
    const houseNumber = 1 + int(next() < 0.7 ? 400 : 3999);
    const streetName = STREETS[int(STREETS.length)]!;
    const street = next() < 0.15 ? `${streetName} ${houseNumber} Int. ${1 + int(12)}` : `${streetName} ${houseNumber}`;
    const phones = BORROWER_PHONES[delegationIndex]!;
    const landline = next() < 0.55 ? phones[int(100)]! : null;
    const mobile = next() < 0.7 ? phones[int(100)]! : null;
    const email = next() < 0.7 ? `${given.mail}.${paternal.mail}${10 + int(90)}@ejemplo.invalid` : null;

    // --- delinquency and regime
    const bucket = pick16(ARREARS_BUCKET_PICK);
    const [arrearsFrom, arrearsTo] = ARREARS_BUCKET_RANGE[bucket]!;
    const monthsInArrears = Math.min(arrearsFrom + int(arrearsTo - arrearsFrom + 1), elapsedMonths);
    const regime: Regime = next() < REA_PROBABILITY[bucket]! ? 'REA' : 'ROA';
    const segment = SEGMENTS[pick16(SEGMENT_PICK_BY_BUCKET[bucket]!)]!;

    // --- income, pension (retired: older borrowers only)
    const retired = ageAtAsOf >= 60 && next() < P_RETIRED_IF_60_OR_OLDER;
    const incomePesos = Math.min(60_000, Math.max(4_200, Math.round(9_500 * INCOME_SPREAD[u32() >>> 20]!)));
    const incomeCents = incomePesos * 100;
    const hasIncome = !retired && next() >= 0.08;
    const pensionCents = retired ? (3_000 + int(9_001)) * 100 : 0;

    // --- rate, term, payments made
    let rateBp: number;
    if (isVsm) rateBp = 400 + 50 * int(11); // 4.00%–9.00% on the VSM balance
    else if (originationYear >= 2021 || next() < 0.3) rateBp = rateBpForIncome(incomeCents);
    else rateBp = 1200; // peso credits before 2021: flat 12%
    let termMonths: number = TERMS[pick16(isVsm ? VSM_TERM_PICK : MXN_TERM_PICK)]!;
    if (elapsedMonths + 12 > termMonths) termMonths = 360;
    // Earlier unpaid months (prórrogas, unemployment) that are no longer in arrears.
    const historicGaps = int(Math.floor(elapsedMonths * (isVsm ? 0.3 : 0.15)) + 1);
    const paymentsMade = Math.max(0, Math.min(elapsedMonths - monthsInArrears - historicGaps, termMonths - 6));

    // --- amounts. Loan size in today's pesos ≈ income × a lognormal multiple, 150k–1.2M; a VSM
    // credit lent the same number of minimum wages in the pesos of its origination year.
    const sizePesos = Math.min(1_200_000, Math.max(150_000, Math.round(incomePesos * 38 * LOAN_MULTIPLE_SPREAD[u32() >>> 20]!)));
    const sizeCents = sizePesos * 100 + int(100);
    const wageCents = isVsm ? MINIMUM_WAGE_CENTS_BY_YEAR[originationYear]! : 0;
    const originalCents = isVsm ? divRoundExact(mulExact(sizeCents, wageCents), UMI_DAILY_CENTS_NUMBER) : sizeCents;
    // Factors (floating point only here, integers before they touch money):
    //  - payment factor: annuity payment per 1,000 of the original amount, 6 decimals;
    //  - balance factor (ppm): remaining principal after `paymentsMade` payments, with interest
    //    capitalised for the unpaid months (arrears; for VSM also the earlier gaps), and for VSM
    //    revalued by the wage index since origination (UMI now / minimum wage then).
    const monthlyRate = rateBp / 120_000;
    const powers = powersOfMonthlyRate(rateBp);
    const growthTerm = powers[termMonths]!;
    const paymentFactorMicro = Math.round((1e9 * monthlyRate * growthTerm) / (growthTerm - 1));
    const unpaidMonths = Math.min(isVsm ? monthsInArrears + historicGaps : monthsInArrears, MAX_EXPONENT);
    const remaining = ((growthTerm - powers[paymentsMade]!) / (growthTerm - 1)) * powers[unpaidMonths]!;
    const balanceFactorPpm = Math.round(remaining * (isVsm ? UMI_DAILY_CENTS_NUMBER / wageCents : 1) * 1e6);
    const monthlyPaymentCents = divRoundExact(mulExact(originalCents, paymentFactorMicro), 1e9);
    const balanceCents = divRoundExact(mulExact(originalCents, balanceFactorPpm), 1e6);

    // --- exclusion facts (SPEC §3)
    const legal = next() < LEGAL_PROBABILITY[bucket]!;
    const row: CreditRow = {
      creditNumber: String(CREDIT_NUMBER_BASE + index + 1),
      borrowerName: `${given.display} ${paternal.display} ${maternal.display}`,
      borrowerNss: nss,
      borrowerCurp: curp,
      borrowerRfc: rfc,
      borrowerBirthDate: iso[birthOffset]!,
      addressStreet: street,
      addressSettlement: SETTLEMENTS[int(SETTLEMENTS.length)]!,
      addressMunicipality: municipality[0],
      addressPostalCode: municipality[1] + TWO_DIGITS[int(100)]!,
      phoneLandline: landline,
      phoneMobile: mobile,
      email,
      delegationId: delegation.id,
      segment,
      inSocialCollections: next() < 0.97,
      denomination: isVsm ? 'VSM' : 'MXN',
      originalAmountCents: BigInt(originalCents),
      balanceCents: BigInt(balanceCents),
      originalAmountVsm: isVsm ? centsNumberToVsmText(originalCents) : null,
      balanceVsm: isVsm ? centsNumberToVsmText(balanceCents) : null,
      monthlyPaymentCents: BigInt(monthlyPaymentCents),
      paymentFactor: microToDecimalText(paymentFactorMicro),
      insuranceFeesCents: BigInt((150 + int(301)) * 100),
      interestRateBp: rateBp,
      termMonths,
      regime,
      monthsInArrears,
      paymentsMade,
      originationDate: iso[originationOffset]!,
      borrowerMonthlyIncomeCents: hasIncome ? BigInt(incomeCents) : null,
      borrowerMonthlyPensionCents: retired ? BigInt(pensionCents) : null,
      isRetired: retired,
      cofinanced: next() < 0.04,
      unemploymentInsuranceExhausted: next() < FPP_EXHAUSTED_PROBABILITY[bucket]!,
      brokenConvenios: pick16(BROKEN_CONVENIOS_PICK),
      housingStatus: HOUSING_STATUSES[pick16(HOUSING_PICK)]!,
      activeRestructure: next() < P_ACTIVE_RESTRUCTURE,
      outsourced: next() < P_OUTSOURCED,
      trustPool: next() < P_TRUST_POOL,
      billingActive: next() >= P_NOT_BILLING,
      activeExtension: next() < P_ACTIVE_EXTENSION,
      legalStage: legal ? LEGAL_STAGES[pick16(LEGAL_STAGE_PICK)]! : 'none',
      accompaniment: next() < P_ACCOMPANIMENT,
      legalStageFrozen: false,
    };
    yield row;
  }
}

// ------------------------------------------------------------------------------------------------
// Reference data: agencies, their delegations, mediators, representatives

/**
 * Delegation codes in a geographic chain (neighbours next to each other), starting at CDMX; agency
 * n starts its window at about n × 32 / 20 along it (the names follow the regions).
 */
const REGIONAL_ORDER = [
  'CDMX', 'MEX', 'MOR', 'GRO', 'OAX', 'CHIS', 'TAB', 'CAMP', 'YUC', 'QROO', 'VER', 'PUE', 'TLAX',
  'HGO', 'QRO', 'GTO', 'MICH', 'COL', 'JAL', 'NAY', 'SIN', 'SON', 'BC', 'BCS', 'CHIH', 'DGO',
  'COAH', 'NL', 'TAMS', 'SLP', 'ZAC', 'AGS',
] as const;

const AGENCY_NAMES = [
  'Agencia de Soluciones Integrales del Centro, S.A. de C.V.',
  'Agencia de Soluciones Hipotecarias del Sur, S.A. de C.V.',
  'Agencia de Soluciones Patrimoniales del Pacífico Sur, S.C.',
  'Agencia de Soluciones y Mediación de la Frontera Sur, S.A. de C.V.',
  'Agencia de Soluciones Vivienda Digna del Sureste, S.A. de C.V.',
  'Agencia de Soluciones Mediación Peninsular, S.C.',
  'Agencia de Soluciones Cobranza Social del Golfo, S.A. de C.V.',
  'Agencia de Soluciones Acuerdos Justos de Oriente, S.A. de C.V.',
  'Agencia de Soluciones Hogar Seguro del Altiplano, S.A. de C.V.',
  'Agencia de Soluciones Concilia Bajío, S.C.',
  'Agencia de Soluciones Occidente Mediadores, S.A. de C.V.',
  'Agencia de Soluciones Costa del Pacífico, S.A. de C.V.',
  'Agencia de Soluciones Sierra Madre, S.A. de C.V.',
  'Agencia de Soluciones Frontera Noroeste, S.A. de C.V.',
  'Agencia de Soluciones Norte Grande, S.C.',
  'Agencia de Soluciones Comarca Lagunera, S.A. de C.V.',
  'Agencia de Soluciones Noreste Mediación, S.A. de C.V.',
  'Agencia de Soluciones Huasteca, S.A. de C.V.',
  'Agencia de Soluciones Zacatecas-Potosí, S.C.',
  'Agencia de Soluciones Puerta del Centro, S.A. de C.V.',
] as const;

const AGENCY_COUNT = AGENCY_NAMES.length;
/** Delegations per agency window before coverage repair. */
const WINDOW_LENGTHS = [2, 3, 3, 4, 4, 5] as const;
const MEDIATOR_KINDS: readonly MediatorKind[] = ['cja_certified', 'notary', 'professional'];
const MEDIATOR_KIND_PICK = buildPickTable([50, 20, 30]);

/** 12345 → "12,345" (the notarial style of the brief; locale-independent). */
function withThousandsSeparator(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function personName(random: RandomStream): { fullName: string; given: NameEntry; paternal: NameEntry; maternal: NameEntry } {
  const female = random.next() < 0.5;
  const given = female ? FEMALE_NAMES[random.int(FEMALE_NAMES.length)]! : MALE_NAMES[random.int(MALE_NAMES.length)]!;
  const paternal = SURNAME_ENTRIES[random.int(SURNAME_ENTRIES.length)]!;
  const maternal = SURNAME_ENTRIES[random.int(SURNAME_ENTRIES.length)]!;
  return { fullName: `${given.display} ${paternal.display} ${maternal.display}`, given, paternal, maternal };
}

function companyRfc(name: string, incorporatedIso: string, random: RandomStream): string {
  // Three letters from the words after "Agencia de Soluciones" (SAT rules simplified).
  const words = foldAscii(name.toUpperCase())
    .replace(/,.*$/, '')
    .replace(/^AGENCIA DE SOLUCIONES\s*/, '')
    .split(/[\s-]+/)
    .filter((word) => word.length > 0 && !NAME_PARTICLES.has(word));
  const letters = `A${words.map((word) => word.charAt(0)).join('')}XX`.slice(0, 3);
  const body = letters + incorporatedIso.slice(2, 4) + incorporatedIso.slice(5, 7) + incorporatedIso.slice(8, 10) +
    HOMOCLAVE.charAt(random.int(HOMOCLAVE.length)) + HOMOCLAVE.charAt(random.int(HOMOCLAVE.length));
  return body + rfcCheckDigit(body);
}

/**
 * Agencies (~20), the delegations each serves (2–5; every delegation ≥ 2 agencies, those with
 * more than 8 M inhabitants ≥ 3), mediators (4–10 per agency) and representatives (3–6 per agency). Ids start at 1.
 * Monthly capacity totals ≈ 1.2 × the eligible credits expected for `expectedCredits`, with four
 * "tight" delegations whose share falls below demand: the allocation (ASG-4, allocateCapacity)
 * covers them with the room their agencies have left in their other delegations.
 */
export function generateReferenceData(options: ReferenceDataOptions): DemoReferenceData {
  const seed = options.seed >>> 0;
  const expectedCredits = options.expectedCredits ?? 20_000;
  if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer: ${options.seed}`);
  if (!Number.isFinite(expectedCredits) || expectedCredits < 0) throw new RangeError(`expectedCredits must be ≥ 0: ${expectedCredits}`);
  const asOf = parseIsoDate(options.asOf, 'asOf');
  const random = createStream();
  random.reset(seed, 0x7fff_0001); // streams disjoint from the credits' row streams in practice

  const byCode = new Map(DELEGATIONS.map((delegation) => [delegation.code, delegation]));
  const chain = REGIONAL_ORDER.map((code) => byCode.get(code)!);
  const positions = chain.length;

  // 1. Contiguous windows along the chain, then repair coverage.
  const served: number[][] = [];
  for (let a = 0; a < AGENCY_COUNT; a++) {
    const start = Math.round((a * positions) / AGENCY_COUNT);
    const length = a === 0 ? 3 : WINDOW_LENGTHS[random.int(WINDOW_LENGTHS.length)]!;
    served.push(Array.from({ length }, (_, k) => (start + k) % positions));
  }
  const coverage = (position: number): number => served.filter((list) => list.includes(position)).length;
  const minimumAgencies = (position: number): number => (chain[position]!.population > 8_000_000 ? 3 : 2);
  for (let position = 0; position < positions; position++) {
    while (coverage(position) < minimumAgencies(position)) {
      // The agency whose window ends closest before this position and can still take one more.
      let best = -1;
      let bestDistance = Infinity;
      served.forEach((list, agency) => {
        if (list.length >= 5 || list.includes(position)) return;
        const end = list[list.length - 1]!;
        const distance = (position - end + positions) % positions;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = agency;
        }
      });
      if (best < 0) throw new Error('cannot cover every delegation with the agencies available');
      served[best]!.push(position);
    }
  }

  // 2. Capacity: each agency gets its fair share of the eligible demand of its delegations,
  //    scaled by the delegation's slack; four tight delegations get 0.8 instead of ~1.25.
  const totalPopulation = DELEGATIONS.reduce((sum, delegation) => sum + delegation.population, 0);
  const expectedEligible = expectedCredits * EXPECTED_ELIGIBLE_SHARE;
  const tightPositions = new Set<number>();
  while (tightPositions.size < 4) tightPositions.add(1 + random.int(positions - 1)); // never CDMX
  const rawCapacity = served.map((list) =>
    list.reduce((sum, position) => {
      const demand = (expectedEligible * chain[position]!.population) / totalPopulation;
      const slack = tightPositions.has(position) ? 0.8 : 1.15 + random.next() * 0.2;
      return sum + (demand * slack) / coverage(position);
    }, 0),
  );
  const rawTotal = rawCapacity.reduce((sum, value) => sum + value, 0);
  const scale = rawTotal > 0 ? (1.2 * expectedEligible) / rawTotal : 0;

  const agencies: AgencyRow[] = [];
  const agencyDelegations: AgencyDelegationRow[] = [];
  const rfcs = new Set<string>();
  served.forEach((list, a) => {
    const id = a + 1;
    const code = `AS${String(id).padStart(2, '0')}`;
    const name = AGENCY_NAMES[a]!;
    const incorporated = isoFromEpochDay(Date.UTC(2004 + random.int(15), random.int(12), 1 + random.int(28)) / MS_PER_DAY);
    let rfc = companyRfc(name, incorporated, random);
    while (rfcs.has(rfc)) rfc = companyRfc(name, incorporated, random);
    rfcs.add(rfc);
    const lada = STATE_PROFILES[chain[list[0]!]!.id - 1]!.lada;
    agencies.push({
      id,
      code,
      name,
      rfc,
      contactEmail: `contacto.${code.toLowerCase()}@example.com`,
      contactPhone: fakePhone(lada, 100 + (id % 100)),
      monthlyCapacity: Math.round(rawCapacity[a]! * scale),
      active: true,
    });
    for (const position of [...list].sort((x, y) => chain[x]!.id - chain[y]!.id)) {
      agencyDelegations.push({ agencyId: id, delegationId: chain[position]!.id });
    }
  });

  // 3. Mediators: CJA-certified (certificate valid 5 years, LGMASC art. 43; some expired),
  //    notaries, professionals; app licences "GM-000123" (a few pending = null).
  const mediators: MediatorRow[] = [];
  const licenceBase = 100 + random.int(800);
  served.forEach((list, a) => {
    const agencyId = a + 1;
    const count = 4 + random.int(7);
    for (let m = 0; m < count; m++) {
      const id = mediators.length + 1;
      const person = personName(random);
      const delegation = chain[list[random.int(list.length)]!]!;
      // The first mediator of the first agency is a valid CJA mediator (demo login mediador.as01.1).
      const kind = agencyId === 1 && m === 0 ? 'cja_certified' : MEDIATOR_KINDS[MEDIATOR_KIND_PICK[random.u32() >>> 16]!]!;
      let certificationNumber: string | null = null;
      let certificationExpiresOn: string | null = null;
      let notaryNumber: string | null = null;
      if (kind === 'cja_certified') {
        const yearsAgo = agencyId === 1 && m === 0 ? 1 : random.int(7); // 5-year certificates: 5–6 years ago → expired
        const issuedDay = asOf.epochDay - yearsAgo * 365 - random.int(300);
        const issuedYear = Number(isoFromEpochDay(issuedDay).slice(0, 4));
        certificationNumber = `CJA-${delegation.code}-${issuedYear}-${String(1 + random.int(9999)).padStart(4, '0')}`;
        certificationExpiresOn = isoFromEpochDay(issuedDay + Math.round(5 * 365.25));
      } else if (kind === 'notary') {
        notaryNumber = `Notaría ${1 + random.int(250)} de ${delegation.state}`;
      }
      const pendingLicence = !(agencyId === 1 && m === 0) && random.next() < 0.1;
      mediators.push({
        id,
        agencyId,
        fullName: person.fullName,
        kind,
        certificationNumber,
        certificationExpiresOn,
        notaryNumber,
        appLicenceNumber: pendingLicence ? null : `GM-${String(licenceBase + id).padStart(6, '0')}`,
        email: `${person.given.mail}.${person.paternal.mail}.m${id}@example.com`,
        phone: fakePhone(STATE_PROFILES[delegation.id - 1]!.lada, 100 + (id % 100)),
        active: agencyId === 1 && m === 0 ? true : random.next() >= 0.05,
      });
    }
  });

  // 4. Representatives: at least one per (agency, delegation), the first of each with legal
  //    powers (needed for RATIFIED convenios), the rest 60%.
  const representatives: RepresentativeRow[] = [];
  agencies.forEach(({ id: agencyId }) => {
    const ordered = agencyDelegations.filter((row) => row.agencyId === agencyId).map((row) => row.delegationId);
    // CDMX first (AS01 serves it) so the demo representative sits where the demo manager does.
    ordered.sort((x, y) => (x === 9 ? -1 : y === 9 ? 1 : x - y));
    const count = Math.max(ordered.length, 3 + random.int(4));
    for (let r = 0; r < count; r++) {
      const id = representatives.length + 1;
      const delegationId = ordered[r % ordered.length]!;
      const delegation = DELEGATIONS[delegationId - 1]!;
      const person = personName(random);
      const hasLegalPowers = r < ordered.length || random.next() < 0.6;
      let powerOfAttorney: string | null = null;
      if (hasLegalPowers) {
        const deedDay = asOf.epochDay - 60 - random.int(6 * 365);
        const deedNumber = withThousandsSeparator(1_000 + random.int(89_000));
        powerOfAttorney = `Escritura ${deedNumber} del ${spanishLongDate(isoFromEpochDay(deedDay))}, Notaría ${1 + random.int(250)} de ${delegation.state}`;
      }
      representatives.push({
        id,
        agencyId,
        delegationId,
        fullName: person.fullName,
        email: `${person.given.mail}.${person.paternal.mail}.r${id}@example.com`,
        phone: fakePhone(STATE_PROFILES[delegationId - 1]!.lada, 100 + (id % 100)),
        hasLegalPowers,
        powerOfAttorney,
        active: true,
      });
    }
  });

  return {
    delegations: DELEGATIONS.map((delegation) => ({ ...delegation })),
    agencies,
    agencyDelegations,
    mediators,
    representatives,
  };
}

// ------------------------------------------------------------------------------------------------
// Demo users

/** The logins worth printing at start-up (all use DEMO_PASSWORD). */
export const DEMO_LOGINS: ReadonlyArray<{ username: string; role: Role; description: string }> = Object.freeze([
  { username: 'gmc', role: 'mediation_office', description: 'Gerencia de Mediación y Convenios: criterios de exclusión, plazos y supervisión' },
  { username: 'operacion', role: 'operations', description: 'Operación de Soluciones: etiquetado y asignación mensual' },
  { username: 'gerente.cdmx', role: 'regional_manager', description: 'Gerente de Cobranza de la Delegación Regional Ciudad de México' },
  { username: 'agencia.as01', role: 'agency', description: 'Agencia de Soluciones AS01: distribución de casos y reportes' },
  { username: 'asesor.as01.1', role: 'field_agent', description: 'Asesor de Soluciones de la agencia AS01: visitas domiciliarias' },
  { username: 'mediador.as01.1', role: 'mediator', description: 'Mediador certificado (CJA) de la agencia AS01' },
  { username: 'representante', role: 'representative', description: 'Representante del Infonavit con poderes legales' },
  { username: 'acreditado1', role: 'borrower', description: 'Acreditado: su crédito, estado de cuenta y soluciones' },
  { username: 'archivo', role: 'archive', description: 'Archivo Nacional de Expedientes de Crédito (ANEC): acuse de recibo de los expedientes enviados' },
  { username: 'auditor', role: 'auditor', description: 'Control interno: consulta y verificación de la bitácora' },
  { username: 'admin', role: 'admin', description: 'Administración de usuarios y catálogos' },
]);

/** A deterministic person name for a username (staff have no seed of their own). */
function staffName(username: string): { fullName: string } {
  let hash = 0x811c9dc5;
  for (let i = 0; i < username.length; i++) hash = Math.imul(hash ^ username.charCodeAt(i), 0x01000193);
  const random = createStream();
  random.reset(hash >>> 0, 0x7fff_0002);
  return personName(random);
}

/**
 * One user per role and scope for a compact demo, all with DEMO_PASSWORD: the national roles,
 * a regional manager per delegation (gerente.<code>), per agency an agency user, two field agents
 * and a user per mediator (mediador.<agency>.<n>), one representative and two borrowers bound to
 * the first two sample credit numbers (fewer if fewer are given), named after their borrowers
 * when `sampleBorrowerNames` is given.
 */
export function demoUsers(
  reference: DemoReferenceData,
  options: { sampleCreditNumbers: string[]; /** the borrowers' names, same order (optional) */ sampleBorrowerNames?: string[] },
): DemoUser[] {
  const users: DemoUser[] = [];
  const add = (user: Omit<DemoUser, 'password' | 'email' | 'fullName'> & { fullName?: string }): void => {
    users.push({
      ...user,
      fullName: user.fullName ?? staffName(user.username).fullName,
      email: `${user.username}@example.com`,
      password: DEMO_PASSWORD,
    });
  };

  add({ username: 'gmc', role: 'mediation_office' });
  add({ username: 'operacion', role: 'operations' });
  add({ username: 'recuperacion', role: 'specialized_recovery' });
  add({ username: 'archivo', role: 'archive' });
  add({ username: 'auditor', role: 'auditor' });
  add({ username: 'admin', role: 'admin' });
  for (const delegation of reference.delegations) {
    add({ username: `gerente.${delegation.code.toLowerCase()}`, role: 'regional_manager', delegationId: delegation.id });
  }
  for (const agency of reference.agencies) {
    const code = agency.code.toLowerCase();
    add({ username: `agencia.${code}`, role: 'agency', agencyId: agency.id });
    add({ username: `asesor.${code}.1`, role: 'field_agent', agencyId: agency.id });
    add({ username: `asesor.${code}.2`, role: 'field_agent', agencyId: agency.id });
    reference.mediators
      .filter((mediator) => mediator.agencyId === agency.id)
      .forEach((mediator, n) => {
        add({ username: `mediador.${code}.${n + 1}`, role: 'mediator', fullName: mediator.fullName, agencyId: agency.id, mediatorId: mediator.id });
      });
  }
  const representative =
    reference.representatives.find((candidate) => candidate.hasLegalPowers && candidate.active) ?? reference.representatives[0];
  if (representative) {
    add({
      username: 'representante',
      role: 'representative',
      fullName: representative.fullName,
      agencyId: representative.agencyId,
      delegationId: representative.delegationId,
      representativeId: representative.id,
    });
  }
  options.sampleCreditNumbers.slice(0, 2).forEach((creditNumber, n) => {
    const fullName = options.sampleBorrowerNames?.[n];
    add({ username: `acreditado${n + 1}`, role: 'borrower', creditNumber, ...(fullName ? { fullName } : {}) });
  });
  return users;
}
