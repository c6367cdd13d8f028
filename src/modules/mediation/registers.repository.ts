/**
 * The agency's registers and the field agent's visit list, scoped in SQL (SEC-2).
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import type { CaseStateColumn } from '../../db/schema.js';
import type { Scope } from '../identity/identity.rules.js';
import { CASE_STATE_LABELS, TERMINAL_STATES } from './mediation.rules.js';

const terminalList = sql.join(TERMINAL_STATES.map((state) => sql.lit(state)));

/**
 * Act. 2: the accounts assigned to the agency (or to this field agent) in the agency's latest
 * assignment month, with the state of the credit's case that has not ended, if any.
 */
export async function findFieldVisits(db: Executor, scope: Scope, input: { q?: string | undefined; pending: boolean; limit: number; offset: number }) {
  if (scope.kind !== 'agency' && scope.kind !== 'field_agent') return { month: null, total: 0, rows: [] };
  const latest = await db
    .selectFrom('credit_assignments')
    .select(sql<string | null>`max(month)`.as('month'))
    .where('agency_id', '=', scope.agencyId)
    .executeTakeFirst();
  const month = latest?.month ?? null;
  if (month === null) return { month, total: 0, rows: [] };
  let query = db
    .selectFrom('credit_assignments as a')
    .innerJoin('credits as cr', 'cr.credit_number', 'a.credit_number')
    .leftJoin('mediation_cases as c', (join) =>
      join.onRef('c.credit_number', '=', 'a.credit_number').on(sql<boolean>`c.state NOT IN (${terminalList})`),
    )
    .where('a.month', '=', month)
    .where('a.agency_id', '=', scope.agencyId);
  if (scope.kind === 'field_agent') query = query.where((eb) => eb.or([eb('a.field_agent_user_id', '=', scope.userId), eb('a.field_agent_user_id', 'is', null)]));
  if (input.pending) query = query.where((eb) => eb.or([eb('c.id', 'is', null), eb('c.state', 'in', ['tagged', 'offered'])]));
  if (input.q) {
    const q = input.q;
    query = /^\d+$/.test(q) ? query.where('a.credit_number', 'like', `${q}%`) : query.where(sql<boolean>`cr.borrower_name ILIKE ${'%' + q.replace(/[%_\\]/g, '\\$&') + '%'}`);
  }
  const [rows, count] = await Promise.all([
    query
      .select([
        'a.credit_number',
        'cr.borrower_name',
        'cr.address_street',
        'cr.address_settlement',
        'cr.address_municipality',
        'a.convenio_type',
        'cr.months_in_arrears',
        'c.id as case_id',
        'c.state as case_state',
      ])
      .orderBy(sql`c.id IS NOT NULL`)
      .orderBy('a.credit_number')
      .limit(input.limit)
      .offset(input.offset)
      .execute(),
    query.select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    month,
    total: Number(count.n),
    rows: rows.map((r) => ({
      creditNumber: r.credit_number,
      borrowerName: r.borrower_name,
      address: `${r.address_street}, ${r.address_settlement}, ${r.address_municipality}`,
      convenioType: r.convenio_type,
      monthsInArrears: r.months_in_arrears,
      caseId: r.case_id,
      caseState: r.case_state,
      caseStateLabel: r.case_state ? CASE_STATE_LABELS[r.case_state as CaseStateColumn] : null,
    })),
  };
}

function agencyFilter(scope: Scope): number | 'all' | 'none' {
  if (scope.kind === 'national' || scope.kind === 'delegation') return 'all';
  if (scope.kind === 'agency') return scope.agencyId;
  return 'none';
}

/** The mediator ↔ app-licence register, with each mediator's open cases. */
export async function findMediatorsInScope(db: Executor, scope: Scope) {
  const agency = agencyFilter(scope);
  if (agency === 'none') return [];
  let query = db.selectFrom('mediators as m').innerJoin('agencies as ag', 'ag.id', 'm.agency_id');
  if (agency !== 'all') query = query.where('m.agency_id', '=', agency);
  if (scope.kind === 'delegation') {
    const delegationId = scope.delegationId;
    query = query.where((eb) => eb.exists(eb.selectFrom('agency_delegations as ad').select(sql`1`.as('one')).whereRef('ad.agency_id', '=', 'm.agency_id').where('ad.delegation_id', '=', delegationId)));
  }
  const rows = await query
    .select([
      'm.id',
      'm.agency_id',
      'ag.name as agency_name',
      'm.full_name',
      'm.kind',
      'm.certification_number',
      'm.certification_expires_on',
      'm.notary_number',
      'm.app_licence_number',
      'm.active',
      sql<bigint>`(SELECT count(*) FROM mediation_cases c WHERE c.mediator_id = m.id AND c.state NOT IN (${terminalList}))`.as('open_cases'),
    ])
    .orderBy('ag.name')
    .orderBy('m.full_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    fullName: r.full_name,
    kind: r.kind,
    certificationNumber: r.certification_number,
    certificationExpiresOn: r.certification_expires_on,
    notaryNumber: r.notary_number,
    appLicenceNumber: r.app_licence_number,
    active: r.active,
    openCases: Number(r.open_cases),
  }));
}

/** Act. 7: the Infonavit representatives the agency designated. */
export async function findRepresentativesInScope(db: Executor, scope: Scope) {
  const agency = agencyFilter(scope);
  if (agency === 'none') return [];
  let query = db.selectFrom('representatives as r').innerJoin('agencies as ag', 'ag.id', 'r.agency_id').innerJoin('delegations as d', 'd.id', 'r.delegation_id');
  if (agency !== 'all') query = query.where('r.agency_id', '=', agency);
  if (scope.kind === 'delegation') query = query.where('r.delegation_id', '=', scope.delegationId);
  const rows = await query
    .select(['r.id', 'ag.name as agency_name', 'd.name as delegation_name', 'r.full_name', 'r.has_legal_powers', 'r.active'])
    .orderBy('ag.name')
    .orderBy('r.full_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    agencyName: r.agency_name,
    delegationName: r.delegation_name,
    fullName: r.full_name,
    hasLegalPowers: r.has_legal_powers,
    active: r.active,
  }));
}
