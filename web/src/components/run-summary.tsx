import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { AgencyRunCounts, ConvenioType, DelegationRunCounts, MonthDifference, RunSummary } from '../api/types';
import {
  compareRuleIds,
  CONVENIO_TYPE_LABELS,
  CONVENIO_TYPES,
  hasRole,
  leavingReasonWording,
  POLICY_READ_ROLES,
} from '../assignment-labels';
import { formatDate, formatInteger, formatMonth, formatShare } from '../format';
import { useCurrentUser } from '../session';
import { RuleBadge } from './rule-badge';
import { BarTrack, ScrollTable } from './chart-bars';

/** A sub-section of a run summary, named by its h3. */
function SummarySection({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="summary-section" aria-labelledby={headingId} data-testid={testId}>
      <h3 id={headingId}>{title}</h3>
      {children}
    </section>
  );
}

function Stat({ id, label, value, note }: { id: string; label: string; value: number; note?: string }) {
  return (
    <div className="stat" data-testid={`stat-${id}`}>
      <dt className="stat__label">{label}</dt>
      <dd className="stat__value">{formatInteger(value)}</dd>
      {note !== undefined && <dd className="stat__note">{note}</dd>}
    </div>
  );
}

function HeadlineFigures({ summary }: { summary: RunSummary }) {
  const ofEvaluated = (count: number) => `${formatShare(count, summary.evaluated)} de los evaluados`;
  return (
    <dl className="stats" data-testid="run-stats">
      <Stat id="evaluated" label="Evaluados" value={summary.evaluated} />
      <Stat id="tagged" label="Susceptibles de mediación" value={summary.tagged} note={ofEvaluated(summary.tagged)} />
      <Stat id="excluded" label="Excluidos" value={summary.excluded} note={ofEvaluated(summary.excluded)} />
      <Stat id="assigned" label="Asignados a una agencia" value={summary.assigned} />
      <Stat id="unassigned" label="Sin agencia por capacidad" value={summary.unassigned} />
    </dl>
  );
}

/**
 * Horizontal bars of the credits each rule excluded. The chart is a table (rule and wording as the
 * row header, the count as the cell), so screen readers and forced-colours users get the same data
 * as text; the bars themselves are decoration (aria-hidden).
 */
function ExclusionChart({ summary }: { summary: RunSummary }) {
  const rules = Object.keys(summary.byRule).sort(compareRuleIds);
  const counts = rules.map((rule) => summary.byRule[rule] ?? 0);
  const largest = Math.max(1, ...counts);
  return (
    <div className="chart" data-testid="exclusion-chart">
      <table className="barchart" role="table">
        <caption className="visually-hidden">Créditos excluidos por regla de exclusión, {formatMonth(summary.month)}</caption>
        <thead role="rowgroup" className="visually-hidden">
          <tr role="row">
            <th scope="col" role="columnheader">
              Regla
            </th>
            <th scope="col" role="columnheader">
              Créditos excluidos
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rules.map((rule, index) => {
            const count = counts[index] ?? 0;
            return (
              <tr key={rule} role="row" className="barchart__row" data-testid="exclusion-bar" data-rule={rule}>
                <th scope="row" role="rowheader" className="barchart__label">
                  <RuleBadge rule={rule} />
                  <span className="barchart__wording">{summary.ruleWording[rule] ?? ''}</span>
                </th>
                <td role="cell" className="barchart__cell">
                  <BarTrack value={count} largest={largest} valueText={formatInteger(count)} valueTestId="exclusion-count" />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="chart__note muted">
        Un crédito puede cumplir varias reglas a la vez y se cuenta en cada una; por eso la suma puede ser mayor que los{' '}
        {formatInteger(summary.excluded)} créditos excluidos.
      </p>
    </div>
  );
}

function shortDelegationName(name: string): string {
  return name.replace(/^Delegación Regional\s+/, '');
}

function DelegationTable({ rows }: { rows: DelegationRunCounts[] }) {
  return (
    <ScrollTable label="Tabla por delegación">
      <table className="datatable" data-testid="delegation-table">
        <caption className="visually-hidden">Créditos por delegación regional</caption>
        <thead>
          <tr>
            <th scope="col">Delegación regional</th>
            <th scope="col" className="numeric">
              Evaluados
            </th>
            <th scope="col" className="numeric">
              Susceptibles
            </th>
            <th scope="col" className="numeric">
              Asignados
            </th>
            <th scope="col" className="numeric">
              Sin agencia
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.delegationId}>
              <th scope="row">{shortDelegationName(row.name)}</th>
              <td className="numeric">{formatInteger(row.evaluated)}</td>
              <td className="numeric">{formatInteger(row.tagged)}</td>
              <td className="numeric">{formatInteger(row.assigned)}</td>
              <td className="numeric">{formatInteger(Math.max(0, row.tagged - row.assigned))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function UtilisationBar({ assigned, capacity }: { assigned: number; capacity: number }) {
  const share = capacity <= 0 ? 0 : Math.min(100, (assigned / capacity) * 100);
  return (
    <span className="meter">
      <span className="meter__track" aria-hidden="true">
        <span className={`meter__bar${share >= 100 ? ' meter__bar--full' : ''}`} style={{ width: `${share.toFixed(2)}%` }} />
      </span>
      <span className="meter__value">{formatShare(assigned, capacity)}</span>
    </span>
  );
}

/** Cards on phones, a table from tablets up (the same pattern as the portfolio results). */
function AgencyTable({ rows }: { rows: AgencyRunCounts[] }) {
  return (
    <div className="table-wrap">
      <table className="results results--compact" role="table" data-testid="agency-table">
        <caption className="visually-hidden">Cuentas asignadas por agencia frente a su capacidad</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">
              Agencia
            </th>
            <th scope="col" role="columnheader" className="numeric">
              Asignadas
            </th>
            <th scope="col" role="columnheader" className="numeric">
              Capacidad
            </th>
            <th scope="col" role="columnheader">
              Utilización
            </th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={row.agencyId} role="row" data-testid="agency-row">
              <th scope="row" role="rowheader" className="results__name">
                <span className="datatable__code">{row.code}</span>
                <span className="datatable__sub">{row.name}</span>
              </th>
              <td role="cell" data-label="Asignadas" className="numeric">
                {formatInteger(row.assigned)}
              </td>
              <td role="cell" data-label="Capacidad" className="numeric">
                {formatInteger(row.capacity)}
              </td>
              <td role="cell" data-label="Utilización" className="results__meter">
                <UtilisationBar assigned={row.assigned} capacity={row.capacity} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConvenioTypeTable({ counts, assigned }: { counts: Partial<Record<ConvenioType, number>>; assigned: number }) {
  return (
    <ScrollTable label="Tabla por tipo de convenio">
      <table className="datatable" data-testid="convenio-type-table">
        <caption className="visually-hidden">Cuentas asignadas por tipo de convenio</caption>
        <thead>
          <tr>
            <th scope="col">Tipo de convenio</th>
            <th scope="col" className="numeric">
              Cuentas
            </th>
            <th scope="col" className="numeric">
              Proporción
            </th>
          </tr>
        </thead>
        <tbody>
          {CONVENIO_TYPES.map((type) => {
            const count = counts[type] ?? 0;
            return (
              <tr key={type}>
                <th scope="row">{CONVENIO_TYPE_LABELS[type]}</th>
                <td className="numeric">{formatInteger(count)}</td>
                <td className="numeric">{formatShare(count, assigned)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollTable>
  );
}

function Difference({ difference, ruleWording }: { difference: MonthDifference; ruleWording: Record<string, string> }) {
  if (difference.previousMonth === null) {
    return (
      <p className="muted" data-testid="difference-none">
        Es la primera corrida: no hay un mes anterior con el cual comparar.
      </p>
    );
  }
  const reasons = Object.entries(difference.leftBecause).sort(([a], [b]) => compareRuleIds(a, b));
  return (
    <>
      <p>
        Frente a la asignación de <strong>{formatMonth(difference.previousMonth)}</strong>:
      </p>
      <dl className="stats stats--compact">
        <Stat id="entered" label="Entran" value={difference.entered} />
        <Stat id="left" label="Salen" value={difference.left} />
        <Stat id="changed-agency" label="Cambian de agencia" value={difference.changedAgency} />
      </dl>
      {reasons.length > 0 && (
        <ScrollTable label="Motivos de salida">
          <table className="datatable" data-testid="leaving-reasons">
            <caption>Por qué salen</caption>
            <thead>
              <tr>
                <th scope="col">Motivo</th>
                <th scope="col" className="numeric">
                  Créditos
                </th>
              </tr>
            </thead>
            <tbody>
              {reasons.map(([reason, count]) => (
                <tr key={reason}>
                  <th scope="row" className="datatable__reason">
                    {reason.startsWith('EXC-') && <RuleBadge rule={reason} />}
                    <span>{leavingReasonWording(reason, ruleWording)}</span>
                  </th>
                  <td className="numeric">{formatInteger(count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      {reasons.reduce((sum, [, count]) => sum + count, 0) > difference.left && (
        <p className="muted" data-testid="leaving-reasons-note">
          Un crédito que sale puede cumplir varias reglas a la vez y se cuenta en cada una; por eso la suma puede ser mayor que los{' '}
          {formatInteger(difference.left)} créditos que salen.
        </p>
      )}
    </>
  );
}

function PolicyVersions({ summary }: { summary: RunSummary }) {
  const user = useCurrentUser();
  const canReadPolicies = hasRole(user.role, POLICY_READ_ROLES);
  const { policies } = summary;
  return (
    <dl className="fields">
      <div className="fields__item" data-testid="policy-exclusion-criteria">
        <dt>Criterios de exclusión</dt>
        <dd>
          {canReadPolicies ? (
            <Link to="/politicas/exclusiones">Versión {formatInteger(policies.exclusionCriteria)}</Link>
          ) : (
            <>Versión {formatInteger(policies.exclusionCriteria)}</>
          )}
        </dd>
      </div>
      <div className="fields__item" data-testid="policy-convenio-type-criteria">
        <dt>Criterios del tipo de convenio</dt>
        <dd>
          {canReadPolicies ? (
            <Link to="/politicas/tipo-convenio">Versión {formatInteger(policies.convenioTypeCriteria)}</Link>
          ) : (
            <>Versión {formatInteger(policies.convenioTypeCriteria)}</>
          )}
        </dd>
      </div>
      <div className="fields__item" data-testid="policy-solution-parameters">
        <dt>Parámetros de las soluciones</dt>
        <dd>Versión {formatInteger(policies.solutionParameters)}</dd>
      </div>
    </dl>
  );
}

/** Everything a run reports (ASG-6): figures, exclusions per rule, delegations, agencies, types. */
export function RunSummaryView({ summary }: { summary: RunSummary }) {
  return (
    <div className="run-summary" data-testid="run-summary" data-month={summary.month}>
      <p className="muted" data-testid="run-meta">
        Mes de {formatMonth(summary.month)} ·{' '}
        {summary.dryRun ? 'simulación calculada' : 'ejecutada'} el {formatDate(summary.runOn)}
      </p>
      <HeadlineFigures summary={summary} />

      <SummarySection title="Exclusiones por regla" testId="section-exclusions">
        <ExclusionChart summary={summary} />
      </SummarySection>

      <SummarySection title="Diferencia con el mes anterior" testId="section-difference">
        <Difference difference={summary.difference} ruleWording={summary.ruleWording} />
      </SummarySection>

      <SummarySection title="Por agencia" testId="section-agencies">
        <AgencyTable rows={summary.byAgency} />
      </SummarySection>

      <SummarySection title="Por tipo de convenio" testId="section-convenio-types">
        <ConvenioTypeTable counts={summary.byConvenioType} assigned={summary.assigned} />
      </SummarySection>

      <SummarySection title="Por delegación" testId="section-delegations">
        <DelegationTable rows={summary.byDelegation} />
      </SummarySection>

      <SummarySection title="Versiones de las políticas usadas" testId="section-policies">
        <PolicyVersions summary={summary} />
      </SummarySection>
    </div>
  );
}
