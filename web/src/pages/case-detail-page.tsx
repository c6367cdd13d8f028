import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { getCase, isApiError } from '../api/client';
import type { CaseAction, CaseDetail } from '../api/types';
import { hasRole } from '../assignment-labels';
import { CASE_READ_ROLES, dayLabel } from '../case-labels';
import { CASE_FILE_READ_ROLES, hasCaseFile } from '../casefile-labels';
import { caseQueryKey } from '../components/case-action-form';
import { CaseActions } from '../components/case-actions';
import { CaseConvenioLinks } from '../components/convenio-case-links';
import {
  CaseBreaches,
  CaseContactSection,
  CaseDueDates,
  CaseHistory,
  CaseMessages,
  CaseStateChip,
  CaseSummary,
} from '../components/case-sections';
import { DetailLoadError, DetailNotFound, useWrittenNotice, WrittenNotice } from '../components/detail-page';
import { NotAllowed } from '../components/not-allowed';
import { Loading } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { useCurrentUser } from '../session';

const CASE_ID = /^\d{1,9}$/;
const NOT_FOUND_TITLE = 'Caso no encontrado';

function BackLink() {
  const user = useCurrentUser();
  if (user.role === 'field_agent') {
    return (
      <Link to="/visitas" className="back-link">
        Volver a las visitas
      </Link>
    );
  }
  return (
    <Link to="/casos" className="back-link">
      Volver a los casos
    </Link>
  );
}

function CaseNotFound() {
  return <DetailNotFound title={NOT_FOUND_TITLE} testId="case-not-found" message="No existe un caso con ese número dentro de su alcance." backLink={<BackLink />} />;
}

/** What was just recorded, in Spanish, for the status line. */
function writtenMessage(detail: CaseDetail, action: CaseAction): string {
  const label = [...detail.events].reverse().find((event) => event.action === action)?.label ?? 'la actividad';
  switch (action) {
    case 'record_acceptance':
    case 'mark_accepted':
      return `Se registró la aceptación: el caso está «${detail.stateLabel}», día ${detail.day ?? 0}. Dígale al acreditado que un mediador lo contactará.`;
    case 'record_solution_at_visit':
      return 'Se registró la solución que aceptó el acreditado; el caso termina sin mediación.';
    case 'record_refusal':
      return 'Se registró la negativa a la mediación; el caso termina.';
    case 'distribute':
      return `Se distribuyó el caso a ${detail.mediatorName ?? 'el mediador'}.`;
    case 'send_summons':
      return 'Se registró el envío de la convocatoria; el envío queda como evidencia del caso.';
    default:
      return `Se registró: ${label}. Estado: «${detail.stateLabel}».`;
  }
}

function CaseDetailView({ id }: { id: number }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: caseQueryKey(id), queryFn: ({ signal }) => getCase(id, signal) });
  const notice = useWrittenNotice();
  const notFound = query.isError && isApiError(query.error) && query.error.status === 404;
  const title = query.data === undefined ? `Caso ${id}` : `Caso del crédito ${query.data.creditNumber}`;
  useDocumentTitle(notFound ? NOT_FOUND_TITLE : title);

  if (query.isPending) return <Loading label="Cargando caso…" />;
  if (query.isError) {
    if (notFound) return <CaseNotFound />;
    return <DetailLoadError title={title} error={query.error} onRetry={() => void query.refetch()} backLink={<BackLink />} />;
  }

  const detail = query.data;
  const onWritten = (next: CaseDetail, action: CaseAction) => notice.setWritten({ text: writtenMessage(next, action), version: next.version });
  const onReload = () => {
    notice.setWritten(null);
    void queryClient.invalidateQueries({ queryKey: caseQueryKey(id) });
  };

  return (
    <>
      <p>
        <BackLink />
      </p>
      <h1>
        Caso del crédito <span data-testid="case-credit-number">{detail.creditNumber}</span>
      </h1>
      <p className="lead" data-testid="case-borrower">
        {detail.borrowerName}
      </p>
      <ul className="case-header" data-testid="case-header" aria-label="Situación del caso">
        <li data-testid="case-round">{detail.roundLabel}</li>
        <li>
          <CaseStateChip state={detail.state} label={detail.stateLabel} testId="case-header-state" />
        </li>
        <li data-testid="case-header-day">{dayLabel(detail.day)}</li>
        {/* Act. 28: a case with an outcome has its case file (EXP-1, EXP-2). */}
        {hasRole(user.role, CASE_FILE_READ_ROLES) && hasCaseFile(detail.state, (detail.facts.sessionsHeld ?? 0) > 0) && (
          <li>
            <Link to={`/expedientes/${detail.id}`} data-testid="case-file-link">
              Expediente
            </Link>
          </li>
        )}
      </ul>

      <WrittenNotice notice={notice} version={detail.version} testId="case-written" />

      {/* Acts. 12–13: the preliminary convenios; act. 20 onwards: the signed convenio's own page. */}
      <CaseConvenioLinks detail={detail} />

      <section className="section" aria-labelledby="case-actions-title" data-testid="case-actions">
        <h2 id="case-actions-title">Registrar</h2>
        <CaseActions key={detail.version} detail={detail} onWritten={onWritten} onReload={onReload} />
      </section>

      <div className="detail-grid case-grid">
        <CaseSummary detail={detail} />
        <CaseDueDates detail={detail} />
        <CaseBreaches detail={detail} />
        <CaseContactSection detail={detail} />
        <CaseHistory detail={detail} />
        <CaseMessages detail={detail} />
      </div>
    </>
  );
}

/** /casos/:caseId — one mediation case: header, activities the user may record, deadlines, history. */
export function CaseDetailPage() {
  const user = useCurrentUser();
  const { caseId = '' } = useParams();
  if (!hasRole(user.role, CASE_READ_ROLES)) return <NotAllowed title="Caso de mediación" />;
  if (!CASE_ID.test(caseId)) return <CaseNotFound />;
  // key: another case starts from a clean view.
  return <CaseDetailView key={caseId} id={Number(caseId)} />;
}
