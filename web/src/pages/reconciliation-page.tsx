import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { getAssignmentRun, getReconciliation, listAssignmentRuns } from '../api/client';
import type { ConvenioMismatch, DelegationRunCounts, Reconciliation } from '../api/types';
import { hasRole } from '../assignment-labels';
import { mismatchCount, RECONCILIATION_ROLES } from '../convenio-labels';
import { ConvenioStatusChip } from '../components/convenio-sections';
import { NotAllowed } from '../components/not-allowed';
import { QueryError } from '../components/query-state';
import { RuleBadge } from '../components/rule-badge';
import { useDocumentTitle } from '../components/use-document-title';
import { formatInteger } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Conciliación de convenios';
const DELEGATION_SELECT_ID = 'reconciliation-delegation';

/**
 * The delegaciones to filter by. There is no catalogue endpoint: they come from the latest monthly
 * run (the national roles of this page all read it, ASG-1); empty when no run exists.
 */
function useDelegations(enabled: boolean): DelegationRunCounts[] {
  const runs = useQuery({ queryKey: ['assignment-runs'], queryFn: ({ signal }) => listAssignmentRuns(signal), enabled });
  const latest = runs.data?.[0]?.month;
  const run = useQuery({
    queryKey: ['assignment-run', latest],
    queryFn: ({ signal }) => getAssignmentRun(latest ?? '', signal),
    enabled: enabled && latest !== undefined,
  });
  return [...(run.data?.byDelegation ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'es'));
}

function DelegationFilter({ delegations, current, onChoose }: { delegations: DelegationRunCounts[]; current: number | undefined; onChoose: (id: number | undefined) => void }) {
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('delegacion') ?? '');
    onChoose(/^\d{1,2}$/.test(value) ? Number(value) : undefined);
  }
  return (
    <form className="search" aria-label="Filtrar por delegación" onSubmit={handleSubmit} data-testid="reconciliation-filter">
      <div className="field search__field">
        <label htmlFor={DELEGATION_SELECT_ID}>Delegación</label>
        <select id={DELEGATION_SELECT_ID} name="delegacion" defaultValue={current === undefined ? '' : String(current)}>
          <option value="">Todas las delegaciones</option>
          {delegations.map((delegation) => (
            <option key={delegation.delegationId} value={delegation.delegationId}>
              {delegation.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--primary search__button">
        Filtrar
      </button>
    </form>
  );
}

function ChecksList({ reconciliation }: { reconciliation: Reconciliation }) {
  const counts = new Map<string, number>();
  for (const mismatch of reconciliation.mismatches) counts.set(mismatch.check, (counts.get(mismatch.check) ?? 0) + 1);
  return (
    <ul className="check-list" data-testid="reconciliation-checks">
      {reconciliation.checked.map((item) => {
        const found = counts.get(item.check) ?? 0;
        return (
          <li key={item.check} className={`check-list__item check-list__item--${found === 0 ? 'ok' : 'missing'}`} data-testid="reconciliation-check" data-check={item.check} data-found={found}>
            <span className="check-list__mark" aria-hidden="true">
              {found === 0 ? '✓' : '✗'}
            </span>
            <span>
              {item.description}: <strong>{found === 0 ? 'ningún convenio' : `${formatInteger(found)} ${found === 1 ? 'convenio' : 'convenios'}`}</strong>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function MismatchesTable({ mismatches }: { mismatches: ConvenioMismatch[] }) {
  return (
    <div className="table-wrap">
      <table className="results results--wrap-head" role="table" data-testid="reconciliation-mismatches">
        <caption>Diferencias entre lo firmado, lo aplicado al crédito y lo pagado</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Convenio</th>
            <th scope="col" role="columnheader">Estado</th>
            <th scope="col" role="columnheader">Diferencia</th>
            <th scope="col" role="columnheader">Esperado</th>
            <th scope="col" role="columnheader">En el crédito</th>
            <th scope="col" role="columnheader">Delegación</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {mismatches.map((mismatch) => (
            <tr key={`${mismatch.convenioId}-${mismatch.check}`} role="row" data-testid="reconciliation-mismatch" data-convenio={mismatch.convenioId} data-check={mismatch.check}>
              <td role="cell" data-label="Convenio" className="results__credit">
                <Link to={`/convenios/${mismatch.convenioId}`}>
                  <span className="visually-hidden">Convenio </span>
                  {mismatch.folio}
                </Link>
                <span className="results__sub">
                  Crédito <Link to={`/creditos/${mismatch.creditNumber}`}>{mismatch.creditNumber}</Link>
                </span>
              </td>
              <td role="cell" data-label="Estado">
                <ConvenioStatusChip status={mismatch.status} testId="reconciliation-status" />
              </td>
              <td role="cell" data-label="Diferencia" className="results__text">
                {mismatch.description}
              </td>
              <td role="cell" data-label="Esperado" className="results__text">
                {mismatch.expected}
              </td>
              <td role="cell" data-label="En el crédito" className="results__text">
                {mismatch.actual}
              </td>
              <td role="cell" data-label="Delegación" className="results__text">
                {mismatch.delegationName}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "Todas las delegaciones: 2 diferencias en 1 convenio." */
function summaryOf(data: Reconciliation, scopeName: string): string {
  const convenios = new Set(data.mismatches.map((mismatch) => mismatch.convenioId)).size;
  if (convenios === 0) return `${scopeName}: sin diferencias.`;
  return `${scopeName}: ${mismatchCount(data.mismatches.length).toLowerCase()} en ${formatInteger(convenios)} ${convenios === 1 ? 'convenio' : 'convenios'}.`;
}

/**
 * /conciliacion?delegacion=… — every difference between the signed terms, the terms applied to the
 * credit (CNV-4) and the payments received (CNV-5, PAY-1), for the approved convenios in scope.
 */
export function ReconciliationPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const [searchParams, setSearchParams] = useSearchParams();
  const allowed = hasRole(user.role, RECONCILIATION_ROLES);
  const national = user.scope.kind === 'national';
  const param = searchParams.get('delegacion');
  const delegationId = national && param !== null && /^\d{1,2}$/.test(param) ? Number(param) : undefined;
  const delegations = useDelegations(allowed && national);

  const reconciliation = useQuery({
    queryKey: ['convenio-reconciliation', delegationId ?? null],
    queryFn: ({ signal }) => getReconciliation(delegationId, signal),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });

  if (!allowed) return <NotAllowed title={TITLE} />;

  function choose(id: number | undefined) {
    setSearchParams(id === undefined ? new URLSearchParams() : new URLSearchParams({ delegacion: String(id) }));
  }
  const nameOf = (id: number) =>
    national ? (delegations.find((delegation) => delegation.delegationId === id)?.name ?? `Delegación ${id}`) : user.scope.label;
  const scopeName = delegationId !== undefined ? nameOf(delegationId) : national ? 'Todas las delegaciones' : user.scope.label;
  const data = reconciliation.data;
  const loading = reconciliation.isPending || reconciliation.isPlaceholderData;

  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">
        Para cada convenio aprobado en su alcance se comparan los términos firmados, los aplicados al crédito (CNV-4) y los pagos recibidos (CNV-5).
        Una lista vacía prueba que ningún acreditado tiene condiciones distintas de las de su convenio.
      </p>
      {national && <DelegationFilter key={delegationId ?? 'todas'} delegations={delegations} current={delegationId} onChoose={choose} />}
      <div className="results-area" aria-busy={reconciliation.isFetching}>
        <div role="status" className="status" data-testid="reconciliation-summary">
          {loading || data === undefined ? (loading ? 'Conciliando…' : '') : summaryOf(data, scopeName)}
        </div>
        {reconciliation.isError && <QueryError error={reconciliation.error} onRetry={() => void reconciliation.refetch()} />}
        {data !== undefined && (
          <>
            <section className="section card" aria-labelledby="reconciliation-checks-title">
              <h2 id="reconciliation-checks-title">Verificaciones realizadas</h2>
              <ChecksList reconciliation={data} />
            </section>
            <section className="section" aria-labelledby="reconciliation-mismatches-title">
              <h2 id="reconciliation-mismatches-title">Diferencias</h2>
              {data.mismatches.length === 0 ? (
                <p className="notice notice--success" data-testid="reconciliation-no-mismatches">
                  <RuleBadge rule="CNV-4" /> Sin diferencias: lo firmado, lo aplicado a los créditos y los pagos coinciden.
                </p>
              ) : (
                <MismatchesTable mismatches={data.mismatches} />
              )}
            </section>
          </>
        )}
      </div>
    </>
  );
}
