/**
 * What the case page links to about convenios: the preliminary convenio of each solution the DR
 * handed over (acts. 12–13, CNV-3) for the mediator and the DR, and, once the case is signed
 * (act. 20), its convenio page (acts. 22–27).
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { draftConvenioPdfUrl, listConvenios } from '../api/client';
import type { CaseDetail, ConvenioListItem } from '../api/types';
import { hasRole } from '../assignment-labels';
import { solutionLabel } from '../case-labels';
import { CONVENIO_READ_ROLES, DRAFT_CONVENIO_ROLES } from '../convenio-labels';
import { formatDate } from '../format';
import { useCurrentUser } from '../session';
import { conveniosQueryKey } from './convenio-actions';
import { ConvenioStatusChip } from './convenio-sections';
import { QueryError } from './query-state';

/**
 * The convenio of this case among the credit's: the case detail does not carry its id, so it is
 * found by the credit number; the folio ends with the case number (CM-YYYY-0000123), and the
 * signature date tells rounds apart otherwise.
 */
function convenioOfCase(rows: readonly ConvenioListItem[], detail: CaseDetail): ConvenioListItem | undefined {
  const suffix = `-${String(detail.id).padStart(7, '0')}`;
  const ofCredit = rows.filter((row) => row.creditNumber === detail.creditNumber);
  return ofCredit.find((row) => row.folio.endsWith(suffix)) ?? ofCredit.find((row) => row.signedOn === detail.facts.signedOn);
}

function SignedConvenioLink({ detail }: { detail: CaseDetail }) {
  const convenios = useQuery({
    queryKey: [...conveniosQueryKey, { queue: 'all', q: detail.creditNumber, offset: 0 }],
    queryFn: ({ signal }) => listConvenios({ queue: 'all', q: detail.creditNumber, limit: 25, offset: 0 }, signal),
    // The signature (act. 20) has just created it: a list read before is not trusted.
    staleTime: 0,
  });
  if (convenios.isPending) {
    return (
      <p role="status" className="status">
        Buscando el convenio…
      </p>
    );
  }
  if (convenios.isError) return <QueryError error={convenios.error} onRetry={() => void convenios.refetch()} />;
  const convenio = convenioOfCase(convenios.data.rows, detail);
  if (convenio === undefined) {
    return <p className="muted">El convenio firmado de este caso no está en su alcance.</p>;
  }
  return (
    <div className="notice convenio-link" data-testid="case-convenio">
      <p>
        <Link to={`/convenios/${convenio.id}`} className="convenio-link__anchor" data-testid="case-convenio-link">
          Ver el convenio {convenio.folio}
        </Link>{' '}
        <ConvenioStatusChip status={convenio.status} label={convenio.statusLabel} testId="case-convenio-status" />
      </p>
      <p className="timeline__meta">
        {solutionLabel(convenio.solutionId)} · firmado el {formatDate(convenio.signedOn)}. Envío a la DR, revisión, aprobación y primer pago: en la página
        del convenio (acts. 22–27).
      </p>
    </div>
  );
}

/** Nothing when neither applies to the user and the case. */
export function CaseConvenioLinks({ detail }: { detail: CaseDetail }) {
  const user = useCurrentUser();
  const drafts = detail.facts.draftSolutionIds ?? [];
  const showDrafts = hasRole(user.role, DRAFT_CONVENIO_ROLES) && drafts.length > 0;
  const showConvenio = detail.state === 'signed' && hasRole(user.role, CONVENIO_READ_ROLES);
  if (!showDrafts && !showConvenio) return null;
  return (
    <section className="section" aria-labelledby="case-convenio-title" data-testid="case-convenio-section">
      <h2 id="case-convenio-title">Convenio</h2>
      {showConvenio && <SignedConvenioLink detail={detail} />}
      {showDrafts && (
        <>
          <h3>Convenios preliminares (acts. 12–13)</h3>
          <p className="field__hint">
            Uno por cada solución disponible para el crédito, con sus datos y términos de hoy
            {detail.facts.draftsProvidedOn === undefined ? '' : `; entregados por la DR el ${formatDate(detail.facts.draftsProvidedOn)}`}.
          </p>
          <ul className="downloads plain-downloads" data-testid="draft-convenios">
            {drafts.map((solutionId) => (
              <li key={solutionId}>
                <a className="button button--secondary" href={draftConvenioPdfUrl(detail.id, solutionId)} target="_blank" rel="noopener" data-testid="draft-convenio" data-solution={solutionId}>
                  {solutionLabel(solutionId)} (PDF)<span className="visually-hidden"> — convenio preliminar; se abre en otra pestaña</span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
