/**
 * One error type for everything the product refuses on purpose. The code decides the HTTP status;
 * `userMessage` is Spanish for people, `code` is for programs.
 */
export const ERROR_STATUS = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  CSRF: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN_TRANSITION: 409,
  STALE_VERSION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_FILE: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  BUSY: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly details: unknown;

  constructor(code: ErrorCode, options: { message?: string; userMessage: string; details?: unknown }) {
    super(options.message ?? options.userMessage);
    this.name = 'AppError';
    this.code = code;
    this.userMessage = options.userMessage;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', { userMessage: `${what} no encontrado.` });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
