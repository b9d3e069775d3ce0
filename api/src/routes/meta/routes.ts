import Router from '@koa/router';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';

export const metaSchema = z.object({ version: z.string(), temporalUiUrl: z.string(), docsUrl: z.string() });

/** What the web app needs to know about this deployment (links it shows). */
export function metaRouter(deps: AppDeps, version: string): Router {
  const router = new Router();
  router.get('/api/meta', requireRole('viewer'), (ctx) => {
    const temporalUiUrl = `${deps.config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(deps.temporal.namespace)}/workflows`;
    ctx.body = metaSchema.parse({ version, temporalUiUrl, docsUrl: '/api/docs' });
  });
  // Any role: a scraper gets a viewer key (see the OpenAPI description).
  router.get('/metrics', requireRole('viewer'), async (ctx) => {
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
    ...requiresRole('viewer'),
    responses: { 200: { description: 'Meta', ...jsonContent(metaSchema) }, ...errorResponses(401, 403) },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tags: ['Meta'],
    summary: 'Prometheus metrics',
    ...requiresRole(
      'viewer',
      'For a scraper: make it a viewer API key (`npm run apikey -- create --name prometheus --role viewer`) and ' +
        'send it as `Authorization: Bearer <key>` (Prometheus: `authorization.credentials_file`). Answers any Host.',
    ),
    responses: {
      200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
      ...errorResponses(401, 403),
    },
  });
}
