import { Link } from 'react-router';
import { useDocumentTitle } from './use-document-title';

/** A page the user's role does not open (the server would refuse its data too). */
export function NotAllowed({ title }: { title: string }) {
  useDocumentTitle(title);
  return (
    <>
      <h1>{title}</h1>
      <div className="notice" data-testid="not-allowed">
        <p>Su rol no tiene acceso a esta página.</p>
        <p>
          <Link to="/">Volver al inicio</Link>
        </p>
      </div>
    </>
  );
}
