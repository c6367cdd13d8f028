/**
 * The monthly tagging and assignment (ASG-1..6), its explanations and its export.
 */
import { MONTH_PATTERN } from '../../clock.js';
import { enqueueMessage } from '../notify/outbox.service.js';
import { assignmentAvailableMessage } from '../notify/outbox.templates.js';
import { sql, type Insertable } from 'kysely';
import type { NoticesTable } from '../../db/schema.js';
import type { Db, Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { logPersonalDataRead, recordEvent, type Actor } from '../audit/audit.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { getPolicyInForce } from '../policy/policy.service.js';
import { CONVENIO_TYPE_LABELS, EXCLUSION_WORDING, rulesOfMask } from './assignment.rules.js';
import {
  attachRunTables,
  compareWithPrevious,
  countRun,
  evaluateAndAllocate,
  findAssignedAccounts,
  findEvaluation,
  findLatestPublishedMonth,
  findNoticesFor,
  findPreviousRun,
  findRun,
  insertRun,
  type MonthDifference,
  type RunCounts,
} from './assignment.repository.js';

export interface RunSummary extends RunCounts {
  runId: number;
  month: string;
  runOn: string;
  dryRun: boolean;
  alreadyRun: boolean;
  policies: { exclusionCriteria: number; convenioTypeCriteria: number; solutionParameters: number };
  difference: MonthDifference;
}

class DryRunRollback extends Error {
  constructor(readonly summary: RunSummary) {
    super('dry run');
  }
}


/**
 * Runs the assignment of `month` as of `today` in the caller's transaction. A second run of the
 * same month changes nothing and returns the recorded summary (ASG-5). With dryRun everything is
 * computed and then the transaction is made to roll back (see simulateAssignment).
 */
export async function runAssignment(
  trx: Executor,
  actor: Actor,
  input: { month: string; today: string; now: Date; dryRun?: boolean },
): Promise<RunSummary> {
  if (!MONTH_PATTERN.test(input.month)) throw new AppError('VALIDATION', { userMessage: 'El mes debe tener la forma AAAA-MM.' });
  const dryRun = input.dryRun ?? false;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`assignment:${input.month}`}))`.execute(trx);
  // Portfolio-wide sorts and hashes, and the index builds of the run's tables: let them stay in
  // memory for this transaction only. On a server, 1 GB keeps the 6M-credit rank sort in memory;
  // the embedded engine is a 32-bit WASM heap, where 256 MB is the most a sort may take.
  await sql`SELECT set_config('work_mem', CASE WHEN version() LIKE '%wasm32%' THEN '256MB' ELSE '1GB' END, true),
                   set_config('maintenance_work_mem', CASE WHEN version() LIKE '%wasm32%' THEN '256MB' ELSE '1GB' END, true)`.execute(trx);
  const existing = await findRun(trx, input.month);
  if (existing) return { ...(existing.summary as RunSummary), alreadyRun: true, dryRun };
  const exclusion = await getPolicyInForce(trx, 'exclusion_criteria', input.today);
  const convenio = await getPolicyInForce(trx, 'convenio_type_criteria', input.today);
  const solutions = await getPolicyInForce(trx, 'solution_parameters', input.today);
  const run = await insertRun(trx, {
    month: input.month,
    runOn: input.today,
    exclusionPolicyId: exclusion.id,
    convenioPolicyId: convenio.id,
    createdBy: actor.userId,
    now: input.now,
  });
  const { tables, written } = await evaluateAndAllocate(trx, {
    runId: run.id,
    month: input.month,
    assignedOn: input.today,
    exclusion: exclusion.value,
    solutions: solutions.value,
    convenio: convenio.value,
  });
  const counts = await countRun(trx, written);
  const previous = await findPreviousRun(trx, input.month);
  const difference = await compareWithPrevious(trx, tables, { previousMonth: previous?.month ?? null });
  const summary: RunSummary = {
    ...counts,
    runId: run.id,
    month: input.month,
    runOn: input.today,
    dryRun,
    alreadyRun: false,
    policies: { exclusionCriteria: exclusion.version, convenioTypeCriteria: convenio.version, solutionParameters: solutions.version },
    difference,
  };
  if (dryRun) throw new DryRunRollback(summary);
  // Indexing and attaching the run's tables comes last: only now do readers wait for the run.
  await attachRunTables(trx, tables);
  await trx
    .updateTable('assignment_runs')
    .set({ summary: JSON.stringify(summary), finished_at: input.now, published_at: input.now })
    .where('id', '=', run.id)
    .execute();
  await notifyAssignment(trx, summary, input.now);
  await recordEvent(trx, actor, input.now, {
    action: 'assignment.run',
    entityType: 'assignment_run',
    entityId: input.month,
    after: {
      runId: run.id,
      policyVersions: summary.policies,
      evaluated: summary.evaluated,
      tagged: summary.tagged,
      assigned: summary.assigned,
      byRule: summary.byRule,
    },
  });
  return summary;
}

/** A dry run: computes the whole run in a transaction that is rolled back; writes nothing. */
export async function simulateAssignment(db: Db, actor: Actor, input: { month: string; today: string; now: Date }): Promise<RunSummary> {
  try {
    return await db.transaction().execute((trx) => runAssignment(trx, actor, { ...input, dryRun: true }));
  } catch (error) {
    if (error instanceof DryRunRollback) return error.summary;
    throw error;
  }
}

/** ASG-1: the agencies with accounts, and the mediation office, are told the assignment is out. */
async function notifyAssignment(trx: Executor, summary: RunSummary, now: Date): Promise<void> {
  const rows: Insertable<NoticesTable>[] = summary.byAgency
    .filter((agency) => agency.assigned > 0)
    .map((agency) => ({
      created_at: now,
      recipient_role: 'agency',
      recipient_agency_id: agency.agencyId,
      title: `Asignación de ${summary.month} disponible`,
      body: `Se asignaron ${agency.assigned.toLocaleString('es-MX')} cuentas susceptibles de mediación a ${agency.name}.`,
      link: `/asignacion?mes=${summary.month}`,
    }));
  rows.push({
    created_at: now,
    recipient_role: 'mediation_office',
    recipient_agency_id: null,
    title: `Asignación de ${summary.month} publicada`,
    body: `${summary.tagged.toLocaleString('es-MX')} créditos susceptibles de mediación, ${summary.assigned.toLocaleString('es-MX')} asignados a agencias.`,
    link: `/asignacion?mes=${summary.month}`,
  });
  await trx.insertInto('notices').values(rows).execute();
  // ...and by e-mail through the notification outbox, delivered after commit (ASG-1)
  const assigned = summary.byAgency.filter((agency) => agency.assigned > 0);
  if (assigned.length === 0) return;
  const contacts = await trx.selectFrom('agencies').select(['id', 'contact_email']).where('id', 'in', assigned.map((a) => a.agencyId)).execute();
  const emailOf = new Map(contacts.map((c) => [c.id, c.contact_email]));
  for (const agency of assigned) {
    const message = assignmentAvailableMessage({ agencyName: agency.name, month: summary.month, creditCount: agency.assigned }, 'email');
    await enqueueMessage(trx, {
      purpose: 'assignment_available',
      channel: 'email',
      recipientKind: 'agency',
      recipientName: agency.name,
      recipientAddress: emailOf.get(agency.agencyId)!,
      subject: message.subject,
      body: message.body,
      now,
    });
  }
}

export interface Explanation {
  creditNumber: string;
  month: string;
  evaluated: boolean;
  tagged: boolean;
  reasons: Array<{ rule: string; wording: string }>;
  message: string;
  policyVersion: number | null;
  assignment: { agencyId: number; agencyName: string; convenioType: string; convenioTypeLabel: string; assignedOn: string; entry: string } | null;
}

/** "Was it tagged, and if not, which rules excluded it" — all of them, with the rule ID and wording. */
export async function explainCredit(db: Executor, input: { creditNumber: string; month: string }): Promise<Explanation> {
  if (!MONTH_PATTERN.test(input.month)) throw new AppError('VALIDATION', { userMessage: 'El mes debe tener la forma AAAA-MM.' });
  const row = await findEvaluation(db, input);
  const base = { creditNumber: input.creditNumber, month: input.month };
  if (!row) {
    return { ...base, evaluated: false, tagged: false, reasons: [], policyVersion: null, assignment: null, message: `No hay una corrida de asignación para ${input.month}.` };
  }
  const policy = await db.selectFrom('policy_versions').select('version').where('id', '=', row.exclusion_policy_id).executeTakeFirstOrThrow();
  const assignment =
    row.agency_id !== null && row.convenio_type !== null
      ? {
          agencyId: row.agency_id,
          agencyName: row.agency_name ?? '',
          convenioType: row.convenio_type,
          convenioTypeLabel: CONVENIO_TYPE_LABELS[row.convenio_type],
          assignedOn: row.assigned_on ?? row.run_on,
          entry: row.entry ?? 'monthly',
        }
      : null;
  // A credit the run assigned has no evaluation row: its mask was 0.
  const mask = row.exclusion_mask ?? (row.assignment_run_id === row.run_id ? 0 : null);
  if (mask === null) {
    return {
      ...base,
      evaluated: false,
      tagged: assignment !== null,
      reasons: [],
      policyVersion: policy.version,
      assignment,
      message: assignment
        ? `No estaba en la corrida mensual; fue etiquetado por otra vía (${assignment.entry}).`
        : 'No fue evaluado ese mes: no formaba parte de la cartera de cobranza social.',
    };
  }
  const reasons = rulesOfMask(mask).map((rule) => ({ rule, wording: EXCLUSION_WORDING[rule] }));
  const tagged = reasons.length === 0;
  return {
    ...base,
    evaluated: true,
    tagged,
    reasons,
    policyVersion: policy.version,
    assignment,
    message: tagged
      ? assignment
        ? `Susceptible de mediación; asignado a ${assignment.agencyName} (${assignment.convenioTypeLabel}).`
        : 'Susceptible de mediación, sin agencia asignada por falta de capacidad en su delegación.'
      : `No susceptible de mediación: ${reasons.map((r) => r.rule).join(', ')}.`,
  };
}

export async function getRunSummary(db: Executor, month: string): Promise<RunSummary> {
  const run = await findRun(db, month);
  if (!run) throw new AppError('NOT_FOUND', { userMessage: `No hay una corrida de asignación para ${month}.` });
  return { ...(run.summary as RunSummary), alreadyRun: true };
}

export async function findRuns(db: Executor) {
  return db.selectFrom('assignment_runs').select(['id', 'month', 'run_on', 'published_at', 'summary']).orderBy('month', 'desc').limit(36).execute();
}

/** The accounts assigned in `month` (default: the latest published) that the user may see. */
export async function listAssignedAccounts(db: Executor, user: AuthUser, now: Date, input: { month?: string; limit: number; offset: number }) {
  const month = input.month ?? (await findLatestPublishedMonth(db));
  if (!month) return { month: null, items: [], total: 0 };
  const { rows, total } = await findAssignedAccounts(db, user.scope, { month, limit: input.limit, offset: input.offset });
  await logPersonalDataRead(db, { userId: user.id, role: user.role }, now, rows.map((r) => r.credit_number), 'assignment_list');
  return {
    month,
    total,
    items: rows.map((r) => ({
      creditNumber: r.credit_number,
      borrowerName: r.borrower_name,
      delegation: r.delegation,
      agency: r.agency,
      convenioType: r.convenio_type,
      convenioTypeLabel: CONVENIO_TYPE_LABELS[r.convenio_type],
      assignedOn: r.assigned_on,
      fieldAgent: r.field_agent,
    })),
  };
}

export async function listNotices(db: Executor, user: AuthUser) {
  const agencyId = user.scope.kind === 'agency' || user.scope.kind === 'field_agent' || user.scope.kind === 'mediator' ? user.scope.agencyId : null;
  const rows = await findNoticesFor(db, { userId: user.id, role: user.role, agencyId });
  return rows.map((r) => ({ id: r.id.toString(), createdAt: r.created_at, title: r.title, body: r.body, link: r.link }));
}
