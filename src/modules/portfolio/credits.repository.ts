/**
 * All SQL over `credits` for reading, with the caller's scope applied in SQL (SEC-2).
 */
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { DB } from '../../db/schema.js';
import type { Scope } from '../identity/identity.rules.js';

/**
 * The months whose assignments are current: that of the latest published monthly run and the next
 * one (entries A and B tag credits in the calendar month, which may be ahead of the last run). Two
 * equalities rather than `month >= …`, so that a lookup by credit uses the primary key.
 */
const latestRunMonth = sql<string>`(SELECT max(month) FROM assignment_runs WHERE published_at IS NOT NULL)`;
const currentAssignmentMonths = sql<string>`(${latestRunMonth}), to_char(to_date((${latestRunMonth}), 'YYYY-MM') + interval '1 month', 'YYYY-MM')`;

/**
 * SEC-2 as a WHERE condition on `credits`. Agencies and field agents see the accounts currently
 * assigned to them; a mediator or a representative sees the credits of the cases distributed or designated to them.
 */
export function creditInScope(scope: Scope) {
  return (eb: ExpressionBuilder<DB, 'credits'>): Expression<SqlBool> => {
    switch (scope.kind) {
      case 'national':
        return sql<boolean>`true`;
      case 'delegation':
        return eb('credits.delegation_id', '=', scope.delegationId);
      case 'credit':
        return eb('credits.credit_number', '=', scope.creditNumber);
      case 'agency':
        return eb.or([
          eb.exists(
            eb
              .selectFrom('credit_assignments as a')
              .select(sql`1`.as('one'))
              .whereRef('a.credit_number', '=', 'credits.credit_number')
              .where('a.agency_id', '=', scope.agencyId)
              .where(sql<boolean>`a.month IN (${currentAssignmentMonths})`),
          ),
          // ASG-5: the agency keeps the credits of the cases it has open
          eb.exists(
            eb
              .selectFrom('mediation_cases as mc')
              .select(sql`1`.as('one'))
              .whereRef('mc.credit_number', '=', 'credits.credit_number')
              .where('mc.agency_id', '=', scope.agencyId)
              .where('mc.closed_on', 'is', null),
          ),
        ]);
      case 'field_agent':
        return eb.exists(
          eb
            .selectFrom('credit_assignments as a')
            .select(sql`1`.as('one'))
            .whereRef('a.credit_number', '=', 'credits.credit_number')
            .where('a.agency_id', '=', scope.agencyId)
            .where('a.field_agent_user_id', '=', scope.userId)
            .where(sql<boolean>`a.month IN (${currentAssignmentMonths})`),
        );
      case 'mediator':
        return eb.exists(
          eb.selectFrom('mediation_cases as mc').select(sql`1`.as('one')).whereRef('mc.credit_number', '=', 'credits.credit_number').where('mc.mediator_id', '=', scope.mediatorId),
        );
      case 'representative':
        return eb.exists(
          eb
            .selectFrom('mediation_cases as mc')
            .select(sql`1`.as('one'))
            .whereRef('mc.credit_number', '=', 'credits.credit_number')
            .where('mc.representative_id', '=', scope.representativeId),
        );
    }
  };
}

const summaryColumns = [
  'credits.credit_number',
  'credits.borrower_name',
  'credits.delegation_id',
  'delegations.code as delegation_code',
  'delegations.name as delegation_name',
  'credits.segment',
  'credits.denomination',
  'credits.balance_cents',
  'credits.months_in_arrears',
  'credits.regime',
] as const;

export async function searchCredits(
  db: Executor,
  scope: Scope,
  input: { q: string; limit: number; offset: number },
) {
  const q = input.q.trim();
  let query = db
    .selectFrom('credits')
    .innerJoin('delegations', 'delegations.id', 'credits.delegation_id')
    .where(creditInScope(scope));
  if (/^\d{10}$/.test(q)) query = query.where('credits.credit_number', '=', q);
  else if (/^\d+$/.test(q)) query = query.where('credits.credit_number', 'like', `${q}%`);
  else if (q.length > 0) {
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(credits.borrower_name) LIKE ${pattern}`);
  }
  const [rows, count] = await Promise.all([
    query.select(summaryColumns).orderBy('credits.credit_number').limit(input.limit).offset(input.offset).execute(),
    db
      .selectFrom(query.select(sql`1`.as('one')).limit(10_001).as('matches'))
      .select(sql<bigint>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findCredit(db: Executor, scope: Scope, creditNumber: string) {
  return db
    .selectFrom('credits')
    .innerJoin('delegations', 'delegations.id', 'credits.delegation_id')
    .selectAll('credits')
    .select(['delegations.code as delegation_code', 'delegations.name as delegation_name'])
    .where('credits.credit_number', '=', creditNumber)
    .where(creditInScope(scope))
    .executeTakeFirst();
}
