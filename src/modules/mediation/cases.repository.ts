/**
 * All SQL over `mediation_cases` and `case_events`, with the caller's scope applied in SQL (SEC-2):
 * an agency and its field agents see the agency's cases, a mediator the cases distributed to him,
 * a representative the cases he was designated to, a regional manager his delegación's, the
 * borrower his own credit's, national roles all.
 */
import { sql, type Expression, type ExpressionBuilder, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { CaseStateColumn, DB, MediationCasesTable } from '../../db/schema.js';
import type { Scope } from '../identity/identity.rules.js';
import { TERMINAL_STATES, type CaseFacts } from './mediation.rules.js';

export function caseInScope(scope: Scope) {
  return (eb: ExpressionBuilder<DB & { c: MediationCasesTable }, 'c'>): Expression<SqlBool> => {
    switch (scope.kind) {
      case 'national':
        return sql<boolean>`true`;
      case 'delegation':
        return eb('c.delegation_id', '=', scope.delegationId);
      case 'agency':
        return eb('c.agency_id', '=', scope.agencyId);
      case 'field_agent':
        // his agency's cases of the accounts assigned to him (or to no one in particular)
        return eb.and([
          eb('c.agency_id', '=', scope.agencyId),
          eb.or([eb('c.field_agent_user_id', '=', scope.userId), eb('c.field_agent_user_id', 'is', null)]),
        ]);
      case 'mediator':
        return eb('c.mediator_id', '=', scope.mediatorId);
      case 'representative':
        return eb('c.representative_id', '=', scope.representativeId);
      case 'credit':
        return eb('c.credit_number', '=', scope.creditNumber);
    }
  };
}

export const caseColumns = [
  'c.id',
  'c.credit_number',
  'c.round',
  'c.entry',
  'c.month',
  'c.convenio_type',
  'c.delegation_id',
  'c.agency_id',
  'c.field_agent_user_id',
  'c.mediator_id',
  'c.representative_id',
  'c.state',
  'c.version',
  'c.opened_on',
  'c.accepted_on',
  'c.distributed_on',
  'c.scheduled_on',
  'c.session_date',
  'c.closed_on',
  'c.closure_rule',
  'c.deadline_policy_version',
  'c.dl1_due_on',
  'c.dl2_due_on',
  'c.dl4_due_on',
  'c.dl5_closes_on',
  'c.dl6_due_on',
  'c.dl8_closes_on',
  'c.facts',
  'c.privacy_notice_shown_on',
  'c.contact_captured_on',
  'c.updated_at',
] as const;

/** One case in scope, locked for the transition that follows (or undefined: 404). */
export async function lockCaseInScope(trx: Executor, scope: Scope, id: number) {
  return trx.selectFrom('mediation_cases as c').select(caseColumns).where('c.id', '=', id).where(caseInScope(scope)).forUpdate().executeTakeFirst();
}

export type CaseRow = NonNullable<Awaited<ReturnType<typeof lockCaseInScope>>>;

export function factsOf(row: Pick<CaseRow, 'facts'>): CaseFacts {
  return row.facts as CaseFacts;
}

/** The case with its names for the pages (credit, borrower, delegación, agency, mediator, representative). */
export async function findCaseView(db: Executor, scope: Scope, id: number) {
  return db
    .selectFrom('mediation_cases as c')
    .innerJoin('credits as cr', 'cr.credit_number', 'c.credit_number')
    .innerJoin('delegations as d', 'd.id', 'c.delegation_id')
    .innerJoin('agencies as ag', 'ag.id', 'c.agency_id')
    .leftJoin('mediators as m', 'm.id', 'c.mediator_id')
    .leftJoin('representatives as r', 'r.id', 'c.representative_id')
    .select(caseColumns)
    .select([
      'cr.borrower_name',
      'cr.address_street',
      'cr.address_settlement',
      'cr.address_municipality',
      'cr.address_postal_code',
      'cr.balance_cents',
      'cr.months_in_arrears',
      'cr.phone_landline as credit_landline',
      'cr.phone_mobile as credit_mobile',
      'cr.email as credit_email',
      'd.name as delegation_name',
      'ag.name as agency_name',
      'm.full_name as mediator_name',
      'm.kind as mediator_kind',
      'm.app_licence_number',
      'r.full_name as representative_name',
      'r.has_legal_powers as representative_has_powers',
      'c.contact_landline',
      'c.contact_mobile',
      'c.contact_email',
    ])
    .where('c.id', '=', id)
    .where(caseInScope(scope))
    .executeTakeFirst();
}

export async function findCaseEvents(db: Executor, caseId: number) {
  return db
    .selectFrom('case_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.version',
      'e.action',
      'e.activity',
      'e.from_state',
      'e.to_state',
      'e.on_date',
      'e.actor_role',
      'u.full_name as actor_name',
      'e.data',
      'e.closure_rule',
      'e.policy_version',
      'e.explanation',
      'e.recorded_at',
    ])
    .where('e.case_id', '=', caseId)
    .orderBy('e.version')
    .execute();
}

export async function findCaseBreaches(db: Executor, caseId: number) {
  return db.selectFrom('case_deadline_breaches').select(['rule', 'due_on', 'flagged_on']).where('case_id', '=', caseId).orderBy('rule').execute();
}

/** Work lists (SPEC §4: the agency's daily list, the mediator's daily list, the field agent's visits). */
export const CASE_QUEUES = ['all', 'open', 'to_distribute', 'new', 'to_schedule', 'scheduled', 'in_session', 'drafts_requested', 'closed'] as const;
export type CaseQueue = (typeof CASE_QUEUES)[number];

const QUEUE_STATES: Record<Exclude<CaseQueue, 'all' | 'open' | 'closed' | 'drafts_requested'>, CaseStateColumn[]> = {
  to_distribute: ['accepted'],
  new: ['distributed'],
  to_schedule: ['distributed', 'contacting'],
  scheduled: ['scheduled', 'rescheduled'],
  in_session: ['session_held', 'refused_to_sign'],
};

export async function searchCases(
  db: Executor,
  scope: Scope,
  input: { queue: CaseQueue; q?: string | undefined; limit: number; offset: number },
) {
  let query = db
    .selectFrom('mediation_cases as c')
    .innerJoin('credits as cr', 'cr.credit_number', 'c.credit_number')
    .innerJoin('agencies as ag', 'ag.id', 'c.agency_id')
    .leftJoin('mediators as m', 'm.id', 'c.mediator_id')
    .where(caseInScope(scope));
  const terminal = TERMINAL_STATES as CaseStateColumn[];
  if (input.queue === 'open') query = query.where('c.state', 'not in', terminal);
  else if (input.queue === 'closed') query = query.where('c.state', 'in', terminal);
  else if (input.queue === 'drafts_requested') {
    // act. 13: the regional manager's list of cases whose mediator asked for the draft convenios
    query = query.where('c.state', 'not in', terminal).where(sql<boolean>`c.facts ? 'draftsRequestedOn' AND NOT c.facts ? 'draftsProvidedOn'`);
  } else if (input.queue !== 'all') query = query.where('c.state', 'in', QUEUE_STATES[input.queue]);
  if (input.q) {
    const q = input.q;
    query = /^\d+$/.test(q) ? query.where('c.credit_number', 'like', `${q}%`) : query.where(sql<boolean>`cr.borrower_name ILIKE ${'%' + q.replace(/[%_\\]/g, '\\$&') + '%'}`);
  }
  const [rows, count] = await Promise.all([
    query
      .select([
        'c.id',
        'c.credit_number',
        'cr.borrower_name',
        'c.round',
        'c.state',
        'c.version',
        'c.convenio_type',
        'c.accepted_on',
        'c.session_date',
        'c.dl1_due_on',
        'c.dl5_closes_on',
        'c.dl8_closes_on',
        'ag.name as agency_name',
        'm.full_name as mediator_name',
        'c.updated_at',
      ])
      .orderBy(sql`coalesce(c.accepted_on, c.opened_on)`, 'asc')
      .orderBy('c.id')
      .limit(input.limit)
      .offset(input.offset)
      .execute(),
    query.select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** ASG-5: the case of the credit that has not ended, if any. */
export async function findOpenCaseOfCredit(db: Executor, creditNumber: string) {
  return db
    .selectFrom('mediation_cases')
    .select(['id', 'state', 'agency_id'])
    .where('credit_number', '=', creditNumber)
    .where('state', 'not in', TERMINAL_STATES as CaseStateColumn[])
    .executeTakeFirst();
}

/** ENT-C: convenios signed in earlier cases of the credit. */
export async function countSignedConvenios(db: Executor, creditNumber: string): Promise<number> {
  const row = await db
    .selectFrom('mediation_cases')
    .select(sql<bigint>`count(*)`.as('n'))
    .where('credit_number', '=', creditNumber)
    .where('state', '=', 'signed')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertCase(trx: Executor, values: Insertable<MediationCasesTable>) {
  const row = await trx.insertInto('mediation_cases').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export type CaseUpdate = Omit<Updateable<MediationCasesTable>, 'id' | 'credit_number' | 'version' | 'created_at'>;

/** Optimistic locking: writes only if the case is still at `expectedVersion`; false otherwise. */
export async function updateCaseAtVersion(trx: Executor, id: number, expectedVersion: number, values: CaseUpdate): Promise<boolean> {
  const result = await trx
    .updateTable('mediation_cases')
    .set({ ...values, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function insertCaseEvent(
  trx: Executor,
  values: {
    case_id: number;
    version: number;
    action: string;
    activity: string;
    from_state: string;
    to_state: string;
    on_date: string;
    round: number;
    actor_role: string;
    actor_user_id: number | null;
    data: unknown;
    closure_rule?: string | null | undefined;
    policy_version?: number | null | undefined;
    explanation?: string | null | undefined;
    recorded_at: Date;
  },
) {
  const row = await trx
    .insertInto('case_events')
    .values({
      ...values,
      data: JSON.stringify(values.data ?? {}),
      closure_rule: values.closure_rule ?? null,
      policy_version: values.policy_version ?? null,
      explanation: values.explanation ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id as unknown as bigint;
}

/** The credit's current assignment (the latest month), for opening a case. */
export async function findLatestAssignment(db: Executor, creditNumber: string) {
  return db
    .selectFrom('credit_assignments')
    .select(['month', 'entry', 'delegation_id', 'agency_id', 'convenio_type', 'field_agent_user_id'])
    .where('credit_number', '=', creditNumber)
    .orderBy('month', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The cases of a credit in scope, newest first (the credit page's history). */
export async function findCasesOfCredit(db: Executor, scope: Scope, creditNumber: string) {
  return db
    .selectFrom('mediation_cases as c')
    .innerJoin('agencies as ag', 'ag.id', 'c.agency_id')
    .select(['c.id', 'c.round', 'c.entry', 'c.state', 'c.opened_on', 'c.accepted_on', 'c.closed_on', 'c.closure_rule', 'ag.name as agency_name'])
    .where('c.credit_number', '=', creditNumber)
    .where(caseInScope(scope))
    .orderBy('c.id', 'desc')
    .execute();
}
