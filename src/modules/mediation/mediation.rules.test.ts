import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../../clock.js';
import { DEFAULT_DEADLINE_POLICY, MEXICAN_HOLIDAYS, caseDueDates, closesByDl5, type DeadlinePolicy } from '../deadlines/deadlines.rules.js';
import {
  ACTOR_ROLES,
  CASE_ACTIONS,
  CASE_STATES,
  CASE_STATE_LABELS,
  CHECKLIST_ITEMS,
  OPEN_STATES,
  REFUSAL_ERROR_CODE,
  REQUIREMENT_LABELS,
  TERMINAL_STATES,
  TRANSITIONS,
  availableActions,
  decide,
  evolve,
  openCase,
  roundLabel,
  type ActionInputs,
  type ActorRole,
  type AnyCaseEvent,
  type CaseAction,
  type CaseActor,
  type CaseFacts,
  type CaseState,
  type Decision,
  type DecideOptions,
  type OpenCaseInput,
  type RequirementId,
  type SessionChecklist,
} from './mediation.rules.js';

// ------------------------------------------------------------------------------------------------
// Fixtures: every state reached by walking the procedure through `decide` and `evolve`
// ------------------------------------------------------------------------------------------------

const D0: IsoDate = '2026-10-22'; // acceptance, day 0 (day 32 = 23/11/2026, day 91 = 21/01/2027)
const DAY = (n: number) => addDays(D0, n);
const AGENCY = 7;
const DELEGATION = 16;
const MEDIATOR = 41;
const policy = DEFAULT_DEADLINE_POLICY;
const holidays = MEXICAN_HOLIDAYS;
const options: DecideOptions = { policyVersion: 3, approvedRemoteTools: ['Microsoft Teams', 'Zoom'] };

const ACTORS: Record<ActorRole, CaseActor> = {
  mediation_office: { role: 'mediation_office', userId: 1 },
  operations: { role: 'operations', userId: 2 },
  regional_manager: { role: 'regional_manager', userId: 3, delegationId: DELEGATION },
  specialized_recovery: { role: 'specialized_recovery', userId: 4 },
  agency: { role: 'agency', userId: 5, agencyId: AGENCY },
  field_agent: { role: 'field_agent', userId: 6, agencyId: AGENCY },
  mediator: { role: 'mediator', userId: 7, mediatorId: MEDIATOR, agencyId: AGENCY },
  representative: { role: 'representative', userId: 8 },
  borrower: { role: 'borrower', userId: 9 },
  archive: { role: 'archive', userId: 10 },
  auditor: { role: 'auditor', userId: 11 },
  admin: { role: 'admin', userId: 12 },
  system: { role: 'system' },
};

const FULL_CHECKLIST = Object.fromEntries(CHECKLIST_ITEMS.map((item) => [item, true])) as SessionChecklist;
const OPENING_CHECKLIST: SessionChecklist = { ...FULL_CHECKLIST, 'CHK-10': false };

function opened(overrides: Partial<OpenCaseInput> = {}): CaseFacts {
  const result = openCase({ entry: 'monthly', convenioType: 'RATIFIED', agencyId: AGENCY, delegationId: DELEGATION, priorConvenios: 0, brokenConvenios: 0, hasOpenCase: false, ...overrides });
  if (!result.ok) throw new Error(result.message);
  return result.facts;
}

function run<A extends CaseAction>(facts: CaseFacts, action: A, input: ActionInputs[A], today: IsoDate, actor: CaseActor = actorFor(action), deadlinePolicy: DeadlinePolicy = policy): Decision<A> {
  return decide(facts, action, input, actor, today, deadlinePolicy, holidays, options);
}

function step<A extends CaseAction>(facts: CaseFacts, action: A, input: ActionInputs[A], today: IsoDate, actor?: CaseActor): CaseFacts {
  const decision = run(facts, action, input, today, actor);
  if (!decision.ok) throw new Error(`${action} from ${facts.state}: ${decision.message}`);
  return evolve(facts, decision.event as AnyCaseEvent);
}

function actorFor(action: CaseAction): CaseActor {
  return ACTORS[TRANSITIONS[action].roles[0]!];
}

const INPUTS = {
  offer: { channel: 'home_visit', solutionsOffered: ['SOL-2', 'SOL-4'] } satisfies ActionInputs['offer_mediation'],
  acceptance: { privacyNoticeShown: true, contactData: { mobile: '5512345678', email: 'ana.lopez@example.com' } } satisfies ActionInputs['record_acceptance'],
  representative: { representativeId: 5, hasLegalPowers: true, contact: 'rep.morelia@infonavit.org.mx' } satisfies ActionInputs['designate_representative'],
  distribute: { mediatorId: MEDIATOR, mediatorKind: 'cja_certified', appLicenceNumber: 'GM-0041' } satisfies ActionInputs['distribute'],
  contact: { party: 'borrower', channel: 'phone', reached: true } satisfies ActionInputs['record_contact_attempt'],
  schedule: (sessionDate: IsoDate): ActionInputs['schedule_session'] => ({ sessionDate, sessionTime: '10:00', mode: 'in_person' }),
  summons: { channel: 'whatsapp', recipients: ['borrower', 'representative'], evidenceRef: 'captura-0001.png' } satisfies ActionInputs['send_summons'],
  drafts: { solutionIds: ['SOL-2', 'SOL-4'] } satisfies ActionInputs['provide_draft_convenios'],
  hold: (heldOn: IsoDate): ActionInputs['hold_session'] => ({
    heldOn,
    mode: 'in_person',
    borrowerAttended: true,
    fundAttendee: 'representative',
    privacyNoticeShownAtStart: true,
    checklist: OPENING_CHECKLIST,
  }),
  sign: (signedOn: IsoDate): ActionInputs['sign_convenio'] => ({
    signedOn,
    convenioType: 'RATIFIED',
    solutionId: 'SOL-2',
    copies: 3,
    signedBy: ['borrower', 'representative', 'mediator'],
    acknowledgementSigned: true,
    firstPaymentExplained: true,
    checklist: FULL_CHECKLIST,
  }),
  survey: { channel: 'link', complaintChannelsExplained: true } satisfies ActionInputs['invite_to_survey'],
};

interface Fixture {
  facts: CaseFacts;
  /** A day on which the usual actions from this state are valid. */
  asOf: IsoDate;
}

function buildFixtures(): Record<CaseState, Fixture> {
  const tagged = opened();
  const offered = step(tagged, 'offer_mediation', INPUTS.offer, D0);
  const accepted = step(step(offered, 'record_acceptance', INPUTS.acceptance, D0), 'designate_representative', INPUTS.representative, D0);
  const distributed = step(accepted, 'distribute', INPUTS.distribute, DAY(1));
  const contacting = step(distributed, 'record_contact_attempt', INPUTS.contact, DAY(1));
  let scheduled = step(contacting, 'schedule_session', INPUTS.schedule(DAY(14)), DAY(4));
  scheduled = step(scheduled, 'send_summons', INPUTS.summons, DAY(4));
  scheduled = step(scheduled, 'request_draft_convenios', {}, DAY(5));
  scheduled = step(scheduled, 'provide_draft_convenios', INPUTS.drafts, DAY(6));
  const rescheduled = step(step(scheduled, 'reschedule_session', INPUTS.schedule(DAY(21)), DAY(14)), 'send_summons', INPUTS.summons, DAY(14));
  const notScheduled = step(contacting, 'record_not_scheduled', { cause: 'NS-1' }, DAY(31));
  const held = step(scheduled, 'hold_session', INPUTS.hold(DAY(14)), DAY(14));
  const refusedToSign = step(held, 'record_refusal_to_sign', { cause: 'NR-3', finalSession: true }, DAY(14));
  return {
    tagged: { facts: tagged, asOf: D0 },
    offered: { facts: offered, asOf: D0 },
    solution_at_visit: { facts: step(tagged, 'record_solution_at_visit', { solutionId: 'SOL-2' }, D0), asOf: D0 },
    refused: { facts: step(offered, 'record_refusal', {}, D0), asOf: D0 },
    accepted: { facts: accepted, asOf: D0 },
    distributed: { facts: distributed, asOf: DAY(1) },
    contacting: { facts: contacting, asOf: DAY(1) },
    scheduled: { facts: scheduled, asOf: DAY(14) },
    rescheduled: { facts: rescheduled, asOf: DAY(21) },
    not_scheduled: { facts: notScheduled, asOf: DAY(31) },
    session_held: { facts: held, asOf: DAY(14) },
    refused_to_sign: { facts: refusedToSignOrThrow(refusedToSign), asOf: DAY(14) },
    signed: { facts: step(held, 'sign_convenio', INPUTS.sign(DAY(14)), DAY(14)), asOf: DAY(14) },
    closed_not_scheduled: { facts: step(notScheduled, 'close_not_scheduled', {}, DAY(31)), asOf: DAY(31) },
    closed_dl5: { facts: step(contacting, 'close_by_dl5', {}, DAY(32)), asOf: DAY(32) },
    closed_dl8: { facts: step(scheduled, 'close_by_dl8', {}, DAY(91)), asOf: DAY(91) },
    closed_no_agreement: { facts: step(refusedToSign, 'close_without_agreement', {}, DAY(14)), asOf: DAY(14) },
  };
}

function refusedToSignOrThrow(facts: CaseFacts): CaseFacts {
  if (facts.state !== 'refused_to_sign') throw new Error('fixture');
  return facts;
}

const FIXTURES = buildFixtures();

/** A call each transition accepts from a given state's fixture. */
function validCall(action: CaseAction, state: CaseState): { facts: CaseFacts; input: ActionInputs[CaseAction]; today: IsoDate; actor: CaseActor } {
  const { facts, asOf } = FIXTURES[state];
  const base = { facts, today: asOf, actor: actorFor(action) };
  switch (action) {
    case 'offer_mediation':
      return { ...base, input: INPUTS.offer };
    case 'record_solution_at_visit':
      return { ...base, input: { solutionId: 'SOL-2' } };
    case 'record_refusal':
      return { ...base, input: {} };
    case 'record_acceptance':
      return { ...base, input: INPUTS.acceptance };
    case 'mark_accepted':
      return { ...base, facts: { ...facts, entry: 'request', entryNoticeOn: addDays(asOf, -1) }, input: {} };
    case 'distribute':
      return { ...base, input: INPUTS.distribute };
    case 'designate_representative':
      return { ...base, input: INPUTS.representative };
    case 'update_contact_data':
      return { ...base, input: { contactData: { landline: '4433123456' } } };
    case 'record_contact_attempt':
      return { ...base, input: INPUTS.contact };
    case 'schedule_session':
      return { ...base, input: INPUTS.schedule(addDays(asOf, 7)) };
    case 'send_summons':
      return { ...base, input: INPUTS.summons };
    case 'request_draft_convenios':
      return { ...base, input: {} };
    case 'provide_draft_convenios':
      return { ...base, input: INPUTS.drafts };
    case 'reschedule_session':
      return { ...base, input: INPUTS.schedule(addDays(asOf, 7)) };
    case 'record_not_scheduled':
      return { ...base, today: DAY(31), input: { cause: 'NS-2' } };
    case 'close_not_scheduled':
    case 'close_without_agreement':
      return { ...base, input: {} };
    case 'close_by_dl5':
      return { ...base, today: DAY(32), input: {} };
    case 'close_by_dl8':
      return { ...base, today: DAY(91), input: {} };
    case 'hold_session':
      return { ...base, input: INPUTS.hold(asOf) };
    case 'record_refusal_to_sign':
      return { ...base, input: { cause: 'NR-1', finalSession: true } };
    case 'sign_convenio':
      return { ...base, input: INPUTS.sign(facts.lastSessionOn ?? asOf) };
    case 'invite_to_survey':
      return { ...base, input: INPUTS.survey };
  }
}

function callValid(action: CaseAction, state: CaseState, overrides: { actor?: CaseActor; facts?: Partial<CaseFacts> } = {}): Decision {
  const call = validCall(action, state);
  const facts = { ...call.facts, ...overrides.facts };
  return decide(facts, action, call.input as never, overrides.actor ?? call.actor, call.today, policy, holidays, options);
}

const ALLOWED: Array<[CaseAction, CaseState]> = CASE_ACTIONS.flatMap((action) => TRANSITIONS[action].from.map((state): [CaseAction, CaseState] => [action, state]));
const NOT_ALLOWED: Array<[CaseAction, CaseState]> = CASE_ACTIONS.flatMap((action) =>
  CASE_STATES.filter((state) => !TRANSITIONS[action].from.includes(state)).map((state): [CaseAction, CaseState] => [action, state]),
);
const OTHER_ROLES: Array<[CaseAction, ActorRole]> = CASE_ACTIONS.flatMap((action) =>
  ACTOR_ROLES.filter((role) => !TRANSITIONS[action].roles.includes(role)).map((role): [CaseAction, ActorRole] => [action, role]),
);

// ------------------------------------------------------------------------------------------------
// The transition table
// ------------------------------------------------------------------------------------------------

describe('transition table (acts. 2–21, ENT-C)', () => {
  it.each(ALLOWED)('%s is allowed from «%s»', (action, state) => {
    const decision = callValid(action, state);
    expect(decision).toMatchObject({ ok: true });
    if (!decision.ok) return;
    const target = TRANSITIONS[action].to;
    expect(decision.to).toBe(target === 'same' ? state : target);
    expect(decision.event).toMatchObject({ action, from: state, to: decision.to, activity: TRANSITIONS[action].activity, round: 1 });
  });

  it.each(NOT_ALLOWED)('%s is refused from «%s» (INVALID_STATE, or the specific rule)', (action, state) => {
    const { facts } = FIXTURES[state];
    const call = validCall(action, TRANSITIONS[action].from[0]!);
    const decision = decide(facts, action, call.input as never, call.actor, call.today, policy, holidays, options);
    const specific = TRANSITIONS[action].refusedFrom?.[state];
    expect(decision).toMatchObject(specific ? { ok: false, ...specific } : { ok: false, code: 'INVALID_STATE', rule: TRANSITIONS[action].activity });
    if (!decision.ok && !specific) expect(decision.message).toContain(`«${CASE_STATE_LABELS[state]}»`);
  });

  it.each(OTHER_ROLES)('%s is refused to the role %s (FORBIDDEN_ROLE)', (action, role) => {
    const decision = callValid(action, TRANSITIONS[action].from[0]!, { actor: ACTORS[role] });
    expect(decision).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE', rule: TRANSITIONS[action].activity });
  });

  it('every state is reachable from «tagged», and every non-terminal state can be left', () => {
    const reached = new Set<CaseState>(['tagged']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const action of CASE_ACTIONS) {
        const { from, to } = TRANSITIONS[action];
        if (to !== 'same' && from.some((state) => reached.has(state)) && !reached.has(to)) {
          reached.add(to);
          changed = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...CASE_STATES].sort());
    for (const state of CASE_STATES) {
      const leaving = CASE_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(state) && TRANSITIONS[action].to !== 'same' && TRANSITIONS[action].to !== state);
      expect(leaving.length === 0).toBe(TERMINAL_STATES.includes(state));
    }
  });

  it('terminal states are left by no action; only act. 21 is still recorded after the outcome', () => {
    for (const state of TERMINAL_STATES) {
      for (const action of CASE_ACTIONS.filter((item) => TRANSITIONS[item].from.includes(state))) {
        expect([action, TRANSITIONS[action].to]).toEqual(['invite_to_survey', 'same']);
      }
    }
  });

  it('every transition cites its activity, has Spanish labels and known requirements', () => {
    for (const action of CASE_ACTIONS) {
      const transition = TRANSITIONS[action];
      expect(transition.action).toBe(action);
      expect(transition.activity).toMatch(/act\. \d|ENT-[ABC]/);
      expect(transition.label.length).toBeGreaterThan(5);
      expect(transition.roles.length).toBeGreaterThan(0);
      for (const requirement of transition.requires) expect(REQUIREMENT_LABELS[requirement]).toBeTruthy();
    }
    for (const state of CASE_STATES) expect(CASE_STATE_LABELS[state]).toBeTruthy();
    expect(CASE_STATE_LABELS.accepted).toBe('En Mediación');
  });

  it('availableActions lists what a role may do from a state', () => {
    expect(availableActions('contacting', 'mediator').sort()).toEqual(['record_contact_attempt', 'record_not_scheduled', 'schedule_session', 'update_contact_data'].sort());
    expect(availableActions('scheduled', 'system')).toEqual(['close_by_dl8']);
    expect(availableActions('signed', 'mediator')).toEqual(['invite_to_survey']);
    expect(availableActions('tagged', 'auditor')).toEqual([]);
  });

  it('refusal codes map to the AppError codes: 403 for role and scope, 400 for data, 409 for transitions', () => {
    expect(REFUSAL_ERROR_CODE).toEqual({
      FORBIDDEN_ROLE: 'FORBIDDEN',
      OUT_OF_SCOPE: 'FORBIDDEN',
      INVALID_INPUT: 'VALIDATION',
      INVALID_STATE: 'FORBIDDEN_TRANSITION',
      DEADLINE: 'FORBIDDEN_TRANSITION',
      RULE: 'FORBIDDEN_TRANSITION',
    });
  });
});

describe('SEC-2 scope', () => {
  it.each<[string, CaseAction, CaseState, CaseActor]>([
    ['another mediator', 'schedule_session', 'contacting', { role: 'mediator', mediatorId: MEDIATOR + 1 }],
    ['a mediator when none was assigned', 'record_contact_attempt', 'distributed', { role: 'mediator', mediatorId: null }],
    ['another agency', 'distribute', 'accepted', { role: 'agency', agencyId: AGENCY + 1 }],
    ['a field agent of another agency', 'record_acceptance', 'offered', { role: 'field_agent', agencyId: AGENCY + 1 }],
    ['a DR manager of another delegación', 'provide_draft_convenios', 'scheduled', { role: 'regional_manager', delegationId: DELEGATION + 1 }],
  ])('refuses %s (OUT_OF_SCOPE, SEC-2)', (_name, action, state, actor) => {
    expect(callValid(action, state, { actor })).toMatchObject({ ok: false, code: 'OUT_OF_SCOPE', rule: 'SEC-2' });
  });
});

// ------------------------------------------------------------------------------------------------
// Guards
// ------------------------------------------------------------------------------------------------

interface GuardRow {
  name: string;
  requirement: RequirementId;
  action: CaseAction;
  state: CaseState;
  input?: Record<string, unknown>;
  facts?: Partial<CaseFacts>;
  today?: IsoDate;
  actor?: CaseActor;
  expected: { code: string; rule: string; message?: string | RegExp };
}

const GUARDS: GuardRow[] = [
  { name: 'act. 2: a home visit offers the available solutions first', requirement: 'offer_data', action: 'offer_mediation', state: 'tagged', input: { solutionsOffered: [] }, expected: { code: 'RULE', rule: 'act. 2' } },
  { name: 'act. 2: unknown solution offered', requirement: 'offer_data', action: 'offer_mediation', state: 'tagged', input: { solutionsOffered: ['SOL-9'] }, expected: { code: 'INVALID_INPUT', rule: 'act. 2' } },
  { name: 'act. 2: the field agent offers in the home visit, other channels are the agency’s', requirement: 'offer_data', action: 'offer_mediation', state: 'tagged', input: { channel: 'phone' }, expected: { code: 'RULE', rule: 'act. 2' } },
  { name: 'act. 2: the solution accepted must be named', requirement: 'solution_accepted', action: 'record_solution_at_visit', state: 'tagged', input: { solutionId: undefined }, expected: { code: 'INVALID_INPUT', rule: 'act. 2' } },
  { name: 'SEC-1: no contact data without the privacy notice first (act. 4)', requirement: 'privacy_notice_first', action: 'record_acceptance', state: 'offered', input: { privacyNoticeShown: false }, expected: { code: 'RULE', rule: 'SEC-1', message: /datos de contacto sin haber mostrado antes el aviso de privacidad/ } },
  { name: 'SEC-1: acceptance is recorded after showing the privacy notice (act. 4)', requirement: 'privacy_notice_first', action: 'record_acceptance', state: 'offered', input: { privacyNoticeShown: false, contactData: undefined }, expected: { code: 'RULE', rule: 'SEC-1', message: /antes de registrar la aceptación/ } },
  { name: 'SEC-1: contact data later only with the privacy-notice record', requirement: 'contact_data_after_privacy_notice', action: 'update_contact_data', state: 'distributed', facts: { privacyNoticeShownOn: undefined }, expected: { code: 'RULE', rule: 'SEC-1' } },
  { name: 'act. 4: a malformed mobile number', requirement: 'contact_data_valid', action: 'record_acceptance', state: 'offered', input: { contactData: { mobile: '55-1234' } }, expected: { code: 'INVALID_INPUT', rule: 'act. 4' } },
  { name: 'act. 4: contact data with no field', requirement: 'contact_data_valid', action: 'update_contact_data', state: 'contacting', input: { contactData: {} }, expected: { code: 'INVALID_INPUT', rule: 'act. 4' } },
  { name: 'act. 4: a malformed e-mail', requirement: 'contact_data_valid', action: 'update_contact_data', state: 'contacting', input: { contactData: { email: 'sin-arroba' } }, expected: { code: 'INVALID_INPUT', rule: 'act. 4' } },
  { name: 'ENT-A/B: the agency marks accepted only request or RE entries', requirement: 'entry_by_request_or_re', action: 'mark_accepted', state: 'tagged', facts: { entry: 'monthly' }, expected: { code: 'RULE', rule: 'ENT-A' } },
  { name: 'act. 5: the mediator’s app licence is recorded', requirement: 'mediator_registered', action: 'distribute', state: 'accepted', input: { appLicenceNumber: ' ' }, expected: { code: 'INVALID_INPUT', rule: 'act. 5' } },
  { name: 'CNV-2: a RATIFIED case goes to a CJA-certified mediator', requirement: 'mediator_fits_convenio_type', action: 'distribute', state: 'accepted', input: { mediatorKind: 'professional' }, expected: { code: 'RULE', rule: 'CNV-2', message: /Centro de Justicia Alternativa/ } },
  { name: 'CNV-2: a NOTARIAL case goes to a notary', requirement: 'mediator_fits_convenio_type', action: 'distribute', state: 'accepted', facts: { convenioType: 'NOTARIAL' }, expected: { code: 'RULE', rule: 'CNV-2', message: /Notario/ } },
  { name: 'act. 7: the representative of a RATIFIED case holds legal powers', requirement: 'representative_valid', action: 'designate_representative', state: 'distributed', input: { hasLegalPowers: false }, expected: { code: 'RULE', rule: 'act. 7', message: /poderes de representación legal/ } },
  { name: 'act. 7: the representative’s contact is given to the mediator', requirement: 'representative_valid', action: 'designate_representative', state: 'distributed', input: { contact: '' }, expected: { code: 'INVALID_INPUT', rule: 'act. 7' } },
  { name: 'act. 7: scheduling needs the representative designated', requirement: 'representative_designated', action: 'schedule_session', state: 'contacting', facts: { representative: undefined }, expected: { code: 'RULE', rule: 'act. 7' } },
  { name: 'act. 8: the contact attempt names the party and the channel', requirement: 'contact_attempt_valid', action: 'record_contact_attempt', state: 'distributed', input: { party: 'vecino' }, expected: { code: 'INVALID_INPUT', rule: 'act. 8' } },
  { name: 'DL-3: scheduling only until day 30', requirement: 'within_dl3', action: 'schedule_session', state: 'contacting', today: DAY(31), input: { sessionDate: DAY(35) }, expected: { code: 'DEADLINE', rule: 'DL-3', message: 'El plazo para agendar la sesión venció el 21/11/2026 (día 30 desde la aceptación, DL-3); registre que no se logró agendar y la causa (DL-4).' } },
  { name: 'DL-7: the session date within 90 days of acceptance', requirement: 'session_date_valid', action: 'schedule_session', state: 'contacting', input: { sessionDate: DAY(91) }, expected: { code: 'DEADLINE', rule: 'DL-7', message: /a más tardar el 20\/01\/2027/ } },
  { name: 'act. 11: the session date is not in the past', requirement: 'session_date_valid', action: 'schedule_session', state: 'contacting', input: { sessionDate: D0 }, expected: { code: 'INVALID_INPUT', rule: 'act. 11' } },
  { name: 'act. 11: the session time is HH:MM', requirement: 'session_date_valid', action: 'schedule_session', state: 'contacting', input: { sessionTime: '25:00' }, expected: { code: 'INVALID_INPUT', rule: 'act. 11' } },
  { name: 'Lineamiento 3: a remote session names an approved tool', requirement: 'approved_remote_tool', action: 'schedule_session', state: 'contacting', input: { mode: 'remote', remoteTool: 'Skype' }, expected: { code: 'RULE', rule: 'Lineamiento 3', message: /«Skype» no está aprobada/ } },
  { name: 'Lineamiento 3: a remote session without a tool', requirement: 'approved_remote_tool', action: 'hold_session', state: 'scheduled', input: { mode: 'remote' }, expected: { code: 'RULE', rule: 'Lineamiento 3' } },
  { name: 'act. 11: the summons goes in writing', requirement: 'summons_in_writing', action: 'send_summons', state: 'scheduled', input: { channel: 'phone' }, expected: { code: 'INVALID_INPUT', rule: 'act. 11' } },
  { name: 'act. 11: the summons goes to both parties', requirement: 'summons_in_writing', action: 'send_summons', state: 'scheduled', input: { recipients: ['borrower'] }, expected: { code: 'INVALID_INPUT', rule: 'act. 11' } },
  { name: 'act. 11: the evidence of the summons is kept', requirement: 'summons_in_writing', action: 'send_summons', state: 'scheduled', input: { evidenceRef: '' }, expected: { code: 'INVALID_INPUT', rule: 'act. 11' } },
  { name: 'act. 12–13: the DR provides drafts only when requested', requirement: 'drafts_requested', action: 'provide_draft_convenios', state: 'scheduled', facts: { draftsRequestedOn: undefined }, expected: { code: 'RULE', rule: 'act. 12' } },
  { name: 'act. 13: one draft per solution', requirement: 'draft_solutions_valid', action: 'provide_draft_convenios', state: 'scheduled', input: { solutionIds: ['SOL-2', 'SOL-2'] }, expected: { code: 'INVALID_INPUT', rule: 'act. 13' } },
  { name: 'DL-7: only one reschedule (data of a broken case)', requirement: 'one_reschedule', action: 'reschedule_session', state: 'scheduled', facts: { rescheduleCount: 1 }, expected: { code: 'RULE', rule: 'DL-7', message: /^Sólo se permite una reprogramación \(DL-7\)/ } },
  { name: 'DL-7: no reschedule after day 90', requirement: 'within_dl7', action: 'reschedule_session', state: 'scheduled', today: DAY(91), expected: { code: 'DEADLINE', rule: 'DL-7' } },
  { name: 'DL-7: the new date within 90 days', requirement: 'session_date_valid', action: 'reschedule_session', state: 'scheduled', input: { sessionDate: DAY(95) }, expected: { code: 'DEADLINE', rule: 'DL-7' } },
  { name: 'NS-1..3: the cause is required', requirement: 'ns_cause', action: 'record_not_scheduled', state: 'contacting', input: { cause: 'NS-4' }, expected: { code: 'INVALID_INPUT', rule: 'NS-1..3' } },
  { name: 'DL-4: NS is not recorded before day 31, whatever the cause (act. 9)', requirement: 'ns_window', action: 'record_not_scheduled', state: 'contacting', today: DAY(30), input: { cause: 'NS-2' }, expected: { code: 'DEADLINE', rule: 'DL-4', message: /a partir del día 31 desde la aceptación \(22\/11\/2026\)/ } },
  { name: 'DL-5: NS is too late from day 32', requirement: 'ns_window', action: 'record_not_scheduled', state: 'contacting', today: DAY(32), expected: { code: 'DEADLINE', rule: 'DL-5' } },
  { name: 'DL-5: no automatic closure on day 31', requirement: 'dl5_due', action: 'close_by_dl5', state: 'contacting', today: DAY(31), expected: { code: 'DEADLINE', rule: 'DL-5', message: /desde el 23\/11\/2026/ } },
  { name: 'DL-8: no automatic closure on day 90', requirement: 'dl8_due', action: 'close_by_dl8', state: 'scheduled', today: DAY(90), expected: { code: 'DEADLINE', rule: 'DL-8' } },
  { name: 'DL-8: no closure while a new date is still to come', requirement: 'dl8_due', action: 'close_by_dl8', state: 'rescheduled', facts: { sessionDate: DAY(92) }, today: DAY(91), expected: { code: 'DEADLINE', rule: 'DL-8' } },
  { name: 'DL-7: sessions are held within 90 days', requirement: 'held_on_valid', action: 'hold_session', state: 'scheduled', today: DAY(95), input: { heldOn: DAY(91) }, expected: { code: 'DEADLINE', rule: 'DL-7' } },
  { name: 'act. 16: a session is not recorded in the future', requirement: 'held_on_valid', action: 'hold_session', state: 'scheduled', input: { heldOn: DAY(15) }, expected: { code: 'INVALID_INPUT', rule: 'act. 16' } },
  { name: 'act. 16: a session is not before it was scheduled', requirement: 'held_on_valid', action: 'hold_session', state: 'scheduled', input: { heldOn: DAY(3) }, expected: { code: 'INVALID_INPUT', rule: 'act. 16' } },
  { name: 'act. 16: without the borrower the session is not held', requirement: 'parties_present', action: 'hold_session', state: 'scheduled', input: { borrowerAttended: false }, expected: { code: 'RULE', rule: 'act. 16' } },
  { name: 'act. 17: the fund is represented', requirement: 'parties_present', action: 'hold_session', state: 'scheduled', input: { fundAttendee: 'nadie' }, expected: { code: 'INVALID_INPUT', rule: 'act. 17' } },
  { name: 'act. 7: the attending representative of a RATIFIED case holds powers', requirement: 'parties_present', action: 'hold_session', state: 'scheduled', facts: { representative: { id: 5, hasLegalPowers: false } }, expected: { code: 'RULE', rule: 'act. 7' } },
  { name: 'CHK-2: the privacy notice at the start of the session (act. 16)', requirement: 'session_opening', action: 'hold_session', state: 'scheduled', input: { privacyNoticeShownAtStart: false }, expected: { code: 'RULE', rule: 'CHK-2' } },
  { name: 'CHK-1: the mediator identifies himself', requirement: 'session_opening', action: 'hold_session', state: 'scheduled', input: { checklist: { ...OPENING_CHECKLIST, 'CHK-1': false } }, expected: { code: 'RULE', rule: 'CHK-1' } },
  { name: 'CHK-1..10: the checklist is recorded', requirement: 'session_opening', action: 'hold_session', state: 'scheduled', input: { checklist: { 'CHK-1': true } }, expected: { code: 'INVALID_INPUT', rule: 'CHK-1..10' } },
  { name: 'NR-1..5: the cause is required', requirement: 'nr_cause', action: 'record_refusal_to_sign', state: 'session_held', input: { cause: 'NS-1' }, expected: { code: 'INVALID_INPUT', rule: 'NR-1..5' } },
  { name: 'act. 18: NR only at the end of the last session', requirement: 'final_session', action: 'record_refusal_to_sign', state: 'session_held', input: { finalSession: false }, expected: { code: 'RULE', rule: 'act. 18' } },
  { name: 'CHK-1..10: every item before signing (CNV-2)', requirement: 'checklist_complete', action: 'sign_convenio', state: 'session_held', input: { checklist: { ...FULL_CHECKLIST, 'CHK-3': false, 'CHK-6': false } }, expected: { code: 'RULE', rule: 'CHK-3', message: /falta: CHK-3 .*; CHK-6 / } },
  { name: 'CHK-10: the convenio signed is part of the checklist', requirement: 'checklist_complete', action: 'sign_convenio', state: 'session_held', input: { checklist: OPENING_CHECKLIST }, expected: { code: 'RULE', rule: 'CHK-10' } },
  { name: 'CHK-2: the privacy notice was at the start of the session before signing', requirement: 'checklist_complete', action: 'sign_convenio', state: 'session_held', facts: { lastSessionPrivacyNoticeAtStart: false }, expected: { code: 'RULE', rule: 'CHK-2' } },
  { name: 'act. 20: signed at the end of the session, on its date', requirement: 'signature_on_session_day', action: 'sign_convenio', state: 'session_held', input: { signedOn: DAY(15) }, expected: { code: 'RULE', rule: 'act. 20', message: /\(05\/11\/2026\)/ } },
  { name: 'ASG-3: the convenio type assigned to the credit', requirement: 'convenio_type_matches', action: 'sign_convenio', state: 'session_held', input: { convenioType: 'ADMINISTRATIVE' }, expected: { code: 'RULE', rule: 'ASG-3' } },
  { name: 'act. 13: a solution of the drafts provided', requirement: 'solution_from_drafts', action: 'sign_convenio', state: 'session_held', input: { solutionId: 'SOL-5' }, expected: { code: 'RULE', rule: 'act. 13', message: /SOL-2, SOL-4/ } },
  { name: 'act. 13: no signature without the DR’s drafts', requirement: 'solution_from_drafts', action: 'sign_convenio', state: 'session_held', facts: { draftsProvidedOn: undefined, draftSolutionIds: undefined }, expected: { code: 'RULE', rule: 'act. 13' } },
  { name: 'CNV-2: the signing representative of a RATIFIED convenio holds powers', requirement: 'representative_powers_at_signature', action: 'sign_convenio', state: 'session_held', facts: { representative: { id: 5, hasLegalPowers: false } }, expected: { code: 'RULE', rule: 'CNV-2' } },
  { name: 'CNV-2: a RATIFIED convenio by a CJA-certified mediator', requirement: 'representative_powers_at_signature', action: 'sign_convenio', state: 'session_held', facts: { mediatorKind: 'professional' }, expected: { code: 'RULE', rule: 'CNV-2' } },
  { name: 'act. 20: at least in triplicate', requirement: 'signatories', action: 'sign_convenio', state: 'session_held', input: { copies: 2 }, expected: { code: 'RULE', rule: 'act. 20', message: /triplicado/ } },
  { name: 'act. 20: signed by borrower, representative and mediator', requirement: 'signatories', action: 'sign_convenio', state: 'session_held', input: { signedBy: ['borrower', 'mediator'] }, expected: { code: 'RULE', rule: 'act. 20' } },
  { name: 'act. 20: the borrower’s acknowledgement (acuse)', requirement: 'signatories', action: 'sign_convenio', state: 'session_held', input: { acknowledgementSigned: false }, expected: { code: 'RULE', rule: 'act. 20', message: /acuse/ } },
  { name: 'act. 20: the first-payment period explained', requirement: 'signatories', action: 'sign_convenio', state: 'session_held', input: { firstPaymentExplained: false }, expected: { code: 'RULE', rule: 'act. 20', message: /primer pago/ } },
  { name: 'act. 21: the survey channel', requirement: 'survey_invitation', action: 'invite_to_survey', state: 'signed', input: { channel: 'papel' }, expected: { code: 'INVALID_INPUT', rule: 'act. 21' } },
  { name: 'act. 21: where to complain is explained', requirement: 'survey_invitation', action: 'invite_to_survey', state: 'closed_no_agreement', input: { complaintChannelsExplained: false }, expected: { code: 'RULE', rule: 'act. 21' } },
];

describe('guards', () => {
  it.each(GUARDS)('$name', (row) => {
    const call = validCall(row.action, row.state);
    const facts = { ...call.facts, ...row.facts };
    const input = { ...(call.input as Record<string, unknown>), ...row.input };
    const decision = decide(facts, row.action, input as never, row.actor ?? call.actor, row.today ?? call.today, policy, holidays, options);
    expect(decision).toMatchObject({ ok: false, code: row.expected.code, rule: row.expected.rule });
    if (!decision.ok && row.expected.message !== undefined) {
      if (typeof row.expected.message === 'string') expect(decision.message).toBe(row.expected.message);
      else expect(decision.message).toMatch(row.expected.message);
    }
  });

  it('every requirement of the table has at least one refusing example', () => {
    const used = new Set(CASE_ACTIONS.flatMap((action) => TRANSITIONS[action].requires));
    const tested = new Set(GUARDS.map((row) => row.requirement));
    expect([...used].filter((requirement) => !tested.has(requirement))).toEqual([]);
    for (const row of GUARDS) expect(TRANSITIONS[row.action].requires).toContain(row.requirement);
  });

  it('DL-7: a second reschedule is refused with "Sólo se permite una reprogramación (DL-7)"', () => {
    const decision = callValid('reschedule_session', 'rescheduled');
    expect(decision).toMatchObject({ ok: false, code: 'RULE', rule: 'DL-7' });
    if (!decision.ok) expect(decision.message).toMatch(/^Sólo se permite una reprogramación \(DL-7\)/);
  });

  it('act. 7: an ADMINISTRATIVE convenio needs no legal powers — designation, session and signature', () => {
    const administrative = { convenioType: 'ADMINISTRATIVE' as const, mediatorKind: 'professional' as const };
    const designation = validCall('designate_representative', 'distributed');
    expect(decide({ ...designation.facts, ...administrative }, 'designate_representative', { ...INPUTS.representative, hasLegalPowers: false }, designation.actor, designation.today, policy, holidays, options).ok).toBe(true);
    const noPowers = { ...administrative, representative: { id: 5, hasLegalPowers: false } };
    expect(callValid('hold_session', 'scheduled', { facts: noPowers }).ok).toBe(true);
    const sign = validCall('sign_convenio', 'session_held');
    const decision = decide({ ...sign.facts, ...noPowers }, 'sign_convenio', { ...INPUTS.sign(DAY(14)), convenioType: 'ADMINISTRATIVE' }, sign.actor, sign.today, policy, holidays, options);
    expect(decision.ok).toBe(true);
  });

  it('act. 17: the DR manager or authorised staff may attend instead of the representative', () => {
    for (const fundAttendee of ['regional_manager', 'authorised_staff'] as const) {
      const decision = decide(
        { ...FIXTURES.scheduled.facts, representative: { id: 5, hasLegalPowers: false } },
        'hold_session',
        { ...INPUTS.hold(DAY(14)), fundAttendee },
        ACTORS.mediator,
        DAY(14),
        policy,
        holidays,
        options,
      );
      expect(decision.ok).toBe(true);
    }
  });

  it('Lineamiento 3: an approved tool is accepted for a remote session', () => {
    const decision = run(FIXTURES.contacting.facts, 'schedule_session', { ...INPUTS.schedule(DAY(10)), mode: 'remote', remoteTool: 'Zoom' }, DAY(1));
    expect(decision.ok).toBe(true);
  });

  it('DL-3: scheduling is allowed on day 30 itself', () => {
    expect(run(FIXTURES.contacting.facts, 'schedule_session', INPUTS.schedule(DAY(40)), DAY(30)).ok).toBe(true);
  });

  it('DL-4/DL-5 with a business-day policy: the NS window moves with the holidays', () => {
    const business = structuredClone(DEFAULT_DEADLINE_POLICY);
    for (const key of ['DL-3', 'DL-4', 'DL-5', 'DL-7', 'DL-8'] as const) business[key].unit = 'business';
    // From Thu 22/10/2026, business day 31 is Mon 07/12/2026 (16/11 is a rest day), business day 32 Tue 08/12.
    const ns = (today: IsoDate) => run(FIXTURES.contacting.facts, 'record_not_scheduled', { cause: 'NS-3' }, today, ACTORS.mediator, business);
    expect(ns('2026-12-04')).toMatchObject({ ok: false, rule: 'DL-4' });
    expect(ns('2026-12-07').ok).toBe(true);
    expect(ns('2026-12-08')).toMatchObject({ ok: false, rule: 'DL-5' });
  });
});

// ------------------------------------------------------------------------------------------------
// Events and facts
// ------------------------------------------------------------------------------------------------

describe('events and evolve', () => {
  it('the whole procedure: tagged → … → signed, with day 0 at acceptance and every deadline met', () => {
    const signed = FIXTURES.signed.facts;
    expect(signed).toMatchObject({
      state: 'signed',
      acceptedOn: D0,
      privacyNoticeShownOn: D0,
      contactDataCapturedOn: D0,
      distributedOn: DAY(1),
      firstContactOn: DAY(1),
      scheduledOn: DAY(4),
      summonsSentOn: DAY(4),
      draftsRequestedOn: DAY(5),
      draftsProvidedOn: DAY(6),
      draftSolutionIds: ['SOL-2', 'SOL-4'],
      sessionHeldOn: DAY(14),
      lastSessionOn: DAY(14),
      sessionsHeld: 1,
      signedOn: DAY(14),
      solutionId: 'SOL-2',
      mediatorId: MEDIATOR,
      representative: { id: 5, hasLegalPowers: true },
    });
    const dates = caseDueDates({ ...signed, acceptedOn: D0 }, policy, 3, holidays, DAY(14));
    const byRule = Object.fromEntries(dates.map((date) => [date.key, date.status]));
    expect(byRule).toMatchObject({ 'DL-1': 'met', 'DL-2': 'met', 'DL-3': 'met', 'DL-6': 'met', 'DL-7': 'met', 'DL-8': 'met', 'SL-1': 'met', 'DL-9': 'pending' });
  });

  it('DL-5 closure event: rule, policy version and explanation (explainable afterwards)', () => {
    const decision = run(FIXTURES.contacting.facts, 'close_by_dl5', {}, DAY(32), ACTORS.system);
    expect(decision.ok).toBe(true);
    if (!decision.ok) return;
    expect(decision.event).toMatchObject({
      to: 'closed_dl5',
      closureRule: 'DL-5',
      policyVersion: 3,
      explanation: 'DL-5: cierre automático el día 32 desde la aceptación (23/11/2026) sin sesión agendada ni registro de no agendada — política v3',
    });
    expect(evolve(FIXTURES.contacting.facts, decision.event)).toMatchObject({ state: 'closed_dl5', closedOn: DAY(32), closureRule: 'DL-5' });
  });

  it('DL-8 closure event explains day 91', () => {
    expect(FIXTURES.closed_dl8.facts).toMatchObject({ state: 'closed_dl8', closedOn: DAY(91), closureRule: 'DL-8' });
    const decision = run(FIXTURES.rescheduled.facts, 'close_by_dl8', {}, DAY(91), ACTORS.operations);
    expect(decision.ok && decision.event.explanation).toBe('DL-8: cierre automático el día 91 desde la aceptación (21/01/2027) sin sesión celebrada ni nueva fecha — política v3');
  });

  it('NS and NR records keep the cause and the closures by operations their activity (acts. 9–10, 18–19)', () => {
    expect(FIXTURES.not_scheduled.facts).toMatchObject({ notScheduledRecordedOn: DAY(31), notScheduledCause: 'NS-1' });
    expect(FIXTURES.closed_not_scheduled.facts).toMatchObject({ closedOn: DAY(31), closureRule: 'act. 10' });
    expect(FIXTURES.refused_to_sign.facts).toMatchObject({ refusedToSignOn: DAY(14), refusalToSignCause: 'NR-3' });
    expect(FIXTURES.closed_no_agreement.facts).toMatchObject({ closureRule: 'act. 19' });
    expect(FIXTURES.refused.facts).toMatchObject({ refusedOn: D0, closedOn: D0, closureRule: 'act. 3' });
    expect(FIXTURES.solution_at_visit.facts).toMatchObject({ solutionId: 'SOL-2', closureRule: 'act. 2' });
  });

  it('act. 14: the reschedule records the new date, counts once, and its summons is measured separately (DL-6)', () => {
    expect(FIXTURES.rescheduled.facts).toMatchObject({ rescheduleCount: 1, rescheduledOn: DAY(14), sessionDate: DAY(21), rescheduleSummonsSentOn: DAY(14), summonsSentOn: DAY(4) });
  });

  it('act. 16: more than one session within the 90 days; the last one is the one that counts for signing', () => {
    const second = step(FIXTURES.session_held.facts, 'hold_session', INPUTS.hold(DAY(20)), DAY(20));
    expect(second).toMatchObject({ state: 'session_held', sessionsHeld: 2, sessionHeldOn: DAY(14), lastSessionOn: DAY(20) });
    expect(run(second, 'sign_convenio', INPUTS.sign(DAY(14)), DAY(20))).toMatchObject({ ok: false, rule: 'act. 20' });
    expect(run(second, 'sign_convenio', INPUTS.sign(DAY(20)), DAY(20)).ok).toBe(true);
  });

  it('act. 21: the survey invitation is recorded whatever the outcome', () => {
    for (const state of ['session_held', 'refused_to_sign', 'signed', 'closed_no_agreement'] as const) {
      expect(step(FIXTURES[state].facts, 'invite_to_survey', INPUTS.survey, DAY(14))).toMatchObject({ state, surveyInvitedOn: DAY(14) });
    }
  });

  it('SEC-1: a mediator may capture contact data after showing the notice himself', () => {
    const facts = { ...FIXTURES.contacting.facts, privacyNoticeShownOn: undefined };
    const after = step(facts, 'update_contact_data', { privacyNoticeShown: true, contactData: { email: 'ana@example.com' } }, DAY(2), ACTORS.mediator);
    expect(after).toMatchObject({ privacyNoticeShownOn: DAY(2), contactDataCapturedOn: DAY(2) });
  });

  it('ENT-A: the agency marks a requested credit accepted; DL-18 measures it from the office’s notice', () => {
    const tagged = opened({ entry: 'request', entryNoticeOn: addDays(D0, -1) });
    const accepted = step(tagged, 'mark_accepted', {}, D0);
    expect(accepted).toMatchObject({ state: 'accepted', acceptedOn: D0 });
    const dl18 = caseDueDates({ ...accepted, acceptedOn: D0 }, policy, 1, holidays, D0).find((date) => date.rule === 'DL-18');
    expect(dl18).toMatchObject({ dueOn: D0, status: 'met' });
  });
});

// ------------------------------------------------------------------------------------------------
// Re-mediation rounds (ENT-C)
// ------------------------------------------------------------------------------------------------

describe('re-mediation rounds (ENT-C, EXC-1, ASG-5)', () => {
  const base: OpenCaseInput = { entry: 'monthly', convenioType: 'RATIFIED', agencyId: AGENCY, delegationId: DELEGATION, priorConvenios: 0, brokenConvenios: 0, hasOpenCase: false };

  it('round 1 for a first mediation; round 2 after a broken convenio', () => {
    expect(openCase(base)).toMatchObject({ ok: true, facts: { state: 'tagged', round: 1 } });
    expect(openCase({ ...base, entry: 're_mediation', priorConvenios: 1, brokenConvenios: 1 })).toMatchObject({ ok: true, facts: { round: 2, entry: 're_mediation' } });
    expect(roundLabel(1)).toBe('Mediación');
    expect(roundLabel(2)).toBe('Re-mediación (ronda 2)');
  });

  it('EXC-1: a credit with two broken convenios cannot open a new round', () => {
    expect(openCase({ ...base, entry: 're_mediation', priorConvenios: 2, brokenConvenios: 2 })).toMatchObject({ ok: false, code: 'RULE', rule: 'EXC-1' });
    expect(openCase({ ...base, priorConvenios: 3, brokenConvenios: 2 })).toMatchObject({ ok: false, rule: 'EXC-1' });
  });

  it('EXC-1 follows the policy value of maxBrokenConvenios', () => {
    expect(openCase({ ...base, entry: 're_mediation', priorConvenios: 2, brokenConvenios: 2, maxBrokenConvenios: 3 })).toMatchObject({ ok: true, facts: { round: 3 } });
    expect(openCase({ ...base, entry: 're_mediation', priorConvenios: 1, brokenConvenios: 1, maxBrokenConvenios: 1 })).toMatchObject({ ok: false, rule: 'EXC-1' });
  });

  it('ENT-C: re-mediation follows a convenio, broken or with new circumstances stated', () => {
    expect(openCase({ ...base, entry: 're_mediation' })).toMatchObject({ ok: false, code: 'RULE', rule: 'ENT-C' });
    expect(openCase({ ...base, entry: 're_mediation', priorConvenios: 1 })).toMatchObject({ ok: false, code: 'INVALID_INPUT', rule: 'ENT-C' });
    expect(openCase({ ...base, entry: 're_mediation', priorConvenios: 1, newCircumstances: 'Pérdida del empleo del acreditado' })).toMatchObject({ ok: true, facts: { round: 2 } });
  });

  it('ASG-5: a credit keeps its open case', () => {
    expect(openCase({ ...base, hasOpenCase: true })).toMatchObject({ ok: false, code: 'RULE', rule: 'ASG-5' });
  });

  it('refuses inconsistent counts', () => {
    expect(openCase({ ...base, priorConvenios: 0, brokenConvenios: 1 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(openCase({ ...base, priorConvenios: -1 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('a re-mediation round follows the same rules and its events carry the round', () => {
    const round2 = opened({ entry: 're_mediation', priorConvenios: 1, brokenConvenios: 1 });
    const offered = run(round2, 'offer_mediation', INPUTS.offer, D0);
    expect(offered.ok && offered.event.round).toBe(2);
    const refused = step(step(round2, 'offer_mediation', INPUTS.offer, D0), 'record_refusal', { note: 'No desea re-mediación' }, D0);
    expect(refused).toMatchObject({ state: 'refused', round: 2 });
  });

  it('property: round = 1 + prior convenios; opening is refused exactly at EXC-1 or with an open case', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.integer({ min: 1, max: 4 }), (prior, brokenRaw, hasOpenCase, maxBroken) => {
        const broken = Math.min(prior, brokenRaw);
        const result = openCase({ ...base, entry: prior > 0 ? 're_mediation' : 'monthly', priorConvenios: prior, brokenConvenios: broken, hasOpenCase, maxBrokenConvenios: maxBroken, newCircumstances: 'Cambio de situación' });
        const refused = hasOpenCase || broken >= maxBroken;
        expect(result.ok).toBe(!refused);
        if (result.ok) expect(result.facts.round).toBe(prior + 1);
      }),
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Properties over the whole machine
// ------------------------------------------------------------------------------------------------

describe('properties', () => {
  const preScheduling = ['accepted', 'distributed', 'contacting'] as const;

  it('DL-5: the closure is accepted exactly when closesByDl5 holds, for every day and consistent policy', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...preScheduling),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 45 }),
        fc.constantFrom('calendar' as const, 'business' as const),
        (state, offset, dl3, unit) => {
          const candidate = structuredClone(DEFAULT_DEADLINE_POLICY);
          candidate['DL-3'] = { amount: dl3, unit, from: 'acceptance' };
          candidate['DL-4'] = { amount: dl3 + 1, unit, from: 'acceptance' };
          candidate['DL-5'] = { amount: dl3 + 2, unit, from: 'acceptance' };
          candidate['DL-7'] = { amount: dl3 + 60, unit, from: 'acceptance' };
          candidate['DL-8'] = { amount: dl3 + 61, unit, from: 'acceptance' };
          const facts = FIXTURES[state].facts;
          const today = DAY(offset);
          const decision = decide(facts, 'close_by_dl5', {}, ACTORS.system, today, candidate, holidays, options);
          expect(decision.ok).toBe(closesByDl5({ ...facts, acceptedOn: D0 }, today, candidate, holidays));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('random walks: decide never throws; accepted events move to their table state; at most one reschedule; NS only on day 31; sessions within day 90', () => {
    const arbStep = fc.record({
      pickAction: fc.nat(),
      pickRole: fc.nat(),
      anyAction: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      anyRole: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      jump: fc.boolean(),
      advance: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 1 }), weight: 6 }, { arbitrary: fc.integer({ min: 2, max: 30 }), weight: 1 }),
      pick: fc.integer({ min: 0, max: 1000 }),
    });
    const reached = new Set<CaseState>();
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 30, maxLength: 80, size: 'max' }), (steps) => {
        let facts = opened();
        let today = D0;
        for (const { pickAction, pickRole, anyAction, anyRole, jump, advance, pick } of steps) {
          today = addDays(today, advance);
          const allowedHere = CASE_ACTIONS.filter((item) => TRANSITIONS[item].from.includes(facts.state));
          const pool = anyAction || allowedHere.length === 0 ? CASE_ACTIONS : allowedHere;
          const action = pool[pickAction % pool.length]!;
          // Sometimes wait for the action's day (act. 9 day 31, DL-5 day 32, DL-8 day 91).
          const windowDay = WINDOW_DAY[action];
          if (jump && windowDay !== undefined && facts.acceptedOn !== undefined && addDays(facts.acceptedOn, windowDay) > today) today = addDays(facts.acceptedOn, windowDay);
          const roles = anyRole ? ACTOR_ROLES : TRANSITIONS[action].roles;
          const role = roles[pickRole % roles.length]!;
          const input = randomInput(action, facts, today, pick);
          const decision = decide(facts, action, input as never, ACTORS[role], today, policy, holidays, options);
          if (!decision.ok) {
            expect(decision.message.length).toBeGreaterThan(10);
            continue;
          }
          const transition = TRANSITIONS[action];
          expect(transition.from).toContain(facts.state);
          expect(transition.roles).toContain(role);
          const next = evolve(facts, decision.event as AnyCaseEvent);
          expect(next.state).toBe(transition.to === 'same' ? facts.state : transition.to);
          if (action === 'record_not_scheduled') expect(today).toBe(addDays(facts.acceptedOn!, 31));
          if (action === 'hold_session') expect(next.lastSessionOn! <= addDays(facts.acceptedOn!, 90)).toBe(true);
          if (action === 'schedule_session') expect(today <= addDays(facts.acceptedOn!, 30)).toBe(true);
          if (action === 'close_by_dl5' || action === 'close_by_dl8') expect(today >= addDays(facts.acceptedOn!, action === 'close_by_dl5' ? 32 : 91)).toBe(true);
          if (action === 'sign_convenio') expect(next.signedOn).toBe(facts.lastSessionOn);
          if (TERMINAL_STATES.includes(facts.state)) expect(next.state).toBe(facts.state);
          expect(next.rescheduleCount).toBeLessThanOrEqual(1);
          if (OPEN_STATES.includes(next.state)) expect(next.acceptedOn).toBeDefined();
          facts = next;
          reached.add(facts.state);
        }
      }),
      { numRuns: 400 },
    );
    // The walks are long enough to matter: they go well past the visit (observed: 15–17 states).
    expect(reached.size).toBeGreaterThanOrEqual(10);
  });
});

const WINDOW_DAY: Partial<Record<CaseAction, number>> = { record_not_scheduled: 31, close_by_dl5: 32, close_by_dl8: 91 };

/** Plausible input for a random walk: usually valid for the facts, sometimes off by a little. */
function randomInput(action: CaseAction, facts: CaseFacts, today: IsoDate, pick: number): ActionInputs[CaseAction] {
  const sessionDate = addDays(today, pick % 30);
  switch (action) {
    case 'offer_mediation':
      return INPUTS.offer;
    case 'record_solution_at_visit':
      return { solutionId: 'SOL-3' };
    case 'record_acceptance':
      return pick % 7 === 0 ? { privacyNoticeShown: false, contactData: { mobile: '5512345678' } } : INPUTS.acceptance;
    case 'distribute':
      return pick % 5 === 0 ? { ...INPUTS.distribute, mediatorKind: 'notary' } : INPUTS.distribute;
    case 'designate_representative':
      return { ...INPUTS.representative, hasLegalPowers: pick % 6 !== 0 };
    case 'update_contact_data':
      return { contactData: { email: 'ana@example.com' } };
    case 'record_contact_attempt':
      return INPUTS.contact;
    case 'schedule_session':
    case 'reschedule_session':
      return INPUTS.schedule(sessionDate);
    case 'send_summons':
      return INPUTS.summons;
    case 'provide_draft_convenios':
      return INPUTS.drafts;
    case 'record_not_scheduled':
      return { cause: (['NS-1', 'NS-2', 'NS-3'] as const)[pick % 3]! };
    case 'hold_session':
      return INPUTS.hold(facts.sessionDate !== undefined && facts.sessionDate <= today ? facts.sessionDate : today);
    case 'record_refusal_to_sign':
      return { cause: 'NR-2', finalSession: pick % 4 !== 0 };
    case 'sign_convenio':
      return INPUTS.sign(facts.lastSessionOn ?? today);
    case 'invite_to_survey':
      return INPUTS.survey;
    default:
      return {};
  }
}
