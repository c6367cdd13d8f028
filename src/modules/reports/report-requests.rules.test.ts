/**
 * The report requests' pure rules (Guía acts. 32–34; SPEC §5 DL-17): who takes each step, from
 * which status, with which text, and the office's 10-day window for a clarification.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_POLICY, type DeadlinePolicy } from '../deadlines/deadlines.rules.js';
import { activityOf, availableReportRequestActions, decideReportRequest, type ReportRequestActor, type ReportRequestFacts } from './report-requests.rules.js';

const OFFICE: ReportRequestActor = { role: 'mediation_office', agencyId: null, delegationId: null };
const AGENCY: ReportRequestActor = { role: 'agency', agencyId: 7, delegationId: null };
const OTHER_AGENCY: ReportRequestActor = { role: 'agency', agencyId: 8, delegationId: null };
const MANAGER: ReportRequestActor = { role: 'regional_manager', agencyId: null, delegationId: 14 };
const REQUESTED: ReportRequestFacts = { kind: 'agency', agencyId: 7, delegationId: null, status: 'requested', dl17RequestDueOn: null };
const DELIVERED: ReportRequestFacts = { ...REQUESTED, status: 'delivered', dl17RequestDueOn: '2026-12-04' };
const TEXT = { text: 'Explique las cifras del inciso iv.' };
const policy = DEFAULT_DEADLINE_POLICY;

describe('acts. 32–34 — who takes each step', () => {
  it('act. 32: the agency of the request delivers REP-1; another agency, the office or a DR manager cannot', () => {
    expect(decideReportRequest(REQUESTED, 'deliver', {}, AGENCY, '2026-12-01', policy)).toEqual({ ok: true, to: 'delivered' });
    for (const actor of [OTHER_AGENCY, OFFICE, MANAGER]) {
      expect(decideReportRequest(REQUESTED, 'deliver', {}, actor, '2026-12-01', policy)).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'act. 32' });
    }
  });

  it('act. 34: the DR manager of the delegación delivers REP-2, not another one', () => {
    const region: ReportRequestFacts = { kind: 'region', agencyId: null, delegationId: 14, status: 'requested', dl17RequestDueOn: null };
    expect(decideReportRequest(region, 'deliver', {}, MANAGER, '2026-12-01', policy)).toEqual({ ok: true, to: 'delivered' });
    expect(decideReportRequest(region, 'deliver', {}, { ...MANAGER, delegationId: 15 }, '2026-12-01', policy)).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'act. 34' });
    expect(activityOf('region', 'request_clarification')).toBe('act. 34');
    expect(activityOf('agency', 'request_clarification')).toBe('act. 33');
  });

  it('act. 33: the office asks, the agency answers, the office closes — each from its status only, with a text where one is due', () => {
    expect(decideReportRequest(DELIVERED, 'request_clarification', TEXT, OFFICE, '2026-11-30', policy)).toEqual({ ok: true, to: 'clarification_requested' });
    expect(decideReportRequest(DELIVERED, 'request_clarification', { text: 'no' }, OFFICE, '2026-11-30', policy)).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(decideReportRequest(DELIVERED, 'request_clarification', TEXT, AGENCY, '2026-11-30', policy)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const asked = { ...DELIVERED, status: 'clarification_requested' as const };
    expect(decideReportRequest(asked, 'answer_clarification', TEXT, AGENCY, '2026-12-09', policy)).toEqual({ ok: true, to: 'clarified' });
    expect(decideReportRequest(asked, 'answer_clarification', {}, AGENCY, '2026-12-09', policy)).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(decideReportRequest(asked, 'close', {}, OFFICE, '2026-12-09', policy)).toMatchObject({ ok: false, code: 'FORBIDDEN_TRANSITION' });
    expect(decideReportRequest({ ...asked, status: 'clarified' }, 'close', {}, OFFICE, '2026-12-09', policy)).toEqual({ ok: true, to: 'closed' });
    expect(decideReportRequest(DELIVERED, 'close', {}, OFFICE, '2026-12-20', policy)).toEqual({ ok: true, to: 'closed' });
    expect(decideReportRequest({ ...DELIVERED, status: 'closed' }, 'request_clarification', TEXT, OFFICE, '2026-11-30', policy)).toMatchObject({ ok: false, code: 'FORBIDDEN_TRANSITION' });
  });
});

describe('DL-17 — the office asks for clarifications within 10 days of receipt', () => {
  it('DL-17: the last day of the window is accepted; the next one is refused naming DL-17 and its term', () => {
    expect(decideReportRequest(DELIVERED, 'request_clarification', TEXT, OFFICE, '2026-12-04', policy)).toEqual({ ok: true, to: 'clarification_requested' });
    const late = decideReportRequest(DELIVERED, 'request_clarification', TEXT, OFFICE, '2026-12-05', policy);
    expect(late).toEqual({
      ok: false,
      code: 'FORBIDDEN_TRANSITION',
      rule: 'DL-17',
      message: 'Las aclaraciones al informe se solicitan dentro de los 10 días naturales siguientes a la recepción del informe: el plazo venció el 04/12/2026 (DL-17).',
    });
    const business: DeadlinePolicy = { ...policy, 'DL-17.request': { ...policy['DL-17.request'], unit: 'business' } };
    expect(decideReportRequest(DELIVERED, 'request_clarification', TEXT, OFFICE, '2026-12-05', business)).toMatchObject({ message: expect.stringMatching(/10 días hábiles/) });
  });

  it('DL-17: the screen offers the clarification while the window is open, and only closing after it', () => {
    expect(availableReportRequestActions(DELIVERED, OFFICE, '2026-12-04', policy)).toEqual(['request_clarification', 'close']);
    expect(availableReportRequestActions(DELIVERED, OFFICE, '2026-12-05', policy)).toEqual(['close']);
    expect(availableReportRequestActions(DELIVERED, AGENCY, '2026-12-04', policy)).toEqual([]);
    expect(availableReportRequestActions(REQUESTED, AGENCY, '2026-12-04', policy)).toEqual(['deliver']);
  });
});
