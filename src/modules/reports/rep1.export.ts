/**
 * Producing REP-1, the agency's monthly report (SPEC §7, act. 32): who may read which agency
 * (SEC-2), the report's definition (query, cells, «Acerca de»), and its three outputs — a stream
 * for the API, a file for the CLI, bytes for a delivered report request.
 */
import type { Readable } from 'node:stream';
import type { IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { logPersonalDataRead } from '../audit/audit.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { monthNameEs } from '../notify/outbox.templates.js';
import { findDelegation, type DelegationRef } from './rep2.repository.js';
import { countRep1Row, emptyRep1Counts, rep1Cells, rep1CountLines, rep1Row, REP1_COLUMNS, type Rep1Facts } from './rep1.rules.js';
import { assertAgencyInDelegation, countRep1Rows, getAgency, rep1Query, type AgencyRef } from './rep1.repository.js';
import { generatedAtEs, reportXlsxBuffer, reportXlsxStream, resolveAsOf, writeReportXlsxFile, type ReportDefinition } from './report-xlsx.js';

/** Who reads REP-1: the agency (its own), a DR manager (agencies serving his delegación), national oversight. */
export const REP1_READ_ROLES = ['agency', 'regional_manager', 'mediation_office', 'operations', 'auditor'] as const;

/** A REP-1 to produce: the agency, the month, the "as of" date, and the delegación a DR manager is restricted to. */
export interface AgencyReportPlan {
  agency: AgencyRef;
  delegation: DelegationRef | undefined;
  month: string;
  asOf: IsoDate;
}

/**
 * SEC-2 and the inputs: an agency reads only its own report (another agency's is 403); a DR
 * manager reads the report of an agency serving his delegación, restricted to its rows; national
 * oversight reads any. `user` undefined is the command line (the operator of the platform).
 */
export async function planAgencyReport(
  db: Executor,
  user: AuthUser | undefined,
  input: { agency: number | string | undefined; month: string; asOf?: IsoDate | undefined; today: IsoDate },
): Promise<AgencyReportPlan> {
  const asOf = resolveAsOf(input.month, input.asOf, input.today);
  const scope = user?.scope ?? { kind: 'national' as const };
  let requested = input.agency;
  if (scope.kind === 'agency') {
    if (requested !== undefined && String(requested) !== String(scope.agencyId)) {
      throw new AppError('FORBIDDEN', { userMessage: 'Una agencia sólo puede consultar su propio reporte mensual (SEC-2).' });
    }
    requested = scope.agencyId;
  } else if (scope.kind !== 'national' && scope.kind !== 'delegation') {
    throw new AppError('FORBIDDEN', { userMessage: 'Su rol no consulta el reporte mensual de agencias (REP-1).' });
  }
  if (requested === undefined) throw new AppError('VALIDATION', { userMessage: 'Indique la agencia del reporte.' });
  const agency = await getAgency(db, requested);
  let delegation: DelegationRef | undefined;
  if (scope.kind === 'delegation') {
    await assertAgencyInDelegation(db, agency, scope.delegationId);
    delegation = await findDelegation(db, scope.delegationId);
  }
  return { agency, delegation, month: input.month, asOf };
}

/** "rep1-AS01-2026-11-corte-2026-11-30.xlsx" (with the delegación's code for a DR manager's). */
export function agencyReportFileName(plan: AgencyReportPlan): string {
  return `rep1-${plan.agency.code}-${plan.month}${plan.delegation ? `-${plan.delegation.code}` : ''}-corte-${plan.asOf}.xlsx`;
}

/**
 * REP-1 as a report definition. With a reader, every page of rows is logged as a read of those
 * borrowers' personal data (SEC-4), in the report's transaction.
 */
export function agencyReport(plan: AgencyReportPlan, options: { now: Date; reader?: AuthUser | undefined }): ReportDefinition<Rep1Facts> {
  const counts = emptyRep1Counts();
  const reader = options.reader;
  const purpose = `REP-1 ${plan.agency.code} ${plan.month} (corte ${plan.asOf})`;
  return {
    sheetName: `REP-1 ${plan.month}`,
    now: options.now,
    columns: REP1_COLUMNS,
    query: rep1Query({ month: plan.month, agencyId: plan.agency.id, delegationId: plan.delegation?.id, asOf: plan.asOf }),
    cells(facts) {
      const row = rep1Row(facts, plan.asOf);
      countRep1Row(counts, row);
      return rep1Cells(row);
    },
    onPage: reader
      ? (rows, trx) => logPersonalDataRead(trx, { userId: reader.id, role: reader.role }, options.now, rows.map((row) => row.creditNumber), purpose)
      : undefined,
    about: () => [
      { label: 'Reporte', value: 'REP-1 — Reporte mensual de la agencia de soluciones (act. 32)' },
      { label: 'Agencia', value: `${plan.agency.code} — ${plan.agency.name}` },
      { label: 'Delegación', value: plan.delegation ? plan.delegation.name : 'Todas las que atiende la agencia' },
      { label: 'Mes de la asignación', value: monthNameEs(plan.month) },
      { label: 'Con corte al', value: plan.asOf, kind: 'date' },
      { label: 'Generado', value: generatedAtEs(options.now) },
      {
        label: 'Cómo se calcula',
        value:
          'Una fila por crédito etiquetado y asignado a la agencia en el mes. Cada dato sale de la bitácora de eventos del caso y del convenio registrados hasta la fecha de corte, inclusive: lo que se registre después no cambia este reporte, que es el mismo hoy y mañana.',
      },
      { label: 'Reglas', value: 'REP-1 (incisos i a vii), act. 32; causas NS-1 a NS-3 (act. 9) y NR-1 a NR-5 (act. 18); cierres DL-5 y DL-8; alcance SEC-2' },
      ...rep1CountLines(counts).map((line) => ({ ...line, kind: 'count' as const })),
    ],
  };
}

/** The API's download: streamed as it is computed. */
export function agencyReportXlsx(db: Executor, plan: AgencyReportPlan, options: { now: Date; reader?: AuthUser | undefined }): Readable {
  return reportXlsxStream(db, agencyReport(plan, options));
}

/** A delivered report (act. 32): the whole file, to be stored content-addressed. */
export function agencyReportBytes(db: Executor, plan: AgencyReportPlan, options: { now: Date }) {
  return reportXlsxBuffer(db, agencyReport(plan, options));
}

/** The command line's file: `onProgress` gets the rows written so far (of `countRows`). */
export async function writeAgencyReportFile(
  db: Executor,
  plan: AgencyReportPlan,
  options: { path: string; now: Date; onStart?: (rows: number) => void; onProgress?: (rows: number) => void },
): Promise<number> {
  options.onStart?.(await countRep1Rows(db, { month: plan.month, agencyId: plan.agency.id, delegationId: plan.delegation?.id }));
  return writeReportXlsxFile(db, options.path, agencyReport(plan, options), options.onProgress);
}
