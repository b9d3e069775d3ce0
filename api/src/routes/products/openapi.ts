import {
  bulkDeleteProgressSchema,
  bulkDeleteResultSchema,
  DELETE_ALL_CONFIRMATION,
  productListSchema,
  productSchema,
} from '@catalog/domain';
import { z } from 'zod';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import {
  createProductBody,
  deleteAllBody,
  exportProductsQuery,
  listProductsQuery,
  productIdParams,
  updateProductBody,
} from './schema';

const etag = { ETag: { description: 'The product version, for If-Match', schema: { type: 'string' as const } } };
const ifMatch = z.object({ 'if-match': z.string().optional().describe('The ETag (version) the edit started from') });

export function documentProducts(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/products',
    operationId: 'listProducts',
    tags: ['Products'],
    summary: 'A page of products, filtered and sorted',
    ...requiresRole(
      'viewer',
      'Text filters are case-insensitive "contains"; `q` matches any of sku, name, description. ' +
        '`sort` is one of sku, name, price, updatedAt, optionally followed by :asc or :desc ' +
        '(products without a price sort after every priced one). ' +
        'Paging: follow `nextCursor` / `prevCursor` (keyset paging: no row is skipped or repeated when ' +
        'rows change between pages; null at either end); `page=N` also works and is answered as page N. ' +
        'A cursor wins over `page` and must come with the filters, sort and pageSize it was made for, ' +
        'else 400 ("The cursor belongs to other filters; start again from page 1"). ' +
        'Totals: `totalRelation` is `eq` (exact: always without a text filter, and when a text filter ' +
        'matches few rows), `about` (estimated from a sample, rounded to two figures: show "about 47,000") ' +
        'or `gte` (at least `total`: show "10,000+"); `totalExact` is `totalRelation === "eq"`.',
    ),
    request: { query: listProductsQuery },
    responses: {
      200: { description: 'The page', ...jsonContent(productListSchema) },
      ...errorResponses(400, 401, 403),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/products/export.csv',
    operationId: 'exportProductsCsv',
    tags: ['Products'],
    summary: 'The products matching the filters as CSV, in the format the importer reads',
    ...requiresRole(
      'viewer',
      'Cells starting with = + - @ are prefixed with an apostrophe, which the importer removes again.',
    ),
    request: { query: exportProductsQuery },
    responses: {
      200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
      ...errorResponses(400, 401, 403, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/products/events',
    operationId: 'streamCatalogEvents',
    tags: ['Products'],
    summary: 'Server-Sent Events: `catalog-changed` whenever an import or a delete-all has changed the catalog',
    ...requiresRole('viewer', "A browser's EventSource sends the session cookie, so the app's pages can listen."),
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errorResponses(401, 403, 429),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/products',
    operationId: 'createProduct',
    tags: ['Products'],
    summary: 'Create a product (same rules as an imported row)',
    ...requiresRole('editor'),
    request: { body: jsonContent(createProductBody) },
    responses: {
      201: { description: 'Created', headers: etag, ...jsonContent(productSchema) },
      ...errorResponses(400, 401, 403, 409),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/products',
    operationId: 'deleteAllProducts',
    tags: ['Products'],
    summary: `Delete every product: a cancellable background job (body {"confirm": "${DELETE_ALL_CONFIRMATION}"})`,
    ...requiresRole(
      'admin',
      'Follow /api/jobs/{jobId} or its /events; progress is ' +
        `${Object.keys(bulkDeleteProgressSchema.shape).join(', ')}, the result ${Object.keys(bulkDeleteResultSchema.shape).join(', ')}. ` +
        'Cancelling it (POST /api/jobs/{jobId}/cancel) needs the admin role too.',
    ),
    request: { body: jsonContent(deleteAllBody) },
    responses: {
      202: { description: 'Accepted', ...jsonContent(z.object({ jobId: z.string() })) },
      ...errorResponses(400, 401, 403, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/products/{id}',
    operationId: 'getProduct',
    tags: ['Products'],
    summary: 'One product',
    ...requiresRole('viewer'),
    request: { params: productIdParams },
    responses: {
      200: { description: 'The product', headers: etag, ...jsonContent(productSchema) },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/products/{id}',
    operationId: 'updateProduct',
    tags: ['Products'],
    summary: 'Change a product; stale edits (another change since `version`) are refused with the current values',
    ...requiresRole('editor'),
    request: { params: productIdParams, headers: ifMatch, body: jsonContent(updateProductBody) },
    responses: {
      200: { description: 'The product as saved', headers: etag, ...jsonContent(productSchema) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/products/{id}',
    operationId: 'deleteProduct',
    tags: ['Products'],
    summary: 'Delete a product (with If-Match: only if unchanged since)',
    ...requiresRole('editor'),
    request: { params: productIdParams, headers: ifMatch },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404, 409) },
  });
}
