/**
 * The reconciliation as a batch (issue 5 item 7, CLI `cobranza reconcile`): every approved
 * convenio's signed terms against the terms applied to the credit and the payments received. The
 * checks are `findMismatches` (one set-based statement); this adds the counts, the Spanish summary
 * and the CSV.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/index.js';
import { csvField } from '../portfolio/csv.js';
import { findMismatches, RECONCILIATION_CHECKS, type Mismatch, type ReconciliationCheck } from './convenios.service.js';

export interface ReconciliationReport {
  /** Approved convenios checked (approved, in force or broken). */
  checked: number;
  byCheck: Record<ReconciliationCheck, number>;
  mismatches: Mismatch[];
}

export async function reconcileConvenios(db: Executor, filter: { delegationId?: number | undefined } = {}): Promise<ReconciliationReport> {
  const counted = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM convenios
    WHERE status IN ('approved', 'in_force', 'broken')
      AND (${filter.delegationId ?? null}::smallint IS NULL OR delegation_id = ${filter.delegationId ?? null}::smallint)`.execute(db);
  const mismatches = await findMismatches(db, { kind: 'national' }, filter.delegationId === undefined ? {} : { delegationId: filter.delegationId });
  const byCheck = Object.fromEntries(Object.keys(RECONCILIATION_CHECKS).map((check) => [check, 0])) as Record<ReconciliationCheck, number>;
  for (const m of mismatches) byCheck[m.check] += 1;
  return { checked: counted.rows[0]?.n ?? 0, byCheck, mismatches };
}

export function describeReconciliation(report: ReconciliationReport): string {
  const count = (n: number) => n.toLocaleString('es-MX');
  const lines = [`Conciliación de convenios aprobados: ${count(report.checked)} revisados, ${count(report.mismatches.length)} diferencias`];
  for (const [check, description] of Object.entries(RECONCILIATION_CHECKS)) {
    lines.push(`  ${count(report.byCheck[check as ReconciliationCheck]).padStart(7)}  ${description}`);
  }
  for (const m of report.mismatches.slice(0, 50)) {
    lines.push(`  ${m.folio}  crédito ${m.creditNumber}: ${m.description} — esperado ${m.expected}, encontrado ${m.actual}`);
  }
  if (report.mismatches.length > 50) lines.push(`  … y ${count(report.mismatches.length - 50)} más (use --out para el detalle completo)`);
  if (report.mismatches.length === 0) lines.push('Sin diferencias: cada crédito tiene los términos de su convenio y los pagos recibidos.');
  return lines.join('\n') + '\n';
}

export function* reconciliationCsv(mismatches: readonly Mismatch[]): Generator<string> {
  yield 'folio,credito,delegacion,estado,revision,descripcion,esperado,encontrado\n';
  for (const m of mismatches) {
    yield [m.folio, m.creditNumber, String(m.delegationId), m.status, m.check, m.description, m.expected, m.actual].map(csvField).join(',') + '\n';
  }
}
