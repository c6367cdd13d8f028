/**
 * REP-5 indicator rules: exact rates, the query a scope may ask (SEC-2), where "tagged" comes
 * from, and the funnel's figures.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import type { Scope } from '../identity/identity.rules.js';
import {
  emptyStageCounts,
  formatRate,
  FUNNEL_STAGES,
  funnelFigures,
  monthsBetween,
  resolveIndicatorQuery,
  summaryAnswers,
  taggedFromSummary,
  type GroupBy,
  type IndicatorQuery,
} from './indicators.rules.js';

const NATIONAL: Scope = { kind: 'national' };
const DR: Scope = { kind: 'delegation', delegationId: 9 };
const AGENCY: Scope = { kind: 'agency', agencyId: 3 };
const MEDIATOR: Scope = { kind: 'mediator', agencyId: 3, mediatorId: 12 };

function refusal(work: () => unknown): { code: string; message: string } {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.userMessage };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('REP-5 exact rates', () => {
  it.each([
    [15, 20, '75.0 %'],
    [1, 3, '33.3 %'],
    [2, 3, '66.7 %'],
    [1, 8, '12.5 %'],
    [11, 12, '91.7 %'],
    [1, 2000, '0.1 %'], // 0.05 % rounds half up
    [1, 2001, '0.0 %'],
    [0, 7, '0.0 %'],
    [7, 7, '100.0 %'],
    [12345, 1, '1,234,500.0 %'],
    [0, 0, '—'],
  ])('%i / %i → %s', (numerator, denominator, expected) => {
    expect(formatRate(numerator, denominator)).toBe(expected);
  });

  it('rounds half up to one decimal for every count up to 10^12, in integer arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 1e12 }), (numerator, denominator) => {
        // The exact rational n/d·1000 rounded half up: compare 2·remainder with the denominator.
        const scaled = BigInt(numerator) * 1000n;
        const d = BigInt(denominator);
        const tenths = scaled / d + (2n * (scaled % d) >= d ? 1n : 0n);
        const text = formatRate(numerator, denominator);
        expect(text.replace(/,/g, '').replace(' %', '')).toBe(`${tenths / 10n}.${tenths % 10n}`);
      }),
    );
  });

  it('refuses counts that are not whole and non-negative', () => {
    expect(() => formatRate(1.5, 3)).toThrow(RangeError);
    expect(() => formatRate(-1, 3)).toThrow(RangeError);
  });
});

describe('REP-5 months', () => {
  it('lists every month of a range across a year end', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-08', '2026-08')).toEqual(['2026-08']);
  });

  it('defaults to the current month; one end given is the other too', () => {
    expect(resolveIndicatorQuery(NATIONAL, {}, '2026-11')).toMatchObject({ monthFrom: '2026-11', monthTo: '2026-11', groupBy: 'none', start: 'tagged' });
    expect(resolveIndicatorQuery(NATIONAL, { monthFrom: '2026-03' }, '2026-11')).toMatchObject({ monthFrom: '2026-03', monthTo: '2026-03' });
    expect(resolveIndicatorQuery(NATIONAL, { monthTo: '2026-05' }, '2026-11')).toMatchObject({ monthFrom: '2026-05', monthTo: '2026-05' });
  });

  it('refuses a reversed range and one longer than 36 months (400, Spanish)', () => {
    expect(refusal(() => resolveIndicatorQuery(NATIONAL, { monthFrom: '2026-09', monthTo: '2026-08' }, '2026-11'))).toEqual({
      code: 'VALIDATION',
      message: 'El mes inicial no puede ser posterior al mes final.',
    });
    expect(refusal(() => resolveIndicatorQuery(NATIONAL, { monthFrom: '2023-01', monthTo: '2026-01' }, '2026-11')).code).toBe('VALIDATION');
    expect(resolveIndicatorQuery(NATIONAL, { monthFrom: '2023-02', monthTo: '2026-01' }, '2026-11').monthFrom).toBe('2023-02');
  });
});

describe('SEC-2: the scope becomes the query', () => {
  it('a DR manager is held to his delegación, an agency to itself, a mediator to himself', () => {
    expect(resolveIndicatorQuery(DR, { agencyId: 5 }, '2026-11')).toMatchObject({ delegationId: 9, agencyId: 5, mediatorId: undefined });
    expect(resolveIndicatorQuery(AGENCY, { delegationId: 4 }, '2026-11')).toMatchObject({ delegationId: 4, agencyId: 3 });
    expect(resolveIndicatorQuery(MEDIATOR, {}, '2026-11')).toMatchObject({ mediatorId: 12, start: 'distributed' });
  });

  it('a filter outside the scope is refused (403), not answered with zeros', () => {
    expect(refusal(() => resolveIndicatorQuery(DR, { delegationId: 10 }, '2026-11')).code).toBe('FORBIDDEN');
    expect(refusal(() => resolveIndicatorQuery(AGENCY, { agencyId: 4 }, '2026-11')).message).toContain('SEC-2');
    expect(refusal(() => resolveIndicatorQuery(MEDIATOR, { mediatorId: 13 }, '2026-11')).code).toBe('FORBIDDEN');
    expect(resolveIndicatorQuery(DR, { delegationId: 9 }, '2026-11').delegationId).toBe(9);
  });

  it('scopes without indicators are refused', () => {
    for (const scope of [
      { kind: 'credit', creditNumber: '0000000001' },
      { kind: 'field_agent', agencyId: 3, userId: 1 },
      { kind: 'representative', representativeId: 1 },
    ] as Scope[]) {
      expect(refusal(() => resolveIndicatorQuery(scope, {}, '2026-11')).code).toBe('FORBIDDEN');
    }
  });

  it('REP-5: by mediator (filter, grouping or scope) the funnel starts at distribution', () => {
    expect(resolveIndicatorQuery(NATIONAL, { groupBy: 'mediator' }, '2026-11').start).toBe('distributed');
    expect(resolveIndicatorQuery(NATIONAL, { mediatorId: 1 }, '2026-11').start).toBe('distributed');
    expect(resolveIndicatorQuery(NATIONAL, { groupBy: 'agency' }, '2026-11').start).toBe('tagged');
  });
});

describe('REP-5 tagged: the run summary where it answers exactly', () => {
  const query = (over: Partial<IndicatorQuery>): IndicatorQuery => ({ monthFrom: '2026-11', monthTo: '2026-11', groupBy: 'none', start: 'tagged', ...over });
  const summary = {
    assigned: 100,
    byDelegation: [
      { delegationId: 1, assigned: 60 },
      { delegationId: 2, assigned: 40 },
      { delegationId: 3, assigned: 0 },
    ],
    byAgency: [
      { agencyId: 7, assigned: 70 },
      { agencyId: 8, assigned: 30 },
    ],
  };

  it.each<[string, Partial<IndicatorQuery>, boolean]>([
    ['national', {}, true],
    ['national by delegation', { groupBy: 'delegation' }, true],
    ['national by agency', { groupBy: 'agency' }, true],
    ['by month', { groupBy: 'month' }, true],
    ['one delegación', { delegationId: 1 }, true],
    ['one delegación by agency (not in the summary)', { delegationId: 1, groupBy: 'agency' }, false],
    ['one agency by delegación (not in the summary)', { agencyId: 7, groupBy: 'delegation' }, false],
    ['a delegación and an agency', { delegationId: 1, agencyId: 7 }, false],
    ['by mediator (no tagged stage)', { groupBy: 'mediator', start: 'distributed' }, false],
  ])('%s → %s', (_name, over, expected) => {
    expect(summaryAnswers(query(over))).toBe(expected);
  });

  it('reads the total, a delegación, an agency, or the groups (zero groups left out)', () => {
    expect([...taggedFromSummary(summary, '2026-11', query({}))]).toEqual([['total', 100]]);
    expect([...taggedFromSummary(summary, '2026-11', query({ groupBy: 'month' }))]).toEqual([['2026-11', 100]]);
    expect([...taggedFromSummary(summary, '2026-11', query({ delegationId: 2 }))]).toEqual([['total', 40]]);
    expect([...taggedFromSummary(summary, '2026-11', query({ agencyId: 8, groupBy: 'agency' }))]).toEqual([['8', 30]]);
    expect([...taggedFromSummary(summary, '2026-11', query({ groupBy: 'delegation' }))]).toEqual([
      ['1', 60],
      ['2', 40],
    ]);
  });
});

describe('REP-5 funnel figures', () => {
  const counts = { ...emptyStageCounts(), tagged: 20, offered: 15, accepted: 12, distributed: 11, scheduled: 8, held: 7, signed: 6, approved: 4, first_payment: 3, filed: 2, archived: 1 };

  it('each stage: its count, the conversion from the previous stage and from the first', () => {
    const figures = funnelFigures(counts, 'tagged');
    expect(figures.map((f) => f.stage)).toEqual([...FUNNEL_STAGES]);
    expect(figures[0]).toMatchObject({ count: 20, fromPrevious: null, fromStart: null });
    expect(figures[1]).toMatchObject({ count: 15, fromPrevious: { numerator: 15, denominator: 20, display: '75.0 %' } });
    expect(figures[3]!.fromPrevious!.display).toBe('91.7 %');
    expect(figures[10]).toMatchObject({ count: 1, fromPrevious: { display: '50.0 %' }, fromStart: { numerator: 1, denominator: 20, display: '5.0 %' } });
  });

  it('from distribution (by mediator): the earlier stages have no figure', () => {
    const figures = funnelFigures(counts, 'distributed');
    expect(figures.slice(0, 3).every((f) => f.count === null && f.fromPrevious === null)).toBe(true);
    expect(figures[3]).toMatchObject({ stage: 'distributed', count: 11, fromStart: null });
    expect(figures[6]).toMatchObject({ stage: 'signed', fromStart: { numerator: 6, denominator: 11, display: '54.5 %' } });
  });

  it('groups without a count at a stage give "—", never a division by zero', () => {
    const figures = funnelFigures(emptyStageCounts(), 'tagged');
    expect(figures[5]!.fromPrevious).toEqual({ numerator: 0, denominator: 0, display: '—' });
  });

  it('group-by values are the five of REP-5', () => {
    const values: GroupBy[] = ['none', 'delegation', 'agency', 'mediator', 'month'];
    for (const groupBy of values) expect(resolveIndicatorQuery(NATIONAL, { groupBy }, '2026-11').groupBy).toBe(groupBy);
  });
});
