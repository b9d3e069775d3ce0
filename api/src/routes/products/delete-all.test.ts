import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bulkDeleteProgressSchema, jobWorkflowId } from '@catalog/domain';
import { z } from 'zod';
import type { Api } from '../../../../tests/support/api';
import {
  bulkDeleteResult,
  countProducts,
  deletedSoFar,
  holdProduct,
  jobEvents,
  seedProducts,
  startDeleteAll,
} from '../../../../tests/support/delete-all';
import { generatedCsv, getImport, pollUntil, startImport } from '../../../../tests/support/imports';
import { errorOf, productsApi } from '../../../../tests/support/products';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * DELETE /api/products through the real API, worker, Temporal and PostgreSQL, on a database of
 * its own. Batches are 25,000 rows; a row lock held by the test makes "mid-way" deterministic.
 */
let stack: Stack;
let api: Api;

before(async () => {
  stack = await startStack({ isolated: true, env: { SSE_POLL_MS: '100' } });
  // Delete-all and its cancel are the admins'.
  api = await stack.as('admin');
});
after(async () => {
  await stack?.stop();
});

test('delete-all needs the typed confirmation, and the admin role', async () => {
  const products = productsApi(api);
  for (const body of [{}, { confirm: 'delete all' }, { confirm: 'DELETE' }, 'DELETE ALL']) {
    const response = await products.deleteAll(body);
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match((await errorOf(response)).message, /DELETE ALL/);
  }
  const byEditor = await productsApi(await stack.as('editor')).deleteAll({ confirm: 'DELETE ALL' });
  assert.equal(byEditor.status, 403);
  assert.match((await errorOf(byEditor)).message, /needs the admin role/);
});

test('delete-all deletes every product, streams progress, records the job and one products.bulk_deleted event; an import waits for it', async () => {
  await seedProducts(stack.deps.db, 'all', 60_000);
  const held = await holdProduct(stack.deps.db, 40_000);
  const jobId = await startDeleteAll(api);
  const events = jobEvents(api, jobId);
  await pollUntil(
    'the first batch',
    () => deletedSoFar(stack.deps.db, jobId),
    (n) => n >= 10_000,
  );

  // Accepted while the delete runs: it must wait its turn, then land on the emptied catalog.
  const importId = await startImport(api, generatedCsv('after-delete', 5, 'late'));
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.equal((await getImport(api, importId)).status, 'queued');
  await held.release();

  const seen = await events;
  const final = seen.at(-1);
  assert.equal(final?.event, 'completed');
  assert.deepEqual(bulkDeleteResult.parse(final?.data.result), {
    deleted: 60_000,
    total: 60_000,
    durationMs: bulkDeleteResult.parse(final?.data.result).durationMs,
  });
  const progress = seen
    .filter((e) => e.event === 'progress')
    .map((e) => bulkDeleteProgressSchema.parse(e.data.progress));
  assert.ok(
    progress.some((p) => p.stage === 'deleting' && p.total === 60_000),
    'progress showed the delete under way, out of the total',
  );

  const job = await stack.deps.db.pool.query<{ status: string; finished_at: Date | null }>(
    `select status, finished_at from jobs where id = $1`,
    [jobId],
  );
  assert.equal(job.rows[0]?.status, 'completed');
  assert.ok(job.rows[0]?.finished_at);
  const outbox = await stack.deps.db.pool.query<{ data: unknown }>(
    `select data from outbox_events where type = 'products.bulk_deleted' and data->>'jobId' = $1`,
    [jobId],
  );
  assert.equal(outbox.rows.length, 1);
  assert.equal(z.object({ deleted: z.number() }).parse(outbox.rows[0]?.data).deleted, 60_000);

  const imported = await pollUntil(
    'the import',
    () => getImport(api, importId),
    (i) => i.status !== 'queued' && i.status !== 'running',
  );
  assert.equal(imported.status, 'completed');
  assert.equal(await countProducts(stack.deps.db), 5, 'only the rows imported after the delete remain');
  await stack.deps.db.pool.query(`delete from products`);
});

test('cancelling delete-all keeps what was deleted and leaves the rest intact', async () => {
  await seedProducts(stack.deps.db, 'cancel', 60_000);
  const held = await holdProduct(stack.deps.db, 40_000);
  const jobId = await startDeleteAll(api);
  const events = jobEvents(api, jobId);
  await pollUntil(
    'the first batch',
    () => deletedSoFar(stack.deps.db, jobId),
    (n) => n >= 10_000,
  );

  const byEditor = await (await stack.as('editor')).fetch(`/api/jobs/${jobId}/cancel`, { method: 'POST' });
  assert.equal(byEditor.status, 403, 'an editor cannot cancel a delete-all');
  const cancel = await api.fetch(`/api/jobs/${jobId}/cancel`, { method: 'POST' });
  assert.equal(cancel.status, 202);
  // Let the workflow pass the cancellation on to the running slice before its batch can finish.
  const handle = stack.deps.temporal.client.workflow.getHandle(jobWorkflowId('bulk_delete', jobId));
  await pollUntil(
    'the cancel request to reach the slice',
    async () => (await handle.fetchHistory()).events ?? [],
    (history) => history.some((event) => event.activityTaskCancelRequestedEventAttributes),
  );
  // Past its half-second slice, the activity stops after the batch it is in, whenever it hears of the cancel.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await held.release();

  const final = (await events).at(-1);
  assert.equal(final?.event, 'cancelled');
  const result = bulkDeleteResult.parse(final?.data.result);
  const remaining = await countProducts(stack.deps.db);
  assert.ok(result.deleted > 0 && result.deleted < 60_000, `deleted ${result.deleted}`);
  assert.equal(remaining, 60_000 - result.deleted, 'exactly the reported products were deleted');
  const rest = await stack.deps.db.pool.query<{ n: number }>(
    `select count(*)::int as n from products where sku like 'cancel-%' and name like 'Seeded %'`,
  );
  assert.equal(rest.rows[0]?.n, remaining, 'the products not deleted are untouched');
  const job = await stack.deps.db.pool.query<{ status: string }>(`select status from jobs where id = $1`, [jobId]);
  assert.equal(job.rows[0]?.status, 'cancelled');
  await stack.deps.db.pool.query(`delete from products`);
});
