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
