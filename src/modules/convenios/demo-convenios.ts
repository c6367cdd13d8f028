/**
 * Demo convenios (issue 5, item 9): the demo's signed cases carried on through acts. 22–27 and
 * CNV-5 — signed and waiting for the scan, under review, with corrections requested, approved and
 * waiting for the first payment, paid, broken, and a RATIFIED one registered before the CJA — each
 * through the real services on back-dated days, with real documents (the convenio's own PDF as
 * its scan) and a real payments file.
 */
import { Readable } from 'node:stream';
import { addDays, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { centsToDecimalText } from '../../money.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { uploadCaseDocument } from '../documents/documents.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { importPayments } from '../payments/payments.import.js';
import { demoUser } from '../mediation/demo-cases.js';
import { convenioPdfOf } from './convenios.pdf.js';
import { applyConvenioAction, sweepConvenios } from './convenios.service.js';
import type { ConvenioAction, ConvenioInputs } from './convenios.rules.js';

/** A 1×1 PNG: the demo's photo of the borrower's ID. */
const ID_PHOTO = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e22e7c2d0000000049454e44ae426082',
  'hex',
);

export type DemoConvenioStage = 'signed' | 'under_review' | 'corrections_requested' | 'approved' | 'paid' | 'broken' | 'registered';

/** The most recent signatures stay early in the flow; the oldest reach the first payment. */
const STAGES_RECENT: readonly DemoConvenioStage[] = ['signed', 'under_review', 'corrections_requested', 'approved', 'approved'];
const STAGES_EARLIER: readonly DemoConvenioStage[] = ['paid', 'broken', 'registered', 'paid'];

export interface DemoConveniosSummary {
  convenios: number;
  byStage: Partial<Record<DemoConvenioStage, number>>;
  payments: number;
}

export async function seedDemoConvenios(trx: Executor, options: { today: IsoDate; now: Date }): Promise<DemoConveniosSummary> {
  const { today, now } = options;
  const convenios = await trx
    .selectFrom('convenios as v')
    .select(['v.id', 'v.signed_on', 'v.convenio_type'])
    .where('v.status', '=', 'signed')
    .orderBy('v.signed_on', 'desc')
    .orderBy('v.id')
    .execute();
  const recent = convenios.filter((c) => c.signed_on >= addDays(today, -30));
  const earlier = convenios.filter((c) => c.signed_on < addDays(today, -30));
  const plan: Array<[(typeof convenios)[number], DemoConvenioStage]> = [
    ...recent.map((c, i) => [c, STAGES_RECENT[i % STAGES_RECENT.length]!] as [typeof c, DemoConvenioStage]),
    ...earlier.map((c, i) => [c, STAGES_EARLIER[i % STAGES_EARLIER.length]!] as [typeof c, DemoConvenioStage]),
  ];
  // a RATIFIED convenio is the one to register (act. 27); others in that slot are simply paid
  const byStage: Partial<Record<DemoConvenioStage, number>> = {};
  const payments: string[] = [];
  for (const [convenio, wanted] of plan) {
    const stage: DemoConvenioStage = wanted === 'registered' && convenio.convenio_type !== 'RATIFIED' ? 'paid' : wanted;
    byStage[stage] = (byStage[stage] ?? 0) + 1;
    const payment = await advanceDemoConvenio(trx, convenio.id, stage, { today, now });
    if (payment) payments.push(payment);
  }
  await importDemoPayments(trx, payments, 'pagos-demo.csv', { today, now });
  // CNV-5 as of today: the unpaid convenios past their deadline are broken (as the daily sweep would)
  await sweepConvenios(trx, { today, now, actor: SYSTEM_ACTOR });
  return { convenios: plan.length, byStage, payments: payments.length };
}

/**
 * Carries one signed convenio through the real services to `stage` on back-dated days: the scan
 * (the convenio's own PDF) and the ID photo sent the day of the signature (act. 22), the DR's
 * corrections or approval the next day (acts. 24–25), the CJA registration (act. 27). Returns the
 * payments-file line of its first payment when the stage is paid (CNV-5), to import in one file.
 */
export async function advanceDemoConvenio(trx: Executor, convenioId: number, stage: DemoConvenioStage, options: { today: IsoDate; now: Date }): Promise<string | undefined> {
  const { today, now } = options;
  if (stage === 'signed') return undefined;
  const convenio = await trx
    .selectFrom('convenios as v')
    .innerJoin('users as u', 'u.mediator_id', 'v.mediator_id')
    .select(['v.id', 'v.case_id', 'v.credit_number', 'v.delegation_id', 'v.signed_on', 'u.id as mediator_user_id'])
    .where('v.id', '=', convenioId)
    .orderBy('u.id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const mediator = await demoUser(trx, { id: convenio.mediator_user_id });
  const manager = await demoUser(trx, { role: 'regional_manager', delegationId: convenio.delegation_id });
  const act = async <A extends ConvenioAction>(user: AuthUser, action: A, input: ConvenioInputs[A], on: IsoDate) => {
    const { version } = await trx.selectFrom('convenios').select('version').where('id', '=', convenio.id).executeTakeFirstOrThrow();
    await applyConvenioAction(trx, user, { convenioId: convenio.id, action, version, input, today: on, now });
  };
  const signedOn = convenio.signed_on;
  const scan = await convenioPdfOf(trx, mediator, convenio.id, now);
  await uploadCaseDocument(trx, mediator, { caseId: convenio.case_id, documentType: 'signed_convenio', fileName: scan.fileName, mediaType: 'application/pdf', content: scan.pdf, now });
  await uploadCaseDocument(trx, mediator, { caseId: convenio.case_id, documentType: 'borrower_id', fileName: 'identificacion-oficial.png', mediaType: 'image/png', content: ID_PHOTO, now });
  await act(mediator, 'submit_documents', {}, signedOn);
  if (stage === 'under_review') return undefined;
  if (stage === 'corrections_requested') {
    await act(manager, 'request_corrections', { reason: 'La identificación no es legible en la copia digitalizada; envíe una nueva imagen.' }, addDays(signedOn, 1));
    return undefined;
  }
  await act(manager, 'approve', {}, addDays(signedOn, 1));
  if (stage === 'registered') {
    await act(mediator, 'record_cja_registration', { centre: 'Centro de Justicia Alternativa del Poder Judicial del Estado', registrationNumber: `CJA-${signedOn.slice(0, 4)}-${String(convenio.id).padStart(5, '0')}`, registeredOn: addDays(signedOn, 5) }, addDays(signedOn, 5));
  }
  if (stage !== 'paid' && stage !== 'registered') return undefined;
  const approved = await trx.selectFrom('convenios').select('first_payment_cents').where('id', '=', convenio.id).executeTakeFirstOrThrow();
  const paidOn = addDays(signedOn, 8) <= today ? addDays(signedOn, 8) : today;
  return `${convenio.credit_number},DEMO-${convenio.id}-1,${paidOn},${centsToDecimalText(approved.first_payment_cents)},window`;
}

/** The demo's payments, as one real payments file through the import (PAY-1). */
export async function importDemoPayments(trx: Executor, lines: readonly string[], fileName: string, options: { today: IsoDate; now: Date }): Promise<void> {
  if (lines.length === 0) return;
  const csv = ['credit_number,reference,paid_on,amount,channel', ...lines].join('\n') + '\n';
  await importPayments(trx, SYSTEM_ACTOR, { fileName, input: Readable.from([Buffer.from(csv)]), today: options.today, now: options.now });
}
