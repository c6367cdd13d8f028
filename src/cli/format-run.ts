import { CONVENIO_TYPE_LABELS, EXCLUSION_WORDING } from '../modules/assignment/assignment.rules.js';
import type { RunSummary } from '../modules/assignment/assignment.service.js';
import { EXCLUSION_RULE_IDS } from '../modules/policy/policy.definitions.js';

const n = (value: number) => value.toLocaleString('es-MX');

/** The summary the CLI prints after `cobranza assign` (ASG-6: counts per rule, delegation, agency, type). */
export function formatRunSummary(summary: RunSummary, elapsedMs: number): string {
  const lines: string[] = [];
  const title = summary.dryRun ? `Simulación de la asignación ${summary.month} (no se guardó nada)` : `Asignación ${summary.month}`;
  lines.push(title);
  if (summary.alreadyRun) lines.push('  Ya estaba publicada: no se cambió nada (ASG-5).');
  lines.push(
    `  Evaluados ${n(summary.evaluated)} · susceptibles ${n(summary.tagged)} · excluidos ${n(summary.excluded)} · asignados ${n(summary.assigned)} · sin agencia por capacidad ${n(summary.unassigned)}`,
  );
  lines.push(`  Políticas: exclusiones v${summary.policies.exclusionCriteria}, tipo de convenio v${summary.policies.convenioTypeCriteria}, soluciones v${summary.policies.solutionParameters}`);
  lines.push('', 'Exclusiones (un crédito puede tener varias):');
  for (const rule of EXCLUSION_RULE_IDS) lines.push(`  ${rule.padEnd(7)} ${n(summary.byRule[rule] ?? 0).padStart(10)}  ${EXCLUSION_WORDING[rule]}`);
  lines.push('', 'Por tipo de convenio:');
  for (const [type, count] of Object.entries(summary.byConvenioType)) {
    lines.push(`  ${CONVENIO_TYPE_LABELS[type as keyof typeof CONVENIO_TYPE_LABELS].padEnd(40)} ${n(count).padStart(10)}`);
  }
  lines.push('', 'Por delegación (evaluados / susceptibles / asignados):');
  for (const d of summary.byDelegation) lines.push(`  ${d.code.padEnd(5)} ${n(d.evaluated).padStart(10)} ${n(d.tagged).padStart(10)} ${n(d.assigned).padStart(10)}`);
  lines.push('', 'Por agencia (asignados / capacidad):');
  for (const a of summary.byAgency) lines.push(`  ${a.code.padEnd(6)} ${n(a.assigned).padStart(10)} / ${n(a.capacity).padEnd(10)} ${a.name}`);
  const diff = summary.difference;
  if (diff.previousMonth) {
    lines.push('', `Contra ${diff.previousMonth}: entran ${n(diff.entered)}, salen ${n(diff.left)}, cambian de agencia ${n(diff.changedAgency)}`);
    for (const [reason, count] of Object.entries(diff.leftBecause)) lines.push(`  salen por ${reason}: ${n(count)}`);
  }
  lines.push('', `Tiempo: ${n(elapsedMs)} ms`, '');
  return lines.join('\n');
}
