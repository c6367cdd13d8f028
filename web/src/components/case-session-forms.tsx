/**
 * The mediator's and the DR manager's part of a case (SPEC §4 acts. 8–21): contact attempts,
 * scheduling (in person with a place, or remote with an approved tool, Lineamiento 3), the written
 * summons, the one reschedule, "not scheduled" (NS-1..3, day 31), the draft convenios, the session
 * with its checklist (CHK-1..10, CHK-2 at the start), refusal to sign (NR-1..5), the signature and
 * the survey invitation; and any action without data (a button).
 */
import { useId, useState } from 'react';
import type {
  CaseDetail,
  CaseEventItem,
  CaseParty,
  ChecklistItem,
  ContactChannel,
  FundAttendee,
  NotScheduledCause,
  RefusalToSignCause,
  SessionChecklist,
  SessionMode,
  Signatory,
  SolutionId,
  SummonsChannel,
  SurveyChannel,
} from '../api/types';
import { CONVENIO_TYPE_LABELS } from '../assignment-labels';
import {
  CHECKLIST_ITEMS,
  CHECKLIST_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_CHANNELS,
  FUND_ATTENDEE_LABELS,
  FUND_ATTENDEES,
  NOT_SCHEDULED_CAUSE_LABELS,
  NOT_SCHEDULED_CAUSES,
  PARTY_LABELS,
  REFUSAL_TO_SIGN_CAUSE_LABELS,
  REFUSAL_TO_SIGN_CAUSES,
  SESSION_MODE_LABELS,
  SIGNATORIES,
  SIGNATORY_LABELS,
  solutionLabel,
  SUMMONS_CHANNEL_LABELS,
  SUMMONS_CHANNELS,
  SURVEY_CHANNEL_LABELS,
  SURVEY_CHANNELS,
} from '../case-labels';
import { useSolutionChoices } from './solution-choices';
import { QueryError } from './query-state';
import { formatDate, isIsoDate, todayInMexicoCity } from '../format';
import {
  CaseActionForm,
  CheckboxField,
  CheckboxGroup,
  InputField,
  RadioGroup,
  SelectField,
  useFieldProblem,
  type ActionFormProps,
  type PreparedAction,
} from './case-action-form';
import { RuleBadge } from './rule-badge';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function dueOn(detail: CaseDetail, rule: string): string | undefined {
  return detail.dueDates.find((due) => due.rule === rule)?.dueOn;
}

/** The latest scheduling event's plan (the mode and tool a session was agreed with). */
function lastPlan(detail: CaseDetail): { mode?: SessionMode; remoteTool?: string } {
  const event: CaseEventItem | undefined = [...detail.events]
    .reverse()
    .find((item) => item.action === 'schedule_session' || item.action === 'reschedule_session');
  const data = (event?.data ?? {}) as Record<string, unknown>;
  const mode = data.mode === 'in_person' || data.mode === 'remote' ? data.mode : undefined;
  const remoteTool = typeof data.remoteTool === 'string' ? data.remoteTool : undefined;
  return { ...(mode === undefined ? {} : { mode }), ...(remoteTool === undefined ? {} : { remoteTool }) };
}

function yesNoChoices(yes: string, no: string) {
  return [
    { value: 'yes' as const, label: yes },
    { value: 'no' as const, label: no },
  ];
}

// --- act. 8: contact attempts -------------------------------------------------------------------

export function ContactAttemptForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [party, setParty] = useState<CaseParty | ''>('');
  const [channel, setChannel] = useState<ContactChannel | ''>('');
  const [reached, setReached] = useState<'yes' | 'no' | ''>('');
  const partyId = `${id}-party`;
  const channelId = `${id}-channel`;
  const reachedId = `${id}-reached`;
  const attempts = detail.facts.contactAttempts ?? 0;

  function prepare() {
    clear();
    if (party === '') return fail(partyId, 'Indique a quién intentó contactar.');
    if (channel === '') return fail(channelId, 'Elija el medio del intento.');
    if (reached === '') return fail(reachedId, 'Indique si logró el contacto.');
    return { action: 'record_contact_attempt' as const, input: { party, channel, reached: reached === 'yes' } };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Registrar el intento" onWritten={onWritten} onReload={onReload}>
      <p className="field__hint">
        Intentos registrados: {attempts}. Contacte a las partes desde el día de la distribución o el siguiente (DL-2) y siga
        intentando hasta el día 30 (DL-3).
      </p>
      <RadioGroup
        id={partyId}
        legend="Parte contactada"
        choices={(['borrower', 'representative'] as const).map((value) => ({ value, label: PARTY_LABELS[value] }))}
        value={party}
        onChange={setParty}
        error={errorFor(partyId)}
      />
      <SelectField
        id={channelId}
        label="Medio"
        emptyOption="Elija un medio"
        value={channel}
        onChange={(value) => setChannel(value as ContactChannel | '')}
        options={CONTACT_CHANNELS.map((value) => ({ value, label: CONTACT_CHANNEL_LABELS[value] }))}
        error={errorFor(channelId)}
      />
      <RadioGroup id={reachedId} legend="¿Se logró el contacto?" choices={yesNoChoices('Sí', 'No')} value={reached} onChange={setReached} error={errorFor(reachedId)} />
    </CaseActionForm>
  );
}

// --- act. 11 and 14: the session plan -----------------------------------------------------------

/** Where and how the session is held: in person with a place, or remote with an approved tool. */
function SessionModeFields({
  idPrefix,
  mode,
  onMode,
  place,
  onPlace,
  tool,
  onTool,
  tools,
  errorFor,
  withPlace,
}: {
  idPrefix: string;
  mode: SessionMode | '';
  onMode: (mode: SessionMode) => void;
  place: string;
  onPlace: (place: string) => void;
  tool: string;
  onTool: (tool: string) => void;
  tools: readonly string[];
  errorFor: (field: string) => string | undefined;
  withPlace: boolean;
}) {
  const noTools = tools.length === 0;
  return (
    <>
      <RadioGroup
        id={`${idPrefix}-mode`}
        legend="Modalidad"
        choices={[
          { value: 'in_person', label: SESSION_MODE_LABELS.in_person },
          {
            value: 'remote',
            label: SESSION_MODE_LABELS.remote,
            hint: noTools
              ? 'La Gerencia de Mediación y Convenios no ha aprobado herramientas para sesiones a distancia (Lineamiento 3).'
              : 'Sólo con una herramienta aprobada por la Gerencia de Mediación y Convenios (Lineamiento 3).',
            disabled: noTools,
          },
        ]}
        value={mode}
        onChange={onMode}
        error={errorFor(`${idPrefix}-mode`)}
      />
      {mode === 'in_person' && withPlace && (
        <InputField
          id={`${idPrefix}-place`}
          label="Lugar de la sesión"
          value={place}
          onChange={onPlace}
          hint="Domicilio u oficina donde se celebrará."
          error={errorFor(`${idPrefix}-place`)}
          maxLength={300}
          required
        />
      )}
      {mode === 'remote' && (
        <SelectField
          id={`${idPrefix}-tool`}
          label="Herramienta aprobada"
          emptyOption="Elija una herramienta"
          value={tool}
          onChange={onTool}
          options={tools.map((value) => ({ value, label: value }))}
          hint="Lineamiento 3: las aprobadas por la Gerencia de Mediación y Convenios."
          error={errorFor(`${idPrefix}-tool`)}
        />
      )}
    </>
  );
}

/** Act. 11 (schedule) and act. 14 (the one reschedule). */
export function SessionPlanForm({ detail, onWritten, onReload, reschedule }: ActionFormProps & { reschedule: boolean }) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const today = todayInMexicoCity();
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [mode, setMode] = useState<SessionMode | ''>('');
  const [place, setPlace] = useState('');
  const [tool, setTool] = useState('');
  const dateId = `${id}-date`;
  const timeId = `${id}-time`;
  const latest = dueOn(detail, 'DL-7');
  const scheduleBy = dueOn(detail, 'DL-3');

  function prepare() {
    clear();
    if (!isIsoDate(date)) return fail(dateId, 'Indique la fecha de la sesión.');
    if (date < today) return fail(dateId, `La fecha de la sesión no puede ser anterior a hoy (${formatDate(today)}).`);
    if (!TIME.test(time)) return fail(timeId, 'Indique la hora de la sesión (HH:MM, 24 horas).');
    if (mode === '') return fail(`${id}-mode`, 'Elija si la sesión es presencial o a distancia.');
    if (mode === 'in_person' && place.trim() === '') return fail(`${id}-place`, 'Indique el lugar de la sesión presencial.');
    if (mode === 'remote' && tool === '') return fail(`${id}-tool`, 'Elija la herramienta aprobada para la sesión a distancia (Lineamiento 3).');
    const plan = {
      sessionDate: date,
      sessionTime: time,
      mode,
      ...(mode === 'in_person' ? { place: place.trim() } : { remoteTool: tool }),
    };
    return reschedule ? { action: 'reschedule_session' as const, input: plan } : { action: 'schedule_session' as const, input: plan };
  }

  const hint = [
    latest === undefined ? '' : `A más tardar el ${formatDate(latest)} (día 90, DL-7).`,
    !reschedule && scheduleBy !== undefined ? `Agende a más tardar el ${formatDate(scheduleBy)} (DL-3).` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');

  return (
    <CaseActionForm
      detail={detail}
      prepare={prepare}
      submitLabel={reschedule ? 'Reagendar la sesión' : 'Agendar la sesión'}
      onWritten={onWritten}
      onReload={onReload}
      testId={reschedule ? 'reschedule-form' : 'schedule-form'}
    >
      {reschedule && (
        <p className="notice notice--warning" data-testid="one-reschedule">
          Sólo se permite una reprogramación (DL-7): después de ésta la sesión ya no podrá reagendarse. Reprogramaciones
          usadas: {detail.facts.rescheduleCount ?? 0} de 1.
        </p>
      )}
      {detail.representativeId === null && !reschedule && (
        <p className="notice notice--warning">La agencia todavía no designa al representante del Infonavit: no podrá agendar sin él (act. 7).</p>
      )}
      <div className="form-grid">
        <InputField id={dateId} label="Fecha de la sesión" type="date" value={date} onChange={setDate} min={today} max={latest} hint={hint} error={errorFor(dateId)} required />
        <InputField id={timeId} label="Hora" type="time" value={time} onChange={setTime} hint="24 horas, por ejemplo 10:30." error={errorFor(timeId)} required />
      </div>
      <SessionModeFields
        idPrefix={id}
        mode={mode}
        onMode={setMode}
        place={place}
        onPlace={setPlace}
        tool={tool}
        onTool={setTool}
        tools={detail.approvedRemoteTools}
        errorFor={errorFor}
        withPlace
      />
      <p className="field__hint">El mismo día envíe la convocatoria por escrito a las partes (DL-6).</p>
    </CaseActionForm>
  );
}

// --- act. 11: the written summons ---------------------------------------------------------------

export function SummonsForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [channel, setChannel] = useState<SummonsChannel | ''>('');
  const channelId = `${id}-channel`;
  const rescheduled = detail.facts.rescheduledOn !== undefined;
  const sentOn = rescheduled ? detail.facts.rescheduleSummonsSentOn : detail.facts.summonsSentOn;
  const dl6 = dueOn(detail, 'DL-6');

  function prepare() {
    clear();
    if (channel === '') return fail(channelId, 'Elija el medio escrito de la convocatoria.');
    return { action: 'send_summons' as const, input: { channel, recipients: ['borrower', 'representative'] as CaseParty[] } };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Enviar la convocatoria" onWritten={onWritten} onReload={onReload} testId="summons-form">
      <p className="field__hint">
        Se envía por escrito al acreditado y al representante del Infonavit{detail.representativeName ? ` (${detail.representativeName})` : ''}, con la
        fecha {detail.sessionDate ? `del ${formatDate(detail.sessionDate)}` : 'agendada'}; el envío queda como evidencia (act. 11).
        {dl6 === undefined ? '' : ` Envíela a más tardar el ${formatDate(dl6)} (DL-6).`}
      </p>
      {sentOn !== undefined && (
        <p className="notice" data-testid="summons-sent">
          Convocatoria{rescheduled ? ' de la reprogramación' : ''} enviada el {formatDate(sentOn)}.
        </p>
      )}
      <RadioGroup
        id={channelId}
        legend="Medio de la convocatoria"
        choices={SUMMONS_CHANNELS.map((value) => ({ value, label: SUMMONS_CHANNEL_LABELS[value] }))}
        value={channel}
        onChange={setChannel}
        error={errorFor(channelId)}
      />
    </CaseActionForm>
  );
}

// --- act. 9: not scheduled ----------------------------------------------------------------------

export function NotScheduledForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [cause, setCause] = useState<NotScheduledCause | ''>('');
  const causeId = `${id}-cause`;
  const from = dueOn(detail, 'DL-4');
  const closes = dueOn(detail, 'DL-5');

  function prepare() {
    clear();
    if (cause === '') return fail(causeId, 'Elija la causa por la que no se logró agendar.');
    return { action: 'record_not_scheduled' as const, input: { cause } };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Registrar que no se logró agendar" onWritten={onWritten} onReload={onReload}>
      <p className="field__hint" data-testid="not-scheduled-window">
        Se registra el día 31 desde la aceptación{from === undefined ? '' : `: el ${formatDate(from)}`} (DL-4); antes de esa fecha la
        plataforma lo rechaza.
        {closes === undefined ? '' : ` Sin sesión agendada ni este registro, el caso se cierra automáticamente el ${formatDate(closes)} (DL-5).`}
      </p>
      <RadioGroup
        id={causeId}
        legend="Causa"
        choices={NOT_SCHEDULED_CAUSES.map((value) => ({
          value,
          label: (
            <>
              <RuleBadge rule={value} /> {NOT_SCHEDULED_CAUSE_LABELS[value]}
            </>
          ),
        }))}
        value={cause}
        onChange={setCause}
        error={errorFor(causeId)}
      />
    </CaseActionForm>
  );
}

// --- acts. 12–13: draft convenios ---------------------------------------------------------------

export function ProvideDraftsForm({ detail, onWritten, onReload }: ActionFormProps) {
  const { catalogue, choices } = useSolutionChoices(detail.creditNumber);
  const offerable = choices.filter((choice) => !choice.disabled);

  function prepare() {
    // act. 13: one draft per solution the catalogue makes available today — the server decides them
    return { action: 'provide_draft_convenios' as const, input: {} };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Entregar los convenios preliminares" onWritten={onWritten} onReload={onReload}>
      <p className="field__hint">
        {detail.facts.draftsRequestedOn === undefined
          ? 'El mediador todavía no los solicita (act. 12); la plataforma lo rechazará hasta entonces.'
          : `El mediador los solicitó el ${formatDate(detail.facts.draftsRequestedOn)} (act. 12).`}{' '}
        Se entrega un convenio preliminar por cada solución disponible hoy para el crédito, con sus términos (act. 13, CNV-3).
      </p>
      {catalogue.isPending && (
        <p role="status" className="status">
          Calculando las soluciones disponibles…
        </p>
      )}
      {catalogue.isError && <QueryError error={catalogue.error} onRetry={() => void catalogue.refetch()} />}
      {catalogue.isSuccess && (
        <ul className="plain-list" data-testid="drafts-to-provide">
          {offerable.length === 0 && <li>Ninguna solución está disponible hoy para este crédito (SPEC §8).</li>}
          {offerable.map((choice) => (
            <li key={choice.value}>
              <strong>{choice.label}</strong> — {choice.hint}
            </li>
          ))}
        </ul>
      )}
    </CaseActionForm>
  );
}

// --- acts. 16–17: the session held --------------------------------------------------------------

function ChecklistFields({
  id,
  checklist,
  onChange,
  error,
  legend,
}: {
  id: string;
  checklist: SessionChecklist;
  onChange: (checklist: SessionChecklist) => void;
  error: string | undefined;
  legend: string;
}) {
  const values = CHECKLIST_ITEMS.filter((item) => checklist[item]);
  return (
    <CheckboxGroup
      id={id}
      legend={legend}
      hint="Lineamiento 4: el mediador se identifica (CHK-1) y pone a disposición el aviso de privacidad al inicio de la sesión (CHK-2, SEC-1)."
      choices={CHECKLIST_ITEMS.map((item) => ({
        value: item,
        label: (
          <>
            <RuleBadge rule={item} /> {CHECKLIST_LABELS[item]}
            {item === 'CHK-2' ? ' — al inicio de la sesión' : ''}
          </>
        ),
      }))}
      values={values}
      onChange={(next) => onChange(Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, next.includes(item)])) as SessionChecklist)}
      error={error}
      required
    />
  );
}

const EMPTY_CHECKLIST = Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, false])) as Record<ChecklistItem, boolean>;

export function HoldSessionForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const today = todayInMexicoCity();
  const plan = lastPlan(detail);
  const [heldOn, setHeldOn] = useState(detail.sessionDate !== null && detail.sessionDate <= today ? detail.sessionDate : today);
  const [mode, setMode] = useState<SessionMode | ''>(plan.mode ?? '');
  const [tool, setTool] = useState(plan.remoteTool ?? '');
  const [attended, setAttended] = useState<'yes' | 'no' | ''>('');
  const [fundAttendee, setFundAttendee] = useState<FundAttendee | ''>('');
  const [checklist, setChecklist] = useState<SessionChecklist>(EMPTY_CHECKLIST);
  const heldOnId = `${id}-held-on`;
  const attendedId = `${id}-attended`;
  const fundId = `${id}-fund`;
  const checklistId = `${id}-checklist`;
  const earliest = detail.facts.lastSessionOn ?? detail.facts.rescheduledOn ?? detail.facts.scheduledOn;

  function prepare() {
    clear();
    if (!isIsoDate(heldOn)) return fail(heldOnId, 'Indique la fecha en que se celebró la sesión.');
    if (heldOn > today) return fail(heldOnId, `La sesión no puede registrarse con fecha posterior a hoy (${formatDate(today)}).`);
    if (mode === '') return fail(`${id}-mode`, 'Indique la modalidad de la sesión.');
    if (mode === 'remote' && tool === '') return fail(`${id}-tool`, 'Elija la herramienta aprobada con que se celebró (Lineamiento 3).');
    if (attended === '') return fail(attendedId, 'Indique si asistió el acreditado.');
    if (attended === 'no') return fail(attendedId, 'Sin la asistencia del acreditado la sesión no se celebra: reagéndela (act. 14).');
    if (fundAttendee === '') return fail(fundId, 'Indique quién representó al Infonavit (act. 17).');
    if (!checklist['CHK-1'] || !checklist['CHK-2']) {
      return fail(checklistId, 'Toda sesión inicia con la identificación del mediador (CHK-1) y el aviso de privacidad (CHK-2, SEC-1).');
    }
    return {
      action: 'hold_session' as const,
      input: {
        heldOn,
        mode,
        ...(mode === 'remote' ? { remoteTool: tool } : {}),
        borrowerAttended: true,
        fundAttendee,
        privacyNoticeShownAtStart: checklist['CHK-2'],
        checklist,
      },
    };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Registrar la sesión celebrada" onWritten={onWritten} onReload={onReload} testId="hold-session-form">
      {(detail.facts.sessionsHeld ?? 0) > 0 && (
        <p className="field__hint">Sesiones celebradas: {detail.facts.sessionsHeld}. Puede registrar otra dentro de los 90 días (DL-7).</p>
      )}
      <InputField
        id={heldOnId}
        label="Fecha en que se celebró"
        type="date"
        value={heldOn}
        onChange={setHeldOn}
        min={earliest}
        max={today}
        hint={earliest === undefined ? undefined : `Desde el ${formatDate(earliest)} y no después de hoy.`}
        error={errorFor(heldOnId)}
        required
      />
      <SessionModeFields
        idPrefix={id}
        mode={mode}
        onMode={setMode}
        place=""
        onPlace={() => undefined}
        tool={tool}
        onTool={setTool}
        tools={detail.approvedRemoteTools}
        errorFor={errorFor}
        withPlace={false}
      />
      <RadioGroup
        id={attendedId}
        legend="¿Asistió el acreditado?"
        choices={yesNoChoices('Sí', 'No')}
        value={attended}
        onChange={setAttended}
        error={errorFor(attendedId)}
      />
      <RadioGroup
        id={fundId}
        legend="Representó al Infonavit"
        hint={detail.representativeName === null ? undefined : `Representante designado: ${detail.representativeName}.`}
        choices={FUND_ATTENDEES.map((value) => ({ value, label: FUND_ATTENDEE_LABELS[value] }))}
        value={fundAttendee}
        onChange={setFundAttendee}
        error={errorFor(fundId)}
      />
      <ChecklistFields id={checklistId} legend="Lista de verificación de la sesión" checklist={checklist} onChange={setChecklist} error={errorFor(checklistId)} />
    </CaseActionForm>
  );
}

// --- act. 18: refusal to sign ---------------------------------------------------------------------

export function RefusalToSignForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [cause, setCause] = useState<RefusalToSignCause | ''>('');
  const [finalSession, setFinalSession] = useState(false);
  const causeId = `${id}-cause`;
  const finalId = `${id}-final`;

  function prepare() {
    clear();
    if (cause === '') return fail(causeId, 'Elija la causa de la negativa a firmar.');
    if (!finalSession) return fail(finalId, 'La negativa a firmar sólo se registra al final de la última sesión (act. 18).');
    return { action: 'record_refusal_to_sign' as const, input: { cause, finalSession: true } };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Registrar la negativa a firmar" onWritten={onWritten} onReload={onReload}>
      <RadioGroup
        id={causeId}
        legend="Causa de la negativa"
        choices={REFUSAL_TO_SIGN_CAUSES.map((value) => ({
          value,
          label: (
            <>
              <RuleBadge rule={value} /> {REFUSAL_TO_SIGN_CAUSE_LABELS[value]}
            </>
          ),
        }))}
        value={cause}
        onChange={setCause}
        error={errorFor(causeId)}
      />
      <CheckboxField
        id={finalId}
        label="Es el final de la última sesión"
        hint={detail.facts.lastSessionOn ? `Última sesión: ${formatDate(detail.facts.lastSessionOn)}.` : undefined}
        checked={finalSession}
        onChange={setFinalSession}
        error={errorFor(finalId)}
        required
      />
    </CaseActionForm>
  );
}

// --- act. 20: the signed convenio -----------------------------------------------------------------

export function SignConvenioForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const drafts = detail.facts.draftSolutionIds ?? [];
  const [signedOn, setSignedOn] = useState(detail.facts.lastSessionOn ?? '');
  const [solution, setSolution] = useState<SolutionId | ''>('');
  const [copies, setCopies] = useState('3');
  const [signedBy, setSignedBy] = useState<Signatory[]>([]);
  const [acknowledgement, setAcknowledgement] = useState(false);
  const [firstPayment, setFirstPayment] = useState(false);
  const [checklist, setChecklist] = useState<SessionChecklist>(EMPTY_CHECKLIST);
  const signedOnId = `${id}-signed-on`;
  const solutionId = `${id}-solution`;
  const copiesId = `${id}-copies`;
  const signedById = `${id}-signed-by`;
  const acknowledgementId = `${id}-acknowledgement`;
  const firstPaymentId = `${id}-first-payment`;
  const checklistId = `${id}-checklist`;

  function prepare(): PreparedAction | null {
    clear();
    if (!isIsoDate(signedOn)) return fail(signedOnId, 'Indique la fecha de firma.');
    if (solution === '') return fail(solutionId, 'Elija la solución del convenio firmado.');
    const count = Number(copies);
    if (!Number.isInteger(count) || count < 3 || count > 10) return fail(copiesId, 'El convenio se firma al menos por triplicado (de 3 a 10 ejemplares).');
    if (signedBy.length !== SIGNATORIES.length) return fail(signedById, 'Lo firman el acreditado, el representante del Infonavit y el mediador (act. 20).');
    if (!acknowledgement) return fail(acknowledgementId, 'El acreditado firma el acuse de recibo de su original (act. 20).');
    if (!firstPayment) return fail(firstPaymentId, 'Informe al acreditado el plazo del primer pago (act. 20).');
    const missing = CHECKLIST_ITEMS.filter((item) => !checklist[item]);
    if (missing.length > 0) return fail(checklistId, `Para firmar, la lista de verificación debe estar completa; falta: ${missing.join(', ')} (Lineamiento 4).`);
    return {
      action: 'sign_convenio',
      input: {
        signedOn,
        convenioType: detail.convenioType,
        solutionId: solution,
        copies: count,
        signedBy,
        acknowledgementSigned: true,
        firstPaymentExplained: true,
        checklist,
      },
    };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Registrar el convenio firmado" onWritten={onWritten} onReload={onReload} testId="sign-form">
      <dl className="fields fields--compact">
        <div className="fields__item">
          <dt>Tipo de convenio</dt>
          <dd data-testid="sign-convenio-type">{CONVENIO_TYPE_LABELS[detail.convenioType]} (asignado, ASG-3)</dd>
        </div>
      </dl>
      <InputField
        id={signedOnId}
        label="Fecha de firma"
        type="date"
        value={signedOn}
        onChange={setSignedOn}
        hint="Al final de la sesión: la fecha de la última sesión celebrada (act. 20)."
        error={errorFor(signedOnId)}
        required
      />
      {drafts.length === 0 ? (
        <p className="notice notice--warning" data-testid="no-drafts">
          La Delegación Regional no ha entregado los convenios preliminares de este crédito (act. 13): solicítelos antes de firmar.
        </p>
      ) : null}
      <RadioGroup
        id={solutionId}
        legend="Solución del convenio"
        hint="Una de las soluciones de los convenios preliminares entregados por la DR (act. 13)."
        choices={drafts.map((value) => ({ value, label: solutionLabel(value) }))}
        value={solution}
        onChange={setSolution}
        error={errorFor(solutionId)}
      />
      <InputField
        id={copiesId}
        label="Ejemplares firmados"
        type="number"
        inputMode="numeric"
        value={copies}
        onChange={setCopies}
        min={3}
        max={10}
        hint="Al menos por triplicado; un original es para el acreditado."
        error={errorFor(copiesId)}
        required
      />
      <CheckboxGroup
        id={signedById}
        legend="Firmaron"
        choices={SIGNATORIES.map((value) => ({ value, label: SIGNATORY_LABELS[value] }))}
        values={signedBy}
        onChange={setSignedBy}
        error={errorFor(signedById)}
        required
      />
      <CheckboxField
        id={acknowledgementId}
        label="El acreditado firmó el acuse de recibo de su original"
        checked={acknowledgement}
        onChange={setAcknowledgement}
        error={errorFor(acknowledgementId)}
        required
      />
      <CheckboxField
        id={firstPaymentId}
        label="Se informó al acreditado el plazo del primer pago"
        hint="Un único pago por la cantidad completa acordada."
        checked={firstPayment}
        onChange={setFirstPayment}
        error={errorFor(firstPaymentId)}
        required
      />
      <ChecklistFields id={checklistId} legend="Lista de verificación completa (CNV-2)" checklist={checklist} onChange={setChecklist} error={errorFor(checklistId)} />
    </CaseActionForm>
  );
}

// --- act. 21: the survey invitation ---------------------------------------------------------------

export function SurveyForm({ detail, onWritten, onReload }: ActionFormProps) {
  const id = useId();
  const { errorFor, fail, clear } = useFieldProblem();
  const [channel, setChannel] = useState<SurveyChannel | ''>('');
  const [complaints, setComplaints] = useState(false);
  const channelId = `${id}-channel`;
  const complaintsId = `${id}-complaints`;

  function prepare() {
    clear();
    if (channel === '') return fail(channelId, 'Indique cómo se invitó a responder la encuesta.');
    if (!complaints) return fail(complaintsId, 'Informe al acreditado dónde puede presentar quejas (act. 21).');
    return { action: 'invite_to_survey' as const, input: { channel, complaintChannelsExplained: true } };
  }

  return (
    <CaseActionForm detail={detail} prepare={prepare} submitLabel="Registrar la invitación" onWritten={onWritten} onReload={onReload}>
      <p className="field__hint">
        Antes de que se retire, invite al acreditado a responder la encuesta de calidad del servicio, haya firmado o no (act. 21).
        {detail.facts.surveyInvitedOn ? ` Ya se le invitó el ${formatDate(detail.facts.surveyInvitedOn)}.` : ''}
      </p>
      <RadioGroup
        id={channelId}
        legend="Encuesta"
        choices={SURVEY_CHANNELS.map((value) => ({ value, label: SURVEY_CHANNEL_LABELS[value] }))}
        value={channel}
        onChange={setChannel}
        error={errorFor(channelId)}
      />
      <CheckboxField
        id={complaintsId}
        label="Se le informó dónde presentar quejas sobre el servicio"
        checked={complaints}
        onChange={setComplaints}
        error={errorFor(complaintsId)}
        required
      />
    </CaseActionForm>
  );
}

// --- actions without data -------------------------------------------------------------------------

const NO_INPUT_DESCRIPTIONS: Record<string, string> = {
  mark_accepted: 'La cuenta entró por solicitud o propuesta (ENT-A) o por Recuperación Especializada (ENT-B): la agencia la marca con mediación aceptada; es el día 0.',
  request_draft_convenios: 'Pida a la Delegación Regional los convenios preliminares disponibles para el crédito, uno por solución (act. 12).',
  close_not_scheduled: 'El mediador registró que no se logró agendar: se retira la etiqueta de mediación (act. 10).',
  close_by_dl5: 'Día 32 sin sesión agendada ni registro de no agendada: el caso se cierra (DL-5).',
  close_by_dl8: 'Día 91 sin sesión celebrada ni nueva fecha: el caso se cierra (DL-8).',
  close_without_agreement: 'El acreditado se negó a firmar: se retira la etiqueta de mediación sin convenio (act. 19).',
};

/** A button for an action that carries no data. */
export function NoInputForm({ detail, onWritten, onReload, action, label }: ActionFormProps & { action: PreparedAction['action']; label: string }) {
  const description = NO_INPUT_DESCRIPTIONS[action];
  return (
    <CaseActionForm
      detail={detail}
      prepare={() => ({ action, input: {} }) as PreparedAction}
      submitLabel={label}
      onWritten={onWritten}
      onReload={onReload}
    >
      {description !== undefined && <p className="field__hint">{description}</p>}
      {action === 'request_draft_convenios' && detail.facts.draftsRequestedOn !== undefined && (
        <p className="notice" data-testid="drafts-requested">
          Solicitados el {formatDate(detail.facts.draftsRequestedOn)}
          {detail.facts.draftsProvidedOn !== undefined ? `; entregados el ${formatDate(detail.facts.draftsProvidedOn)}` : ''}.
        </p>
      )}
    </CaseActionForm>
  );
}
