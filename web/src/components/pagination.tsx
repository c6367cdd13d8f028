import { formatInteger } from '../format';

/** ?pagina= is 1-based; anything that is not a positive whole number means the first page. */
export function pageFromParam(value: string | null): number {
  if (value === null || !/^\d{1,6}$/.test(value)) return 1;
  const page = Number(value);
  return page >= 1 ? page : 1;
}

export function pageCount(total: number, limit: number): number {
  return Math.max(1, Math.ceil(total / limit));
}

/** Previous / "Página n de m" / next. */
export function Pagination({
  currentPage,
  totalPages,
  onGoTo,
  label = 'Paginación de resultados',
}: {
  currentPage: number;
  totalPages: number;
  onGoTo: (page: number) => void;
  label?: string;
}) {
  const hasPrevious = currentPage > 1;
  const hasNext = currentPage < totalPages;
  // aria-disabled instead of disabled keeps focus on the button when the last page is reached.
  return (
    <nav className="pagination" aria-label={label}>
      <button
        type="button"
        className="button button--secondary"
        aria-disabled={!hasPrevious}
        onClick={() => hasPrevious && onGoTo(currentPage - 1)}
      >
        Anterior
      </button>
      <p className="pagination__position" data-testid="page-position">
        Página {formatInteger(Math.min(currentPage, totalPages))} de {formatInteger(totalPages)}
      </p>
      <button
        type="button"
        className="button button--secondary"
        aria-disabled={!hasNext}
        onClick={() => hasNext && onGoTo(currentPage + 1)}
      >
        Siguiente
      </button>
    </nav>
  );
}
