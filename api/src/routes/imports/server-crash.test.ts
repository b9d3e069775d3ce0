import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportSummary } from '@catalog/domain';
import { z } from 'zod';
import {
  finalEvent,
  generatedCsv,
  getImport,
  pollUntil,
  spawnWorker,
  startImport,
} from '../../../../tests/support/imports';
import { postgresServer } from '../../../../tests/support/postgres-server';
import { type Stack, startStack } from '../../../../tests/support/stack';
import { temporalDevServer } from '../../../../tests/support/temporal-server';
import { createWebhook, type ReceivedRequest, startReceiver } from '../../../../tests/support/webhooks';

/**
 * The servers themselves die mid-apply, not only the worker: each test runs a Temporal dev server or
 * a PostgreSQL of its own, SIGKILLs it while chunks are being applied, starts it again on the same
 * state, and expects the very same worker process to finish the import with the exact catalog.
 */
const ROWS = 40_000;
const SEEDED = 1_000;
const settings = { IMPORT_CHUNK_ROWS: '500', IMPORT_PARALLELISM: '2', UPLOAD_MAX_BYTES: '20000000' };
/** How long a server stays dead: long enough for every connection to it to fail. */
const DOWNTIME_MS = 3_000;

type Cleanup = () => Promise<unknown>;

/** Cleanups run after the test, last registered first, each even when an earlier one failed. */
function cleanupsFor(t: TestContext): (cleanup: Cleanup) => void {
  const list: Cleanup[] = [];
  t.after(async () => {
    const failures: unknown[] = [];
    for (const cleanup of list.reverse()) await cleanup().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, 'cleanup failed');
  });
  return (cleanup) => list.push(cleanup);
}

function startWorkerProcess(stack: Stack, defer: (cleanup: Cleanup) => void): { exited: Promise<never> } {
  // The outage's expected warnings (failed attempts, reconnects) would bury the test output.
  const child = spawnWorker(stack.config, { LOG_LEVEL: 'error' });
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`the worker process exited (${code ?? signal}) instead of riding out the outage`);
  });
  // Only raced against while the import finishes; afterwards its end is expected.
  exited.catch(() => undefined);
  defer(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = once(child, 'exit');
    child.kill('SIGKILL');
    await gone;
  });
  return { exited };
}

/** Seeds SKUs 0…SEEDED-1 (so the import both updates and inserts), then starts the import under test. */
async function seedAndStartImport(stack: Stack, prefix: string): Promise<string> {
  const api = await stack.as('editor');
  const seeded = await finalEvent(api, await startImport(api, generatedCsv(prefix, SEEDED, 'old')));
  assert.equal(seeded.event, 'completed', JSON.stringify(seeded.data.error));
  return startImport(api, generatedCsv(prefix, ROWS, 'new'));
}

async function waitUntilApplying(stack: Stack, jobId: string): Promise<ImportSummary> {
  const api = await stack.as('viewer');
  const midway = await pollUntil(
    'the import to start applying',
    () => getImport(api, jobId),
    (s) => (s.progress?.rowsApplied ?? 0) > 0,
    120_000,
  );
  assert.ok((midway.progress?.rowsApplied ?? ROWS) < ROWS, 'the server is killed before the last chunk');
  return midway;
}

/** The job's final state; fails at once if the worker process died meanwhile. */
async function finished(stack: Stack, jobId: string, worker: { exited: Promise<never> }): Promise<ImportSummary> {
  const api = await stack.as('viewer');
  return Promise.race([
    pollUntil(
      'the import to finish',
      () => getImport(api, jobId),
      (s) => s.status !== 'queued' && s.status !== 'running',
      180_000,
      250,
    ),
    worker.exited,
  ]);
}

async function assertExactCatalog(stack: Stack, prefix: string, final: ImportSummary): Promise<void> {
  assert.equal(final.status, 'completed', JSON.stringify(final.error));
  assert.equal(final.result?.inserted, ROWS - SEEDED);
  assert.equal(final.result?.updated, SEEDED);
  assert.equal(final.result?.unchanged, 0);
  const { rows } = await stack.deps.db.pool.query<{ total: number; stale: number; versions: number }>(
    `select count(*)::int as total,
            count(*) filter (where name not like '% new')::int as stale,
            count(*) filter (where version <> case when split_part(sku, '-', 2)::int < $2 then 2 else 1 end)::int as versions
     from products where sku like $1 || '-%'`,
    [prefix, SEEDED],
  );
  assert.deepEqual(rows[0], { total: ROWS, stale: 0, versions: 0 });
}

/** The import's outbox events by type: each must have been written exactly once. */
async function outboxEvents(stack: Stack, jobId: string): Promise<Record<string, number>> {
  const { rows } = await stack.deps.db.pool.query<{ type: string; n: number }>(
    `select type, count(*)::int as n from outbox_events where data->>'importId' = $1 group by type`,
    [jobId],
  );
  return Object.fromEntries(rows.map((row) => [row.type, row.n]));
}

test('the Temporal server killed mid-apply and started again: the same worker finishes the import exactly', async (t) => {
  const defer = cleanupsFor(t);
  const dir = await mkdtemp(path.join(tmpdir(), 'catalog-temporal-crash-'));
  defer(() => rm(dir, { recursive: true, force: true }));
  const temporal = await temporalDevServer(path.join(dir, 'temporal.db'));
  defer(temporal.stop);
  const stack = await startStack({
    isolated: true,
    worker: false,
    env: { ...settings, TEMPORAL_ADDRESS: temporal.address },
  });
  defer(stack.stop);
  const receiver = await startReceiver();
  defer(receiver.close);
  await createWebhook(await stack.as('admin'), { url: receiver.url, events: ['import.started', 'import.completed'] });
  const worker = startWorkerProcess(stack, defer);

  const jobId = await seedAndStartImport(stack, 'tkill');
  await waitUntilApplying(stack, jobId);
  await temporal.kill();
  await sleep(DOWNTIME_MS);
  await temporal.start();

  await assertExactCatalog(stack, 'tkill', await finished(stack, jobId, worker));
  assert.deepEqual(await outboxEvents(stack, jobId), { 'import.started': 1, 'import.completed': 1 });
  // Deliveries are at least once: a retried attempt repeats its webhook-id, never adds an event.
  const delivered = await pollUntil(
    "the import's two events to reach the receiver",
    () => eventIdsFor(receiver.received, jobId),
    (ids) => ids.size === 2,
    120_000,
    250,
  );
  assert.deepEqual([...delivered.values()].sort(), ['import.completed', 'import.started']);
});

test('PostgreSQL killed mid-apply and started again: staging is rebuilt and the import finishes exactly', async (t) => {
  const defer = cleanupsFor(t);
  const postgres = await postgresServer();
  defer(postgres.stop);
  const stack = await startStack({ worker: false, env: { ...settings, DATABASE_URL: postgres.url } });
  defer(stack.stop);
  const worker = startWorkerProcess(stack, defer);

  const jobId = await seedAndStartImport(stack, 'pgkill');
  await waitUntilApplying(stack, jobId);
  await postgres.kill();
  await sleep(DOWNTIME_MS);
  await postgres.start();

  const final = await finished(stack, jobId, worker);
  await assertExactCatalog(stack, 'pgkill', final);
  assert.deepEqual(await outboxEvents(stack, jobId), { 'import.started': 1, 'import.completed': 1 });
  // Crash recovery emptied the UNLOGGED working tables, so the rest of the file was staged again.
  assert.equal(await activityRuns(stack, final, 'stageImport'), 2);
});

/**
 * How many times the import's workflow scheduled `activity` (retries of one scheduling are not
 * counted). The workflow id is read from the import's Temporal UI link, the one the app shows.
 */
async function activityRuns(stack: Stack, summary: ImportSummary, activity: string): Promise<number> {
  const workflowId = decodeURIComponent(new URL(summary.temporalUrl).pathname.split('/').at(-1) ?? '');
  const history = await stack.deps.temporal.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === activity,
  ).length;
}

const webhookMessageSchema = z.object({ type: z.string(), data: z.object({ importId: z.string().optional() }) });

/** webhook-id → event type, for the messages about this import. */
function eventIdsFor(received: ReceivedRequest[], jobId: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const request of received) {
    const message = webhookMessageSchema.parse(JSON.parse(request.body));
    const id = request.headers['webhook-id'];
    if (message.data.importId === jobId && id) ids.set(id, message.type);
  }
  return ids;
}
