import { createProductRepository } from '@catalog/db';
import { errors, type Product } from '@catalog/domain';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import { attributionOf } from '../../audit/attribution';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { openSse } from '../../http/sse';
import { parseInput } from '../../http/validate';
import { createCatalogEvents } from './catalog-events';
import { startDeleteAll } from './delete-all';
import { productsCsvStream } from './export-csv';
import {
  createProductBody,
  deleteAllBody,
  exportProductsQuery,
  ifMatchHeader,
  listProductsQuery,
  productIdParams,
  updateProductBody,
} from './schema';

export { documentProducts } from './openapi';

/** Koa's JSON parser skips DELETE bodies; delete-all carries its confirmation in one. */
const deleteBodyParser = bodyParser({
  enableTypes: ['json'],
  parsedMethods: ['DELETE'],
  jsonLimit: '16kb',
  onError: () => {
    throw errors.validation('The body must be the JSON object {"confirm": "DELETE ALL"}');
  },
});

/** The product as JSON, with its version as the ETag a later If-Match sends back. */
function present(ctx: Context, product: Product, status = 200): void {
  ctx.status = status;
  ctx.set('ETag', `"${product.version}"`);
  ctx.body = product;
}

/** The version an edit started from: If-Match or a `version` field (which must agree when both are sent). */
function expectedVersion(ctx: Context, bodyVersion: number | undefined): number | undefined {
  const header = parseInput(ifMatchHeader, ctx.headers, 'headers')['if-match'];
  if (header !== undefined && bodyVersion !== undefined && header !== bodyVersion) {
    throw errors.validation('If-Match and version name different versions; send one of them', {
      issues: [{ parameter: 'version', message: 'differs from If-Match' }],
    });
  }
  return header ?? bodyVersion;
}

export function productsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/products' });
  const products = createProductRepository(deps.db, { onStaleMarks: deps.sortMarks.request });
  const catalogEvents = createCatalogEvents({ db: deps.db, logger: deps.logger });
  const viewer = requireRole('viewer');
  const editor = requireRole('editor');

  router.get('/', viewer, async (ctx) => {
    const { page, pageSize, sort, cursor, ...filter } = parseInput(listProductsQuery, ctx.query, 'query');
    ctx.body = await products.list({ filter, sort, page, pageSize, cursor });
  });

  router.get('/export.csv', viewer, async (ctx) => {
    const filter = parseInput(exportProductsQuery, ctx.query, 'query');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment('products.csv');
    ctx.body = await deps.limits.downloads.open(ctx, (pool) => productsCsvStream({ pool }, filter));
  });

  router.get('/events', viewer, async (ctx) => {
    const sse = openSse(ctx, deps.lifecycle);
    const unsubscribe = await catalogEvents.subscribe((change) => sse.send('catalog-changed', change));
    sse.onClose(unsubscribe);
  });

  router.post('/', editor, async (ctx) => {
    const fields = parseInput(createProductBody, ctx.request.body, 'body');
    const product = await products.create(fields, attributionOf(ctx));
    ctx.set('Location', `/api/products/${product.id}`);
    present(ctx, product, 201);
  });

  router.delete('/', requireRole('admin'), deleteBodyParser, async (ctx) => {
    parseInput(deleteAllBody, ctx.request.body, 'body');
    const jobId = await startDeleteAll(deps, attributionOf(ctx));
    ctx.status = 202;
    ctx.set('Location', `/api/jobs/${jobId}`);
    ctx.body = { jobId };
  });

  router.get('/:id', viewer, async (ctx) => {
    const { id } = parseInput(productIdParams, ctx.params, 'params');
    const product = await products.find(id);
    if (!product) throw errors.notFound('Product', String(id));
    present(ctx, product);
  });

  router.patch('/:id', editor, async (ctx) => {
    const { id } = parseInput(productIdParams, ctx.params, 'params');
    const { version, ...changes } = parseInput(updateProductBody, ctx.request.body ?? {}, 'body');
    const expected = expectedVersion(ctx, version);
    if (expected === undefined) {
      throw errors.validation('Send the version the edit started from, as If-Match or a version field', {
        issues: [{ parameter: 'version', message: 'is required' }],
      });
    }
    present(ctx, await products.update(id, expected, changes, attributionOf(ctx)));
  });

  router.delete('/:id', editor, async (ctx) => {
    const { id } = parseInput(productIdParams, ctx.params, 'params');
    await products.remove(id, expectedVersion(ctx, undefined), attributionOf(ctx));
    ctx.status = 204;
  });

  return router;
}
