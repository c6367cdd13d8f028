/**
 * REP-5 dashboard charts: bar geometry and the text a screen reader hears.
 */
import { describe, expect, it } from 'vitest';
import { barWidthPercent, barWidthStyle, chartDescription, rateText } from './chart-format';

describe('REP-5 chart bars', () => {
  it('a bar is its value against the largest, within 80 % of the track', () => {
    expect(barWidthPercent(20, 20)).toBe(80);
    expect(barWidthPercent(15, 20)).toBe(60);
    expect(barWidthStyle(1, 3)).toBe('26.67%');
  });

  it('nothing draws nothing; something always a sliver; never past the track', () => {
    expect(barWidthPercent(0, 20)).toBe(0);
    expect(barWidthPercent(5, 0)).toBe(0);
    expect(barWidthPercent(1, 1_000_000)).toBe(0.5);
    expect(barWidthPercent(30, 20)).toBe(80);
    expect(barWidthPercent(Number.NaN, 20)).toBe(0);
  });
});

describe('REP-5 chart descriptions', () => {
  it('reads the title and every bar with its value', () => {
    expect(
      chartDescription('Embudo de mediación, agosto de 2026', [
        { label: 'Susceptibles de mediación', valueText: '20' },
        { label: 'Mediación ofrecida', valueText: '15 (75.0 % de la etapa anterior)' },
      ]),
    ).toBe('Embudo de mediación, agosto de 2026: Susceptibles de mediación, 20; Mediación ofrecida, 15 (75.0 % de la etapa anterior).');
    expect(chartDescription('Cumplimiento de SL-1', [])).toBe('Cumplimiento de SL-1: sin datos.');
  });

  it('shows a rate as the API formatted it, or a dash', () => {
    expect(rateText({ display: '66.7 %' })).toBe('66.7 %');
    expect(rateText(null)).toBe('—');
    expect(rateText(undefined, 'Base')).toBe('Base');
  });
});
