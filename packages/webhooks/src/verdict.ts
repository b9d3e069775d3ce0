import type { PostOutcome } from './http-post';

/** What a delivery attempt means for the next one. */
export type Verdict =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  | { kind: 'reject'; reason: string };

/** A receiver asking for more than this is retried on the normal schedule instead. */
const MAX_RETRY_AFTER_MS = 6 * 3_600_000;

/**
 * 2xx is delivered. 408, 429, 5xx and network failures are worth another try (429 and 503 may say
 * when, with Retry-After). Any other answer (other 4xx, or a 3xx, since redirects are not
 * followed) and a refused destination will not change by retrying.
 */
export function judge(outcome: PostOutcome): Verdict {
  if (outcome.kind === 'network') return { kind: 'retry', reason: outcome.error, retryAfterMs: null };
  if (outcome.kind === 'refused') return { kind: 'reject', reason: outcome.error };
  const status = outcome.statusCode;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 408 || status === 429 || status >= 500) {
    const honoured = (status === 429 || status === 503) && outcome.retryAfterMs !== null;
    return {
      kind: 'retry',
      reason: `the receiver answered HTTP ${status}`,
      retryAfterMs: honoured ? Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS) : null,
    };
  }
  const why = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  return { kind: 'reject', reason: `the receiver answered HTTP ${status}${why}; not retried` };
}

/** The `error` column of the delivery log: null when delivered. */
export function attemptError(outcome: PostOutcome, verdict: Verdict): string | null {
  if (verdict.kind === 'delivered') return null;
  return outcome.kind === 'response' ? `HTTP ${outcome.statusCode}` : outcome.error;
}
