import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  archiveProgressXlsxUrl,
  createArchiveShipment,
  getArchiveProgress,
  listArchiveShipments,
  listCaseFiles,
  sendArchiveProgressReport,
  type ArchiveProgress,
  type ArchiveProgressFigure,
  type ArchiveProgressSearch,
  type ArchiveShipmentDetail,
  type ArchiveShipmentListItem,
  type CaseFileListItem,
  type NewArchiveShipment,
} from '../api/casefiles';
import type { Me } from '../api/types';
import { hasRole } from '../assignment-labels';
import { ARCHIVE_ROLES, caseFileCount, monthBefore, SHIPMENT_ROLES } from '../casefile-labels';
import { ActionForm } from '../components/action-form';
import { ShipmentListLink, ShipmentsTable } from '../components/archive-sections';
import { BreachList } from '../components/breach-list';
import { CheckboxGroup, InputField, useFieldProblem } from '../components/case-action-form';
import { archiveShipmentsQueryKey, caseFilesQueryKey } from '../components/case-file-sections';
import { Field } from '../components/field';
import { MonthField } from '../components/month-field';
import { NotAllowed } from '../components/not-allowed';
import { Loading, QueryError } from '../components/query-state';
import { getReportOptions, type ReportOptions } from '../components/report-requests';
import { RuleBadge } from '../components/rule-badge';
import { useDocumentTitle } from '../components/use-document-title';
import { currentMonth, formatDate, formatInteger, isIsoDate, isMonth, todayInMexicoCity } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Archivo de expedientes';
/** The ready files offered at once for a shipment. */
const READY_PAGE_SIZE = 100;

function lead(user: Me): string {
  switch (user.role) {
    case 'regional_manager':
      return 'Envíe al ANEC los expedientes completos con el número de guía de la paquetería y la relación en Excel (act. 35, EXP-4), y mande el reporte de avance del mes en los primeros 15 días del mes siguiente (act. 36, DL-16).';
    case 'archive':
      return 'Los envíos de las delegaciones: abra cada uno y acuse la recepción de sus expedientes, uno por uno o el envío completo (EXP-4).';
    default:
      return 'Los envíos de expedientes al ANEC, sus acuses de recibo (EXP-4) y los reportes de avance de cada delegación (REP-4).';
  }
}

// --- act. 35: the shipment (DR manager) -------------------------------------------------------------

interface PreparedShipment {
  action: 'create_shipment';
  input: NewArchiveShipment;
}

function readyChoiceHint(file: CaseFileListItem): string {
  return `${file.outcomeLabel} · ${file.convenioTypeLabel} · ${file.statusLabel}`;
}

function ShipmentForm({ ready, onCreated }: { ready: CaseFileListItem[]; onCreated: (shipment: ArchiveShipmentDetail) => Promise<unknown> }) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const today = todayInMexicoCity();
  const [selected, setSelected] = useState<string[]>([]);
  const [courier, setCourier] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [shippedOn, setShippedOn] = useState(today);
  const filesId = `${id}-files`;
  const courierId = `${id}-courier`;
  const trackingId = `${id}-tracking`;
  const dateId = `${id}-date`;
  const all = ready.map((file) => String(file.caseFileId));

  function prepare(): PreparedShipment | null {
    clear();
    if (selected.length === 0) return fail(filesId, 'Elija al menos un expediente para el envío.');
    if (courier.trim().length < 2) return fail(courierId, 'Indique la paquetería (al menos 2 caracteres).');
    const tracking = trackingNumber.trim();
    if (tracking.length < 4 || tracking.length > 40) return fail(trackingId, 'Indique el número de guía (de 4 a 40 caracteres).');
    if (!isIsoDate(shippedOn)) return fail(dateId, 'Indique la fecha de envío.');
    if (shippedOn > today) return fail(dateId, `La fecha de envío no puede ser posterior a hoy (${formatDate(today)}).`);
    return { action: 'create_shipment', input: { courier: courier.trim(), trackingNumber: tracking, shippedOn, caseFileIds: selected.map(Number) } };
  }

  return (
    <ActionForm
      version={0}
      send={(prepared: PreparedShipment, _version, key) => createArchiveShipment(prepared.input, key)}
      onSuccess={(shipment: ArchiveShipmentDetail) => onCreated(shipment)}
      prepare={prepare}
      submitLabel="Registrar el envío"
      onReload={() => undefined}
      reloadLabel="Recargar"
      errorTestId="shipment-error"
      testId="shipment-form"
    >
      <div className="downloads">
        <button type="button" className="button button--secondary" onClick={() => setSelected(selected.length === all.length ? [] : all)} data-testid="shipment-select-all">
          {selected.length === all.length ? 'Quitar la selección' : `Seleccionar ${caseFileCount(all.length)}`}
        </button>
      </div>
      <CheckboxGroup
        id={filesId}
        legend="Expedientes del envío"
        choices={ready.map((file) => ({
          value: String(file.caseFileId),
          label: `Crédito ${file.creditNumber} — ${file.borrowerName}`,
          hint: readyChoiceHint(file),
        }))}
        values={selected}
        onChange={setSelected}
        hint={`${caseFileCount(selected.length)} de ${formatInteger(all.length)} seleccionados.`}
        error={errorFor(filesId)}
        required
      />
      <div className="form-grid">
        <InputField id={courierId} label="Paquetería" value={courier} onChange={setCourier} maxLength={80} autoComplete="organization" error={errorFor(courierId)} required />
        <InputField
          id={trackingId}
          label="Número de guía"
          value={trackingNumber}
          onChange={setTrackingNumber}
          maxLength={40}
          hint="El número de rastreo que da la paquetería."
          error={errorFor(trackingId)}
          required
        />
        <InputField id={dateId} label="Fecha de envío" type="date" value={shippedOn} onChange={setShippedOn} max={today} error={errorFor(dateId)} required />
      </div>
    </ActionForm>
  );
}

function ShipmentBuilder() {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<ArchiveShipmentDetail | null>(null);
  const createdRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The answer takes the focus: keyboard and screen-reader users hear the new folio.
    if (created !== null) createdRef.current?.focus();
  }, [created]);
  const ready = useQuery({
    queryKey: [...caseFilesQueryKey, { queue: 'to_ship', page: 1, pageSize: READY_PAGE_SIZE }],
    queryFn: ({ signal }) => listCaseFiles({ queue: 'to_ship', page: 1, pageSize: READY_PAGE_SIZE }, signal),
  });

  async function onCreated(shipment: ArchiveShipmentDetail) {
    setCreated(shipment);
    await Promise.all([queryClient.invalidateQueries({ queryKey: caseFilesQueryKey }), queryClient.invalidateQueries({ queryKey: archiveShipmentsQueryKey })]);
  }

  return (
    <section className="section card section--wide" aria-labelledby="shipment-new-title" data-testid="shipment-builder">
      <h2 id="shipment-new-title">Nuevo envío al ANEC (act. 35)</h2>
      <div ref={createdRef} role="status" className={created === null ? 'status' : 'notice notice--success'} data-testid="shipment-created" tabIndex={-1}>
        {created !== null && (
          <>
            <p>
              Se registró el envío <Link to={`/archivo/envios/${created.id}`}>{created.folio}</Link>: {caseFileCount(created.filesCount)}, guía {created.trackingNumber} de{' '}
              {created.courier}, enviado el {formatDate(created.shippedOn)}. Se avisó al archivo por correo.
            </p>
            <p>
              <ShipmentListLink shipment={created} />
            </p>
          </>
        )}
      </div>
      {ready.isPending && <Loading label="Cargando los expedientes listos…" />}
      {ready.isError && <QueryError error={ready.error} onRetry={() => void ready.refetch()} />}
      {ready.data !== undefined &&
        (ready.data.items.length === 0 ? (
          <p className="notice" data-testid="shipment-nothing-ready">
            No hay expedientes listos para enviar: un expediente con convenio se envía digitalizado; uno sin convenio, aceptado por la DR.
          </p>
        ) : (
          <>
            {ready.data.total > ready.data.items.length && (
              <p className="field__hint">
                Se muestran los primeros {formatInteger(ready.data.items.length)} de {caseFileCount(ready.data.total)} listos; los demás, en el siguiente envío.
              </p>
            )}
            {/* key: after a shipment the form starts again from the files still ready. */}
            <ShipmentForm key={created?.id ?? 'new'} ready={ready.data.items} onCreated={onCreated} />
          </>
        ))}
    </section>
  );
}

// --- the shipments (everyone of the page) -----------------------------------------------------------

function ShipmentsSection({ user }: { user: Me }) {
  const shipments = useQuery({ queryKey: [...archiveShipmentsQueryKey, 'list'], queryFn: ({ signal }) => listArchiveShipments(undefined, signal) });
  const pendingFirst = (list: ArchiveShipmentListItem[]) =>
    user.role === 'archive' ? [...list].sort((a, b) => Number(a.receivedCount === a.filesCount) - Number(b.receivedCount === b.filesCount)) : list;
  return (
    <section className="section" aria-labelledby="shipments-title" data-testid="shipments">
      <h2 id="shipments-title">{user.role === 'archive' ? 'Envíos recibidos de las delegaciones' : 'Envíos al ANEC'}</h2>
      {shipments.isPending && <Loading label="Cargando envíos…" />}
      {shipments.isError && <QueryError error={shipments.error} onRetry={() => void shipments.refetch()} />}
      {shipments.data !== undefined &&
        (shipments.data.length === 0 ? (
          <p className="notice" data-testid="shipments-empty">
            Todavía no hay envíos.
          </p>
        ) : (
          <ShipmentsTable
            shipments={pendingFirst(shipments.data)}
            caption={user.role === 'archive' ? 'Envíos: los que tienen expedientes por recibir primero' : 'Envíos, el más reciente primero'}
            showDelegation={user.scope.kind === 'national'}
          />
        ))}
    </section>
  );
}

// --- act. 36: the archive-progress report (REP-4, DL-16) -------------------------------------------------

interface PreparedReport {
  action: 'send_progress_report';
  input: ArchiveProgressSearch;
}

const DELEGATION_SELECT_ID = 'progress-delegation';

/** The figures as sent when the report was sent (kept as they were), else as of today. */
function ProgressFigures({ progress }: { progress: ArchiveProgress }) {
  const figures = progress.report?.contents ?? progress.figures;
  const keys = Object.keys(progress.figureLabels) as ArchiveProgressFigure[];
  return (
    <dl className="fields fields--compact" data-testid="progress-figures">
      {keys.map((key) => (
        <Field key={key} id={`progress-${key}`} label={progress.figureLabels[key]}>
          {formatInteger(figures[key])}
        </Field>
      ))}
    </dl>
  );
}

/**
 * Where a national user's progress view opens: the first delegación (by name) that shipped files,
 * else the first of all; any delegación may be chosen.
 */
function defaultDelegation(delegations: readonly ReportOptions['delegations'][number][], shipments: readonly ArchiveShipmentListItem[] | undefined) {
  const shipped = new Set((shipments ?? []).map((shipment) => shipment.delegation.id));
  return delegations.find((delegation) => shipped.has(delegation.id)) ?? delegations[0];
}

function ProgressSection({ user }: { user: Me }) {
  const queryClient = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const monthId = useId();
  const [sentNotice, setSentNotice] = useState<string | null>(null);
  const national = user.scope.kind === 'national';
  const param = searchParams.get('mes');
  // The report about a month is sent in the first 15 days of the next (DL-16): the last month first.
  const month = param !== null && isMonth(param) ? param : monthBefore(currentMonth());
  const shipments = useQuery({ queryKey: [...archiveShipmentsQueryKey, 'list'], queryFn: ({ signal }) => listArchiveShipments(undefined, signal), enabled: national });
  // REP-4 is kept for every delegación: a national reader chooses among all of them (GET /api/reports/options, SEC-2).
  const options = useQuery({ queryKey: ['report-options'], queryFn: ({ signal }) => getReportOptions(signal), enabled: national });
  const delegations = options.data?.delegations ?? [];
  const delegationParam = searchParams.get('delegacion');
  const delegationId = national
    ? (delegations.find((delegation) => String(delegation.id) === delegationParam) ?? (shipments.isPending ? undefined : defaultDelegation(delegations, shipments.data)))?.id
    : undefined;
  const search: ArchiveProgressSearch = delegationId === undefined ? { month } : { month, delegationId };
  const queryKey = [...archiveShipmentsQueryKey, 'progress', month, delegationId ?? null] as const;
  const progress = useQuery({
    queryKey,
    queryFn: ({ signal }) => getArchiveProgress(search, signal),
    placeholderData: keepPreviousData,
    enabled: !national || delegationId !== undefined,
  });

  function choose(next: { month?: string; delegation?: string }) {
    setSentNotice(null);
    const params = new URLSearchParams(searchParams);
    if (next.month !== undefined) {
      if (!isMonth(next.month)) return;
      params.set('mes', next.month);
    }
    if (next.delegation !== undefined) params.set('delegacion', next.delegation);
    setSearchParams(params, { replace: true });
  }

  const data = progress.data;
  return (
    <section className="section card section--wide" aria-labelledby="progress-title" data-testid="progress">
      <h2 id="progress-title">Reporte de avance del archivo (act. 36, REP-4)</h2>
      <div className="form-grid">
        <MonthField id={monthId} label="Mes del reporte" value={month} onChange={(value) => choose({ month: value })} hint="Formato AAAA-MM. Se envía en los primeros 15 días del mes siguiente (DL-16)." />
        {national && delegations.length > 0 && (
          <div className="field">
            <label htmlFor={DELEGATION_SELECT_ID}>Delegación</label>
            <select id={DELEGATION_SELECT_ID} value={String(delegationId ?? '')} onChange={(event) => choose({ delegation: event.target.value })}>
              {delegations.map((delegation) => (
                <option key={delegation.id} value={delegation.id}>
                  {delegation.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {national && options.isError && <QueryError error={options.error} onRetry={() => void options.refetch()} />}
      <div className="results-area" aria-busy={progress.isFetching}>
        {progress.isError && <QueryError error={progress.error} onRetry={() => void progress.refetch()} />}
        {progress.isPending && progress.fetchStatus !== 'idle' && <Loading label="Cargando el avance…" />}
        {data !== undefined && (
          <>
            <p className="lead" data-testid="progress-heading">
              {data.delegation.name}, {data.monthLabel}
            </p>
            <ProgressFigures progress={data} />
            <ul className="due-list">
              <li className={`due-list__item due-list__item--${data.dl16.status}`} data-testid="progress-due" data-rule={data.dl16.rule} data-status={data.dl16.status}>
                <div className="due-list__head">
                  <RuleBadge rule={data.dl16.rule} />
                  <span className="due-list__date">{formatDate(data.dl16.dueOn)}</span>
                  <span className={`state-chip due-chip due-chip--${data.dl16.status}`}>{data.dl16.statusLabel}</span>
                </div>
                <p className="due-list__explanation" data-testid="progress-sent">
                  {data.report === null
                    ? data.dl16.status === 'breached'
                      ? `Sin enviar: vencía el ${formatDate(data.dl16.dueOn)}.`
                      : `Sin enviar: se envía a más tardar el ${formatDate(data.dl16.dueOn)}.`
                    : `Enviado al ANEC el ${formatDate(data.report.sentOn)} por ${data.report.sentBy}; las cifras de arriba son las enviadas.`}
                </p>
                <p className="due-list__explanation">{data.dl16.explanation}</p>
              </li>
            </ul>
            {data.breach !== null && <BreachList breaches={[data.breach]} itemTestId="progress-breach" />}
            <div className="downloads">
              <a
                className="button button--secondary"
                href={archiveProgressXlsxUrl({ month: data.month, delegationId: data.delegation.id })}
                download
                data-testid="progress-download"
                aria-label={`Descargar el reporte de avance de ${data.monthLabel} (Excel)`}
              >
                Descargar el reporte (Excel)
              </a>
            </div>
            <div role="status" className={sentNotice === null ? 'status' : 'notice notice--success'} data-testid="progress-written">
              {sentNotice ?? ''}
            </div>
            {data.canSend && (
              <ActionForm
                key={data.month}
                version={0}
                send={(prepared: PreparedReport, _version, key) => sendArchiveProgressReport(prepared.input, key)}
                onSuccess={(sent: ArchiveProgress) => {
                  queryClient.setQueryData(queryKey, sent);
                  setSentNotice(`Se envió al ANEC el reporte de avance de ${sent.monthLabel} (act. 36).`);
                  return queryClient.invalidateQueries({ queryKey: archiveShipmentsQueryKey });
                }}
                prepare={(): PreparedReport => ({ action: 'send_progress_report', input: { month: data.month } })}
                submitLabel="Enviar reporte de avance"
                onReload={() => void progress.refetch()}
                reloadLabel="Recargar el reporte"
                errorTestId="progress-error"
                testId="progress-send-form"
              >
                <p className="field__hint">Se envía por correo al ANEC con las cifras de arriba; quedan guardadas tal como se enviaron.</p>
              </ActionForm>
            )}
          </>
        )}
      </div>
    </section>
  );
}

/**
 * /archivo?mes=… — for the DR manager: the files ready to ship, the shipment form, the shipments
 * with their lists and the month's progress report; for the archive: the shipments received.
 */
export function ArchivePage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  if (!hasRole(user.role, ARCHIVE_ROLES)) return <NotAllowed title={TITLE} />;
  const ships = hasRole(user.role, SHIPMENT_ROLES);
  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">{lead(user)}</p>
      {ships && <ShipmentBuilder />}
      <ShipmentsSection user={user} />
      <ProgressSection user={user} />
    </>
  );
}
