import { RateLimiterRes } from 'rate-limiter-flexible';

/** A limiter refuses with a RateLimiterRes (how long until it allows again); anything else is a real error. */
export function refusal(outcome: unknown): RateLimiterRes | null {
  return outcome instanceof RateLimiterRes ? outcome : null;
}

/** Whole seconds, at least one: `Retry-After: 0` would invite an immediate retry that fails again. */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}
