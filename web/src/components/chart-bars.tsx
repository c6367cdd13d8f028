import type { ReactNode } from 'react';
import { barWidthStyle } from './chart-format';

/**
 * The pieces of the dashboards' horizontal bar charts (pure CSS, no chart library), shared by the
 * assignment run summary (ASG-6) and the indicators (REP-5): a bar on its track with its value
 * written after it, a chart of such bars, and the table that scrolls on its own.
 */

/** One bar: decoration (aria-hidden) followed by its value as text. */
export function BarTrack({ value, largest, valueText, valueTestId }: { value: number; largest: number; valueText: ReactNode; valueTestId?: string }) {
  return (
    <span className="barchart__track">
      <span className="barchart__bar" aria-hidden="true" style={{ width: barWidthStyle(value, largest) }} />
      {/* The value shares the track with its bar and wraps between words on a phone instead of spilling out of the card. */}
      <span className="barchart__value" style={{ flex: '0 1 auto', minWidth: 0 }} data-testid={valueTestId}>
        {valueText}
      </span>
    </span>
  );
}

export interface Bar {
  key: string;
  label: ReactNode;
  value: number;
  valueText: string;
  /** What the bar is a share of (e.g. the convenios signed, for SL-1); by default the longest bar. */
  of?: number;
}

/**
 * A horizontal bar chart as one image for assistive technology: `description` (its aria-label)
 * says every bar; the data table that follows the chart holds every figure.
 */
export function HorizontalBarChart({ description, bars, testId }: { description: string; bars: readonly Bar[]; testId: string }) {
  const largest = Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <div className="chart barchart" role="img" aria-label={description} data-testid={testId}>
      {bars.map((bar) => (
        <div key={bar.key} className="barchart__row" data-testid={`${testId}-bar`} data-key={bar.key} data-value={bar.value}>
          <span className="barchart__label">{bar.label}</span>
          <span className="barchart__cell">
            <BarTrack value={bar.value} largest={bar.of ?? largest} valueText={bar.valueText} />
          </span>
        </div>
      ))}
    </div>
  );
}

/** A table that scrolls sideways on its own (never the page) when the screen is narrow. */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  // Focusable so that keyboard users can scroll it (WCAG 2.1.1).
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
