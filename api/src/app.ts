import { errors } from '@catalog/domain';
import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import Koa from 'koa';
import type { AppDeps } from './deps';
import { errorHandlerMiddleware } from './middlewares/error-handler';
import { requestIdMiddleware } from './middlewares/request-id';
import { requestLogMiddleware } from './middlewares/request-log';
import { webAppMiddleware } from './middlewares/web-app';
import { buildOpenApiDocument, OpenAPIRegistry } from './openapi/registry';
import { deliveriesRouter, documentDeliveries } from './routes/deliveries/routes';
import { docsRouter } from './routes/docs/routes';
import { documentHealth, healthRouter } from './routes/health/routes';
import { documentImports, importsRouter } from './routes/imports/routes';
import { documentJobs, jobsRouter } from './routes/jobs/routes';
import { documentMeta, metaRouter } from './routes/meta/routes';
import { documentProducts, productsRouter } from './routes/products/routes';
import { documentWebhooks, webhooksRouter } from './routes/webhooks/routes';

export const API_VERSION = '0.1.0';
const JSON_LIMIT_BYTES = 1024 * 1024;

/**
 * Each resource contributes a router and its OpenAPI paths, described with the same zod schemas
 * that validate its requests.
 */
type Resource = { router: Router; document: (registry: OpenAPIRegistry) => void };

export function createApp(deps: AppDeps): Koa {
  const resources: Resource[] = [
    { router: healthRouter(deps), document: documentHealth },
    { router: metaRouter(deps, API_VERSION), document: documentMeta },
    { router: importsRouter(deps), document: documentImports },
    { router: jobsRouter(deps), document: documentJobs },
    { router: productsRouter(deps), document: documentProducts },
    { router: webhooksRouter(deps), document: documentWebhooks },
    { router: deliveriesRouter(deps), document: documentDeliveries },
  ];

  const app = new Koa({ proxy: true });
  // Koa reports errors after the response has started (e.g. a stream the client stopped reading)
  // here; a client going away is normal, anything else is logged once, as JSON.
  app.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_STREAM_PREMATURE_CLOSE' || error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
    deps.logger.error({ err: error }, 'response error');
  });
  app.use(errorHandlerMiddleware(deps.logger));
  app.use(requestIdMiddleware());
  app.use(requestLogMiddleware(deps.logger, deps.metrics));
  app.use(webAppMiddleware(deps.config.WEB_DIST_DIR));
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
  for (const { router } of resources) app.use(router.routes()).use(router.allowedMethods());
  app.use(
    docsRouter(() => {
      const registry = new OpenAPIRegistry();
      for (const { document } of resources) document(registry);
      return buildOpenApiDocument(registry, API_VERSION);
    }).routes(),
  );
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body == null) {
      ctx.status = 404;
      ctx.body = { error: { code: 'not_found', message: `No route for ${ctx.method} ${ctx.path}` } };
    }
  });
  return app;
}
