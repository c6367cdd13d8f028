/**
 * The visit and the borrower's answer (SPEC §4 acts. 2–4; SEC-1): solutions offered, a solution
 * accepted or mediation offered, refusal or acceptance ("En Mediación", day 0) with the privacy
 * notice before any contact data, and later captures of contact data.
 */
import { useId, useState } from 'react';
import type { CaseDetail, OfferChannel, SolutionId } from '../api/types';
import {
  checkContactData,
  OFFER_CHANNEL_LABELS,
  OFFER_CHANNELS,
  type ContactField,
} from '../case-labels';
import { formatDate } from '../format';
import { QueryError } from './query-state';
import { useSolutionChoices } from './solution-choices';
import {
  CaseActionForm,
  CheckboxField,
  CheckboxGroup,
  InputField,
  RadioGroup,
  SelectField,
  useFieldProblem,
  type ActionFormProps,
} from './case-action-form';


/** Act. 3: what the field agent explains before asking. */
function MediationExplanation() {
  return (
    <div className="notice case-explain" data-testid="mediation-explanation">
      <p>
        <strong>Explique la mediación antes de preguntar (act. 3):</strong> es un servicio gratuito, voluntario y
        confidencial en el que un mediador independiente ayuda al acreditado y al Infonavit a llegar a un acuerdo sobre
        su crédito. Si acepta, un mediador lo contactará para agendar una sesión.
      </p>
    </div>
  );
}

type VisitAnswer = 'accepted_solution' | 'no_solution';

/**
 * "Registrar visita" (act. 2–3): the solutions offered; if the borrower accepted one, it is
 * recorded and the case ends; if not, mediation is offered in the same visit.
 */
export function VisitForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const { catalogue, choices: solutionChoices, offerable } = useSolutionChoices(detail.creditNumber);
  const [offered, setOffered] = useState<SolutionId[]>([]);
  const [answer, setAnswer] = useState<VisitAnswer | ''>('');
  const [accepted, setAccepted] = useState<SolutionId | ''>('');
  const offeredId = `${id}-offered`;
  const answerId = `${id}-answer`;
  const acceptedId = `${id}-accepted`;

  function prepare() {
    clear();
    if (offerable.length === 0) return fail(offeredId, 'Ninguna solución está disponible hoy para este crédito (SPEC §8): no hay nada que ofrecer en la visita.');
    if (offered.length === 0) return fail(offeredId, 'Marque las soluciones que ofreció al acreditado (act. 2).');
    if (answer === '') return fail(answerId, 'Indique si el acreditado aceptó alguna de las soluciones.');
    if (answer === 'accepted_solution') {
      if (accepted === '') return fail(acceptedId, 'Elija la solución que aceptó el acreditado.');
      return { action: 'record_solution_at_visit' as const, input: { solutionId: accepted } };
    }
    return { action: 'offer_mediation' as const, input: { channel: 'home_visit' as const, solutionsOffered: offered } };
  }

  const submitLabel = answer === 'accepted_solution' ? 'Registrar la solución aceptada' : 'Registrar visita y ofrecer la mediación';
  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel={submitLabel} onWritten={onWritten} onReload={onReload} testId="visit-form">
      {catalogue.isPending && (
        <p role="status" className="status">
          Calculando las soluciones disponibles para el crédito…
        </p>
      )}
      {catalogue.isError && <QueryError error={catalogue.error} onRetry={() => void catalogue.refetch()} />}
      <CheckboxGroup
        id={offeredId}
        legend="Soluciones ofrecidas en la visita"
        hint="Ofrezca primero las soluciones disponibles para el crédito (act. 2); cada una con su mensualidad y su primer pago."
        choices={solutionChoices}
        values={offered}
        onChange={(values) => {
          setOffered(values);
          if (accepted !== '' && !values.includes(accepted)) setAccepted('');
        }}
        error={errorFor(offeredId)}
        required
      />
      <RadioGroup
        id={answerId}
        legend="¿El acreditado aceptó alguna solución?"
        choices={[
          { value: 'accepted_solution', label: 'Sí, aceptó una solución', hint: 'Se registra la solución; no se ofrece mediación.' },
          { value: 'no_solution', label: 'No aceptó ninguna', hint: 'Se le ofrece la mediación en la misma visita (act. 3).' },
        ]}
        value={answer}
        onChange={setAnswer}
        error={errorFor(answerId)}
      />
      {answer === 'accepted_solution' && (
        <RadioGroup
          id={acceptedId}
          legend="Solución que aceptó"
          choices={solutionChoices.filter((choice) => offered.includes(choice.value))}
          value={accepted}
          onChange={setAccepted}
          error={errorFor(acceptedId)}
          hint={offered.length === 0 ? 'Marque antes las soluciones ofrecidas.' : undefined}
        />
      )}
      {answer === 'no_solution' && <MediationExplanation />}
    </CaseActionForm>
  );
}

/** The agency offers mediation through another channel (act. 2: "por otros medios"). */
export function OfferForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [channel, setChannel] = useState<OfferChannel | ''>('');
  const [offered, setOffered] = useState<SolutionId[]>([]);
  const { choices: solutionChoices } = useSolutionChoices(detail.creditNumber);
  const channelId = `${id}-channel`;
  const offeredId = `${id}-offered`;

  function prepare() {
    clear();
    if (channel === '') return fail(channelId, 'Elija el medio por el que se invitó al acreditado.');
    if (channel === 'home_visit' && offered.length === 0) return fail(offeredId, 'En la visita se ofrecen primero las soluciones disponibles (act. 2).');
    return { action: 'offer_mediation' as const, input: { channel, solutionsOffered: offered } };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Registrar el ofrecimiento" onWritten={onWritten} onReload={onReload}>
      <SelectField
        id={channelId}
        label="Medio de la invitación"
        emptyOption="Elija un medio"
        value={channel}
        onChange={(value) => setChannel(value as OfferChannel | '')}
        options={OFFER_CHANNELS.map((value) => ({ value, label: OFFER_CHANNEL_LABELS[value] }))}
        error={errorFor(channelId)}
      />
      <CheckboxGroup
        id={offeredId}
        legend="Soluciones ofrecidas"
        choices={solutionChoices}
        values={offered}
        onChange={setOffered}
        error={errorFor(offeredId)}
      />
    </CaseActionForm>
  );
}

interface ContactValues {
  landline: string;
  mobile: string;
  email: string;
}

const EMPTY_CONTACT: ContactValues = { landline: '', mobile: '', email: '' };

function onFileHint(detail: CaseDetail): string | undefined {
  const onFile = detail.contact?.onFile;
  if (!onFile) return undefined;
  const parts = [
    onFile.landline ? `fijo ${onFile.landline}` : null,
    onFile.mobile ? `celular ${onFile.mobile}` : null,
    onFile.email ? `correo ${onFile.email}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length === 0 ? undefined : `En el registro del crédito: ${parts.join(', ')}. Confírmelos con el acreditado.`;
}

/**
 * Landline, mobile and e-mail — disabled until the privacy notice was shown (SEC-1): personal data
 * are captured only after it.
 */
function ContactFields({
  idPrefix,
  values,
  onChange,
  enabled,
  errorFor,
  detail,
}: {
  idPrefix: string;
  values: ContactValues;
  onChange: (values: ContactValues) => void;
  enabled: boolean;
  errorFor: (field: string) => string | undefined;
  detail: CaseDetail;
}) {
  const hint = enabled ? onFileHint(detail) : undefined;
  const set = (field: ContactField) => (value: string) => onChange({ ...values, [field]: value });
  return (
    <fieldset className="choice-group contact-fields" disabled={!enabled} data-testid="contact-fields">
      <legend>Datos de contacto</legend>
      <p className="field__hint choice-group__hint" id={`${idPrefix}-contact-hint`}>
        {enabled
          ? 'Capture o confirme al menos un teléfono o un correo electrónico; sólo en la plataforma.'
          : 'Se habilitan después de mostrar el aviso de privacidad (SEC-1).'}
      </p>
      {hint !== undefined && (
        <p className="field__hint choice-group__hint" data-testid="contact-on-file">
          {hint}
        </p>
      )}
      <div className="contact-fields__grid">
        <InputField
          id={`${idPrefix}-landline`}
          label="Teléfono fijo"
          type="tel"
          inputMode="tel"
          value={values.landline}
          onChange={set('landline')}
          hint="10 dígitos, con lada."
          error={errorFor(`${idPrefix}-landline`)}
          disabled={!enabled}
          maxLength={20}
        />
        <InputField
          id={`${idPrefix}-mobile`}
          label="Teléfono celular"
          type="tel"
          inputMode="tel"
          value={values.mobile}
          onChange={set('mobile')}
          hint="10 dígitos."
          error={errorFor(`${idPrefix}-mobile`)}
          disabled={!enabled}
          maxLength={20}
        />
        <InputField
          id={`${idPrefix}-email`}
          label="Correo electrónico"
          type="email"
          inputMode="email"
          value={values.email}
          onChange={set('email')}
          error={errorFor(`${idPrefix}-email`)}
          disabled={!enabled}
          maxLength={254}
        />
      </div>
    </fieldset>
  );
}

const PRIVACY_NOTICE_HINT =
  'Muestre al acreditado el aviso de privacidad del Infonavit para el servicio de mediación antes de pedirle sus datos (act. 4, SEC-1).';

type MediationAnswer = 'accepted' | 'refused';

/**
 * The borrower's answer in the same visit (act. 3–4): refused (the case ends) or accepted — "En
 * Mediación", day 0 — with the privacy notice shown first and only then the contact data (SEC-1).
 */
export function MediationAnswerForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [answer, setAnswer] = useState<MediationAnswer | ''>('');
  const [privacyShown, setPrivacyShown] = useState(false);
  const [contact, setContact] = useState<ContactValues>(EMPTY_CONTACT);
  const [note, setNote] = useState('');
  const answerId = `${id}-answer`;
  const privacyId = `${id}-privacy`;
  const noteId = `${id}-note`;

  function prepare() {
    clear();
    if (answer === '') return fail(answerId, 'Indique si el acreditado aceptó la mediación.');
    if (answer === 'refused') {
      const trimmed = note.trim();
      return { action: 'record_refusal' as const, input: trimmed === '' ? {} : { note: trimmed } };
    }
    if (!privacyShown) return fail(privacyId, 'Marque que mostró el aviso de privacidad antes de registrar la aceptación (SEC-1).');
    const check = checkContactData(contact, false);
    if (check.problem) return fail(`${id}-${check.problem.field}`, check.problem.message);
    return {
      action: 'record_acceptance' as const,
      input: check.contactData === undefined ? { privacyNoticeShown: true } : { privacyNoticeShown: true, contactData: check.contactData },
    };
  }

  const submitLabel = answer === 'refused' ? 'Registrar la negativa' : 'Registrar la aceptación («En Mediación», día 0)';
  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel={submitLabel} onWritten={onWritten} onReload={onReload} testId="mediation-answer-form">
      <MediationExplanation />
      <RadioGroup
        id={answerId}
        legend="¿El acreditado acepta la mediación?"
        choices={[
          { value: 'accepted', label: 'Sí, acepta la mediación', hint: 'El caso queda «En Mediación»: es el día 0 de todos los plazos.' },
          { value: 'refused', label: 'No, la rechaza', hint: 'Se registra la negativa y el caso termina.' },
        ]}
        value={answer}
        onChange={setAnswer}
        error={errorFor(answerId)}
      />
      {answer === 'accepted' && (
        <>
          <CheckboxField
            id={privacyId}
            label="Se mostró el aviso de privacidad"
            hint={PRIVACY_NOTICE_HINT}
            checked={privacyShown}
            onChange={setPrivacyShown}
            error={errorFor(privacyId)}
            required
          />
          <ContactFields idPrefix={id} values={contact} onChange={setContact} enabled={privacyShown} errorFor={errorFor} detail={detail} />
          <p className="field__hint">Dígale al acreditado que un mediador lo contactará para agendar la sesión.</p>
        </>
      )}
      {answer === 'refused' && (
        <div className="field">
          <label htmlFor={noteId}>
            Comentario <span className="field__required">(opcional)</span>
          </label>
          <textarea id={noteId} rows={3} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} />
        </div>
      )}
    </CaseActionForm>
  );
}

/** Act. 3 [PR 4]: the borrower refused mediation; the case ends. */
export function RefusalForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const [note, setNote] = useState('');
  const noteId = `${id}-note`;
  function prepare() {
    const trimmed = note.trim();
    return { action: 'record_refusal' as const, input: trimmed === '' ? {} : { note: trimmed } };
  }
  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Registrar la negativa" onWritten={onWritten} onReload={onReload}>
      <div className="field">
        <label htmlFor={noteId}>
          Comentario <span className="field__required">(opcional)</span>
        </label>
        <textarea id={noteId} rows={3} maxLength={1000} value={note} onChange={(event) => setNote(event.target.value)} aria-describedby={`${noteId}-hint`} />
        <span id={`${noteId}-hint`} className="field__hint">
          El caso termina con la negativa a la mediación (act. 3).
        </span>
      </div>
    </CaseActionForm>
  );
}

/** SEC-1: capture or confirm contact data later; the privacy notice first if it was never shown. */
export function ContactDataForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const alreadyShown = detail.privacyNoticeShownOn !== null;
  const [privacyShown, setPrivacyShown] = useState(false);
  const [contact, setContact] = useState<ContactValues>(() => ({
    landline: detail.contact?.landline ?? '',
    mobile: detail.contact?.mobile ?? '',
    email: detail.contact?.email ?? '',
  }));
  const privacyId = `${id}-privacy`;
  const enabled = alreadyShown || privacyShown;

  function prepare() {
    clear();
    if (!enabled) return fail(privacyId, 'Marque que mostró el aviso de privacidad antes de capturar datos de contacto (SEC-1).');
    const check = checkContactData(contact, true);
    if (check.problem || check.contactData === undefined) {
      const problem = check.problem ?? { field: 'mobile', message: 'Capture al menos un teléfono o un correo electrónico.' };
      return fail(`${id}-${problem.field}`, problem.message);
    }
    return {
      action: 'update_contact_data' as const,
      input: alreadyShown ? { contactData: check.contactData } : { privacyNoticeShown: true, contactData: check.contactData },
    };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Guardar los datos de contacto" onWritten={onWritten} onReload={onReload}>
      {alreadyShown ? (
        <p className="field__hint">Aviso de privacidad mostrado el {formatDate(detail.privacyNoticeShownOn ?? '')} (SEC-1).</p>
      ) : (
        <CheckboxField
          id={privacyId}
          label="Se mostró el aviso de privacidad"
          hint={PRIVACY_NOTICE_HINT}
          checked={privacyShown}
          onChange={setPrivacyShown}
          error={errorFor(privacyId)}
          required
        />
      )}
      <ContactFields idPrefix={id} values={contact} onChange={setContact} enabled={enabled} errorFor={errorFor} detail={detail} />
    </CaseActionForm>
  );
}
