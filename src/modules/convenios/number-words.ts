/**
 * Spanish (es-MX) cardinal numbers in words, for the amounts a convenio must state "con número y
 * letra": `$1,234,567.89 (un millón doscientos treinta y cuatro mil quinientos sesenta y siete pesos
 * 89/100 M.N.)`. Pure; integers only (bigint), so no amount ever passes through floating point.
 *
 * Rules followed (RAE, *Ortografía* 2010 and *Nueva gramática* §21):
 * - 16–29 are written as one word: dieciséis, veintiuno, veintidós, veintitrés, veintiséis;
 *   from 31 on with "y": treinta y uno.
 * - 100 alone is "cien"; 101–199 "ciento …".
 * - "uno" shortens to "un" before a masculine noun and before "mil", "millón", "millones":
 *   "un peso", "veintiún pesos", "treinta y un mil", "un millón". Counting bare numbers keeps "uno".
 * - 1,000 is "mil" (never "un mil"); 1,000,000 is "un millón"; 10^9 is "mil millones";
 *   10^12 "un billón"; 10^18 "un trillón" (long scale).
 * - An exact number of millions takes "de" before the noun: "un millón de pesos",
 *   "dos millones de pesos", but "un millón un pesos".
 */

const UNITS = ['', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'];
const TEENS = ['diez', 'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve'];
const TWENTIES = [
  'veinte', 'veintiuno', 'veintidós', 'veintitrés', 'veinticuatro',
  'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve',
];
const TENS = ['', '', '', 'treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa'];
const HUNDREDS = [
  '', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos',
  'quinientos', 'seiscientos', 'setecientos', 'ochocientos', 'novecientos',
];
/** Long-scale names of 10^6, 10^12, 10^18, 10^24 (singular, plural). */
const SCALES: ReadonlyArray<readonly [string, string]> = [
  ['millón', 'millones'],
  ['billón', 'billones'],
  ['trillón', 'trillones'],
  ['cuatrillón', 'cuatrillones'],
];
const MILLION = 1_000_000n;

export interface NumberWordsOptions {
  /**
   * The number precedes a masculine noun ("pesos", "meses"): "uno" becomes "un"
   * (veintiún pesos, treinta y un meses). Default false (bare count: "veintiuno").
   */
  beforeNoun?: boolean;
  /**
   * The number counts a feminine noun ("mensualidades"): uno → una, veintiuno → veintiuna,
   * doscientos → doscientas (in the units group and its thousands: "doscientas mil").
   */
  feminine?: boolean;
}

type Form = 'full' | 'short' | 'feminine';

/** 1..999 in words: `short` applies the apocope uno → un, `feminine` uno → una and -ientos → -ientas. */
function belowThousand(n: number, form: Form): string {
  if (n === 100) return 'cien';
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const parts: string[] = [];
  if (hundreds > 0) parts.push(form === 'feminine' ? HUNDREDS[hundreds]!.replace(/ientos$/, 'ientas') : HUNDREDS[hundreds]!);
  if (rest > 0) {
    let words: string;
    if (rest < 10) words = UNITS[rest]!;
    else if (rest < 20) words = TEENS[rest - 10]!;
    else if (rest < 30) words = TWENTIES[rest - 20]!;
    else {
      const units = rest % 10;
      words = units === 0 ? TENS[Math.floor(rest / 10)]! : `${TENS[Math.floor(rest / 10)]!} y ${UNITS[units]!}`;
    }
    if (form === 'short') {
      if (words === 'veintiuno') words = 'veintiún';
      else if (words.endsWith('uno')) words = words.slice(0, -1);
    } else if (form === 'feminine' && words.endsWith('uno')) {
      words = `${words.slice(0, -1)}a`;
    }
    parts.push(words);
  }
  return parts.join(' ');
}

/** 1..999,999 in words. */
function belowMillion(n: number, form: Form): string {
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  const parts: string[] = [];
  if (thousands === 1) parts.push('mil');
  // "veintiún mil", "doscientas mil": the apocope before "mil" always; the feminine hundreds carry.
  else if (thousands > 1) {
    const multiplier = belowThousand(thousands, 'short');
    parts.push(`${form === 'feminine' ? multiplier.replace(/ientos\b/, 'ientas') : multiplier} mil`);
  }
  if (rest > 0) parts.push(belowThousand(rest, form));
  return parts.join(' ');
}

/**
 * A non-negative integer in Spanish words: 0 → "cero", 21 → "veintiuno" (or "veintiún" with
 * `beforeNoun`), 1000 → "mil", 2000000 → "dos millones". Throws RangeError for negatives and for
 * numbers of 10^30 or more.
 */
export function integerToSpanishWords(value: bigint | number, options: NumberWordsOptions = {}): string {
  const n = BigInt(value);
  if (n < 0n) throw new RangeError(`Negative numbers are not written in words here: ${n}`);
  if (n === 0n) return 'cero';
  const groups: number[] = []; // groups of six digits, least significant first
  for (let rest = n; rest > 0n; rest /= MILLION) groups.push(Number(rest % MILLION));
  if (groups.length > SCALES.length + 1) throw new RangeError(`Number too large to write in words: ${n}`);
  const parts: string[] = [];
  for (let index = groups.length - 1; index >= 0; index -= 1) {
    const group = groups[index]!;
    if (group === 0) continue;
    if (index === 0) {
      parts.push(belowMillion(group, options.feminine ? 'feminine' : options.beforeNoun ? 'short' : 'full'));
      continue;
    }
    const [singular, plural] = SCALES[index - 1]!;
    parts.push(group === 1 ? `un ${singular}` : `${belowMillion(group, 'short')} ${plural}`);
  }
  return parts.join(' ');
}

/**
 * An amount of pesos in words, in the form Mexican legal documents use after the figure:
 * "un millón doscientos treinta y cuatro mil quinientos sesenta y siete pesos 89/100 M.N.".
 * Cents in, non-negative.
 */
export function pesosInWords(cents: bigint): string {
  if (cents < 0n) throw new RangeError(`A negative amount cannot be written in words: ${cents}`);
  const pesos = cents / 100n;
  const fraction = (cents % 100n).toString().padStart(2, '0');
  const words = integerToSpanishWords(pesos, { beforeNoun: true });
  const exactMillions = pesos >= MILLION && pesos % MILLION === 0n;
  const noun = pesos === 1n ? 'peso' : 'pesos';
  return `${words}${exactMillions ? ' de' : ''} ${noun} ${fraction}/100 M.N.`;
}
