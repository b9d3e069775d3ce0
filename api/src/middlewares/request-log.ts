import type { Middleware } from 'koa';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/** One JSON log line and one histogram sample per request, labelled by route pattern, not raw path. */
export function requestLogMiddleware(logger: Logger, metrics: Metrics): Middleware {
  return async function requestLog(ctx, next) {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route: string = ctx._matchedRoute ? String(ctx._matchedRoute) : 'unmatched';
      metrics.httpDuration.observe({ method: ctx.method, route, status: String(ctx.status) }, seconds);
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          url: ctx.url,
          status: ctx.status,
          ms: Math.round(seconds * 1000),
        },
        'request',
      );
    }
  };
}
