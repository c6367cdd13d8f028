import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError, isNetworkError, listVisits, newIdempotencyKey, openCase } from '../api/client';
import type { VisitAccount, VisitPage } from '../api/types';
import { CONVENIO_TYPE_LABELS, hasRole } from '../assignment-labels';
import { accountCount, VISIT_ROLES } from '../case-labels';
import { caseQueryKey, visitsQueryKey } from '../components/case-action-form';
import { CaseStateChip } from '../components/case-sections';
import { NotAllowed } from '../components/not-allowed';
import { pageCount, pageFromParam, Pagination } from '../components/pagination';
import { errorMessage, QueryError } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { formatInteger, formatMonth } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Visitas';
const PAGE_SIZE = 25;
const SEARCH_INPUT_ID = 'visit-search-q';
const PENDING_ID = 'visit-search-pending';

/** The case a 409 ASG-5 names: the credit already has an open case. */
function openCaseIdOf(error: unknown): number | null {
  if (!isApiError(error) || error.status !== 409) return null;
  const details = error.details as { rule?: unknown; caseId?: unknown } | undefined;
  return details?.rule === 'ASG-5' && typeof details.caseId === 'number' ? details.caseId : null;
}

function SearchForm({ initialQuery, initialPending, onSearch }: { initialQuery: string; initialPending: boolean; onSearch: (query: string, pending: boolean) => void }) {
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onSearch(String(data.get('q') ?? '').trim(), data.get('pendientes') === 'si');
  }
  return (
    <form role="search" aria-label="Buscar cuentas por visitar" className="search visit-search" onSubmit={handleSubmit}>
      <div className="field search__field">
        <label htmlFor={SEARCH_INPUT_ID}>Número de crédito o nombre del acreditado</label>
        <input id={SEARCH_INPUT_ID} name="q" type="search" autoComplete="off" spellCheck={false} defaultValue={initialQuery} maxLength={100} />
      </div>
      <div className="choice choice--single visit-search__pending">
        <input id={PENDING_ID} name="pendientes" type="checkbox" value="si" defaultChecked={initialPending} aria-describedby={`${PENDING_ID}-hint`} />
        <div className="choice__text">
          <label htmlFor={PENDING_ID}>Sólo pendientes</label>
          <span id={`${PENDING_ID}-hint`} className="field__hint">
            Sin visita o con la mediación ofrecida sin respuesta.
          </span>
        </div>
      </div>
      <button type="submit" className="button button--primary search__button">
        Buscar
      </button>
    </form>
  );
}

function VisitsTable({
  page,
  onOpen,
  opening,
}: {
  page: VisitPage;
  onOpen: (account: VisitAccount) => void;
  opening: string | null;
}) {
  return (
    <div className="table-wrap">
      <table className="results" role="table" data-testid="visit-list">
        <caption>Cuentas por visitar{page.month === null ? '' : ` (asignación de ${formatMonth(page.month)})`}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Crédito</th>
            <th scope="col" role="columnheader">Acreditado</th>
            <th scope="col" role="columnheader">Domicilio</th>
            <th scope="col" role="columnheader">Tipo de convenio</th>
            <th scope="col" role="columnheader" className="numeric">Omisos</th>
            <th scope="col" role="columnheader">Caso</th>
            <th scope="col" role="columnheader">Visita</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {page.rows.map((account) => (
            <tr key={account.creditNumber} role="row" data-testid="visit-row" data-credit={account.creditNumber}>
              <td role="cell" data-label="Crédito" className="results__credit">
                <Link to={`/creditos/${account.creditNumber}`}>{account.creditNumber}</Link>
              </td>
              <td role="cell" data-label="Acreditado" className="results__text">
                {account.borrowerName}
              </td>
              <td role="cell" data-label="Domicilio" className="results__text">
                {account.address}
              </td>
              <td role="cell" data-label="Tipo de convenio" className="results__text">
                {CONVENIO_TYPE_LABELS[account.convenioType] ?? account.convenioType}
              </td>
              <td role="cell" data-label="Omisos" className="numeric">
                {formatInteger(account.monthsInArrears)}
              </td>
              <td role="cell" data-label="Caso">
                {account.caseState === null ? (
                  <span className="muted">Sin visita</span>
                ) : (
                  <CaseStateChip state={account.caseState} label={account.caseStateLabel ?? account.caseState} testId="visit-case-state" />
                )}
              </td>
              <td role="cell" data-label="Visita" className="visit-list__action">
                {account.caseId === null ? (
                  <button
                    type="button"
                    className="button button--primary"
                    onClick={() => onOpen(account)}
                    disabled={opening !== null}
                    aria-busy={opening === account.creditNumber}
                  >
                    {opening === account.creditNumber ? 'Abriendo…' : 'Registrar visita'}
                    <span className="visually-hidden"> del crédito {account.creditNumber}</span>
                  </button>
                ) : (
                  <Link to={`/casos/${account.caseId}`} className="button button--secondary">
                    Ver caso<span className="visually-hidden"> del crédito {account.creditNumber}</span>
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * /visitas?q=…&pendientes=si&pagina=… — the accounts of the agency's latest month to visit (act. 2),
 * each with its case; "Registrar visita" opens the credit's case and goes to it.
 */
export function VisitsPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const allowed = hasRole(user.role, VISIT_ROLES);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const query = (searchParams.get('q') ?? '').trim();
  const pending = searchParams.get('pendientes') === 'si';
  const currentPage = pageFromParam(searchParams.get('pagina'));
  const offset = (currentPage - 1) * PAGE_SIZE;
  const feedbackRef = useRef<HTMLDivElement>(null);
  // The key of a submission that got no answer: retried with the same key (applied once).
  const unanswered = useRef<{ creditNumber: string; key: string } | null>(null);

  const visits = useQuery({
    queryKey: [...visitsQueryKey, { q: query, pending, offset }],
    queryFn: ({ signal }) => listVisits({ q: query, pending, limit: PAGE_SIZE, offset }, signal),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });

  const open = useMutation({
    mutationFn: (creditNumber: string) => {
      const previous = unanswered.current;
      const key = previous !== null && previous.creditNumber === creditNumber ? previous.key : newIdempotencyKey();
      unanswered.current = { creditNumber, key };
      return openCase(creditNumber, key);
    },
    onSuccess: (detail) => {
      unanswered.current = null;
      queryClient.setQueryData(caseQueryKey(detail.id), detail);
      void queryClient.invalidateQueries({ queryKey: visitsQueryKey });
      void navigate(`/casos/${detail.id}`);
    },
    onError: (error) => {
      if (!isNetworkError(error)) unanswered.current = null;
      // ASG-5: the credit keeps the case it has open — that is where the visit is recorded.
      const existing = openCaseIdOf(error);
      if (existing !== null) {
        void navigate(`/casos/${existing}`);
        return;
      }
      feedbackRef.current?.focus();
    },
  });

  if (!allowed) return <NotAllowed title={TITLE} />;

  function search(nextQuery: string, nextPending: boolean) {
    const params = new URLSearchParams();
    if (nextQuery !== '') params.set('q', nextQuery);
    if (nextPending) params.set('pendientes', 'si');
    setSearchParams(params);
  }

  function goToPage(page: number) {
    const params = new URLSearchParams(searchParams);
    if (page <= 1) params.delete('pagina');
    else params.set('pagina', String(page));
    setSearchParams(params);
  }

  const page = visits.data;
  const isLoading = visits.isPending || visits.isPlaceholderData;
  const isEmpty = page !== undefined && page.rows.length === 0;
  const opening = open.isPending ? (open.variables ?? null) : null;

  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead">
        {user.role === 'field_agent'
          ? 'Sus cuentas asignadas: en la visita ofrezca las soluciones y, si no acepta ninguna, la mediación (act. 2–4).'
          : 'Las cuentas asignadas a su agencia y el estado de su caso de mediación (act. 2–4).'}
      </p>
      <SearchForm key={`${query}|${pending}`} initialQuery={query} initialPending={pending} onSearch={search} />

      <div ref={feedbackRef} tabIndex={-1} className="form-feedback">
        {open.isError && openCaseIdOf(open.error) === null && (
          <div role="alert" className="notice notice--error" data-testid="visit-open-error">
            <p>
              No se pudo abrir el caso del crédito {open.variables}: {errorMessage(open.error)}
            </p>
          </div>
        )}
      </div>

      <div className="results-area" aria-busy={visits.isFetching}>
        <div role="status" className="status" data-testid="visit-list-summary">
          {isLoading
            ? 'Cargando cuentas…'
            : page !== undefined && !isEmpty
              ? `${accountCount(page.total)}${pending ? ' pendientes' : ''}${query === '' ? '' : ` para «${query}»`}. Se muestran del ${formatInteger(offset + 1)} al ${formatInteger(offset + page.rows.length)}.`
              : ''}
        </div>
        {visits.isError && <QueryError error={visits.error} onRetry={() => void visits.refetch()} />}
        {isEmpty && !isLoading && (
          <p className="notice" data-testid="visit-list-empty">
            {page.month === null
              ? 'Su agencia todavía no tiene cuentas asignadas.'
              : query !== ''
                ? `No hay cuentas para «${query}».`
                : pending
                  ? 'No tiene cuentas pendientes de visita.'
                  : 'No hay cuentas asignadas.'}
          </p>
        )}
        {page !== undefined && !isEmpty && (
          <>
            <VisitsTable page={page} onOpen={(account) => open.mutate(account.creditNumber)} opening={opening} />
            <Pagination currentPage={currentPage} totalPages={pageCount(page.total, PAGE_SIZE)} onGoTo={goToPage} />
          </>
        )}
      </div>
    </>
  );
}
