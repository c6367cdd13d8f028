import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { searchCredits } from '../api/client';
import type { CreditPage, Denomination } from '../api/types';
import { pageCount, pageFromParam, Pagination } from '../components/pagination';
import { QueryError } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { formatCents, formatInteger } from '../format';

const PAGE_SIZE = 25;
const SEARCH_INPUT_ID = 'credit-search-q';

const DENOMINATION_LABELS: Record<Denomination, string> = {
  VSM: 'VSM',
  MXN: 'Pesos',
};

function SearchForm({ initialQuery, onSearch }: { initialQuery: string; onSearch: (query: string) => void }) {
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onSearch(String(data.get('q') ?? '').trim());
  }

  return (
    <form role="search" aria-label="Buscar créditos" className="search" onSubmit={handleSubmit}>
      <div className="field search__field">
        <label htmlFor={SEARCH_INPUT_ID}>Número de crédito o nombre del acreditado</label>
        <input
          id={SEARCH_INPUT_ID}
          name="q"
          type="search"
          inputMode="search"
          autoComplete="off"
          spellCheck={false}
          defaultValue={initialQuery}
          maxLength={120}
        />
      </div>
      <button type="submit" className="button button--primary search__button">
        Buscar
      </button>
    </form>
  );
}

function ResultsTable({ page }: { page: CreditPage }) {
  return (
    <div className="table-wrap">
      <table className="results" role="table" data-testid="credit-results">
        <caption>Créditos encontrados</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Crédito</th>
            <th scope="col" role="columnheader">Acreditado</th>
            <th scope="col" role="columnheader">Delegación</th>
            <th scope="col" role="columnheader">Segmento</th>
            <th scope="col" role="columnheader">Denominación</th>
            <th scope="col" role="columnheader" className="numeric">Saldo</th>
            <th scope="col" role="columnheader" className="numeric">Omisos</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {page.items.map((credit) => (
            <tr key={credit.creditNumber} role="row" data-testid="credit-row">
              <td role="cell" data-label="Crédito" className="results__credit">
                <Link to={`/creditos/${credit.creditNumber}`}>{credit.creditNumber}</Link>
              </td>
              <td role="cell" data-label="Acreditado">{credit.borrowerName}</td>
              <td role="cell" data-label="Delegación">{credit.delegation.name}</td>
              <td role="cell" data-label="Segmento">{credit.segmentLabel}</td>
              <td role="cell" data-label="Denominación">{DENOMINATION_LABELS[credit.denomination]}</td>
              <td role="cell" data-label="Saldo" className="numeric">{formatCents(credit.balanceCents)}</td>
              <td role="cell" data-label="Omisos" className="numeric">{formatInteger(credit.monthsInArrears)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function resultsSummary(page: CreditPage, query: string): string {
  if (page.total === 0) return '';
  const first = page.offset + 1;
  const last = page.offset + page.items.length;
  const noun = page.total === 1 ? 'crédito' : 'créditos';
  const scope = query === '' ? '' : ` para «${query}»`;
  return `${formatInteger(page.total)} ${noun}${scope}. Se muestran del ${formatInteger(first)} al ${formatInteger(last)}.`;
}

export function CreditSearchPage() {
  useDocumentTitle('Cartera de créditos');
  const [searchParams, setSearchParams] = useSearchParams();
  const query = (searchParams.get('q') ?? '').trim();
  const currentPage = pageFromParam(searchParams.get('pagina'));
  const offset = (currentPage - 1) * PAGE_SIZE;

  const credits = useQuery({
    queryKey: ['credits', { q: query, limit: PAGE_SIZE, offset }],
    queryFn: ({ signal }) => searchCredits({ q: query, limit: PAGE_SIZE, offset }, signal),
    placeholderData: keepPreviousData,
  });

  function search(nextQuery: string) {
    const params = new URLSearchParams();
    if (nextQuery !== '') params.set('q', nextQuery);
    setSearchParams(params);
  }

  function goToPage(page: number) {
    const params = new URLSearchParams(searchParams);
    if (page <= 1) params.delete('pagina');
    else params.set('pagina', String(page));
    setSearchParams(params);
  }

  const page = credits.data;
  const isEmpty = page !== undefined && page.items.length === 0;
  // While another search or page loads, the previous rows stay on screen (keepPreviousData), but
  // the summary and the empty notice must not describe them as the answer to the new search.
  const isLoading = credits.isPending || credits.isPlaceholderData;

  return (
    <>
      <h1>Cartera de créditos</h1>
      {/* key: going back in history to another search shows that search's text in the box. */}
      <SearchForm key={query} initialQuery={query} onSearch={search} />

      <div className="results-area" aria-busy={credits.isFetching}>
        <div role="status" className="status" data-testid="results-summary">
          {isLoading
            ? 'Cargando créditos…'
            : page !== undefined && !isEmpty
              ? resultsSummary(page, query)
              : ''}
        </div>

        {credits.isError && <QueryError error={credits.error} onRetry={() => void credits.refetch()} />}

        {isEmpty && !isLoading && (
          <div className="notice" data-testid="empty-state">
            {query === '' ? (
              <p>No hay créditos en su alcance{currentPage > 1 ? ' en esta página' : ''}.</p>
            ) : (
              <p>
                No se encontraron créditos para «{query}»{currentPage > 1 ? ' en esta página' : ''}. Revise el
                número de crédito (10 dígitos) o escriba parte del nombre del acreditado.
              </p>
            )}
            {currentPage > 1 && (
              <p>
                <button type="button" className="button button--secondary" onClick={() => goToPage(1)}>
                  Ir a la primera página
                </button>
              </p>
            )}
          </div>
        )}

        {page !== undefined && !isEmpty && (
          <>
            <ResultsTable page={page} />
            <Pagination
              currentPage={currentPage}
              totalPages={pageCount(page.total, page.limit || PAGE_SIZE)}
              onGoTo={goToPage}
            />
          </>
        )}
      </div>
    </>
  );
}
