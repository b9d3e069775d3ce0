import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Router from '@koa/router';
import { z } from 'zod';
import { clientErrorRange, type OpenAPIRegistry } from '../../openapi/registry';

const require = createRequire(import.meta.url);
const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const SWAGGER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js']);

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Catalog Importer API</title><link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true });`;

/** The OpenAPI document and a Swagger UI page for it, both served from this process (no CDN). */
export function docsRouter(document: () => unknown): Router {
  const router = new Router();
  let cached: unknown;
  router.get('/api/openapi.json', (ctx) => {
    cached ??= document();
    ctx.body = cached;
  });
  router.get('/api/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = DOCS_PAGE;
  });
  router.get('/api/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = DOCS_INIT;
  });
  router.get('/api/docs/assets/:file', (ctx) => {
    const file = ctx.params.file ?? '';
    if (!SWAGGER_FILES.has(file)) return;
    ctx.type = path.extname(file);
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = createReadStream(path.join(swaggerDir, file));
  });
  return router;
}

export function documentDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    tags: ['Meta'],
    summary: 'This OpenAPI document',
    responses: {
      200: {
        description: 'OpenAPI 3.1',
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
      ...clientErrorRange,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/docs',
    operationId: 'getApiDocsPage',
    tags: ['Meta'],
    summary: 'A Swagger UI page for this document',
    responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } }, ...clientErrorRange },
  });
}
