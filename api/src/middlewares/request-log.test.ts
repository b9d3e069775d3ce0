import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { z } from 'zod';
import { type Api, apiAs } from '../../../tests/support/api';
import { type Stack, startStack } from '../../../tests/support/stack';
import { createApp } from '../app';
import { createMetrics, type Metrics } from '../metrics';
import { CLIENT_CLOSED_REQUEST } from './request-log';

/**
 * The status in the request log and in `http_request_duration_seconds` is the one the client
 * received, whichever layer decided it: a route, the body parser, multer, the not-found fallback,
 * or the error handler turning an unexpected exception into a 500.
 *
 * The app under test is the real one on the stack's real dependencies, with its own logger (to
 * read its lines) and its own metrics registry (so counts are exact). One dependency is wrapped
 * to inject failures: job id BROKEN_JOB throws, BLOCKED_JOB waits until the test releases it.
 */
const UPLOAD_MAX_BYTES = 256;
const BROKEN_JOB = randomUUID();
const BLOCKED_JOB = randomUUID();

const requestLine = z.object({
  msg: z.literal('request'),
  requestId: z.string(),
  method: z.string(),
  status: z.number(),
  clientGone: z.literal(true).optional(),
});
type RequestLine = z.infer<typeof requestLine>;

/** pino writes each line synchronously to this stream; `next(id)` resolves with the request line of `id`. */
function captureRequestLines() {
  const seen = new Map<string, RequestLine>();
  const waiting = new Map<string, (line: RequestLine) => void>();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        const parsed = requestLine.safeParse(JSON.parse(text));
        if (!parsed.success) continue;
        seen.set(parsed.data.requestId, parsed.data);
        waiting.get(parsed.data.requestId)?.(parsed.data);
      }
      done();
    },
  });
  const next = (requestId: string) =>
    new Promise<RequestLine>((resolve) => {
      const line = seen.get(requestId);
      if (line) resolve(line);
      else waiting.set(requestId, resolve);
    });
  return { stream, next };
}

let stack: Stack;
let server: Server;
/** The test's own server as called by an admin key, a viewer key, and no one. */
let callers: Record<'admin' | 'viewer' | 'anonymous', Api>;
let metrics: Metrics;
const lines = captureRequestLines();
let blockedReached: () => void;
const blockedCalled = new Promise<void>((resolve) => {
  blockedReached = resolve;
});
let releaseBlocked: () => void;
const blockedReleased = new Promise<void>((resolve) => {
  releaseBlocked = resolve;
});

before(async () => {
  // A database of its own: the 202 row starts an import this file never waits for, which would
  // otherwise hold the shared job queue for every later test file.
  stack = await startStack({ isolated: true, env: { UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) } });
  metrics = createMetrics();
  const { readLiveJob } = stack.deps;
  const app = createApp({
    ...stack.deps,
    logger: pino({ name: 'request-log-test', level: 'info' }, lines.stream),
    metrics,
    readLiveJob: async (id) => {
      if (id === BROKEN_JOB) throw new Error('injected failure: the job store broke');
      if (id === BLOCKED_JOB) {
        blockedReached();
        await blockedReleased;
      }
      return readLiveJob(id);
    },
  });
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  callers = {
    admin: apiAs(baseUrl, await stack.keyFor('admin')),
    viewer: apiAs(baseUrl, await stack.keyFor('viewer')),
    anonymous: apiAs(baseUrl, null),
  };
});
after(async () => {
  releaseBlocked();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await stack?.stop();
});

const csvUpload = (csv: string) => {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'catalog.csv');
  return { method: 'POST', body: form };
};
const json = (method: string, body: string) => ({ method, body, headers: { 'content-type': 'application/json' } });
const sku = `status-${randomUUID()}`;

/**
 * One row per way a status comes about; `route` is the histogram's route label. Requests are an
 * admin's unless `as` says otherwise.
 */
type Init = { method: string; body: string | FormData; headers?: Record<string, string> };
const cases: { status: number; why: string; path: string; init?: Init; route: string; as?: keyof typeof callers }[] = [
  { status: 200, why: 'a route answers', path: '/health/live', route: '/health/live' },
  // Refused before any router runs: no route had matched yet.
  { status: 401, why: 'no credentials', path: '/api/products', route: 'unmatched', as: 'anonymous' },
  { status: 403, why: 'a role too low', path: '/api/users', route: '/api/users', as: 'viewer' },
  {
    status: 201,
    why: 'a route creates',
    path: '/api/products',
    init: json('POST', JSON.stringify({ sku, name: 'Status' })),
    route: '/api/products',
  },
  {
    status: 202,
    why: 'an upload is accepted',
    path: '/api/imports',
    init: csvUpload(`sku,name\n${sku}-i,Imported\n`),
    route: '/api/imports',
  },
  { status: 400, why: 'a route refuses a query', path: '/api/imports?pageSize=1000', route: '/api/imports' },
  {
    status: 400,
    why: 'the body parser refuses a body',
    path: '/api/products',
    init: json('POST', '{bad'),
    // The body parser runs before the routers, so no route had matched yet.
    route: 'unmatched',
  },
  { status: 404, why: 'a route finds nothing', path: `/api/jobs/${randomUUID()}`, route: '/api/jobs/:id' },
  { status: 404, why: 'no route matches', path: `/api/nothing-${randomUUID()}`, route: 'unmatched' },
  {
    status: 409,
    why: 'a route refuses a conflict (the SKU the 201 row created)',
    path: '/api/products',
    init: json('POST', JSON.stringify({ sku, name: 'Again' })),
    route: '/api/products',
  },
  {
    status: 413,
    why: 'multer refuses a file over the limit',
    path: '/api/imports',
    init: csvUpload(`sku,name\n${'x'.repeat(UPLOAD_MAX_BYTES)},Big\n`),
    route: '/api/imports',
  },
  {
    status: 415,
    why: 'an upload is not multipart',
    path: '/api/imports',
    init: { method: 'POST', body: 'sku,name\n', headers: { 'content-type': 'text/csv' } },
    route: '/api/imports',
  },
  { status: 500, why: 'a dependency throws', path: `/api/jobs/${BROKEN_JOB}`, route: '/api/jobs/:id' },
];

/** `http_request_duration_seconds_count` by "method route status", as /metrics exposes it. */
async function countedRequests(): Promise<Map<string, number>> {
  const text = await (await callers.admin.fetch('/metrics')).text();
  const counts = new Map<string, number>();
  for (const match of text.matchAll(
    /^http_request_duration_seconds_count\{method="(\w+)",route="([^"]*)",status="(\d+)"\} (\d+)$/gm,
  )) {
    counts.set(`${match[1]} ${match[2]} ${match[3]}`, Number(match[4]));
  }
  return counts;
}

/** The samples `send` added to the histogram, leaving out the scrapes of /metrics that measure it. */
async function countedDuring(send: () => Promise<void>): Promise<string[]> {
  const before = await countedRequests();
  await send();
  const added: string[] = [];
  for (const [key, count] of await countedRequests()) {
    if (key.startsWith('GET /metrics ')) continue;
    for (let n = before.get(key) ?? 0; n < count; n++) added.push(key);
  }
  return added;
}

test('every response is logged and counted with the status the client received', async (t) => {
  for (const { status, why, path, init, route, as: who = 'admin' } of cases) {
    await t.test(`${status}: ${why}`, async () => {
      const requestId = randomUUID();
      const counted = await countedDuring(async () => {
        const response = await callers[who].fetch(path, {
          ...init,
          headers: { ...init?.headers, 'x-request-id': requestId },
        });
        await response.arrayBuffer();
        assert.equal(response.status, status, `the client received ${status}`);
        const line = await lines.next(requestId);
        assert.equal(line.status, status, 'the log line has the status the client received');
        assert.equal(line.clientGone, undefined);
      });
      assert.deepEqual(counted, [`${init?.method ?? 'GET'} ${route} ${status}`], 'counted under that status');
    });
  }
});

test('a stream the client stops reading is logged with its status, as the client went away', async () => {
  const requestId = randomUUID();
  const abort = new AbortController();
  const counted = await countedDuring(async () => {
    const response = await callers.admin.fetch('/api/products/events', {
      headers: { 'x-request-id': requestId },
      signal: abort.signal,
    });
    assert.equal(response.status, 200);
    await response.body?.getReader().read();
    abort.abort();
    const line = await lines.next(requestId);
    assert.equal(line.status, 200);
    assert.equal(line.clientGone, true);
  });
  assert.deepEqual(counted, ['GET /api/products/events 200']);
});

/** Resolves when the server's end of the connection that carries `requestId` has closed. */
function serverSocketClosed(requestId: string): Promise<void> {
  return new Promise((resolve) => {
    const onRequest = (request: IncomingMessage) => {
      if (request.headers['x-request-id'] !== requestId) return;
      server.off('request', onRequest);
      request.socket.once('close', () => resolve());
    };
    server.on('request', onRequest);
  });
}

test('a client that leaves before any response is logged as 499, with no status of the app', async () => {
  const requestId = randomUUID();
  const abort = new AbortController();
  const counted = await countedDuring(async () => {
    const request = callers.admin.fetch(`/api/jobs/${BLOCKED_JOB}`, {
      headers: { 'x-request-id': requestId },
      signal: abort.signal,
    });
    const disconnected = serverSocketClosed(requestId);
    await blockedCalled;
    abort.abort();
    await assert.rejects(request, { name: 'AbortError' });
    // Only once the server has seen the client go does the handler go on (and fail with a 404
    // no one receives), so the line cannot be written from anything the handler did.
    await disconnected;
    releaseBlocked();
    const line = await lines.next(requestId);
    assert.equal(line.status, CLIENT_CLOSED_REQUEST);
    assert.equal(line.clientGone, true);
  });
  assert.deepEqual(counted, [`GET /api/jobs/:id ${CLIENT_CLOSED_REQUEST}`]);
});
