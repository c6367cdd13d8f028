/**
 * What the case page shows everyone (SPEC §4, §5, SEC-3): the header, the contact data, the due
 * dates with their status and explanation, SLA breaches, the history of events (activity and who)
 * and the outbox evidence (summons, survey invitation).
 */
import { Link } from 'react-router';
import type { CaseDetail, CaseEventItem, CaseState } from '../api/types';
import { CONVENIO_TYPE_LABELS } from '../assignment-labels';
import {
  CONTACT_CHANNEL_LABELS,
  dayLabel,
  FUND_ATTENDEE_LABELS,
  MEDIATOR_KIND_LABELS,
  MESSAGE_CHANNEL_LABELS,
  MESSAGE_PURPOSE_LABELS,
  MESSAGE_STATUS_LABELS,
  NOT_SCHEDULED_CAUSE_LABELS,
  OFFER_CHANNEL_LABELS,
  PARTY_LABELS,
  REFUSAL_TO_SIGN_CAUSE_LABELS,
  SESSION_MODE_LABELS,
  solutionLabel,
  stateLabel,
  SUMMONS_CHANNEL_LABELS,
  SURVEY_CHANNEL_LABELS,
  TERMINAL_STATES,
} from '../case-labels';
import { formatDate, formatInstantDate } from '../format';
import { DueDateList } from './due-date-list';
import { BreachList } from './breach-list';
import { Field } from './field';
import { TimelineEvent } from './timeline';

export function CaseStateChip({ state, label, testId = 'case-state' }: { state: CaseState; label: string; testId?: string }) {
  const tone = TERMINAL_STATES.includes(state) ? 'closed' : state === 'tagged' || state === 'offered' ? 'pending' : 'open';
  return (
    <span className={`state-chip case-chip case-chip--${tone}`} data-testid={testId} data-state={state}>
      {label}
    </span>
  );
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** "2 de diciembre de 2026, 10:30, presencial: Oficinas…" from the latest scheduling event. */
function sessionDescription(detail: CaseDetail): string | null {
  if (detail.sessionDate === null) return null;
  const event = [...detail.events].reverse().find((item) => item.action === 'schedule_session' || item.action === 'reschedule_session');
  const data = (event?.data ?? {}) as Record<string, unknown>;
  const parts = [formatDate(detail.sessionDate)];
  const time = text(data.sessionTime);
  if (time !== undefined) parts.push(time);
  const mode = data.mode === 'in_person' || data.mode === 'remote' ? SESSION_MODE_LABELS[data.mode].toLowerCase() : undefined;
  const where = text(data.place) ?? text(data.remoteTool);
  if (mode !== undefined) parts.push(where === undefined ? mode : `${mode}: ${where}`);
  return parts.join(', ');
}

export function CaseSummary({ detail }: { detail: CaseDetail }) {
  const session = sessionDescription(detail);
  return (
    <section className="section card" aria-labelledby="case-summary-title" data-testid="case-summary">
      <h2 id="case-summary-title">Datos del caso</h2>
      <dl className="fields">
        <Field id="case-credit" label="Crédito">
          <Link to={`/creditos/${detail.creditNumber}`}>{detail.creditNumber}</Link>
        </Field>
        <Field id="case-borrower" label="Acreditado">
          {detail.borrowerName}
        </Field>
        <Field id="case-address" label="Domicilio" wide>
          {detail.address}
        </Field>
        <Field id="case-round" label="Ronda">
          {detail.roundLabel}
        </Field>
        <Field id="case-state" label="Estado">
          <CaseStateChip state={detail.state} label={detail.stateLabel} />
        </Field>
        <Field id="case-day" label="Día">
          <span data-testid="case-day">{dayLabel(detail.day)}</span>
        </Field>
        <Field id="case-accepted-on" label="Aceptación (día 0)">
          {detail.acceptedOn === null ? 'Sin aceptación' : formatDate(detail.acceptedOn)}
        </Field>
        <Field id="case-convenio-type" label="Tipo de convenio">
          {CONVENIO_TYPE_LABELS[detail.convenioType] ?? detail.convenioType}
        </Field>
        <Field id="case-delegation" label="Delegación">
          {detail.delegationName}
        </Field>
        <Field id="case-agency" label="Agencia">
          {detail.agencyName}
        </Field>
        <Field id="case-mediator" label="Mediador">
          {detail.mediatorName === null ? (
            'Sin distribuir'
          ) : (
            <>
              {detail.mediatorName}
              <span className="results__sub">
                {detail.mediatorKind === null ? '' : MEDIATOR_KIND_LABELS[detail.mediatorKind]}
                {detail.appLicenceNumber === null ? '' : ` · licencia ${detail.appLicenceNumber}`}
              </span>
            </>
          )}
        </Field>
        <Field id="case-representative" label="Representante del Infonavit">
          {detail.representativeName === null ? (
            'Sin designar'
          ) : (
            <>
              {detail.representativeName}
              <span className="results__sub">{detail.representativeHasPowers ? 'Con poderes legales' : 'Sin poderes legales'}</span>
            </>
          )}
        </Field>
        <Field id="case-session" label="Sesión">
          {session ?? 'Sin agendar'}
          {(detail.facts.rescheduleCount ?? 0) > 0 && <span className="results__sub">Reagendada una vez (DL-7: ya no se puede reagendar)</span>}
        </Field>
        {detail.closedOn !== null && (
          <Field id="case-closed-on" label="Terminó">
            {formatDate(detail.closedOn)}
            {detail.closureRule === null ? '' : ` (${detail.closureRule})`}
          </Field>
        )}
      </dl>
    </section>
  );
}

/** SEC-1: the contact data captured after the privacy notice (roles that may see them). */
export function CaseContactSection({ detail }: { detail: CaseDetail }) {
  const contact = detail.contact;
  if (contact === null) return null;
  const none = 'No capturado';
  return (
    <section className="section card" aria-labelledby="case-contact-title" data-testid="case-contact">
      <h2 id="case-contact-title">Contacto del acreditado</h2>
      <dl className="fields">
        <Field id="privacy-notice" label="Aviso de privacidad mostrado">
          {detail.privacyNoticeShownOn === null ? 'No' : formatDate(detail.privacyNoticeShownOn)}
        </Field>
        <Field id="contact-captured-on" label="Datos capturados">
          {contact.capturedOn === null ? 'No' : formatDate(contact.capturedOn)}
        </Field>
        <Field id="contact-landline" label="Teléfono fijo">
          {contact.landline ?? none}
        </Field>
        <Field id="contact-mobile" label="Teléfono celular">
          {contact.mobile ?? none}
        </Field>
        <Field id="contact-email" label="Correo electrónico">
          {contact.email ?? none}
        </Field>
      </dl>
    </section>
  );
}

export function CaseDueDates({ detail }: { detail: CaseDetail }) {
  return (
    <section className="section card" aria-labelledby="case-due-title" data-testid="case-due-dates">
      <h2 id="case-due-title">Plazos</h2>
      {detail.dueDates.length === 0 ? (
        <p className="muted">Los plazos corren desde la aceptación (día 0); este caso todavía no la tiene.</p>
      ) : (
        <DueDateList dueDates={detail.dueDates} itemTestId="due-date" />
      )}
    </section>
  );
}

export function CaseBreaches({ detail }: { detail: CaseDetail }) {
  return (
    <section className="section card" aria-labelledby="case-breaches-title" data-testid="case-breaches">
      <h2 id="case-breaches-title">Incumplimientos de nivel de servicio</h2>
      <BreachList breaches={detail.breaches} itemTestId="breach" />
    </section>
  );
}

function label(map: Record<string, string>, value: unknown): string | undefined {
  return typeof value === 'string' ? (map[value] ?? value) : undefined;
}

/** The data of an event worth reading in the history (personal data are never in it). */
function eventDetails(event: CaseEventItem): string | null {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const solutions = Array.isArray(data.solutionsOffered) ? data.solutionsOffered : Array.isArray(data.solutionIds) ? data.solutionIds : null;
  const solutionList = solutions?.filter((item): item is string => typeof item === 'string').join(', ');
  switch (event.action) {
    case 'offer_mediation':
      return [label(OFFER_CHANNEL_LABELS, data.channel), solutionList ? `soluciones ofrecidas: ${solutionList}` : undefined].filter(Boolean).join('; ') || null;
    case 'record_solution_at_visit':
    case 'sign_convenio':
      return typeof data.solutionId === 'string' ? `Solución: ${solutionLabel(data.solutionId as never)}` : null;
    case 'record_acceptance':
    case 'update_contact_data': {
      const fields = Array.isArray(data.contactDataFields) ? data.contactDataFields.length : 0;
      return `Aviso de privacidad mostrado${fields === 0 ? '' : fields === 1 ? '; 1 dato de contacto capturado' : `; ${fields} datos de contacto capturados`}`;
    }
    case 'record_contact_attempt':
      return [label(PARTY_LABELS, data.party), label(CONTACT_CHANNEL_LABELS, data.channel), data.reached === true ? 'contacto logrado' : 'sin contacto']
        .filter(Boolean)
        .join(' · ');
    case 'schedule_session':
    case 'reschedule_session':
      return [
        typeof data.sessionDate === 'string' ? formatDate(data.sessionDate) : undefined,
        text(data.sessionTime),
        label(SESSION_MODE_LABELS, data.mode)?.toLowerCase(),
        text(data.place) ?? text(data.remoteTool),
      ]
        .filter(Boolean)
        .join(', ');
    case 'send_summons':
      return `Por ${label(SUMMONS_CHANNEL_LABELS, data.channel)?.toLowerCase() ?? 'escrito'} al acreditado y al representante`;
    case 'provide_draft_convenios':
      return solutionList ? `Soluciones: ${solutionList}` : null;
    case 'record_not_scheduled':
      return typeof data.cause === 'string' ? `${data.cause}: ${NOT_SCHEDULED_CAUSE_LABELS[data.cause as never] ?? ''}` : null;
    case 'record_refusal_to_sign':
      return typeof data.cause === 'string' ? `${data.cause}: ${REFUSAL_TO_SIGN_CAUSE_LABELS[data.cause as never] ?? ''}` : null;
    case 'hold_session':
      return [
        typeof data.heldOn === 'string' ? `Celebrada el ${formatDate(data.heldOn)}` : undefined,
        label(SESSION_MODE_LABELS, data.mode)?.toLowerCase(),
        label(FUND_ATTENDEE_LABELS, data.fundAttendee),
      ]
        .filter(Boolean)
        .join(', ');
    case 'invite_to_survey':
      return label(SURVEY_CHANNEL_LABELS, data.channel) ?? null;
    default:
      return null;
  }
}

export function CaseHistory({ detail }: { detail: CaseDetail }) {
  return (
    <section className="section card" aria-labelledby="case-history-title" data-testid="case-history">
      <h2 id="case-history-title">Historial</h2>
      <ol className="timeline">
        {detail.events.map((event) => (
          <TimelineEvent
            key={event.version}
            testId="case-event"
            action={event.action}
            label={event.label}
            activity={event.activity}
            onDate={event.onDate}
            actorName={event.actorName}
            actorRole={event.actorRole}
            change={event.fromState !== event.toState ? `De «${stateLabel(event.fromState)}» a «${stateLabel(event.toState)}»` : null}
            details={eventDetails(event)}
          >
            {event.explanation !== null && <p className="timeline__data">{event.explanation}</p>}
          </TimelineEvent>
        ))}
      </ol>
    </section>
  );
}

/** The outbox evidence: what was sent to whom, by which channel, and whether it left. */
export function CaseMessages({ detail }: { detail: CaseDetail }) {
  return (
    <section className="section card" aria-labelledby="case-messages-title" data-testid="case-messages">
      <h2 id="case-messages-title">Mensajes enviados (evidencia)</h2>
      {detail.messages.length === 0 ? (
        <p className="muted">Este caso todavía no tiene mensajes: la convocatoria (act. 11) y la invitación a la encuesta (act. 21) quedan aquí.</p>
      ) : (
        <ul className="timeline">
          {detail.messages.map((message) => (
            <li key={message.id} className="timeline__item" data-testid="case-message" data-purpose={message.purpose} data-status={message.status}>
              <p className="timeline__title">{message.purposeLabel || (MESSAGE_PURPOSE_LABELS[message.purpose] ?? message.purpose)}</p>
              <p className="timeline__meta">
                {MESSAGE_CHANNEL_LABELS[message.channel] ?? message.channel} · {message.recipientName} (
                {PARTY_LABELS[message.recipientKind as never] ?? message.recipientKind}) · {message.recipientAddressMasked}
              </p>
              <p className="timeline__data">
                <span className={`state-chip message-chip message-chip--${message.status}`}>{MESSAGE_STATUS_LABELS[message.status] ?? message.status}</span>{' '}
                {message.sentAt !== null
                  ? `el ${formatInstantDate(message.sentAt)}`
                  : message.status === 'pending'
                    ? `en cola desde el ${formatInstantDate(message.createdAt)}`
                    : ''}
                {message.status === 'failed' && message.lastError !== null ? ` — ${message.lastError}` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
