/**
 * REP-1's SQL (SPEC §7, act. 32): the agency, and one set-based statement that gives every credit
 * of the month with what the event logs had recorded by the "as of" date.
 *
 * Reproducible "as of" a date: nothing here reads the current state of a case or a convenio
 * (`mediation_cases.state`, `convenios.status`). The rows are the month's assignments; each fact
 * is the aggregate of the append-only `case_events` recorded on or before the date (`on_date` is
 * the platform's day of the recording), the signed convenio's own immutable columns (type,
 * solution, signature date) once its signature event is in, and the CJA registration's
 * `convenio_events` row. Events recorded later change nothing in the report of a past date.
 */
import { sql, type RawBuilder } from 'kysely';
import type { IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { Rep1Facts } from './rep1.rules.js';

export interface AgencyRef {
  id: number;
  code: string;
  name: string;
}

/** An agency by its id or its code (the CLI takes either); 404 when none. */
export async function getAgency(db: Executor, idOrCode: number | string): Promise<AgencyRef> {
  const text = String(idOrCode).trim();
  let query = db.selectFrom('agencies').select(['id', 'code', 'name']);
  query = /^\d+$/.test(text) ? query.where((eb) => eb.or([eb('id', '=', Number(text)), eb('code', '=', text)])) : query.where('code', '=', text.toUpperCase());
  const row = await query.orderBy('id').limit(1).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { userMessage: `Agencia no encontrada: ${text}.` });
  return row;
}

/** SEC-2: whether an agency serves a delegación (a DR manager reads REP-1 of those agencies only). */
export async function agencyServesDelegation(db: Executor, agencyId: number, delegationId: number): Promise<boolean> {
  const row = await db
    .selectFrom('agency_delegations')
    .select('agency_id')
    .where('agency_id', '=', agencyId)
    .where('delegation_id', '=', delegationId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface Rep1Query {
  month: string;
  agencyId: number;
  /** A DR manager's reading: only the rows of his delegación (SEC-2). */
  delegationId?: number | undefined;
  asOf: IsoDate;
}

/** The month's assignments of the agency (and delegación), the rows of the report. */
function assignmentsOf(input: Omit<Rep1Query, 'asOf'>) {
  return sql`
    SELECT a.credit_number, a.delegation_id, a.convenio_type, a.assigned_on
    FROM credit_assignments a
    WHERE a.month = ${input.month} AND a.agency_id = ${input.agencyId}
      ${input.delegationId === undefined ? sql`` : sql`AND a.delegation_id = ${input.delegationId}`}`;
}

/**
 * One row per credit assigned to the agency in the month, ordered by delegación and credit, with
 * the facts `rep1Row` reads. The case of a credit is the month's (the latest if the month had two,
 * ENT-C) opened by the date.
 */
export function rep1Query(input: Rep1Query): RawBuilder<Rep1Facts> {
  const asOf = sql`${input.asOf}::date`;
  const of = (expression: RawBuilder<unknown>, action: RawBuilder<unknown>) => sql`max(${expression}) FILTER (WHERE ${action})`;
  return sql<Rep1Facts>`
    WITH a AS (${assignmentsOf(input)}),
    k AS (
      SELECT DISTINCT ON (c.credit_number) c.credit_number, c.id
      FROM mediation_cases c
      JOIN a ON a.credit_number = c.credit_number
      WHERE c.month = ${input.month} AND c.agency_id = ${input.agencyId} AND c.opened_on <= ${asOf}
      ORDER BY c.credit_number, c.id DESC
    ),
    f AS (
      -- One pass over the events of each case, in any order. The state after the last event is
      -- that of the highest version (fixed-width version, then the state: the largest text). Each
      -- other fact is recorded at most once in a case (mediation.rules TRANSITIONS: distribution
      -- from 'accepted', the first scheduling from 'distributed'/'contacting', one reschedule
      -- (DL-7), NS and NR into states no step returns from), so max() reads it.
      SELECT e.case_id,
             substr(max(to_char(e.version, 'FM0000000000') || e.to_state), 11) AS state,
             min(e.on_date) FILTER (WHERE e.action IN ('record_acceptance', 'mark_accepted')) AS accepted_on,
             ${of(sql`e.data->>'solutionId'`, sql`e.action = 'record_solution_at_visit'`)} AS visit_solution_id,
             min(e.on_date) FILTER (WHERE e.action = 'distribute') AS distributed_on,
             ${of(sql`(e.data->>'mediatorId')::int`, sql`e.action = 'distribute'`)} AS mediator_id,
             ${of(sql`e.data->>'sessionDate'`, sql`e.action = 'schedule_session'`)} AS first_session_date,
             coalesce(${of(sql`e.data->>'sessionDate'`, sql`e.action = 'reschedule_session'`)}, ${of(sql`e.data->>'sessionDate'`, sql`e.action = 'schedule_session'`)}) AS session_date,
             coalesce(bool_or(e.action = 'reschedule_session'), false) AS rescheduled,
             ${of(sql`e.data->>'heldOn'`, sql`e.action = 'hold_session'`)} AS held_on,
             ${of(sql`e.data->>'cause'`, sql`e.action = 'record_not_scheduled'`)} AS not_scheduled_cause,
             ${of(sql`e.data->>'cause'`, sql`e.action = 'record_refusal_to_sign'`)} AS refusal_to_sign_cause,
             bool_or(e.action = 'sign_convenio') AS signed
      FROM case_events e
      JOIN k ON k.id = e.case_id
      WHERE e.on_date <= ${asOf}
      GROUP BY e.case_id
    )
    SELECT d.name AS "delegationName",
           a.credit_number AS "creditNumber",
           cr.borrower_name AS "borrowerName",
           a.convenio_type AS "assignedConvenioType",
           a.assigned_on AS "assignedOn",
           f.state,
           f.accepted_on AS "acceptedOn",
           f.visit_solution_id AS "visitSolutionId",
           f.distributed_on AS "distributedOn",
           m.full_name AS "mediatorName",
           f.first_session_date AS "firstSessionDate",
           f.session_date AS "sessionDate",
           coalesce(f.rescheduled, false) AS rescheduled,
           f.held_on AS "heldOn",
           f.not_scheduled_cause AS "notScheduledCause",
           f.refusal_to_sign_cause AS "refusalToSignCause",
           v.convenio_type AS "signedConvenioType",
           v.solution_id AS "signedSolutionId",
           v.signed_on AS "signedOn",
           cja.registered_on AS "cjaRegisteredOn"
    FROM a
    JOIN credits cr ON cr.credit_number = a.credit_number
    JOIN delegations d ON d.id = a.delegation_id
    LEFT JOIN k ON k.credit_number = a.credit_number
    LEFT JOIN f ON f.case_id = k.id
    LEFT JOIN mediators m ON m.id = f.mediator_id
    LEFT JOIN convenios v ON v.case_id = k.id AND f.signed
    LEFT JOIN LATERAL (
      SELECT ce.data->>'registeredOn' AS registered_on
      FROM convenio_events ce
      WHERE ce.convenio_id = v.id AND ce.action = 'record_cja_registration' AND ce.on_date <= ${asOf}
      ORDER BY ce.version DESC
      LIMIT 1
    ) cja ON true
    ORDER BY a.delegation_id, a.credit_number`;
}

/** How many rows the report has (for a progress bar). */
export async function countRep1Rows(db: Executor, input: Omit<Rep1Query, 'asOf'>): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${assignmentsOf(input)}) a`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/** The credit numbers of the report (SEC-4: a download of a stored report is a read of each). */
export async function findRep1CreditNumbers(db: Executor, input: Omit<Rep1Query, 'asOf'>): Promise<string[]> {
  const result = await sql<{ credit_number: string }>`SELECT a.credit_number FROM (${assignmentsOf(input)}) a ORDER BY a.credit_number`.execute(db);
  return result.rows.map((row) => row.credit_number);
}

/** Refuses an agency the DR manager's delegación is not served by (SEC-2). */
export async function assertAgencyInDelegation(db: Executor, agency: AgencyRef, delegationId: number): Promise<void> {
  if (!(await agencyServesDelegation(db, agency.id, delegationId))) {
    throw new AppError('FORBIDDEN', { userMessage: `La agencia ${agency.name} no atiende su delegación: no puede consultar su reporte (SEC-2).` });
  }
}
