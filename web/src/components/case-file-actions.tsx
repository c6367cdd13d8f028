/**
 * The steps of acts. 28–31 and 35 the signed-in user may take now — only those the server lists in
 * `availableActions` — each with its form: the mediator delivers the file to the DR (act. 28) or
 * answers a correction request (act. 30); the DR manager asks for corrections (act. 30, DL-13),
 * accepts the file (act. 29), records the certificates and validates the fees (act. 31, DL-14) and
 * marks it digitised (act. 35, DL-15).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { applyCaseFileAction, type CaseFileAction, type CaseFileActionOption, type CaseFileDetail } from '../api/casefiles';
import { MIN_NOTE_LENGTH } from '../casefile-labels';
import { formatDate, isIsoDate, todayInMexicoCity } from '../format';
import { ActionForm } from './action-form';
import { archiveShipmentsQueryKey, caseFileQueryKey, caseFilesQueryKey } from './case-file-sections';
import { InputField, useFieldProblem } from './case-action-form';
import { TextAreaField } from './convenio-actions';

/** One action with its input, as a form prepares it. */
export interface PreparedCaseFileAction {
  action: CaseFileAction;
  input: { note?: string; receivedOn?: string };
}

export type OnCaseFileWritten = (detail: CaseFileDetail, action: CaseFileAction) => void;

interface CaseFileFormProps {
  detail: CaseFileDetail;
  onWritten: OnCaseFileWritten;
  onReload: () => void;
}

/** The due date of a rule, if the file has it. */
function dueOn(detail: CaseFileDetail, rule: string): string | undefined {
  return detail.dueDates.find((due) => due.rule === rule)?.dueOn;
}

/** An optional note: sent only when written. */
function withNote(action: CaseFileAction, note: string): PreparedCaseFileAction {
  const trimmed = note.trim();
  return { action, input: trimmed === '' ? {} : { note: trimmed } };
}

/**
 * The frame of every case-file form: the action with its `Idempotency-Key` on the version the user
 * saw (none before the first delivery), "Recargar el expediente" when it changed meanwhile. The
 * reply replaces the cached file; the lists and the case are refreshed.
 */
function CaseFileActionForm({
  detail,
  prepare,
  submitLabel,
  onWritten,
  onReload,
  children,
  testId,
}: CaseFileFormProps & { prepare: () => PreparedCaseFileAction | null; submitLabel: string; children: ReactNode; testId: string }) {
  const queryClient = useQueryClient();
  const caseId = detail.caseId;
  const firstDelivery = detail.version === null;
  return (
    <ActionForm
      version={detail.version ?? 0}
      send={(prepared: PreparedCaseFileAction, version, key) =>
        applyCaseFileAction(caseId, { action: prepared.action, ...(firstDelivery ? {} : { version }), ...prepared.input }, key)
      }
      onSuccess={(written: CaseFileDetail, prepared) => {
        queryClient.setQueryData(caseFileQueryKey(caseId), written);
        onWritten(written, prepared.action);
        return Promise.all([
          queryClient.invalidateQueries({ queryKey: caseFilesQueryKey }),
          queryClient.invalidateQueries({ queryKey: archiveShipmentsQueryKey }),
          queryClient.invalidateQueries({ queryKey: ['case', caseId] }),
        ]);
      }}
      prepare={prepare}
      submitLabel={submitLabel}
      onReload={onReload}
      reloadLabel="Recargar el expediente"
      errorTestId="case-file-action-error"
      testId={testId}
    >
      {children}
    </ActionForm>
  );
}

// --- acts. 28 and 30 (mediator) -----------------------------------------------------------------------

function SubmitForm({ detail, onWritten, onReload }: CaseFileFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [note, setNote] = useState('');
  const noteId = `${id}-note`;
  const answering = detail.status === 'corrections_requested';
  const lastRequest = [...detail.events].reverse().find((event) => event.action === 'request_corrections');
  const requestedOn = lastRequest?.onDate;
  const requestedAt = lastRequest?.recordedAt;
  const answerBy = dueOn(detail, 'DL-13.answer');
  const missing = detail.checklist.missing.length;

  function prepare(): PreparedCaseFileAction | null {
    clear();
    // A missing document is the server's to refuse (act. 28): its message names what is missing.
    if (answering && requestedAt !== undefined) {
      // ISO instants of the server compare as text: a version uploaded after the request.
      const newUpload = detail.documents.some((document) => document.current && document.uploadedAt > requestedAt);
      if (!newUpload && note.trim().length < MIN_NOTE_LENGTH) {
        return fail(noteId, `Atienda la solicitud de la DR: cargue el documento corregido o escriba la aclaración (al menos ${MIN_NOTE_LENGTH} caracteres) (act. 30).`);
      }
    }
    return withNote('submit', note);
  }

  return (
    <CaseFileActionForm
      detail={detail}
      prepare={prepare}
      submitLabel={answering ? 'Enviar la respuesta a la DR' : 'Entregar el expediente a la DR'}
      onWritten={onWritten}
      onReload={onReload}
      testId="case-file-submit-form"
    >
      {answering && (
        <div className="notice notice--warning" data-testid="case-file-corrections-requested">
          <p>
            La DR solicitó correcciones{requestedOn === undefined ? '' : ` el ${formatDate(requestedOn)}`}
            {answerBy === undefined ? '' : `; respóndalas a más tardar el ${formatDate(answerBy)} (DL-13)`}.
          </p>
          {lastRequest?.note && <p>Motivo: {lastRequest.note}</p>}
        </div>
      )}
      <p className="field__hint" data-testid="case-file-submit-missing">
        {missing === 0
          ? 'No falta ningún documento requerido.'
          : `${missing === 1 ? 'Todavía falta 1 punto requerido' : `Todavía faltan ${missing} puntos requeridos`} (arriba, en la lista): la DR sólo recibe expedientes completos (act. 28).`}
      </p>
      <TextAreaField
        id={noteId}
        label={answering ? 'Aclaración para la DR' : 'Nota para la DR'}
        value={note}
        onChange={setNote}
        maxLength={2000}
        hint={answering ? `Si no cargó un documento corregido, explique la aclaración (al menos ${MIN_NOTE_LENGTH} caracteres).` : 'Opcional.'}
        error={errorFor(noteId)}
      />
    </CaseFileActionForm>
  );
}

// --- act. 30 (DR manager) ------------------------------------------------------------------------------

function RequestCorrectionsForm({ detail, onWritten, onReload }: CaseFileFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [note, setNote] = useState('');
  const noteId = `${id}-note`;
  const requestBy = dueOn(detail, 'DL-13.request');

  function prepare(): PreparedCaseFileAction | null {
    clear();
    if (note.trim().length < MIN_NOTE_LENGTH) return fail(noteId, `Describa lo que el mediador debe corregir o completar (al menos ${MIN_NOTE_LENGTH} caracteres) (act. 30).`);
    return withNote('request_corrections', note);
  }

  return (
    <CaseFileActionForm detail={detail} prepare={prepare} submitLabel="Solicitar correcciones" onWritten={onWritten} onReload={onReload} testId="case-file-corrections-form">
      <p className="field__hint">
        Si el expediente está incompleto o algo no es correcto, pida las correcciones
        {requestBy === undefined ? '' : ` a más tardar el ${formatDate(requestBy)}`}; el mediador responde en 2 días (DL-13).
      </p>
      <TextAreaField id={noteId} label="Correcciones que solicita" value={note} onChange={setNote} maxLength={2000} error={errorFor(noteId)} required />
    </CaseFileActionForm>
  );
}

// --- act. 29 (DR manager) ------------------------------------------------------------------------------

function AcceptForm({ detail, onWritten, onReload }: CaseFileFormProps) {
  const id = useId();
  const [note, setNote] = useState('');
  return (
    <CaseFileActionForm detail={detail} prepare={() => withNote('accept', note)} submitLabel="Aceptar el expediente" onWritten={onWritten} onReload={onReload} testId="case-file-accept-form">
      <p className="field__hint">
        Revise que el expediente esté completo y correcto (los documentos, arriba).
        {detail.feeValidationRequired
          ? ' Queda concluido cuando valide el pago de derechos u honorarios (act. 31).'
          : detail.outcome === 'signed'
            ? ' Al aceptarlo corre el plazo de 2 días para digitalizarlo (act. 35, DL-15).'
            : ' Sin convenio, queda listo para el archivo al aceptarlo.'}
      </p>
      <TextAreaField id={`${id}-note`} label="Nota de la revisión" value={note} onChange={setNote} maxLength={2000} hint="Opcional." />
    </CaseFileActionForm>
  );
}

// --- act. 31 (DR manager) ------------------------------------------------------------------------------

function RecordCertificatesForm({ detail, onWritten, onReload }: CaseFileFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const today = todayInMexicoCity();
  const [receivedOn, setReceivedOn] = useState(today);
  const dateId = `${id}-date`;

  function prepare(): PreparedCaseFileAction | null {
    clear();
    if (!isIsoDate(receivedOn)) return fail(dateId, 'Indique la fecha en que recibió las constancias.');
    if (receivedOn > today) return fail(dateId, `La fecha de recepción no puede ser posterior a hoy (${formatDate(today)}).`);
    return { action: 'record_certificates', input: { receivedOn } };
  }

  return (
    <CaseFileActionForm detail={detail} prepare={prepare} submitLabel="Registrar la recepción" onWritten={onWritten} onReload={onReload} testId="case-file-certificates-form">
      <p className="field__hint">
        {detail.convenioType === 'RATIFIED' ? 'La constancia de registro ante el CJA y el comprobante del pago de derechos' : 'El comprobante del pago de honorarios notariales'}: desde su
        recepción tiene hasta el día siguiente para validar el pago (DL-14).
      </p>
      <InputField id={dateId} label="Fecha de recepción de las constancias" type="date" value={receivedOn} onChange={setReceivedOn} max={today} error={errorFor(dateId)} required />
    </CaseFileActionForm>
  );
}

function ValidateFeesForm({ detail, onWritten, onReload }: CaseFileFormProps) {
  const id = useId();
  const [note, setNote] = useState('');
  const validateBy = dueOn(detail, 'DL-14');
  return (
    <CaseFileActionForm detail={detail} prepare={() => withNote('validate_fees', note)} submitLabel="Validar el pago" onWritten={onWritten} onReload={onReload} testId="case-file-fees-form">
      <p className="field__hint">
        {detail.convenioType === 'RATIFIED' ? 'El pago de derechos del CJA' : 'El pago de honorarios notariales'}, con el comprobante cargado en el expediente
        {validateBy === undefined ? '' : `; a más tardar el ${formatDate(validateBy)} (DL-14)`}.
      </p>
      <TextAreaField id={`${id}-note`} label="Nota de la validación" value={note} onChange={setNote} maxLength={2000} hint="Opcional." />
    </CaseFileActionForm>
  );
}

// --- act. 35 (DR manager) ------------------------------------------------------------------------------

function MarkDigitisedForm({ detail, onWritten, onReload }: CaseFileFormProps) {
  const id = useId();
  const [note, setNote] = useState('');
  const digitiseBy = dueOn(detail, 'DL-15');
  return (
    <CaseFileActionForm detail={detail} prepare={() => withNote('mark_digitised', note)} submitLabel="Marcar como digitalizado" onWritten={onWritten} onReload={onReload} testId="case-file-digitised-form">
      <p className="field__hint">
        Digitalice el expediente completo (se conserva al menos un año) y prepare el físico para el archivo
        {digitiseBy === undefined ? '' : `; a más tardar el ${formatDate(digitiseBy)} (DL-15)`}.
      </p>
      <TextAreaField id={`${id}-note`} label="Nota" value={note} onChange={setNote} maxLength={2000} hint="Opcional." />
    </CaseFileActionForm>
  );
}

function formFor(option: CaseFileActionOption, props: CaseFileFormProps): ReactNode {
  switch (option.action) {
    case 'submit':
      return <SubmitForm {...props} />;
    case 'request_corrections':
      return <RequestCorrectionsForm {...props} />;
    case 'accept':
      return <AcceptForm {...props} />;
    case 'record_certificates':
      return <RecordCertificatesForm {...props} />;
    case 'validate_fees':
      return <ValidateFeesForm {...props} />;
    case 'mark_digitised':
      return <MarkDigitisedForm {...props} />;
  }
}

/** Accepting is the usual outcome of a review: it goes before the request for corrections. */
const ORDER: Record<CaseFileAction, number> = { submit: 0, accept: 1, request_corrections: 2, record_certificates: 3, validate_fees: 4, mark_digitised: 5 };

/**
 * The forms of the actions in `detail.availableActions`. Give it `key={detail.version}`: after each
 * write the forms start again from the new status.
 */
export function CaseFileActions({ detail, onWritten, onReload, builds }: CaseFileFormProps & { builds: boolean }) {
  if (detail.availableActions.length === 0 && builds && detail.status === 'building' && !detail.checklist.complete) {
    // act. 28: the file goes to the DR "en cuanto estén completos"
    return (
      <p className="notice" data-testid="case-file-incomplete">
        Cargue lo que falta (arriba, en la lista) para entregar el expediente a la DR (act. 28).
      </p>
    );
  }
  if (detail.availableActions.length === 0) {
    return (
      <p className="notice" data-testid="no-case-file-actions">
        No hay pasos del expediente que le correspondan registrar ahora.
      </p>
    );
  }
  const options = [...detail.availableActions].sort((a, b) => ORDER[a.action] - ORDER[b.action]);
  return (
    <ul className="case-actions">
      {options.map((option) => (
        <li key={option.action} className="case-action convenio-action" data-testid="case-file-action" data-action={option.action}>
          <h3 className="convenio-action__title">
            {option.label} <span className="case-action__activity">({option.activity})</span>
          </h3>
          <div className="case-action__body">{formFor(option, { detail, onWritten, onReload })}</div>
        </li>
      ))}
    </ul>
  );
}
