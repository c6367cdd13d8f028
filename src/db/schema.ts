/**
 * The Kysely view of the tables. Column names are snake_case as in SQL; repositories map rows to
 * camelCase domain objects at their boundary.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** int8 columns read as bigint; written from bigint, number or numeric text. */
type Int8 = ColumnType<bigint, bigint | number | string, bigint | number | string>;
/** int8 with a database default. */
type Int8Default = ColumnType<bigint, bigint | number | string | undefined, bigint | number | string>;
type Numeric = ColumnType<string, string | number, string | number>;
type Json = ColumnType<unknown, string, string>;

export interface DelegationsTable {
  id: number;
  code: string;
  name: string;
  state: string;
  population: number;
}

export interface AgenciesTable {
  id: Generated<number>;
  code: string;
  name: string;
  rfc: string;
  contact_email: string;
  contact_phone: string;
  monthly_capacity: number;
  active: Generated<boolean>;
}

export interface AgencyDelegationsTable {
  agency_id: number;
  delegation_id: number;
}

export type MediatorKind = 'cja_certified' | 'notary' | 'professional';

export interface MediatorsTable {
  id: Generated<number>;
  agency_id: number;
  full_name: string;
  kind: MediatorKind;
  certification_number: string | null;
  certification_expires_on: string | null;
  notary_number: string | null;
  app_licence_number: string | null;
  email: string;
  phone: string;
  active: Generated<boolean>;
}

export interface RepresentativesTable {
  id: Generated<number>;
  agency_id: number;
  delegation_id: number;
  full_name: string;
  email: string;
  phone: string;
  has_legal_powers: boolean;
  power_of_attorney: string | null;
  active: Generated<boolean>;
}

export type Segment =
  | 'cobranza_administrativa'
  | 'recuperacion_cartera_vencida'
  | 'recuperacion_vivienda_vulnerable'
  | 'recuperacion_especializada';
export type HousingStatus = 'inhabited' | 'abandoned' | 'invaded' | 'vandalised' | 'uninhabited' | 'not_located';
export type LegalStage = 'none' | 'lawsuit_filed' | 'judgment' | 'execution';

export interface CreditsTable {
  credit_number: string;
  borrower_name: string;
  borrower_nss: string;
  borrower_curp: string;
  borrower_rfc: string;
  borrower_birth_date: string;
  address_street: string;
  address_settlement: string;
  address_municipality: string;
  address_postal_code: string;
  phone_landline: string | null;
  phone_mobile: string | null;
  email: string | null;
  delegation_id: number;
  segment: Segment;
  in_social_collections: Generated<boolean>;
  denomination: 'VSM' | 'MXN';
  original_amount_cents: Int8;
  balance_cents: Int8;
  original_amount_vsm: Numeric | null;
  balance_vsm: Numeric | null;
  monthly_payment_cents: Int8;
  payment_factor: Numeric;
  insurance_fees_cents: Int8Default;
  interest_rate_bp: number;
  term_months: number;
  regime: 'ROA' | 'REA';
  months_in_arrears: number;
  payments_made: Generated<number>;
  origination_date: string;
  borrower_monthly_income_cents: Int8 | null;
  borrower_monthly_pension_cents: Int8 | null;
  is_retired: Generated<boolean>;
  cofinanced: Generated<boolean>;
  unemployment_insurance_exhausted: Generated<boolean>;
  broken_convenios: Generated<number>;
  housing_status: Generated<HousingStatus>;
  active_restructure: Generated<boolean>;
  outsourced: Generated<boolean>;
  trust_pool: Generated<boolean>;
  billing_active: Generated<boolean>;
  active_extension: Generated<boolean>;
  legal_stage: Generated<LegalStage>;
  accompaniment: Generated<boolean>;
  legal_stage_frozen: Generated<boolean>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

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

export interface UsersTable {
  id: Generated<number>;
  username: string;
  full_name: string;
  email: string;
  password_hash: string;
  role: Role;
  delegation_id: number | null;
  agency_id: number | null;
  mediator_id: number | null;
  representative_id: number | null;
  credit_number: string | null;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface UserSessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface PolicyVersionsTable {
  id: Generated<number>;
  policy_key: string;
  version: number;
  value: Json;
  reason: string;
  author_user_id: number | null;
  created_at: Timestamp;
  effective_from: string;
  notified_areas: ColumnType<string[], string[] | undefined, string[]>;
}

export interface AuditEventsTable {
  id: Int8;
  occurred_at: Timestamp;
  actor_user_id: number | null;
  actor_role: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json | null;
  after: Json | null;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  singleton: boolean;
  last_id: Int8;
  last_hash: string;
}

export interface PersonalDataReadsTable {
  id: Generated<Int8>;
  occurred_at: Timestamp;
  user_id: number;
  role: string;
  credit_number: string;
  purpose: string;
}

export interface ImportRunsTable {
  id: Generated<number>;
  kind: 'credits' | 'payments';
  file_name: string;
  file_sha256: string;
  rows_total: number;
  rows_inserted: number;
  rows_updated: number;
  user_id: number | null;
  started_at: Timestamp;
  finished_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface DB {
  delegations: DelegationsTable;
  agencies: AgenciesTable;
  agency_delegations: AgencyDelegationsTable;
  mediators: MediatorsTable;
  representatives: RepresentativesTable;
  credits: CreditsTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  api_tokens: ApiTokensTable;
  policy_versions: PolicyVersionsTable;
  audit_events: AuditEventsTable;
  audit_chain_head: AuditChainHeadTable;
  personal_data_reads: PersonalDataReadsTable;
  import_runs: ImportRunsTable;
  schema_migrations: SchemaMigrationsTable;
}

export type ConvenioType = 'RATIFIED' | 'NOTARIAL' | 'ADMINISTRATIVE';
export type AssignmentEntry = 'monthly' | 'request' | 'specialized_recovery' | 're_mediation';

export interface AssignmentRunsTable {
  id: Generated<number>;
  month: string;
  run_on: string;
  exclusion_policy_id: number;
  convenio_policy_id: number;
  created_by: number | null;
  started_at: Timestamp;
  finished_at: Timestamp;
  summary: Json;
  published_at: Timestamp | null;
}

/** The view over credit_evaluation_sets: one row per evaluated credit the run did not assign (read only). */
export interface CreditEvaluationsTable {
  run_id: number;
  credit_number: string;
  delegation_id: number;
  exclusion_mask: number;
}

/** A run's evaluations, one row per delegación × exclusion mask (migration 0005). */
export interface CreditEvaluationSetsTable {
  run_id: number;
  delegation_id: number;
  exclusion_mask: number;
  credit_numbers: string[];
}

export interface CreditAssignmentsTable {
  month: string;
  credit_number: string;
  run_id: number | null;
  entry: AssignmentEntry;
  delegation_id: number;
  agency_id: number;
  convenio_type: ConvenioType;
  assigned_on: string;
  field_agent_user_id: number | null;
}

export interface DB {
  assignment_runs: AssignmentRunsTable;
  credit_evaluations: CreditEvaluationsTable;
  credit_evaluation_sets: CreditEvaluationSetsTable;
  credit_assignments: CreditAssignmentsTable;
}

export interface NoticesTable {
  id: Generated<Int8>;
  created_at: Timestamp;
  recipient_role: string;
  recipient_agency_id: number | null;
  recipient_user_id: number | null;
  title: string;
  body: string;
  link: string | null;
  read_at: Timestamp | null;
}

export interface DB {
  notices: NoticesTable;
}

export interface MediationProposalsTable {
  id: Generated<number>;
  entry: 'request' | 'specialized_recovery';
  requester_user_id: number;
  requester_area: string;
  reason: string;
  created_at: Timestamp;
  status: Generated<'pending' | 'resolved'>;
  resolved_by: number | null;
  resolved_at: Timestamp | null;
  month: string | null;
}

export type ProposalOutcome = 'pending' | 'tagged' | 'excluded' | 'already_tagged' | 'no_agency';

export interface MediationProposalCreditsTable {
  proposal_id: number;
  credit_number: string;
  outcome: Generated<ProposalOutcome>;
  exclusion_mask: number | null;
  agency_id: number | null;
  convenio_type: ConvenioType | null;
}

export interface DB {
  mediation_proposals: MediationProposalsTable;
  mediation_proposal_credits: MediationProposalCreditsTable;
}

// 0003 the mediation case, the sweep, idempotency keys and the outbox
export type CaseStateColumn =
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

export interface MediationCasesTable {
  id: Generated<number>;
  credit_number: string;
  round: number;
  entry: AssignmentEntry;
  month: string;
  convenio_type: ConvenioType;
  delegation_id: number;
  agency_id: number;
  field_agent_user_id: number | null;
  mediator_id: number | null;
  representative_id: number | null;
  state: CaseStateColumn;
  version: Generated<number>;
  opened_on: string;
  accepted_on: string | null;
  distributed_on: string | null;
  first_contact_on: string | null;
  scheduled_on: string | null;
  session_date: string | null;
  summons_sent_on: string | null;
  not_scheduled_on: string | null;
  session_held_on: string | null;
  closed_on: string | null;
  closure_rule: string | null;
  deadline_policy_version: number | null;
  dl1_due_on: string | null;
  dl2_due_on: string | null;
  dl4_due_on: string | null;
  dl5_closes_on: string | null;
  dl6_due_on: string | null;
  dl8_closes_on: string | null;
  facts: Json;
  privacy_notice_shown_on: string | null;
  contact_landline: string | null;
  contact_mobile: string | null;
  contact_email: string | null;
  contact_captured_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseEventsTable {
  id: Generated<Int8>;
  case_id: number;
  version: number;
  action: string;
  activity: string;
  from_state: string;
  to_state: string;
  on_date: string;
  round: number;
  actor_role: string;
  actor_user_id: number | null;
  data: Json;
  closure_rule: string | null;
  policy_version: number | null;
  explanation: string | null;
  sweep_id: Int8 | null;
  recorded_at: Timestamp;
}

export type SlaRule =
  | 'DL-1'
  | 'DL-2'
  | 'DL-4'
  | 'DL-6'
  | 'DL-9'
  | 'DL-10'
  | 'DL-11'
  | 'DL-12'
  | 'DL-13.request'
  | 'DL-13.answer'
  | 'DL-14'
  | 'DL-15';

export interface CaseDeadlineBreachesTable {
  case_id: number;
  rule: SlaRule;
  due_on: string;
  flagged_on: string;
  policy_version: number | null;
}

export interface CaseSweepsTable {
  id: Generated<Int8>;
  swept_on: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  summary: Json;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  fingerprint: string;
  status_code: number;
  response: Json | null;
  created_at: Timestamp;
}

export type OutboxPurpose =
  | 'summons'
  | 'reschedule_summons'
  | 'survey_invitation'
  | 'assignment_available'
  | 'case_notice'
  | 'convenio_approved'
  | 'first_payment_invitation'
  | 'convenio_notice'
  | 'case_file_notice'
  | 'archive_shipment_notice'
  | 'archive_progress_report'
  | 'report_request';
export type OutboxChannel = 'email' | 'sms' | 'whatsapp';
export type OutboxRecipientKind = 'borrower' | 'representative' | 'agency' | 'mediator' | 'user' | 'archive';

export interface OutboxMessagesTable {
  id: Generated<Int8>;
  created_at: Timestamp;
  purpose: OutboxPurpose;
  channel: OutboxChannel;
  recipient_kind: OutboxRecipientKind;
  recipient_name: string;
  recipient_address: string;
  subject: string | null;
  body: string;
  case_id: number | null;
  case_event_id: Int8 | null;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  sent_at: Timestamp | null;
  adapter: string | null;
  provider_message_id: string | null;
  last_error: string | null;
}

export interface DB {
  mediation_cases: MediationCasesTable;
  case_events: CaseEventsTable;
  case_deadline_breaches: CaseDeadlineBreachesTable;
  case_sweeps: CaseSweepsTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox_messages: OutboxMessagesTable;
}

// 0004 convenios -------------------------------------------------------------------------------

export interface DocumentBlobsTable {
  sha256: string;
  size_bytes: number;
  content: Uint8Array;
  stored_at: Timestamp;
}

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

export interface CaseDocumentsTable {
  id: Generated<number>;
  case_id: number;
  document_type: DocumentType;
  version: number;
  replaces_document_id: number | null;
  sha256: string;
  media_type: DocumentMediaType;
  file_name: string;
  size_bytes: number;
  uploaded_by_user_id: number;
  uploaded_role: string;
  uploaded_at: Timestamp;
}

export type ConvenioStatus = 'signed' | 'under_review' | 'corrections_requested' | 'approved' | 'in_force' | 'broken';
export type SolutionIdColumn = 'SOL-1' | 'SOL-2' | 'SOL-3' | 'SOL-4' | 'SOL-5';

export interface ConveniosTable {
  id: Generated<number>;
  folio: string;
  case_id: number;
  credit_number: string;
  round: number;
  delegation_id: number;
  agency_id: number;
  mediator_id: number;
  representative_id: number | null;
  convenio_type: ConvenioType;
  solution_id: SolutionIdColumn;
  solution_policy_version: number;
  status: ConvenioStatus;
  version: Generated<number>;
  accepted_on: string;
  signed_on: string;
  sl1_due_on: string;
  sl1_met: boolean;
  copies: number;
  acknowledgement_signed: boolean;
  balance_before_cents: Int8;
  discount_cents: Int8;
  balance_after_cents: Int8;
  monthly_payment_cents: Int8;
  payment_factor: Numeric;
  interest_rate_bp: number;
  term_months: number;
  first_payment_cents: Int8;
  first_payment_due_on: string;
  terms: Json;
  credit_before: Json;
  deadline_policy_version: number | null;
  dl9_due_on: string;
  submitted_on: string | null;
  dl10_due_on: string | null;
  dl12_due_on: string | null;
  corrections_requested_on: string | null;
  dl11_due_on: string | null;
  review_rounds: Generated<number>;
  approved_on: string | null;
  approved_by_user_id: number | null;
  first_paid_on: string | null;
  first_paid_cents: Int8 | null;
  first_payment_id: Int8 | null;
  broken_on: string | null;
  broken_rule: string | null;
  cja_centre: string | null;
  cja_registration_number: string | null;
  cja_registered_on: string | null;
  cja_certificate_document_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConvenioEventsTable {
  id: Generated<Int8>;
  convenio_id: number;
  version: number;
  action: string;
  activity: string;
  from_status: string | null;
  to_status: string;
  on_date: string;
  actor_role: string;
  actor_user_id: number | null;
  data: ColumnType<unknown, string | undefined, string>;
  rule: string | null;
  explanation: string | null;
  recorded_at: Timestamp;
}

export interface RestructuresTable {
  id: Generated<number>;
  convenio_id: number;
  credit_number: string;
  borrower_name: string;
  folio: string;
  applied_on: string;
  balance_cents: Int8;
  monthly_payment_cents: Int8;
  payment_factor: Numeric;
  interest_rate_bp: number;
  term_months: number;
  before: Json;
  applied_by_user_id: number;
  applied_at: Timestamp;
}

export type PaymentChannel = 'window' | 'payroll' | 'transfer';

export interface PaymentsTable {
  id: Generated<Int8>;
  import_run_id: number;
  credit_number: string;
  reference: string;
  paid_on: string;
  amount_cents: Int8;
  channel: PaymentChannel;
}

export interface ReHandoversTable {
  id: Generated<number>;
  case_id: number;
  credit_number: string;
  delegation_id: number;
  agency_id: number;
  borrower_name: string;
  assigned_on: string;
  handed_over_on: string;
  reason: string;
  created_at: Timestamp;
}

export interface DB {
  document_blobs: DocumentBlobsTable;
  case_documents: CaseDocumentsTable;
  convenios: ConveniosTable;
  convenio_events: ConvenioEventsTable;
  restructures: RestructuresTable;
  payments: PaymentsTable;
  re_handovers: ReHandoversTable;
}

// ------------------------------------------------------------------------------------------------
// 0006: case files, the archive and the reports (EXP-1..4, acts. 28–36, DL-13..17, REP-1..5)
// ------------------------------------------------------------------------------------------------

export type CaseFileOutcome = 'signed' | 'not_signed';
export type CaseFileStatus = 'submitted' | 'corrections_requested' | 'accepted' | 'digitised' | 'shipped' | 'archived';

export interface CaseFilesTable {
  id: Generated<number>;
  case_id: number;
  credit_number: string;
  delegation_id: number;
  agency_id: number;
  mediator_id: number;
  convenio_id: number | null;
  outcome: CaseFileOutcome;
  convenio_type: ConvenioType;
  status: CaseFileStatus;
  version: Generated<number>;
  deadline_policy_version: number | null;
  submitted_on: string;
  review_rounds: Generated<number>;
  dl13_request_due_on: string | null;
  corrections_requested_on: string | null;
  dl13_answer_due_on: string | null;
  accepted_on: string | null;
  accepted_by_user_id: number | null;
  fee_validation_required: boolean;
  certificates_received_on: string | null;
  dl14_due_on: string | null;
  fee_validated_on: string | null;
  fee_validated_by_user_id: number | null;
  service_concluded_on: string | null;
  dl15_due_on: string | null;
  digitised_on: string | null;
  shipment_id: number | null;
  archived_on: string | null;
  archived_by_user_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CaseFileEventsTable {
  id: Generated<Int8>;
  case_file_id: number;
  version: number;
  action: string;
  activity: string;
  from_status: string | null;
  to_status: string;
  on_date: string;
  actor_role: string;
  actor_user_id: number | null;
  data: ColumnType<unknown, string | undefined, string>;
  recorded_at: Timestamp;
}

export interface ArchiveShipmentsTable {
  id: Generated<number>;
  folio: string;
  delegation_id: number;
  courier: string;
  tracking_number: string;
  shipped_on: string;
  files_count: number;
  created_by_user_id: number;
  created_at: Timestamp;
}

export interface ArchiveProgressReportsTable {
  id: Generated<number>;
  delegation_id: number;
  month: string;
  sent_on: string;
  dl16_due_on: string;
  policy_version: number | null;
  contents: Json;
  sent_by_user_id: number;
  created_at: Timestamp;
}

export type ReportRequestKind = 'agency' | 'region';
export type ReportRequestStatus = 'requested' | 'delivered' | 'clarification_requested' | 'clarified' | 'closed';

export interface ReportRequestsTable {
  id: Generated<number>;
  kind: ReportRequestKind;
  agency_id: number | null;
  delegation_id: number | null;
  month: string;
  status: ReportRequestStatus;
  version: Generated<number>;
  deadline_policy_version: number | null;
  requested_on: string;
  requested_by_user_id: number;
  delivered_on: string | null;
  delivered_by_user_id: number | null;
  delivered_sha256: string | null;
  as_of: string | null;
  dl17_request_due_on: string | null;
  clarification_requested_on: string | null;
  clarification_request: string | null;
  dl17_answer_due_on: string | null;
  clarification_answered_on: string | null;
  clarification_answer: string | null;
  closed_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReportRequestEventsTable {
  id: Generated<Int8>;
  report_request_id: number;
  version: number;
  action: string;
  activity: string;
  from_status: string | null;
  to_status: string;
  on_date: string;
  actor_role: string;
  actor_user_id: number | null;
  data: ColumnType<unknown, string | undefined, string>;
  recorded_at: Timestamp;
}

export type ReportSlaRule = 'DL-16' | 'DL-17.request' | 'DL-17.answer';

export interface ReportDeadlineBreachesTable {
  subject: string;
  rule: ReportSlaRule;
  delegation_id: number | null;
  agency_id: number | null;
  month: string;
  due_on: string;
  flagged_on: string;
  policy_version: number | null;
}

export interface DB {
  case_files: CaseFilesTable;
  case_file_events: CaseFileEventsTable;
  archive_shipments: ArchiveShipmentsTable;
  archive_progress_reports: ArchiveProgressReportsTable;
  report_requests: ReportRequestsTable;
  report_request_events: ReportRequestEventsTable;
  report_deadline_breaches: ReportDeadlineBreachesTable;
}
