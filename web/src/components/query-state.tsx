import { isApiError } from '../api/client';

export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  return 'Ocurrió un error inesperado. Intente de nuevo.';
}

/** A failed request, in Spanish, with a way to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div role="alert" className="notice notice--error">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Reintentar
        </button>
      )}
    </div>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <p role="status" className="status">
      {label}
    </p>
  );
}
