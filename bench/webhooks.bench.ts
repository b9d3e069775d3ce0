import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { webhookSecretSchema } from '@catalog/domain';
import { z } from 'zod';
import { type Api, apiAs } from '../tests/support/api';
import { apiKeyInDatabase } from '../tests/support/api-keys';
import { isolatedDatabase } from '../tests/support/database';
import { type DeliveryStats, deliveryStats, settle } from './lib/delivery-stats';
import { startProcess, waitForHttp } from './lib/processes';
import { steadyProductWrites, type WriteRun } from './lib/product-writes';
import { type Answer, startWebhookReceiver } from './lib/webhook-receiver';

/**
 * npm run bench:webhooks [-- --rate 500 --seconds 60 --phases sustained,isolation,kill --slow 5000 --settle 60]
 * Issue 10's webhook benchmark. Product creations and updates go through the real API process (with
 * an admin API key, as an integrator's) at a steady rate; the real worker process delivers them to 3
 * endpoints served by real loopback HTTP receivers in this process, which check every signature with
 * the Standard Webhooks library. `--rate` is in deliveries offered per second (writes/s × endpoints).
 *  sustained  the load for `--seconds`: offered and delivered rate, latency, missing, duplicates.
 *  isolation  the same with a 4th endpoint answering after `--slow` ms (or `never`: the sender's
 *             timeout); the 3 fast endpoints' p95 is printed beside the sustained phase's.
 *  kill       the worker process is killed with SIGKILL half-way and started again; every message
 *             must still arrive (repeats only under the same webhook-id).
 * Latency runs from the write request being sent (so it includes the API's own time before its
 * commit) to the first receipt. Works against the per-delivery backend too, which has no lane fields.
 */
const PHASES = ['sustained', 'isolation', 'kill'] as const;
type Phase = (typeof PHASES)[number];
const ALIASES: Record<string, Phase> = { a: 'sustained', b: 'isolation', c: 'kill' };
const BAR = { perSecond: 500, p95Ms: 250 };
const GOAL = { perSecond: 1000, p95Ms: 150 };
const EVENTS = ['product.created', 'product.updated'];

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '60' },
    phases: { type: 'string', default: PHASES.join(',') },
    endpoints: { type: 'string', default: '3' },
    slow: { type: 'string', default: '5000' },
    settle: { type: 'string', default: '60' },
  },
});
const rate = positive('rate', values.rate);
const seconds = positive('seconds', values.seconds);
const endpointCount = positive('endpoints', values.endpoints);
const settleMs = positive('settle', values.settle) * 1000;
const slowAnswer: Answer = values.slow === 'never' ? 'never' : { delayMs: positive('slow', values.slow) };
const phases = parsePhases(values.phases);
const writesPerSecond = rate / endpointCount;

const work = await mkdtemp(path.join(tmpdir(), 'catalog-bench-webhooks-'));
const database = await isolatedDatabase();
const port = await freePort();
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
let worker = startProcess('worker', env);
let restarted: Promise<void> = Promise.resolve();
const receiver = await startWebhookReceiver();
const fast = Array.from({ length: endpointCount }, (_, i) => i);
const endpointResponse = z.object({ id: z.string(), state: z.string().optional() });
let admin: Api;

try {
  await waitForHttp(`http://127.0.0.1:${port}/health/live`);
  admin = apiAs(`http://127.0.0.1:${port}`, await apiKeyInDatabase(database.url, 'admin'));
  let lanes = false;
  for (const endpoint of fast) lanes = (await addEndpoint(endpoint, { delayMs: 0 })).lanes;
  console.log(
    `webhooks benchmark: ${endpointCount} endpoints on loopback, every signature verified; backend: ` +
      (lanes ? 'per-endpoint lanes' : 'one workflow per delivery (no lane fields)'),
  );
  console.log(
    `offered ${rate} deliveries/s (${writesPerSecond.toFixed(1)} product writes/s through the API, half creations, ` +
      `half updates) for ${seconds} s per phase; latency = write request sent → first receipt`,
  );
  await warmUp();

  const results: { phase: Phase; stats: DeliveryStats; settled: boolean }[] = [];
  const run = async (phase: Phase, options: Parameters<typeof measure>[1] = {}) => {
    const result = await measure(phase, options);
    results.push({ phase, ...result });
    printRow(phase, result.stats, result.settled);
    return result;
  };
  printHeader();
  for (const phase of phases) {
    if (phase === 'sustained') await run(phase);
    if (phase === 'isolation') {
      const slow = endpointCount;
      const { id } = await addEndpoint(slow, slowAnswer);
      await run(phase);
      // Its backlog would otherwise keep loading the worker during the next phase.
      await call('DELETE', `/api/webhooks/${id}`);
    }
    if (phase === 'kill') {
      const events: string[] = [];
      await run(phase, {
        atSecond: {
          second: seconds / 2,
          run: () => {
            worker.kill('SIGKILL');
            events.push(`worker killed (SIGKILL) at ${(seconds / 2).toFixed(0)} s`);
            // Started again a second later, while the writes go on; awaited before the processes are stopped.
            restarted = new Promise((resolve) =>
              setTimeout(() => {
                worker = startProcess('worker', env);
                events.push('a new worker started 1 s later');
                resolve();
              }, 1_000),
            );
          },
        },
        settleMs: settleMs * 2,
      });
      console.log(`  kill: ${events.join('; ')}`);
    }
  }
  printVerdicts(results);
  const broken = results.some(({ phase, stats }) => stats.newIdRepeats > 0 || (phase === 'kill' && stats.missing > 0));
  if (broken || receiver.badSignatures() > 0) process.exitCode = 1;
} finally {
  await restarted;
  // Both processes hold the database open; it can be dropped once they are gone.
  await Promise.all([stop(api), stop(worker)]);
  await receiver.close();
  await database.drop();
  await rm(work, { recursive: true, force: true });
}

/** One phase: the steady writes, then up to the settle time for every message to arrive. */
async function measure(
  phase: Phase,
  options: { atSecond?: { second: number; run: () => void }; settleMs?: number } = {},
): Promise<{ stats: DeliveryStats; settled: boolean; run: WriteRun }> {
  const run = await steadyProductWrites({
    api: admin,
    perSecond: writesPerSecond,
    seconds,
    skuPrefix: `bench-${phase}-${randomUUID().slice(0, 8)}`,
    ...(options.atSecond ? { atSecond: options.atSecond } : {}),
  });
  const settled = await settle(run, receiver, fast, options.settleMs ?? settleMs);
  return { stats: deliveryStats(run, receiver, fast), settled, run };
}

/** One write first, until it reaches every endpoint: the worker is polling and the lanes exist. */
async function warmUp(): Promise<void> {
  const run = await steadyProductWrites({
    api: admin,
    perSecond: 1,
    seconds: 1,
    skuPrefix: `bench-warm-${randomUUID()}`,
  });
  if (!(await settle(run, receiver, fast, 120_000))) throw new Error('the warm-up write was not delivered in 120 s');
}

async function addEndpoint(index: number, answer: Answer): Promise<{ id: string; lanes: boolean }> {
  const created = endpointResponse.parse(
    await call('POST', '/api/webhooks', {
      name: `bench ${index}`,
      url: receiver.urlFor(index),
      events: EVENTS,
    }),
  );
  const { secret } = webhookSecretSchema.parse(await call('GET', `/api/webhooks/${created.id}/secret`));
  receiver.addEndpoint(index, secret, answer);
  return { id: created.id, lanes: created.state !== undefined };
}

function printHeader(): void {
  console.log(
    'phase      | offered/s | delivered/s | p50 ms | p95 ms | p99 ms | received / expected | missing | duplicates | new-id repeats',
  );
}

function printRow(phase: Phase, stats: DeliveryStats, settled: boolean): void {
  const latency = stats.latencyMs;
  const cells = [
    phase.padEnd(10),
    stats.offeredPerSecond.toFixed(0).padStart(9),
    stats.deliveredPerSecond.toFixed(0).padStart(11),
    String(latency?.p50 ?? '–').padStart(6),
    String(latency?.p95 ?? '–').padStart(6),
    String(latency?.p99 ?? '–').padStart(6),
    `${stats.received} / ${stats.expected}`.padStart(19),
    String(stats.missing).padStart(7),
    String(stats.duplicates).padStart(10),
    String(stats.newIdRepeats).padStart(14),
  ];
  console.log(cells.join(' | '));
  if (stats.answerMs) {
    console.log(
      `  ${phase}: the API answered its writes in p50 ${stats.answerMs.p50} / p95 ${stats.answerMs.p95} / ` +
        `p99 ${stats.answerMs.p99} ms; p95 of the writes sent in each 10 s: ` +
        `${stats.p95By10s.map((p95) => p95 ?? '–').join(', ')} ms`,
    );
  }
  const notes = [
    settled ? '' : `not all delivered within the settle time (${stats.missing} missing)`,
    stats.failedWrites > 0 ? `${stats.failedWrites} writes failed` : '',
    stats.skippedWrites > 0 ? `${stats.skippedWrites} writes not offered (256 requests open)` : '',
  ].filter(Boolean);
  if (notes.length > 0) console.log(`  ${phase}: ${notes.join('; ')}`);
}

function printVerdicts(results: { phase: Phase; stats: DeliveryStats }[]): void {
  console.log(`bad signatures: ${receiver.badSignatures()}`);
  const sustained = results.find((result) => result.phase === 'sustained')?.stats;
  if (sustained) {
    const meets = (target: { perSecond: number; p95Ms: number }) =>
      sustained.missing === 0 &&
      sustained.deliveredPerSecond >= target.perSecond &&
      (sustained.latencyMs?.p95 ?? Number.POSITIVE_INFINITY) <= target.p95Ms
        ? 'pass'
        : 'miss';
    console.log(`bar  (≥ ${BAR.perSecond}/s, p95 ≤ ${BAR.p95Ms} ms, 0 missing): ${meets(BAR)}`);
    console.log(`goal (≥ ${GOAL.perSecond}/s, p95 ≤ ${GOAL.p95Ms} ms, 0 missing): ${meets(GOAL)}`);
  }
  const isolation = results.find((result) => result.phase === 'isolation')?.stats;
  if (isolation) {
    const slow = slowAnswer === 'never' ? 'never answering' : `answering after ${slowAnswer.delayMs} ms`;
    console.log(
      `isolation: the ${endpointCount} fast endpoints' p95 ${isolation.latencyMs?.p95 ?? '–'} ms with a 4th ${slow}` +
        (sustained ? ` (sustained, without it: ${sustained.latencyMs?.p95 ?? '–'} ms)` : ''),
    );
  }
  const kill = results.find((result) => result.phase === 'kill')?.stats;
  if (kill) {
    console.log(
      `kill -9: ${kill.missing} missing ${(settleMs * 2) / 1000} s after the last write (must be 0), ` +
        `${kill.duplicates} repeats under the same webhook-id, ` +
        `${kill.newIdRepeats} under a new one (must be 0)`,
    );
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
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
  return response.status === 204 ? null : response.json();
}

function parsePhases(list: string | undefined): Phase[] {
  const names = (list ?? '').split(',').map((name) => name.trim().toLowerCase());
  return names.map((name) => {
    const phase = ALIASES[name] ?? PHASES.find((known) => known === name);
    if (!phase) throw new Error(`--phases: unknown phase ${name} (use ${PHASES.join(', ')}, or a, b, c)`);
    return phase;
  });
}

function positive(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a positive number`);
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
