import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { changeExclusionCriteria, getExclusionCriteria } from '../api/client';
import type {
  ExcludedHousingStatus,
  ExcludedLegalStage,
  ExclusionCriteria,
  ExclusionRuleId,
  PolicyVersion,
} from '../api/types';
import {
  EXCLUSION_RULE_IDS,
  EXCLUSION_WORDING,
  hasRole,
  HOUSING_STATUS_LABELS,
  LEGAL_STAGE_LABELS,
  POLICY_EDIT_ROLES,
  POLICY_READ_ROLES,
} from '../assignment-labels';
import { NotAllowed } from '../components/not-allowed';
import { errorMessage, Loading, QueryError } from '../components/query-state';
import { RuleBadge } from '../components/rule-badge';
import { useDocumentTitle } from '../components/use-document-title';
import { formatDate, formatInstantDate, formatInteger, todayInMexicoCity } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Criterios de exclusión';
const policyQueryKey = ['policy', 'exclusion_criteria'] as const;

type Version = PolicyVersion<ExclusionCriteria>;

const HOUSING_STATUSES = Object.keys(HOUSING_STATUS_LABELS) as ExcludedHousingStatus[];
const LEGAL_STAGES = Object.keys(LEGAL_STAGE_LABELS) as ExcludedLegalStage[];

/** The version in force today: the latest whose effective date has arrived (as the server reads it). */
function versionInForce(versions: Version[], today: string): Version | undefined {
  return [...versions]
    .filter((version) => version.effectiveFrom <= today)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || b.version - a.version)[0];
}

function listOf(labels: string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} y ${labels[labels.length - 1]}`;
}

/** The parameters of a criterion, in words ("" when it has none). */
function describeParameters(rule: ExclusionRuleId, criteria: ExclusionCriteria): string {
  if (rule === 'EXC-1') {
    const count = criteria['EXC-1'].maxBrokenConvenios;
    return `Excluye a partir de ${formatInteger(count)} ${count === 1 ? 'convenio incumplido' : 'convenios incumplidos'}.`;
  }
  if (rule === 'EXC-2') {
    return `Situaciones de la vivienda: ${listOf(criteria['EXC-2'].housingStatuses.map((status) => HOUSING_STATUS_LABELS[status]))}.`;
  }
  if (rule === 'EXC-9') {
    return `Etapas procesales: ${listOf(criteria['EXC-9'].legalStages.map((stage) => LEGAL_STAGE_LABELS[stage]))}.`;
  }
  return '';
}

/** What a version changed against the one before it, in short Spanish phrases. */
function describeChanges(version: Version, previous: Version | undefined): string[] {
  if (previous === undefined) return ['Versión inicial.'];
  const changes: string[] = [];
  for (const rule of EXCLUSION_RULE_IDS) {
    const before = previous.value[rule];
    const after = version.value[rule];
    if (before.enabled !== after.enabled) changes.push(`${rule} ${after.enabled ? 'activada' : 'desactivada'}`);
    else if (describeParameters(rule, previous.value) !== describeParameters(rule, version.value)) {
      changes.push(`${rule}: ${describeParameters(rule, version.value)}`);
    }
  }
  return changes.length === 0 ? ['Sin cambios en los criterios.'] : changes;
}

/** A switch drawn for the read-only list; its state is said in words next to it. */
function StaticSwitch({ on }: { on: boolean }) {
  return <span className={`switch-visual${on ? ' switch-visual--on' : ''}`} aria-hidden="true" />;
}

function CurrentCriteria({ version }: { version: Version }) {
  return (
    <ul className="criteria" data-testid="criteria-list">
      {EXCLUSION_RULE_IDS.map((rule) => {
        const enabled = version.value[rule].enabled;
        const parameters = describeParameters(rule, version.value);
        return (
          <li key={rule} className={`criteria__item${enabled ? '' : ' criteria__item--off'}`} data-testid="criterion" data-rule={rule}>
            <StaticSwitch on={enabled} />
            <div className="criteria__text">
              <p className="criteria__title">
                <RuleBadge rule={rule} /> <span>{EXCLUSION_WORDING[rule]}</span>
              </p>
              {parameters !== '' && <p className="criteria__params muted">{parameters}</p>}
            </div>
            <span className={`state-chip${enabled ? ' state-chip--on' : ''}`} data-testid="criterion-state">
              {enabled ? 'Activa' : 'Inactiva'}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function toggleIn<T>(list: T[], item: T, on: boolean): T[] {
  const without = list.filter((entry) => entry !== item);
  return on ? [...without, item] : without;
}

/** Client-side checks the server would refuse in less friendly words. */
function problemsOf(value: ExclusionCriteria): string | null {
  const count = value['EXC-1'].maxBrokenConvenios;
  if (!Number.isInteger(count) || count < 1 || count > 10) return 'EXC-1: el número de convenios incumplidos debe ser de 1 a 10.';
  if (value['EXC-2'].housingStatuses.length === 0) return 'EXC-2: elija al menos una situación de la vivienda.';
  if (value['EXC-9'].legalStages.length === 0) return 'EXC-9: elija al menos una etapa procesal.';
  return null;
}

function parseAreas(text: string): string[] {
  return text
    .split(',')
    .map((area) => area.trim())
    .filter((area) => area !== '');
}

function CriterionSwitch({
  rule,
  enabled,
  onToggle,
}: {
  rule: ExclusionRuleId;
  enabled: boolean;
  onToggle: (on: boolean) => void;
}) {
  const id = `criterion-${rule}`;
  return (
    <div className="switch-field">
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="switch"
        checked={enabled}
        onChange={(event) => onToggle(event.target.checked)}
        data-testid={`switch-${rule}`}
      />
      <label htmlFor={id} className="switch-field__label">
        <RuleBadge rule={rule} /> <span>{EXCLUSION_WORDING[rule]}</span>
      </label>
      <span className={`state-chip switch-field__state${enabled ? ' state-chip--on' : ''}`} aria-hidden="true">
        {enabled ? 'Activa' : 'Inactiva'}
      </span>
    </div>
  );
}

function CheckboxGroup<T extends string>({
  legend,
  options,
  labels,
  selected,
  disabled,
  onChange,
}: {
  legend: string;
  options: T[];
  labels: Record<T, string>;
  selected: T[];
  disabled: boolean;
  onChange: (next: T[]) => void;
}) {
  const baseId = useId();
  return (
    <fieldset className="checkbox-group" disabled={disabled}>
      <legend>{legend}</legend>
      {options.map((option) => (
        <div key={option} className="checkbox">
          <input
            id={`${baseId}-${option}`}
            type="checkbox"
            checked={selected.includes(option)}
            onChange={(event) => onChange(toggleIn(selected, option, event.target.checked))}
          />
          <label htmlFor={`${baseId}-${option}`}>{labels[option]}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** Mediation office: a new version of the criteria (ASG-2: reason and effective date required). */
function EditForm({ latest }: { latest: Version }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState<ExclusionCriteria>(latest.value);
  const [reason, setReason] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState(() => todayInMexicoCity());
  const [areas, setAreas] = useState('');
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);

  const save = useMutation({
    mutationFn: changeExclusionCriteria,
    onSuccess: async () => {
      setReason('');
      setAreas('');
      await queryClient.invalidateQueries({ queryKey: policyQueryKey });
    },
    onSettled: () => feedbackRef.current?.focus(),
  });

  function update<R extends ExclusionRuleId>(rule: R, patch: Partial<ExclusionCriteria[R]>) {
    setValue((current) => ({ ...current, [rule]: { ...current[rule], ...patch } }));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = problemsOf(value);
    setLocalProblem(problem);
    if (problem !== null) {
      save.reset();
      feedbackRef.current?.focus();
      return;
    }
    save.mutate({ value, reason: reason.trim(), effectiveFrom, notifiedAreas: parseAreas(areas) });
  }

  const error = localProblem ?? (save.isError ? errorMessage(save.error) : null);

  return (
    <section className="section card" aria-labelledby="edit-title" data-testid="policy-edit">
      <h2 id="edit-title">Registrar una nueva versión</h2>
      <p className="muted">
        Parte de la versión {formatInteger(latest.version)}. El cambio no modifica las versiones anteriores ni las
        asignaciones ya ejecutadas: se aplica a las corridas desde la fecha de vigencia.
      </p>
      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={save.isPending}>
        <fieldset className="criteria-form">
          <legend>Criterios (active o desactive cada exclusión)</legend>
          <ul className="criteria">
            {EXCLUSION_RULE_IDS.map((rule) => {
              const enabled = value[rule].enabled;
              return (
                <li key={rule} className={`criteria__item criteria__item--form${enabled ? '' : ' criteria__item--off'}`}>
                  <CriterionSwitch rule={rule} enabled={enabled} onToggle={(on) => update(rule, { enabled: on })} />
                  {rule === 'EXC-1' && (
                    <div className="field criteria__param">
                      <label htmlFor="exc1-max">Convenios incumplidos a partir de los cuales se excluye</label>
                      <input
                        id="exc1-max"
                        type="number"
                        min={1}
                        max={10}
                        step={1}
                        inputMode="numeric"
                        disabled={!enabled}
                        value={Number.isNaN(value['EXC-1'].maxBrokenConvenios) ? '' : value['EXC-1'].maxBrokenConvenios}
                        onChange={(event) => update('EXC-1', { maxBrokenConvenios: event.target.valueAsNumber })}
                      />
                    </div>
                  )}
                  {rule === 'EXC-2' && (
                    <CheckboxGroup
                      legend="Situaciones de la vivienda que excluyen"
                      options={HOUSING_STATUSES}
                      labels={HOUSING_STATUS_LABELS}
                      selected={value['EXC-2'].housingStatuses}
                      disabled={!enabled}
                      onChange={(next) => update('EXC-2', { housingStatuses: next })}
                    />
                  )}
                  {rule === 'EXC-9' && (
                    <CheckboxGroup
                      legend="Etapas procesales que excluyen"
                      options={LEGAL_STAGES}
                      labels={LEGAL_STAGE_LABELS}
                      selected={value['EXC-9'].legalStages}
                      disabled={!enabled}
                      onChange={(next) => update('EXC-9', { legalStages: next })}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        </fieldset>

        <div className="field">
          <label htmlFor="policy-reason">
            Motivo del cambio <span className="field__required">(obligatorio)</span>
          </label>
          <textarea
            id="policy-reason"
            rows={3}
            maxLength={2000}
            aria-required="true"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor="policy-effective-from">Vigente desde</label>
            <input
              id="policy-effective-from"
              type="date"
              aria-required="true"
              value={effectiveFrom}
              onChange={(event) => setEffectiveFrom(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="policy-areas">Áreas notificadas</label>
            <input
              id="policy-areas"
              type="text"
              aria-describedby="policy-areas-hint"
              value={areas}
              onChange={(event) => setAreas(event.target.value)}
            />
            <span id="policy-areas-hint" className="field__hint">
              Separadas por comas, por ejemplo: Operación de Soluciones, Delegaciones regionales.
            </span>
          </div>
        </div>

        <div ref={feedbackRef} tabIndex={-1} className="form-feedback">
          {error !== null && (
            <div role="alert" className="notice notice--error" data-testid="policy-error">
              <p>{error}</p>
            </div>
          )}
          <div role="status" data-testid="policy-saved">
            {save.isSuccess && error === null && (
              <p className="notice notice--success">
                Se registró la versión {formatInteger(save.data.version)}, vigente desde{' '}
                {formatDate(save.data.effectiveFrom)}.
              </p>
            )}
          </div>
        </div>

        <div>
          <button type="submit" className="button button--primary" disabled={save.isPending}>
            {save.isPending ? 'Guardando…' : 'Guardar nueva versión'}
          </button>
        </div>
      </form>
    </section>
  );
}

function History({ versions }: { versions: Version[] }) {
  const today = todayInMexicoCity();
  const inForce = versionInForce(versions, today);
  const byNumber = [...versions].sort((a, b) => a.version - b.version);
  return (
    <section className="section" aria-labelledby="history-title" data-testid="policy-history">
      <h2 id="history-title">Historial de versiones</h2>
      <div className="table-wrap">
        <table className="results" role="table">
          <caption>Versiones de los criterios de exclusión, la más reciente primero</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Versión</th>
              <th scope="col" role="columnheader">Vigente desde</th>
              <th scope="col" role="columnheader">Motivo</th>
              <th scope="col" role="columnheader">Cambios</th>
              <th scope="col" role="columnheader">Áreas notificadas</th>
              <th scope="col" role="columnheader">Registrada</th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {versions.map((version) => {
              const previous = byNumber.filter((other) => other.version < version.version).at(-1);
              return (
                <tr key={version.id} role="row" data-testid="policy-version-row">
                  <td role="cell" data-label="Versión" className="nowrap">
                    {formatInteger(version.version)}
                    {version.id === inForce?.id && <span className="state-chip state-chip--on history__chip">Vigente</span>}
                    {version.effectiveFrom > today && <span className="state-chip history__chip">Programada</span>}
                  </td>
                  <td role="cell" data-label="Vigente desde" className="nowrap">
                    {formatDate(version.effectiveFrom)}
                  </td>
                  <td role="cell" data-label="Motivo" className="results__text">
                    {version.reason}
                  </td>
                  <td role="cell" data-label="Cambios" className="results__text">
                    {describeChanges(version, previous).join('; ')}
                  </td>
                  <td role="cell" data-label="Áreas notificadas" className="results__text">
                    {version.notifiedAreas.length === 0 ? <span className="muted">Ninguna</span> : version.notifiedAreas.join(', ')}
                  </td>
                  <td role="cell" data-label="Registrada" className="nowrap">
                    {formatInstantDate(version.createdAt)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PolicyView({ canEdit }: { canEdit: boolean }) {
  const policy = useQuery({ queryKey: policyQueryKey, queryFn: ({ signal }) => getExclusionCriteria(signal) });
  if (policy.isPending) return <Loading label="Cargando criterios…" />;
  if (policy.isError) return <QueryError error={policy.error} onRetry={() => void policy.refetch()} />;

  const { versions } = policy.data;
  const today = todayInMexicoCity();
  const inForce = versionInForce(versions, today);
  const latest = versions[0];
  const scheduled = versions.filter((version) => version.effectiveFrom > today);

  return (
    <>
      <p className="lead">{policy.data.label}</p>
      {!canEdit && (
        <p className="notice" data-testid="policy-read-only">
          Consulta: sólo la Gerencia de Mediación y Convenios puede cambiar estos criterios (ASG-2).
        </p>
      )}
      <section className="section card" aria-labelledby="current-title" data-testid="policy-current">
        <h2 id="current-title">Criterios vigentes</h2>
        {inForce === undefined ? (
          <p className="notice">Ninguna versión está vigente todavía.</p>
        ) : (
          <>
            <p className="muted" data-testid="policy-current-version">
              Versión {formatInteger(inForce.version)}, vigente desde {formatDate(inForce.effectiveFrom)}.
              {canEdit && ' Para cambiarlos, registre una nueva versión más abajo.'}
            </p>
            {/* The mediation office sees the same switches, live, in the form below. */}
            {!canEdit && <CurrentCriteria version={inForce} />}
          </>
        )}
        {scheduled.length > 0 && (
          <p className="notice" data-testid="policy-scheduled">
            {scheduled
              .map((version) => `La versión ${formatInteger(version.version)} entrará en vigor el ${formatDate(version.effectiveFrom)}.`)
              .join(' ')}
          </p>
        )}
      </section>
      {canEdit && latest !== undefined && <EditForm latest={latest} />}
      {versions.length > 0 && <History versions={versions} />}
    </>
  );
}

export function ExclusionPolicyPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  if (!hasRole(user.role, POLICY_READ_ROLES)) return <NotAllowed title={TITLE} />;
  return (
    <>
      <h1>{TITLE}</h1>
      <PolicyView canEdit={hasRole(user.role, POLICY_EDIT_ROLES)} />
    </>
  );
}
