/**
 * The steps of acts. 22–27 the signed-in user may take now — only those the server lists in
 * `actions` — each with its form: the mediator sends the scan and the ID to the DR (act. 22) or
 * answers a correction request (act. 24) and registers a Ratified convenio before the CJA (act. 27);
 * the DR manager asks for corrections (act. 24) or approves the solution, which applies the
 * restructure to the credit (act. 25, CNV-4).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { applyConvenioAction } from '../api/client';
import type { ConvenioAction, ConvenioActionInputs, ConvenioActionOption, ConvenioDetail } from '../api/types';
import { CONVENIO_ACTION_ACTIVITIES, currentDocument, DOCUMENT_TYPE_LABELS, REVIEW_DOCUMENT_TYPES } from '../convenio-labels';
import { formatBasisPoints, formatCents, formatDate, formatDecimalText, isIsoDate, todayInMexicoCity } from '../format';
import { ActionForm } from './action-form';
import { describedBy, FieldError, InputField, SelectField, useFieldProblem } from './case-action-form';

export const conveniosQueryKey = ['convenios'] as const;

export function convenioQueryKey(id: number) {
  return ['convenio', id] as const;
}

/** One action with its input, as a form prepares it. */
export type PreparedConvenioAction = { [A in ConvenioAction]: { action: A; input: ConvenioActionInputs[A] } }[ConvenioAction];

export type OnConvenioWritten = (detail: ConvenioDetail, action: ConvenioAction) => void;

interface ConvenioFormProps {
  detail: ConvenioDetail;
  onWritten: OnConvenioWritten;
  onReload: () => void;
}

/**
 * The frame of every convenio form: a convenio action with its `Idempotency-Key`, "Recargar el
 * convenio" when it changed meanwhile. The reply replaces the cached convenio; the lists, the credit
 * and its cases are refreshed (an approval changes the credit, CNV-4).
 */
function ConvenioActionForm({
  detail,
  prepare,
  submitLabel,
  onWritten,
  onReload,
  children,
  testId,
}: ConvenioFormProps & { prepare: () => PreparedConvenioAction | null; submitLabel: string; children: ReactNode; testId: string }) {
  const queryClient = useQueryClient();
  const convenioId = detail.id;
  return (
    <ActionForm
      version={detail.version}
      send={(prepared: PreparedConvenioAction, version, key) => applyConvenioAction(convenioId, prepared.action, { version, input: prepared.input } as never, key)}
      onSuccess={(written: ConvenioDetail, prepared) => {
        queryClient.setQueryData(convenioQueryKey(convenioId), written);
        onWritten(written, prepared.action);
        return Promise.all([
          queryClient.invalidateQueries({ queryKey: conveniosQueryKey }),
          queryClient.invalidateQueries({ queryKey: ['credit', written.creditNumber] }),
          queryClient.invalidateQueries({ queryKey: ['credit-solutions', written.creditNumber] }),
          queryClient.invalidateQueries({ queryKey: ['case', written.caseId] }),
        ]);
      }}
      prepare={prepare}
      submitLabel={submitLabel}
      onReload={onReload}
      reloadLabel="Recargar el convenio"
      errorTestId="convenio-action-error"
      testId={testId}
    >
      {children}
    </ActionForm>
  );
}

/** A labelled text area with its hint and error (the case-file forms use it too). */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  hint,
  error,
  required = false,
  maxLength,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  maxLength: number;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} {required && <span className="field__required">(obligatorio)</span>}
      </label>
      <textarea
        id={id}
        rows={3}
        value={value}
        maxLength={maxLength}
        aria-required={required || undefined}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(error !== undefined && errorId, hint !== undefined && hintId)}
        onChange={(event) => onChange(event.target.value)}
      />
      {hint !== undefined && (
        <span id={hintId} className="field__hint">
          {hint}
        </span>
      )}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

// --- act. 22 / act. 24 (mediator) -------------------------------------------------------------------

function SubmitDocumentsForm({ detail, onWritten, onReload }: ConvenioFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [note, setNote] = useState('');
  const noteId = `${id}-note`;
  const answering = detail.status === 'corrections_requested';
  const requestedOn = detail.review.correctionsRequestedOn;
  const lastRequest = [...detail.history].reverse().find((event) => event.action === 'request_corrections');
  const reason = (lastRequest?.data as { reason?: unknown } | undefined)?.reason;

  function prepare(): PreparedConvenioAction | null {
    clear();
    // A missing document is the server's to refuse (act. 22): its message names what is missing.
    if (answering && requestedOn !== null) {
      const newUpload = REVIEW_DOCUMENT_TYPES.some((type) => (currentDocument(detail.documents, type)?.uploadedOn ?? '') >= requestedOn);
      if (!newUpload && note.trim().length < 10) {
        return fail(noteId, 'Atienda la solicitud de la DR: cargue el documento corregido o escriba la aclaración (al menos 10 caracteres) (act. 24).');
      }
    }
    const trimmed = note.trim();
    return { action: 'submit_documents', input: trimmed === '' ? {} : { note: trimmed } };
  }

  return (
    <ConvenioActionForm detail={detail} prepare={prepare} submitLabel={answering ? 'Enviar la respuesta a la DR' : 'Enviar a la DR'} onWritten={onWritten} onReload={onReload} testId="submit-documents-form">
      {answering && (
        <div className="notice notice--warning" data-testid="corrections-requested">
          <p>
            La DR solicitó correcciones el {requestedOn === null ? '' : formatDate(requestedOn)}
            {detail.review.dl11DueOn === null ? '' : `; respóndalas a más tardar el ${formatDate(detail.review.dl11DueOn)} (DL-11)`}.
          </p>
          {typeof reason === 'string' && <p>Motivo: {reason}</p>}
        </div>
      )}
      {!answering && detail.review.dl9DueOn !== null && (
        <p className="field__hint">Envíelos el mismo día de la firma: a más tardar el {formatDate(detail.review.dl9DueOn)} (DL-9).</p>
      )}
      <ul className="check-list" data-testid="review-documents">
        {REVIEW_DOCUMENT_TYPES.map((type) => {
          const document = currentDocument(detail.documents, type);
          return (
            <li key={type} className={`check-list__item check-list__item--${document === undefined ? 'missing' : 'ok'}`} data-testid="review-document" data-type={type} data-ready={document !== undefined}>
              <span className="check-list__mark" aria-hidden="true">
                {document === undefined ? '✗' : '✓'}
              </span>
              <span>
                {DOCUMENT_TYPE_LABELS[type]}:{' '}
                {document === undefined ? 'falta cargarlo (abajo, en «Documentos del caso»)' : `${document.fileName}, versión ${document.version}, cargado el ${formatDate(document.uploadedOn)}`}
              </span>
            </li>
          );
        })}
      </ul>
      <TextAreaField
        id={noteId}
        label={answering ? 'Aclaración para la DR' : 'Nota para la DR'}
        value={note}
        onChange={setNote}
        maxLength={2000}
        hint={answering ? 'Si no cargó un documento corregido, explique la aclaración (al menos 10 caracteres).' : 'Opcional.'}
        error={errorFor(noteId)}
      />
    </ConvenioActionForm>
  );
}

// --- act. 24 (DR manager) ------------------------------------------------------------------------------

function RequestCorrectionsForm({ detail, onWritten, onReload }: ConvenioFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [reason, setReason] = useState('');
  const reasonId = `${id}-reason`;

  function prepare(): PreparedConvenioAction | null {
    clear();
    if (reason.trim().length < 10) return fail(reasonId, 'Describa los cambios o aclaraciones que solicita al mediador (al menos 10 caracteres) (act. 24).');
    return { action: 'request_corrections', input: { reason: reason.trim() } };
  }

  return (
    <ConvenioActionForm detail={detail} prepare={prepare} submitLabel="Solicitar correcciones" onWritten={onWritten} onReload={onReload} testId="request-corrections-form">
      <p className="field__hint">
        Si el contenido del convenio o la identificación no son correctos, pida los cambios o aclaraciones
        {detail.review.dl10DueOn === null ? '' : ` a más tardar el ${formatDate(detail.review.dl10DueOn)} (DL-10)`}; el mediador responde al día siguiente (DL-11).
      </p>
      <TextAreaField id={reasonId} label="Cambios o aclaraciones que solicita" value={reason} onChange={setReason} maxLength={4000} error={errorFor(reasonId)} required />
    </ConvenioActionForm>
  );
}

// --- act. 25 (DR manager) ------------------------------------------------------------------------------

function ApproveForm({ detail, onWritten, onReload }: ConvenioFormProps) {
  const id = useId();
  const [note, setNote] = useState('');
  const noteId = `${id}-note`;
  const { terms } = detail;

  function prepare(): PreparedConvenioAction {
    const trimmed = note.trim();
    return { action: 'approve', input: trimmed === '' ? {} : { note: trimmed } };
  }

  return (
    <ConvenioActionForm detail={detail} prepare={prepare} submitLabel="Aprobar y aplicar la reestructura" onWritten={onWritten} onReload={onReload} testId="approve-form">
      <p className="field__hint">
        Revise el convenio digitalizado y la identificación (abajo, en «Documentos del caso»).
        {detail.review.dl12DueOn === null ? '' : ` Apruebe a más tardar el ${formatDate(detail.review.dl12DueOn)} (DL-12).`}
      </p>
      <div className="notice" data-testid="approve-effect">
        <p>Al aprobar se aplican al crédito {detail.creditNumber}, en pesos (CNV-4):</p>
        <ul className="plain-list">
          <li>saldo {formatCents(terms.balanceAfterCents)};</li>
          <li>mensualidad {formatCents(terms.monthlyPaymentCents)}, factor de pago {formatDecimalText(terms.paymentFactor)}, tasa {formatBasisPoints(terms.interestRateBp)};</li>
          <li>{terms.termMonths} mensualidades por pagar, y la marca de reestructura activa (EXC-3).</li>
        </ul>
        <p>Se informa a la agencia y al mediador, y el acreditado recibe el monto y el plazo del primer pago ({formatCents(terms.firstPaymentCents)}).</p>
      </div>
      <TextAreaField id={noteId} label="Nota de la aprobación" value={note} onChange={setNote} maxLength={2000} hint="Opcional." />
    </ConvenioActionForm>
  );
}

// --- act. 27 (mediator) --------------------------------------------------------------------------------

function CjaRegistrationForm({ detail, onWritten, onReload }: ConvenioFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const today = todayInMexicoCity();
  const [centre, setCentre] = useState('');
  const [number, setNumber] = useState('');
  const [registeredOn, setRegisteredOn] = useState(today);
  const certificates = detail.documents.filter((document) => document.documentType === 'cja_certificate');
  const [certificate, setCertificate] = useState(certificates.find((document) => document.current)?.id.toString() ?? '');
  const centreId = `${id}-centre`;
  const numberId = `${id}-number`;
  const dateId = `${id}-date`;
  const certificateId = `${id}-certificate`;
  const approvedOn = detail.review.approvedOn;

  function prepare(): PreparedConvenioAction | null {
    clear();
    if (centre.trim().length < 3) return fail(centreId, 'Indique el centro (al menos 3 caracteres).');
    if (number.trim() === '') return fail(numberId, 'Indique el número de registro.');
    if (!isIsoDate(registeredOn)) return fail(dateId, 'Indique la fecha de registro.');
    if (registeredOn > today) return fail(dateId, `La fecha de registro no puede ser posterior a hoy (${formatDate(today)}).`);
    if (approvedOn !== null && registeredOn < approvedOn) return fail(dateId, `El registro ante el CJA es posterior a la aprobación de la solución (${formatDate(approvedOn)}) (act. 27).`);
    return {
      action: 'record_cja_registration',
      input: {
        centre: centre.trim(),
        registrationNumber: number.trim(),
        registeredOn,
        ...(certificate === '' ? {} : { certificateDocumentId: Number(certificate) }),
      },
    };
  }

  return (
    <ConvenioActionForm detail={detail} prepare={prepare} submitLabel="Registrar ante el CJA" onWritten={onWritten} onReload={onReload} testId="cja-form">
      <InputField id={centreId} label="Centro de Justicia Alternativa" value={centre} onChange={setCentre} maxLength={200} error={errorFor(centreId)} required />
      <div className="form-grid">
        <InputField id={numberId} label="Número de registro" value={number} onChange={setNumber} maxLength={60} error={errorFor(numberId)} required />
        <InputField
          id={dateId}
          label="Fecha de registro"
          type="date"
          value={registeredOn}
          onChange={setRegisteredOn}
          min={approvedOn ?? undefined}
          max={today}
          hint={approvedOn === null ? undefined : `Desde la aprobación (${formatDate(approvedOn)}) y no después de hoy.`}
          error={errorFor(dateId)}
          required
        />
      </div>
      <SelectField
        id={certificateId}
        label="Constancia de registro"
        emptyOption={certificates.length === 0 ? 'Sin constancia cargada' : 'Sin constancia'}
        value={certificate}
        onChange={setCertificate}
        options={certificates.map((document) => ({ value: String(document.id), label: `${document.fileName} (versión ${document.version})` }))}
        hint="Cargue la constancia abajo, como «Constancia de registro ante el CJA», para poder elegirla."
        required={false}
      />
    </ConvenioActionForm>
  );
}

function formFor(option: ConvenioActionOption, props: ConvenioFormProps): ReactNode {
  switch (option.action) {
    case 'submit_documents':
      return <SubmitDocumentsForm {...props} />;
    case 'request_corrections':
      return <RequestCorrectionsForm {...props} />;
    case 'approve':
      return <ApproveForm {...props} />;
    case 'record_cja_registration':
      return <CjaRegistrationForm {...props} />;
  }
}

/** The DR manager reads the request form after the approval: approving is the usual outcome. */
const ORDER: Record<ConvenioAction, number> = { submit_documents: 0, approve: 1, request_corrections: 2, record_cja_registration: 3 };

/**
 * The forms of the actions in `detail.actions`. Give it `key={detail.version}`: after each write the
 * forms start again from the new status.
 */
export function ConvenioActions({ detail, onWritten, onReload }: ConvenioFormProps) {
  if (detail.actions.length === 0) {
    return (
      <p className="notice" data-testid="no-convenio-actions">
        No hay pasos del convenio que le correspondan registrar ahora.
      </p>
    );
  }
  const options = [...detail.actions].sort((a, b) => ORDER[a.action] - ORDER[b.action]);
  return (
    <ul className="case-actions">
      {options.map((option) => (
        <li key={option.action} className="case-action convenio-action" data-testid="convenio-action" data-action={option.action}>
          <h3 className="convenio-action__title">
            {option.label} <span className="case-action__activity">({CONVENIO_ACTION_ACTIVITIES[option.action]})</span>
          </h3>
          <div className="case-action__body">{formFor(option, { detail, onWritten, onReload })}</div>
        </li>
      ))}
    </ul>
  );
}
