/**
 * Producing REP-2, the delegación's monthly report (SPEC §7, act. 34): who may read which
 * delegación (SEC-2), the report's definition, and its outputs (API stream, CLI file, bytes of a
 * delivered report request).
 */
import type { Readable } from 'node:stream';
import type { IsoDate } from '../../clock.js';
import type { Executor } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { logPersonalDataRead } from '../audit/audit.service.js';
import type { AuthUser } from '../identity/identity.service.js';
import { monthNameEs } from '../notify/outbox.templates.js';
import { addRep2Totals, emptyRep2Totals, rep2Cells, REP2_COLUMNS, type Rep2Facts } from './rep2.rules.js';
import { countRep2Rows, getDelegation, rep2Query, type DelegationRef } from './rep2.repository.js';
import { generatedAtEs, reportXlsxBuffer, reportXlsxStream, resolveAsOf, writeReportXlsxFile, type ReportDefinition } from './report-xlsx.js';

/** Who reads REP-2: the delegación's DR manager and national oversight. */
export const REP2_READ_ROLES = ['regional_manager', 'mediation_office', 'operations', 'auditor'] as const;

export interface RegionReportPlan {
  delegation: DelegationRef;
  month: string;
  asOf: IsoDate;
}

/** SEC-2: a DR manager reads only his delegación's REP-2 (another is 403); national oversight any. */
export async function planRegionReport(
  db: Executor,
  user: AuthUser | undefined,
  input: { delegation: number | string | undefined; month: string; asOf?: IsoDate | undefined; today: IsoDate },
): Promise<RegionReportPlan> {
  const asOf = resolveAsOf(input.month, input.asOf, input.today);
  const scope = user?.scope ?? { kind: 'national' as const };
  let requested = input.delegation;
  if (scope.kind === 'delegation') {
    if (requested !== undefined && String(requested) !== String(scope.delegationId)) {
      throw new AppError('FORBIDDEN', { userMessage: 'El Gerente de Cobranza sólo puede consultar el reporte mensual de su delegación (SEC-2).' });
    }
    requested = scope.delegationId;
  } else if (scope.kind !== 'national') {
    throw new AppError('FORBIDDEN', { userMessage: 'Su rol no consulta el reporte mensual de la delegación (REP-2).' });
  }
  if (requested === undefined) throw new AppError('VALIDATION', { userMessage: 'Indique la delegación del reporte.' });
  return { delegation: await getDelegation(db, requested), month: input.month, asOf };
}

export function regionReportFileName(plan: RegionReportPlan): string {
  return `rep2-${plan.delegation.code}-${plan.month}-corte-${plan.asOf}.xlsx`;
}

export function regionReport(plan: RegionReportPlan, options: { now: Date; reader?: AuthUser | undefined }): ReportDefinition<Rep2Facts> {
  const totals = emptyRep2Totals();
  const reader = options.reader;
  const purpose = `REP-2 ${plan.delegation.code} ${plan.month} (corte ${plan.asOf})`;
  return {
    sheetName: `REP-2 ${plan.month}`,
    now: options.now,
    columns: REP2_COLUMNS,
    query: rep2Query({ month: plan.month, delegationId: plan.delegation.id, asOf: plan.asOf }),
    cells(facts) {
      addRep2Totals(totals, facts);
      return rep2Cells(facts);
    },
    onPage: reader
      ? (rows, trx) => logPersonalDataRead(trx, { userId: reader.id, role: reader.role }, options.now, rows.map((row) => row.creditNumber), purpose)
      : undefined,
    about: () => [
      { label: 'Reporte', value: 'REP-2 — Reporte mensual de la Delegación Regional (act. 34)' },
      { label: 'Delegación', value: `${plan.delegation.code} — ${plan.delegation.name}` },
      { label: 'Mes de firma', value: monthNameEs(plan.month) },
      { label: 'Con corte al', value: plan.asOf, kind: 'date' },
      { label: 'Generado', value: generatedAtEs(options.now) },
      {
        label: 'Cómo se calcula',
        value:
          'Una fila por convenio firmado en el mes en la delegación. La aprobación, el primer pago y el estado salen de la bitácora de eventos del convenio registrados hasta la fecha de corte, inclusive: lo que se registre después no cambia este reporte.',
      },
      { label: 'Reglas', value: 'REP-2, act. 34; CNV-1 (convenio firmado), CNV-4 (aprobación), CNV-5 (primer pago); alcance SEC-2' },
      { label: 'Convenios firmados', value: totals.signed, kind: 'count' },
      { label: 'Convenios aprobados', value: totals.approved, kind: 'count' },
      { label: 'Convenios con primer pago', value: totals.firstPaid, kind: 'count' },
      { label: 'Importe de los primeros pagos', value: totals.firstPaidCents, kind: 'money' },
    ],
  };
}

export function regionReportXlsx(db: Executor, plan: RegionReportPlan, options: { now: Date; reader?: AuthUser | undefined }): Readable {
  return reportXlsxStream(db, regionReport(plan, options));
}

export function regionReportBytes(db: Executor, plan: RegionReportPlan, options: { now: Date }) {
  return reportXlsxBuffer(db, regionReport(plan, options));
}

/** The command line's file: `onStart` gets the convenios signed in the month, `onProgress` the rows written so far. */
export async function writeRegionReportFile(
  db: Executor,
  plan: RegionReportPlan,
  options: { path: string; now: Date; onStart?: (rows: number) => void; onProgress?: (rows: number) => void },
): Promise<number> {
  options.onStart?.(await countRep2Rows(db, { month: plan.month, delegationId: plan.delegation.id }));
  return writeReportXlsxFile(db, options.path, regionReport(plan, options), options.onProgress);
}
