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
import { CheckboxGroup, listOf, PolicyEditForm, PolicyTabs, PolicyView } from '../components/policy-parts';
import { RuleBadge } from '../components/rule-badge';
import { useDocumentTitle } from '../components/use-document-title';
import { formatInteger } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Criterios de exclusión';
const policyQueryKey = ['policy', 'exclusion_criteria'] as const;

type Version = PolicyVersion<ExclusionCriteria>;

const HOUSING_STATUSES = Object.keys(HOUSING_STATUS_LABELS) as ExcludedHousingStatus[];
const LEGAL_STAGES = Object.keys(LEGAL_STAGE_LABELS) as ExcludedLegalStage[];

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
function describeChanges(version: Version, previous: Version): string[] {
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

/** Client-side checks the server would refuse in less friendly words. */
function problemsOf(value: ExclusionCriteria): string | null {
  const count = value['EXC-1'].maxBrokenConvenios;
  if (!Number.isInteger(count) || count < 1 || count > 10) return 'EXC-1: el número de convenios incumplidos debe ser de 1 a 10.';
  if (value['EXC-2'].housingStatuses.length === 0) return 'EXC-2: elija al menos una situación de la vivienda.';
  if (value['EXC-9'].legalStages.length === 0) return 'EXC-9: elija al menos una etapa procesal.';
  return null;
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

/** Mediation office: the switches and parameters of a new version (ASG-2). */
function CriteriaFields({ value, onChange }: { value: ExclusionCriteria; onChange: (update: (current: ExclusionCriteria) => ExclusionCriteria) => void }) {
  function update<R extends ExclusionRuleId>(rule: R, patch: Partial<ExclusionCriteria[R]>) {
    onChange((current) => ({ ...current, [rule]: { ...current[rule], ...patch } }));
  }
  return (
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
  );
}

export function ExclusionPolicyPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  if (!hasRole(user.role, POLICY_READ_ROLES)) return <NotAllowed title={TITLE} />;
  const canEdit = hasRole(user.role, POLICY_EDIT_ROLES);
  return (
    <>
      <h1>{TITLE}</h1>
      <PolicyTabs />
      <PolicyView<ExclusionCriteria>
        queryKey={policyQueryKey}
        load={getExclusionCriteria}
        canEdit={canEdit}
        what="estos criterios"
        // the mediation office sees the same switches, live, in the form below
        renderCurrent={(version) => !canEdit && <CurrentCriteria version={version} />}
        renderEdit={(latest) => (
          <PolicyEditForm<ExclusionCriteria, ExclusionCriteria>
            latest={latest}
            initial={latest.value}
            queryKey={policyQueryKey}
            save={changeExclusionCriteria}
            toValue={(value) => {
              const problem = problemsOf(value);
              return problem === null ? { value } : { problem };
            }}
            legend="Criterios (active o desactive cada exclusión)"
            renderFields={(value, setValue) => <CriteriaFields value={value} onChange={setValue} />}
          />
        )}
        historyCaption="Versiones de los criterios de exclusión, la más reciente primero"
        describeChanges={describeChanges}
      />
    </>
  );
}
