import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { getAssignmentRun, listAssignmentRuns, runAssignment } from '../api/client';
import type { AssignmentRunListItem, Month, RunRequest, RunSummary } from '../api/types';
import { ASSIGNMENT_OVERSIGHT_ROLES, ASSIGNMENT_RUN_ROLES, hasRole } from '../assignment-labels';
import { DownloadLinks } from '../components/download-links';
import { MonthField } from '../components/month-field';
import { NotAllowed } from '../components/not-allowed';
import { errorMessage, Loading, QueryError } from '../components/query-state';
import { RunSummaryView } from '../components/run-summary';
import { useDocumentTitle } from '../components/use-document-title';
import { currentMonth, formatMonth, isMonth } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Asignación mensual';
const RUN_MONTH_ID = 'run-month';
const PUBLISHED_MONTH_ID = 'published-month';

export const assignmentRunsQueryKey = ['assignment-runs'] as const;

function RunResult({ summary }: { summary: RunSummary }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The answer arrives after a wait: take keyboard and screen-reader users to it.
  useEffect(() => {
    headingRef.current?.focus();
  }, [summary]);

  const what = summary.dryRun ? 'Simulación' : 'Ejecución';
  return (
    <section className="section card run-result" aria-labelledby="run-result-title" data-testid="run-result">
      <h2 id="run-result-title" ref={headingRef} tabIndex={-1}>
        {what} de la asignación de {formatMonth(summary.month)}
      </h2>
      {summary.alreadyRun ? (
        <p className="notice notice--warning" data-testid="run-already-run-notice">
          La asignación de ese mes ya estaba publicada; no se cambió nada (ASG-5).
        </p>
      ) : summary.dryRun ? (
        <p className="notice notice--warning" data-testid="run-dry-run-notice">
          <strong>Simulación: no se guardó nada.</strong> Así quedaría la asignación si se ejecutara hoy con las
          políticas vigentes.
        </p>
      ) : (
        <p className="notice notice--success" data-testid="run-published-notice">
          Asignación de {formatMonth(summary.month)} ejecutada y publicada. Se avisó a las agencias con cuentas y a la
          Gerencia de Mediación y Convenios.
        </p>
      )}
      {!summary.dryRun && <DownloadLinks month={summary.month} />}
      <RunSummaryView summary={summary} />
    </section>
  );
}

/** Role operations: simulate or run and publish the assignment of a month (ASG-1, ASG-5). */
function RunForm() {
  const queryClient = useQueryClient();
  const [month, setMonth] = useState<Month>(() => currentMonth());
  const [invalidMonth, setInvalidMonth] = useState(false);
  const run = useMutation({
    mutationFn: (request: RunRequest) => runAssignment(request),
    onSuccess: async (summary) => {
      if (summary.dryRun || summary.alreadyRun) return;
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assignmentRunsQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['assignment-run', summary.month] }),
        queryClient.invalidateQueries({ queryKey: ['assigned-accounts'] }),
        queryClient.invalidateQueries({ queryKey: ['notices'] }),
      ]);
    },
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Enter in the month box submits with the first button: the harmless simulation.
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const dryRun = submitter?.getAttribute('value') !== 'publish';
    if (!isMonth(month)) {
      setInvalidMonth(true);
      return;
    }
    setInvalidMonth(false);
    run.mutate({ month, dryRun });
  }

  const pendingDryRun = run.isPending && run.variables.dryRun;
  const pendingRun = run.isPending && !run.variables.dryRun;

  return (
    <>
      <section className="section card" aria-labelledby="run-form-title" data-testid="run-form">
        <h2 id="run-form-title">Ejecutar asignación</h2>
        <p className="muted">
          Evalúa toda la cartera con los criterios de exclusión vigentes, etiqueta los créditos susceptibles de
          mediación y los asigna a las agencias. La simulación no guarda nada; «Ejecutar y publicar» guarda la
          asignación, la publica a las agencias y no se puede repetir para el mismo mes.
        </p>
        <form className="run-form" onSubmit={handleSubmit} noValidate aria-busy={run.isPending}>
          <MonthField id={RUN_MONTH_ID} label="Mes" value={month} onChange={setMonth} />
          <div className="run-form__actions">
            <button type="submit" name="action" value="simulate" className="button button--secondary" disabled={run.isPending}>
              {pendingDryRun ? 'Simulando…' : 'Simular (sin guardar)'}
            </button>
            <button type="submit" name="action" value="publish" className="button button--primary" disabled={run.isPending}>
              {pendingRun ? 'Ejecutando…' : 'Ejecutar y publicar'}
            </button>
          </div>
        </form>
        <div role="status" className="status" data-testid="run-status">
          {run.isPending
            ? `${run.variables.dryRun ? 'Simulando' : 'Ejecutando'} la asignación de ${formatMonth(run.variables.month)}; puede tardar unos segundos…`
            : ''}
        </div>
        {invalidMonth && (
          <p role="alert" className="notice notice--error" data-testid="run-month-error">
            Escriba el mes con la forma AAAA-MM, por ejemplo {currentMonth()}.
          </p>
        )}
        {run.isError && (
          <div role="alert" className="notice notice--error" data-testid="run-error">
            <p>{errorMessage(run.error)}</p>
          </div>
        )}
      </section>
      {run.isSuccess && <RunResult summary={run.data} />}
    </>
  );
}

function monthOptions(runs: AssignmentRunListItem[], selected: Month): AssignmentRunListItem[] {
  if (runs.some((run) => run.month === selected)) return runs;
  // A month asked for in the address (?mes=) that is not in the list is still offered.
  return [{ month: selected, runOn: '', publishedAt: null, evaluated: 0, tagged: 0, assigned: 0 }, ...runs];
}

function PublishedRuns() {
  const [searchParams, setSearchParams] = useSearchParams();
  const runs = useQuery({ queryKey: assignmentRunsQueryKey, queryFn: ({ signal }) => listAssignmentRuns(signal) });
  const requested = searchParams.get('mes');
  const month = requested !== null && isMonth(requested) ? requested : runs.data?.[0]?.month;
  const summary = useQuery({
    queryKey: ['assignment-run', month],
    queryFn: ({ signal }) => getAssignmentRun(month ?? '', signal),
    enabled: month !== undefined,
  });

  function choose(next: Month) {
    setSearchParams(new URLSearchParams({ mes: next }), { replace: true });
  }

  let body;
  if (runs.isPending) body = <Loading label="Cargando corridas…" />;
  else if (runs.isError) body = <QueryError error={runs.error} onRetry={() => void runs.refetch()} />;
  else if (month === undefined) {
    body = (
      <p className="notice" data-testid="no-runs">
        Todavía no se ha ejecutado ninguna asignación.
      </p>
    );
  } else {
    body = (
      <>
        <div className="run-picker">
          <div className="field">
            <label htmlFor={PUBLISHED_MONTH_ID}>Mes</label>
            <select
              id={PUBLISHED_MONTH_ID}
              value={month}
              onChange={(event) => choose(event.target.value)}
              data-testid="run-month-select"
            >
              {monthOptions(runs.data, month).map((run) => (
                <option key={run.month} value={run.month}>
                  {formatMonth(run.month)}
                  {run.runOn !== '' && run.publishedAt === null ? ' (sin publicar)' : ''}
                </option>
              ))}
            </select>
          </div>
          {summary.isSuccess && <DownloadLinks month={month} />}
        </div>
        <div aria-busy={summary.isFetching}>
          {summary.isPending && <Loading label={`Cargando la asignación de ${formatMonth(month)}…`} />}
          {summary.isError && <QueryError error={summary.error} onRetry={() => void summary.refetch()} />}
          {summary.isSuccess && <RunSummaryView summary={summary.data} />}
        </div>
      </>
    );
  }

  return (
    <section className="section" aria-labelledby="published-title" data-testid="published-run">
      <h2 id="published-title">Asignaciones publicadas</h2>
      {body}
    </section>
  );
}

export function AssignmentPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  if (!hasRole(user.role, ASSIGNMENT_OVERSIGHT_ROLES)) return <NotAllowed title={TITLE} />;
  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">Etiquetado de créditos susceptibles de mediación y su asignación a las agencias de soluciones.</p>
      {hasRole(user.role, ASSIGNMENT_RUN_ROLES) && <RunForm />}
      <PublishedRuns />
    </>
  );
}
