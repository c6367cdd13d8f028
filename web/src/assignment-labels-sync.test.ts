/**
 * The browser app keeps its own copy of the assignment vocabulary (web/ does not import server
 * modules): this test keeps both copies identical, so a screen never words an exclusion, a
 * convenio type or a segment differently from the rules (SPEC §3: EXC-1..10, ASG-3).
 */
import { describe, expect, it } from 'vitest';
import * as web from './assignment-labels';
import { CONVENIO_TYPE_LABELS, EXCLUSION_WORDING } from '../../src/modules/assignment/assignment.rules.js';
import { SEGMENT_LABELS } from '../../src/modules/portfolio/portfolio.labels.js';
import { EXCLUSION_RULE_IDS } from '../../src/modules/policy/policy.definitions.js';

describe('the browser app words the assignment as the rules do', () => {
  it('EXC-1..10, in order, with their wording', () => {
    expect(web.EXCLUSION_RULE_IDS).toEqual(EXCLUSION_RULE_IDS);
    expect(web.EXCLUSION_WORDING).toEqual(EXCLUSION_WORDING);
  });

  it('convenio types (ASG-3) and portfolio segments', () => {
    expect(web.CONVENIO_TYPE_LABELS).toEqual(CONVENIO_TYPE_LABELS);
    expect(web.SEGMENT_LABELS).toEqual(SEGMENT_LABELS);
  });
});
