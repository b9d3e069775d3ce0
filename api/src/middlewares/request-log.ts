import { finished } from 'node:stream';
import type { Middleware } from 'koa';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/**
 * nginx's code for "the client closed the connection before any response was sent": the client
 * received no status at all, and counting the one the app had chosen would claim it did.
 */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * One JSON log line and one histogram sample per request, labelled by route pattern, not raw path.
 * Both are taken when Node is done with the response, from what went on the wire: middleware
 * further in (the error handler, the not-found fallback) and Koa itself may still change the
 * status after `next()` returns here, and a streamed body may outlive the middleware chain.
 */
export function requestLogMiddleware(logger: Logger, metrics: Metrics): Middleware {
  return async function requestLog(ctx, next) {
    const started = process.hrtime.bigint();
    finished(ctx.res, (error) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // `finished` reports an error when the connection closed before the response was complete.
      const clientGone = Boolean(error);
      const status = ctx.res.headersSent ? ctx.res.statusCode : CLIENT_CLOSED_REQUEST;
      const route: string = ctx._matchedRoute ? String(ctx._matchedRoute) : 'unmatched';
      metrics.httpDuration.observe({ method: ctx.method, route, status: String(status) }, seconds);
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          url: loggedUrl(ctx.path, ctx.querystring),
          status,
          ms: Math.round(seconds * 1000),
          ...(clientGone ? { clientGone: true } : {}),
        },
        'request',
      );
    });
    await next();
  };
}

/** The single sign-on callback's query holds an authorization code and state: never written to logs. */
function loggedUrl(path: string, query: string): string {
  if (!query) return path;
  return path.toLowerCase().startsWith('/api/auth/oidc/') ? `${path}?…` : `${path}?${query}`;
}
