import { describe, expect, it } from 'vitest';
import type { CaseDocument, DocumentType } from './api/types';
import { caseFileQueueFromParam, caseFileQueuesFor, caseFilesByStatus, missingDocumentTypes, missingTypesOf, monthBefore } from './casefile-labels';

describe('the case-file work lists of each role (acts. 28–31, 35; EXP-4)', () => {
  it('each role starts from its daily list: the mediator builds (act. 28), the DR reviews (act. 29), the archive receives (EXP-4)', () => {
    expect(caseFileQueuesFor('mediator')[0]).toMatchObject({ queue: 'to_build', param: 'por-integrar' });
    expect(caseFileQueuesFor('regional_manager')[0]).toMatchObject({ queue: 'to_review', param: 'por-revisar' });
    expect(caseFileQueuesFor('archive')[0]).toMatchObject({ queue: 'shipped', label: 'Por recibir' });
    expect(caseFileQueuesFor('mediation_office')[0]?.queue).toBe('all');
  });

  it('the address names a list of the role, or the role gets its first', () => {
    expect(caseFileQueueFromParam('regional_manager', 'por-enviar').queue).toBe('to_ship');
    expect(caseFileQueueFromParam('mediator', 'por-enviar').queue).toBe('to_build');
    expect(caseFileQueueFromParam('archive', null).queue).toBe('shipped');
  });

  it('the national roles (but the archive) filter by status', () => {
    expect(caseFilesByStatus('auditor')).toBe(true);
    expect(caseFilesByStatus('archive')).toBe(false);
    expect(caseFilesByStatus('regional_manager')).toBe(false);
  });
});

describe('REP-4: the month a progress report is about (DL-16: sent in the first days of the next)', () => {
  it('the month before, across the year', () => {
    expect(monthBefore('2026-11')).toBe('2026-10');
    expect(monthBefore('2026-01')).toBe('2025-12');
    expect(monthBefore('2026-10')).toBe('2026-09');
  });

  it('refuses what is not a month', () => {
    expect(() => monthBefore('2026-1')).toThrow(RangeError);
  });
});

describe('EXP-1: what the checklist still asks to upload', () => {
  const document = (id: number, documentType: DocumentType, current = true) => ({ id, documentType, current }) as CaseDocument;
  const item = (id: string, documentTypes: DocumentType[], satisfied = false, required = true) => ({ id, documentTypes, satisfied, required });

  it('EXP-1 iv needs both the CJA certificate and the fee proof: only the one without a current version is asked', () => {
    const documents = [document(1, 'cja_certificate')];
    expect(missingTypesOf(item('EXP-1.iv', ['cja_certificate', 'fee_payment_proof']), documents)).toEqual(['fee_payment_proof']);
  });

  it('EXP-3: a replaced (not current) version does not count; an optional or satisfied item asks nothing', () => {
    expect(missingTypesOf(item('EXP-1.i', ['signed_convenio']), [document(1, 'signed_convenio', false)])).toEqual(['signed_convenio']);
    expect(missingTypesOf(item('EXP-1.vi', ['borrower_id', 'other'], false, false), [])).toEqual([]);
    expect(missingTypesOf(item('EXP-1.i', ['signed_convenio'], true), [])).toEqual([]);
  });

  it('the upload form proposes the missing types in the checklist order, each once', () => {
    const checklist = {
      items: [item('EXP-1.i', ['signed_convenio']), item('EXP-1.ii', ['acknowledgement'], true), item('EXP-1.iv', ['cja_certificate', 'fee_payment_proof']), item('EXP-1.v', ['confidentiality_agreement'])],
    };
    expect(missingDocumentTypes(checklist, [document(1, 'acknowledgement'), document(2, 'fee_payment_proof')])).toEqual(['signed_convenio', 'cja_certificate', 'confidentiality_agreement']);
  });
});
