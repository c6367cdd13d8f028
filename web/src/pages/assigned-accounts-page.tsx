import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { listAssignedAccounts } from '../api/client';
import type { AssignedAccountPage, Month } from '../api/types';
import { ASSIGNMENT_FILE_ROLES, hasRole } from '../assignment-labels';
import { DownloadLinks } from '../components/download-links';
import { MonthField } from '../components/month-field';
import { NotAllowed } from '../components/not-allowed';
import { pageCount, pageFromParam, Pagination } from '../components/pagination';
import { QueryError } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { currentMonth, formatDate, formatInteger, formatMonth, isMonth } from '../format';
import { useCurrentUser } from '../session';

const TITLE = 'Cuentas asignadas';
const PAGE_SIZE = 25;
const MONTH_INPUT_ID = 'accounts-month';

function AccountsTable({ page, showAgency }: { page: AssignedAccountPage; showAgency: boolean }) {
  return (
    <div className="table-wrap">
      <table className="results" role="table" data-testid="assigned-accounts">
        <caption>Cuentas asignadas{page.month === null ? '' : ` en ${formatMonth(page.month)}`}</caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">Crédito</th>
            <th scope="col" role="columnheader">Acreditado</th>
            <th scope="col" role="columnheader">Delegación</th>
            {showAgency && <th scope="col" role="columnheader">Agencia</th>}
            <th scope="col" role="columnheader">Tipo de convenio</th>
            <th scope="col" role="columnheader">Fecha de asignación</th>
            <th scope="col" role="columnheader">Asesor</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {page.items.map((account) => (
            <tr key={account.creditNumber} role="row" data-testid="assigned-account-row">
              <td role="cell" data-label="Crédito" className="results__credit">
                <Link to={`/creditos/${account.creditNumber}`}>{account.creditNumber}</Link>
              </td>
              <td role="cell" data-label="Acreditado">{account.borrowerName}</td>
              <td role="cell" data-label="Delegación">{account.delegation}</td>
              {showAgency && (
                <td role="cell" data-label="Agencia">
                  {account.agency}
                </td>
              )}
              <td role="cell" data-label="Tipo de convenio">{account.convenioTypeLabel}</td>
              <td role="cell" data-label="Fecha de asignación" className="nowrap">
                {formatDate(account.assignedOn)}
              </td>
              <td role="cell" data-label="Asesor">
                {account.fieldAgent ?? <span className="muted">Sin asesor</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MonthForm({ initial, onChoose }: { initial: Month; onChoose: (month: Month) => void }) {
  const [month, setMonth] = useState(initial);
  const [invalid, setInvalid] = useState(false);
  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isMonth(month)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    onChoose(month);
  }
  return (
    <form className="inline-form" onSubmit={handleSubmit} noValidate aria-label="Elegir el mes">
      <MonthField id={MONTH_INPUT_ID} label="Mes de la asignación" value={month} onChange={setMonth} />
      <button type="submit" className="button button--secondary inline-form__button">
        Ver mes
      </button>
      {invalid && (
        <p role="alert" className="notice notice--error inline-form__error">
          Escriba el mes con la forma AAAA-MM.
        </p>
      )}
    </form>
  );
}

function summaryText(page: AssignedAccountPage, offset: number): string {
  if (page.total === 0 || page.month === null || page.items.length === 0) return '';
  const noun = page.total === 1 ? 'cuenta asignada' : 'cuentas asignadas';
  const first = formatInteger(offset + 1);
  const last = formatInteger(offset + page.items.length);
  return `${formatInteger(page.total)} ${noun} en ${formatMonth(page.month)}. Se muestran de la ${first} a la ${last}.`;
}

export function AssignedAccountsPage() {
  useDocumentTitle(TITLE);
  const user = useCurrentUser();
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('mes');
  const month = requested !== null && isMonth(requested) ? requested : undefined;
  const currentPage = pageFromParam(searchParams.get('pagina'));
  const offset = (currentPage - 1) * PAGE_SIZE;
  const isBorrower = user.role === 'borrower';

  const accounts = useQuery({
    queryKey: ['assigned-accounts', { month, limit: PAGE_SIZE, offset }],
    queryFn: ({ signal }) => listAssignedAccounts({ month, limit: PAGE_SIZE, offset }, signal),
    placeholderData: keepPreviousData,
    enabled: !isBorrower,
  });

  if (isBorrower) return <NotAllowed title={TITLE} />;

  function chooseMonth(next: Month) {
    setSearchParams(new URLSearchParams({ mes: next }));
  }

  function goToPage(page: number) {
    const params = new URLSearchParams(searchParams);
    if (page <= 1) params.delete('pagina');
    else params.set('pagina', String(page));
    setSearchParams(params);
  }

  const page = accounts.data;
  const isLoading = accounts.isPending || accounts.isPlaceholderData;
  const shownMonth = page?.month ?? null;
  const showAgency = user.scope.kind !== 'agency' && user.scope.kind !== 'field_agent';
  const canDownload = hasRole(user.role, ASSIGNMENT_FILE_ROLES);

  return (
    <>
      <h1>{TITLE}</h1>
      <p className="lead" data-testid="assigned-month">
        {shownMonth === null ? (
          isLoading ? (
            'Cargando…'
          ) : (
            'Todavía no hay una asignación publicada.'
          )
        ) : (
          <>
            Asignación de <strong>{formatMonth(shownMonth)}</strong>
          </>
        )}
      </p>

      <div className="toolbar">
        {/* key: a month chosen elsewhere (back button, a notice's link) shows in the box. */}
        <MonthForm key={month ?? shownMonth ?? ''} initial={month ?? shownMonth ?? currentMonth()} onChoose={chooseMonth} />
        {canDownload && shownMonth !== null && page !== undefined && page.total > 0 && <DownloadLinks month={shownMonth} />}
      </div>

      <div className="results-area" aria-busy={accounts.isFetching}>
        <div role="status" className="status" data-testid="assigned-summary">
          {isLoading ? 'Cargando cuentas…' : page !== undefined ? summaryText(page, offset) : ''}
        </div>

        {accounts.isError && <QueryError error={accounts.error} onRetry={() => void accounts.refetch()} />}

        {page !== undefined && page.items.length === 0 && !isLoading && (
          <div className="notice" data-testid="assigned-empty">
            <p>
              {page.month === null
                ? 'Aún no se ha publicado ninguna asignación.'
                : `No hay cuentas asignadas a su alcance en ${formatMonth(page.month)}${currentPage > 1 ? ' en esta página' : ''}.`}
            </p>
          </div>
        )}

        {page !== undefined && page.items.length > 0 && (
          <>
            <AccountsTable page={page} showAgency={showAgency} />
            <Pagination
              currentPage={currentPage}
              totalPages={pageCount(page.total, PAGE_SIZE)}
              onGoTo={goToPage}
              label="Paginación de cuentas asignadas"
            />
          </>
        )}
      </div>
    </>
  );
}
