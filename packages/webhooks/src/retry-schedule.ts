import { WEBHOOK_RETRY } from '@catalog/domain';
import type { Verdict } from './verdict';

/** What becomes of a message after an attempt: delivered, failed for good, or due again at `nextAttemptAt`. */
export type MessageFate = { state: 'delivered' } | { state: 'failed' } | { state: 'pending'; nextAttemptAt: number };

/**
 * The published schedule (WEBHOOK_RETRY): after the n-th failed attempt the next waits 2^(n-1) s, at
 * most 2 hours, unless the receiver said how long with Retry-After (at most 2 hours too); a message whose first attempt
 * is 24 hours old is given up. Answers that retrying cannot change (other 4xx) fail at once.
 */
export function messageFate(verdict: Verdict, attempts: number, firstAttemptAt: number, now: number): MessageFate {
  if (verdict.kind === 'delivered') return { state: 'delivered' };
  if (verdict.kind === 'reject') return { state: 'failed' };
  if (now - firstAttemptAt >= WEBHOOK_RETRY.giveUpAfterMs) return { state: 'failed' };
  const backoff = Math.min(WEBHOOK_RETRY.firstDelayMs * 2 ** Math.max(0, attempts - 1), WEBHOOK_RETRY.maxDelayMs);
  // A receiver's Retry-After is honoured up to the longest wait of the schedule: a wait of years
  // would leave the message pending past its 24 hours, and out of a timestamp's range.
  const wait = verdict.retryAfterMs === null ? backoff : Math.min(verdict.retryAfterMs, WEBHOOK_RETRY.maxDelayMs);
  return { state: 'pending', nextAttemptAt: now + wait };
}
