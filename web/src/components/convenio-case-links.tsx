/**
 * What the case page links to about convenios: the preliminary convenio of each solution the DR
 * handed over (acts. 12–13, CNV-3) for the mediator and the DR, and, once the case is signed
 * (act. 20), its convenio page (acts. 22–27).
 */
import { Link } from 'react-router';
import { draftConvenioPdfUrl } from '../api/client';
import type { CaseDetail } from '../api/types';
import { hasRole } from '../assignment-labels';
import { solutionLabel } from '../case-labels';
import { CONVENIO_READ_ROLES, CONVENIO_STATUS_LABELS, DRAFT_CONVENIO_ROLES } from '../convenio-labels';
import { formatDate } from '../format';
import { useCurrentUser } from '../session';
import { ConvenioStatusChip } from './convenio-sections';

function SignedConvenioLink({ detail }: { detail: CaseDetail }) {
  const convenio = detail.convenio;
  if (convenio === null) {
    return <p className="muted">El convenio firmado de este caso no está en su alcance.</p>;
  }
  return (
    <div className="notice convenio-link" data-testid="case-convenio">
      <p>
        <Link to={`/convenios/${convenio.id}`} className="convenio-link__anchor" data-testid="case-convenio-link">
          Ver el convenio {convenio.folio}
        </Link>{' '}
        <ConvenioStatusChip status={convenio.status} label={CONVENIO_STATUS_LABELS[convenio.status]} testId="case-convenio-status" />
      </p>
      <p className="timeline__meta">
        {detail.facts.solutionId ? `${solutionLabel(detail.facts.solutionId)} · ` : ''}firmado el {detail.facts.signedOn ? formatDate(detail.facts.signedOn) : '—'}. Envío a la DR,
        revisión, aprobación y primer pago: en la página del convenio (acts. 22–27).
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
