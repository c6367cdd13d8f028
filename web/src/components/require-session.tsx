import { Navigate, Outlet, useLocation } from 'react-router';
import { CurrentUserContext, useSessionQuery } from '../session';
import { PublicLayout } from './public-layout';
import { QueryError } from './query-state';
import { useDocumentTitle } from './use-document-title';

function SessionPending() {
  useDocumentTitle('Cargando');
  return (
    <PublicLayout>
      <p role="status" className="status">
        Cargando…
      </p>
    </PublicLayout>
  );
}

/**
 * Route element of every page that needs a signed-in user. Without a session (or when any request
 * answers 401) the user goes to /ingresar and comes back here after signing in.
 */
export function RequireSession() {
  const session = useSessionQuery();
  const location = useLocation();

  if (session.isPending) return <SessionPending />;
  if (session.isError) {
    return (
      <PublicLayout>
        <QueryError error={session.error} onRetry={() => void session.refetch()} />
      </PublicLayout>
    );
  }
  if (session.data === null) {
    const from = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to="/ingresar" replace state={{ from }} />;
  }
  return (
    <CurrentUserContext.Provider value={session.data.user}>
      <Outlet />
    </CurrentUserContext.Provider>
  );
}
