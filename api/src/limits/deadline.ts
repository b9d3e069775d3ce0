import { AppError, errors } from '@catalog/domain';
import type { Context, Middleware } from 'koa';

type SetDeadline = (timeoutMs: number) => void;

/**
 * Every request is answered within `timeoutMs` (REQUEST_TIMEOUT_MS): when its handler has not
 * decided the response by then, it gets 504 `deadline_exceeded` and `Connection: close`, so a
 * request stuck on a slow body or a slow dependency never hangs the socket. Only deciding the
 * response is timed: a streamed body (export, events) is sent afterwards under its own limits.
 * Routes that legitimately take longer (uploads) move their deadline with `extendDeadline`.
 */
export function deadlineMiddleware(timeoutMs: number): Middleware {
  return async function deadline(ctx, next) {
    let timer: NodeJS.Timeout | undefined;
    let expire: (error: AppError) => void = () => undefined;
    const expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    const arm: SetDeadline = (ms) => {
      clearTimeout(timer);
      timer = setTimeout(() => expire(errors.deadlineExceeded(ms)), ms);
    };
    ctx.state.setDeadline = arm;
    arm(timeoutMs);
    const work = next();
    try {
      await Promise.race([work, expired]);
    } catch (error: unknown) {
      if (error instanceof AppError && error.code === 'deadline_exceeded') {
        // The abandoned handler may still fail later; the client has had its answer by then.
        work.catch(() => undefined);
        ctx.set('Connection', 'close');
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Gives this request `timeoutMs` from now instead of the default deadline. */
export function extendDeadline(ctx: Context, timeoutMs: number): void {
  const arm: SetDeadline | undefined = ctx.state.setDeadline;
  arm?.(timeoutMs);
}
