/**
 * The HTTP contract of the server (src/http). Amounts are integer cents, rates basis points,
 * dates 'YYYY-MM-DD' calendar dates; NUMERIC values (VSM amounts, payment factor) arrive as text.
 */

export type Role =
  | 'mediation_office'
  | 'operations'
  | 'regional_manager'
  | 'specialized_recovery'
  | 'agency'
  | 'field_agent'
  | 'mediator'
  | 'representative'
  | 'borrower'
  | 'archive'
  | 'auditor'
  | 'admin';

export type ScopeKind =
  | 'national'
  | 'delegation'
  | 'agency'
  | 'field_agent'
  | 'mediator'
  | 'representative'
  | 'credit';

export interface Scope {
  kind: ScopeKind;
  /** Spanish, e.g. "Delegación Regional Jalisco". */
  label: string;
  delegationId?: number;
  agencyId?: number;
  mediatorId?: number;
  creditNumber?: string;
}

export interface Me {
  id: number;
  username: string;
  fullName: string;
  role: Role;
  /** Spanish name of the role, e.g. "Gerente de Cobranza de la Delegación Regional". */
  roleLabel: string;
  scope: Scope;
}

/** Reply of POST /api/auth/login and GET /api/me. */
export interface Session {
  user: Me;
  /** Sent back in the `x-csrf-token` header of every mutating request. */
  csrfToken: string;
}

export interface LoginInput {
  username: string;
  password: string;
}

/** Body of every error reply; `message` is Spanish and meant for the user. */
export interface ErrorBody {
  code: string;
  message: string;
  /** Machine-readable detail of some errors, e.g. `{ rule: 'ASG-5', caseId: 12 }`. */
  details?: unknown;
}

export type Denomination = 'VSM' | 'MXN';

/** Amortisation regime: ROA payroll deduction by the employer, REA the borrower pays directly. */
export type Regime = 'ROA' | 'REA';

export interface DelegationRef {
  id: number;
  code: string;
  name: string;
}

export interface CreditSummary {
  creditNumber: string;
  borrowerName: string;
  delegation: DelegationRef;
  segment: string;
  segmentLabel: string;
  denomination: Denomination;
  balanceCents: number;
  /** omisos */
  monthsInArrears: number;
  regime: Regime;
}

export interface CreditPage {
  items: CreditSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface CreditSearch {
  q: string;
  limit: number;
  offset: number;
}

export interface Address {
  street: string;
  /** colonia */
  settlement: string;
  municipality: string;
  postalCode: string;
}

export interface Borrower {
  name: string;
  nss: string;
  curp: string;
  rfc: string;
  birthDate: string;
  address: Address;
  phoneLandline: string | null;
  phoneMobile: string | null;
  email: string | null;
}

/** The facts the exclusion rules EXC-1..10 read (SPEC §3). */
export interface ExclusionFacts {
  brokenConvenios: number;
  housingStatus: string;
  housingStatusLabel: string;
  activeRestructure: boolean;
  outsourced: boolean;
  trustPool: boolean;
  billingActive: boolean;
  activeExtension: boolean;
  legalStage: string;
  legalStageLabel: string;
  accompaniment: boolean;
  legalStageFrozen: boolean;
}

export interface CreditDetail extends CreditSummary {
  borrower: Borrower;
  originalAmountCents: number;
  monthlyPaymentCents: number;
  paymentFactor: string;
  insuranceFeesCents: number;
  interestRateBp: number;
  termMonths: number;
  originalAmountVsm: string | null;
  balanceVsm: string | null;
  paymentsMade: number;
  originationDate: string;
  inSocialCollections: boolean;
  exclusionFacts: ExclusionFacts;
}

// --- monthly tagging and assignment (SPEC §3, ASG-1..6) ----------------------------------------

/** 'YYYY-MM'. */
export type Month = string;

export type ConvenioType = 'RATIFIED' | 'NOTARIAL' | 'ADMINISTRATIVE';

export type Segment = 'cobranza_administrativa' | 'recuperacion_cartera_vencida' | 'recuperacion_vivienda_vulnerable' | 'recuperacion_especializada';

/**
 * ASG-3: one rule of the convenio-type criteria. A condition left out holds for every credit;
 * the first rule whose conditions all hold decides.
 */
export interface ConvenioTypeRule {
  type: ConvenioType;
  delegationIds?: number[];
  segments?: Segment[];
  /** whole cents (the balance is at least this) */
  minBalanceCents?: number;
  /** the kind of mediator that must be available in the credit's delegación */
  requiresMediatorKind?: 'cja_certified' | 'notary' | 'professional';
}

/** The policy convenio_type_criteria: rules in order, and the type when none applies. */
export interface ConvenioTypeCriteria {
  rules: ConvenioTypeRule[];
  fallback: ConvenioType;
}

/** GET /api/delegations */
export interface DelegationItem {
  id: number;
  code: string;
  name: string;
}

/** One row of GET /api/assignment/runs (the latest month first). */
export interface AssignmentRunListItem {
  month: Month;
  runOn: string;
  /** ISO instant; null while not published. */
  publishedAt: string | null;
  evaluated: number;
  tagged: number;
  assigned: number;
}

export interface DelegationRunCounts {
  delegationId: number;
  code: string;
  name: string;
  evaluated: number;
  tagged: number;
  assigned: number;
}

export interface AgencyRunCounts {
  agencyId: number;
  code: string;
  name: string;
  capacity: number;
  assigned: number;
}

export interface PolicyVersionsUsed {
  exclusionCriteria: number;
  convenioTypeCriteria: number;
  solutionParameters: number;
}

export interface MonthDifference {
  previousMonth: Month | null;
  entered: number;
  left: number;
  changedAgency: number;
  /** "EXC-3", "SIN-CAPACIDAD", "FUERA-DE-CARTERA" → credits that left for that reason. */
  leftBecause: Record<string, number>;
}

/** GET /api/assignment/runs/:month and POST /api/assignment/runs. */
export interface RunSummary {
  runId: number;
  month: Month;
  runOn: string;
  /** A simulation: nothing was saved. */
  dryRun: boolean;
  /** The month had already been run: nothing changed (ASG-5). */
  alreadyRun: boolean;
  evaluated: number;
  tagged: number;
  excluded: number;
  assigned: number;
  /** Tagged but without an agency (no capacity in the delegation). */
  unassigned: number;
  /** "EXC-1" → credits that rule excluded (a credit may meet several rules). */
  byRule: Record<string, number>;
  /** "EXC-1" → the rule's wording in Spanish. */
  ruleWording: Record<string, string>;
  byDelegation: DelegationRunCounts[];
  byAgency: AgencyRunCounts[];
  /** Only the types that occur. */
  byConvenioType: Partial<Record<ConvenioType, number>>;
  policies: PolicyVersionsUsed;
  difference: MonthDifference;
}

export interface RunRequest {
  month: Month;
  dryRun: boolean;
}

export interface AssignedAccount {
  creditNumber: string;
  borrowerName: string;
  delegation: string;
  agency: string;
  convenioType: ConvenioType;
  convenioTypeLabel: string;
  assignedOn: string;
  fieldAgent: string | null;
}

/** GET /api/assignment/accounts: the user's scope only (SEC-2). */
export interface AssignedAccountPage {
  /** The month shown; null when no assignment was ever published. */
  month: Month | null;
  items: AssignedAccount[];
  total: number;
}

export interface AssignedAccountSearch {
  /** Omitted: the latest published month. */
  month?: Month;
  limit: number;
  offset: number;
}

export interface ExclusionReason {
  rule: string;
  wording: string;
}

/** GET /api/credits/:number/explanation?month= — why a credit was (not) tagged in a month. */
export interface CreditExplanation {
  creditNumber: string;
  month: Month;
  evaluated: boolean;
  tagged: boolean;
  /** Every rule that excluded it (not only the first). */
  reasons: ExclusionReason[];
  /** Spanish, one sentence. */
  message: string;
  policyVersion: number | null;
  assignment: {
    agencyId: number;
    agencyName: string;
    convenioType: ConvenioType;
    convenioTypeLabel: string;
    assignedOn: string;
    entry: string;
  } | null;
}

export interface Notice {
  id: string;
  /** ISO instant. */
  createdAt: string;
  title: string;
  body: string;
  /** An app path ("/asignacion?mes=…") or null. */
  link: string | null;
}

// --- policies (ASG-2) --------------------------------------------------------------------------

export type ExclusionRuleId = 'EXC-1' | 'EXC-2' | 'EXC-3' | 'EXC-4' | 'EXC-5' | 'EXC-6' | 'EXC-7' | 'EXC-8' | 'EXC-9' | 'EXC-10';

export type ExcludedHousingStatus = 'abandoned' | 'invaded' | 'vandalised' | 'uninhabited' | 'not_located';
export type ExcludedLegalStage = 'lawsuit_filed' | 'judgment' | 'execution';

export interface ExclusionCriteria {
  'EXC-1': { enabled: boolean; maxBrokenConvenios: number };
  'EXC-2': { enabled: boolean; housingStatuses: ExcludedHousingStatus[] };
  'EXC-3': { enabled: boolean };
  'EXC-4': { enabled: boolean };
  'EXC-5': { enabled: boolean };
  'EXC-6': { enabled: boolean };
  'EXC-7': { enabled: boolean };
  'EXC-8': { enabled: boolean };
  'EXC-9': { enabled: boolean; legalStages: ExcludedLegalStage[] };
  'EXC-10': { enabled: boolean };
}

export interface PolicyVersion<T> {
  id: number;
  version: number;
  value: T;
  reason: string;
  authorUserId: number | null;
  /** the author's full name, in the list of versions (null: the system's initial value) */
  authorName?: string | null;
  /** ISO instant. */
  createdAt: string;
  /** 'YYYY-MM-DD'. */
  effectiveFrom: string;
  notifiedAreas: string[];
}

/** GET /api/policies/:key — the latest version first. */
export interface Policy<T> {
  key: string;
  label: string;
  defaultSource: string;
  versions: PolicyVersion<T>[];
}

export interface PolicyChange<T> {
  value: T;
  reason: string;
  effectiveFrom: string;
  notifiedAreas: string[];
}

// --- entries outside the monthly run (SPEC §11, ENT-A and ENT-B) ------------------------------

/** request: a borrower's request or an area's proposal (ENT-A); specialized_recovery: RE's inhabited accounts (ENT-B). */
export type ProposalEntry = 'request' | 'specialized_recovery';

export type ProposalStatus = 'pending' | 'resolved';

/**
 * What the review did with one proposed credit: pending (not reviewed yet), tagged, excluded (with
 * every rule), already_tagged (assigned this month before the review), no_agency (eligible, but no
 * agency serves its delegation).
 */
export type ProposalCreditOutcome = 'pending' | 'tagged' | 'excluded' | 'already_tagged' | 'no_agency';

export interface ProposalCredit {
  creditNumber: string;
  borrowerName: string;
  outcome: ProposalCreditOutcome;
  /** Every exclusion rule the credit met (excluded credits only). */
  reasons: ExclusionReason[];
  agencyName: string | null;
  convenioType: ConvenioType | null;
  convenioTypeLabel: string | null;
}

/** One row of GET /api/proposals (the latest first, at most 200). */
export interface ProposalListItem {
  id: number;
  entry: ProposalEntry;
  requesterName: string;
  /** Spanish name of the requester's role, e.g. "Gerencia de Recuperación Especializada". */
  requesterArea: string;
  reason: string;
  /** ISO instant. */
  createdAt: string;
  status: ProposalStatus;
  /** ISO instant; null while pending. */
  resolvedAt: string | null;
  /** How many credits it names. */
  credits: number;
}

/** GET /api/proposals/:id, and the reply of POST /api/proposals and POST /api/proposals/:id/resolve. */
export interface Proposal extends Omit<ProposalListItem, 'credits'> {
  /** The month the eligible credits were tagged in; null while pending. */
  month: Month | null;
  credits: ProposalCredit[];
}

export interface ProposalRequest {
  entry: ProposalEntry;
  /** 10 digits each, at most 5,000. */
  creditNumbers: string[];
  /** 5 to 2,000 characters. */
  reason: string;
}

// --- mediation cases (SPEC §4 acts. 2–21, §5; src/modules/mediation) ---------------------------

/** The states of a case (mediation.rules CASE_STATES); the server sends the Spanish label with each. */
export type CaseState =
  | 'tagged'
  | 'offered'
  | 'solution_at_visit'
  | 'refused'
  | 'accepted'
  | 'distributed'
  | 'contacting'
  | 'scheduled'
  | 'rescheduled'
  | 'not_scheduled'
  | 'session_held'
  | 'refused_to_sign'
  | 'signed'
  | 'closed_not_scheduled'
  | 'closed_dl5'
  | 'closed_dl8'
  | 'closed_no_agreement';

/** The work lists of GET /api/cases?queue=. */
export type CaseQueue = 'all' | 'open' | 'to_distribute' | 'new' | 'to_schedule' | 'scheduled' | 'in_session' | 'drafts_requested' | 'closed';

export type CaseAction =
  | 'offer_mediation'
  | 'record_solution_at_visit'
  | 'record_refusal'
  | 'record_acceptance'
  | 'mark_accepted'
  | 'distribute'
  | 'designate_representative'
  | 'update_contact_data'
  | 'record_contact_attempt'
  | 'schedule_session'
  | 'send_summons'
  | 'request_draft_convenios'
  | 'provide_draft_convenios'
  | 'reschedule_session'
  | 'record_not_scheduled'
  | 'close_not_scheduled'
  | 'close_by_dl5'
  | 'close_by_dl8'
  | 'hold_session'
  | 'record_refusal_to_sign'
  | 'close_without_agreement'
  | 'sign_convenio'
  | 'invite_to_survey';

export type SolutionId = 'SOL-1' | 'SOL-2' | 'SOL-3' | 'SOL-4' | 'SOL-5';
export type OfferChannel = 'home_visit' | 'phone' | 'email' | 'sms' | 'whatsapp' | 'mail';
export type ContactChannel = 'phone' | 'email' | 'sms' | 'whatsapp' | 'in_person';
export type SummonsChannel = 'email' | 'sms' | 'whatsapp';
export type SessionMode = 'in_person' | 'remote';
export type FundAttendee = 'representative' | 'regional_manager' | 'authorised_staff';
export type Signatory = 'borrower' | 'representative' | 'mediator';
export type SurveyChannel = 'link' | 'device';
export type CaseParty = 'borrower' | 'representative';
export type NotScheduledCause = 'NS-1' | 'NS-2' | 'NS-3';
export type RefusalToSignCause = 'NR-1' | 'NR-2' | 'NR-3' | 'NR-4' | 'NR-5';
export type ChecklistItem = 'CHK-1' | 'CHK-2' | 'CHK-3' | 'CHK-4' | 'CHK-5' | 'CHK-6' | 'CHK-7' | 'CHK-8' | 'CHK-9' | 'CHK-10';
export type SessionChecklist = Record<ChecklistItem, boolean>;
export type MediatorKind = 'cja_certified' | 'notary' | 'professional';

/** One row of GET /api/visits: an account of the agency's latest month and its case, if any (act. 2). */
export interface VisitAccount {
  creditNumber: string;
  borrowerName: string;
  address: string;
  convenioType: ConvenioType;
  monthsInArrears: number;
  /** The credit's case that has not ended; null when none is open. */
  caseId: number | null;
  caseState: CaseState | null;
  caseStateLabel: string | null;
}

export interface VisitPage {
  /** The agency's latest assignment month; null when nothing was assigned. */
  month: Month | null;
  total: number;
  rows: VisitAccount[];
}

export interface VisitSearch {
  q: string;
  /** Only accounts without a case or whose case waits for the visit (tagged, offered). */
  pending: boolean;
  limit: number;
  offset: number;
}

/** One row of GET /api/cases. */
export interface CaseListItem {
  id: number;
  creditNumber: string;
  borrowerName: string;
  round: number;
  state: CaseState;
  stateLabel: string;
  version: number;
  convenioType: ConvenioType;
  /** Day 0. */
  acceptedOn: string | null;
  sessionDate: string | null;
  /** DL-1, accepted cases only. */
  distributeBy: string | null;
  /** The automatic closure that applies now: DL-8 once scheduled, DL-5 before. */
  closesOn: string | null;
  agencyName: string;
  mediatorName: string | null;
}

export interface CasePage {
  total: number;
  rows: CaseListItem[];
}

export interface CaseSearch {
  queue: CaseQueue;
  q: string;
  limit: number;
  offset: number;
}

export interface CaseDueDate {
  /** 'DL-1', 'DL-5', 'SL-1' … */
  rule: string;
  dueOn: string;
  status: 'met' | 'pending' | 'breached';
  /** Spanish: how the date was computed (policy version, calendar or business days). */
  explanation: string;
}

export interface CaseBreach {
  rule: string;
  dueOn: string;
  flaggedOn: string;
}

export interface CaseEventItem {
  version: number;
  action: string;
  label: string;
  activity: string;
  fromState: string;
  toState: string;
  onDate: string;
  actorRole: string;
  actorName: string | null;
  data: unknown;
  closureRule: string | null;
  policyVersion: number | null;
  explanation: string | null;
  /** ISO instant. */
  recordedAt: string;
}

/** What the case page reads of the case's facts (the server sends them all). */
export interface CaseFacts {
  offeredOn?: string;
  refusedOn?: string;
  acceptedOn?: string;
  distributedOn?: string;
  firstContactOn?: string;
  contactAttempts?: number;
  scheduledOn?: string;
  sessionDate?: string;
  summonsSentOn?: string;
  rescheduledOn?: string;
  rescheduleSummonsSentOn?: string;
  rescheduleCount?: number;
  notScheduledCause?: NotScheduledCause;
  draftsRequestedOn?: string;
  draftsProvidedOn?: string;
  draftSolutionIds?: SolutionId[];
  sessionsHeld?: number;
  lastSessionOn?: string;
  refusedToSignOn?: string;
  refusalToSignCause?: RefusalToSignCause;
  solutionId?: SolutionId;
  signedOn?: string;
  surveyInvitedOn?: string;
  [key: string]: unknown;
}

export interface CaseContact {
  capturedOn: string | null;
  landline: string | null;
  mobile: string | null;
  email: string | null;
  /** What the credit's record holds, to confirm with the borrower. */
  onFile: { landline: string | null; mobile: string | null; email: string | null };
}

/** An action the signed-in user may take now (role and state). */
export interface CaseActionOption {
  action: CaseAction;
  label: string;
  activity: string;
}

/** GET /api/cases/:id, and the reply of every case write. */
export interface CaseDetail {
  id: number;
  creditNumber: string;
  borrowerName: string;
  address: string;
  monthsInArrears: number;
  round: number;
  /** "Mediación" or "Re-mediación (ronda 2)". */
  roundLabel: string;
  entry: string;
  month: Month;
  convenioType: ConvenioType;
  delegationName: string;
  agencyId: number;
  agencyName: string;
  mediatorId: number | null;
  mediatorName: string | null;
  mediatorKind: MediatorKind | null;
  appLicenceNumber: string | null;
  representativeId: number | null;
  representativeName: string | null;
  representativeHasPowers: boolean | null;
  state: CaseState;
  stateLabel: string;
  /** Sent back with every write (optimistic locking: an older version gets 409 STALE_VERSION). */
  version: number;
  openedOn: string;
  acceptedOn: string | null;
  sessionDate: string | null;
  closedOn: string | null;
  closureRule: string | null;
  /** Calendar days since acceptance (day 0); null before it. */
  day: number | null;
  facts: CaseFacts;
  privacyNoticeShownOn: string | null;
  /** null for roles that never see the borrower's contact data. */
  contact: CaseContact | null;
  dueDates: CaseDueDate[];
  breaches: CaseBreach[];
  events: CaseEventItem[];
  /** Outbox evidence (summons, survey invitation), oldest first. */
  messages: CaseMessage[];
  /** The signed convenio of the case (act. 20), if in the user's scope. */
  convenio: { id: number; folio: string; status: ConvenioStatus } | null;
  actions: CaseActionOption[];
  /** Lineamiento 3. */
  approvedRemoteTools: string[];
}

/** A message of the case sent through the outbox: the evidence of a summons (act. 11, 14; DL-6) or survey invitation (act. 21). */
export interface CaseMessage {
  id: number;
  /** 'summons' | 'reschedule_summons' | 'survey_invitation' | … */
  purpose: string;
  /** Spanish, e.g. "Convocatoria a sesión (act. 11)". */
  purposeLabel: string;
  channel: 'email' | 'sms' | 'whatsapp';
  recipientKind: string;
  recipientName: string;
  /** Every character but the last 4 hidden. */
  recipientAddressMasked: string;
  subject: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  /** ISO instants. */
  nextAttemptAt: string | null;
  sentAt: string | null;
  /** Why the last attempt failed (no personal data). */
  lastError: string | null;
  caseEventId: number | null;
  createdAt: string;
}

/** One row of GET /api/credits/:number/cases (the credit's rounds). */
export interface CreditCase {
  id: number;
  round: number;
  entry: string;
  state: CaseState;
  stateLabel: string;
  openedOn: string;
  acceptedOn: string | null;
  closedOn: string | null;
  closureRule: string | null;
  agencyName: string;
}

export interface ContactDataInput {
  landline?: string;
  mobile?: string;
  email?: string;
}

export interface SessionPlanInput {
  sessionDate: string;
  /** 'HH:MM', 24 hours. */
  sessionTime: string;
  mode: SessionMode;
  place?: string;
  remoteTool?: string;
}

/** The body's `input` of each action (src/modules/mediation/cases.schemas.ts ACTION_INPUT_SCHEMAS). */
export interface CaseActionInputs {
  offer_mediation: { channel: OfferChannel; solutionsOffered: SolutionId[] };
  record_solution_at_visit: { solutionId: SolutionId };
  record_refusal: { note?: string };
  record_acceptance: { privacyNoticeShown: boolean; contactData?: ContactDataInput };
  mark_accepted: Record<string, never>;
  distribute: { mediatorId: number };
  designate_representative: { representativeId: number };
  update_contact_data: { privacyNoticeShown?: boolean; contactData: ContactDataInput };
  record_contact_attempt: { party: CaseParty; channel: ContactChannel; reached: boolean };
  schedule_session: SessionPlanInput;
  send_summons: { channel: SummonsChannel; recipients: CaseParty[] };
  request_draft_convenios: Record<string, never>;
  provide_draft_convenios: { solutionIds?: SolutionId[] };
  reschedule_session: SessionPlanInput;
  record_not_scheduled: { cause: NotScheduledCause };
  close_not_scheduled: Record<string, never>;
  close_by_dl5: Record<string, never>;
  close_by_dl8: Record<string, never>;
  hold_session: {
    heldOn: string;
    mode: SessionMode;
    remoteTool?: string;
    borrowerAttended: boolean;
    fundAttendee: FundAttendee;
    privacyNoticeShownAtStart: boolean;
    checklist: SessionChecklist;
  };
  record_refusal_to_sign: { cause: RefusalToSignCause; finalSession: boolean };
  close_without_agreement: Record<string, never>;
  sign_convenio: {
    signedOn: string;
    convenioType: ConvenioType;
    solutionId: SolutionId;
    copies: number;
    signedBy: Signatory[];
    acknowledgementSigned: boolean;
    firstPaymentExplained: boolean;
    checklist: SessionChecklist;
  };
  invite_to_survey: { channel: SurveyChannel; complaintChannelsExplained: boolean };
}

/** GET /api/mediators: the agency's mediator ↔ app-licence register (act. 5). */
export interface Mediator {
  id: number;
  agencyId: number;
  agencyName: string;
  fullName: string;
  kind: MediatorKind;
  certificationNumber: string | null;
  certificationExpiresOn: string | null;
  notaryNumber: string | null;
  appLicenceNumber: string | null;
  active: boolean;
  openCases: number;
}

/** GET /api/representatives: the Infonavit representatives the agency designates (act. 7). */
export interface Representative {
  id: number;
  agencyName: string;
  delegationName: string;
  fullName: string;
  hasLegalPowers: boolean;
  active: boolean;
}

// --- deadline policy, holiday calendar and remote-session tools (SPEC §5, Lineamiento 3) -------

/** 'calendar' = días naturales; 'business' = días hábiles. */
export type DayUnit = 'calendar' | 'business';

/** What a deadline counts from: fixed by the procedure, the office cannot change it. */
export type DeadlineAnchor =
  | 'acceptance'
  | 'distribution'
  | 'scheduling'
  | 'signature'
  | 'convenio_receipt'
  | 'correction_request'
  | 'case_file_receipt'
  | 'file_correction_request'
  | 'certificates_receipt'
  | 'service_conclusion'
  | 'month_start'
  | 'report_receipt'
  | 'report_clarification_request'
  | 'office_notice';

export type DeadlineKey =
  | 'DL-1'
  | 'DL-2'
  | 'DL-3'
  | 'DL-4'
  | 'DL-5'
  | 'DL-6'
  | 'DL-7'
  | 'DL-8'
  | 'DL-9'
  | 'DL-10'
  | 'DL-11'
  | 'DL-12'
  | 'DL-13.request'
  | 'DL-13.answer'
  | 'DL-14'
  | 'DL-15'
  | 'DL-16'
  | 'DL-17.request'
  | 'DL-17.answer'
  | 'DL-18'
  | 'SL-1';

export interface DeadlineRule {
  amount: number;
  unit: DayUnit;
  from: DeadlineAnchor;
}

/** Policy key `deadlines`: one entry per key (src/modules/deadlines/deadlines.rules.ts). */
export type DeadlinePolicy = Record<DeadlineKey, DeadlineRule>;

/** Policy key `holiday_calendar`: LFT art. 74 rest days (switchable) plus the office's extra days. */
export interface HolidayPolicy {
  statutoryRestDays: boolean;
  extraNonWorkingDays: { date: string; name: string }[];
}

/** Policy key `remote_session_tools` (Lineamiento 3). */
export interface RemoteSessionTools {
  tools: string[];
}

// --- convenios (SPEC §6 CNV-1..6, §4 acts. 20–27; src/modules/convenios) ----------------------

/** convenios.rules CONVENIO_STATUSES; the server sends the Spanish label with each. */
export type ConvenioStatus = 'signed' | 'under_review' | 'corrections_requested' | 'approved' | 'in_force' | 'broken';

/** The work lists of GET /api/convenios?queue= (convenios.service CONVENIO_QUEUES). */
export type ConvenioQueue = 'all' | 'to_submit' | 'to_review' | 'first_payment' | 'in_force' | 'broken' | 'cja_pending';

export type ConvenioAction = 'submit_documents' | 'request_corrections' | 'approve' | 'record_cja_registration';

/** One row of GET /api/convenios. */
export interface ConvenioListItem {
  id: number;
  /** "CM-2026-0000123". */
  folio: string;
  creditNumber: string;
  borrowerName: string;
  status: ConvenioStatus;
  statusLabel: string;
  version: number;
  convenioType: ConvenioType;
  solutionId: SolutionId;
  solutionName: string;
  signedOn: string;
  submittedOn: string | null;
  approvedOn: string | null;
  /** DL-10 while under review; DL-11 while corrections are requested; null otherwise. */
  reviewBy: string | null;
  firstPaymentCents: number;
  firstPaymentDueOn: string;
  firstPaidOn: string | null;
  agencyName: string;
  mediatorName: string;
  delegationName: string;
}

export interface ConvenioPage {
  total: number;
  rows: ConvenioListItem[];
}

export interface ConvenioSearch {
  queue: ConvenioQueue;
  q: string;
  limit: number;
  offset: number;
}

/** The terms signed (CNV-1): the catalogue's figures on the signature day (SPEC §8). */
export interface ConvenioTerms {
  /** The debt the solution starts from: the balance plus the capitalised arrears. */
  balanceBeforeCents: number;
  discountCents: number;
  balanceAfterCents: number;
  monthlyPaymentCents: number;
  /** Decimal text. */
  paymentFactor: string;
  interestRateBp: number;
  /** Monthly payments still to make under the convenio. */
  termMonths: number;
  firstPaymentCents: number;
  firstPaymentDueOn: string;
  /** Spanish lines: how each figure was obtained. */
  explanation: string[];
  benefit: string | null;
}

/** The credit as it was at the signature (cents as decimal text: stored as JSON). */
export interface ConvenioCreditBefore {
  denomination?: Denomination;
  balanceCents?: string;
  balanceVsm?: string | null;
  monthlyPaymentCents?: string;
  paymentFactor?: string;
  interestRateBp?: number;
  termMonths?: number;
  paymentsMade?: number;
  monthsInArrears?: number;
}

export interface ConvenioCreditNow {
  denomination: Denomination;
  balanceCents: number;
  monthlyPaymentCents: number;
  insuranceFeesCents: number;
  paymentFactor: string;
  interestRateBp: number;
  /** The whole term of the credit (payments made plus those left). */
  termMonths: number;
  paymentsMade: number;
  monthsInArrears: number;
  activeRestructure: boolean;
  brokenConvenios: number;
}

/** The restructure applied to the credit by the approval (CNV-4). */
export interface ConvenioRestructure {
  appliedOn: string;
  balanceCents: number;
  monthlyPaymentCents: number;
  paymentFactor: string;
  interestRateBp: number;
  termMonths: number;
}

/** Acts. 22–25 and their deadlines DL-9..12. */
export interface ConvenioReview {
  dl9DueOn: string | null;
  submittedOn: string | null;
  dl10DueOn: string | null;
  dl12DueOn: string | null;
  correctionsRequestedOn: string | null;
  dl11DueOn: string | null;
  reviewRounds: number | null;
  approvedOn: string | null;
}

/** CNV-5. */
export interface ConvenioFirstPayment {
  amountCents: number;
  dueOn: string;
  paidOn: string | null;
  paidCents: number | null;
  brokenOn: string | null;
  brokenRule: string | null;
}

/** Act. 27 (RATIFIED). */
export interface ConvenioCja {
  centre: string;
  registrationNumber: string;
  registeredOn: string;
  certificateDocumentId: number | null;
}

export type PaymentChannel = 'window' | 'payroll' | 'transfer';

/** A payment of the credit since the signature (PAY-1). */
export interface ConvenioPayment {
  id: number;
  paidOn: string;
  amountCents: number;
  channel: PaymentChannel;
  reference: string;
}

/** documents.service DOCUMENT_TYPES (EXP-1, EXP-3). */
export type DocumentType =
  | 'signed_convenio'
  | 'borrower_id'
  | 'acknowledgement'
  | 'party_ids'
  | 'cja_certificate'
  | 'fee_payment_proof'
  | 'confidentiality_agreement'
  | 'other';

export type DocumentMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** A document of a case (EXP-3): every version is kept; `current` marks the latest of its type. */
export interface CaseDocument {
  id: number;
  caseId: number;
  documentType: DocumentType;
  documentTypeLabel: string;
  version: number;
  replacesDocumentId: number | null;
  sha256: string;
  mediaType: DocumentMediaType;
  fileName: string;
  sizeBytes: number;
  uploadedBy: string;
  uploadedRole: string;
  /** ISO instant. */
  uploadedAt: string;
  uploadedOn: string;
  current: boolean;
}

/** convenios.service RECONCILIATION_CHECKS. */
export type ReconciliationCheck =
  | 'restructure_missing'
  | 'restructure_terms'
  | 'credit_payment'
  | 'credit_rate'
  | 'credit_factor'
  | 'credit_denomination'
  | 'credit_balance'
  | 'restructure_flag'
  | 'first_payment_unrecorded'
  | 'first_payment_short';

/** One difference between the signed terms, the terms applied to the credit and the payments. */
export interface ConvenioMismatch {
  convenioId: number;
  folio: string;
  creditNumber: string;
  delegationId: number;
  delegationName: string;
  status: ConvenioStatus;
  check: ReconciliationCheck;
  description: string;
  /** Raw values as the database compares them (cents, basis points, text). */
  expected: string;
  actual: string;
}

/** GET /api/convenios/reconciliation. */
export interface Reconciliation {
  checked: { check: ReconciliationCheck; description: string }[];
  mismatches: ConvenioMismatch[];
}

export interface ConvenioEvent {
  version: number;
  /** 'sign', a ConvenioAction, 'record_first_payment' or 'break'. */
  action: string;
  actionLabel: string;
  activity: string;
  fromStatus: ConvenioStatus | null;
  toStatus: ConvenioStatus;
  onDate: string;
  actorRole: string;
  actorName: string | null;
  data: unknown;
  rule: string | null;
  explanation: string | null;
  /** ISO instant. */
  recordedAt: string;
}

export interface ConvenioActionOption {
  action: ConvenioAction;
  label: string;
}

/** GET /api/convenios/:id and the reply of every convenio action. */
export interface ConvenioDetail {
  id: number;
  folio: string;
  caseId: number;
  creditNumber: string;
  borrowerName: string;
  round: number;
  status: ConvenioStatus;
  statusLabel: string;
  /** Sent back with every action (optimistic locking: an older version gets 409 STALE_VERSION). */
  version: number;
  convenioType: ConvenioType;
  solutionId: SolutionId;
  solutionName: string;
  solutionPolicyVersion: number;
  delegationName: string;
  agencyName: string;
  mediatorName: string;
  mediatorKind: MediatorKind;
  representativeName: string | null;
  acceptedOn: string;
  signedOn: string;
  sl1DueOn: string;
  sl1Met: boolean;
  copies: number;
  acknowledgementSigned: boolean;
  terms: ConvenioTerms;
  creditBefore: ConvenioCreditBefore;
  creditNow: ConvenioCreditNow;
  restructure: ConvenioRestructure | null;
  review: ConvenioReview;
  firstPayment: ConvenioFirstPayment;
  cja: ConvenioCja | null;
  payments: ConvenioPayment[];
  documents: CaseDocument[];
  /** DL-9..12 breaches of the case. */
  breaches: CaseBreach[];
  mismatches: ConvenioMismatch[];
  history: ConvenioEvent[];
  actions: ConvenioActionOption[];
}

/** The body's `input` of each convenio action (convenios.routes CONVENIO_INPUT_SCHEMAS). */
export interface ConvenioActionInputs {
  submit_documents: { note?: string };
  request_corrections: { reason: string };
  approve: { note?: string };
  record_cja_registration: { centre: string; registrationNumber: string; registeredOn: string; certificateDocumentId?: number };
}

// --- solutions catalogue (SPEC §8) and payments (SPEC §9) -------------------------------------

export interface SolutionTerms {
  solution: SolutionId;
  balanceBeforeCents: number;
  discountCents: number;
  balanceAfterCents: number;
  capitalisedArrearsCents: number;
  monthlyPaymentCents: number;
  insuranceFeesCents: number;
  totalMonthlyPaymentCents: number;
  paymentFactor: string;
  interestRateBp: number;
  termMonths: number;
  denomination: 'MXN';
  firstPaymentCents: number;
  firstPaymentDueOn: string;
  benefit?: string;
  explanation: string[];
}

export interface SolutionOffer {
  solution: SolutionId;
  name: string;
  available: boolean;
  /** Spanish, each with whether the credit meets it. */
  conditions: { description: string; passed: boolean }[];
  terms?: SolutionTerms;
  termsUnavailableReason?: string;
}

/** GET /api/credits/:number/solutions. */
export interface CreditSolutions {
  creditNumber: string;
  /** The date the catalogue was computed for. */
  on: string;
  policy: { solutionParametersVersion: number; solutionParametersEffectiveFrom: string; holidayCalendarVersion: number };
  solutions: SolutionOffer[];
}

export interface CreditPayment {
  paidOn: string;
  amountCents: number;
  channel: PaymentChannel;
  channelLabel: string;
  reference: string;
}

/** GET /api/credits/:number/payments (the most recent first). */
export interface CreditPayments {
  creditNumber: string;
  items: CreditPayment[];
  totalCents: number;
}
