import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { apiRequest } from '../api/client';
import type { Role } from '../api/types';
import { hasRole } from '../assignment-labels';
import { HorizontalBarChart, ScrollTable } from '../components/chart-bars';
import { chartDescription, rateText } from '../components/chart-format';
import { MonthField } from '../components/month-field';
import { NotAllowed } from '../components/not-allowed';
import { QueryError } from '../components/query-state';
import { RuleBadge } from '../components/rule-badge';
import { useDocumentTitle } from '../components/use-document-title';
import { formatInteger, isMonth } from '../format';
import { useCurrentUser } from '../session';

/**
 * /indicadores — REP-5 dashboards: the mediation funnel with its conversion rates, SL-1
 * compliance and the deadlines passed (DL-1..DL-17), by delegación, agency, mediator or month,
 * each figure with its data table and its Excel/CSV export. Query string (Spanish, like the other
 * pages): ?desde=AAAA-MM&hasta=AAAA-MM&delegacion=…&agencia=…&mediador=…&agrupar=delegacion|agencia|mediador|mes.
 * Each user sees his scope (SEC-2): the server narrows every figure.
 */

/** Who opens the dashboards (the server's INDICATOR_ROLES). */
export const INDICATOR_ROLES: readonly Role[] = ['mediation_office', 'operations', 'auditor', 'regional_manager', 'agency', 'mediator'];

const TITLE = 'Indicadores';

// --- the API's shapes (src/modules/reports/indicators.schemas.ts) -------------------------------

type GroupBy = 'none' | 'delegation' | 'agency' | 'mediator' | 'month';
interface Rate {
  numerator: number;
  denominator: number;
  display: string;
}
interface QueryEcho {
  monthFrom: string;
  monthTo: string;
  groupBy: GroupBy;
  groupByLabel: string;
  scopeLabel: string;
}
interface StageFigure {
  stage: string;
  label: string;
  count: number | null;
  fromPrevious: Rate | null;
  fromStart: Rate | null;
}
interface FunnelReport {
  query: QueryEcho;
  start: 'tagged' | 'distributed';
  startNote: string | null;
  stages: Array<{ stage: string; label: string; source: string }>;
  totals: { stages: StageFigure[] };
  groups: Array<{ key: string; label: string; stages: StageFigure[] }>;
}
interface Sl1Figures {
  signed: number;
  met: number;
  notMet: number;
  rate: Rate;
}
interface Sl1Report {
  query: QueryEcho;
  basis: string;
  totals: Sl1Figures;
  groups: Array<Sl1Figures & { key: string; label: string }>;
}
interface RuleCount {
  rule: string;
  count: number;
}
interface DeadlineReport {
  query: QueryEcho;
  rules: Array<{ rule: string; ruleId: string; label: string; record: string; recordLabel: string }>;
  notes: string[];
  totals: { counts: RuleCount[]; total: number };
  groups: Array<{ key: string | null; label: string; counts: RuleCount[]; total: number }>;
}
interface IndicatorOptions {
  currentMonth: string;
  delegations: Array<{ id: number; name: string }>;
  agencies: Array<{ id: number; code: string; name: string }>;
  mediators: Array<{ id: number; name: string; agencyId: number }>;
  groupBy: Array<{ value: GroupBy; label: string }>;
}

// --- the query in the address bar ---------------------------------------------------------------

interface Filters {
  monthFrom: string;
  monthTo: string;
  delegationId: string;
  agencyId: string;
  mediatorId: string;
  groupBy: GroupBy;
}

const GROUP_PARAM: Record<GroupBy, string> = { none: '', delegation: 'delegacion', agency: 'agencia', mediator: 'mediador', month: 'mes' };

function filtersOf(params: URLSearchParams): Filters {
  const id = (name: string) => (/^\d{1,9}$/.test(params.get(name) ?? '') ? params.get(name)! : '');
  const month = (name: string) => (isMonth(params.get(name) ?? '') ? params.get(name)! : '');
  const group = (Object.keys(GROUP_PARAM) as GroupBy[]).find((key) => key !== 'none' && GROUP_PARAM[key] === params.get('agrupar')) ?? 'none';
  return { monthFrom: month('desde'), monthTo: month('hasta'), delegationId: id('delegacion'), agencyId: id('agencia'), mediatorId: id('mediador'), groupBy: group };
}

function paramsOf(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.monthFrom) params.set('desde', filters.monthFrom);
  if (filters.monthTo) params.set('hasta', filters.monthTo);
  if (filters.delegationId) params.set('delegacion', filters.delegationId);
  if (filters.agencyId) params.set('agencia', filters.agencyId);
  if (filters.mediatorId) params.set('mediador', filters.mediatorId);
  if (filters.groupBy !== 'none') params.set('agrupar', GROUP_PARAM[filters.groupBy]);
  return params;
}

/** The API's query string for the same filters. */
function apiQuery(filters: Filters): string {
  const params = new URLSearchParams();
  if (filters.monthFrom) params.set('monthFrom', filters.monthFrom);
  if (filters.monthTo) params.set('monthTo', filters.monthTo);
  if (filters.delegationId) params.set('delegationId', filters.delegationId);
  if (filters.agencyId) params.set('agencyId', filters.agencyId);
  if (filters.mediatorId) params.set('mediatorId', filters.mediatorId);
  if (filters.groupBy !== 'none') params.set('groupBy', filters.groupBy);
  return params.toString();
}

function useIndicator<T>(path: string, query: string, enabled: boolean) {
  return useQuery({
    queryKey: ['indicators', path, query],
    queryFn: ({ signal }) => apiRequest<T>('GET', `/api/indicators/${path}${query ? `?${query}` : ''}`, { signal }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

// --- pieces -------------------------------------------------------------------------------------

function Select({ id, label, value, onChange, options, all }: { id: string; label: string; value: string; onChange: (value: string) => void; options: Array<{ value: string; label: string }>; all: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{all}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function FilterForm({ initial, options, onApply }: { initial: Filters; options: IndicatorOptions; onApply: (filters: Filters) => void }) {
  const [filters, setFilters] = useState<Filters>(() => ({ ...initial, monthFrom: initial.monthFrom || initial.monthTo || options.currentMonth, monthTo: initial.monthTo || initial.monthFrom || options.currentMonth }));
  const [invalid, setInvalid] = useState<string | null>(null);
  const set = (change: Partial<Filters>) => setFilters((current) => ({ ...current, ...change }));
  const mediators = options.mediators.filter((m) => !filters.agencyId || String(m.agencyId) === filters.agencyId);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isMonth(filters.monthFrom) || !isMonth(filters.monthTo)) return setInvalid('Escriba los meses con la forma AAAA-MM.');
    if (filters.monthFrom > filters.monthTo) return setInvalid('El mes inicial no puede ser posterior al mes final.');
    setInvalid(null);
    onApply(filters);
  }

  return (
    <form className="card section search" aria-label="Filtros de los indicadores" onSubmit={handleSubmit} data-testid="indicator-filters">
      <div className="form-grid">
        <MonthField id="indicators-from" label="Desde el mes" value={filters.monthFrom} onChange={(monthFrom) => set({ monthFrom })} />
        <MonthField id="indicators-to" label="Hasta el mes" value={filters.monthTo} onChange={(monthTo) => set({ monthTo })} />
        {options.delegations.length > 1 && (
          <Select id="indicators-delegation" label="Delegación" value={filters.delegationId} onChange={(delegationId) => set({ delegationId })} all="Todas las delegaciones" options={options.delegations.map((d) => ({ value: String(d.id), label: d.name }))} />
        )}
        {options.agencies.length > 1 && (
          <Select id="indicators-agency" label="Agencia" value={filters.agencyId} onChange={(agencyId) => set({ agencyId, mediatorId: '' })} all="Todas las agencias" options={options.agencies.map((a) => ({ value: String(a.id), label: `${a.code} · ${a.name}` }))} />
        )}
        {options.mediators.length > 1 && (
          <Select id="indicators-mediator" label="Mediador" value={filters.mediatorId} onChange={(mediatorId) => set({ mediatorId })} all="Todos los mediadores" options={mediators.map((m) => ({ value: String(m.id), label: m.name }))} />
        )}
        <div className="field">
          <label htmlFor="indicators-group">Agrupar por</label>
          <select id="indicators-group" value={filters.groupBy} onChange={(event) => set({ groupBy: event.target.value as GroupBy })}>
            {options.groupBy.map((option) => (
              <option key={option.value} value={option.value}>
                {option.value === 'none' ? 'Sin agrupar (total)' : option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {invalid && (
        <p role="alert" className="field__error">
          {invalid}
        </p>
      )}
      <button type="submit" className="button button--primary">
        Consultar
      </button>
    </form>
  );
}

function ExportLinks({ path, query, what }: { path: string; query: string; what: string }) {
  const suffix = query ? `?${query}` : '';
  return (
    <div className="downloads" data-testid={`export-${path}`}>
      <a className="button button--secondary" href={`/api/indicators/${path}.xlsx${suffix}`} download aria-label={`Descargar Excel: ${what}`}>
        Descargar Excel
      </a>
      <a className="button button--secondary" href={`/api/indicators/${path}.csv${suffix}`} download aria-label={`Descargar CSV: ${what}`}>
        Descargar CSV
      </a>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="section card" aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** A group's row header: an agency's code bold and its name below ("AS01 · Agencia …"), other labels as they are. */
function GroupHeader({ label }: { label: string }) {
  const [code, ...name] = label.split(' · ');
  return (
    <th scope="row" style={{ minWidth: '14rem' }}>
      {name.length > 0 && /^[A-Z0-9]{2,8}$/.test(code ?? '') ? (
        <>
          <span className="datatable__code">{code}</span>
          <span className="datatable__sub">{name.join(' · ')}</span>
        </>
      ) : (
        label
      )}
    </th>
  );
}

const countText = (count: number | null) => (count === null ? 'No aplica' : formatInteger(count));

function FunnelView({ report, query }: { report: FunnelReport; query: string }) {
  const shown = report.totals.stages.filter((s) => s.count !== null);
  const startLabel = report.stages.find((s) => s.stage === report.start)?.label ?? '';
  const bars = shown.map((figure) => ({
    key: figure.stage,
    label: figure.label,
    value: figure.count ?? 0,
    valueText:
      figure.fromPrevious && figure.fromPrevious.denominator > 0
        ? `${formatInteger(figure.count ?? 0)} (${figure.fromPrevious.display} de la etapa anterior)`
        : formatInteger(figure.count ?? 0),
  }));
  const applicable = report.stages.filter((stage) => report.totals.stages.find((s) => s.stage === stage.stage)?.count !== null);
  return (
    <Section id="funnel" title="Embudo de mediación">
      {report.startNote && <p className="notice">{report.startNote}</p>}
      <HorizontalBarChart description={chartDescription(`Embudo de mediación, ${report.query.scopeLabel}`, bars.map((bar) => ({ label: String(bar.label), valueText: bar.valueText })))} bars={bars} testId="funnel-chart" />
      <div className="section">
        <ScrollTable label="Tabla del embudo">
          <table className="datatable" data-testid="funnel-table">
            <caption className="visually-hidden">Embudo de mediación: casos por etapa y conversión</caption>
            <thead>
              <tr>
                <th scope="col">Etapa</th>
                <th scope="col" className="numeric">Casos</th>
                <th scope="col" className="numeric">Desde la etapa anterior</th>
                <th scope="col" className="numeric">Desde «{startLabel}»</th>
              </tr>
            </thead>
            <tbody>
              {report.totals.stages.map((figure) => (
                <tr key={figure.stage} data-stage={figure.stage}>
                  <th scope="row" title={report.stages.find((s) => s.stage === figure.stage)?.source}>
                    {figure.label}
                  </th>
                  <td className="numeric" data-testid="funnel-count">{countText(figure.count)}</td>
                  <td className="numeric">{figure.count === null ? 'No aplica' : rateText(figure.fromPrevious, 'Base')}</td>
                  <td className="numeric">{figure.count === null ? 'No aplica' : rateText(figure.fromStart, 'Base')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </div>
      {report.groups.length > 0 && (
        <>
          <h3>Por {report.query.groupByLabel.toLowerCase()}</h3>
          <ScrollTable label={`Embudo por ${report.query.groupByLabel.toLowerCase()}`}>
            <table className="datatable" data-testid="funnel-groups">
              <caption className="visually-hidden">Casos por etapa y {report.query.groupByLabel.toLowerCase()}; debajo de cada cifra, la conversión desde la etapa anterior</caption>
              <thead>
                <tr>
                  <th scope="col">{report.query.groupByLabel}</th>
                  {applicable.map((stage) => (
                    <th key={stage.stage} scope="col" className="numeric">
                      {stage.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.groups.map((group) => (
                  <tr key={group.key} data-testid="funnel-group" data-key={group.key}>
                    <GroupHeader label={group.label} />
                    {group.stages
                      .filter((figure) => figure.count !== null)
                      .map((figure) => (
                        <td key={figure.stage} className="numeric" data-stage={figure.stage}>
                          <span data-testid="funnel-group-count">{countText(figure.count)}</span>
                          {figure.fromPrevious && <span className="datatable__sub">{figure.fromPrevious.display}</span>}
                        </td>
                      ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      )}
      <details className="chart__note">
        <summary>Qué cuenta cada etapa</summary>
        <dl className="fields fields--compact">
          {report.stages.map((stage) => (
            <div key={stage.stage} className="fields__item">
              <dt>{stage.label}</dt>
              <dd>{stage.source}</dd>
            </div>
          ))}
        </dl>
      </details>
      <ExportLinks path="funnel" query={query} what="embudo de mediación" />
    </Section>
  );
}

function Sl1View({ report, query }: { report: Sl1Report; query: string }) {
  const rows = report.groups.length > 0 ? report.groups : [{ key: 'total', label: 'Total', ...report.totals }];
  const bars = rows.map((row) => ({ key: row.key, label: row.label, value: row.met, of: row.signed, valueText: row.rate.display }));
  return (
    <Section id="sl1" title="Cumplimiento del nivel de servicio SL-1">
      <p className="muted">{report.basis}</p>
      <HorizontalBarChart description={chartDescription(`Cumplimiento de SL-1, ${report.query.scopeLabel}`, bars.map((bar) => ({ label: bar.label, valueText: bar.valueText })))} bars={bars} testId="sl1-chart" />
      <div className="section">
        <ScrollTable label="Tabla de SL-1">
          <table className="datatable" data-testid="sl1-table">
            <caption className="visually-hidden">Convenios firmados dentro y fuera de SL-1</caption>
            <thead>
              <tr>
                <th scope="col">{report.query.groupByLabel}</th>
                <th scope="col" className="numeric">Convenios firmados</th>
                <th scope="col" className="numeric">Dentro de SL-1</th>
                <th scope="col" className="numeric">Fuera de SL-1</th>
                <th scope="col" className="numeric">Cumplimiento</th>
              </tr>
            </thead>
            <tbody>
              {[...(report.groups.length > 0 ? [{ key: 'total', label: 'Total', ...report.totals }] : []), ...rows].map((row) => (
                <tr key={row.key} data-key={row.key}>
                  <th scope="row">{row.label}</th>
                  <td className="numeric">{formatInteger(row.signed)}</td>
                  <td className="numeric">{formatInteger(row.met)}</td>
                  <td className="numeric">{formatInteger(row.notMet)}</td>
                  <td className="numeric" data-testid="sl1-rate">{row.rate.display}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </div>
      <ExportLinks path="sl1" query={query} what="cumplimiento de SL-1" />
    </Section>
  );
}

function DeadlinesView({ report, query }: { report: DeadlineReport; query: string }) {
  const ruleOf = new Map(report.rules.map((rule) => [rule.rule, rule]));
  const bars = report.totals.counts.filter((entry) => entry.count > 0).map((entry) => ({
    key: entry.rule,
    label: (
      <>
        <RuleBadge rule={entry.rule} />
        <span className="barchart__wording">{ruleOf.get(entry.rule)?.label}</span>
      </>
    ),
    value: entry.count,
    valueText: formatInteger(entry.count),
  }));
  const present = report.totals.counts.filter((entry) => entry.count > 0).map((entry) => entry.rule);
  return (
    <Section id="deadlines" title="Plazos incumplidos y cierres automáticos (DL-1 a DL-17)">
      {bars.length === 0 ? (
        <p className="notice notice--success" data-testid="deadline-none">
          Ningún plazo incumplido ni cierre automático en el periodo.
        </p>
      ) : (
        <HorizontalBarChart
          description={chartDescription(
            `Plazos incumplidos por regla, ${report.query.scopeLabel}; total ${formatInteger(report.totals.total)}`,
            bars.map((bar) => ({ label: bar.key, valueText: bar.valueText })),
          )}
          bars={bars}
          testId="deadline-chart"
        />
      )}
      <div className="section">
        <ScrollTable label="Tabla de plazos por regla">
          <table className="datatable" data-testid="deadline-table">
            <caption className="visually-hidden">Veces que se incumplió cada plazo</caption>
            <thead>
              <tr>
                <th scope="col">Regla</th>
                <th scope="col">Plazo</th>
                <th scope="col">Registro</th>
                <th scope="col" className="numeric">Veces</th>
              </tr>
            </thead>
            <tbody>
              {report.totals.counts.map((entry) => (
                <tr key={entry.rule} data-rule={entry.rule}>
                  <th scope="row" className="nowrap">
                    {entry.rule}
                  </th>
                  <td>{ruleOf.get(entry.rule)?.label}</td>
                  <td>{ruleOf.get(entry.rule)?.recordLabel}</td>
                  <td className="numeric" data-testid="deadline-count">{formatInteger(entry.count)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row" colSpan={3}>Total</th>
                <td className="numeric">{formatInteger(report.totals.total)}</td>
              </tr>
            </tbody>
          </table>
        </ScrollTable>
      </div>
      {report.groups.length > 0 && (
        <>
          <h3>Por {report.query.groupByLabel.toLowerCase()}</h3>
          <ScrollTable label={`Plazos por ${report.query.groupByLabel.toLowerCase()}`}>
            <table className="datatable" data-testid="deadline-groups">
              <caption className="visually-hidden">Plazos incumplidos por regla y {report.query.groupByLabel.toLowerCase()}</caption>
              <thead>
                <tr>
                  <th scope="col">{report.query.groupByLabel}</th>
                  {present.map((rule) => (
                    <th key={rule} scope="col" className="numeric nowrap">
                      {rule}
                    </th>
                  ))}
                  <th scope="col" className="numeric">Total</th>
                </tr>
              </thead>
              <tbody>
                {report.groups.map((group) => (
                  <tr key={group.key ?? 'none'} data-key={group.key ?? ''}>
                    <GroupHeader label={group.label} />
                    {present.map((rule) => (
                      <td key={rule} className="numeric">
                        {formatInteger(group.counts.find((c) => c.rule === rule)?.count ?? 0)}
                      </td>
                    ))}
                    <td className="numeric">{formatInteger(group.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      )}
      {report.notes.map((note) => (
        <p key={note} className="chart__note muted">
          {note}
        </p>
      ))}
      <ExportLinks path="breaches" query={query} what="plazos incumplidos" />
    </Section>
  );
}

export function IndicatorsPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const allowed = hasRole(user.role, INDICATOR_ROLES);
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = filtersOf(searchParams);
  const query = apiQuery(filters);
  const options = useQuery({
    queryKey: ['indicators', 'options'],
    queryFn: ({ signal }) => apiRequest<IndicatorOptions>('GET', '/api/indicators/options', { signal }),
    enabled: allowed,
  });
  const funnel = useIndicator<FunnelReport>('funnel', query, allowed);
  const sl1 = useIndicator<Sl1Report>('sl1', query, allowed);
  const deadlines = useIndicator<DeadlineReport>('breaches', query, allowed);

  if (!allowed) return <NotAllowed title={TITLE} />;
  const loading = [funnel, sl1, deadlines].some((q) => q.isPending || q.isFetching);
  const failed = [options, funnel, sl1, deadlines].find((q) => q.isError);

  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">
        El embudo de la mediación, el cumplimiento del nivel de servicio SL-1 y los plazos incumplidos (REP-5), con las cifras de su alcance.
        Cada gráfica lleva su tabla y se descarga en Excel o CSV con las mismas cifras.
      </p>
      {options.data && <FilterForm key={searchParams.toString()} initial={filters} options={options.data} onApply={(next) => setSearchParams(paramsOf(next))} />}
      <div className="results-area" aria-busy={loading}>
        <div role="status" className="status" data-testid="indicators-status">
          {loading ? 'Calculando indicadores…' : funnel.data ? `${funnel.data.query.scopeLabel} · agrupado por ${funnel.data.query.groupByLabel.toLowerCase()}` : ''}
        </div>
        {failed && <QueryError error={failed.error} onRetry={() => void failed.refetch()} />}
        {funnel.data && <FunnelView report={funnel.data} query={query} />}
        {sl1.data && <Sl1View report={sl1.data} query={query} />}
        {deadlines.data && <DeadlinesView report={deadlines.data} query={query} />}
      </div>
    </>
  );
}
