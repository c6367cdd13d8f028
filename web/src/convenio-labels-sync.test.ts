/**
 * The browser app keeps its own copy of the convenio vocabulary (web/ does not import server
 * modules): this test keeps both copies identical, so a screen never names a status, an action, a
 * document type or a reconciliation check differently from the server (SPEC §6 CNV-1..5, EXP-3).
 */
import { describe, expect, it } from 'vitest';
import * as web from './convenio-labels';
import { CONVENIO_ACTION_LABELS, CONVENIO_STATUS_LABELS, CONVENIO_STATUSES, CONVENIO_TRANSITIONS, REVIEW_DOCUMENT_TYPES } from '../../src/modules/convenios/convenios.rules.js';
import { CONVENIO_QUEUES, RECONCILIATION_CHECKS } from '../../src/modules/convenios/convenios.service.js';
import { DOCUMENT_TYPE_LABELS, DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, MEDIA_TYPES } from '../../src/modules/documents/documents.service.js';
import { PAYMENT_CHANNEL_LABELS } from '../../src/modules/payments/payments.csv-format.js';

describe('the browser app names the convenio vocabulary as the server does', () => {
  it('statuses (convenios.rules CONVENIO_STATUS_LABELS) in their order', () => {
    expect(web.CONVENIO_STATUS_LABELS).toEqual(CONVENIO_STATUS_LABELS);
    expect(web.CONVENIO_STATUSES).toEqual([...CONVENIO_STATUSES]);
  });

  it('actions (acts. 22–27): labels and activities', () => {
    expect(web.CONVENIO_ACTION_LABELS).toEqual(CONVENIO_ACTION_LABELS);
    expect(web.CONVENIO_ACTION_ACTIVITIES).toEqual(Object.fromEntries(Object.entries(CONVENIO_TRANSITIONS).map(([action, t]) => [action, t.activity])));
    expect([...web.REVIEW_DOCUMENT_TYPES]).toEqual([...REVIEW_DOCUMENT_TYPES]);
  });

  it('work lists (convenios.service CONVENIO_QUEUES) and reconciliation checks', () => {
    expect([...web.CONVENIO_QUEUES].sort()).toEqual([...CONVENIO_QUEUES].sort());
    expect(web.RECONCILIATION_CHECK_LABELS).toEqual(RECONCILIATION_CHECKS);
  });

  it('documents (EXP-3): types in their order, media types and the size limit', () => {
    expect(web.DOCUMENT_TYPE_LABELS).toEqual(DOCUMENT_TYPE_LABELS);
    expect(web.DOCUMENT_TYPES).toEqual([...DOCUMENT_TYPES]);
    expect([...web.DOCUMENT_MEDIA_TYPES]).toEqual([...MEDIA_TYPES]);
    expect(web.MAX_DOCUMENT_BYTES).toBe(MAX_DOCUMENT_BYTES);
  });

  it('payment channels (PAY-1)', () => {
    expect(web.PAYMENT_CHANNEL_LABELS).toEqual(PAYMENT_CHANNEL_LABELS);
  });
});

describe('the forms check a file as the server does (EXP-3)', () => {
  it('takes PDF, JPEG and PNG by type or, without one, by extension', () => {
    expect(web.documentMediaTypeOf({ name: 'convenio.pdf', type: 'application/pdf' })).toBe('application/pdf');
    expect(web.documentMediaTypeOf({ name: 'INE.JPG', type: '' })).toBe('image/jpeg');
    expect(web.documentMediaTypeOf({ name: 'ine.png', type: 'application/octet-stream' })).toBe('image/png');
    expect(web.documentMediaTypeOf({ name: 'notas.docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toBeUndefined();
    expect(web.documentMediaTypeOf({ name: 'foto.pdf', type: 'image/heic' })).toBeUndefined();
  });

  it('refuses empty, too large and other files with the server\'s wording', () => {
    expect(web.documentFileProblem({ name: 'a.pdf', type: 'application/pdf', size: 0 })).toBe('El archivo está vacío (0 bytes): vuelva a digitalizar el documento.');
    expect(web.documentFileProblem({ name: 'a.pdf', type: 'application/pdf', size: web.MAX_DOCUMENT_BYTES + 1 })).toBe('El archivo excede el máximo de 15 MB.');
    expect(web.documentFileProblem({ name: 'a.pdf', type: 'application/pdf', size: web.MAX_DOCUMENT_BYTES })).toBeNull();
    expect(web.documentFileProblem({ name: 'a.txt', type: 'text/plain', size: 10 })).toBe('Sólo se aceptan archivos PDF, JPEG o PNG.');
  });

  it('each role works from its lists; the national roles filter by status', () => {
    expect(web.convenioQueuesFor('mediator').map((option) => option.queue)).toEqual(['to_submit', 'cja_pending', 'all']);
    expect(web.convenioQueuesFor('regional_manager').map((option) => option.queue)).toEqual(['to_review', 'first_payment', 'all']);
    expect(web.convenioQueuesFor('agency')[0]).toMatchObject({ queue: 'first_payment', label: 'Invitar al primer pago' });
    expect(web.convenioQueueFromParam('regional_manager', 'nada').queue).toBe('to_review');
    expect(web.convenioQueueFromParam('auditor', 'incumplidos').queue).toBe('broken');
    expect(web.filtersByStatus('operations')).toBe(true);
    expect(web.filtersByStatus('mediator')).toBe(false);
  });
});
