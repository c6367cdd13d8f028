import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { listProposals } from '../api/client';
import type { Me, ProposalListItem, ProposalStatus } from '../api/types';
import { hasRole } from '../assignment-labels';
import { NotAllowed } from '../components/not-allowed';
import { ProposalForm, proposalsQueryKey } from '../components/proposal-form';
import { Loading, QueryError } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { formatInstantDate, formatInteger } from '../format';
import {
  creditCount,
  ENTRY_LABELS,
  PROPOSAL_REQUEST_ROLES,
  PROPOSAL_REVIEW_ROLES,
  STATUS_LABELS,
} from '../proposal-labels';
import { useCurrentUser } from '../session';

/** The server answers with the latest 200 at most. */
const LIST_LIMIT = 200;
const STATUS_FILTER_ID = 'proposal-status-filter';

/** ?estado= in the address (Spanish, as users see it) ↔ the API's status. */
const STATUS_PARAMS: Record<string, ProposalStatus> = {
  pendientes: 'pending',
  resueltas: 'resolved',
};

function statusParamOf(status: ProposalStatus | undefined): string {
  return Object.entries(STATUS_PARAMS).find(([, value]) => value === status)?.[0] ?? 'todas';
}

function StatusChip({ status }: { status: ProposalStatus }) {
  return (
    <span className={`state-chip${status === 'resolved' ? ' state-chip--on' : ' state-chip--pending'}`} data-testid="proposal-status">
      {STATUS_LABELS[status]}
    </span>
  );
}

function ProposalTable({
  proposals,
  showRequester,
  showEntry,
  noun,
  caption,
}: {
  proposals: ProposalListItem[];
  showRequester: boolean;
  showEntry: boolean;
  noun: string;
  caption: string;
}) {
  return (
    <div className="table-wrap">
      <table className="results" role="table" data-testid="proposal-list">
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">{noun}</th>
            {showEntry && (
              <th scope="col" role="columnheader">Tipo</th>
            )}
            {showRequester && (
              <th scope="col" role="columnheader">Propuesta por</th>
            )}
            <th scope="col" role="columnheader">Fecha</th>
            <th scope="col" role="columnheader" className="numeric">Créditos</th>
            <th scope="col" role="columnheader">Estado</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {proposals.map((proposal) => (
            <tr key={proposal.id} role="row" data-testid="proposal-row" data-proposal={proposal.id}>
              <td role="cell" data-label={noun} className="results__credit">
                <Link to={`/propuestas/${proposal.id}`}>
                  <span className="visually-hidden">{noun} </span>
                  {proposal.id}
                </Link>
              </td>
              {showEntry && (
                <td role="cell" data-label="Tipo">
                  {ENTRY_LABELS[proposal.entry]}
                </td>
              )}
              {showRequester && (
                <td role="cell" data-label="Propuesta por" className="results__text">
                  {proposal.requesterName}
                  <span className="results__sub">{proposal.requesterArea}</span>
                </td>
              )}
              <td role="cell" data-label="Fecha" className="nowrap">
                {formatInstantDate(proposal.createdAt)}
              </td>
              <td role="cell" data-label="Créditos" className="numeric">
                {formatInteger(proposal.credits)}
              </td>
              <td role="cell" data-label="Estado">
                <StatusChip status={proposal.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function emptyMessage(reviewer: boolean, status: ProposalStatus | undefined, isBorrower: boolean): string {
  if (!reviewer) return isBorrower ? 'Todavía no ha enviado ninguna solicitud.' : 'Todavía no ha enviado ninguna propuesta.';
  if (status === 'pending') return 'No hay propuestas pendientes de revisión.';
  if (status === 'resolved') return 'No hay propuestas resueltas.';
  return 'Todavía no se ha recibido ninguna propuesta.';
}

function ProposalList({ user }: { user: Me }) {
  const reviewer = hasRole(user.role, PROPOSAL_REVIEW_ROLES);
  const isBorrower = user.role === 'borrower';
  const [searchParams, setSearchParams] = useSearchParams();
  const status = reviewer ? STATUS_PARAMS[searchParams.get('estado') ?? ''] : undefined;
  const proposals = useQuery({
    queryKey: [...proposalsQueryKey, status ?? 'all'],
    queryFn: ({ signal }) => listProposals(status, signal),
  });

  function choose(param: string) {
    const next = new URLSearchParams(searchParams);
    if (param === 'todas') next.delete('estado');
    else next.set('estado', param);
    setSearchParams(next, { replace: true });
  }

  const title = reviewer ? 'Propuestas recibidas' : isBorrower ? 'Mis solicitudes' : 'Mis propuestas';
  const items = proposals.data ?? [];
  const caption = reviewer
    ? `${status === undefined ? 'Todas las propuestas' : status === 'pending' ? 'Propuestas pendientes de revisión' : 'Propuestas resueltas'}, la más reciente primero`
    : `${title}, la más reciente primero`;

  return (
    <section className="section" aria-labelledby="proposal-list-title" data-testid="proposal-list-section">
      <h2 id="proposal-list-title">{title}</h2>
      {reviewer && (
        <div className="toolbar">
          <div className="field">
            <label htmlFor={STATUS_FILTER_ID}>Estado</label>
            <select
              id={STATUS_FILTER_ID}
              value={statusParamOf(status)}
              onChange={(event) => choose(event.target.value)}
              data-testid="proposal-status-filter"
            >
              <option value="todas">Todas</option>
              <option value="pendientes">Pendientes de revisión</option>
              <option value="resueltas">Resueltas</option>
            </select>
          </div>
        </div>
      )}
      <div aria-busy={proposals.isFetching}>
        {proposals.isPending && <Loading label="Cargando propuestas…" />}
        {proposals.isError && <QueryError error={proposals.error} onRetry={() => void proposals.refetch()} />}
        {proposals.isSuccess && items.length === 0 && (
          <p className="notice" data-testid="proposal-list-empty">
            {emptyMessage(reviewer, status, isBorrower)}
          </p>
        )}
        {proposals.isSuccess && items.length > 0 && (
          <>
            <p role="status" className="status" data-testid="proposal-list-summary">
              {items.length === 1 ? `1 ${isBorrower ? 'solicitud' : 'propuesta'}` : `${formatInteger(items.length)} ${isBorrower ? 'solicitudes' : 'propuestas'}`}
              {items.length >= LIST_LIMIT ? `; se muestran las ${formatInteger(LIST_LIMIT)} más recientes` : ''}.
              {reviewer && status === undefined
                ? ` ${creditCount(items.filter((item) => item.status === 'pending').reduce((sum, item) => sum + item.credits, 0))} por revisar.`
                : ''}
            </p>
            <ProposalTable
              proposals={items}
              showRequester={reviewer}
              showEntry={!isBorrower}
              noun={isBorrower ? 'Solicitud' : 'Propuesta'}
              caption={caption}
            />
          </>
        )}
      </div>
    </section>
  );
}

/**
 * /propuestas: mediation outside the monthly run (SPEC §11). Who may propose gets the form; the
 * reviewers see every proposal with a pending/resolved filter, anyone else his own.
 */
export function ProposalsPage() {
  const user = useCurrentUser();
  const isBorrower = user.role === 'borrower';
  const title = isBorrower ? 'Solicitar mediación' : 'Propuestas de mediación';
  useDocumentTitle(title);
  const canRequest = hasRole(user.role, PROPOSAL_REQUEST_ROLES);
  if (!canRequest && !hasRole(user.role, PROPOSAL_REVIEW_ROLES)) return <NotAllowed title={title} />;

  return (
    <>
      <h1>{title}</h1>
      <p className="lead">
        {isBorrower
          ? 'Pida que su crédito se revise para el servicio de mediación y consulte aquí la respuesta.'
          : 'Créditos propuestos para mediación fuera del etiquetado mensual (ENT-A) y cuentas habitadas de Recuperación Especializada (ENT-B).'}
      </p>
      {canRequest &&
        (isBorrower && !user.scope.creditNumber ? (
          <p className="notice" data-testid="proposal-no-credit">
            Su cuenta no tiene un crédito asociado. Comuníquese con el Infonavit para que lo vinculen.
          </p>
        ) : (
          <ProposalForm user={user} />
        ))}
      <ProposalList user={user} />
    </>
  );
}
