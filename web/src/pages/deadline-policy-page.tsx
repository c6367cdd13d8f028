import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  changeDeadlinePolicy,
  changeHolidayPolicy,
  changeRemoteSessionTools,
  getDeadlinePolicy,
  getHolidayPolicy,
  getRemoteSessionTools,
} from '../api/client';
import type {
  DayUnit,
  DeadlineAnchor,
  DeadlineKey,
  DeadlinePolicy,
  HolidayPolicy,
  PolicyVersion,
  RemoteSessionTools,
} from '../api/types';
import { hasRole, POLICY_EDIT_ROLES, POLICY_READ_ROLES } from '../assignment-labels';
import { DEADLINE_CONDITION, DEADLINE_KEYS, DEADLINE_SUBJECT, timingPhrase, UNIT_WORD } from '../deadline-labels';
import { NotAllowed } from '../components/not-allowed';
import { ChangeFields, changeFieldsOf, PolicyHistory, ScheduledVersions, usePolicyChange, versionInForce } from '../components/policy-parts';
import { Loading, QueryError } from '../components/query-state';
import { RuleBadge } from '../components/rule-badge';
import { useDocumentTitle } from '../components/use-document-title';
import { formatDate, formatInteger, isIsoDate, todayInMexicoCity } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Plazos y días inhábiles';

const deadlinesQueryKey = ['policy', 'deadlines'] as const;
const holidaysQueryKey = ['policy', 'holiday_calendar'] as const;
const toolsQueryKey = ['policy', 'remote_session_tools'] as const;

// ------------------------------------------------------------------------------------------------
// Wording (mirrors src/modules/deadlines/deadlines.rules.ts)
// ------------------------------------------------------------------------------------------------

/** The "counted from" column. */
const ANCHOR_LABEL: Record<DeadlineAnchor, string> = {
  acceptance: 'La aceptación (día 0)',
  distribution: 'La distribución al mediador',
  scheduling: 'El agendado de la sesión (o de la nueva fecha)',
  signature: 'La firma del convenio',
  convenio_receipt: 'La recepción del convenio firmado',
  correction_request: 'La solicitud de cambios o aclaraciones',
  case_file_receipt: 'La recepción del expediente',
  file_correction_request: 'La solicitud de correcciones al expediente',
  certificates_receipt: 'La recepción de las constancias de pago',
  service_conclusion: 'La conclusión del servicio',
  month_start: 'El inicio del mes',
  report_receipt: 'La recepción del informe de la agencia',
  report_clarification_request: 'La solicitud de aclaración',
  office_notice: 'El aviso de la Gerencia de Mediación y Convenios',
};

const UNIT_LABELS: Record<DayUnit, string> = { calendar: 'Días naturales', business: 'Días hábiles' };

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** "DL-13 (solicitud)" for the two-part rules, else the key itself. */
function ruleLabel(key: DeadlineKey): string {
  if (key.endsWith('.request')) return `${key.split('.')[0]} (solicitud)`;
  if (key.endsWith('.answer')) return `${key.split('.')[0]} (respuesta)`;
  return key;
}

function daysText(amount: number, unit: DayUnit): string {
  return `${formatInteger(amount)} ${amount === 1 ? (unit === 'calendar' ? 'día natural' : 'día hábil') : `días ${UNIT_WORD[unit]}`}`;
}

// ------------------------------------------------------------------------------------------------
// Shared by the three policies
// ------------------------------------------------------------------------------------------------

function VersionNote<T>({ versions, inForce, testId }: { versions: PolicyVersion<T>[]; inForce: PolicyVersion<T>; testId: string }) {
  return (
    <>
      <p className="muted" data-testid={testId}>
        Versión {formatInteger(inForce.version)}, vigente desde {formatDate(inForce.effectiveFrom)}.
      </p>
      <ScheduledVersions versions={versions} />
    </>
  );
}

function PolicySection({ id, title, testId, children }: { id: string; title: string; testId: string; children: ReactNode }) {
  return (
    <section className="section card" aria-labelledby={`${id}-title`} data-testid={testId}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

// ------------------------------------------------------------------------------------------------
// (a) Deadlines DL-1..DL-18 and SL-1
// ------------------------------------------------------------------------------------------------

function DeadlineTable({ policy }: { policy: DeadlinePolicy }) {
  return (
    <div className="table-wrap">
      <table className="results" role="table" data-testid="deadline-table">
        <caption>Plazos de la versión vigente</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Regla</th>
            <th scope="col" role="columnheader">Qué es</th>
            <th scope="col" role="columnheader">Cantidad</th>
            <th scope="col" role="columnheader">Unidad</th>
            <th scope="col" role="columnheader">Se cuenta desde</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {DEADLINE_KEYS.map((key) => {
            const rule = policy[key];
            const condition = DEADLINE_CONDITION[key];
            return (
              <tr key={key} role="row" data-testid="deadline-row" data-rule={key}>
                <th scope="row" role="rowheader" className="nowrap">
                  <RuleBadge rule={ruleLabel(key)} />
                </th>
                <td role="cell" data-label="Qué es" className="results__block">
                  <span className="deadline__subject">{sentence(DEADLINE_SUBJECT[key])}</span>{' '}
                  <span className="muted">
                    ({timingPhrase(key, rule.from, rule.amount, rule.unit)}
                    {condition === undefined ? '' : `, ${condition}`})
                  </span>
                </td>
                <td role="cell" data-label="Cantidad" className="numeric" data-testid="deadline-amount">
                  {formatInteger(rule.amount)}
                </td>
                <td role="cell" data-label="Unidad" className="nowrap" data-testid="deadline-unit">
                  {UNIT_LABELS[rule.unit]}
                </td>
                <td role="cell" data-label="Se cuenta desde">
                  {ANCHOR_LABEL[rule.from]}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function describeDeadlineChanges(version: DeadlinePolicy, previous: DeadlinePolicy): string[] {
  return DEADLINE_KEYS.filter((key) => version[key].amount !== previous[key].amount || version[key].unit !== previous[key].unit).map(
    (key) => `${ruleLabel(key)}: ${daysText(previous[key].amount, previous[key].unit)} → ${daysText(version[key].amount, version[key].unit)}`,
  );
}

/** Client-side checks of each amount; the consistency of the case clock is the server's (with its message). */
function deadlineProblems(value: DeadlinePolicy): string | null {
  for (const key of DEADLINE_KEYS) {
    const amount = value[key].amount;
    const [min, max] = key === 'DL-16' ? [1, 28] : [0, 366];
    if (!Number.isInteger(amount) || amount < min || amount > max) {
      return `${ruleLabel(key)}: la cantidad de días debe ser un número entero de ${min} a ${max}.`;
    }
  }
  return null;
}

function DeadlineEditForm({ latest }: { latest: PolicyVersion<DeadlinePolicy> }) {
  const [value, setValue] = useState<DeadlinePolicy>(latest.value);
  const change = usePolicyChange<DeadlinePolicy>(deadlinesQueryKey, changeDeadlinePolicy);

  function update(key: DeadlineKey, patch: { amount?: number; unit?: DayUnit }) {
    setValue((current) => ({ ...current, [key]: { ...current[key], ...patch } }));
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.submit(value, deadlineProblems(value));
  }

  return (
    <div className="policy-edit" data-testid="deadline-edit">
      <h3 id="deadline-edit-title">Registrar una nueva versión de los plazos</h3>
      <p className="muted" id="deadline-edit-hint">
        Parte de la versión {formatInteger(latest.version)}. Puede cambiar la cantidad y la unidad de cada plazo; el hecho desde
        el que se cuenta es el procedimiento y no cambia. DL-3, DL-4, DL-5, DL-7 y DL-8 usan la misma unidad, DL-3 &lt; DL-4 &lt;
        DL-5 y DL-3 ≤ DL-7 &lt; DL-8.
      </p>
      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={change.save.isPending} aria-labelledby="deadline-edit-title">
        <div className="table-wrap">
          <table className="results deadline-form" role="table">
            <caption>Cantidad y unidad de cada plazo</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Regla</th>
                <th scope="col" role="columnheader">Qué es</th>
                <th scope="col" role="columnheader">Cantidad</th>
                <th scope="col" role="columnheader">Unidad</th>
                <th scope="col" role="columnheader">Se cuenta desde</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {DEADLINE_KEYS.map((key) => {
                const rule = value[key];
                const inputId = `deadline-amount-${key.replace('.', '-')}`;
                const unitId = `deadline-unit-${key.replace('.', '-')}`;
                return (
                  <tr key={key} role="row" data-rule={key}>
                    <th scope="row" role="rowheader" className="nowrap">
                      <RuleBadge rule={ruleLabel(key)} />
                    </th>
                    <td role="cell" data-label="Qué es" className="results__block">
                      {sentence(DEADLINE_SUBJECT[key])}
                    </td>
                    <td role="cell" data-label="Cantidad">
                      <label htmlFor={inputId} className="visually-hidden">
                        Cantidad de días de {ruleLabel(key)}
                      </label>
                      <input
                        id={inputId}
                        className="deadline-form__amount"
                        type="number"
                        min={key === 'DL-16' ? 1 : 0}
                        max={key === 'DL-16' ? 28 : 366}
                        step={1}
                        inputMode="numeric"
                        value={Number.isNaN(rule.amount) ? '' : rule.amount}
                        onChange={(event) => update(key, { amount: event.target.valueAsNumber })}
                      />
                    </td>
                    <td role="cell" data-label="Unidad">
                      <label htmlFor={unitId} className="visually-hidden">
                        Unidad de {ruleLabel(key)}
                      </label>
                      <select id={unitId} value={rule.unit} onChange={(event) => update(key, { unit: event.target.value as DayUnit })}>
                        <option value="calendar">{UNIT_LABELS.calendar}</option>
                        <option value="business">{UNIT_LABELS.business}</option>
                      </select>
                    </td>
                    <td role="cell" data-label="Se cuenta desde">
                      {ANCHOR_LABEL[rule.from]}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <ChangeFields prefix="deadline" change={changeFieldsOf(change)} />
      </form>
    </div>
  );
}

// ------------------------------------------------------------------------------------------------
// (b) Holiday calendar
// ------------------------------------------------------------------------------------------------

const STATUTORY_LABEL = 'Días de descanso obligatorio de la Ley Federal del Trabajo (art. 74)';
const STATUTORY_HINT =
  '1 de enero, primer lunes de febrero, tercer lunes de marzo, 1 de mayo, 16 de septiembre, tercer lunes de noviembre, 25 de diciembre y el 1 de octubre de cada seis años (transmisión del Poder Ejecutivo Federal).';

function byDate(a: { date: string }, b: { date: string }): number {
  return a.date.localeCompare(b.date);
}

function HolidayView({ policy }: { policy: HolidayPolicy }) {
  const days = [...policy.extraNonWorkingDays].sort(byDate);
  return (
    <>
      <p className="switch-line" data-testid="holiday-statutory">
        <span className={`state-chip${policy.statutoryRestDays ? ' state-chip--on' : ''}`}>
          {policy.statutoryRestDays ? 'Se aplican' : 'No se aplican'}
        </span>{' '}
        {STATUTORY_LABEL}.
      </p>
      <p className="muted">{STATUTORY_HINT}</p>
      <h3>Días inhábiles adicionales</h3>
      {days.length === 0 ? (
        <p className="muted" data-testid="holiday-extra-empty">
          Ninguno publicado.
        </p>
      ) : (
        <ul className="plain-list" data-testid="holiday-extra-list">
          {days.map((day) => (
            <li key={day.date}>
              <strong>{formatDate(day.date)}</strong>: {day.name}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function describeHolidayChanges(version: HolidayPolicy, previous: HolidayPolicy): string[] {
  const changes: string[] = [];
  if (version.statutoryRestDays !== previous.statutoryRestDays) {
    changes.push(version.statutoryRestDays ? 'Aplica los días de la LFT art. 74' : 'Deja de aplicar los días de la LFT art. 74');
  }
  const before = new Map(previous.extraNonWorkingDays.map((day) => [day.date, day.name]));
  const after = new Map(version.extraNonWorkingDays.map((day) => [day.date, day.name]));
  for (const day of [...version.extraNonWorkingDays].sort(byDate)) {
    if (!before.has(day.date)) changes.push(`Agrega ${formatDate(day.date)} (${day.name})`);
    else if (before.get(day.date) !== day.name) changes.push(`Renombra ${formatDate(day.date)}: ${day.name}`);
  }
  for (const day of [...previous.extraNonWorkingDays].sort(byDate)) {
    if (!after.has(day.date)) changes.push(`Quita ${formatDate(day.date)} (${day.name})`);
  }
  return changes;
}

interface DayRow {
  id: number;
  date: string;
  name: string;
}

/** Row ids only tell rows apart while editing; they are never sent. */
let lastRowId = 0;
function newRow(date: string, name: string): DayRow {
  lastRowId += 1;
  return { id: lastRowId, date, name };
}

function holidayProblems(rows: DayRow[]): string | null {
  for (const [index, row] of rows.entries()) {
    if (!isIsoDate(row.date)) return `Día inhábil ${index + 1}: indique la fecha.`;
    if (row.name.trim() === '') return `Día inhábil ${index + 1}: indique el nombre del día inhábil.`;
  }
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.date)) return `El ${formatDate(row.date)} está repetido.`;
    seen.add(row.date);
  }
  return null;
}

function HolidayEditForm({ latest }: { latest: PolicyVersion<HolidayPolicy> }) {
  const [statutory, setStatutory] = useState(latest.value.statutoryRestDays);
  const [rows, setRows] = useState<DayRow[]>(() => [...latest.value.extraNonWorkingDays].sort(byDate).map((day) => newRow(day.date, day.name)));
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const change = usePolicyChange<HolidayPolicy>(holidaysQueryKey, changeHolidayPolicy);

  function updateRow(id: number, patch: Partial<DayRow>) {
    setRows((current) => current.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  }

  function addRow() {
    const row = newRow('', '');
    setRows((current) => [...current, row]);
    // Focus the new row's date once it is drawn.
    requestAnimationFrame(() => document.getElementById(`holiday-date-${row.id}`)?.focus());
  }

  function removeRow(id: number) {
    setRows((current) => current.filter((row) => row.id !== id));
    addButtonRef.current?.focus();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value: HolidayPolicy = {
      statutoryRestDays: statutory,
      extraNonWorkingDays: [...rows].sort(byDate).map((row) => ({ date: row.date, name: row.name.trim() })),
    };
    change.submit(value, holidayProblems(rows));
  }

  return (
    <div className="policy-edit" data-testid="holiday-edit">
      <h3 id="holiday-edit-title">Registrar una nueva versión del calendario</h3>
      <p className="muted">Parte de la versión {formatInteger(latest.version)}. Los plazos en días hábiles no cuentan sábados, domingos ni estos días.</p>
      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={change.save.isPending} aria-labelledby="holiday-edit-title">
        <div className="switch-field">
          <input
            id="holiday-statutory"
            type="checkbox"
            role="switch"
            className="switch"
            checked={statutory}
            aria-describedby="holiday-statutory-hint"
            onChange={(event) => setStatutory(event.target.checked)}
          />
          <label htmlFor="holiday-statutory" className="switch-field__label">
            {STATUTORY_LABEL}
          </label>
          <span className={`state-chip switch-field__state${statutory ? ' state-chip--on' : ''}`} aria-hidden="true">
            {statutory ? 'Se aplican' : 'No se aplican'}
          </span>
        </div>
        <p id="holiday-statutory-hint" className="field__hint">
          {STATUTORY_HINT}
        </p>

        <fieldset className="criteria-form">
          <legend>Días inhábiles adicionales</legend>
          {rows.length === 0 && <p className="muted">Ninguno. Agregue, por ejemplo, el Jueves y Viernes Santo o el 12 de diciembre.</p>}
          <ul className="policy-rows">
            {rows.map((row, index) => (
              <li key={row.id} className="policy-rows__item" data-testid="holiday-row">
                <div className="field">
                  <label htmlFor={`holiday-date-${row.id}`}>Fecha del día {index + 1}</label>
                  <input id={`holiday-date-${row.id}`} type="date" value={row.date} onChange={(event) => updateRow(row.id, { date: event.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`holiday-name-${row.id}`}>Nombre del día {index + 1}</label>
                  <input
                    id={`holiday-name-${row.id}`}
                    type="text"
                    maxLength={120}
                    value={row.name}
                    onChange={(event) => updateRow(row.id, { name: event.target.value })}
                  />
                </div>
                <button type="button" className="button button--secondary policy-rows__remove" onClick={() => removeRow(row.id)}>
                  Quitar<span className="visually-hidden"> el día {index + 1}</span>
                </button>
              </li>
            ))}
          </ul>
          <div>
            <button ref={addButtonRef} type="button" className="button button--secondary" onClick={addRow}>
              Agregar día inhábil
            </button>
          </div>
        </fieldset>
        <ChangeFields prefix="holiday" change={changeFieldsOf(change)} />
      </form>
    </div>
  );
}

// ------------------------------------------------------------------------------------------------
// (c) Remote-session tools (Lineamiento 3)
// ------------------------------------------------------------------------------------------------

const MAX_TOOLS = 20;

function ToolList({ tools }: { tools: string[] }) {
  if (tools.length === 0) {
    return (
      <p className="muted" data-testid="tools-empty">
        Ninguna herramienta aprobada todavía: no se pueden celebrar sesiones a distancia.
      </p>
    );
  }
  return (
    <ul className="plain-list" data-testid="tools-list">
      {tools.map((tool) => (
        <li key={tool} data-testid="tool">
          {tool}
        </li>
      ))}
    </ul>
  );
}

function describeToolChanges(version: RemoteSessionTools, previous: RemoteSessionTools): string[] {
  const added = version.tools.filter((tool) => !previous.tools.includes(tool));
  const removed = previous.tools.filter((tool) => !version.tools.includes(tool));
  return [...added.map((tool) => `Agrega ${tool}`), ...removed.map((tool) => `Quita ${tool}`)];
}

/** Why a tool cannot be added, or null. */
function toolProblem(name: string, tools: string[]): string | null {
  if (name.length < 2 || name.length > 60) return 'El nombre de la herramienta debe tener de 2 a 60 caracteres.';
  if (tools.some((tool) => tool.toLowerCase() === name.toLowerCase())) return `«${name}» ya está en la lista.`;
  if (tools.length >= MAX_TOOLS) return `La lista admite hasta ${MAX_TOOLS} herramientas.`;
  return null;
}

function ToolsEditForm({ latest }: { latest: PolicyVersion<RemoteSessionTools> }) {
  const [tools, setTools] = useState<string[]>(latest.value.tools);
  const [draft, setDraft] = useState('');
  const [draftProblem, setDraftProblem] = useState<string | null>(null);
  const draftRef = useRef<HTMLInputElement>(null);
  const change = usePolicyChange<RemoteSessionTools>(toolsQueryKey, changeRemoteSessionTools);

  function addTool() {
    const name = draft.trim();
    const problem = toolProblem(name, tools);
    setDraftProblem(problem);
    if (problem === null) {
      setTools((current) => [...current, name]);
      setDraft('');
    }
    draftRef.current?.focus();
  }

  function removeTool(tool: string) {
    setTools((current) => current.filter((other) => other !== tool));
    draftRef.current?.focus();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.submit({ tools }, null);
  }

  return (
    <div className="policy-edit" data-testid="tools-edit">
      <h3 id="tools-edit-title">Registrar una nueva versión de la lista</h3>
      <p className="muted">Parte de la versión {formatInteger(latest.version)}. Los cambios se aplican al guardar la nueva versión.</p>
      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={change.save.isPending} aria-labelledby="tools-edit-title">
        <fieldset className="criteria-form">
          <legend>Herramientas aprobadas</legend>
          {tools.length === 0 ? (
            <p className="muted">La lista está vacía.</p>
          ) : (
            <ul className="policy-rows">
              {tools.map((tool) => (
                <li key={tool} className="policy-rows__item policy-rows__item--inline" data-testid="tool-row">
                  <span>{tool}</span>
                  <button type="button" className="button button--secondary policy-rows__remove" onClick={() => removeTool(tool)}>
                    Quitar<span className="visually-hidden"> {tool}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="inline-form">
            <div className="field">
              <label htmlFor="tools-new">Nueva herramienta</label>
              <input
                id="tools-new"
                ref={draftRef}
                type="text"
                maxLength={60}
                value={draft}
                aria-invalid={draftProblem !== null}
                aria-describedby={draftProblem !== null ? 'tools-new-error' : undefined}
                onChange={(event) => setDraft(event.target.value)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    addTool();
                  }
                }}
              />
            </div>
            <button type="button" className="button button--secondary inline-form__button" onClick={addTool}>
              Agregar
            </button>
            {draftProblem !== null && (
              <p id="tools-new-error" role="alert" className="notice notice--error inline-form__error">
                {draftProblem}
              </p>
            )}
          </div>
        </fieldset>
        <ChangeFields prefix="tools" change={changeFieldsOf(change)} />
      </form>
    </div>
  );
}

/**
 * One policy's panel: the version in force with its view, the edit form for the mediation office,
 * and the version history.
 */
function PolicyPanel<T>({
  id,
  title,
  testId,
  prefix,
  queryKey,
  load,
  loadingLabel,
  historyCaption,
  canEdit,
  View,
  EditForm,
  describe,
}: {
  id: string;
  title: string;
  testId: string;
  prefix: string;
  queryKey: readonly string[];
  load: (signal: AbortSignal) => Promise<{ versions: PolicyVersion<T>[] }>;
  loadingLabel: string;
  historyCaption: string;
  canEdit: boolean;
  View: (props: { policy: T }) => ReactNode;
  EditForm: (props: { latest: PolicyVersion<T> }) => ReactNode;
  describe: (version: T, previous: T) => string[];
}) {
  const policy = useQuery({ queryKey, queryFn: ({ signal }) => load(signal) });
  if (policy.isPending || policy.isError) {
    return (
      <PolicySection id={id} title={title} testId={testId}>
        {policy.isPending ? <Loading label={loadingLabel} /> : <QueryError error={policy.error} onRetry={() => void policy.refetch()} />}
      </PolicySection>
    );
  }
  const versions = policy.data.versions;
  const inForce = versionInForce(versions, todayInMexicoCity());
  const latest = versions[0];
  return (
    <PolicySection id={id} title={title} testId={testId}>
      {inForce === undefined ? (
        <p className="notice">Ninguna versión está vigente todavía.</p>
      ) : (
        <>
          <VersionNote versions={versions} inForce={inForce} testId={`${prefix}-current-version`} />
          <View policy={inForce.value} />
        </>
      )}
      {canEdit && latest !== undefined && <EditForm latest={latest} />}
      {versions.length > 0 && (
        <PolicyHistory
          testId={`${prefix}-history`}
          heading="h3"
          headingId={`${prefix}-history-title`}
          caption={`${historyCaption}, la más reciente primero`}
          versions={versions}
          describeChanges={(version, previous) => {
            const changes = describe(version.value, previous.value);
            return changes.length === 0 ? ['Sin cambios.'] : changes;
          }}
        />
      )}
    </PolicySection>
  );
}

function ToolsView({ policy }: { policy: RemoteSessionTools }) {
  return <ToolList tools={policy.tools} />;
}

// ------------------------------------------------------------------------------------------------

export function DeadlinePolicyPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  if (!hasRole(user.role, POLICY_READ_ROLES)) return <NotAllowed title={TITLE} />;
  const canEdit = hasRole(user.role, POLICY_EDIT_ROLES);
  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">
        Los plazos del procedimiento de mediación (SPEC §5), los días que no cuentan como hábiles y las herramientas aprobadas
        para las sesiones a distancia. Cada cambio es una nueva versión con motivo y fecha de vigencia; las anteriores se
        conservan.
      </p>
      {!canEdit && (
        <p className="notice" data-testid="policy-read-only">
          Consulta: sólo la Gerencia de Mediación y Convenios puede cambiar estas políticas (ASG-2).
        </p>
      )}
      <PolicyPanel
        id="deadlines"
        title="Plazos (DL-1 a DL-18 y SL-1)"
        testId="deadline-section"
        prefix="deadline"
        queryKey={deadlinesQueryKey}
        load={getDeadlinePolicy}
        loadingLabel="Cargando plazos…"
        historyCaption="Versiones de los plazos"
        canEdit={canEdit}
        View={DeadlineTable}
        EditForm={DeadlineEditForm}
        describe={describeDeadlineChanges}
      />
      <PolicyPanel
        id="holidays"
        title="Días inhábiles"
        testId="holiday-section"
        prefix="holiday"
        queryKey={holidaysQueryKey}
        load={getHolidayPolicy}
        loadingLabel="Cargando días inhábiles…"
        historyCaption="Versiones del calendario de días inhábiles"
        canEdit={canEdit}
        View={HolidayView}
        EditForm={HolidayEditForm}
        describe={describeHolidayChanges}
      />
      <PolicyPanel
        id="tools"
        title="Herramientas para sesiones a distancia (Lineamiento 3)"
        testId="tools-section"
        prefix="tools"
        queryKey={toolsQueryKey}
        load={getRemoteSessionTools}
        loadingLabel="Cargando herramientas…"
        historyCaption="Versiones de la lista de herramientas"
        canEdit={canEdit}
        View={ToolsView}
        EditForm={ToolsEditForm}
        describe={describeToolChanges}
      />
    </>
  );
}
