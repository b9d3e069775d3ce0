import { errors } from '@catalog/domain';
import type { Middleware } from 'koa';
import type { ConcurrencyGate } from './concurrency-gate';
import { requesterKey } from './requester';

/** An event stream is refused for a while: another closes when a tab does. */
const RETRY_AFTER_SECONDS = 10;

/**
 * Caps the Server-Sent Events streams each user holds open. It looks at the answer rather than the
 * route, so every event stream, present or future, is counted: a stream over the cap is destroyed
 * before a byte is sent (its route's close handlers unsubscribe) and the answer becomes 429.
 */
export function sseLimitMiddleware(gate: ConcurrencyGate): Middleware {
  return async function limitEventStreams(ctx, next) {
    await next();
    if (ctx.response.type !== 'text/event-stream') return;
    const release = gate.tryAcquire(requesterKey(ctx));
    if (release) {
      ctx.res.once('close', release);
      return;
    }
    const body: unknown = ctx.body;
    if (body && typeof body === 'object' && 'destroy' in body && typeof body.destroy === 'function') body.destroy();
    // The refusal goes out as JSON (the error handler sets the type), without the stream's headers.
    ctx.remove('Content-Type');
    ctx.remove('Connection');
    ctx.remove('X-Accel-Buffering');
    throw errors.rateLimited(
      `At most ${gate.limit} event streams may be open per user; close one (another tab?) and retry`,
      RETRY_AFTER_SECONDS,
      { limit: gate.limit },
    );
  };
}
