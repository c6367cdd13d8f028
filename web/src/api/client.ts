import type {
  AssignedAccountPage,
  AssignedAccountSearch,
  AssignmentRunListItem,
  CaseAction,
  CaseActionInputs,
  CaseDetail,
  CaseDocument,
  CasePage,
  CaseSearch,
  CreditCase,
  CreditDetail,
  CreditExplanation,
  CreditPage,
  ConvenioAction,
  ConvenioActionInputs,
  ConvenioDetail,
  ConvenioPage,
  ConvenioSearch,
  CreditPayments,
  CreditSearch,
  CreditSolutions,
  DeadlinePolicy,
  DocumentMediaType,
  DocumentType,
  ErrorBody,
  ConvenioTypeCriteria,
  DelegationItem,
  ExclusionCriteria,
  HolidayPolicy,
  LoginInput,
  Mediator,
  Month,
  Notice,
  Policy,
  PolicyChange,
  PolicyVersion,
  Proposal,
  Reconciliation,
  ProposalListItem,
  ProposalRequest,
  ProposalStatus,
  RemoteSessionTools,
  Representative,
  RunRequest,
  RunSummary,
  Session,
  SolutionId,
  VisitPage,
  VisitSearch,
} from './types';

/** A refused or failed request. `message` is Spanish and can be shown to the user as is. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The error body's `details`, when the server sent them (e.g. `{ rule: 'ASG-5', caseId }`). */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Status 0: the request never got an HTTP answer. */
const NETWORK_ERROR_STATUS = 0;

/** The request never got an answer: the same submission may be sent again with the same idempotency key. */
export function isNetworkError(error: unknown): boolean {
  return isApiError(error) && error.status === NETWORK_ERROR_STATUS;
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Su sesión terminó. Ingrese de nuevo.';
  if (status === 403) return 'No tiene permiso para realizar esta acción.';
  if (status === 404) return 'No se encontró lo que buscaba.';
  if (status === 423) return 'La cuenta está bloqueada temporalmente.';
  if (status === 429) return 'Demasiados intentos. Espere un momento e intente de nuevo.';
  if (status >= 500) return 'El servidor no pudo atender la solicitud. Intente de nuevo más tarde.';
  return 'No fue posible completar la solicitud.';
}

function fallbackCode(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'INTERNAL';
  return 'HTTP_ERROR';
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.code === 'string' && typeof record.message === 'string';
}

// The session cookie is HttpOnly; the CSRF token is the only session secret the app holds, in
// memory only (it is fetched again from /api/me after a reload).
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key`: the server applies a write once per key (case writes). */
  idempotencyKey?: string;
  /** A file sent as the raw body with its media type as `Content-Type` (document uploads). */
  file?: { content: Blob; mediaType: string };
}

export async function apiRequest<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.file !== undefined) headers['content-type'] = options.file.mediaType;
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.file !== undefined ? options.file.content : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      NETWORK_ERROR_STATUS,
      'NETWORK',
      'No fue posible conectar con el servidor. Revise su conexión e intente de nuevo.',
    );
  }

  if (response.status === 204) return undefined as T;

  let payload: unknown = undefined;
  const text = await response.text();
  if (text !== '') {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }

  if (!response.ok) {
    if (isErrorBody(payload)) throw new ApiError(response.status, payload.code, payload.message, payload.details);
    throw new ApiError(response.status, fallbackCode(response.status), fallbackMessage(response.status));
  }
  if (payload === undefined) {
    throw new ApiError(response.status, 'INVALID_RESPONSE', 'El servidor envió una respuesta no válida.');
  }
  return payload as T;
}

// --- endpoints ---------------------------------------------------------------------------------

export async function login(input: LoginInput): Promise<Session> {
  const session = await apiRequest<Session>('POST', '/api/auth/login', { body: input });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function logout(): Promise<void> {
  try {
    await apiRequest<void>('POST', '/api/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}

/** The current session, or null when nobody is signed in. */
export async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    const session = await apiRequest<Session>('GET', '/api/me', { signal });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function searchCredits(search: CreditSearch, signal?: AbortSignal): Promise<CreditPage> {
  const params = new URLSearchParams({
    q: search.q,
    limit: String(search.limit),
    offset: String(search.offset),
  });
  return apiRequest<CreditPage>('GET', `/api/credits?${params.toString()}`, { signal });
}

export function getCredit(creditNumber: string, signal?: AbortSignal): Promise<CreditDetail> {
  return apiRequest<CreditDetail>('GET', `/api/credits/${encodeURIComponent(creditNumber)}`, { signal });
}

// --- monthly tagging and assignment ------------------------------------------------------------

export function listAssignmentRuns(signal?: AbortSignal): Promise<AssignmentRunListItem[]> {
  return apiRequest<AssignmentRunListItem[]>('GET', '/api/assignment/runs', { signal });
}

export function getAssignmentRun(month: Month, signal?: AbortSignal): Promise<RunSummary> {
  return apiRequest<RunSummary>('GET', `/api/assignment/runs/${encodeURIComponent(month)}`, { signal });
}

/** Runs (or with dryRun simulates) the assignment of a month; role operations only. */
export function runAssignment(input: RunRequest): Promise<RunSummary> {
  return apiRequest<RunSummary>('POST', '/api/assignment/runs', { body: input });
}

/** The address of the assignment file (an agency receives only its own accounts). */
export function assignmentFileUrl(month: Month, format: 'csv' | 'xlsx'): string {
  return `/api/assignment/runs/${encodeURIComponent(month)}/file?format=${format}`;
}

export function listAssignedAccounts(search: AssignedAccountSearch, signal?: AbortSignal): Promise<AssignedAccountPage> {
  const params = new URLSearchParams({ limit: String(search.limit), offset: String(search.offset) });
  if (search.month !== undefined) params.set('month', search.month);
  return apiRequest<AssignedAccountPage>('GET', `/api/assignment/accounts?${params.toString()}`, { signal });
}

export function getCreditExplanation(creditNumber: string, month: Month, signal?: AbortSignal): Promise<CreditExplanation> {
  const params = new URLSearchParams({ month });
  return apiRequest<CreditExplanation>(
    'GET',
    `/api/credits/${encodeURIComponent(creditNumber)}/explanation?${params.toString()}`,
    { signal },
  );
}

export function listNotices(signal?: AbortSignal): Promise<Notice[]> {
  return apiRequest<Notice[]>('GET', '/api/notices', { signal });
}

// --- policies ----------------------------------------------------------------------------------

export function getExclusionCriteria(signal?: AbortSignal): Promise<Policy<ExclusionCriteria>> {
  return apiRequest<Policy<ExclusionCriteria>>('GET', '/api/policies/exclusion_criteria', { signal });
}

/** A new version of the exclusion criteria; role mediation_office only. */
export function changeExclusionCriteria(change: PolicyChange<ExclusionCriteria>): Promise<PolicyVersion<ExclusionCriteria>> {
  return apiRequest<PolicyVersion<ExclusionCriteria>>('POST', '/api/policies/exclusion_criteria', { body: change });
}

export function getConvenioTypeCriteria(signal?: AbortSignal): Promise<Policy<ConvenioTypeCriteria>> {
  return apiRequest<Policy<ConvenioTypeCriteria>>('GET', '/api/policies/convenio_type_criteria', { signal });
}

/** A new version of the convenio-type criteria (ASG-3); role mediation_office only. */
export function changeConvenioTypeCriteria(change: PolicyChange<ConvenioTypeCriteria>): Promise<PolicyVersion<ConvenioTypeCriteria>> {
  return apiRequest<PolicyVersion<ConvenioTypeCriteria>>('POST', '/api/policies/convenio_type_criteria', { body: change });
}

/** The 32 delegaciones (public catalogue), by INEGI key. */
export function getDelegations(signal?: AbortSignal): Promise<DelegationItem[]> {
  return apiRequest<DelegationItem[]>('GET', '/api/delegations', { signal });
}

// --- entries outside the monthly run (ENT-A, ENT-B) --------------------------------------------

/** The reviewers see every proposal; anyone else, only his own. */
export function listProposals(status: ProposalStatus | undefined, signal?: AbortSignal): Promise<ProposalListItem[]> {
  const query = status === undefined ? '' : `?${new URLSearchParams({ status }).toString()}`;
  return apiRequest<ProposalListItem[]>('GET', `/api/proposals${query}`, { signal });
}

export function getProposal(id: number, signal?: AbortSignal): Promise<Proposal> {
  return apiRequest<Proposal>('GET', `/api/proposals/${encodeURIComponent(String(id))}`, { signal });
}

/** A borrower's request or an area's proposal (ENT-A), or RE's inhabited accounts (ENT-B). */
export function createProposal(request: ProposalRequest): Promise<Proposal> {
  return apiRequest<Proposal>('POST', '/api/proposals', { body: request });
}

/** Checks the exclusion criteria and tags the eligible credits; mediation_office and operations only. */
export function resolveProposal(id: number): Promise<Proposal> {
  return apiRequest<Proposal>('POST', `/api/proposals/${encodeURIComponent(String(id))}/resolve`);
}

// --- mediation cases (SPEC §4 acts. 2–21) --------------------------------------------------------

/**
 * A fresh key for one user submission (`Idempotency-Key`). Retrying the same submission after a
 * network error must send the same key again, so the server applies it once.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts (HTTPS, localhost); getRandomValues everywhere.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Act. 2: the accounts to visit (field agent: his; agency: all of its latest month). */
export function listVisits(search: VisitSearch, signal?: AbortSignal): Promise<VisitPage> {
  const params = new URLSearchParams({ limit: String(search.limit), offset: String(search.offset) });
  if (search.q !== '') params.set('q', search.q);
  // The server reads any value of `pending` as true: the parameter is sent only when wanted.
  if (search.pending) params.set('pending', 'true');
  return apiRequest<VisitPage>('GET', `/api/visits?${params.toString()}`, { signal });
}

/**
 * Opens the case of a tagged credit (act. 1–2). A credit that already has an open case answers
 * 409 with `details.rule` 'ASG-5' and `details.caseId`.
 */
export function openCase(creditNumber: string, idempotencyKey: string): Promise<CaseDetail> {
  return apiRequest<CaseDetail>('POST', '/api/cases', { body: { creditNumber }, idempotencyKey });
}

/**
 * ENT-C: the mediation office tags a credit for re-mediation (a broken convenio, or new
 * circumstances it describes). EXC-1 and ENT-C refusals answer 409 with `details.rule`.
 */
export function openReMediation(creditNumber: string, newCircumstances: string | undefined, idempotencyKey: string): Promise<CaseDetail> {
  return apiRequest<CaseDetail>('POST', '/api/cases', { body: { creditNumber, reMediation: newCircumstances ? { newCircumstances } : {} }, idempotencyKey });
}

export function listCases(search: CaseSearch, signal?: AbortSignal): Promise<CasePage> {
  const params = new URLSearchParams({ queue: search.queue, limit: String(search.limit), offset: String(search.offset) });
  if (search.q !== '') params.set('q', search.q);
  return apiRequest<CasePage>('GET', `/api/cases?${params.toString()}`, { signal });
}

export function getCase(id: number, signal?: AbortSignal): Promise<CaseDetail> {
  return apiRequest<CaseDetail>('GET', `/api/cases/${encodeURIComponent(String(id))}`, { signal });
}

/** One activity of the case, on the version the user saw; the reply is the case after it. */
export function applyCaseAction<A extends CaseAction>(
  id: number,
  action: A,
  body: { version: number; input: CaseActionInputs[A] },
  idempotencyKey: string,
): Promise<CaseDetail> {
  return apiRequest<CaseDetail>(
    'POST',
    `/api/cases/${encodeURIComponent(String(id))}/actions/${encodeURIComponent(action)}`,
    { body, idempotencyKey },
  );
}

/** The credit's mediation cases (rounds), newest first. */
export function listCreditCases(creditNumber: string, signal?: AbortSignal): Promise<CreditCase[]> {
  return apiRequest<CreditCase[]>('GET', `/api/credits/${encodeURIComponent(creditNumber)}/cases`, { signal });
}

export function listMediators(signal?: AbortSignal): Promise<Mediator[]> {
  return apiRequest<Mediator[]>('GET', '/api/mediators', { signal });
}

/** The agency assigns, changes or (null) removes a mediator's app licence. */
export function setMediatorAppLicence(id: number, appLicenceNumber: string | null): Promise<{ id: number; appLicenceNumber: string | null }> {
  return apiRequest<{ id: number; appLicenceNumber: string | null }>('PUT', `/api/mediators/${encodeURIComponent(String(id))}/app-licence`, {
    body: { appLicenceNumber },
  });
}

export function listRepresentatives(signal?: AbortSignal): Promise<Representative[]> {
  return apiRequest<Representative[]>('GET', '/api/representatives', { signal });
}

// --- deadline policy, holiday calendar and remote-session tools (SPEC §5) ---------------------

export function getDeadlinePolicy(signal?: AbortSignal): Promise<Policy<DeadlinePolicy>> {
  return apiRequest<Policy<DeadlinePolicy>>('GET', '/api/policies/deadlines', { signal });
}

/** Mediation office only; the server refuses an inconsistent case clock with a Spanish message. */
export function changeDeadlinePolicy(change: PolicyChange<DeadlinePolicy>): Promise<PolicyVersion<DeadlinePolicy>> {
  return apiRequest<PolicyVersion<DeadlinePolicy>>('POST', '/api/policies/deadlines', { body: change });
}

export function getHolidayPolicy(signal?: AbortSignal): Promise<Policy<HolidayPolicy>> {
  return apiRequest<Policy<HolidayPolicy>>('GET', '/api/policies/holiday_calendar', { signal });
}

export function changeHolidayPolicy(change: PolicyChange<HolidayPolicy>): Promise<PolicyVersion<HolidayPolicy>> {
  return apiRequest<PolicyVersion<HolidayPolicy>>('POST', '/api/policies/holiday_calendar', { body: change });
}

export function getRemoteSessionTools(signal?: AbortSignal): Promise<Policy<RemoteSessionTools>> {
  return apiRequest<Policy<RemoteSessionTools>>('GET', '/api/policies/remote_session_tools', { signal });
}

export function changeRemoteSessionTools(change: PolicyChange<RemoteSessionTools>): Promise<PolicyVersion<RemoteSessionTools>> {
  return apiRequest<PolicyVersion<RemoteSessionTools>>('POST', '/api/policies/remote_session_tools', { body: change });
}

// --- convenios, documents, solutions and payments (SPEC §6, §8, §9) ----------------------------

export function listConvenios(search: ConvenioSearch, signal?: AbortSignal): Promise<ConvenioPage> {
  const params = new URLSearchParams({ queue: search.queue, limit: String(search.limit), offset: String(search.offset) });
  if (search.q !== '') params.set('q', search.q);
  return apiRequest<ConvenioPage>('GET', `/api/convenios?${params.toString()}`, { signal });
}

export function getConvenio(id: number, signal?: AbortSignal): Promise<ConvenioDetail> {
  return apiRequest<ConvenioDetail>('GET', `/api/convenios/${encodeURIComponent(String(id))}`, { signal });
}

/** One step of acts. 22–27 on the version the user saw; the reply is the convenio after it. */
export function applyConvenioAction<A extends ConvenioAction>(
  id: number,
  action: A,
  body: { version: number; input: ConvenioActionInputs[A] },
  idempotencyKey: string,
): Promise<ConvenioDetail> {
  return apiRequest<ConvenioDetail>(
    'POST',
    `/api/convenios/${encodeURIComponent(String(id))}/actions/${encodeURIComponent(action)}`,
    { body, idempotencyKey },
  );
}

/** The signed convenio (PDF, CNV-3). */
export function convenioPdfUrl(id: number): string {
  return `/api/convenios/${encodeURIComponent(String(id))}/convenio.pdf`;
}

/** The borrower's acknowledgement of receipt (PDF, act. 20). */
export function acknowledgementPdfUrl(id: number): string {
  return `/api/convenios/${encodeURIComponent(String(id))}/acuse.pdf`;
}

/** The preliminary convenio of one solution for a case (PDF, acts. 12–13). */
export function draftConvenioPdfUrl(caseId: number, solutionId: SolutionId): string {
  return `/api/cases/${encodeURIComponent(String(caseId))}/draft-convenios/${encodeURIComponent(solutionId)}`;
}

/** The contents of a case document (the read is logged, SEC-4). */
export function documentContentUrl(documentId: number): string {
  return `/api/documents/${encodeURIComponent(String(documentId))}/content`;
}

/** EXP-3: a new version of a document of the case; the server refuses bad files with a Spanish message. */
export function uploadCaseDocument(
  caseId: number,
  input: { documentType: DocumentType; fileName: string; mediaType: DocumentMediaType; content: Blob },
): Promise<CaseDocument> {
  const params = new URLSearchParams({ type: input.documentType, fileName: input.fileName });
  return apiRequest<CaseDocument>('POST', `/api/cases/${encodeURIComponent(String(caseId))}/documents?${params.toString()}`, {
    file: { content: input.content, mediaType: input.mediaType },
  });
}

/** Signed terms vs applied terms vs payments; national roles may narrow it to one delegación. */
export function getReconciliation(delegationId: number | undefined, signal?: AbortSignal): Promise<Reconciliation> {
  const query = delegationId === undefined ? '' : `?${new URLSearchParams({ delegationId: String(delegationId) }).toString()}`;
  return apiRequest<Reconciliation>('GET', `/api/convenios/reconciliation${query}`, { signal });
}

export function getCreditSolutions(creditNumber: string, signal?: AbortSignal): Promise<CreditSolutions> {
  return apiRequest<CreditSolutions>('GET', `/api/credits/${encodeURIComponent(creditNumber)}/solutions`, { signal });
}

export function getCreditPayments(creditNumber: string, signal?: AbortSignal): Promise<CreditPayments> {
  return apiRequest<CreditPayments>('GET', `/api/credits/${encodeURIComponent(creditNumber)}/payments`, { signal });
}
