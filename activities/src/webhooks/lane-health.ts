import type { LaneEndpoint, LaneHealth } from '@catalog/db';

/** Never longer between probes than this, unless the configured cool-down itself is longer. */
const MAX_COOLDOWN_MS = 10 * 60_000;

export type BreakerSettings = { breakerFailures: number; breakerCooldownMs: number };
type Result = { ok: boolean; statusCode: number | null; error: string | null };

/**
 * The endpoint's health after a batch, from its attempts in the order they finished. The failure
 * streak carries over between batches and ends at a success. The breaker opens when the streak
 * reaches `breakerFailures` and waits `breakerCooldownMs`; a batch while it is open is its probe (one
 * message): a success closes it, a failure opens it again for twice the previous cool-down.
 */
export function laneHealth(
  before: LaneEndpoint,
  results: Result[],
  settings: BreakerSettings,
  now: number,
): LaneHealth {
  let streak = before.consecutiveFailures;
  let anySuccess = false;
  for (const result of results) {
    if (result.ok) anySuccess = true;
    streak = result.ok ? 0 : streak + 1;
  }
  const last = results.at(-1) ?? { ok: true, statusCode: null, error: null };
  return {
    last,
    anySuccess,
    consecutiveFailures: streak,
    circuit: nextCircuit(before, anySuccess, streak, settings, now),
  };
}

function nextCircuit(
  before: LaneEndpoint,
  anySuccess: boolean,
  streak: number,
  settings: BreakerSettings,
  now: number,
): LaneHealth['circuit'] {
  const closed = { state: 'closed', openedAt: null, nextProbeAt: null } as const;
  const { circuit } = before;
  if (circuit.state === 'open') {
    if (anySuccess) return closed;
    const previous =
      circuit.openedAt !== null && circuit.nextProbeAt !== null
        ? circuit.nextProbeAt - circuit.openedAt
        : settings.breakerCooldownMs;
    const cap = Math.max(settings.breakerCooldownMs, MAX_COOLDOWN_MS);
    const cooldown = Math.min(Math.max(previous * 2, settings.breakerCooldownMs), cap);
    return { state: 'open', openedAt: now, nextProbeAt: now + cooldown };
  }
  if (streak >= settings.breakerFailures) {
    return { state: 'open', openedAt: now, nextProbeAt: now + settings.breakerCooldownMs };
  }
  return closed;
}
