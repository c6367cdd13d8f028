/**
 * A full past month for the demo (issue 6, item 9): last month's assignment worked through by
 * several agencies from the visit to the archive, so every report (REP-1..4) and every indicator
 * (REP-5) has real figures on a fresh start. Like the rest of the demo, every step goes through the
 * real services on back-dated days: the same guards, due dates, events and audit trail.
 */
import { sql } from 'kysely';
import { addDays, monthOf, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { ConvenioType, MediatorKind } from '../../db/schema.js';
import { advanceDemoConvenio, importDemoPayments, type DemoConvenioStage } from '../convenios/demo-convenios.js';
import { eligibleSolutionIds } from '../convenios/convenios.service.js';
import { buildDemoCase, demoActors, demoUser, type DemoActors, type DemoStop } from '../mediation/demo-cases.js';
import { acknowledgeReceipt, applyCaseFileAction, createShipment, sendArchiveProgressReport } from '../casefiles/casefiles.service.js';
import type { CaseFileAction, CaseFileInputs } from '../casefiles/casefiles.rules.js';
import { acknowledgementPdfOf } from '../convenios/convenios.pdf.js';
import { uploadCaseDocument } from '../documents/documents.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { applyReportRequestAction, createReportRequest } from '../reports/report-requests.service.js';
import type { ReportRequestAction } from '../reports/report-requests.rules.js';
import { renderDemoScan } from './demo-scans.js';

/** How far each case of an agency's month goes; the shares of a real month's funnel. */
const MONTH_PLAN: readonly DemoStop[] = [
  'refused',
  'solution_at_visit',
  'signed',
  'closed_no_agreement',
  'signed',
  'not_scheduled',
  'signed',
  'refused',
  'signed',
  'past_dl5',
  'signed',
  'closed_no_agreement',
  'signed',
  'solution_at_visit',
  'signed',
  'closed_no_agreement',
  'signed',
];

/** What happened to the month's convenios after the signature (CNV-4, CNV-5, act. 27). */
const CONVENIO_STAGES: readonly DemoConvenioStage[] = ['paid', 'registered', 'paid', 'paid', 'approved', 'paid', 'registered', 'paid'];

/** The agencies that work the demo's past month. */
const AGENCIES = 4;

/** CNV-2: who may mediate each convenio type. */
const KINDS_FOR: Record<ConvenioType, readonly MediatorKind[]> = {
  RATIFIED: ['cja_certified'],
  NOTARIAL: ['notary'],
  ADMINISTRATIVE: ['cja_certified', 'notary', 'professional'],
};

/** Where each of the month's case files is left (EXP-1/EXP-2, acts. 28–36), cycling. */
const FILE_TARGETS = ['archived', 'archived', 'shipped', 'archived', 'digitised', 'accepted', 'corrections_requested', 'archived', 'submitted', 'building'] as const;
type FileTarget = (typeof FILE_TARGETS)[number];

export interface DemoHistorySummary {
  month: string;
  cases: number;
  convenios: number;
  payments: number;
  caseFiles: Partial<Record<FileTarget, number>>;
  shipments: number;
  reportRequests: number;
}

/**
 * Works last month's assignment (relative to `today`) through AGENCIES agencies: visits from the
 * 3rd to the 20th, sessions ten days later, convenios approved the next day and mostly paid. Runs
 * before this month's assignment, as the month happened.
 */
export async function seedDemoHistory(trx: Executor, options: { today: IsoDate; now: Date }): Promise<DemoHistorySummary> {
  const { today, now } = options;
  const month = monthOf(addDays(`${monthOf(today)}-01`, -1));
  const agencies = await trx
    .selectFrom('agencies as a')
    .select(['a.id', 'a.code'])
    .where('a.active', '=', true)
    .orderBy('a.id')
    .limit(AGENCIES)
    .execute();
  // the demo's DR login (gerente.cdmx) sees his delegación's month first and fullest
  const showcase = await trx.selectFrom('users').select('delegation_id').where('username', '=', 'gerente.cdmx').executeTakeFirst();
  const showcaseDelegation = showcase?.delegation_id ?? -1;
  const caseIds: number[] = [];
  const payments: string[] = [];
  let convenios = 0;
  for (const agency of agencies) {
    const code = agency.code.toLowerCase();
    const mediators = await trx
      .selectFrom('users as u')
      .innerJoin('mediators as m', 'm.id', 'u.mediator_id')
      .select(['u.username', 'm.kind'])
      .where('u.role', '=', 'mediator')
      .where('u.agency_id', '=', agency.id)
      .where('m.active', '=', true)
      .orderBy('u.id')
      .execute();
    if (mediators.length === 0) continue;
    const fieldAgent = `asesor.${code}.1`;
    const fieldAgentId = (await trx.selectFrom('users').select('id').where('username', '=', fieldAgent).executeTakeFirstOrThrow()).id;
    const actorsByMediator = new Map<string, DemoActors>();
    const actorsFor = async (username: string) => {
      const cached = actorsByMediator.get(username);
      if (cached) return cached;
      const actors = await demoActors(trx, { fieldAgent, mediator: username });
      actorsByMediator.set(username, actors);
      return actors;
    };
    const credits = await trx
      .selectFrom('credit_assignments as a')
      .select(['a.credit_number', 'a.delegation_id', 'a.convenio_type'])
      .where('a.month', '=', month)
      .where('a.agency_id', '=', agency.id)
      .where('a.entry', '=', 'monthly')
      .where((eb) => eb.or([eb('a.field_agent_user_id', '=', fieldAgentId), eb('a.field_agent_user_id', 'is', null)]))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('mediation_cases as c').select('c.id').whereRef('c.credit_number', '=', 'a.credit_number'))))
      .orderBy(sql`a.delegation_id = ${showcaseDelegation}`, 'desc')
      .orderBy('a.credit_number')
      .limit(MONTH_PLAN.length * 4)
      .execute();
    let planned = 0;
    let signed = 0;
    for (const credit of credits) {
      if (planned >= MONTH_PLAN.length) break;
      const mediator = mediators.find((m) => KINDS_FOR[credit.convenio_type].includes(m.kind));
      if (!mediator) continue;
      const day0 = addDays(`${month}-03`, (planned * 7) % 18);
      const available = await eligibleSolutionIds(trx, credit.credit_number, day0);
      if (available.length === 0) continue;
      const stop = MONTH_PLAN[planned]!;
      planned++;
      const caseId = await buildDemoCase(trx, await actorsFor(mediator.username), {
        creditNumber: credit.credit_number,
        delegationId: credit.delegation_id,
        stop,
        day0,
        available,
        now,
      });
      caseIds.push(caseId);
      if (stop !== 'signed') continue;
      const convenio = await trx.selectFrom('convenios').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
      const wanted = CONVENIO_STAGES[signed % CONVENIO_STAGES.length]!;
      signed++;
      const stage: DemoConvenioStage = wanted === 'registered' && credit.convenio_type !== 'RATIFIED' ? 'paid' : wanted;
      const payment = await advanceDemoConvenio(trx, convenio.id, stage, { today, now });
      if (payment) payments.push(payment);
      convenios++;
    }
  }
  await importDemoPayments(trx, payments, `pagos-demo-${month}.csv`, { today, now });
  const files = await seedDemoCaseFiles(trx, caseIds, { today, now });
  const reportRequests = await seedDemoReportRequests(trx, month, { today, now });
  return { month, cases: caseIds.length, convenios, payments: payments.length, caseFiles: files.byTarget, shipments: files.shipments, reportRequests };
}

/**
 * The month's case files (acts. 28–31, 35–36): the documents of EXP-1/EXP-2 uploaded by the
 * mediator, the file delivered three days after the session and reviewed the next day, the fees of
 * RATIFIED convenios validated, signed files digitised; on the 5th of this month each delegación
 * ships its ready files and the archive acknowledges most on the 10th; one delegación sends its
 * archive-progress report in time (REP-4), the others owe it (DL-16).
 */
async function seedDemoCaseFiles(trx: Executor, caseIds: readonly number[], options: { today: IsoDate; now: Date }) {
  const { today, now } = options;
  const cases = await trx
    .selectFrom('mediation_cases as c')
    .innerJoin('users as u', (join) => join.onRef('u.mediator_id', '=', 'c.mediator_id').on('u.role', '=', 'mediator'))
    .leftJoin('convenios as v', 'v.case_id', 'c.id')
    .select(['c.id', 'c.delegation_id', 'c.convenio_type', 'c.session_held_on', 'u.id as mediator_user_id', 'v.id as convenio_id', 'v.signed_on', 'v.cja_registered_on'])
    .where('c.id', 'in', caseIds.length > 0 ? [...caseIds] : [-1])
    .where('c.session_held_on', 'is not', null)
    .orderBy('c.id')
    .execute();
  const byTarget: Partial<Record<FileTarget, number>> = {};
  const shipDay = `${monthOf(today)}-05`;
  const toShip = new Map<number, { fileId: number; archive: boolean }[]>();
  for (const [n, c] of cases.entries()) {
    const target = FILE_TARGETS[n % FILE_TARGETS.length]!;
    byTarget[target] = (byTarget[target] ?? 0) + 1;
    const mediator = await demoUser(trx, { id: c.mediator_user_id });
    const outcomeOn = c.signed_on ?? c.session_held_on!;
    const upload = async (documentType: Parameters<typeof uploadCaseDocument>[2]['documentType'], file: { fileName: string; pdf: Buffer }) =>
      uploadCaseDocument(trx, mediator, { caseId: c.id, documentType, fileName: file.fileName, mediaType: 'application/pdf', content: file.pdf, now });
    await upload('party_ids', await renderDemoScan('party_ids', c.id));
    await upload('confidentiality_agreement', await renderDemoScan('confidentiality_agreement', c.id));
    if (target === 'building') continue; // the acknowledgement is still missing (EXP-1.ii)
    if (c.convenio_id !== null) {
      await upload('acknowledgement', await acknowledgementPdfOf(trx, mediator, c.convenio_id, now));
      if (c.convenio_type === 'RATIFIED' || c.convenio_type === 'NOTARIAL') await upload('fee_payment_proof', await renderDemoScan('fee_payment_proof', c.id));
      if (c.convenio_type === 'RATIFIED') await upload('cja_certificate', await renderDemoScan('cja_certificate', c.id));
    }
    const manager = await demoUser(trx, { role: 'regional_manager', delegationId: c.delegation_id });
    let fileId = 0;
    const act = async <A extends CaseFileAction>(user: AuthUser, action: A, input: CaseFileInputs[A], on: IsoDate) => {
      const current = await trx.selectFrom('case_files').select('version').where('case_id', '=', c.id).executeTakeFirst();
      fileId = await applyCaseFileAction(trx, user, { caseId: c.id, action, version: current?.version, input, today: on, now });
    };
    await act(mediator, 'submit', {}, addDays(outcomeOn, 3));
    if (target === 'submitted') continue;
    if (target === 'corrections_requested') {
      await act(manager, 'request_corrections', { note: 'La copia de la identificación del representante no es legible; envíela de nuevo.' }, addDays(outcomeOn, 4));
      continue;
    }
    await act(manager, 'accept', {}, addDays(outcomeOn, 4));
    if (c.convenio_id !== null && (c.convenio_type === 'RATIFIED' || c.convenio_type === 'NOTARIAL')) {
      await act(manager, 'record_certificates', { receivedOn: addDays(outcomeOn, 4) }, addDays(outcomeOn, 4));
      if (target === 'accepted') continue; // the fees wait for the DR's validation (DL-14)
      await act(manager, 'validate_fees', {}, addDays(outcomeOn, 5));
    }
    if (target === 'accepted') continue;
    if (c.convenio_id !== null) await act(manager, 'mark_digitised', {}, addDays(outcomeOn, 6));
    if (target === 'digitised') continue;
    const batch = toShip.get(c.delegation_id) ?? [];
    batch.push({ fileId, archive: target === 'archived' });
    toShip.set(c.delegation_id, batch);
  }
  const archive = await demoUser(trx, { role: 'archive' });
  let shipments = 0;
  let reported = false;
  for (const [delegationId, batch] of toShip) {
    const manager = await demoUser(trx, { role: 'regional_manager', delegationId });
    shipments++;
    const shipmentId = await createShipment(trx, manager, {
      courier: 'Estafeta',
      trackingNumber: `${shipDay.replace(/-/g, '')}${String(delegationId).padStart(2, '0')}${String(shipments).padStart(4, '0')}`,
      shippedOn: shipDay,
      caseFileIds: batch.map((b) => b.fileId),
      today: shipDay,
      now,
    });
    const received = batch.filter((b) => b.archive).map((b) => b.fileId);
    if (received.length > 0) await acknowledgeReceipt(trx, archive, { shipmentId, caseFileIds: received, today: addDays(shipDay, 5), now });
    if (!reported) {
      // act. 36: this delegación reports last month's archive progress in time (REP-4, DL-16)
      await sendArchiveProgressReport(trx, manager, { month: monthOf(addDays(shipDay, -5)), today: addDays(shipDay, 5), now });
      reported = true;
    }
  }
  return { byTarget, shipments };
}

/**
 * The office's requests for last month's reports (acts. 32–34, DL-17): the first agency's REP-1
 * delivered, clarified and closed; the second's delivered with a clarification still unanswered;
 * the first delegación's REP-2 requested and not yet delivered.
 */
async function seedDemoReportRequests(trx: Executor, month: string, options: { today: IsoDate; now: Date }): Promise<number> {
  const { today, now } = options;
  const first = `${monthOf(today)}-02`;
  if (addDays(first, 18) > today) return 0; // the month just started: nothing to report yet
  const office = await demoUser(trx, { role: 'mediation_office' });
  const agencies = await trx.selectFrom('agencies').select('id').where('active', '=', true).orderBy('id').limit(2).execute();
  const step = async (id: number, user: AuthUser, action: ReportRequestAction, on: IsoDate, text?: string) => {
    const { version } = await trx.selectFrom('report_requests').select('version').where('id', '=', id).executeTakeFirstOrThrow();
    await applyReportRequestAction(trx, user, { id, action, version, text, today: on, now });
  };
  let made = 0;
  for (const [n, agency] of agencies.entries()) {
    const agencyUser = await demoUser(trx, { role: 'agency', agencyId: agency.id });
    const id = await createReportRequest(trx, office, { kind: 'agency', agencyId: agency.id, month, today: first, now });
    made++;
    if (n === 0) {
      await step(id, agencyUser, 'deliver', addDays(first, 2));
      await step(id, office, 'request_clarification', addDays(first, 4), 'Aclare por qué tres casos aceptados no se distribuyeron a un mediador el mismo día (DL-1).');
      await step(id, agencyUser, 'answer_clarification', addDays(first, 5), 'Los tres casos se aceptaron en viernes por la tarde; se distribuyeron el lunes siguiente.');
      await step(id, office, 'close', addDays(first, 6));
    } else {
      await step(id, agencyUser, 'deliver', addDays(first, 10));
      await step(id, office, 'request_clarification', addDays(first, 18), 'Indique la causa de cada sesión no celebrada del mes.');
    }
  }
  const delegation = await trx.selectFrom('case_files').select('delegation_id').orderBy('id').limit(1).executeTakeFirst();
  if (delegation) {
    await createReportRequest(trx, office, { kind: 'region', delegationId: delegation.delegation_id, month, today: first, now });
    made++;
  }
  return made;
}
