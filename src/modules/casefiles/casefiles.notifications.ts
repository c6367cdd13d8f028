/**
 * The messages of case files and of the archive, queued in the transaction of the change they
 * announce (outbox):
 * - acts. 29–30: the mediator learns that the DR asked for corrections or accepted his file;
 * - act. 35: the archive (ANEC) receives the shipment notice with the list to download (REP-3);
 * - act. 36: the archive receives the monthly archive-progress report (REP-4).
 */
import { formatDateEs } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { OutboxPurpose } from '../../db/schema.js';
import { enqueueMessage } from '../notify/outbox.service.js';

/** Writes one e-mail to the mediator of a case file (purpose 'case_file_notice'). */
export async function notifyMediator(trx: Executor, input: { caseFileId: number; subject: string; body: string; now: Date }): Promise<void> {
  const row = await trx
    .selectFrom('case_files as f')
    .innerJoin('mediators as m', 'm.id', 'f.mediator_id')
    .select(['f.case_id', 'm.full_name', 'm.email'])
    .where('f.id', '=', input.caseFileId)
    .executeTakeFirstOrThrow();
  await enqueueMessage(trx, {
    purpose: 'case_file_notice',
    channel: 'email',
    recipientKind: 'mediator',
    recipientName: row.full_name,
    recipientAddress: row.email,
    subject: input.subject,
    body: input.body,
    caseId: row.case_id,
    now: input.now,
  });
}

/** act. 30: the DR asks the mediator to correct the file, to answer by the DL-13.answer date. */
export async function notifyFileCorrections(trx: Executor, input: { caseFileId: number; creditNumber: string; note: string; answerBy: string; now: Date }) {
  await notifyMediator(trx, {
    caseFileId: input.caseFileId,
    subject: `Correcciones al expediente del crédito ${input.creditNumber}`,
    body: [
      `El Gerente de Cobranza de la DR solicita correcciones o aclaraciones al expediente del servicio de mediación del crédito ${input.creditNumber}:`,
      '',
      input.note,
      '',
      `Responda a más tardar el ${formatDateEs(input.answerBy)} (DL-13, act. 30): cargue el documento corregido o escriba la aclaración y vuelva a entregar el expediente.`,
    ].join('\n'),
    now: input.now,
  });
}

/** act. 29: the file was accepted complete and correct. */
export async function notifyFileAccepted(trx: Executor, input: { caseFileId: number; creditNumber: string; acceptedOn: string; feesPending: boolean; now: Date }) {
  await notifyMediator(trx, {
    caseFileId: input.caseFileId,
    subject: `Expediente del crédito ${input.creditNumber} aceptado por la DR`,
    body: [
      `El Gerente de Cobranza de la DR revisó el expediente del crédito ${input.creditNumber} y lo aceptó completo y correcto el ${formatDateEs(input.acceptedOn)} (act. 29).`,
      input.feesPending ? 'Queda pendiente la validación del pago de derechos u honorarios (act. 31).' : 'El servicio de mediación de este caso quedó concluido.',
    ].join('\n'),
    now: input.now,
  });
}

/**
 * One e-mail to every active user of the archive role (ANEC, Oficina de Recepción y Validación
 * Documental). Returns how many were queued.
 */
export async function notifyArchive(
  trx: Executor,
  input: { purpose: Extract<OutboxPurpose, 'archive_shipment_notice' | 'archive_progress_report'>; subject: string; body: string; now: Date },
): Promise<number> {
  const recipients = await trx.selectFrom('users').select(['full_name', 'email']).where('role', '=', 'archive').where('active', '=', true).orderBy('id').execute();
  for (const recipient of recipients) {
    await enqueueMessage(trx, {
      purpose: input.purpose,
      channel: 'email',
      recipientKind: 'archive',
      recipientName: recipient.full_name,
      recipientAddress: recipient.email,
      subject: input.subject,
      body: input.body,
      now: input.now,
    });
  }
  return recipients.length;
}
