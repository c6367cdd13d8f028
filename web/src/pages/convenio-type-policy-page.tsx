/**
 * /politicas/tipo-convenio — the criteria that choose a tagged credit's convenio type (ASG-3,
 * Lineamiento 2): rules tried in order, the first whose conditions all hold decides, a type when
 * none does. The mediation office registers new versions (ASG-2); operations, auditors and
 * administrators read them.
 */
import { useQuery } from '@tanstack/react-query';
import { changeConvenioTypeCriteria, getConvenioTypeCriteria, getDelegations } from '../api/client';
import type { ConvenioType, ConvenioTypeCriteria, ConvenioTypeRule, DelegationItem, MediatorKind, PolicyVersion, Segment } from '../api/types';
import { CONVENIO_TYPE_LABELS, CONVENIO_TYPES, hasRole, POLICY_EDIT_ROLES, POLICY_READ_ROLES, SEGMENT_LABELS } from '../assignment-labels';
import { MEDIATOR_KIND_LABELS } from '../case-labels';
import { NotAllowed } from '../components/not-allowed';
import { CheckboxGroup, listOf, PolicyEditForm, PolicyTabs, PolicyView } from '../components/policy-parts';
import { Loading, QueryError } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { centsToPesosInput, formatCents, parsePesosToCents } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Criterios del tipo de convenio';
const policyQueryKey = ['policy', 'convenio_type_criteria'] as const;
/** As the server's schema (policy.definitions.ts). */
const MAX_RULES = 20;

const SEGMENTS = Object.keys(SEGMENT_LABELS) as Segment[];
const MEDIATOR_KINDS = Object.keys(MEDIATOR_KIND_LABELS) as MediatorKind[];

type Version = PolicyVersion<ConvenioTypeCriteria>;

/** "Ciudad de México" for "Delegación Regional Ciudad de México". */
function placeName(delegation: DelegationItem): string {
  return delegation.name.replace(/^Delegación Regional /, '');
}

const MEDIATOR_PHRASES: Record<MediatorKind, string> = {
  cja_certified: 'hay en la delegación un mediador certificado por un Centro de Justicia Alternativa, con certificación vigente',
  notary: 'hay en la delegación un notario público mediador',
  professional: 'hay en la delegación un profesional de la mediación',
};

/** A rule in words: "Convenio de Mediación Notarial cuando el saldo es de al menos $500,000.00 y …". */
function describeRule(rule: ConvenioTypeRule, delegations: ReadonlyMap<number, DelegationItem>): string {
  const conditions: string[] = [];
  if (rule.delegationIds !== undefined) {
    const names = rule.delegationIds.map((id) => (delegations.has(id) ? placeName(delegations.get(id)!) : `delegación ${id}`));
    conditions.push(`${names.length === 1 ? 'la delegación es' : 'la delegación es una de'} ${listOf(names, 'o')}`);
  }
  if (rule.segments !== undefined) conditions.push(`el segmento es ${listOf(rule.segments.map((segment) => SEGMENT_LABELS[segment]), 'o')}`);
  if (rule.minBalanceCents !== undefined) conditions.push(`el saldo es de al menos ${formatCents(rule.minBalanceCents)}`);
  if (rule.requiresMediatorKind !== undefined) conditions.push(MEDIATOR_PHRASES[rule.requiresMediatorKind]);
  const type = CONVENIO_TYPE_LABELS[rule.type];
  return conditions.length === 0 ? `${type} para cualquier crédito.` : `${type} cuando ${listOf(conditions)}.`;
}

function CurrentRules({ criteria, delegations }: { criteria: ConvenioTypeCriteria; delegations: ReadonlyMap<number, DelegationItem> }) {
  return (
    <>
      {criteria.rules.length > 0 && (
        <>
          <p>Se prueba cada regla en orden; la primera que se cumple decide el tipo:</p>
          <ol className="convenio-rules" data-testid="convenio-rules">
            {criteria.rules.map((rule, index) => (
              <li key={index} data-testid="convenio-rule" data-type={rule.type}>
                {describeRule(rule, delegations)}
              </li>
            ))}
          </ol>
        </>
      )}
      <p data-testid="convenio-fallback">
        {criteria.rules.length === 0 ? 'Cada crédito etiquetado recibe el ' : 'Si ninguna regla se cumple: '}
        <strong>{CONVENIO_TYPE_LABELS[criteria.fallback]}</strong>.
      </p>
    </>
  );
}

function describeChanges(version: Version, previous: Version, delegations: ReadonlyMap<number, DelegationItem>): string[] {
  const before = previous.value.rules.map((rule) => describeRule(rule, delegations));
  const after = version.value.rules.map((rule) => describeRule(rule, delegations));
  const changes: string[] = [];
  after.forEach((text, index) => {
    if (before[index] !== text) changes.push(`Regla ${index + 1}: ${text}`);
  });
  for (let index = after.length; index < before.length; index++) changes.push(`Regla ${index + 1} quitada`);
  if (previous.value.fallback !== version.value.fallback) {
    changes.push(`Si ninguna se cumple: ${CONVENIO_TYPE_LABELS[version.value.fallback]}`);
  }
  return changes.length === 0 ? ['Sin cambios en los criterios.'] : changes;
}

// --- the form ----------------------------------------------------------------------------------

/** A rule as edited: an empty list, amount or kind means "no such condition". */
interface DraftRule {
  key: number;
  type: ConvenioType;
  delegationIds: string[];
  segments: Segment[];
  minBalance: string;
  mediatorKind: MediatorKind | '';
}

interface Draft {
  rules: DraftRule[];
  fallback: ConvenioType;
  nextKey: number;
}

function draftOf(criteria: ConvenioTypeCriteria): Draft {
  return {
    rules: criteria.rules.map((rule, index) => ({
      key: index,
      type: rule.type,
      delegationIds: (rule.delegationIds ?? []).map(String),
      segments: rule.segments ?? [],
      minBalance: rule.minBalanceCents === undefined ? '' : centsToPesosInput(rule.minBalanceCents),
      mediatorKind: rule.requiresMediatorKind ?? '',
    })),
    fallback: criteria.fallback,
    nextKey: criteria.rules.length,
  };
}

/** The draft as the policy's value, or what is wrong with it in Spanish. */
function valueOf(draft: Draft): { value: ConvenioTypeCriteria } | { problem: string } {
  if (draft.rules.length > MAX_RULES) return { problem: `Los criterios admiten a lo más ${MAX_RULES} reglas.` };
  const rules: ConvenioTypeRule[] = [];
  for (const [index, entry] of draft.rules.entries()) {
    const rule: ConvenioTypeRule = { type: entry.type };
    if (entry.delegationIds.length > 0) rule.delegationIds = entry.delegationIds.map(Number).sort((a, b) => a - b);
    if (entry.segments.length > 0) rule.segments = SEGMENTS.filter((segment) => entry.segments.includes(segment));
    if (entry.minBalance.trim() !== '') {
      const cents = parsePesosToCents(entry.minBalance);
      if (cents === null) return { problem: `Regla ${index + 1}: el saldo mínimo debe ser una cantidad en pesos, por ejemplo 200,000.00.` };
      rule.minBalanceCents = cents;
    }
    if (entry.mediatorKind !== '') rule.requiresMediatorKind = entry.mediatorKind;
    const unconditional = Object.keys(rule).length === 1;
    if (unconditional && index < draft.rules.length - 1) {
      return {
        problem: `Regla ${index + 1}: no tiene condiciones, así que se cumple para cualquier crédito y las reglas que le siguen nunca se aplicarían. Agréguele una condición, quítela o use «Si ninguna regla se cumple».`,
      };
    }
    rules.push(rule);
  }
  return { value: { rules, fallback: draft.fallback } };
}

function TypeSelect({ id, value, onChange }: { id: string; value: ConvenioType; onChange: (type: ConvenioType) => void }) {
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value as ConvenioType)}>
      {CONVENIO_TYPES.map((type) => (
        <option key={type} value={type}>
          {CONVENIO_TYPE_LABELS[type]}
        </option>
      ))}
    </select>
  );
}

function RuleFields({
  rule,
  index,
  count,
  delegations,
  onChange,
  onMove,
  onRemove,
}: {
  rule: DraftRule;
  index: number;
  count: number;
  delegations: DelegationItem[];
  onChange: (patch: Partial<DraftRule>) => void;
  onMove: (offset: -1 | 1) => void;
  onRemove: () => void;
}) {
  const number = index + 1;
  const id = (field: string) => `rule-${rule.key}-${field}`;
  const delegationLabels = Object.fromEntries(delegations.map((delegation) => [String(delegation.id), placeName(delegation)]));
  const byName = [...delegations].sort((a, b) => placeName(a).localeCompare(placeName(b), 'es'));
  return (
    <li className="rule-card" data-testid="rule-card">
      <fieldset className="rule-card__fields">
        <legend className="rule-card__title">Regla {number}</legend>
        <div className="form-row">
          <div className="field">
            <label htmlFor={id('type')}>Tipo de convenio</label>
            <TypeSelect id={id('type')} value={rule.type} onChange={(type) => onChange({ type })} />
          </div>
          <div className="field">
            <label htmlFor={id('balance')}>Saldo mínimo (pesos)</label>
            <input
              id={id('balance')}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              aria-describedby={id('balance-hint')}
              value={rule.minBalance}
              onChange={(event) => onChange({ minBalance: event.target.value })}
            />
            <span id={id('balance-hint')} className="field__hint">
              Vacío: cualquier saldo.
            </span>
          </div>
          <div className="field">
            <label htmlFor={id('mediator')}>Mediador disponible en la delegación</label>
            <select id={id('mediator')} value={rule.mediatorKind} onChange={(event) => onChange({ mediatorKind: event.target.value as MediatorKind | '' })}>
              <option value="">Sin requisito</option>
              {MEDIATOR_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {MEDIATOR_KIND_LABELS[kind]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <CheckboxGroup
          legend="Segmentos (si no marca ninguno: cualquiera)"
          options={SEGMENTS}
          labels={SEGMENT_LABELS}
          selected={rule.segments}
          disabled={false}
          onChange={(segments) => onChange({ segments })}
        />
        <details className="rule-card__delegations">
          <summary>
            Delegaciones:{' '}
            {rule.delegationIds.length === 0
              ? 'todas'
              : `${rule.delegationIds.length} ${rule.delegationIds.length === 1 ? 'elegida' : 'elegidas'}`}
          </summary>
          <CheckboxGroup
            legend="Delegaciones (si no marca ninguna: todas)"
            options={byName.map((delegation) => String(delegation.id))}
            labels={delegationLabels}
            selected={rule.delegationIds}
            disabled={false}
            onChange={(delegationIds) => onChange({ delegationIds })}
          />
        </details>
        <div className="rule-card__actions">
          <button type="button" className="button button--secondary" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Subir la regla ${number}`}>
            Subir
          </button>
          <button type="button" className="button button--secondary" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`Bajar la regla ${number}`}>
            Bajar
          </button>
          <button type="button" className="button button--secondary" onClick={onRemove} aria-label={`Quitar la regla ${number}`}>
            Quitar
          </button>
        </div>
      </fieldset>
    </li>
  );
}

function RulesFields({ draft, setDraft, delegations }: { draft: Draft; setDraft: (update: (current: Draft) => Draft) => void; delegations: DelegationItem[] }) {
  const patchRule = (key: number, patch: Partial<DraftRule>) =>
    setDraft((current) => ({ ...current, rules: current.rules.map((rule) => (rule.key === key ? { ...rule, ...patch } : rule)) }));
  const move = (index: number, offset: -1 | 1) =>
    setDraft((current) => {
      const rules = [...current.rules];
      const [rule] = rules.splice(index, 1);
      rules.splice(index + offset, 0, rule!);
      return { ...current, rules };
    });
  const remove = (key: number) => setDraft((current) => ({ ...current, rules: current.rules.filter((rule) => rule.key !== key) }));
  const add = () =>
    setDraft((current) => ({
      ...current,
      rules: [...current.rules, { key: current.nextKey, type: 'NOTARIAL', delegationIds: [], segments: [], minBalance: '', mediatorKind: '' }],
      nextKey: current.nextKey + 1,
    }));
  return (
    <>
      <p className="muted">Las reglas se prueban en orden; la primera cuyas condiciones se cumplen todas decide el tipo.</p>
      <ol className="rule-cards">
        {draft.rules.map((rule, index) => (
          <RuleFields
            key={rule.key}
            rule={rule}
            index={index}
            count={draft.rules.length}
            delegations={delegations}
            onChange={(patch) => patchRule(rule.key, patch)}
            onMove={(offset) => move(index, offset)}
            onRemove={() => remove(rule.key)}
          />
        ))}
      </ol>
      <p>
        <button type="button" className="button button--secondary" onClick={add} disabled={draft.rules.length >= MAX_RULES}>
          Agregar regla
        </button>
      </p>
      <div className="field">
        <label htmlFor="convenio-fallback">Si ninguna regla se cumple</label>
        <TypeSelect id="convenio-fallback" value={draft.fallback} onChange={(fallback) => setDraft((current) => ({ ...current, fallback }))} />
      </div>
    </>
  );
}

export function ConvenioTypePolicyPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const allowed = hasRole(user.role, POLICY_READ_ROLES);
  const delegations = useQuery({ queryKey: ['delegations'], queryFn: ({ signal }) => getDelegations(signal), staleTime: Infinity, enabled: allowed });
  if (!allowed) return <NotAllowed title={TITLE} />;
  const canEdit = hasRole(user.role, POLICY_EDIT_ROLES);
  return (
    <>
      <h1>{TITLE}</h1>
      <PolicyTabs />
      {delegations.isPending ? (
        <Loading label="Cargando delegaciones…" />
      ) : delegations.isError ? (
        <QueryError error={delegations.error} onRetry={() => void delegations.refetch()} />
      ) : (
        <CriteriaView canEdit={canEdit} delegations={delegations.data} />
      )}
    </>
  );
}

function CriteriaView({ canEdit, delegations }: { canEdit: boolean; delegations: DelegationItem[] }) {
  const byId = new Map(delegations.map((delegation) => [delegation.id, delegation]));
  return (
    <PolicyView<ConvenioTypeCriteria>
      queryKey={policyQueryKey}
      load={getConvenioTypeCriteria}
      canEdit={canEdit}
      what="estos criterios"
      renderCurrent={(version) => <CurrentRules criteria={version.value} delegations={byId} />}
      renderEdit={(latest) => (
        <PolicyEditForm<Draft, ConvenioTypeCriteria>
          latest={latest}
          initial={draftOf(latest.value)}
          queryKey={policyQueryKey}
          save={changeConvenioTypeCriteria}
          toValue={valueOf}
          legend="Reglas del tipo de convenio"
          renderFields={(draft, setDraft) => <RulesFields draft={draft} setDraft={setDraft} delegations={delegations} />}
        />
      )}
      historyCaption="Versiones de los criterios del tipo de convenio, la más reciente primero"
      describeChanges={(version, previous) => describeChanges(version, previous, byId)}
    />
  );
}
