import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { getConvenio, isApiError } from '../api/client';
import type { ConvenioAction, ConvenioDetail } from '../api/types';
import { CONVENIO_TYPE_LABELS, hasRole } from '../assignment-labels';
import { CASE_FILE_READ_ROLES } from '../casefile-labels';
import { CONVENIO_LIST_ROLES, CONVENIO_READ_ROLES, DOCUMENT_UPLOAD_ROLES } from '../convenio-labels';
import { ConvenioActions, convenioQueryKey } from '../components/convenio-actions';
import { ConvenioDocuments } from '../components/convenio-documents';
import {
  ConvenioCjaSection,
  ConvenioCreditSection,
  ConvenioFirstPaymentSection,
  ConvenioHistory,
  ConvenioPdfLinks,
  ConvenioReviewSection,
  ConvenioStatusChip,
  ConvenioSummary,
  ConvenioTermsSection,
} from '../components/convenio-sections';
import { DetailLoadError, DetailNotFound, useWrittenNotice, WrittenNotice } from '../components/detail-page';
import { NotAllowed } from '../components/not-allowed';
import { Loading } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { formatCents, formatDate } from '../format';
import { useCurrentUser } from '../session';

const CONVENIO_ID = /^\d{1,9}$/;
const NOT_FOUND_TITLE = 'Convenio no encontrado';

function BackLink() {
  const user = useCurrentUser();
  if (!hasRole(user.role, CONVENIO_LIST_ROLES)) {
    return (
      <Link to="/" className="back-link">
        Volver al inicio
      </Link>
    );
  }
  return (
    <Link to="/convenios" className="back-link">
      Volver a los convenios
    </Link>
  );
}

function ConvenioNotFound() {
  return <DetailNotFound title={NOT_FOUND_TITLE} testId="convenio-not-found" message="No existe un convenio con ese número dentro de su alcance." backLink={<BackLink />} />;
}

/** What was just recorded, in Spanish, for the status line. */
function writtenMessage(detail: ConvenioDetail, action: ConvenioAction): string {
  switch (action) {
    case 'submit_documents':
      return `Se envió a la DR el convenio ${detail.folio} con sus documentos. Estado: «${detail.statusLabel}».`;
    case 'request_corrections':
      return `Se solicitaron correcciones al mediador${detail.review.dl11DueOn === null ? '' : `; debe responder a más tardar el ${formatDate(detail.review.dl11DueOn)} (DL-11)`}.`;
    case 'approve':
      return `Solución aprobada: la reestructura se aplicó al crédito ${detail.creditNumber}. Primer pago de ${formatCents(detail.firstPayment.amountCents)} a más tardar el ${formatDate(detail.firstPayment.dueOn)}.`;
    case 'record_cja_registration':
      return `Se registró el convenio ante el CJA${detail.cja === null ? '' : ` (${detail.cja.centre}, registro ${detail.cja.registrationNumber})`}.`;
  }
}

function ConvenioDetailView({ id }: { id: number }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: convenioQueryKey(id), queryFn: ({ signal }) => getConvenio(id, signal) });
  const notice = useWrittenNotice();
  const notFound = query.isError && isApiError(query.error) && query.error.status === 404;
  const title = query.data === undefined ? `Convenio ${id}` : `Convenio ${query.data.folio}`;
  useDocumentTitle(notFound ? NOT_FOUND_TITLE : title);

  if (query.isPending) return <Loading label="Cargando convenio…" />;
  if (query.isError) {
    if (notFound) return <ConvenioNotFound />;
    return <DetailLoadError title={title} error={query.error} onRetry={() => void query.refetch()} backLink={<BackLink />} />;
  }

  const detail = query.data;
  const onWritten = (next: ConvenioDetail, action: ConvenioAction) => notice.setWritten({ text: writtenMessage(next, action), version: next.version });
  const onReload = () => {
    notice.setWritten(null);
    void queryClient.invalidateQueries({ queryKey: convenioQueryKey(id) });
  };

  return (
    <>
      <p>
        <BackLink />
      </p>
      <h1>
        Convenio <span data-testid="convenio-folio">{detail.folio}</span>
      </h1>
      <p className="lead" data-testid="convenio-borrower">
        {detail.borrowerName}
      </p>
      <ul className="case-header" data-testid="convenio-header" aria-label="Situación del convenio">
        <li>
          <ConvenioStatusChip status={detail.status} label={detail.statusLabel} testId="convenio-header-status" />
        </li>
        <li>
          Crédito{' '}
          <Link to={`/creditos/${detail.creditNumber}`} data-testid="convenio-credit-link">
            {detail.creditNumber}
          </Link>
        </li>
        <li data-testid="convenio-header-type">{CONVENIO_TYPE_LABELS[detail.convenioType] ?? detail.convenioType}</li>
        <li data-testid="convenio-header-solution">
          {detail.solutionId} {detail.solutionName}
        </li>
        {/* Act. 28: the signed convenio's case file (EXP-1). */}
        {hasRole(user.role, CASE_FILE_READ_ROLES) && (
          <li>
            <Link to={`/expedientes/${detail.caseId}`} data-testid="convenio-case-file-link">
              Expediente
            </Link>
          </li>
        )}
      </ul>

      <WrittenNotice notice={notice} version={detail.version} testId="convenio-written" />

      <section className="section" aria-labelledby="convenio-actions-title" data-testid="convenio-actions">
        <h2 id="convenio-actions-title">Registrar</h2>
        <ConvenioActions key={detail.version} detail={detail} onWritten={onWritten} onReload={onReload} />
      </section>

      <section className="section" aria-labelledby="convenio-pdfs-title">
        <h2 id="convenio-pdfs-title">Convenio y acuse (PDF)</h2>
        <ConvenioPdfLinks detail={detail} />
      </section>

      <div className="detail-grid case-grid convenio-grid">
        <ConvenioDocuments
          caseId={detail.caseId}
          documents={detail.documents}
          canUpload={hasRole(user.role, DOCUMENT_UPLOAD_ROLES)}
          onUploaded={() => queryClient.invalidateQueries({ queryKey: convenioQueryKey(id) })}
        />
        <ConvenioTermsSection detail={detail} />
        <ConvenioCreditSection detail={detail} />
        <ConvenioSummary detail={detail} />
        <ConvenioReviewSection detail={detail} />
        <ConvenioFirstPaymentSection detail={detail} />
        <ConvenioCjaSection detail={detail} />
        <ConvenioHistory detail={detail} />
      </div>
    </>
  );
}

/** /convenios/:convenioId — one signed convenio: terms, review, first payment, documents, history and the user's steps. */
export function ConvenioDetailPage() {
  const user = useCurrentUser();
  const { convenioId = '' } = useParams();
  if (!hasRole(user.role, CONVENIO_READ_ROLES)) return <NotAllowed title="Convenio de mediación" />;
  if (!CONVENIO_ID.test(convenioId)) return <ConvenioNotFound />;
  // key: another convenio starts from a clean view.
  return <ConvenioDetailView key={convenioId} id={Number(convenioId)} />;
}
