/**
 * SQL of the entries outside the monthly run (ENT-A, ENT-B): one set-based statement per step
 * over the credits of a proposal.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { ConvenioTypeCriteria, ExclusionCriteria } from '../policy/policy.definitions.js';
import type { SolutionParameters } from '../solutions/solutions.policy.js';
import { convenioTypeSql, exclusionMaskSql, mediatorAvailabilitySql } from './assignment.repository.js';

/** Records each proposed credit's exclusion mask, and marks those already assigned this month. */
export async function evaluateProposal(
  trx: Executor,
  input: { proposalId: number; month: string; criteria: ExclusionCriteria; solutions: SolutionParameters },
): Promise<void> {
  await sql`
    UPDATE mediation_proposal_credits p
    SET exclusion_mask = ${exclusionMaskSql(input.criteria, input.solutions)},
        outcome = CASE
          WHEN EXISTS (SELECT 1 FROM credit_assignments a WHERE a.month = ${input.month} AND a.credit_number = p.credit_number) THEN 'already_tagged'
          WHEN ${exclusionMaskSql(input.criteria, input.solutions)} <> 0 THEN 'excluded'
          ELSE 'pending' END
    FROM credits c
    WHERE c.credit_number = p.credit_number AND p.proposal_id = ${input.proposalId}`.execute(trx);
}

/**
 * Tags the proposal's eligible credits outside the monthly run: convenio type by the criteria in
 * force (ASG-3) and the agency serving the delegation with the most capacity left this month
 * (ties: lowest id). Returns how many were tagged.
 */
export async function tagProposalCredits(
  trx: Executor,
  input: { proposalId: number; month: string; today: string; entry: 'request' | 'specialized_recovery'; criteria: ConvenioTypeCriteria },
): Promise<number> {
  await sql`
    WITH load AS (
      SELECT agency_id, count(*) AS assigned FROM credit_assignments WHERE month = ${input.month} GROUP BY agency_id
    ),
    candidates AS (
      SELECT p.credit_number, c.delegation_id, c.segment, c.balance_cents,
             (SELECT ad.agency_id
              FROM agency_delegations ad
              JOIN agencies ag ON ag.id = ad.agency_id AND ag.active
              LEFT JOIN load l ON l.agency_id = ad.agency_id
              WHERE ad.delegation_id = c.delegation_id
              ORDER BY ag.monthly_capacity - coalesce(l.assigned, 0) DESC, ad.agency_id
              LIMIT 1) AS agency_id
      FROM mediation_proposal_credits p JOIN credits c ON c.credit_number = p.credit_number
      WHERE p.proposal_id = ${input.proposalId} AND p.outcome = 'pending'
    ),
    availability AS MATERIALIZED (${mediatorAvailabilitySql(input.today)}),
    typed AS (
      SELECT t.credit_number, t.delegation_id, t.agency_id, ${convenioTypeSql(input.criteria)} AS convenio_type
      FROM candidates t LEFT JOIN availability k ON k.delegation_id = t.delegation_id
    ),
    inserted AS (
      INSERT INTO credit_assignments (month, credit_number, run_id, entry, delegation_id, agency_id, convenio_type, assigned_on)
      SELECT ${input.month}, credit_number, NULL, ${input.entry}, delegation_id, agency_id, convenio_type, ${input.today}::date
      FROM typed WHERE agency_id IS NOT NULL
      RETURNING credit_number, agency_id, convenio_type
    )
    UPDATE mediation_proposal_credits p
    SET outcome = CASE WHEN i.credit_number IS NULL THEN 'no_agency' ELSE 'tagged' END,
        agency_id = i.agency_id,
        convenio_type = i.convenio_type
    FROM typed t LEFT JOIN inserted i ON i.credit_number = t.credit_number
    WHERE p.proposal_id = ${input.proposalId} AND p.credit_number = t.credit_number AND p.outcome = 'pending'`.execute(trx);
  const tagged = await trx
    .selectFrom('mediation_proposal_credits')
    .select(sql<bigint>`count(*)`.as('n'))
    .where('proposal_id', '=', input.proposalId)
    .where('outcome', '=', 'tagged')
    .executeTakeFirstOrThrow();
  return Number(tagged.n);
}

export async function findProposal(db: Executor, id: number) {
  return db
    .selectFrom('mediation_proposals as p')
    .innerJoin('users as u', 'u.id', 'p.requester_user_id')
    .selectAll('p')
    .select(['u.full_name as requester_name', 'u.role as requester_role'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export async function findProposalCredits(db: Executor, id: number) {
  return db
    .selectFrom('mediation_proposal_credits as p')
    .innerJoin('credits as c', 'c.credit_number', 'p.credit_number')
    .leftJoin('agencies as a', 'a.id', 'p.agency_id')
    .select(['p.credit_number', 'c.borrower_name', 'c.delegation_id', 'p.outcome', 'p.exclusion_mask', 'p.agency_id', 'a.name as agency_name', 'p.convenio_type'])
    .where('p.proposal_id', '=', id)
    .orderBy('p.credit_number')
    .execute();
}

export async function findProposals(db: Executor, input: { requesterUserId?: number; status?: 'pending' | 'resolved' }) {
  let query = db
    .selectFrom('mediation_proposals as p')
    .innerJoin('users as u', 'u.id', 'p.requester_user_id')
    .select([
      'p.id',
      'p.entry',
      'p.requester_area',
      'p.reason',
      'p.created_at',
      'p.status',
      'p.resolved_at',
      'u.full_name as requester_name',
      (eb) => eb.selectFrom('mediation_proposal_credits as pc').select(sql<bigint>`count(*)`.as('n')).whereRef('pc.proposal_id', '=', 'p.id').as('credits'),
    ]);
  if (input.requesterUserId !== undefined) query = query.where('p.requester_user_id', '=', input.requesterUserId);
  if (input.status) query = query.where('p.status', '=', input.status);
  return query.orderBy('p.created_at', 'desc').limit(200).execute();
}
