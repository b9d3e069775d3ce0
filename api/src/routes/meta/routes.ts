import Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { clientErrorRange, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';

export const metaSchema = z.object({ version: z.string(), temporalUiUrl: z.string(), docsUrl: z.string() });

/** What the web app needs to know about this deployment (links it shows). */
export function metaRouter(deps: AppDeps, version: string): Router {
  const router = new Router();
  router.get('/api/meta', (ctx) => {
    const temporalUiUrl = `${deps.config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(deps.temporal.namespace)}/workflows`;
    ctx.body = metaSchema.parse({ version, temporalUiUrl, docsUrl: '/api/docs' });
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  return router;
}

export function documentMeta(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/meta',
    operationId: 'getMeta',
    tags: ['Meta'],
    summary: 'Links and version of this deployment',
    responses: { 200: { description: 'Meta', ...jsonContent(metaSchema) }, ...clientErrorRange },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tags: ['Meta'],
    summary: 'Prometheus metrics',
    responses: {
      200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
      ...clientErrorRange,
    },
  });
}
