/**
 * The documents of the case behind a convenio (SPEC §6 EXP-3; acts. 22, 27): the shared list and
 * upload form, proposing first what goes to the DR with the convenio (act. 22).
 */
import type { CaseDocument } from '../api/types';
import { REVIEW_DOCUMENT_TYPES } from '../convenio-labels';
import { CaseDocuments } from './case-documents';

/** `canUpload` for the roles that build the case file (the server decides anyway). */
export function ConvenioDocuments({
  caseId,
  documents,
  canUpload,
  onUploaded,
}: {
  caseId: number;
  documents: readonly CaseDocument[];
  canUpload: boolean;
  onUploaded: () => Promise<void>;
}) {
  return (
    <CaseDocuments
      caseId={caseId}
      documents={documents}
      canUpload={canUpload}
      onUploaded={onUploaded}
      suggestedTypes={REVIEW_DOCUMENT_TYPES}
      typeHint="Para enviar a la DR (act. 22) se necesitan el convenio firmado digitalizado y la identificación oficial del acreditado."
      testId="convenio-documents"
    />
  );
}
