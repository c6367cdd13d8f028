/**
 * What every policy page shares (ASG-2, SPEC §5 first paragraph): the version in force, the form
 * of a new version (reason and effective date required, areas notified) and the history with
 * what each version changed. The pages bring the criteria themselves.
 */
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import type { Me, Policy, PolicyChange, PolicyVersion } from '../api/types';
import { formatDate, formatInstantDate, formatInteger, todayInMexicoCity } from '../format';
import { useCurrentUser } from '../session';
import { errorMessage, Loading, QueryError } from './query-state';

/** The version in force today: the latest whose effective date has arrived (as the server reads it). */
export function versionInForce<T>(versions: PolicyVersion<T>[], today: string): PolicyVersion<T> | undefined {
  return [...versions]
    .filter((version) => version.effectiveFrom <= today)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || b.version - a.version)[0];
}

/** "a", "a y b", "a, b y c". */
export function listOf(labels: string[], last = 'y'): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} ${last} ${labels[labels.length - 1]}`;
}

function toggleIn<T>(list: T[], item: T, on: boolean): T[] {
  const without = list.filter((entry) => entry !== item);
  return on ? [...without, item] : without;
}

/** A group of checkboxes choosing some of `options`. */
export function CheckboxGroup<T extends string>({
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

function parseAreas(text: string): string[] {
  return text
    .split(',')
    .map((area) => area.trim())
    .filter((area) => area !== '');
}

/** Who registered a version (ASG-2): the system's initial value, the reader himself, or by name. */
function authorOf(version: PolicyVersion<unknown>, user: Me): string {
  if (version.authorUserId === null) return 'Sistema (valor inicial)';
  if (version.authorUserId === user.id) return `${user.fullName} (usted)`;
  return version.authorName ?? `Usuario n.º ${formatInteger(version.authorUserId)}`;
}

const POLICY_PAGES = [
  { to: '/politicas/exclusiones', label: 'Criterios de exclusión' },
  { to: '/politicas/tipo-convenio', label: 'Tipo de convenio' },
] as const;

/** The assignment's policies, one tab each (the current one marked by NavLink's aria-current). */
export function PolicyTabs() {
  return (
    <nav className="queue-tabs" aria-label="Políticas de la asignación">
      <ul className="queue-tabs__list">
        {POLICY_PAGES.map((page) => (
          <li key={page.to}>
            <NavLink to={page.to} className="queue-tabs__link">
              {page.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Reason, effective date and notified areas of a change (ASG-2), plus its submit state. */
export function usePolicyChange<T>(
  queryKey: QueryKey,
  mutationFn: (change: PolicyChange<T>) => Promise<PolicyVersion<T>>,
) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState(() => todayInMexicoCity());
  const [areas, setAreas] = useState('');
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  // Each submission's outcome moves the focus to the feedback (ChangeFields does it when this changes).
  const [feedbackTick, setFeedbackTick] = useState(0);

  const save = useMutation({
    mutationFn,
    onSuccess: async () => {
      setReason('');
      setAreas('');
      await queryClient.invalidateQueries({ queryKey });
    },
    onSettled: () => setFeedbackTick((tick) => tick + 1),
  });

  /** Refuses the draft with a problem found before sending (said where the server's error would be). */
  function refuse(problem: string) {
    setLocalProblem(problem);
    save.reset();
    setFeedbackTick((tick) => tick + 1);
  }

  function submit(value: T, problem: string | null) {
    setLocalProblem(problem);
    if (problem !== null) {
      save.reset();
      setFeedbackTick((tick) => tick + 1);
      return;
    }
    save.mutate({ value, reason: reason.trim(), effectiveFrom, notifiedAreas: parseAreas(areas) });
  }

  const error = localProblem ?? (save.isError ? errorMessage(save.error) : null);
  return { reason, setReason, effectiveFrom, setEffectiveFrom, areas, setAreas, feedbackTick, save, submit, refuse, error };
}

interface ChangeFieldsState {
  reason: string;
  setReason: (reason: string) => void;
  effectiveFrom: string;
  setEffectiveFrom: (date: string) => void;
  areas: string;
  setAreas: (areas: string) => void;
  feedbackTick: number;
  error: string | null;
  isPending: boolean;
  saved: { version: number; effectiveFrom: string } | undefined;
}

/** The fields every change carries, the feedback and the submit button. */
export function ChangeFields({ prefix, change }: { prefix: string; change: ChangeFieldsState }) {
  const feedbackRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (change.feedbackTick > 0) feedbackRef.current?.focus();
  }, [change.feedbackTick]);
  return (
    <>
      <div className="field">
        <label htmlFor={`${prefix}-reason`}>
          Motivo del cambio <span className="field__required">(obligatorio)</span>
        </label>
        <textarea
          id={`${prefix}-reason`}
          rows={3}
          maxLength={2000}
          aria-required="true"
          value={change.reason}
          onChange={(event) => change.setReason(event.target.value)}
        />
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${prefix}-effective-from`}>Vigente desde</label>
          <input
            id={`${prefix}-effective-from`}
            type="date"
            aria-required="true"
            value={change.effectiveFrom}
            onChange={(event) => change.setEffectiveFrom(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-areas`}>Áreas notificadas</label>
          <input
            id={`${prefix}-areas`}
            type="text"
            aria-describedby={`${prefix}-areas-hint`}
            value={change.areas}
            onChange={(event) => change.setAreas(event.target.value)}
          />
          <span id={`${prefix}-areas-hint`} className="field__hint">
            Separadas por comas, por ejemplo: Agencias de Soluciones, Operación de Soluciones, Delegaciones regionales.
          </span>
        </div>
      </div>

      <div ref={feedbackRef} tabIndex={-1} className="form-feedback">
        {change.error !== null && (
          <div role="alert" className="notice notice--error" data-testid="policy-error">
            <p>{change.error}</p>
          </div>
        )}
        <div role="status" data-testid="policy-saved">
          {change.saved !== undefined && change.error === null && (
            <p className="notice notice--success">
              Se registró la versión {formatInteger(change.saved.version)}, vigente desde {formatDate(change.saved.effectiveFrom)}.
            </p>
          )}
        </div>
      </div>

      <div>
        <button type="submit" className="button button--primary" disabled={change.isPending}>
          {change.isPending ? 'Guardando…' : 'Guardar nueva versión'}
        </button>
      </div>
    </>
  );
}

export function changeFieldsOf<T>(change: ReturnType<typeof usePolicyChange<T>>): ChangeFieldsState {
  return {
    reason: change.reason,
    setReason: change.setReason,
    effectiveFrom: change.effectiveFrom,
    setEffectiveFrom: change.setEffectiveFrom,
    areas: change.areas,
    setAreas: change.setAreas,
    feedbackTick: change.feedbackTick,
    error: change.error,
    isPending: change.save.isPending,
    saved: change.save.isSuccess ? change.save.data : undefined,
  };
}

/**
 * Mediation office: a new version of a policy. The page edits a draft (`renderFields`);
 * `toValue` turns it into the policy's value or says in Spanish what is wrong with it.
 */
export function PolicyEditForm<Draft, T>({
  latest,
  initial,
  queryKey,
  save,
  toValue,
  legend,
  renderFields,
}: {
  latest: PolicyVersion<T>;
  initial: Draft;
  queryKey: QueryKey;
  save: (change: PolicyChange<T>) => Promise<PolicyVersion<T>>;
  toValue: (draft: Draft) => { value: T } | { problem: string };
  legend: string;
  renderFields: (draft: Draft, setDraft: (update: (current: Draft) => Draft) => void) => ReactNode;
}) {
  const [draft, setDraft] = useState<Draft>(initial);
  const change = usePolicyChange<T>(queryKey, save);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = toValue(draft);
    if ('problem' in result) change.refuse(result.problem);
    else change.submit(result.value, null);
  }

  return (
    <section className="section card" aria-labelledby="edit-title" data-testid="policy-edit">
      <h2 id="edit-title">Registrar una nueva versión</h2>
      <p className="muted">
        Parte de la versión {formatInteger(latest.version)}. El cambio no modifica las versiones anteriores ni las
        asignaciones ya ejecutadas: se aplica a las corridas desde la fecha de vigencia.
      </p>
      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={change.save.isPending}>
        <fieldset className="criteria-form">
          <legend>{legend}</legend>
          {renderFields(draft, setDraft)}
        </fieldset>
        <ChangeFields prefix="policy" change={changeFieldsOf(change)} />
      </form>
    </section>
  );
}

/** The versions of a policy, the latest first: in force or scheduled, author, reason, changes. */
export function PolicyHistory<T>({
  versions,
  caption,
  describeChanges,
  testId = 'policy-history',
  heading: Heading = 'h2',
  headingId = 'history-title',
}: {
  versions: PolicyVersion<T>[];
  caption: string;
  describeChanges: (version: PolicyVersion<T>, previous: PolicyVersion<T>) => string[];
  testId?: string;
  heading?: 'h2' | 'h3';
  headingId?: string;
}) {
  const user = useCurrentUser();
  const today = todayInMexicoCity();
  const inForce = versionInForce(versions, today);
  const byNumber = [...versions].sort((a, b) => a.version - b.version);
  return (
    <section className="section policy-history" aria-labelledby={headingId} data-testid={testId}>
      <Heading id={headingId}>Historial de versiones</Heading>
      <div className="table-wrap">
        <table className="results results--wrap-head" role="table">
          <caption>{caption}</caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">Versión</th>
              <th scope="col" role="columnheader">Vigente desde</th>
              <th scope="col" role="columnheader">Autor</th>
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
                  <td role="cell" data-label="Autor" className="results__text" data-testid="policy-version-author">
                    {authorOf(version as PolicyVersion<unknown>, user)}
                  </td>
                  <td role="cell" data-label="Motivo" className="results__text">
                    {version.reason}
                  </td>
                  <td role="cell" data-label="Cambios" className="results__text" data-testid="policy-version-changes">
                    {previous === undefined ? 'Versión inicial.' : describeChanges(version, previous).join('; ')}
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

/** The versions registered to come into force later, if any. */
export function ScheduledVersions<T>({ versions }: { versions: PolicyVersion<T>[] }) {
  const today = todayInMexicoCity();
  const scheduled = versions.filter((version) => version.effectiveFrom > today);
  if (scheduled.length === 0) return null;
  return (
    <p className="notice" data-testid="policy-scheduled">
      {scheduled
        .map((version) => `La versión ${formatInteger(version.version)} entrará en vigor el ${formatDate(version.effectiveFrom)}.`)
        .join(' ')}
    </p>
  );
}

/**
 * A policy page's body: the version in force (the readers see it; the office edits from the
 * latest), the scheduled versions, the form and the history.
 */
export function PolicyView<T>({
  queryKey,
  load,
  canEdit,
  what,
  renderCurrent,
  renderEdit,
  historyCaption,
  describeChanges,
}: {
  queryKey: QueryKey;
  load: (signal?: AbortSignal) => Promise<Policy<T>>;
  canEdit: boolean;
  /** "estos criterios", as in «sólo la Gerencia … puede cambiar estos criterios» */
  what: string;
  renderCurrent: (version: PolicyVersion<T>) => ReactNode;
  renderEdit: (latest: PolicyVersion<T>) => ReactNode;
  historyCaption: string;
  describeChanges: (version: PolicyVersion<T>, previous: PolicyVersion<T>) => string[];
}) {
  const policy = useQuery({ queryKey, queryFn: ({ signal }) => load(signal) });
  if (policy.isPending) return <Loading label="Cargando criterios…" />;
  if (policy.isError) return <QueryError error={policy.error} onRetry={() => void policy.refetch()} />;

  const { versions } = policy.data;
  const today = todayInMexicoCity();
  const inForce = versionInForce(versions, today);
  const latest = versions[0];
  return (
    <>
      <p className="lead">{policy.data.label}</p>
      {!canEdit && (
        <p className="notice" data-testid="policy-read-only">
          Consulta: sólo la Gerencia de Mediación y Convenios puede cambiar {what} (ASG-2).
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
            {renderCurrent(inForce)}
          </>
        )}
        <ScheduledVersions versions={versions} />
      </section>
      {canEdit && latest !== undefined && renderEdit(latest)}
      {versions.length > 0 && <PolicyHistory versions={versions} caption={historyCaption} describeChanges={describeChanges} />}
    </>
  );
}
