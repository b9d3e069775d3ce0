import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { productSchema, webhookEndpointSchema, webhookSecretSchema } from '@catalog/domain';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { type Api, apiAs } from '../tests/support/api';
import { apiKeyInDatabase } from '../tests/support/api-keys';
import { isolatedDatabase } from '../tests/support/database';
import { startProcess, waitForHttp } from './lib/processes';

/**
 * npm run bench:webhooks [-- --updates 1000 --endpoints 3 --rate 34 --concurrency 16]
 * Product updates through the real API process, delivered by the real worker process to endpoints
 * served by a receiver in this process, which verifies every signature with the Standard Webhooks
 * library. Updates are sent at a steady `--rate` per second (0: as fast as `--concurrency` clients
 * can), so the latency measured is the one at that sustained load, not the depth of a queue built
 * by a burst. The default, 34 updates/s to 3 endpoints, offers the targeted 100 deliveries/s. Latency runs from the moment the PATCH request was sent (so it also holds the API's
 * own time before its commit) to the moment the receiver has the delivery.
 */
const { values } = parseArgs({
  options: {
    updates: { type: 'string', default: '1000' },
    endpoints: { type: 'string', default: '3' },
    rate: { type: 'string', default: '34' },
    concurrency: { type: 'string', default: '16' },
  },
});
const updates = positive('updates', values.updates);
const endpointCount = positive('endpoints', values.endpoints);
const concurrency = positive('concurrency', values.concurrency);
const rate = Number(values.rate);
if (!Number.isFinite(rate) || rate < 0)
  throw new Error('--rate must be a number of updates per second, 0 for no limit');
const SETTLE_MS = 60_000;
/** When each update was sent, by product id and the version it creates: what its delivery carries. */
const sentAt = new Map<string, number>();

const work = await mkdtemp(path.join(tmpdir(), 'catalog-bench-webhooks-'));
const database = await isolatedDatabase();
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const env = {
  DATABASE_URL: database.url,
  PORT: String(port),
  HOST: '127.0.0.1',
  TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
  UPLOAD_DIR: path.join(work, 'uploads'),
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  WORKER_HEALTH_PORT: '0',
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
};
const api = startProcess('api', env);
const worker = startProcess('worker', env);
const receiver = await startBenchReceiver();
let admin: Api;

try {
  await waitForHttp(`${baseUrl}/health/live`);
  // Webhooks and their secrets are the admins': an admin key, as `npm run apikey` makes one.
  admin = apiAs(baseUrl, await apiKeyInDatabase(database.url, 'admin'));
  const secrets: string[] = [];
  for (let i = 0; i < endpointCount; i++) {
    const endpoint = webhookEndpointSchema.parse(
      await call('POST', '/api/webhooks', {
        name: `bench ${i}`,
        url: `${receiver.url}/${i}`,
        events: ['product.updated'],
      }),
    );
    secrets.push(webhookSecretSchema.parse(await call('GET', `/api/webhooks/${endpoint.id}/secret`)).secret);
  }
  receiver.useSecrets(secrets);

  const products = await inParallel(updates + 1, 16, (i) =>
    call('POST', '/api/products', { sku: `bench-${i}`, name: `Bench product ${i}` }).then((body) =>
      productSchema.parse(body),
    ),
  );
  // One update first, until its deliveries arrive: the worker has bundled its workflows and is polling.
  const [warmup, ...measured] = products;
  if (!warmup) throw new Error('no products were created');
  await update(warmup, 'warm-up');
  await receiver.waitFor(endpointCount, SETTLE_MS);
  receiver.reset();

  const started = performance.now();
  await inParallel(measured.length, concurrency, async (i) => {
    const product = measured[i];
    if (!product) throw new Error(`no product ${i}`);
    const due = rate > 0 ? started + (i * 1000) / rate - performance.now() : 0;
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    return update(product, 'measured');
  });
  const committed = performance.now();
  const expected = measured.length * endpointCount;
  await receiver.waitFor(expected, SETTLE_MS).catch(() => undefined);

  const stats = receiver.stats();
  const latencies = stats.latenciesMs.sort((a, b) => a - b);
  const elapsedS = (stats.lastAt - started) / 1000;
  console.log(
    `webhooks benchmark: ${measured.length} product updates through the API, ${endpointCount} subscribed endpoints, ` +
      (rate > 0
        ? `sent at ${rate} updates/s (${rate * endpointCount} deliveries/s offered)`
        : `sent as fast as ${concurrency} clients can`),
  );
  console.log(
    `deliveries: ${stats.unique} of ${expected} received, ${expected - stats.unique} missing, ` +
      `${stats.duplicates} duplicates, ${stats.badSignatures} with an invalid signature`,
  );
  console.log(
    `throughput: ${(stats.unique / elapsedS).toFixed(0)} deliveries/s ` +
      `(first update sent → last delivery received: ${elapsedS.toFixed(2)} s; updates committed at ` +
      `${(measured.length / ((committed - started) / 1000)).toFixed(0)}/s)`,
  );
  console.log(
    `commit-to-receipt latency: p50 ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms, ` +
      `max ${percentile(latencies, 1)} ms`,
  );
  console.log(await dispatchLag());
  console.log('targets: all delivered, 0 missing, 0 duplicates, signatures valid; p95 ≤ 500 ms; ≥ 100 deliveries/s');
  if (stats.unique !== expected || stats.duplicates > 0 || stats.badSignatures > 0) process.exitCode = 1;
} finally {
  // Both processes hold the database open; it can be dropped once they are gone.
  await Promise.all([stop(api), stop(worker)]);
  await receiver.close();
  await database.drop();
  await rm(work, { recursive: true, force: true });
}

async function update(product: z.infer<typeof productSchema>, label: string): Promise<void> {
  sentAt.set(`${product.id}:${product.version + 1}`, performance.now());
  await call('PATCH', `/api/products/${product.id}`, { name: `${product.name} (${label})`, version: product.version });
}

/** How long events waited in the outbox before their delivery workflows were started. */
async function dispatchLag(): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ p50: number; p95: number }>(
      `select round(percentile_cont(0.5) within group (order by lag))::int as p50,
              round(percentile_cont(0.95) within group (order by lag))::int as p95
       from (select extract(epoch from dispatched_at - occurred_at) * 1000 as lag
             from outbox_events where type = 'product.updated') as lags`,
    );
    return `of which outbox → delivery workflows started: p50 ${rows[0]?.p50} ms, p95 ${rows[0]?.p95} ms`;
  } finally {
    await client.end();
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function call(method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await admin.fetch(route, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Counts deliveries per endpoint and webhook-id, checks each signature, notes when each arrived. */
async function startBenchReceiver() {
  const messageSchema = z.object({ data: z.object({ id: z.number(), version: z.number() }) });
  let verifiers: Webhook[] = [];
  let seen = new Map<string, number>();
  let latenciesMs: number[] = [];
  let badSignatures = 0;
  let lastAt = 0;
  let waiter: { count: number; resolve: () => void } | null = null;

  function receive(request: IncomingMessage, body: string): void {
    const arrived = performance.now();
    const endpoint = Number(request.url?.split('/').at(-1));
    const headers = { ...request.headers };
    const verifier = verifiers[endpoint];
    let message: unknown;
    try {
      if (!verifier) throw new Error(`no endpoint ${endpoint}`);
      message = verifier.verify(body, {
        'webhook-id': String(headers['webhook-id']),
        'webhook-timestamp': String(headers['webhook-timestamp']),
        'webhook-signature': String(headers['webhook-signature']),
      });
    } catch {
      badSignatures++;
      return;
    }
    const key = `${endpoint}:${headers['webhook-id']}`;
    const times = (seen.get(key) ?? 0) + 1;
    seen.set(key, times);
    if (times > 1) return;
    lastAt = arrived;
    const { data } = messageSchema.parse(message);
    const sent = sentAt.get(`${data.id}:${data.version}`);
    if (sent !== undefined) latenciesMs.push(arrived - sent);
    if (waiter && seen.size >= waiter.count) waiter.resolve();
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receive(request, Buffer.concat(chunks).toString('utf8'));
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    useSecrets: (secrets: string[]) => {
      verifiers = secrets.map((secret) => new Webhook(secret));
    },
    reset: () => {
      seen = new Map();
      latenciesMs = [];
      badSignatures = 0;
    },
    waitFor: (count: number, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        if (seen.size >= count) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`only ${seen.size} of ${count} deliveries arrived`)),
          timeoutMs,
        );
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiter = null;
            resolve();
          },
        };
      }),
    stats: () => {
      const unique = seen.size;
      const received = [...seen.values()].reduce((sum, n) => sum + n, 0);
      return { unique, duplicates: received - unique, badSignatures, latenciesMs, lastAt };
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function inParallel<T>(count: number, limit: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      for (let index = next++; index < count; index = next++) results[index] = await work(index);
    }),
  );
  return results;
}

function percentile(sorted: number[], fraction: number): string {
  if (sorted.length === 0) return '–';
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] ?? 0).toString();
}

function positive(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`--${name} must be a positive whole number`);
  return number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
