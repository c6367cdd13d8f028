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
import { scopeOf } from '../identity/identity.rules.js';
import type { AuthUser } from '../identity/identity.service.js';
import { importPayments } from '../payments/payments.import.js';
import { convenioPdfOf } from './convenios.pdf.js';
import { applyConvenioAction, sweepConvenios } from './convenios.service.js';
import type { ConvenioAction, ConvenioInputs } from './convenios.rules.js';

/** A 1×1 PNG: the demo's photo of the borrower's ID. */
const ID_PHOTO = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e22e7c2d0000000049454e44ae426082',
  'hex',
);

type Stage = 'signed' | 'under_review' | 'corrections_requested' | 'approved' | 'paid' | 'broken' | 'registered';

/** The most recent signatures stay early in the flow; the oldest reach the first payment. */
const STAGES_RECENT: readonly Stage[] = ['signed', 'under_review', 'corrections_requested', 'approved', 'approved'];
const STAGES_EARLIER: readonly Stage[] = ['paid', 'broken', 'registered', 'paid'];

async function userOf(trx: Executor, where: { id?: number; role?: string; delegationId?: number }): Promise<AuthUser> {
  let query = trx.selectFrom('users').select(['id', 'username', 'full_name', 'role', 'delegation_id', 'agency_id', 'mediator_id', 'representative_id', 'credit_number']);
  if (where.id !== undefined) query = query.where('id', '=', where.id);
  if (where.role) query = query.where('role', '=', where.role as never);
  if (where.delegationId !== undefined) query = query.where('delegation_id', '=', where.delegationId);
  const row = await query.orderBy('id').limit(1).executeTakeFirstOrThrow();
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role,
    scope: scopeOf({ id: row.id, role: row.role, delegationId: row.delegation_id, agencyId: row.agency_id, mediatorId: row.mediator_id, representativeId: row.representative_id, creditNumber: row.credit_number }),
  };
}

export interface DemoConveniosSummary {
  convenios: number;
  byStage: Partial<Record<Stage, number>>;
  payments: number;
}

export async function seedDemoConvenios(trx: Executor, options: { today: IsoDate; now: Date }): Promise<DemoConveniosSummary> {
  const { today, now } = options;
  const convenios = await trx
    .selectFrom('convenios as v')
    .innerJoin('users as u', 'u.mediator_id', 'v.mediator_id')
    .select(['v.id', 'v.case_id', 'v.credit_number', 'v.delegation_id', 'v.signed_on', 'v.convenio_type', 'v.first_payment_cents', 'u.id as mediator_user_id'])
    .where('v.status', '=', 'signed')
    .orderBy('v.signed_on', 'desc')
    .orderBy('v.id')
    .execute();
  const recent = convenios.filter((c) => c.signed_on >= addDays(today, -30));
  const earlier = convenios.filter((c) => c.signed_on < addDays(today, -30));
  const plan: Array<[(typeof convenios)[number], Stage]> = [
    ...recent.map((c, i) => [c, STAGES_RECENT[i % STAGES_RECENT.length]!] as [typeof c, Stage]),
    ...earlier.map((c, i) => [c, STAGES_EARLIER[i % STAGES_EARLIER.length]!] as [typeof c, Stage]),
  ];
  // a RATIFIED convenio is the one to register (act. 27); others in that slot are simply paid
  const byStage: Partial<Record<Stage, number>> = {};
  const payments: string[] = [];
  for (const [convenio, wanted] of plan) {
    const stage: Stage = wanted === 'registered' && convenio.convenio_type !== 'RATIFIED' ? 'paid' : wanted;
    byStage[stage] = (byStage[stage] ?? 0) + 1;
    if (stage === 'signed') continue;
    const mediator = await userOf(trx, { id: convenio.mediator_user_id });
    const manager = await userOf(trx, { role: 'regional_manager', delegationId: convenio.delegation_id });
    const act = async <A extends ConvenioAction>(user: AuthUser, action: A, input: ConvenioInputs[A], on: IsoDate) => {
      const { version } = await trx.selectFrom('convenios').select('version').where('id', '=', convenio.id).executeTakeFirstOrThrow();
      await applyConvenioAction(trx, user, { convenioId: convenio.id, action, version, input, today: on, now });
    };
    // act. 22: the scan (here, the convenio's own PDF) and the ID photo, the day of the signature
    const signedOn = convenio.signed_on;
    const scan = await convenioPdfOf(trx, mediator, convenio.id, now);
    await uploadCaseDocument(trx, mediator, { caseId: convenio.case_id, documentType: 'signed_convenio', fileName: scan.fileName, mediaType: 'application/pdf', content: scan.pdf, now });
    await uploadCaseDocument(trx, mediator, { caseId: convenio.case_id, documentType: 'borrower_id', fileName: 'identificacion-oficial.png', mediaType: 'image/png', content: ID_PHOTO, now });
    await act(mediator, 'submit_documents', {}, signedOn);
    if (stage === 'under_review') continue;
    if (stage === 'corrections_requested') {
      await act(manager, 'request_corrections', { reason: 'La identificación no es legible en la copia digitalizada; envíe una nueva imagen.' }, addDays(signedOn, 1));
      continue;
    }
    await act(manager, 'approve', {}, addDays(signedOn, 1));
    const approved = await trx.selectFrom('convenios').select(['first_payment_due_on', 'first_payment_cents']).where('id', '=', convenio.id).executeTakeFirstOrThrow();
    if (stage === 'paid' || stage === 'registered') {
      const paidOn = addDays(signedOn, 8) <= today ? addDays(signedOn, 8) : today;
      payments.push(`${convenio.credit_number},DEMO-${convenio.id}-1,${paidOn},${centsToDecimalText(approved.first_payment_cents)},window`);
    }
    if (stage === 'registered') {
      await act(mediator, 'record_cja_registration', { centre: 'Centro de Justicia Alternativa del Poder Judicial del Estado', registrationNumber: `CJA-${signedOn.slice(0, 4)}-${String(convenio.id).padStart(5, '0')}`, registeredOn: addDays(signedOn, 5) }, addDays(signedOn, 5));
    }
  }
  if (payments.length > 0) {
    const csv = ['credit_number,reference,paid_on,amount,channel', ...payments].join('\n') + '\n';
    await importPayments(trx, SYSTEM_ACTOR, { fileName: 'pagos-demo.csv', input: Readable.from([Buffer.from(csv)]), today, now });
  }
  // CNV-5 as of today: the unpaid convenios past their deadline are broken (as the daily sweep would)
  await sweepConvenios(trx, { today, now, actor: SYSTEM_ACTOR });
  return { convenios: plan.length, byStage, payments: payments.length };
}
