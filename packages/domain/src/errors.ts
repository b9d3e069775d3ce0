/**
 * Errors are values with a stable `code`; the HTTP layer maps them to a status once.
 * Nothing matches on `message`: it is for people.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'service_unavailable'
  | 'internal'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_refused'
  | 'misdirected_request'
  // Undoing an import (POST /api/imports/:id/undo) refused, each for its own reason.
  | 'import_not_completed'
  | 'undo_expired'
  | 'already_undone'
  | 'undo_in_progress'
  | 'undo_not_undoable'
  // Applying or reading a review (POST /api/imports/:id/apply, GET /changes) of an import not in review.
  | 'not_in_review'
  | 'too_many_attempts'
  | 'rate_limited'
  | 'deadline_exceeded';

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  service_unavailable: 503,
  internal: 500,
  unauthenticated: 401,
  forbidden: 403,
  csrf_refused: 403,
  misdirected_request: 421,
  import_not_completed: 409,
  undo_expired: 409,
  already_undone: 409,
  undo_in_progress: 409,
  undo_not_undoable: 409,
  not_in_review: 409,
  too_many_attempts: 429,
  rate_limited: 429,
  deadline_exceeded: 504,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Sent as `Retry-After` (429, 503): when trying again can succeed. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, details?: unknown, retryAfterSeconds?: number) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = statusByCode[code];
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const errors = {
  badRequest: (message: string, details?: unknown) => new AppError('bad_request', message, details),
  validation: (message: string, details?: unknown) => new AppError('validation_failed', message, details),
  notFound: (what: string, id: string) => new AppError('not_found', `${what} ${id} was not found`, { id }),
  conflict: (message: string, details?: unknown) => new AppError('conflict', message, details),
  payloadTooLarge: (limitBytes: number) =>
    new AppError('payload_too_large', `The file is larger than the limit of ${limitBytes} bytes`, { limitBytes }),
  unsupportedMediaType: (message: string) => new AppError('unsupported_media_type', message),
  unavailable: (message: string, details?: unknown, retryAfterSeconds?: number) =>
    new AppError('service_unavailable', message, details, retryAfterSeconds),
  // The same answer whether or not the account exists.
  tooManyAttempts: (retryAfterSeconds: number) =>
    new AppError(
      'too_many_attempts',
      `Too many failed sign-in attempts; try again in ${
        retryAfterSeconds < 120 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`
      }`,
      { retryAfterSeconds },
      retryAfterSeconds,
    ),
  rateLimited: (message: string, retryAfterSeconds: number, details?: Record<string, unknown>) =>
    new AppError('rate_limited', message, { ...details, retryAfterSeconds }, retryAfterSeconds),
  deadlineExceeded: (timeoutMs: number) =>
    new AppError('deadline_exceeded', `The request was not answered within ${timeoutMs / 1000} seconds`, {
      timeoutMs,
    }),
  unauthenticated: (message = 'Sign in, or send an API key as `Authorization: Bearer <key>`') =>
    new AppError('unauthenticated', message),
  forbidden: (neededRole: string) => new AppError('forbidden', `This needs the ${neededRole} role`, { neededRole }),
  csrfRefused: (origin: string | undefined) =>
    new AppError(
      'csrf_refused',
      origin === undefined
        ? 'A request that changes something with a session cookie must come from this app: send Origin (browsers do), or use an API key'
        : `A request that changes something with a session cookie must come from this app, not from ${origin}`,
      { origin: origin ?? null },
    ),
  undoRefused: (
    code: Extract<
      ErrorCode,
      'import_not_completed' | 'undo_expired' | 'already_undone' | 'undo_in_progress' | 'undo_not_undoable'
    >,
    message: string,
    details?: unknown,
  ) => new AppError(code, message, details),
  notInReview: (message: string, details?: unknown) => new AppError('not_in_review', message, details),
  misdirectedRequest: (host: string) =>
    new AppError('misdirected_request', `This server does not answer for host ${host}; set PUBLIC_URL`, { host }),
};

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
