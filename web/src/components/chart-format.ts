/**
 * Pure helpers of the dashboard charts (REP-5): how long a bar is and how a chart reads aloud.
 * The figures themselves (counts and exact rates such as "73.7 %") come formatted from the API,
 * which computes rates in integer arithmetic; a bar's length is geometry only, never a figure.
 */

/** The most of its track a bar may take: the value is written right after its end. */
export const BAR_TRACK_MAX_PERCENT = 80;
/** A non-zero value always shows a sliver. */
export const BAR_MIN_PERCENT = 0.5;

/**
 * The width of a bar, in percent of its track: `value` against `largest` (the longest bar, or the
 * whole a share is of), 0 for nothing, never less than a sliver for something, never more than
 * the track's maximum.
 */
export function barWidthPercent(value: number, largest: number): number {
  if (!(value > 0) || !(largest > 0)) return 0;
  return Math.max(BAR_MIN_PERCENT, (Math.min(value, largest) / largest) * BAR_TRACK_MAX_PERCENT);
}

/** Two decimals, dot separator, no grouping: what CSS reads (a width, not an amount). */
const CSS_PERCENT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });

/** The CSS width of a bar: "60.00%". */
export function barWidthStyle(value: number, largest: number): string {
  return `${CSS_PERCENT.format(barWidthPercent(value, largest))}%`;
}

/**
 * What a chart says to a screen reader (its aria-label): the title, then each bar's label and
 * value — "Embudo de mediación, agosto de 2026: Susceptibles de mediación, 20; Mediación
 * ofrecida, 15 (75.0 % de la etapa anterior)." The table under the chart has every figure.
 */
export function chartDescription(title: string, items: ReadonlyArray<{ label: string; valueText: string }>): string {
  if (items.length === 0) return `${title}: sin datos.`;
  return `${title}: ${items.map((item) => `${item.label}, ${item.valueText}`).join('; ')}.`;
}

/** A rate as shown, or the word for "not applicable" when the API gives none. */
export function rateText(rate: { display: string } | null | undefined, none = '—'): string {
  return rate ? rate.display : none;
}
