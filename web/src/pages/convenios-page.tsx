import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listConvenios } from '../api/client';
import type { ConvenioListItem, ConvenioQueue, Me } from '../api/types';
import { hasRole } from '../assignment-labels';
import { solutionLabel } from '../case-labels';
import {
  CONVENIO_LIST_ROLES,
  convenioCount,
  convenioQueueFromParam,
  convenioQueuesFor,
  filtersByStatus,
  type ConvenioQueueOption,
} from '../convenio-labels';
import { conveniosQueryKey } from '../components/convenio-actions';
import { ConvenioStatusChip } from '../components/convenio-sections';
import { NotAllowed } from '../components/not-allowed';
import { useDocumentTitle } from '../components/use-document-title';
import { dateOr, QueueTabs, useWorkListParams, WorkListResults, WorkListSearch } from '../components/work-list';
import { formatCents, formatDate } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Convenios de mediación';
const PAGE_SIZE = 25;
const SEARCH_INPUT_ID = 'convenio-search-q';
const STATUS_SELECT_ID = 'convenio-search-status';

function lead(user: Me): string {
  switch (user.role) {
    case 'mediator':
      return 'Envíe a la DR, el mismo día de la firma, el convenio firmado digitalizado y la identificación del acreditado (act. 22) y registre ante el CJA los convenios Ratificados aprobados (act. 27).';
    case 'regional_manager':
      return 'Revise los convenios que le envían los mediadores y apruebe la solución al día siguiente (acts. 23–25, DL-10 y DL-12); siga el primer pago de los aprobados.';
    case 'agency':
      return 'Invite a los acreditados de los convenios aprobados a hacer su primer pago por la cantidad completa dentro del plazo (act. 26).';
    default:
      return 'Los convenios firmados en su alcance, con su estado, su revisión y su primer pago (CNV-1 a CNV-5).';
  }
}

/** The search; the national roles choose the status in the same form. */
function SearchForm({
  initialQuery,
  statusOptions,
  currentParam,
  onSearch,
}: {
  initialQuery: string;
  statusOptions: ConvenioQueueOption[] | null;
  currentParam: string;
  onSearch: (query: string, param: string) => void;
}) {
  return (
    <WorkListSearch
      label="Buscar convenios"
      inputId={SEARCH_INPUT_ID}
      inputLabel="Número de crédito, folio o nombre del acreditado"
      initialQuery={initialQuery}
      className={`search${statusOptions === null ? '' : ' convenio-search'}`}
      onSearch={(query, data) => onSearch(query, String(data.get('lista') ?? currentParam))}
    >
      {statusOptions !== null && (
        <div className="field">
          <label htmlFor={STATUS_SELECT_ID}>Estado</label>
          <select id={STATUS_SELECT_ID} name="lista" defaultValue={currentParam}>
            {statusOptions.map((option) => (
              <option key={option.param} value={option.param}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      )}
    </WorkListSearch>
  );
}

/** Which columns a list shows: the dates and amounts of its work. */
function columnsOf(queue: ConvenioQueue, user: Me) {
  return {
    status: queue === 'all' || queue === 'to_submit',
    solution: queue === 'all',
    signedOn: queue === 'all' || queue === 'to_submit',
    submittedOn: queue === 'to_review',
    reviewBy: queue === 'to_review' || queue === 'to_submit',
    approvedOn: queue === 'first_payment' || queue === 'cja_pending' || queue === 'in_force' || queue === 'broken',
    firstPayment: queue === 'first_payment' || queue === 'broken',
    firstPaidOn: queue === 'in_force',
    mediator: user.role !== 'mediator',
    /** The agency goes under the mediator's name. */
    agency: user.role !== 'agency' && user.role !== 'mediator',
    delegation: user.scope.kind === 'national',
  };
}

function reviewByLabel(queue: ConvenioQueue): string {
  return queue === 'to_review' ? 'Revisar a más tardar (DL-10)' : 'Responder a más tardar (DL-11)';
}

function ConveniosTable({ rows, queue, caption, user }: { rows: ConvenioListItem[]; queue: ConvenioQueue; caption: string; user: Me }) {
  const show = columnsOf(queue, user);
  const reviewBy = reviewByLabel(queue);
  return (
    <div className="table-wrap">
      <table className="results results--wrap-head" role="table" data-testid="convenio-list">
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Folio</th>
            <th scope="col" role="columnheader">Acreditado</th>
            {show.status && <th scope="col" role="columnheader">Estado</th>}
            {show.solution && <th scope="col" role="columnheader">Solución</th>}
            {show.signedOn && <th scope="col" role="columnheader">Firma</th>}
            {show.submittedOn && <th scope="col" role="columnheader">Enviado</th>}
            {show.reviewBy && <th scope="col" role="columnheader">{reviewBy}</th>}
            {show.approvedOn && <th scope="col" role="columnheader">Aprobado</th>}
            {show.firstPayment && <th scope="col" role="columnheader">Primer pago</th>}
            {show.firstPayment && <th scope="col" role="columnheader">Pagar a más tardar</th>}
            {show.firstPaidOn && <th scope="col" role="columnheader">Primer pago recibido</th>}
            {show.mediator && (
              <th scope="col" role="columnheader">
                {show.agency ? 'Mediador y agencia' : 'Mediador'}
              </th>
            )}
            {show.delegation && <th scope="col" role="columnheader">Delegación</th>}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr key={row.id} role="row" data-testid="convenio-row" data-convenio={row.id} data-credit={row.creditNumber} data-status={row.status}>
              <td role="cell" data-label="Folio" className="results__credit">
                <Link to={`/convenios/${row.id}`}>
                  <span className="visually-hidden">Convenio </span>
                  {row.folio}
                </Link>
                <span className="results__sub">Crédito {row.creditNumber}</span>
              </td>
              <td role="cell" data-label="Acreditado" className="results__text">
                {row.borrowerName}
              </td>
              {show.status && (
                <td role="cell" data-label="Estado">
                  <ConvenioStatusChip status={row.status} label={row.statusLabel} testId="convenio-row-status" />
                </td>
              )}
              {show.solution && (
                <td role="cell" data-label="Solución" className="results__text">
                  {solutionLabel(row.solutionId)}
                </td>
              )}
              {show.signedOn && (
                <td role="cell" data-label="Firma" className="nowrap">
                  {formatDate(row.signedOn)}
                </td>
              )}
              {show.submittedOn && (
                <td role="cell" data-label="Enviado" className="nowrap">
                  {dateOr(row.submittedOn, 'Sin enviar')}
                </td>
              )}
              {show.reviewBy && (
                <td role="cell" data-label={reviewBy} className="nowrap" data-testid="convenio-review-by">
                  {dateOr(row.reviewBy, row.status === 'signed' ? 'Hoy (DL-9)' : '—')}
                </td>
              )}
              {show.approvedOn && (
                <td role="cell" data-label="Aprobado" className="nowrap">
                  {dateOr(row.approvedOn, 'Sin aprobar')}
                </td>
              )}
              {show.firstPayment && (
                <td role="cell" data-label="Primer pago" className="nowrap" data-testid="convenio-first-payment">
                  {formatCents(row.firstPaymentCents)}
                </td>
              )}
              {show.firstPayment && (
                <td role="cell" data-label="Pagar a más tardar" className="nowrap" data-testid="convenio-first-payment-due">
                  {formatDate(row.firstPaymentDueOn)}
                </td>
              )}
              {show.firstPaidOn && (
                <td role="cell" data-label="Primer pago recibido" className="nowrap">
                  {dateOr(row.firstPaidOn, '—')}
                </td>
              )}
              {show.mediator && (
                <td role="cell" data-label={show.agency ? 'Mediador y agencia' : 'Mediador'} className="results__text">
                  {row.mediatorName}
                  {show.agency && <span className="results__sub">{row.agencyName}</span>}
                </td>
              )}
              {show.delegation && (
                <td role="cell" data-label="Delegación" className="results__text">
                  {row.delegationName}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function emptyMessage(queue: ConvenioQueue, query: string): string {
  if (query !== '') return `No hay convenios en esta lista para «${query}».`;
  switch (queue) {
    case 'to_submit':
      return 'No tiene convenios por enviar a la DR.';
    case 'to_review':
      return 'No hay convenios por revisar.';
    case 'first_payment':
      return 'No hay convenios aprobados en espera del primer pago.';
    case 'cja_pending':
      return 'No hay convenios Ratificados pendientes de registro ante el CJA.';
    case 'in_force':
      return 'No hay convenios vigentes.';
    case 'broken':
      return 'No hay convenios incumplidos.';
    default:
      return 'No hay convenios en su alcance.';
  }
}

/** /convenios?lista=…&q=…&pagina=… — the convenio work lists of each role (acts. 22–27). */
export function ConveniosPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const { listParam, query, currentPage, offset, hrefOf, search, goToPage } = useWorkListParams('/convenios', PAGE_SIZE);
  const option = convenioQueueFromParam(user.role, listParam);
  const allowed = hasRole(user.role, CONVENIO_LIST_ROLES);
  const byStatus = filtersByStatus(user.role);

  const convenios = useQuery({
    queryKey: [...conveniosQueryKey, { queue: option.queue, q: query, offset }],
    queryFn: ({ signal }) => listConvenios({ queue: option.queue, q: query, limit: PAGE_SIZE, offset }, signal),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });

  if (!allowed) return <NotAllowed title={TITLE} />;

  const options = convenioQueuesFor(user.role);

  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">{lead(user)}</p>
      {!byStatus && <QueueTabs label="Listas de convenios" testIdPrefix="convenio-" options={options} current={option.queue} hrefOf={hrefOf} />}
      <SearchForm key={`${option.param}|${query}`} initialQuery={query} statusOptions={byStatus ? options : null} currentParam={option.param} onSearch={search} />
      <WorkListResults
        result={convenios}
        testIdPrefix="convenio-list"
        loadingText="Cargando convenios…"
        summaryOf={(total) => `${option.label}: ${convenioCount(total)}`}
        emptyMessage={emptyMessage(option.queue, query)}
        offset={offset}
        currentPage={currentPage}
        pageSize={PAGE_SIZE}
        onGoTo={goToPage}
        renderTable={(rows) => <ConveniosTable rows={rows} queue={option.queue} caption={`${TITLE}: ${option.label.toLowerCase()}`} user={user} />}
      />
    </>
  );
}
