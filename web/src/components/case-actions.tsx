/**
 * The activities the signed-in user may record now — only those the server lists in `actions`
 * (role and state) — each behind a disclosure button, the likely next one open.
 */
import { useId, useState, type ReactNode } from 'react';
import type { CaseAction, CaseActionOption, CaseDetail } from '../api/types';
import { DistributeForm, RepresentativeForm } from './case-agency-forms';
import type { ActionFormProps } from './case-action-form';
import {
  ContactAttemptForm,
  HoldSessionForm,
  NoInputForm,
  NotScheduledForm,
  ProvideDraftsForm,
  RefusalToSignForm,
  SessionPlanForm,
  SignConvenioForm,
  SummonsForm,
  SurveyForm,
} from './case-session-forms';
import { ContactDataForm, MediationAnswerForm, OfferForm, VisitForm } from './case-visit-forms';

interface Panel {
  id: string;
  title: string;
  activity: string;
  /** The actions it records (for the suggestion). */
  actions: CaseAction[];
  render: (props: ActionFormProps) => ReactNode;
}

function formFor(option: CaseActionOption): (props: ActionFormProps) => ReactNode {
  switch (option.action) {
    case 'offer_mediation':
      return (props) => <OfferForm {...props} />;
    case 'record_solution_at_visit':
      return (props) => <VisitForm {...props} />;
    case 'record_acceptance':
    case 'record_refusal':
      return (props) => <MediationAnswerForm {...props} />;
    case 'designate_representative':
      return (props) => <RepresentativeForm {...props} />;
    case 'distribute':
      return (props) => <DistributeForm {...props} />;
    case 'update_contact_data':
      return (props) => <ContactDataForm {...props} />;
    case 'record_contact_attempt':
      return (props) => <ContactAttemptForm {...props} />;
    case 'schedule_session':
      return (props) => <SessionPlanForm {...props} reschedule={false} />;
    case 'reschedule_session':
      return (props) => <SessionPlanForm {...props} reschedule />;
    case 'send_summons':
      return (props) => <SummonsForm {...props} />;
    case 'record_not_scheduled':
      return (props) => <NotScheduledForm {...props} />;
    case 'provide_draft_convenios':
      return (props) => <ProvideDraftsForm {...props} />;
    case 'hold_session':
      return (props) => <HoldSessionForm {...props} />;
    case 'record_refusal_to_sign':
      return (props) => <RefusalToSignForm {...props} />;
    case 'sign_convenio':
      return (props) => <SignConvenioForm {...props} />;
    case 'invite_to_survey':
      return (props) => <SurveyForm {...props} />;
    default:
      return (props) => <NoInputForm {...props} action={option.action} label={option.label} />;
  }
}

/**
 * One panel per action, except two combined ones: the field agent's visit (a solution accepted, or
 * mediation offered, act. 2–3) and the borrower's answer (acceptance or refusal, act. 3–4).
 */
function panelsOf(detail: CaseDetail): Panel[] {
  const has = (action: CaseAction) => detail.actions.some((option) => option.action === action);
  const combined = new Set<CaseAction>();
  const panels: Panel[] = [];
  if (has('offer_mediation') && has('record_solution_at_visit')) {
    combined.add('offer_mediation').add('record_solution_at_visit');
    panels.push({
      id: 'visit',
      title: 'Registrar visita',
      activity: 'act. 2–3',
      actions: ['offer_mediation', 'record_solution_at_visit'],
      render: (props) => <VisitForm {...props} />,
    });
  }
  if (has('record_acceptance') && has('record_refusal')) {
    combined.add('record_acceptance').add('record_refusal');
    panels.push({
      id: 'answer',
      title: 'Respuesta del acreditado a la mediación',
      activity: 'act. 3–4',
      actions: ['record_acceptance', 'record_refusal'],
      render: (props) => <MediationAnswerForm {...props} />,
    });
  }
  for (const option of detail.actions) {
    if (combined.has(option.action)) continue;
    panels.push({ id: option.action, title: option.label, activity: option.activity, actions: [option.action], render: formFor(option) });
  }
  return panels;
}

/** The activity the user most likely came to record, opened at first. */
export function suggestedAction(detail: CaseDetail): CaseAction | undefined {
  const has = (action: CaseAction) => detail.actions.some((option) => option.action === action);
  const facts = detail.facts;
  const summonsPending = facts.rescheduledOn !== undefined ? facts.rescheduleSummonsSentOn === undefined : facts.summonsSentOn === undefined;
  const order: [CaseAction, boolean][] = [
    ['offer_mediation', true],
    ['record_acceptance', true],
    ['mark_accepted', true],
    ['designate_representative', detail.representativeId === null],
    ['distribute', true],
    ['schedule_session', true],
    ['send_summons', summonsPending],
    ['provide_draft_convenios', facts.draftsProvidedOn === undefined],
    ['request_draft_convenios', facts.draftsRequestedOn === undefined],
    ['hold_session', (facts.sessionsHeld ?? 0) === 0],
    ['sign_convenio', true],
    ['invite_to_survey', facts.surveyInvitedOn === undefined],
  ];
  return order.find(([action, applies]) => applies && has(action))?.[0];
}

function ActionPanel({ panel, open, onToggle, props }: { panel: Panel; open: boolean; onToggle: () => void; props: ActionFormProps }) {
  const id = useId();
  const bodyId = `${id}-body`;
  return (
    <li className={`case-action${open ? ' case-action--open' : ''}`} data-testid="case-action" data-action={panel.id}>
      <h3 className="case-action__title">
        <button type="button" className="case-action__toggle" aria-expanded={open} aria-controls={bodyId} onClick={onToggle}>
          <span className="case-action__icon" aria-hidden="true" />
          <span className="case-action__label">{panel.title}</span>
          <span className="case-action__activity">({panel.activity})</span>
        </button>
      </h3>
      <div id={bodyId} className="case-action__body" hidden={!open}>
        {panel.render(props)}
      </div>
    </li>
  );
}

/**
 * The forms of the actions in `detail.actions`. Give it `key={detail.version}`: after each write the
 * panels start again from the new state's suggestion.
 */
export function CaseActions({ detail, onWritten, onReload }: ActionFormProps) {
  const panels = panelsOf(detail);
  const suggested = suggestedAction(detail);
  const [open, setOpen] = useState<ReadonlySet<string>>(() => {
    const first = panels.find((panel) => suggested !== undefined && panel.actions.includes(suggested));
    return new Set(first === undefined ? [] : [first.id]);
  });

  if (panels.length === 0) {
    return (
      <p className="notice" data-testid="no-case-actions">
        No hay actividades que le correspondan registrar en este caso ahora.
      </p>
    );
  }

  function toggle(id: string) {
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  return (
    <ul className="case-actions">
      {panels.map((panel) => (
        <ActionPanel key={panel.id} panel={panel} open={open.has(panel.id)} onToggle={() => toggle(panel.id)} props={{ detail, onWritten, onReload }} />
      ))}
    </ul>
  );
}
