/**
 * Exact money: integer cents. `bigint` where sums can be large, `number` (a safe integer) at the
 * JSON boundary. No binary floating point ever touches an amount.
 */
export type Cents = bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Parses "1234.56", "1234.5", "1234" or "-0.07" into cents; throws on anything else. */
export function parsePesos(text: string): Cents {
  const match = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`Not an amount in pesos: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  const cents = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign ? -cents : cents;
}

/** "$1,234,567.89" in es-MX style. */
export function formatPesos(cents: Cents | number): string {
  const value = BigInt(cents);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const whole = (absolute / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (absolute % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}$${whole}.${fraction}`;
}

/** Plain decimal text "1234567.89" (for CSV and spreadsheets). */
export function centsToDecimalText(cents: Cents | number): string {
  const value = BigInt(cents);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  return `${negative ? '-' : ''}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

/** A bigint amount as a JSON-safe number; throws if it would lose precision. */
export function centsToNumber(cents: Cents | string | number): number {
  const value = BigInt(cents);
  if (value > MAX_SAFE || value < -MAX_SAFE) throw new RangeError(`Amount too large for JSON number: ${value}`);
  return Number(value);
}

/**
 * cents × numerator / denominator, rounded half away from zero — for percentages and rates
 * expressed as integer ratios (e.g. 25% = 25/100, 8.5% = 850/10000).
 */
export function mulDivRound(cents: Cents, numerator: bigint, denominator: bigint): Cents {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const product = cents * numerator;
  const negative = product < 0n;
  const absolute = negative ? -product : product;
  const rounded = (absolute * 2n + denominator) / (2n * denominator);
  return negative ? -rounded : rounded;
}
