import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { failureTypes, jobWorkflowId, systemAttribution, workflowTypes } from '@catalog/domain';
import type { BulkDeleteInput } from '@catalog/workflows';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { deletedSoFar, holdProduct, seedProducts } from '../../../../tests/support/delete-all';
import { pollUntil } from '../../../../tests/support/imports';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * Delete-all deletes only while its job's row says it is running: a job marked failed before its
 * workflow took it (a start whose answer was lost), or settled while it deletes, keeps the rest of
 * the catalog. Real worker, Temporal and PostgreSQL, on a database of its own.
 */
let stack: Stack;

before(async () => {
  stack = await startStack({ isolated: true });
});
after(async () => {
  await stack?.stop();
});

/** Starts the workflow as the API does, with its own input: one batch per slice here. */
async function startWorkflow(jobId: string, sliceMs: number) {
  const input: BulkDeleteInput = { jobId, batchRows: 25_000, sliceMs };
  return stack.deps.temporal.client.workflow.start(workflowTypes.bulkDelete, {
    workflowId: jobWorkflowId('bulk_delete', jobId),
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    args: [input],
  });
}

/** True for a workflow that failed because an activity refused to act for a job not running. */
function refusedAsNotRunning(error: unknown): boolean {
  const activity = error instanceof WorkflowFailedError ? error.cause : undefined;
  const cause = activity instanceof ActivityFailure ? activity.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === failureTypes.jobNotRunning;
}

async function countWithPrefix(prefix: string): Promise<number> {
  const { rows } = await stack.deps.db.pool.query<{ n: number }>(
    `select count(*)::int as n from products where sku like $1 || '-%'`,
    [prefix],
  );
  return rows[0]?.n ?? 0;
}

async function jobRow(jobId: string) {
  const { rows } = await stack.deps.db.pool.query<{ status: string; error: { code: string } | null }>(
    `select status, error from jobs where id = $1`,
    [jobId],
  );
  return rows[0];
}

test('a delete-all whose job was marked failed before its workflow took it deletes nothing and announces nothing', async () => {
  await seedProducts(stack.deps.db, 'unstarted', 1_000);
  const jobId = randomUUID();
  await stack.deps.jobs.create({ id: jobId, kind: 'bulk_delete', by: systemAttribution('test') });
  // What the API does when it cannot confirm the start: the workflow runs anyway.
  await stack.deps.jobs.failUnstarted(jobId, 'Temporal was unavailable');

  const handle = await startWorkflow(jobId, 500);
  await assert.rejects(handle.result(), refusedAsNotRunning);

  assert.equal(await countWithPrefix('unstarted'), 1_000, 'no product was deleted');
  const job = await jobRow(jobId);
  assert.equal(job?.status, 'failed');
  assert.equal(job?.error?.code, 'not_started', 'the job kept the failure it was marked with');
  const outbox = await stack.deps.db.pool.query(
    `select 1 from outbox_events where type = 'products.bulk_deleted' and data->>'jobId' = $1`,
    [jobId],
  );
  assert.equal(outbox.rows.length, 0);
  await stack.deps.db.pool.query(`delete from products`);
});

test('a delete batch that starts after the job was cancelled in the database deletes nothing more', async () => {
  await seedProducts(stack.deps.db, 'stopped', 60_000);
  // The second batch (products 25,001-50,000) waits on this lock, once it has checked the job's status.
  const held = await holdProduct(stack.deps.db, 40_000);
  const jobId = randomUUID();
  await stack.deps.jobs.create({ id: jobId, kind: 'bulk_delete', by: systemAttribution('test') });
  const handle = await startWorkflow(jobId, 0);
  await pollUntil(
    'the second batch to wait on the held product',
    () => waitingForLock('delete from products'),
    Boolean,
  );
  assert.equal(await deletedSoFar(stack.deps.db, jobId), 25_000);

  // An operator (or the orphan reaper) settles the job while the second batch is under way.
  const error = { code: 'cancelled', message: 'Cancelled by an operator' };
  let marked = false;
  const marking = stack.deps.db.pool
    .query(`update jobs set status = 'cancelled', error = $2, finished_at = now() where id = $1`, [
      jobId,
      JSON.stringify(error),
    ])
    .then(() => {
      marked = true;
    });
  // The batch under way holds the job's row: the change waits for it, and every later batch sees it.
  await pollUntil(
    'the status change to be applied or to wait for the batch under way',
    async () => marked || (await waitingForLock('update jobs set status')),
    Boolean,
  );
  await held.release();
  await marking;

  await assert.rejects(handle.result(), refusedAsNotRunning);
  assert.equal(await deletedSoFar(stack.deps.db, jobId), 50_000, 'the batch under way finished, no later one ran');
  assert.equal(await countWithPrefix('stopped'), 10_000);
  const job = await jobRow(jobId);
  assert.equal(job?.status, 'cancelled', 'the job kept the status it was given');
  assert.equal(job?.error?.code, 'cancelled');
  await stack.deps.db.pool.query(`delete from products`);
});

/** Whether a statement starting with `sql` waits for a lock in the stack's database. */
async function waitingForLock(sql: string): Promise<boolean> {
  const { rows } = await stack.deps.db.pool.query<{ waiting: boolean }>(
    `select exists(select 1 from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and query like $1 || '%') as waiting`,
    [sql],
  );
  return rows[0]?.waiting ?? false;
}
