/**
 * `cobranza demo`: a complete demo on an empty database — reference data, a synthetic portfolio
 * loaded through the same import (COPY) as real files, one user per role and scope, and the
 * default policies.
 */
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import { addDays, monthOf } from '../../clock.js';
import { runAssignment } from '../assignment/assignment.service.js';
import { recordEvent, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { hashPassword } from '../identity/passwords.js';
import { seedDemoCases } from '../mediation/demo-cases.js';
import { seedDemoHistory } from './demo-history.js';
import { seedDemoConvenios } from '../convenios/demo-convenios.js';
import { seedDefaultPolicies } from '../policy/policy.service.js';
import { importCredits } from './credits.import.js';
import {
  CREDIT_CSV_COLUMNS,
  creditToCsvLine,
  DEMO_PASSWORD,
  demoUsers,
  generateCredits,
  generateReferenceData,
} from './demo-data.js';

/** The credit file of a synthetic portfolio, as a stream of CSV chunks (header first). */
export function creditCsvStream(options: { seed: number; count: number; asOf: string }): Readable {
  const rowsPerChunk = 2_000;
  const rows = generateCredits(options);
  let headerSent = false;
  return new Readable({
    read() {
      if (!headerSent) {
        headerSent = true;
        this.push(CREDIT_CSV_COLUMNS.join(',') + '\n');
        return;
      }
      const lines: string[] = [];
      for (let i = 0; i < rowsPerChunk; i++) {
        const next = rows.next();
        if (next.done) break;
        lines.push(creditToCsvLine(next.value));
      }
      if (lines.length === 0) this.push(null);
      else this.push(lines.join('\n') + '\n');
    },
  });
}

export async function isDatabaseEmpty(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('delegations').select(sql<bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

export interface DemoOptions {
  credits: number;
  seed: number;
  today: string;
  now: Date;
  onProgress?: (rowsRead: number) => void;
  /** Last month worked through to the archive (issue 6); default true. Tests that do not read it skip it. */
  pastMonth?: boolean;
}

export interface DemoSummary {
  credits: number;
  agencies: number;
  mediators: number;
  representatives: number;
  users: number;
  tagged: number;
  assigned: number;
}

/** Seeds the reference data and users (everything but the portfolio and what depends on it). */
export async function seedReferenceData(trx: Executor, options: { seed: number; today: string; expectedCredits: number }) {
  const reference = generateReferenceData({ seed: options.seed, asOf: options.today, expectedCredits: options.expectedCredits });
  await trx.insertInto('delegations').values(reference.delegations.map((d) => ({ ...d }))).execute();
  await trx
    .insertInto('agencies')
    .values(
      reference.agencies.map((a) => ({
        id: a.id,
        code: a.code,
        name: a.name,
        rfc: a.rfc,
        contact_email: a.contactEmail,
        contact_phone: a.contactPhone,
        monthly_capacity: a.monthlyCapacity,
        active: a.active,
      })),
    )
    .execute();
  await trx
    .insertInto('agency_delegations')
    .values(reference.agencyDelegations.map((x) => ({ agency_id: x.agencyId, delegation_id: x.delegationId })))
    .execute();
  await trx
    .insertInto('mediators')
    .values(
      reference.mediators.map((m) => ({
        id: m.id,
        agency_id: m.agencyId,
        full_name: m.fullName,
        kind: m.kind,
        certification_number: m.certificationNumber,
        certification_expires_on: m.certificationExpiresOn,
        notary_number: m.notaryNumber,
        app_licence_number: m.appLicenceNumber,
        email: m.email,
        phone: m.phone,
        active: m.active,
      })),
    )
    .execute();
  await trx
    .insertInto('representatives')
    .values(
      reference.representatives.map((r) => ({
        id: r.id,
        agency_id: r.agencyId,
        delegation_id: r.delegationId,
        full_name: r.fullName,
        email: r.email,
        phone: r.phone,
        has_legal_powers: r.hasLegalPowers,
        power_of_attorney: r.powerOfAttorney,
        active: r.active,
      })),
    )
    .execute();
  for (const table of ['agencies', 'mediators', 'representatives'] as const) {
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(trx);
  }
  return reference;
}

export async function seedDemo(trx: Executor, options: DemoOptions): Promise<DemoSummary> {
  const reference = await seedReferenceData(trx, { seed: options.seed, today: options.today, expectedCredits: options.credits });
  const imported = await importCredits(trx, SYSTEM_ACTOR, {
    fileName: `demo-seed-${options.seed}-${options.credits}.csv`,
    input: creditCsvStream({ seed: options.seed, count: options.credits, asOf: options.today }),
    now: options.now,
    onProgress: (rows) => options.onProgress?.(rows),
  });
  const sample = await trx.selectFrom('credits').select('credit_number').orderBy('credit_number').limit(2).execute();
  const users = demoUsers(reference, { sampleCreditNumbers: sample.map((row) => row.credit_number) });
  // Every demo user shares the documented password; hash it once (argon2id is slow on purpose).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (let i = 0; i < users.length; i += 500) {
    await trx
      .insertInto('users')
      .values(
        users.slice(i, i + 500).map((u) => ({
          username: u.username,
          full_name: u.fullName,
          email: u.email,
          password_hash: passwordHash,
          role: u.role,
          delegation_id: u.delegationId ?? null,
          agency_id: u.agencyId ?? null,
          mediator_id: u.mediatorId ?? null,
          representative_id: u.representativeId ?? null,
          credit_number: u.creditNumber ?? null,
        })),
      )
      .execute();
  }
  await seedDefaultPolicies(trx, options.now, `${Number(options.today.slice(0, 4)) - 1}-01-01`);
  // ASG-1: the demo opens with last month's and this month's assignment published.
  const month = monthOf(options.today);
  const previousMonth = monthOf(addDays(`${month}-01`, -1));
  const operations = await trx.selectFrom('users').select(['id', 'role']).where('role', '=', 'operations').orderBy('id').executeTakeFirst();
  const actor = operations ? { userId: operations.id, role: operations.role } : SYSTEM_ACTOR;
  await runAssignment(trx, actor, { month: previousMonth, today: `${previousMonth}-02`, now: options.now });
  // Issue 6: last month worked through to the archive before this month's run (which then sees
  // its open cases and active restructures), so reports and indicators have a full month.
  const history = options.pastMonth === false ? undefined : await seedDemoHistory(trx, { today: options.today, now: options.now });
  const assignment = await runAssignment(trx, actor, { month, today: options.today, now: options.now });
  // Issue 4: mediation cases in every state, some past their day-32 and day-91 deadlines.
  const cases = await seedDemoCases(trx, { today: options.today, now: options.now });
  // Issue 5: the signed cases' convenios in review, approved, paid, broken and registered.
  const convenios = await seedDemoConvenios(trx, { today: options.today, now: options.now });
  const summary = {
    credits: imported.rowsTotal,
    agencies: reference.agencies.length,
    mediators: reference.mediators.length,
    representatives: reference.representatives.length,
    users: users.length,
    tagged: assignment.tagged,
    assigned: assignment.assigned,
    cases: cases.cases,
    convenios: convenios.convenios + (history?.convenios ?? 0),
    ...(history ? { pastMonth: { month: history.month, cases: history.cases, convenios: history.convenios, payments: history.payments, caseFiles: history.caseFiles, shipments: history.shipments, reportRequests: history.reportRequests } } : {}),
  };
  await recordEvent(trx, SYSTEM_ACTOR, options.now, { action: 'demo.seeded', entityType: 'database', entityId: 'demo', after: { ...summary, seed: options.seed } });
  return summary;
}
