/**
 * REP-2's SQL (SPEC §7, act. 34): the delegación, and one statement giving the convenios signed in
 * the month with what their append-only `convenio_events` had recorded by the "as of" date — the
 * signature (a convenio whose signature was recorded later is not in the report), the approval,
 * the first payment and the status after the last event. `convenios.status` is never read.
 */
import { sql, type RawBuilder } from 'kysely';
import type { IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { Rep2Facts } from './rep2.rules.js';
import { monthBounds } from './report-xlsx.js';

export interface DelegationRef {
  id: number;
  code: string;
  name: string;
}

/** A delegación by its id or code (the CLI takes either); 404 when none. */
export async function getDelegation(db: Executor, idOrCode: number | string): Promise<DelegationRef> {
  const text = String(idOrCode).trim();
  const query = db.selectFrom('delegations').select(['id', 'code', 'name']);
  const row = await (/^\d+$/.test(text) ? query.where('id', '=', Number(text)) : query.where('code', '=', text.toUpperCase())).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { userMessage: `Delegación no encontrada: ${text}.` });
  return row;
}

/** The delegación of a DR manager's scope. */
export async function findDelegation(db: Executor, id: number): Promise<DelegationRef> {
  return getDelegation(db, id);
}

export interface Rep2Query {
  month: string;
  delegationId: number;
  asOf: IsoDate;
}

function signedInMonth(input: Omit<Rep2Query, 'asOf'>) {
  const { first, last } = monthBounds(input.month);
  return sql`
    SELECT v.id, v.folio, v.credit_number, v.agency_id, v.convenio_type, v.solution_id, v.signed_on
    FROM convenios v
    WHERE v.delegation_id = ${input.delegationId} AND v.signed_on BETWEEN ${first}::date AND ${last}::date`;
}

/** One row per convenio signed in the month in the delegación and recorded by the date, by signature date and folio. */
export function rep2Query(input: Rep2Query): RawBuilder<Rep2Facts> {
  const asOf = sql`${input.asOf}::date`;
  return sql<Rep2Facts>`
    WITH v AS (${signedInMonth(input)}),
    f AS (
      SELECT e.convenio_id,
             (array_agg(e.to_status ORDER BY e.version DESC))[1] AS status,
             min(e.on_date) FILTER (WHERE e.action = 'approve') AS approved_on,
             (array_agg(e.data->>'paidOn' ORDER BY e.version) FILTER (WHERE e.action = 'record_first_payment'))[1] AS first_paid_on,
             (array_agg(e.data->>'amountCents' ORDER BY e.version) FILTER (WHERE e.action = 'record_first_payment'))[1] AS first_paid_cents
      FROM convenio_events e
      JOIN v ON v.id = e.convenio_id
      WHERE e.on_date <= ${asOf}
      GROUP BY e.convenio_id
      HAVING bool_or(e.action = 'sign')
    )
    SELECT d.name AS "delegationName",
           v.credit_number AS "creditNumber",
           cr.borrower_name AS "borrowerName",
           v.folio,
           ag.name AS "agencyName",
           v.convenio_type AS "convenioType",
           v.solution_id AS "solutionId",
           v.signed_on AS "signedOn",
           f.approved_on AS "approvedOn",
           f.first_paid_on AS "firstPaidOn",
           f.first_paid_cents AS "firstPaidCents",
           f.status
    FROM v
    JOIN f ON f.convenio_id = v.id
    JOIN credits cr ON cr.credit_number = v.credit_number
    JOIN agencies ag ON ag.id = v.agency_id
    JOIN delegations d ON d.id = ${input.delegationId}
    ORDER BY v.signed_on, v.folio`;
}

/** How many convenios were signed in the month (a progress bar's total; the report keeps those recorded by its date). */
export async function countRep2Rows(db: Executor, input: Omit<Rep2Query, 'asOf'>): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${signedInMonth(input)}) v`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/** The credit numbers of the month's convenios (SEC-4: a download of a stored report is a read of each). */
export async function findRep2CreditNumbers(db: Executor, input: Omit<Rep2Query, 'asOf'>): Promise<string[]> {
  const result = await sql<{ credit_number: string }>`SELECT DISTINCT v.credit_number FROM (${signedInMonth(input)}) v ORDER BY v.credit_number`.execute(db);
  return result.rows.map((row) => row.credit_number);
}
