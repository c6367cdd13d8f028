import { Link } from 'react-router';
import { useDocumentTitle } from '../components/use-document-title';

export function NotFoundPage() {
  useDocumentTitle('Página no encontrada');
  return (
    <>
      <h1>Página no encontrada</h1>
      <p className="notice">La dirección que abrió no existe en Cobranza Social.</p>
      <p>
        <Link to="/" className="back-link">
          Ir al inicio
        </Link>
      </p>
    </>
  );
}
