import { isAppError } from '@catalog/domain';
import type { Middleware } from 'koa';
import type { Logger } from '../logger';

type HttpishError = { status?: unknown; expose?: unknown; message?: unknown; code?: unknown };

/**
 * The one place errors become HTTP: AppErrors keep their code and status; errors raised by Koa or
 * its middleware with an exposed 4xx status keep their message; anything else is a 500 whose
 * details stay in the log, never in the response.
 */
export function errorHandlerMiddleware(logger: Logger): Middleware {
  return async function errorHandler(ctx, next) {
    try {
      await next();
    } catch (error: unknown) {
      const requestId: string | undefined = ctx.state.requestId;
      if (isAppError(error)) {
        ctx.status = error.status;
        if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
        ctx.body = { error: { code: error.code, message: error.message, details: error.details } };
        if (error.status >= 500) logger.error({ err: error, requestId }, error.message);
        return;
      }
      const httpish = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
      const status = typeof httpish.status === 'number' ? httpish.status : 500;
      if (status < 500 && httpish.expose === true) {
        ctx.status = status;
        ctx.body = {
          error: { code: status === 413 ? 'payload_too_large' : 'bad_request', message: String(httpish.message) },
        };
        return;
      }
      logger.error({ err: error, requestId }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal', message: 'Something went wrong on our side', details: { requestId } } };
    }
  };
}
