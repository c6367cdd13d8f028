import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { apiRequest } from '../api/client';
import type { Me, Month } from '../api/types';
import { formatDate, isMonth } from '../format';
import { ActionForm } from './action-form';
import { InputField, SelectField, useFieldProblem } from './case-action-form';
import { TextAreaField } from './convenio-actions';
import { MonthField } from './month-field';
import { errorMessage, Loading, QueryError } from './query-state';
import { TimelineEvent } from './timeline';

// --- the API of the monthly reports (SPEC §7 REP-1, REP-2; acts. 32–34; DL-17) -----------------

export type ReportKind = 'agency' | 'region';
export type ReportRequestAction = 'deliver' | 'request_clarification' | 'answer_clarification' | 'close';

export interface ReportOptions {
  agencies: { id: number; code: string; name: string }[];
  delegations: { id: number; name: string }[];
}

export interface ReportRequest {
  id: number;
  kind: ReportKind;
  kindLabel: string;
  agency: { id: number; code: string; name: string } | null;
  delegation: { id: number; code: string; name: string } | null;
  month: Month;
  monthLabel: string;
  status: 'requested' | 'delivered' | 'clarification_requested' | 'clarified' | 'closed';
  statusLabel: string;
  version: number;
  requestedOn: string;
  deliveredOn: string | null;
  asOf: string | null;
  sha256: string | null;
  dl17RequestDueOn: string | null;
  clarificationRequestedOn: string | null;
  clarificationRequest: string | null;
  dl17AnswerDueOn: string | null;
  clarificationAnsweredOn: string | null;
  clarificationAnswer: string | null;
  closedOn: string | null;
  breaches: { rule: string; dueOn: string; flaggedOn: string }[];
  actions: { action: ReportRequestAction; label: string }[];
}

/** GET /api/report-requests/:id: the request and its steps, oldest first. */
export interface ReportRequestDetail extends ReportRequest {
  history: {
    version: number;
    action: 'request' | ReportRequestAction;
    actionLabel: string;
    activity: string;
    fromStatus: string | null;
    toStatus: string;
    onDate: string;
    actorRole: string;
    actorName: string | null;
    recordedAt: string;
  }[];
}

export const reportRequestsQueryKey = ['report-requests'] as const;

/** Who reads REP-1 (its agency, a DR manager, national oversight) and REP-2 (a DR manager, national oversight). */
export const AGENCY_REPORT_ROLES: readonly Me['role'][] = ['agency', 'regional_manager', 'mediation_office', 'operations', 'auditor'];
export const REGION_REPORT_ROLES: readonly Me['role'][] = ['regional_manager', 'mediation_office', 'operations', 'auditor'];

export function getReportOptions(signal?: AbortSignal): Promise<ReportOptions> {
  return apiRequest<ReportOptions>('GET', '/api/reports/options', { signal });
}

function listReportRequests(signal?: AbortSignal): Promise<{ rows: ReportRequest[] }> {
  return apiRequest<{ rows: ReportRequest[] }>('GET', '/api/report-requests', { signal });
}

function getReportRequestDetail(id: number, signal?: AbortSignal): Promise<ReportRequestDetail> {
  return apiRequest<ReportRequestDetail>('GET', `/api/report-requests/${id}`, { signal });
}

/** The URL of a report: REP-1 of an agency or REP-2 of a delegación, for a month, with an optional "as of" date. */
export function reportUrl(kind: ReportKind, input: { id: number | undefined; month: Month; asOf: string }): string {
  const params = new URLSearchParams({ month: input.month });
  if (input.id !== undefined) params.set(kind === 'agency' ? 'agencyId' : 'delegationId', String(input.id));
  if (input.asOf !== '') params.set('asOf', input.asOf);
  return `/api/reports/${kind === 'agency' ? 'agency' : 'region'}.xlsx?${params.toString()}`;
}

/**
 * Downloads a file of the API: the browser saves it with the server's name; a refusal comes back
 * as the server's Spanish message.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) {
    let message = 'No fue posible generar el archivo.';
    try {
      const body = (await response.json()) as { message?: string };
      if (typeof body.message === 'string') message = body.message;
    } catch {
      // not JSON: keep the general message
    }
    throw new Error(message);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// --- the request form (the mediation office) ----------------------------------------------------

/** The office requests REP-1 of an agency (act. 32) or REP-2 of a delegación (act. 34) for a month that is over. */
function NewRequestForm({ options }: { options: ReportOptions }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ReportKind>('agency');
  const [target, setTarget] = useState('');
  const [month, setMonth] = useState('');
  const problem = useFieldProblem();
  const create = useMutation({
    mutationFn: (body: { kind: ReportKind; agencyId?: number; delegationId?: number; month: Month }) => apiRequest<ReportRequest>('POST', '/api/report-requests', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reportRequestsQueryKey }),
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    problem.clear();
    if (target === '') return void problem.fail('new-request-target', kind === 'agency' ? 'Elija la agencia.' : 'Elija la delegación.');
    if (!isMonth(month)) return void problem.fail('new-request-month', 'Escriba el mes con la forma AAAA-MM.');
    create.mutate(kind === 'agency' ? { kind, agencyId: Number(target), month } : { kind, delegationId: Number(target), month });
  }

  const targets = kind === 'agency' ? options.agencies.map((a) => ({ value: String(a.id), label: `${a.code} — ${a.name}` })) : options.delegations.map((d) => ({ value: String(d.id), label: d.name }));
  return (
    <section className="section card" aria-labelledby="new-request-title" data-testid="new-report-request">
      <h2 id="new-request-title">Solicitar un reporte mensual</h2>
      <p className="muted">La agencia o el Gerente de Cobranza lo entrega desde esta página; usted puede solicitar aclaraciones dentro de los 10 días siguientes a la entrega (DL-17).</p>
      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={create.isPending}>
        <div className="form-grid">
          <SelectField
            id="new-request-kind"
            label="Reporte"
            value={kind}
            emptyOption="Elija el reporte"
            options={[
              { value: 'agency', label: 'REP-1 de una agencia (act. 32)' },
              { value: 'region', label: 'REP-2 de una delegación (act. 34)' },
            ]}
            onChange={(value) => {
              setKind(value === 'region' ? 'region' : 'agency');
              setTarget('');
            }}
          />
          <SelectField
            id="new-request-target"
            label={kind === 'agency' ? 'Agencia' : 'Delegación'}
            value={target}
            emptyOption={kind === 'agency' ? 'Elija la agencia' : 'Elija la delegación'}
            options={targets}
            onChange={setTarget}
            error={problem.errorFor('new-request-target')}
          />
          <MonthField id="new-request-month" label="Mes del reporte" value={month} onChange={setMonth} hint="Un mes ya concluido, AAAA-MM." required />
        </div>
        {problem.errorFor('new-request-month') && (
          <p className="field__error" id="new-request-month-error">
            {problem.errorFor('new-request-month')}
          </p>
        )}
        <div role="status" className="status">
          {create.isPending ? 'Enviando la solicitud…' : create.isSuccess ? `Solicitud ${create.data.id} enviada: ${create.data.kindLabel}, ${create.data.monthLabel}.` : ''}
        </div>
        {create.isError && (
          <p role="alert" className="notice notice--error" data-testid="new-request-error">
            {errorMessage(create.error)}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          Solicitar
        </button>
      </form>
    </section>
  );
}

// --- one request and its steps -----------------------------------------------------------------

function RequestStep({ request, action }: { request: ReportRequest; action: { action: ReportRequestAction; label: string } }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const problem = useFieldProblem();
  const needsText = action.action === 'request_clarification' || action.action === 'answer_clarification';
  const textId = `request-${request.id}-${action.action}-text`;
  return (
    <ActionForm
      version={request.version}
      testId={`report-request-${request.id}-${action.action}`}
      send={(prepared: { action: ReportRequestAction; input: { text?: string } }, version, key) =>
        apiRequest<ReportRequest>('POST', `/api/report-requests/${request.id}/actions`, { body: { action: prepared.action, version, ...prepared.input }, idempotencyKey: key })
      }
      onSuccess={() => queryClient.invalidateQueries({ queryKey: reportRequestsQueryKey })}
      prepare={() => {
        problem.clear();
        if (!needsText) return { action: action.action, input: {} };
        const trimmed = text.trim();
        if (trimmed.length < 5) return problem.fail(textId, action.action === 'request_clarification' ? 'Describa la aclaración que solicita (al menos 5 caracteres).' : 'Escriba su respuesta (al menos 5 caracteres).');
        return { action: action.action, input: { text: trimmed } };
      }}
      submitLabel={action.label}
      onReload={() => void queryClient.invalidateQueries({ queryKey: reportRequestsQueryKey })}
      reloadLabel="Recargar la solicitud"
      errorTestId={`report-request-${request.id}-error`}
    >
      {needsText && (
        <TextAreaField
          id={textId}
          label={action.action === 'request_clarification' ? 'Aclaración que solicita' : 'Respuesta a la aclaración'}
          value={text}
          onChange={setText}
          maxLength={2000}
          required
          error={problem.errorFor(textId)}
        />
      )}
      {action.action === 'deliver' && (
        <p className="field__hint">El archivo se genera con lo registrado hasta hoy y se guarda tal cual: la Gerencia descarga exactamente lo que usted entregó.</p>
      )}
    </ActionForm>
  );
}

/** What each step of a request did, as its history reads (the server's labels name the action to take). */
const STEP_DONE_LABELS: Record<ReportRequestDetail['history'][number]['action'], string> = {
  request: 'Reporte solicitado',
  deliver: 'Reporte entregado',
  request_clarification: 'Aclaración solicitada',
  answer_clarification: 'Aclaración respondida',
  close: 'Solicitud cerrada',
};

/** The request's steps (acts. 32–34, DL-17), read when the user opens them; a new version reads them again. */
function RequestHistory({ request }: { request: ReportRequest }) {
  const [open, setOpen] = useState(false);
  const history = useQuery({
    queryKey: [...reportRequestsQueryKey, request.id, request.version],
    queryFn: ({ signal }) => getReportRequestDetail(request.id, signal),
    enabled: open,
  });
  return (
    <details style={{ marginTop: 'var(--space-2)' }} data-testid="report-request-history" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Historial de la solicitud</summary>
      {history.isPending && open && <Loading label="Cargando el historial…" />}
      {history.isError && <QueryError error={history.error} onRetry={() => void history.refetch()} />}
      {history.data !== undefined && (
        <ol className="timeline">
          {history.data.history.map((event) => (
            <TimelineEvent
              key={event.version}
              testId="report-request-event"
              action={event.action}
              label={STEP_DONE_LABELS[event.action] ?? event.actionLabel}
              activity={event.activity}
              onDate={event.onDate}
              actorName={event.actorName}
              actorRole={event.actorRole}
              change={null}
              details={null}
            />
          ))}
        </ol>
      )}
    </details>
  );
}

function RequestCard({ request }: { request: ReportRequest }) {
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const subject = request.kind === 'agency' ? `${request.agency?.code} — ${request.agency?.name}` : request.delegation?.name;
  return (
    <li className="card" data-testid="report-request" data-request={request.id} data-status={request.status}>
      <h3>
        {request.kindLabel}: {subject}, {request.monthLabel}
      </h3>
      <dl className="fields fields--compact">
        <div className="fields__item">
          <dt>Estado</dt>
          <dd data-testid="report-request-status">{request.statusLabel}</dd>
        </div>
        <div className="fields__item">
          <dt>Solicitado</dt>
          <dd>{formatDate(request.requestedOn)}</dd>
        </div>
        {request.deliveredOn !== null && (
          <div className="fields__item">
            <dt>Entregado</dt>
            <dd>
              {formatDate(request.deliveredOn)}
              {request.asOf !== null && <span className="results__sub">con corte al {formatDate(request.asOf)}</span>}
            </dd>
          </div>
        )}
        {request.dl17RequestDueOn !== null && request.clarificationRequestedOn === null && request.status === 'delivered' && (
          <div className="fields__item">
            <dt>Aclaraciones hasta (DL-17)</dt>
            <dd>{formatDate(request.dl17RequestDueOn)}</dd>
          </div>
        )}
        {request.clarificationRequest !== null && (
          <div className="fields__item fields__item--wide">
            <dt>Aclaración solicitada el {formatDate(request.clarificationRequestedOn ?? '')}</dt>
            <dd>
              {request.clarificationRequest}
              {request.dl17AnswerDueOn !== null && <span className="results__sub">Responder a más tardar el {formatDate(request.dl17AnswerDueOn)} (DL-17)</span>}
            </dd>
          </div>
        )}
        {request.clarificationAnswer !== null && (
          <div className="fields__item fields__item--wide">
            <dt>Respuesta del {formatDate(request.clarificationAnsweredOn ?? '')}</dt>
            <dd>{request.clarificationAnswer}</dd>
          </div>
        )}
        {request.closedOn !== null && (
          <div className="fields__item">
            <dt>Cerrado</dt>
            <dd>{formatDate(request.closedOn)}</dd>
          </div>
        )}
      </dl>
      {request.breaches.length > 0 && (
        <p className="notice notice--warning" data-testid="report-request-breach">
          {request.breaches.map((b) => `${b.rule}: plazo vencido el ${formatDate(b.dueOn)} (marcado el ${formatDate(b.flaggedOn)})`).join('. ')}.
        </p>
      )}
      {request.sha256 !== null && (
        <div className="downloads">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setDownloadError(null);
              downloadFile(`/api/report-requests/${request.id}/file.xlsx`, `reporte-${request.id}.xlsx`).catch((error: unknown) => setDownloadError(errorMessage(error)));
            }}
          >
            Descargar el reporte entregado
          </button>
          <span className="muted">
            Huella sha256 <code>{request.sha256.slice(0, 12)}…</code>
          </span>
        </div>
      )}
      {downloadError !== null && (
        <p role="alert" className="notice notice--error">
          {downloadError}
        </p>
      )}
      <RequestHistory request={request} />
      {request.actions.map((action) => (
        <RequestStep key={`${action.action}-${request.version}`} request={request} action={action} />
      ))}
    </li>
  );
}

/** The requests in the user's scope and, for the mediation office, the form to request one. */
export function ReportRequestsSection({ user, options }: { user: Me; options: ReportOptions | undefined }) {
  const requests = useQuery({ queryKey: reportRequestsQueryKey, queryFn: ({ signal }) => listReportRequests(signal) });
  return (
    <>
      {user.role === 'mediation_office' && options !== undefined && <NewRequestForm options={options} />}
      <section className="section" aria-labelledby="report-requests-title">
        <h2 id="report-requests-title">Solicitudes de reportes</h2>
        {requests.isPending && <Loading label="Cargando solicitudes…" />}
        {requests.isError && <QueryError error={requests.error} onRetry={() => void requests.refetch()} />}
        {requests.data !== undefined && requests.data.rows.length === 0 && (
          <p className="notice" data-testid="report-requests-empty">
            No hay solicitudes de reportes en su alcance.
          </p>
        )}
        {requests.data !== undefined && requests.data.rows.length > 0 && (
          <ul style={{ display: 'grid', gap: 'var(--space-3)', margin: 0, padding: 0, listStyle: 'none' }} data-testid="report-requests">
            {requests.data.rows.map((request) => (
              <RequestCard key={request.id} request={request} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** The "as of" date field: optional, today at most. */
export function AsOfField({ id, value, onChange, error }: { id: string; value: string; onChange: (value: string) => void; error?: string | undefined }) {
  return (
    <InputField
      id={id}
      type="date"
      label="Con corte al"
      value={value}
      onChange={onChange}
      error={error}
      hint="Opcional. Por omisión, el último día del mes: el reporte se calcula con lo registrado hasta esa fecha y es el mismo hoy y mañana."
    />
  );
}
