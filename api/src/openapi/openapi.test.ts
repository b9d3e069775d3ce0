import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Router from '@koa/router';
import { type Stack, startStack } from '../../../tests/support/stack';
import { createApp } from '../app';
import { createOpenApiDocument } from './document';

/**
 * Routes the docs page loads for itself: static files of Swagger UI, not operations of the API.
 * Anything else a router serves must be in the document, and the document may list nothing else.
 */
const UNDOCUMENTED = new Set(['GET /api/docs/init.js', 'GET /api/docs/assets/{file}']);

const OPERATION_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

let stack: Stack;
before(async () => {
  stack = await startStack({ worker: false });
});
after(async () => {
  await stack?.stop();
});

/** "METHOD /path/{param}" for every route of every router the app mounts (HEAD comes with GET). */
function routedOperations(middleware: readonly unknown[]): string[] {
  const routers = middleware.flatMap((fn) =>
    typeof fn === 'function' && 'router' in fn && fn.router instanceof Router ? [fn.router] : [],
  );
  assert.ok(routers.length > 0, 'the app mounts routers');
  return routers.flatMap((router) =>
    router.stack.flatMap((layer) => {
      assert.equal(typeof layer.path, 'string', 'routes are plain paths, which the document can name');
      const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
      return layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${path}`);
    }),
  );
}

function documentedOperations(): string[] {
  return Object.entries(createOpenApiDocument().paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => OPERATION_METHODS.has(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

test('every route the app serves is in the OpenAPI document, and the document lists no other', () => {
  const routed = routedOperations(createApp(stack.deps).middleware).filter((op) => !UNDOCUMENTED.has(op));
  assert.deepEqual([...new Set(routed)].sort(), routed.sort(), 'no route is registered twice');
  assert.deepEqual(documentedOperations().sort(), routed.sort());
});
