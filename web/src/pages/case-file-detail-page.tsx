import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { getCaseFile, type CaseFileAction, type CaseFileDetail } from '../api/casefiles';
import { isApiError } from '../api/client';
import type { DocumentType } from '../api/types';
import { hasRole } from '../assignment-labels';
import { CASE_READ_ROLES } from '../case-labels';
import { ARCHIVE_ROLES, CASE_FILE_LIST_ROLES, CASE_FILE_READ_ROLES, CASE_FILE_UPLOAD_ROLES, missingDocumentTypes } from '../casefile-labels';
import { CONVENIO_READ_ROLES } from '../convenio-labels';
import { CaseDocuments, type UploadRequest } from '../components/case-documents';
import { CaseFileActions } from '../components/case-file-actions';
import {
  caseFileQueryKey,
  CaseFileChecklistSection,
  CaseFileDueDates,
  CaseFileHistory,
  CaseFileProgress,
  CaseFileShipmentSection,
  CaseFileStatusChip,
} from '../components/case-file-sections';
import { DetailLoadError, DetailNotFound, useWrittenNotice, WrittenNotice } from '../components/detail-page';
import { NotAllowed } from '../components/not-allowed';
import { Loading } from '../components/query-state';
import { useDocumentTitle } from '../components/use-document-title';
import { formatDate } from '../format';
import { useCurrentUser } from '../session';

const CASE_ID = /^\d{1,9}$/;
const NOT_FOUND_TITLE = 'Expediente no encontrado';

function BackLink() {
  const user = useCurrentUser();
  if (!hasRole(user.role, CASE_FILE_LIST_ROLES)) {
    return (
      <Link to="/" className="back-link">
        Volver al inicio
      </Link>
    );
  }
  return (
    <Link to="/expedientes" className="back-link">
      Volver a los expedientes
    </Link>
  );
}

function CaseFileNotFound() {
  return (
    <DetailNotFound
      title={NOT_FOUND_TITLE}
      testId="case-file-not-found"
      message="No existe un expediente de ese caso dentro de su alcance: el expediente se integra cuando el caso tiene resultado (sesión celebrada, con o sin convenio)."
      backLink={<BackLink />}
    />
  );
}

/** What was just recorded, in Spanish, for the status line. */
function writtenMessage(detail: CaseFileDetail, action: CaseFileAction): string {
  const due = (rule: string) => detail.dueDates.find((item) => item.rule === rule)?.dueOn;
  switch (action) {
    case 'submit':
      return `Se entregó el expediente a la DR. Estado: «${detail.statusLabel}».`;
    case 'request_corrections': {
      const answerBy = due('DL-13.answer');
      return `Se solicitaron correcciones al mediador${answerBy === undefined ? '' : `; debe responder a más tardar el ${formatDate(answerBy)} (DL-13)`}.`;
    }
    case 'accept':
      return `Se aceptó el expediente. Estado: «${detail.statusLabel}».`;
    case 'record_certificates': {
      const validateBy = due('DL-14');
      return `Se registró la recepción de las constancias${validateBy === undefined ? '' : `; valide el pago a más tardar el ${formatDate(validateBy)} (DL-14)`}.`;
    }
    case 'validate_fees':
      return `Se validó el pago de derechos u honorarios. Estado: «${detail.statusLabel}».`;
    case 'mark_digitised':
      return 'Se registró la digitalización: el expediente está listo para enviarse al archivo (act. 35).';
  }
}

function CaseFileDetailView({ caseId }: { caseId: number }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: caseFileQueryKey(caseId), queryFn: ({ signal }) => getCaseFile(caseId, signal) });
  const notice = useWrittenNotice();
  const [uploadRequest, setUploadRequest] = useState<UploadRequest | null>(null);
  const notFound = query.isError && isApiError(query.error) && query.error.status === 404;
  const title = query.data === undefined ? `Expediente del caso ${caseId}` : `Expediente del crédito ${query.data.case.creditNumber}`;
  useDocumentTitle(notFound ? NOT_FOUND_TITLE : title);

  if (query.isPending) return <Loading label="Cargando expediente…" />;
  if (query.isError) {
    if (notFound) return <CaseFileNotFound />;
    return <DetailLoadError title={title} error={query.error} onRetry={() => void query.refetch()} backLink={<BackLink />} />;
  }

  const detail = query.data;
  // The file's documents are the case's: they are uploaded while the file is open (EXP-3).
  const canUpload = hasRole(user.role, CASE_FILE_UPLOAD_ROLES) && detail.status !== 'shipped' && detail.status !== 'archived';
  const version = detail.version ?? 0;
  const onWritten = (next: CaseFileDetail, action: CaseFileAction) => notice.setWritten({ text: writtenMessage(next, action), version: next.version ?? 0 });
  const onReload = () => {
    notice.setWritten(null);
    void queryClient.invalidateQueries({ queryKey: caseFileQueryKey(caseId) });
  };
  const requestUpload = (type: DocumentType) => setUploadRequest((previous) => ({ type, sequence: (previous?.sequence ?? 0) + 1 }));

  return (
    <>
      <p>
        <BackLink />
      </p>
      <h1>
        Expediente del crédito <span data-testid="case-file-credit-number">{detail.case.creditNumber}</span>
      </h1>
      <p className="lead" data-testid="case-file-borrower">
        {detail.case.borrowerName}
      </p>
      <ul className="case-header" data-testid="case-file-header" aria-label="Situación del expediente">
        <li>
          <CaseFileStatusChip status={detail.status} label={detail.statusLabel} testId="case-file-header-status" />
        </li>
        <li data-testid="case-file-header-outcome">{detail.outcomeLabel} ({detail.checklist.rule})</li>
        <li data-testid="case-file-header-type">{detail.convenioTypeLabel}</li>
        {detail.case.convenio !== null && hasRole(user.role, CONVENIO_READ_ROLES) && (
          <li>
            <Link to={`/convenios/${detail.case.convenio.id}`} data-testid="case-file-convenio-link">
              Convenio {detail.case.convenio.folio}
            </Link>
          </li>
        )}
        {hasRole(user.role, CASE_READ_ROLES) && (
          <li>
            <Link to={`/casos/${detail.caseId}`} data-testid="case-file-case-link">
              Ver el caso
            </Link>
          </li>
        )}
      </ul>

      <WrittenNotice notice={notice} version={version} testId="case-file-written" />

      <CaseFileChecklistSection detail={detail} onUpload={canUpload ? requestUpload : null} />

      <section className="section" aria-labelledby="case-file-actions-title" data-testid="case-file-actions">
        <h2 id="case-file-actions-title">Registrar</h2>
        <CaseFileActions key={version} detail={detail} onWritten={onWritten} onReload={onReload} builds={user.role === 'mediator'} />
      </section>

      <div className="detail-grid case-grid convenio-grid">
        <CaseDocuments
          caseId={detail.caseId}
          documents={detail.documents}
          canUpload={canUpload}
          onUploaded={() => queryClient.invalidateQueries({ queryKey: caseFileQueryKey(caseId) })}
          suggestedTypes={missingDocumentTypes(detail.checklist, detail.documents)}
          typeHint={
            detail.outcome === 'signed'
              ? 'El expediente con convenio (EXP-1) lleva el convenio firmado, el acuse, las identificaciones de las partes y del mediador, el acuerdo de confidencialidad y, si aplica, la constancia del CJA y el comprobante de pago.'
              : 'El expediente sin convenio (EXP-2) lleva las identificaciones y el acuerdo de confidencialidad.'
          }
          testId="case-file-documents"
          request={uploadRequest}
        />
        <CaseFileDueDates detail={detail} />
        <CaseFileProgress detail={detail} />
        <CaseFileShipmentSection detail={detail} linkToShipment={hasRole(user.role, ARCHIVE_ROLES)} />
        <CaseFileHistory detail={detail} />
      </div>
    </>
  );
}

/** /expedientes/:caseId — the case file of a case with an outcome: checklist, documents, review, archive. */
export function CaseFileDetailPage() {
  const user = useCurrentUser();
  const { caseId = '' } = useParams();
  if (!hasRole(user.role, CASE_FILE_READ_ROLES)) return <NotAllowed title="Expediente" />;
  if (!CASE_ID.test(caseId)) return <CaseFileNotFound />;
  // key: another case starts from a clean view.
  return <CaseFileDetailView key={caseId} caseId={Number(caseId)} />;
}
