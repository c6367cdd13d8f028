/**
 * The convenio's rules, pure (acts. 22–27, CNV-4, CNV-5, SL-1): who may do what from which status,
 * with which guard, each refusal naming its rule.
 */
import { describe, expect, it } from 'vitest';
import {
  availableConvenioActions,
  breaksOn,
  confirmedFirstPaymentDueOn,
  CONVENIO_ACTIONS,
  CONVENIO_TRANSITIONS,
  decideConvenio,
  explainBroken,
  meetsSl1,
  type ConvenioActor,
  type ConvenioFacts,
} from './convenios.rules.js';

const FACTS: ConvenioFacts = {
  status: 'signed',
  convenioType: 'RATIFIED',
  delegationId: 21,
  mediatorId: 7,
  signedOn: '2026-11-10',
  submittedOn: null,
  correctionsRequestedOn: null,
  approvedOn: null,
  cjaRegisteredOn: null,
  documentsUploadedOn: { signed_convenio: '2026-11-10', borrower_id: '2026-11-10' },
};
const MEDIATOR: ConvenioActor = { role: 'mediator', delegationId: null, mediatorId: 7 };
const MANAGER: ConvenioActor = { role: 'regional_manager', delegationId: 21, mediatorId: null };
const TODAY = '2026-11-12';

describe('acts. 22–27: who, from where, with which guard', () => {
  const cases: Array<{ name: string; facts?: Partial<ConvenioFacts>; action: (typeof CONVENIO_ACTIONS)[number]; actor: ConvenioActor; input?: object; expected: string | { code: string; rule: string; message?: RegExp } }> = [
    { name: 'act. 22: the mediator sends the scan and the ID', action: 'submit_documents', actor: MEDIATOR, expected: 'under_review' },
    { name: 'act. 22: both documents are needed', facts: { documentsUploadedOn: { signed_convenio: '2026-11-10' } }, action: 'submit_documents', actor: MEDIATOR, expected: { code: 'RULE', rule: 'act. 22', message: /identificación oficial/ } },
    { name: 'act. 22: only the mediator of the case', action: 'submit_documents', actor: { ...MEDIATOR, mediatorId: 8 }, expected: { code: 'OUT_OF_SCOPE', rule: 'SEC-2' } },
    { name: 'act. 22: not the DR manager', action: 'submit_documents', actor: MANAGER, expected: { code: 'FORBIDDEN_ROLE', rule: 'act. 22, act. 24' } },
    { name: 'act. 24: the DR asks for corrections with a reason', facts: { status: 'under_review' }, action: 'request_corrections', actor: MANAGER, input: { reason: 'La copia del convenio está incompleta.' }, expected: 'corrections_requested' },
    { name: 'act. 24: a reason of at least 10 characters', facts: { status: 'under_review' }, action: 'request_corrections', actor: MANAGER, input: { reason: 'mal' }, expected: { code: 'INVALID_INPUT', rule: 'act. 24' } },
    { name: 'act. 24: only the manager of the delegación (SEC-2)', facts: { status: 'under_review' }, action: 'approve', actor: { ...MANAGER, delegationId: 9 }, expected: { code: 'OUT_OF_SCOPE', rule: 'SEC-2' } },
    { name: 'act. 24: the answer needs a corrected document or an explanation', facts: { status: 'corrections_requested', correctionsRequestedOn: '2026-11-11' }, action: 'submit_documents', actor: MEDIATOR, expected: { code: 'RULE', rule: 'act. 24' } },
    { name: 'act. 24: a corrected document is an answer', facts: { status: 'corrections_requested', correctionsRequestedOn: '2026-11-11', documentsUploadedOn: { signed_convenio: '2026-11-10', borrower_id: '2026-11-12' } }, action: 'submit_documents', actor: MEDIATOR, expected: 'under_review' },
    { name: 'act. 24: an explanation is an answer', facts: { status: 'corrections_requested', correctionsRequestedOn: '2026-11-11' }, action: 'submit_documents', actor: MEDIATOR, input: { note: 'La identificación es la misma; se adjuntó por ambos lados.' }, expected: 'under_review' },
    { name: 'act. 25: the DR approves what is under review', facts: { status: 'under_review' }, action: 'approve', actor: MANAGER, expected: 'approved' },
    { name: 'act. 25: not before the documents arrive', action: 'approve', actor: MANAGER, expected: { code: 'INVALID_STATE', rule: 'act. 25' } },
    { name: 'act. 25: not the mediator', facts: { status: 'under_review' }, action: 'approve', actor: MEDIATOR, expected: { code: 'FORBIDDEN_ROLE', rule: 'act. 25' } },
    { name: 'act. 27: a RATIFIED convenio is registered after approval', facts: { status: 'approved', approvedOn: '2026-11-11' }, action: 'record_cja_registration', actor: MEDIATOR, input: { centre: 'CJA Puebla', registrationNumber: '42', registeredOn: '2026-11-12' }, expected: 'approved' },
    { name: 'act. 27: only RATIFIED convenios', facts: { status: 'approved', approvedOn: '2026-11-11', convenioType: 'ADMINISTRATIVE' }, action: 'record_cja_registration', actor: MEDIATOR, input: { centre: 'CJA Puebla', registrationNumber: '42', registeredOn: '2026-11-12' }, expected: { code: 'RULE', rule: 'act. 27' } },
    { name: 'act. 27: not dated before the approval', facts: { status: 'approved', approvedOn: '2026-11-11' }, action: 'record_cja_registration', actor: MEDIATOR, input: { centre: 'CJA Puebla', registrationNumber: '42', registeredOn: '2026-11-10' }, expected: { code: 'RULE', rule: 'act. 27' } },
    { name: 'act. 27: not in the future', facts: { status: 'approved', approvedOn: '2026-11-11' }, action: 'record_cja_registration', actor: MEDIATOR, input: { centre: 'CJA Puebla', registrationNumber: '42', registeredOn: '2026-11-13' }, expected: { code: 'INVALID_INPUT', rule: 'act. 27' } },
    { name: 'act. 27: once', facts: { status: 'in_force', approvedOn: '2026-11-11', cjaRegisteredOn: '2026-11-12' }, action: 'record_cja_registration', actor: MEDIATOR, input: { centre: 'CJA Puebla', registrationNumber: '43', registeredOn: '2026-11-12' }, expected: { code: 'RULE', rule: 'act. 27' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = decideConvenio({ ...FACTS, ...c.facts }, c.action, (c.input ?? {}) as never, c.actor, TODAY);
      if (typeof c.expected === 'string') {
        expect(decision).toMatchObject({ ok: true, to: c.expected });
      } else {
        expect(decision).toMatchObject({ ok: false, code: c.expected.code, rule: c.expected.rule });
        if (c.expected.message && !decision.ok) expect(decision.message).toMatch(c.expected.message);
      }
    });
  }

  it('the screens offer exactly the actions the rules would allow the actor now', () => {
    expect(availableConvenioActions(FACTS, MEDIATOR)).toEqual(['submit_documents']);
    expect(availableConvenioActions({ ...FACTS, status: 'under_review' }, MANAGER)).toEqual(['request_corrections', 'approve']);
    expect(availableConvenioActions({ ...FACTS, status: 'under_review' }, { ...MANAGER, delegationId: 3 })).toEqual([]);
    expect(availableConvenioActions({ ...FACTS, status: 'approved', approvedOn: '2026-11-11' }, MEDIATOR)).toEqual(['record_cja_registration']);
    expect(availableConvenioActions({ ...FACTS, status: 'approved', convenioType: 'NOTARIAL' }, MEDIATOR)).toEqual([]);
    for (const action of CONVENIO_ACTIONS) expect(CONVENIO_TRANSITIONS[action].activity).toMatch(/^act\. 2[2-7]/);
  });
});

describe('SL-1 and CNV-5 dates', () => {
  it('SL-1: signed on or before the day-30 due date meets the service level', () => {
    expect(meetsSl1('2026-12-02', '2026-12-02')).toBe(true);
    expect(meetsSl1('2026-12-03', '2026-12-02')).toBe(false);
  });

  it('CNV-4: the approval confirms the deadline told at the signature, or moves it later when approved in a later month', () => {
    expect(confirmedFirstPaymentDueOn('2026-12-31', '2026-12-31')).toBe('2026-12-31');
    expect(confirmedFirstPaymentDueOn('2026-12-31', '2027-01-29')).toBe('2027-01-29');
    expect(confirmedFirstPaymentDueOn('2026-12-31', '2026-11-30')).toBe('2026-12-31');
  });

  it('CNV-5: a convenio breaks the day after its deadline, and the explanation names rule, amount and date', () => {
    expect(breaksOn('2026-12-31')).toBe('2027-01-01');
    expect(explainBroken('2026-12-31', '$1,234.50')).toBe(
      'CNV-5: convenio incumplido: no se recibió el primer pago de $1,234.50 (un único pago por la cantidad completa) a más tardar el 31/12/2026.',
    );
  });
});
