/**
 * SQL of the entries outside the monthly run (ENT-A, ENT-B): one set-based statement per step
 * over the credits of a proposal.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { ConvenioType } from '../../db/schema.js';
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
 * force (ASG-3), computed in SQL, and an agency serving the delegation with capacity left this
 * month (ASG-4): each credit, in credit-number order, goes to the serving agency with the most
 * capacity left (ties: lowest id), and that capacity goes down by one. Capacity is per agency
 * across all its delegaciones, so this small matching (a proposal holds at most
 * MAX_PROPOSAL_CREDITS credits) is done here rather than in one statement. Credits no agency can
 * take are `no_agency`. Returns how many were tagged.
 */
export async function tagProposalCredits(
  trx: Executor,
  input: { proposalId: number; month: string; today: string; entry: 'request' | 'specialized_recovery'; criteria: ConvenioTypeCriteria },
): Promise<number> {
  const candidates = await sql<{ credit_number: string; delegation_id: number; convenio_type: ConvenioType }>`
    WITH candidates AS (
      SELECT p.credit_number, c.delegation_id, c.segment, c.balance_cents
      FROM mediation_proposal_credits p JOIN credits c ON c.credit_number = p.credit_number
      WHERE p.proposal_id = ${input.proposalId} AND p.outcome = 'pending'
    ),
    availability AS MATERIALIZED (${mediatorAvailabilitySql(input.today)})
    SELECT t.credit_number, t.delegation_id, ${convenioTypeSql(input.criteria)} AS convenio_type
    FROM candidates t LEFT JOIN availability k ON k.delegation_id = t.delegation_id
    ORDER BY t.credit_number`.execute(trx);
  if (candidates.rows.length === 0) return 0;

  const serving = await sql<{ agency_id: number; delegation_id: number; remaining: bigint }>`
    SELECT ad.agency_id, ad.delegation_id,
           ag.monthly_capacity - (SELECT count(*) FROM credit_assignments a WHERE a.month = ${input.month} AND a.agency_id = ad.agency_id) AS remaining
    FROM agency_delegations ad JOIN agencies ag ON ag.id = ad.agency_id AND ag.active
    WHERE ad.delegation_id IN (SELECT DISTINCT c.delegation_id FROM mediation_proposal_credits p JOIN credits c USING (credit_number)
                               WHERE p.proposal_id = ${input.proposalId} AND p.outcome = 'pending')
    ORDER BY ad.agency_id`.execute(trx);
  const remaining = new Map<number, number>();
  const agenciesOf = new Map<number, number[]>();
  for (const row of serving.rows) {
    remaining.set(row.agency_id, Number(row.remaining));
    agenciesOf.set(row.delegation_id, [...(agenciesOf.get(row.delegation_id) ?? []), row.agency_id]);
  }
  const placed: { credit_number: string; delegation_id: number; agency_id: number; convenio_type: ConvenioType }[] = [];
  const unplaced: string[] = [];
  for (const credit of candidates.rows) {
    let best: number | undefined;
    for (const agency of agenciesOf.get(credit.delegation_id) ?? []) {
      const left = remaining.get(agency)!;
      if (left > 0 && (best === undefined || left > remaining.get(best)!)) best = agency;
    }
    if (best === undefined) {
      unplaced.push(credit.credit_number);
      continue;
    }
    remaining.set(best, remaining.get(best)! - 1);
    placed.push({ ...credit, agency_id: best });
  }

  if (placed.length > 0) {
    await trx
      .insertInto('credit_assignments')
      .values(
        placed.map((credit) => ({
          month: input.month,
          credit_number: credit.credit_number,
          run_id: null,
          entry: input.entry,
          delegation_id: credit.delegation_id,
          agency_id: credit.agency_id,
          convenio_type: credit.convenio_type,
          assigned_on: input.today,
        })),
      )
      .execute();
    await sql`
      UPDATE mediation_proposal_credits p
      SET outcome = 'tagged', agency_id = a.agency_id, convenio_type = a.convenio_type
      FROM credit_assignments a
      WHERE p.proposal_id = ${input.proposalId} AND p.outcome = 'pending'
        AND a.month = ${input.month} AND a.credit_number = p.credit_number`.execute(trx);
  }
  if (unplaced.length > 0) {
    await trx
      .updateTable('mediation_proposal_credits')
      .set({ outcome: 'no_agency' })
      .where('proposal_id', '=', input.proposalId)
      .where('credit_number', 'in', unplaced)
      .execute();
  }
  return placed.length;
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
