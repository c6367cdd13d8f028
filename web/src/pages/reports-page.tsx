import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Me } from '../api/types';
import { hasRole } from '../assignment-labels';
import { SelectField, useFieldProblem } from '../components/case-action-form';
import { MonthField } from '../components/month-field';
import { NotAllowed } from '../components/not-allowed';
import { errorMessage } from '../components/query-state';
import {
  AGENCY_REPORT_ROLES,
  AsOfField,
  downloadFile,
  getReportOptions,
  REGION_REPORT_ROLES,
  ReportRequestsSection,
  reportUrl,
  type ReportKind,
  type ReportOptions,
} from '../components/report-requests';
import { useDocumentTitle } from '../components/use-document-title';
import { formatMonth, isIsoDate, isMonth } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Reportes mensuales';

/** The reports a role downloads: an agency its REP-1; a DR manager REP-1 of the agencies serving his delegación and his REP-2; national oversight both. */
function kindsFor(user: Me): ReportKind[] {
  const kinds: ReportKind[] = [];
  if (hasRole(user.role, AGENCY_REPORT_ROLES)) kinds.push('agency');
  if (hasRole(user.role, REGION_REPORT_ROLES)) kinds.push('region');
  return kinds;
}

const KIND_LABELS: Record<ReportKind, string> = {
  agency: 'REP-1 — Reporte de la agencia (una fila por crédito asignado en el mes)',
  region: 'REP-2 — Reporte de la delegación (convenios firmados en el mes)',
};

/** Choose a report, its agency or delegación (where the role has a choice), the month and the "as of" date; download the Excel file. */
function DownloadForm({ user, options }: { user: Me; options: ReportOptions | undefined }) {
  const kinds = kindsFor(user);
  const [kind, setKind] = useState<ReportKind>(kinds[0] ?? 'agency');
  const [target, setTarget] = useState('');
  const [month, setMonth] = useState('');
  const [asOf, setAsOf] = useState('');
  const [status, setStatus] = useState<{ busy: boolean; message: string; error: string | null }>({ busy: false, message: '', error: null });
  const problem = useFieldProblem();
  // an agency's REP-1 and a DR manager's REP-2 are their own: nothing to choose
  const fixed = (kind === 'agency' && user.role === 'agency') || (kind === 'region' && user.role === 'regional_manager');
  const targets =
    kind === 'agency'
      ? (options?.agencies ?? []).map((a) => ({ value: String(a.id), label: `${a.code} — ${a.name}` }))
      : (options?.delegations ?? []).map((d) => ({ value: String(d.id), label: d.name }));

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    problem.clear();
    if (!fixed && target === '') return void problem.fail('report-target', kind === 'agency' ? 'Elija la agencia.' : 'Elija la delegación.');
    if (!isMonth(month)) return void problem.fail('report-month', 'Escriba el mes con la forma AAAA-MM, por ejemplo 2026-03.');
    if (asOf !== '' && !isIsoDate(asOf)) return void problem.fail('report-as-of', 'Escriba una fecha válida o deje el campo vacío.');
    const url = reportUrl(kind, { id: fixed ? undefined : Number(target), month, asOf });
    setStatus({ busy: true, message: `Generando el reporte de ${formatMonth(month)}; puede tardar unos segundos…`, error: null });
    downloadFile(url, `${kind === 'agency' ? 'rep1' : 'rep2'}-${month}.xlsx`)
      .then(() => setStatus({ busy: false, message: `Reporte de ${formatMonth(month)} descargado.`, error: null }))
      .catch((error: unknown) => setStatus({ busy: false, message: '', error: errorMessage(error) }));
  }

  return (
    <section className="section card" aria-labelledby="download-title" data-testid="report-download">
      <h2 id="download-title">Descargar un reporte</h2>
      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={status.busy}>
        <div className="form-grid">
          {kinds.length > 1 && (
            <SelectField
              id="report-kind"
              label="Reporte"
              value={kind}
              emptyOption="Elija el reporte"
              options={kinds.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
              onChange={(value) => {
                setKind(value === 'region' ? 'region' : 'agency');
                setTarget('');
              }}
            />
          )}
          {!fixed && (
            <SelectField
              id="report-target"
              label={kind === 'agency' ? 'Agencia' : 'Delegación'}
              value={target}
              emptyOption={options === undefined ? 'Cargando…' : kind === 'agency' ? 'Elija la agencia' : 'Elija la delegación'}
              options={targets}
              onChange={setTarget}
              error={problem.errorFor('report-target')}
              hint={user.role === 'regional_manager' && kind === 'agency' ? 'Las agencias que atienden su delegación; el reporte trae sólo las filas de su delegación (SEC-2).' : undefined}
            />
          )}
          <MonthField id="report-month" label={kind === 'agency' ? 'Mes de la asignación' : 'Mes de firma'} value={month} onChange={setMonth} hint="Un mes ya concluido, AAAA-MM." required />
          <AsOfField id="report-as-of" value={asOf} onChange={setAsOf} error={problem.errorFor('report-as-of')} />
        </div>
        {problem.errorFor('report-month') && (
          <p className="field__error" id="report-month-error">
            {problem.errorFor('report-month')}
          </p>
        )}
        <div role="status" className="status" data-testid="report-download-status">
          {status.message}
        </div>
        {status.error !== null && (
          <p role="alert" className="notice notice--error" data-testid="report-download-error">
            {status.error}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={status.busy}>
          {status.busy ? 'Generando…' : 'Descargar Excel'}
        </button>
      </form>
    </section>
  );
}

/** /reportes — the monthly reports REP-1 and REP-2 "as of" a date, and the office's requests and clarifications (acts. 32–34, DL-17). */
export function ReportsPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const allowed = kindsFor(user).length > 0;
  const options = useQuery({ queryKey: ['report-options'], queryFn: ({ signal }) => getReportOptions(signal), enabled: allowed });
  if (!allowed) return <NotAllowed title={TITLE} />;
  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">
        El reporte de la agencia (REP-1, act. 32) y el de la delegación (REP-2, act. 34) en Excel, con corte a una fecha: se calculan con lo registrado hasta esa fecha, así
        que el reporte de un mes pasado es el mismo hoy y mañana.
      </p>
      <DownloadForm user={user} options={options.data} />
      <ReportRequestsSection user={user} options={options.data} />
    </>
  );
}
