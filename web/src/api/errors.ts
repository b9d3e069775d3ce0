/** The body every API route answers with on a non-2xx status. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A failed API call: the HTTP status plus the stable code and message from the error body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/** Parses a response body that may be JSON, empty, or an HTML page from a proxy in between. */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Proxies and crashed upstreams do not answer with our error shape, so fall back to the status. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isErrorBody(body)) {
    return new ApiError(status, body.error.code, body.error.message, body.error.details);
  }
  return new ApiError(status, 'http_error', `The server answered with HTTP ${status}.`);
}

export const networkError = (): ApiError =>
  new ApiError(0, 'network_error', 'The server could not be reached. Check your connection.');
