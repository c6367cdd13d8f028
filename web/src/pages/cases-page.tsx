import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listCases } from '../api/client';
import type { CaseListItem, CaseQueue, Me } from '../api/types';
import { hasRole } from '../assignment-labels';
import { CASE_READ_ROLES, caseCount, queueFromParam, queuesFor } from '../case-labels';
import { casesQueryKey } from '../components/case-action-form';
import { CaseStateChip } from '../components/case-sections';
import { NotAllowed } from '../components/not-allowed';
import { useDocumentTitle } from '../components/use-document-title';
import { dateOr, QueueTabs, useWorkListParams, WorkListResults, WorkListSearch } from '../components/work-list';
import { useCurrentUser } from '../session';

const TITLE = 'Casos de mediación';
const PAGE_SIZE = 25;
const SEARCH_INPUT_ID = 'case-search-q';

function lead(user: Me): string {
  switch (user.role) {
    case 'agency':
      return 'Apruebe y distribuya cada día los casos «En Mediación» a sus mediadores (act. 5) y designe al representante del Infonavit (act. 7).';
    case 'mediator':
      return 'Revise cada día sus casos nuevos (act. 6), contacte a las partes, agende y celebre las sesiones.';
    case 'regional_manager':
      return 'Los casos de su delegación: entregue los convenios preliminares que soliciten los mediadores (act. 13).';
    default:
      return 'Los casos de mediación en su alcance, con sus plazos y su estado.';
  }
}

/** Which date columns a list shows: the deadline that matters for its work. */
function columnsOf(queue: CaseQueue, user: Me) {
  return {
    distributeBy: queue === 'to_distribute',
    session: queue === 'scheduled' || queue === 'in_session' || queue === 'open' || queue === 'all' || queue === 'closed',
    closesOn: queue === 'new' || queue === 'to_schedule' || queue === 'scheduled' || queue === 'open',
    mediator: user.role !== 'mediator' && queue !== 'to_distribute',
    agency: user.role !== 'agency' && user.role !== 'mediator',
  };
}

function CasesTable({ rows, queue, caption, user }: { rows: CaseListItem[]; queue: CaseQueue; caption: string; user: Me }) {
  const show = columnsOf(queue, user);
  return (
    <div className="table-wrap">
      <table className="results" role="table" data-testid="case-list">
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Crédito</th>
            <th scope="col" role="columnheader">Acreditado</th>
            <th scope="col" role="columnheader">Estado</th>
            <th scope="col" role="columnheader">Aceptación</th>
            {show.distributeBy && <th scope="col" role="columnheader">Distribuir a más tardar</th>}
            {show.session && <th scope="col" role="columnheader">Sesión</th>}
            {show.closesOn && <th scope="col" role="columnheader">Cierre automático</th>}
            {show.mediator && <th scope="col" role="columnheader">Mediador</th>}
            {show.agency && <th scope="col" role="columnheader">Agencia</th>}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={row.id} role="row" data-testid="case-row" data-case={row.id} data-credit={row.creditNumber}>
              <td role="cell" data-label="Crédito" className="results__credit">
                <Link to={`/casos/${row.id}`}>
                  <span className="visually-hidden">Caso del crédito </span>
                  {row.creditNumber}
                </Link>
                {row.round > 1 && <span className="results__sub">Ronda {row.round}</span>}
              </td>
              <td role="cell" data-label="Acreditado" className="results__text">
                {row.borrowerName}
              </td>
              <td role="cell" data-label="Estado">
                <CaseStateChip state={row.state} label={row.stateLabel} testId="case-row-state" />
              </td>
              <td role="cell" data-label="Aceptación" className="nowrap">
                {dateOr(row.acceptedOn, 'Sin aceptación')}
              </td>
              {show.distributeBy && (
                <td role="cell" data-label="Distribuir a más tardar" className="nowrap" data-testid="case-distribute-by">
                  {dateOr(row.distributeBy, '—')}
                </td>
              )}
              {show.session && (
                <td role="cell" data-label="Sesión" className="nowrap">
                  {dateOr(row.sessionDate, 'Sin agendar')}
                </td>
              )}
              {show.closesOn && (
                <td role="cell" data-label="Cierre automático" className="nowrap">
                  {dateOr(row.closesOn, '—')}
                </td>
              )}
              {show.mediator && (
                <td role="cell" data-label="Mediador" className="results__text">
                  {row.mediatorName ?? <span className="muted">Sin distribuir</span>}
                </td>
              )}
              {show.agency && (
                <td role="cell" data-label="Agencia" className="results__text">
                  {row.agencyName}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function emptyMessage(queue: CaseQueue, query: string): string {
  if (query !== '') return `No hay casos en esta lista para «${query}».`;
  switch (queue) {
    case 'to_distribute':
      return 'No hay casos «En Mediación» por distribuir.';
    case 'new':
      return 'No tiene casos nuevos.';
    case 'to_schedule':
      return 'No tiene casos por agendar.';
    case 'scheduled':
      return 'No hay sesiones agendadas.';
    case 'in_session':
      return 'No hay casos con sesión celebrada pendientes de cierre.';
    case 'closed':
      return 'No hay casos terminados.';
    default:
      return 'No hay casos en su alcance.';
  }
}

/** /casos?lista=…&q=…&pagina=… — the work lists of the agency, the mediator, the DR and the offices. */
export function CasesPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const { listParam, query, currentPage, offset, hrefOf, search, goToPage } = useWorkListParams('/casos', PAGE_SIZE);
  const option = queueFromParam(user.role, listParam);
  const allowed = hasRole(user.role, CASE_READ_ROLES);

  const cases = useQuery({
    queryKey: [...casesQueryKey, { queue: option.queue, q: query, offset }],
    queryFn: ({ signal }) => listCases({ queue: option.queue, q: query, limit: PAGE_SIZE, offset }, signal),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });

  if (!allowed) return <NotAllowed title={TITLE} />;

  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">{lead(user)}</p>
      <QueueTabs label="Listas de casos" testIdPrefix="" options={queuesFor(user.role)} current={option.queue} hrefOf={hrefOf} />
      <WorkListSearch
        key={query}
        label="Buscar casos"
        inputId={SEARCH_INPUT_ID}
        inputLabel="Número de crédito o nombre del acreditado"
        initialQuery={query}
        onSearch={(nextQuery) => search(nextQuery, option.param)}
      />
      <WorkListResults
        result={cases}
        testIdPrefix="case-list"
        loadingText="Cargando casos…"
        summaryOf={(total) => `${option.label}: ${caseCount(total)}`}
        emptyMessage={emptyMessage(option.queue, query)}
        offset={offset}
        currentPage={currentPage}
        pageSize={PAGE_SIZE}
        onGoTo={goToPage}
        renderTable={(rows) => <CasesTable rows={rows} queue={option.queue} caption={`${TITLE}: ${option.label.toLowerCase()}`} user={user} />}
      />
    </>
  );
}
