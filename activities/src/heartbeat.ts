import { Context } from '@temporalio/activity';

/**
 * Heartbeats on a timer while a long SQL statement runs, so Temporal can tell a live worker from a
 * dead one (and deliver cancellation). Returns the function that stops it.
 */
export function keepHeartbeating(details?: () => unknown, everyMs = 2_000): () => void {
  const context = Context.current();
  const beat = () => context.heartbeat(details?.());
  beat();
  const timer = setInterval(beat, everyMs);
  return () => clearInterval(timer);
}
