import type { UseQueryResult } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatDate, formatInteger } from '../format';
import { pageCount, pageFromParam, Pagination } from './pagination';
import { QueryError } from './query-state';

/** One work list of a role: its queue, its ?lista= value and its Spanish name. */
export interface WorkListOption {
  queue: string;
  param: string;
  label: string;
}

/** The tabs of the work lists; the current one is aria-current="page". */
export function QueueTabs<O extends WorkListOption>({
  label,
  testIdPrefix,
  options,
  current,
  hrefOf,
}: {
  label: string;
  /** Before `queue-${param}` in each tab's test id. */
  testIdPrefix: string;
  options: readonly O[];
  current: O['queue'];
  hrefOf: (option: O) => string;
}) {
  return (
    <nav className="queue-tabs" aria-label={label}>
      <ul className="queue-tabs__list">
        {options.map((option) => (
          <li key={option.queue}>
            <Link to={hrefOf(option)} className="queue-tabs__link" aria-current={option.queue === current ? 'page' : undefined} data-testid={`${testIdPrefix}queue-${option.param}`}>
              {option.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The search of a work list; `children` go before the search field (another filter). */
export function WorkListSearch({
  label,
  inputId,
  inputLabel,
  initialQuery,
  className = 'search',
  onSearch,
  children,
}: {
  label: string;
  inputId: string;
  inputLabel: string;
  initialQuery: string;
  className?: string;
  /** The trimmed text, and the whole form for the other filters. */
  onSearch: (query: string, data: FormData) => void;
  children?: ReactNode;
}) {
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    onSearch(String(data.get('q') ?? '').trim(), data);
  }
  return (
    <form role="search" aria-label={label} className={className} onSubmit={handleSubmit}>
      {children}
      <div className="field search__field">
        <label htmlFor={inputId}>{inputLabel}</label>
        <input id={inputId} name="q" type="search" autoComplete="off" spellCheck={false} defaultValue={initialQuery} maxLength={100} />
      </div>
      <button type="submit" className="button button--primary search__button">
        Buscar
      </button>
    </form>
  );
}

/** A date, or what stands in its place (muted). */
export function dateOr(value: string | null, none: string) {
  return value === null ? <span className="muted">{none}</span> : formatDate(value);
}

/** `${path}?lista=…&q=…&pagina=…`: the list, the search and the page of a work-list page. */
export function useWorkListParams(path: string, pageSize: number) {
  const [searchParams, setSearchParams] = useSearchParams();
  const query = (searchParams.get('q') ?? '').trim();
  const currentPage = pageFromParam(searchParams.get('pagina'));
  const offset = (currentPage - 1) * pageSize;

  function hrefOf(option: WorkListOption): string {
    const params = new URLSearchParams();
    params.set('lista', option.param);
    if (query !== '') params.set('q', query);
    return `${path}?${params.toString()}`;
  }

  function search(nextQuery: string, param: string) {
    const params = new URLSearchParams();
    params.set('lista', param);
    if (nextQuery !== '') params.set('q', nextQuery);
    setSearchParams(params);
  }

  function goToPage(page: number) {
    const params = new URLSearchParams(searchParams);
    if (page <= 1) params.delete('pagina');
    else params.set('pagina', String(page));
    setSearchParams(params);
  }

  return { listParam: searchParams.get('lista'), query, currentPage, offset, hrefOf, search, goToPage };
}

/** The results of a work list: the status line, the error, the empty notice, the table and the pages. */
export function WorkListResults<Row>({
  result,
  testIdPrefix,
  loadingText,
  summaryOf,
  emptyMessage,
  offset,
  currentPage,
  pageSize,
  onGoTo,
  renderTable,
}: {
  result: UseQueryResult<{ rows: Row[]; total: number }>;
  /** `${testIdPrefix}-summary` and `${testIdPrefix}-empty`. */
  testIdPrefix: string;
  loadingText: string;
  /** "<list>: <count>" */
  summaryOf: (total: number) => string;
  emptyMessage: string;
  offset: number;
  currentPage: number;
  pageSize: number;
  onGoTo: (page: number) => void;
  renderTable: (rows: Row[]) => ReactNode;
}) {
  const page = result.data;
  const isLoading = result.isPending || result.isPlaceholderData;
  const isEmpty = page !== undefined && page.rows.length === 0;
  return (
    <div className="results-area" aria-busy={result.isFetching}>
      <div role="status" className="status" data-testid={`${testIdPrefix}-summary`}>
        {isLoading
          ? loadingText
          : page !== undefined && !isEmpty
            ? `${summaryOf(page.total)}. Se muestran del ${formatInteger(offset + 1)} al ${formatInteger(offset + page.rows.length)}.`
            : ''}
      </div>
      {result.isError && <QueryError error={result.error} onRetry={() => void result.refetch()} />}
      {isEmpty && !isLoading && (
        <p className="notice" data-testid={`${testIdPrefix}-empty`}>
          {emptyMessage}
        </p>
      )}
      {page !== undefined && !isEmpty && (
        <>
          {renderTable(page.rows)}
          <Pagination currentPage={currentPage} totalPages={pageCount(page.total, pageSize)} onGoTo={onGoTo} />
        </>
      )}
    </div>
  );
}
