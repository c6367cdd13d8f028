/**
 * The documents of a case (SPEC §6 EXP-1..3; acts. 22, 27, 28): every version of every type, each
 * with its download link, and the upload form — a new upload of a type is a new version, the old
 * one is kept. The convenio page (act. 22) and the case-file page (act. 28) show the same list and
 * form; each says which types it asks for first. The server checks the file (type, content, size)
 * and answers in Spanish; that answer is shown as is.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { documentContentUrl, uploadCaseDocument } from '../api/client';
import type { CaseDocument, DocumentType } from '../api/types';
import { ACTOR_ROLE_LABELS } from '../case-labels';
import { DOCUMENT_TYPE_LABELS, DOCUMENT_TYPES, documentFileProblem, documentMediaTypeOf, formatFileSize, MAX_DOCUMENT_BYTES } from '../convenio-labels';
import { formatDate } from '../format';
import { describedBy, FieldError, SelectField, useFieldProblem } from './case-action-form';
import { errorMessage } from './query-state';

function DocumentList({ documents }: { documents: readonly CaseDocument[] }) {
  if (documents.length === 0) {
    return (
      <p className="muted" data-testid="no-documents">
        El caso todavía no tiene documentos cargados.
      </p>
    );
  }
  // The server's order: by type, the newest version first.
  return (
    <ul className="document-list" data-testid="document-list">
      {documents.map((document) => (
        <li
          key={document.id}
          className={`document-list__item${document.current ? '' : ' document-list__item--old'}`}
          data-testid="document"
          data-type={document.documentType}
          data-version={document.version}
          data-current={document.current}
        >
          <p className="document-list__title">
            {document.documentTypeLabel}{' '}
            <span className={`state-chip${document.current ? ' state-chip--on' : ''}`}>
              {document.current ? `Versión ${document.version} vigente` : `Versión ${document.version}, reemplazada`}
            </span>
          </p>
          <p className="document-list__file">
            <a href={documentContentUrl(document.id)} target="_blank" rel="noopener" data-testid="document-download">
              {document.fileName}
              <span className="visually-hidden"> ({document.documentTypeLabel}, versión {document.version}; se abre en otra pestaña)</span>
            </a>
          </p>
          <p className="timeline__meta">
            Cargado el {formatDate(document.uploadedOn)} por {document.uploadedBy} ({ACTOR_ROLE_LABELS[document.uploadedRole] ?? document.uploadedRole}) ·{' '}
            {formatFileSize(document.sizeBytes)} · SHA-256 <span className="document-list__hash">{document.sha256.slice(0, 12)}…</span>
          </p>
        </li>
      ))}
    </ul>
  );
}

/** A request, from outside the form, to upload a document of one type (the checklist's «Cargar»). */
export interface UploadRequest {
  type: DocumentType;
  /** A new number for every request, so asking twice for the same type moves the focus again. */
  sequence: number;
}

function UploadForm({
  caseId,
  documents,
  suggestedTypes,
  typeHint,
  request,
  onUploaded,
}: {
  caseId: number;
  documents: readonly CaseDocument[];
  suggestedTypes: readonly DocumentType[];
  typeHint: string;
  request: UploadRequest | null;
  onUploaded: () => Promise<void>;
}) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const formRef = useRef<HTMLFormElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);
  const missing = suggestedTypes.find((type) => !documents.some((document) => document.documentType === type));
  const [type, setType] = useState<DocumentType | ''>(missing ?? '');
  const [uploaded, setUploaded] = useState<CaseDocument | null>(null);
  const typeId = `${id}-type`;
  const fileId = `${id}-file`;
  const fileHintId = `${fileId}-hint`;
  const fileErrorId = `${fileId}-error`;

  // A new request from the checklist chooses its type (while rendering, as React advises) and
  // then moves the focus to the file to choose.
  const [seenRequest, setSeenRequest] = useState(request);
  if (request !== seenRequest) {
    setSeenRequest(request);
    if (request !== null) setType(request.type);
  }
  useEffect(() => {
    if (request !== null) fileRef.current?.focus();
  }, [request]);

  const upload = useMutation({
    mutationFn: (input: { documentType: DocumentType; file: File }) => {
      const mediaType = documentMediaTypeOf(input.file);
      if (mediaType === undefined) throw new Error('unreachable: the file was checked before');
      return uploadCaseDocument(caseId, { documentType: input.documentType, fileName: input.file.name.trim(), mediaType, content: input.file });
    },
    onSuccess: async (document) => {
      setUploaded(document);
      formRef.current?.reset();
      const next = suggestedTypes.find((item) => item !== document.documentType && !documents.some((existing) => existing.documentType === item));
      setType(next ?? '');
      await onUploaded();
      feedbackRef.current?.focus();
    },
    onError: () => {
      setUploaded(null);
      feedbackRef.current?.focus();
    },
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (upload.isPending) return;
    clear();
    upload.reset();
    setUploaded(null);
    if (type === '') return void fail(typeId, 'Elija el tipo de documento.');
    const file = fileRef.current?.files?.[0];
    if (file === undefined) return void fail(fileId, 'Elija el archivo digitalizado.');
    const problem = documentFileProblem(file);
    if (problem !== null) return void fail(fileId, problem);
    upload.mutate({ documentType: type, file });
  }

  const fileError = errorFor(fileId);
  return (
    <form ref={formRef} className="form case-form document-upload" onSubmit={handleSubmit} noValidate aria-busy={upload.isPending} data-testid="document-upload-form">
      <h3>Cargar un documento</h3>
      <SelectField
        id={typeId}
        label="Tipo de documento"
        emptyOption="Elija el tipo"
        value={type}
        onChange={(value) => setType(value as DocumentType | '')}
        options={DOCUMENT_TYPES.map((value) => ({ value, label: DOCUMENT_TYPE_LABELS[value] }))}
        hint={typeHint}
        error={errorFor(typeId)}
      />
      <div className="field">
        <label htmlFor={fileId}>
          Archivo <span className="field__required">(obligatorio)</span>
        </label>
        <input
          ref={fileRef}
          id={fileId}
          type="file"
          accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
          aria-required
          aria-invalid={fileError !== undefined}
          aria-describedby={describedBy(fileError !== undefined && fileErrorId, fileHintId)}
        />
        <span id={fileHintId} className="field__hint">
          PDF, JPEG o PNG de hasta {MAX_DOCUMENT_BYTES / 1024 / 1024} MB. Una nueva carga del mismo tipo es una nueva versión: la anterior se conserva.
        </span>
        <FieldError id={fileErrorId} message={fileError} />
      </div>
      <div ref={feedbackRef} tabIndex={-1} className="form-feedback">
        {upload.isError && (
          <div role="alert" className="notice notice--error" data-testid="document-upload-error">
            <p>{errorMessage(upload.error)}</p>
          </div>
        )}
        <div role="status" className={uploaded === null ? 'status' : 'notice notice--success'} data-testid="document-uploaded">
          {upload.isPending
            ? 'Cargando el documento…'
            : uploaded === null
              ? ''
              : `Se cargó «${uploaded.fileName}» como ${uploaded.documentTypeLabel.toLowerCase()}, versión ${uploaded.version}.`}
        </div>
      </div>
      <div>
        <button type="submit" className="button button--primary case-form__submit" disabled={upload.isPending}>
          {upload.isPending ? 'Cargando…' : 'Cargar el documento'}
        </button>
      </div>
    </form>
  );
}

/**
 * The case's documents and, with `canUpload` (the roles that build the file; the server decides
 * anyway), the upload form that proposes the first of `suggestedTypes` not yet uploaded.
 */
export function CaseDocuments({
  caseId,
  documents,
  canUpload,
  onUploaded,
  suggestedTypes,
  typeHint,
  testId,
  request = null,
}: {
  caseId: number;
  documents: readonly CaseDocument[];
  canUpload: boolean;
  onUploaded: () => Promise<unknown>;
  suggestedTypes: readonly DocumentType[];
  /** Under the type: what the page needs uploaded. */
  typeHint: string;
  /** The section's data-testid; its heading id derives from it. */
  testId: string;
  request?: UploadRequest | null;
}) {
  const queryClient = useQueryClient();
  const headingId = `${testId}-title`;
  return (
    <section className="section card section--wide" aria-labelledby={headingId} data-testid={testId}>
      <h2 id={headingId}>Documentos del caso</h2>
      <DocumentList documents={documents} />
      {canUpload && (
        <UploadForm
          caseId={caseId}
          documents={documents}
          suggestedTypes={suggestedTypes}
          typeHint={typeHint}
          request={request}
          onUploaded={async () => {
            await Promise.all([onUploaded(), queryClient.invalidateQueries({ queryKey: ['case-documents', caseId] })]);
          }}
        />
      )}
    </section>
  );
}
