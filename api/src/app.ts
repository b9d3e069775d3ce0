import { errors } from '@catalog/domain';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import Koa from 'koa';
import { authenticateMiddleware } from './auth/authenticate';
import { requireCredentialsMiddleware } from './auth/require-credentials';
import type { AppDeps } from './deps';
import { deadlineMiddleware } from './limits/deadline';
import { sseLimitMiddleware } from './limits/sse-limit';
import { allowedHosts } from './middlewares/allowed-hosts';
import { csrfMiddleware } from './middlewares/csrf';
import { errorHandlerMiddleware } from './middlewares/error-handler';
import { hostCheckMiddleware } from './middlewares/host-check';
import { requestIdMiddleware } from './middlewares/request-id';
import { requestLogMiddleware } from './middlewares/request-log';
import { securityHeadersMiddleware } from './middlewares/security-headers';
import { webAppMiddleware } from './middlewares/web-app';
import { API_VERSION, createOpenApiDocument } from './openapi/document';
import { apiKeysRouter } from './routes/api-keys/routes';
import { auditRouter } from './routes/audit/routes';
import { oidcRouter } from './routes/auth/oidc-routes';
import { authRouter } from './routes/auth/routes';
import { deliveriesRouter } from './routes/deliveries/routes';
import { docsRouter } from './routes/docs/routes';
import { healthRouter } from './routes/health/routes';
import { importReviewRouter } from './routes/imports/review-routes';
import { importsRouter } from './routes/imports/routes';
import { importUndoRouter } from './routes/imports/undo-routes';
import { jobsRouter } from './routes/jobs/routes';
import { mappingPresetsRouter } from './routes/mapping-presets/routes';
import { metaRouter } from './routes/meta/routes';
import { productsRouter } from './routes/products/routes';
import { uploadsRouter } from './routes/uploads/routes';
import { usersRouter } from './routes/users/routes';
import { webhooksRouter } from './routes/webhooks/routes';

const JSON_LIMIT_BYTES = 1024 * 1024;

export function createApp(deps: AppDeps): Koa {
  // Each router's paths are described in openapi/document.ts; openapi.test.ts keeps the two equal.
  const routers: Router[] = [
    healthRouter(deps),
    metaRouter(deps, API_VERSION),
    importsRouter(deps),
    uploadsRouter(deps),
    mappingPresetsRouter(deps),
    importReviewRouter(deps),
    importUndoRouter(deps),
    jobsRouter(deps),
    productsRouter(deps),
    webhooksRouter(deps),
    deliveriesRouter(deps),
    authRouter(deps),
    oidcRouter(deps),
    usersRouter(deps),
    apiKeysRouter(deps),
    auditRouter(deps),
    docsRouter(createOpenApiDocument),
  ];

  const hosts = allowedHosts(deps.config);
  // X-Forwarded-* decide ctx.secure (the cookie's Secure flag), ctx.host and ctx.ip only when a proxy we run sets them.
  // Only the last X-Forwarded-For entry is our proxy's; the ones before it are whatever the client
  // sent, and would let it pick a fresh address per sign-in attempt.
  const app = new Koa({ proxy: deps.config.TRUST_PROXY, maxIpsCount: 1 });
  // Koa reports errors after the response has started (e.g. a stream the client stopped reading)
  // here; a client going away is normal, anything else is logged once, as JSON.
  app.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_STREAM_PREMATURE_CLOSE' || error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
    deps.logger.error({ err: error }, 'response error');
  });
  app.use(errorHandlerMiddleware(deps.logger));
  app.use(requestIdMiddleware());
  app.use(requestLogMiddleware(deps.logger, deps.metrics));
  app.use(securityHeadersMiddleware(hosts));
  app.use(hostCheckMiddleware(hosts, deps.logger));
  app.use(webAppMiddleware(deps.config.WEB_DIST_DIR));
  // Before the body parser, so a body that trickles in is timed too.
  app.use(deadlineMiddleware(deps.config.REQUEST_TIMEOUT_MS));
  // Sets ctx.state.actor when the request carries a session or an API key; then anything under
  // /api (but the few public routes: sign-in and -out, single sign-on, the docs) and /metrics needs one. Each route checks the role it needs.
  app.use(authenticateMiddleware(deps.auth));
  app.use(requireCredentialsMiddleware());
  app.use(csrfMiddleware(hosts));
  app.use(sseLimitMiddleware(deps.limits.eventStreams));
  // After the credentials checks: a refused request's body is never read.
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: `${JSON_LIMIT_BYTES}b`,
      encoding: 'utf-8',
      onError: (error: Error & { status?: number }) => {
        if (error.status === 413) throw errors.payloadTooLarge(JSON_LIMIT_BYTES);
        throw errors.badRequest(`The request body is not a JSON object or array: ${error.message}`);
      },
    }),
  );
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body == null) {
      ctx.status = 404;
      ctx.body = { error: { code: 'not_found', message: `No route for ${ctx.method} ${ctx.path}` } };
    }
  });
  return app;
}
