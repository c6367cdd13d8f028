/**
 * A full past month for the demo (issue 6, item 9): last month's assignment worked through by
 * several agencies from the visit to the archive, so every report (REP-1..4) and every indicator
 * (REP-5) has real figures on a fresh start. Like the rest of the demo, every step goes through the
 * real services on back-dated days: the same guards, due dates, events and audit trail.
 */
import { addDays, monthOf, type IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import type { ConvenioType, MediatorKind } from '../../db/schema.js';
import { advanceDemoConvenio, importDemoPayments, type DemoConvenioStage } from '../convenios/demo-convenios.js';
import { eligibleSolutionIds } from '../convenios/convenios.service.js';
import { buildDemoCase, demoActors, type DemoActors, type DemoStop } from '../mediation/demo-cases.js';

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

export interface DemoHistorySummary {
  month: string;
  cases: number;
  convenios: number;
  payments: number;
  caseIds: number[];
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
  return { month, cases: caseIds.length, convenios, payments: payments.length, caseIds };
}
