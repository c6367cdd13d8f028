/**
 * The browser app keeps its own copy of the case vocabulary (web/ does not import server modules):
 * this test keeps both copies identical, so a screen never names a state, cause or checklist item
 * differently from the rules (SPEC §4: NS-1..3, NR-1..5, CHK-1..10).
 */
import { describe, expect, it } from 'vitest';
import * as web from './case-labels';
import * as webDeadlines from './deadline-labels';
import { DEADLINE_ANCHOR_OF, DEADLINE_KEYS, DEADLINE_KIND, DEADLINE_SUBJECT, DAY_UNITS, timingPhrase } from '../../src/modules/deadlines/deadlines.rules.js';
import { SOLUTION_NAMES } from '../../src/modules/solutions/solutions.rules.js';
import {
  CASE_STATE_LABELS,
  CHECKLIST_LABELS,
  NOT_SCHEDULED_CAUSE_LABELS,
  REFUSAL_TO_SIGN_CAUSE_LABELS,
  TERMINAL_STATES,
} from '../../src/modules/mediation/mediation.rules.js';

describe('the browser app names the case vocabulary as the rules do', () => {
  it('states and terminal states', () => {
    expect(web.CASE_STATE_LABELS).toEqual(CASE_STATE_LABELS);
    expect([...web.TERMINAL_STATES].sort()).toEqual([...TERMINAL_STATES].sort());
  });

  it('NS-1..3, NR-1..5 and CHK-1..10', () => {
    expect(web.NOT_SCHEDULED_CAUSE_LABELS).toEqual(NOT_SCHEDULED_CAUSE_LABELS);
    expect(web.REFUSAL_TO_SIGN_CAUSE_LABELS).toEqual(REFUSAL_TO_SIGN_CAUSE_LABELS);
    expect(web.CHECKLIST_LABELS).toEqual(CHECKLIST_LABELS);
  });

  it('solutions SOL-1..5', () => {
    expect(web.SOLUTION_NAMES).toEqual(SOLUTION_NAMES);
  });

  it('deadlines DL-1..18 and SL-1: keys, subjects and kinds', () => {
    expect(webDeadlines.DEADLINE_KEYS).toEqual([...DEADLINE_KEYS]);
    expect(webDeadlines.DEADLINE_SUBJECT).toEqual(DEADLINE_SUBJECT);
    expect(webDeadlines.DEADLINE_KIND).toEqual(DEADLINE_KIND);
  });

  it('deadlines: the timing phrase of every rule, amount and unit', () => {
    for (const key of DEADLINE_KEYS) {
      for (const unit of DAY_UNITS) {
        for (const amount of [0, 1, 2, 15, 32]) {
          expect(webDeadlines.timingPhrase(key, DEADLINE_ANCHOR_OF[key], amount, unit), `${key} ${amount} ${unit}`).toBe(timingPhrase(key, { amount, unit }));
        }
      }
    }
  });
});
