/**
 * The pure rules of the case file (EXP-1..4, acts. 28–31 and 35–36, DL-13..16): the checklist for
 * each outcome × convenio type, the review loop's guards, the due dates, shipment readiness and the
 * calendar of the archive-progress report.
 */
import { describe, expect, it } from 'vitest';
import type { ConvenioType, DocumentType } from '../../db/schema.js';
import { DEFAULT_DEADLINE_POLICY, dueDateOf, MEXICAN_HOLIDAYS } from '../deadlines/deadlines.rules.js';
import {
  archiveReportAnchor,
  archiveReportSubject,
  availableCaseFileActions,
  canReportMonth,
  caseFileChecklist,
  caseFileDueDates,
  caseFileStatusLabel,
  caseOutcome,
  decideCaseFile,
  monthAfter,
  monthBefore,
  monthEnd,
  pendingDueDates,
  readyForShipment,
  requiresFeeValidation,
  serviceConcludes,
  shipmentFolio,
  type CaseFileActor,
  type CaseFileFacts,
  type ChecklistDocumentInput,
} from './casefiles.rules.js';

let nextId = 1;
function doc(documentType: DocumentType, version = 1, current = true, uploadedOn = '2026-11-12'): ChecklistDocumentInput {
  return { id: nextId++, documentType, documentTypeLabel: documentType, version, fileName: `${documentType}.pdf`, uploadedOn, current };
}

const EXP1_BASE: DocumentType[] = ['signed_convenio', 'acknowledgement', 'party_ids', 'confidentiality_agreement'];

describe('EXP-1 — checklist of a file with a signed convenio, per convenio type', () => {
  it.each<[ConvenioType, string[], DocumentType[]]>([
    ['RATIFIED', ['EXP-1.i', 'EXP-1.ii', 'EXP-1.iii', 'EXP-1.iv', 'EXP-1.v', 'EXP-1.vi'], ['cja_certificate', 'fee_payment_proof']],
    ['NOTARIAL', ['EXP-1.i', 'EXP-1.ii', 'EXP-1.iii', 'EXP-1.iv', 'EXP-1.v', 'EXP-1.vi'], ['fee_payment_proof']],
    ['ADMINISTRATIVE', ['EXP-1.i', 'EXP-1.ii', 'EXP-1.iii', 'EXP-1.v', 'EXP-1.vi'], []],
  ])('%s: items %j; (iv) needs %j', (type, ids, feeTypes) => {
    const empty = caseFileChecklist('signed', type, []);
    expect(empty.rule).toBe('EXP-1');
    expect(empty.items.map((i) => i.id)).toEqual(ids);
    // (vi) is listed, never required
    expect(empty.items.find((i) => i.id === 'EXP-1.vi')).toMatchObject({ required: false, satisfied: false });
    expect(empty.missing.map((m) => m.id)).toEqual(ids.filter((id) => id !== 'EXP-1.vi'));
    expect(empty.complete).toBe(false);

    const full = caseFileChecklist('signed', type, [...EXP1_BASE, ...feeTypes].map((t) => doc(t)));
    expect(full.complete).toBe(true);
    expect(full.missing).toEqual([]);
    if (feeTypes.length > 0) {
      const iv = full.items.find((i) => i.id === 'EXP-1.iv')!;
      expect(iv.documentTypes).toEqual(feeTypes);
      expect(iv.documents.map((d) => d.documentType)).toEqual(feeTypes);
      // each type of (iv) is required: one of them alone is not enough
      const partial = caseFileChecklist('signed', type, [...EXP1_BASE.map((t) => doc(t)), doc(feeTypes[feeTypes.length - 1]!)]);
      expect(partial.complete).toBe(feeTypes.length === 1);
    }
  });

  it('EXP-1 (iii): the borrower’s ID of act. 22 is not the IDs of the parties and the mediator; it counts as another document (vi)', () => {
    const checklist = caseFileChecklist('signed', 'ADMINISTRATIVE', [doc('signed_convenio'), doc('acknowledgement'), doc('borrower_id'), doc('confidentiality_agreement')]);
    expect(checklist.missing).toEqual([{ id: 'EXP-1.iii', label: 'Copia de las identificaciones oficiales de los mediados y del mediador' }]);
    expect(checklist.items.find((i) => i.id === 'EXP-1.vi')).toMatchObject({ satisfied: true, documents: [expect.objectContaining({ documentType: 'borrower_id' })] });
  });

  it('EXP-3: only the current version of a type counts, and the item lists that version', () => {
    const old = doc('party_ids', 1, false);
    const replaced = caseFileChecklist('signed', 'ADMINISTRATIVE', [...EXP1_BASE.filter((t) => t !== 'party_ids').map((t) => doc(t)), old]);
    expect(replaced.missing.map((m) => m.id)).toEqual(['EXP-1.iii']);
    const current = doc('party_ids', 2, true);
    const withCurrent = caseFileChecklist('signed', 'ADMINISTRATIVE', [...EXP1_BASE.filter((t) => t !== 'party_ids').map((t) => doc(t)), old, current]);
    expect(withCurrent.complete).toBe(true);
    expect(withCurrent.items.find((i) => i.id === 'EXP-1.iii')!.documents).toEqual([expect.objectContaining({ id: current.id, version: 2 })]);
  });
});

describe('EXP-2 — checklist of a file without convenio', () => {
  it.each<ConvenioType>(['RATIFIED', 'NOTARIAL', 'ADMINISTRATIVE'])('%s case: IDs and confidentiality agreement required, others optional', (type) => {
    const empty = caseFileChecklist('not_signed', type, []);
    expect(empty.rule).toBe('EXP-2');
    expect(empty.items.map((i) => [i.id, i.required])).toEqual([
      ['EXP-2.i', true],
      ['EXP-2.ii', true],
      ['EXP-2.iii', false],
    ]);
    expect(empty.missing.map((m) => m.id)).toEqual(['EXP-2.i', 'EXP-2.ii']);
    expect(caseFileChecklist('not_signed', type, [doc('party_ids'), doc('confidentiality_agreement')]).complete).toBe(true);
    // a signed convenio's documents are not asked of a file without convenio
    expect(caseFileChecklist('not_signed', type, [doc('party_ids')]).missing.map((m) => m.id)).toEqual(['EXP-2.ii']);
  });
});

describe('act. 28 — which cases call for a file', () => {
  it('EXP-1 when the convenio was signed; EXP-2 when the session was held without signature; none otherwise', () => {
    expect(caseOutcome({ state: 'signed', sessionHeldOn: '2026-11-12', hasConvenio: true })).toBe('signed');
    expect(caseOutcome({ state: 'refused_to_sign', sessionHeldOn: '2026-11-12', hasConvenio: false })).toBe('not_signed');
    expect(caseOutcome({ state: 'closed_no_agreement', sessionHeldOn: '2026-11-12', hasConvenio: false })).toBe('not_signed');
    expect(caseOutcome({ state: 'closed_no_agreement', sessionHeldOn: null, hasConvenio: false })).toBeNull();
    expect(caseOutcome({ state: 'session_held', sessionHeldOn: '2026-11-12', hasConvenio: false })).toBeNull();
    expect(caseOutcome({ state: 'closed_dl8', sessionHeldOn: null, hasConvenio: false })).toBeNull();
  });
});

const MEDIATOR: CaseFileActor = { role: 'mediator', delegationId: null, mediatorId: 7 };
const MANAGER: CaseFileActor = { role: 'regional_manager', delegationId: 9, mediatorId: null };
const TODAY = '2026-11-20';

function facts(overrides: Partial<CaseFileFacts> = {}): CaseFileFacts {
  const complete = { rule: 'EXP-1' as const, complete: true, missing: [] };
  return {
    status: 'building',
    outcome: 'signed',
    convenioType: 'ADMINISTRATIVE',
    delegationId: 9,
    mediatorId: 7,
    feeValidationRequired: false,
    signedOn: '2026-11-12',
    correctionsRequestedOn: null,
    certificatesReceivedOn: null,
    feeValidatedOn: null,
    serviceConcludedOn: null,
    checklist: complete,
    correctionsRequestedAt: null,
    lastUploadAt: '2026-11-12T18:00:00.000Z',
    documentTypes: EXP1_BASE,
    ...overrides,
  };
}

describe('acts. 28–30 — delivery, review, corrections (DL-13)', () => {
  it('act. 28: only the mediator of the case delivers, and only a complete file', () => {
    expect(decideCaseFile(facts(), 'submit', {}, MEDIATOR, TODAY)).toEqual({ ok: true, to: 'submitted', activity: 'act. 28' });
    expect(decideCaseFile(facts(), 'submit', {}, { ...MEDIATOR, mediatorId: 8 }, TODAY)).toMatchObject({ ok: false, code: 'OUT_OF_SCOPE', rule: 'SEC-2' });
    expect(decideCaseFile(facts(), 'submit', {}, { role: 'agency', delegationId: null, mediatorId: null }, TODAY)).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
    const missing = [{ id: 'EXP-1.iii', label: 'Copia de las identificaciones oficiales de los mediados y del mediador' }];
    const refused = decideCaseFile(facts({ checklist: { rule: 'EXP-1', complete: false, missing } }), 'submit', {}, MEDIATOR, TODAY);
    expect(refused).toMatchObject({ ok: false, code: 'INCOMPLETE', rule: 'EXP-1', missing });
    expect(refused.ok === false && refused.message).toContain('EXP-1.iii Copia de las identificaciones');
  });

  it('act. 30: the DR asks with a note; the answer brings a newer document or a clarification', () => {
    const submitted = facts({ status: 'submitted' });
    expect(decideCaseFile(submitted, 'request_corrections', { note: 'corto' }, MANAGER, TODAY)).toMatchObject({ ok: false, code: 'INVALID_INPUT', rule: 'act. 30' });
    expect(decideCaseFile(submitted, 'request_corrections', { note: 'Falta la firma del mediador en la identificación.' }, MANAGER, TODAY)).toEqual({ ok: true, to: 'corrections_requested', activity: 'act. 30' });
    expect(decideCaseFile(submitted, 'request_corrections', { note: 'Falta la firma del mediador.' }, { ...MANAGER, delegationId: 10 }, TODAY)).toMatchObject({ code: 'OUT_OF_SCOPE' });
    expect(decideCaseFile(submitted, 'request_corrections', { note: 'Falta la firma del mediador.' }, MEDIATOR, TODAY)).toMatchObject({ code: 'FORBIDDEN_ROLE' });

    const asked = facts({ status: 'corrections_requested', correctionsRequestedOn: '2026-11-19', correctionsRequestedAt: '2026-11-19T18:00:00.000Z', lastUploadAt: '2026-11-19T17:00:00.000Z' });
    expect(decideCaseFile(asked, 'submit', {}, MEDIATOR, TODAY)).toMatchObject({ ok: false, code: 'RULE', rule: 'act. 30' });
    expect(decideCaseFile(asked, 'submit', { note: 'La identificación ya es legible en el original.' }, MEDIATOR, TODAY)).toEqual({ ok: true, to: 'submitted', activity: 'act. 30' });
    expect(decideCaseFile({ ...asked, lastUploadAt: '2026-11-19T19:00:00.000Z' }, 'submit', {}, MEDIATOR, TODAY)).toEqual({ ok: true, to: 'submitted', activity: 'act. 30' });
    // the answer is offered even before its note is written
    expect(availableCaseFileActions(asked, MEDIATOR, TODAY)).toEqual(['submit']);
  });

  it('act. 29: the DR accepts a complete file; an incomplete one is refused with what is missing', () => {
    expect(decideCaseFile(facts({ status: 'submitted' }), 'accept', {}, MANAGER, TODAY)).toEqual({ ok: true, to: 'accepted', activity: 'act. 29' });
    const missing = [{ id: 'EXP-1.v', label: 'Convenio de confidencialidad' }];
    expect(decideCaseFile(facts({ status: 'submitted', checklist: { rule: 'EXP-1', complete: false, missing } }), 'accept', {}, MANAGER, TODAY)).toMatchObject({ code: 'INCOMPLETE', missing });
    expect(decideCaseFile(facts({ status: 'accepted' }), 'accept', {}, MANAGER, TODAY)).toMatchObject({ code: 'INVALID_STATE' });
    expect(availableCaseFileActions(facts({ status: 'submitted' }), MANAGER, TODAY)).toEqual(['request_corrections', 'accept']);
    expect(availableCaseFileActions(facts({ status: 'submitted' }), MEDIATOR, TODAY)).toEqual([]);
  });
});

describe('act. 31, DL-14 — fees of RATIFIED and NOTARIAL convenios', () => {
  it('DL-14: fee validation is required for RATIFIED and NOTARIAL signed files only', () => {
    expect(requiresFeeValidation('signed', 'RATIFIED')).toBe(true);
    expect(requiresFeeValidation('signed', 'NOTARIAL')).toBe(true);
    expect(requiresFeeValidation('signed', 'ADMINISTRATIVE')).toBe(false);
    expect(requiresFeeValidation('not_signed', 'RATIFIED')).toBe(false);
  });

  it('certificates are recorded once, with their documents, on a day not in the future; the validation follows them', () => {
    const ratified = facts({ status: 'accepted', convenioType: 'RATIFIED', feeValidationRequired: true, documentTypes: [...EXP1_BASE, 'cja_certificate', 'fee_payment_proof'] });
    expect(decideCaseFile(ratified, 'validate_fees', {}, MANAGER, TODAY)).toMatchObject({ code: 'RULE', rule: 'act. 31' });
    expect(decideCaseFile(ratified, 'record_certificates', { receivedOn: '2026-11-21' }, MANAGER, TODAY)).toMatchObject({ code: 'INVALID_INPUT' });
    expect(decideCaseFile(ratified, 'record_certificates', { receivedOn: '2026-11-11' }, MANAGER, TODAY)).toMatchObject({ code: 'INVALID_INPUT' });
    expect(decideCaseFile(ratified, 'record_certificates', { receivedOn: '2026-11-19' }, MANAGER, TODAY)).toEqual({ ok: true, to: 'accepted', activity: 'act. 31' });
    const withoutCertificate = { ...ratified, documentTypes: [...EXP1_BASE, 'fee_payment_proof' as const] };
    expect(decideCaseFile(withoutCertificate, 'record_certificates', { receivedOn: TODAY }, MANAGER, TODAY)).toMatchObject({ code: 'RULE', message: expect.stringContaining('CJA') });
    // a NOTARIAL file needs only the proof of the notary's fees
    expect(decideCaseFile({ ...withoutCertificate, convenioType: 'NOTARIAL' }, 'record_certificates', { receivedOn: TODAY }, MANAGER, TODAY)).toMatchObject({ ok: true });
    const received = { ...ratified, certificatesReceivedOn: '2026-11-19' };
    expect(decideCaseFile(received, 'record_certificates', { receivedOn: TODAY }, MANAGER, TODAY)).toMatchObject({ code: 'RULE' });
    expect(decideCaseFile(received, 'validate_fees', {}, MANAGER, TODAY)).toEqual({ ok: true, to: 'accepted', activity: 'act. 31' });
    expect(decideCaseFile({ ...received, feeValidatedOn: TODAY }, 'validate_fees', {}, MANAGER, TODAY)).toMatchObject({ code: 'RULE' });
    expect(decideCaseFile(facts({ status: 'accepted' }), 'record_certificates', { receivedOn: TODAY }, MANAGER, TODAY)).toMatchObject({ code: 'RULE', rule: 'act. 31' });
  });

  it('the service concludes once accepted and, where due, the fees validated', () => {
    expect(serviceConcludes({ status: 'accepted', feeValidationRequired: false, feeValidatedOn: null })).toBe(true);
    expect(serviceConcludes({ status: 'accepted', feeValidationRequired: true, feeValidatedOn: null })).toBe(false);
    expect(serviceConcludes({ status: 'accepted', feeValidationRequired: true, feeValidatedOn: TODAY })).toBe(true);
    expect(serviceConcludes({ status: 'submitted', feeValidationRequired: true, feeValidatedOn: TODAY })).toBe(false);
    expect(caseFileStatusLabel({ status: 'accepted', outcome: 'signed', feeValidationRequired: true, feeValidatedOn: null, serviceConcludedOn: null })).toMatch(/act\. 31/);
  });
});

describe('act. 35, DL-15 — digitisation of signed files', () => {
  it('only a signed file whose service concluded is digitised', () => {
    expect(decideCaseFile(facts({ status: 'accepted', serviceConcludedOn: TODAY }), 'mark_digitised', {}, MANAGER, TODAY)).toEqual({ ok: true, to: 'digitised', activity: 'act. 35' });
    expect(decideCaseFile(facts({ status: 'accepted', serviceConcludedOn: null }), 'mark_digitised', {}, MANAGER, TODAY)).toMatchObject({ code: 'RULE' });
    expect(decideCaseFile(facts({ status: 'accepted', outcome: 'not_signed', serviceConcludedOn: TODAY }), 'mark_digitised', {}, MANAGER, TODAY)).toMatchObject({ code: 'RULE', rule: 'act. 35' });
  });
});

describe('DL-13..DL-15 — the due dates of a file', () => {
  const context = { policy: DEFAULT_DEADLINE_POLICY, policyVersion: 1, holidays: MEXICAN_HOLIDAYS };
  const base = { status: 'submitted' as const, outcome: 'signed' as const, submittedOn: '2026-11-16', correctionsRequestedOn: null, acceptedOn: null, certificatesReceivedOn: null, feeValidatedOn: null, serviceConcludedOn: null, digitisedOn: null };

  it('DL-13.request: two days from the receipt; pending on the due date, breached the day after, met by the request', () => {
    expect(caseFileDueDates(base, { ...context, today: '2026-11-18' })).toEqual([expect.objectContaining({ rule: 'DL-13', dueOn: '2026-11-18', status: 'pending' })]);
    expect(caseFileDueDates(base, { ...context, today: '2026-11-19' })[0]).toMatchObject({ status: 'breached' });
    const asked = { ...base, status: 'corrections_requested' as const, correctionsRequestedOn: '2026-11-17' };
    expect(caseFileDueDates(asked, { ...context, today: '2026-11-25' }).map((d) => [d.dueOn, d.status])).toEqual([
      ['2026-11-18', 'met'],
      ['2026-11-19', 'breached'],
    ]);
  });

  it('DL-15 applies only to signed files; DL-14 from the certificates', () => {
    const concluded = { ...base, status: 'accepted' as const, acceptedOn: '2026-11-17', certificatesReceivedOn: '2026-11-17', feeValidatedOn: '2026-11-18', serviceConcludedOn: '2026-11-18' };
    expect(caseFileDueDates(concluded, { ...context, today: '2026-11-20' }).map((d) => [d.key, d.dueOn, d.status])).toEqual([
      ['DL-13.request', '2026-11-18', 'met'],
      ['DL-14', '2026-11-18', 'met'],
      ['DL-15', '2026-11-20', 'pending'],
    ]);
    expect(caseFileDueDates({ ...concluded, outcome: 'not_signed' }, { ...context, today: '2026-11-20' }).map((d) => d.key)).toEqual(['DL-13.request', 'DL-14']);
  });

  it('the pending deadlines of a row, earliest first (what the sweep compares)', () => {
    const row = { status: 'accepted' as const, outcome: 'signed' as const, dl13RequestDueOn: '2026-11-18', dl13AnswerDueOn: null, certificatesReceivedOn: '2026-11-19', feeValidatedOn: null, dl14DueOn: '2026-11-20', dl15DueOn: '2026-11-19', digitisedOn: null };
    expect(pendingDueDates(row)).toEqual([
      { rule: 'DL-15', dueOn: '2026-11-19' },
      { rule: 'DL-14', dueOn: '2026-11-20' },
    ]);
    expect(pendingDueDates({ ...row, outcome: 'not_signed' })).toEqual([{ rule: 'DL-14', dueOn: '2026-11-20' }]);
    expect(pendingDueDates({ ...row, status: 'submitted', certificatesReceivedOn: null })).toEqual([{ rule: 'DL-13.request', dueOn: '2026-11-18' }]);
  });
});

describe('EXP-4 — what is ready to ship', () => {
  it('a signed file once digitised; a file without convenio once accepted', () => {
    expect(readyForShipment({ status: 'digitised', outcome: 'signed', serviceConcludedOn: TODAY })).toBe(true);
    expect(readyForShipment({ status: 'accepted', outcome: 'signed', serviceConcludedOn: TODAY })).toBe(false);
    expect(readyForShipment({ status: 'accepted', outcome: 'not_signed', serviceConcludedOn: TODAY })).toBe(true);
    expect(readyForShipment({ status: 'submitted', outcome: 'not_signed', serviceConcludedOn: null })).toBe(false);
    expect(readyForShipment({ status: 'shipped', outcome: 'signed', serviceConcludedOn: TODAY })).toBe(false);
    expect(shipmentFolio('cdmx', '2026-11-23', 2)).toBe('ENV-CDMX-20261123-2');
  });
});

describe('act. 36, DL-16 — the monthly archive-progress report', () => {
  it('DL-16: the report about a month is due within the first 15 days of the next one (default policy)', () => {
    expect(monthAfter('2026-12')).toBe('2027-01');
    expect(monthBefore('2027-01')).toBe('2026-12');
    expect(monthEnd('2028-02')).toBe('2028-02-29');
    expect(archiveReportAnchor('2026-11')).toBe('2026-12-01');
    expect(dueDateOf('DL-16', archiveReportAnchor('2026-11'), DEFAULT_DEADLINE_POLICY, MEXICAN_HOLIDAYS)).toBe('2026-12-15');
    expect(dueDateOf('DL-16', archiveReportAnchor('2026-12'), DEFAULT_DEADLINE_POLICY, MEXICAN_HOLIDAYS)).toBe('2027-01-15');
    expect(canReportMonth('2026-11', '2026-11-30')).toBe(false);
    expect(canReportMonth('2026-11', '2026-12-01')).toBe(true);
    expect(archiveReportSubject(9, '2026-11')).toBe('archive_report:9:2026-11');
  });
});
