import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import type { Api } from '../../../../tests/support/api';
import { pollUntil } from '../../../../tests/support/imports';
import { type Stack, startStack } from '../../../../tests/support/stack';
import { startTcpProxy } from '../../../../tests/support/tcp-proxy';

/**
 * The API reaches PostgreSQL and Temporal through proxies the test can cut, as if each server
 * stopped, and restore, as if it came back.
 */
const readiness = z.object({
  status: z.enum(['ready', 'unavailable']),
  down: z.array(z.string()),
  checks: z.record(z.string(), z.object({ status: z.string() })),
});

let stack: Stack;
let api: Api;
let database: Awaited<ReturnType<typeof startTcpProxy>>;
let temporal: Awaited<ReturnType<typeof startTcpProxy>>;

before(async () => {
  const databaseUrl = new URL(process.env.DATABASE_URL ?? '');
  const [temporalHost, temporalPort] = (process.env.TEMPORAL_ADDRESS ?? '').split(':');
  database = await startTcpProxy({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
  temporal = await startTcpProxy({ host: temporalHost ?? '127.0.0.1', port: Number(temporalPort) });
  databaseUrl.hostname = '127.0.0.1';
  databaseUrl.port = String(database.port);
  stack = await startStack({
    worker: false,
    env: { DATABASE_URL: databaseUrl.toString(), TEMPORAL_ADDRESS: `127.0.0.1:${temporal.port}` },
  });
  // Made before any dependency is cut: a key is looked up in the database.
  api = await stack.as('editor');
});
after(async () => {
  await stack?.stop();
  await Promise.all([database?.close(), temporal?.close()]);
});

const ready = async () => {
  const response = await fetch(`${stack.baseUrl}/health/ready`);
  return { code: response.status, body: readiness.parse(await response.json()) };
};

test('liveness answers without touching any dependency', async () => {
  const response = await fetch(`${stack.baseUrl}/health/live`);
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'ok' });
});

test('readiness is 200 with every dependency up', async () => {
  const { code, body } = await pollUntil('ready', ready, (r) => r.code === 200);
  assert.equal(code, 200);
  assert.deepEqual(body.down, []);
  assert.equal(body.checks.database?.status, 'up');
  assert.equal(body.checks.temporal?.status, 'up');
  assert.match(body.checks.redis?.status ?? '', /^(up|in_process)$/);
});

test('readiness turns 503 naming PostgreSQL while it is down, and back to 200 when it returns', async () => {
  await database.cut();
  const down = await pollUntil('database down', ready, (r) => r.code === 503, 15_000);
  assert.deepEqual(down.body.down, ['database']);
  const listed = await api.fetch(`/api/imports`);
  assert.ok(listed.status >= 500, 'a request that needs the database fails cleanly');
  await database.restore();
  await pollUntil('database back', ready, (r) => r.code === 200, 30_000);
  assert.equal((await api.fetch(`/api/imports`)).status, 200);
});

test('readiness turns 503 naming Temporal while it is down, and back to 200 when it returns', async () => {
  await temporal.cut();
  const down = await pollUntil('temporal down', ready, (r) => r.code === 503, 15_000);
  assert.deepEqual(down.body.down, ['temporal']);
  await temporal.restore();
  await pollUntil('temporal back', ready, (r) => r.code === 200, 60_000);
});

test('metrics are exposed in the Prometheus format', async () => {
  const response = await api.fetch(`/metrics`);
  assert.equal(response.status, 200);
  const text = await response.text();
  assert.match(text, /# TYPE http_request_duration_seconds histogram/);
  assert.match(text, /http_request_duration_seconds_count\{method="GET",route="\/health\/ready",status="200"\}/);
});

test('the OpenAPI document describes the API and the docs page serves it', async () => {
  const document = z
    .object({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) })
    .parse(await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json());
  assert.equal(document.openapi, '3.1.0');
  for (const path of ['/api/imports', '/api/imports/{id}/events', '/api/jobs/{id}', '/health/ready']) {
    assert.ok(path in document.paths, `${path} is documented`);
  }
  const page = await fetch(`${stack.baseUrl}/api/docs`);
  assert.match(await page.text(), /swagger-ui-bundle\.js/);
  assert.equal((await fetch(`${stack.baseUrl}/api/docs/assets/swagger-ui-bundle.js`)).status, 200);
});

test('a body that is not JSON is a 400, not a 500', async () => {
  for (const body of ['{bad', '"just a string"', '5']) {
    const response = await api.fetch(`/api/products`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 400, body);
    assert.match((await response.text()).toString(), /not a JSON object or array/);
  }
});

test('errors have one shape and never leak internals', async () => {
  const response = await api.fetch(`/api/nothing-here`);
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), {
    error: { code: 'not_found', message: 'No route for GET /api/nothing-here' },
  });
  const requestId = (
    await fetch(`${stack.baseUrl}/health/live`, { headers: { 'x-request-id': 'abc-123' } })
  ).headers.get('x-request-id');
  assert.equal(requestId, 'abc-123');
});
