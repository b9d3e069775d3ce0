import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
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
import { pollUntil, spawnWorker } from '../../../../tests/support/imports';
import { type Stack, startStack } from '../../../../tests/support/stack';

/** The worker runs in a process of its own here, so it can really be killed with SIGKILL. */
let stack: Stack;
let api: Api;
const children: ChildProcess[] = [];

before(async () => {
  stack = await startStack({ isolated: true, worker: false });
  api = await stack.as('admin');
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await stack?.stop();
});

function startWorkerProcess(): ChildProcess {
  const child = spawnWorker(stack.config);
  children.push(child);
  return child;
}

test('a worker killed mid-delete, once another starts, finishes deleting every product exactly once', async () => {
  const rows = 60_000;
  await seedProducts(stack.deps.db, 'kill', rows);
  // The killed worker's batch is stuck behind this lock, uncommitted, when the worker dies.
  const held = await holdProduct(stack.deps.db, 40_000);
  const doomed = startWorkerProcess();
  const jobId = await startDeleteAll(api);
  await pollUntil(
    'the first batch',
    () => deletedSoFar(stack.deps.db, jobId),
    (n) => n >= 10_000,
    120_000,
  );

  doomed.kill('SIGKILL');
  await once(doomed, 'exit');
  startWorkerProcess();
  await held.release();

  // Watched in the database, not through the progress query: a query routed to the dead worker
  // would wait on Temporal long after this test.
  await pollUntil(
    'the job to finish',
    async () =>
      (await stack.deps.db.pool.query<{ status: string }>(`select status from jobs where id = $1`, [jobId])).rows[0]
        ?.status,
    (status) => status === 'completed' || status === 'failed' || status === 'cancelled',
    120_000,
  );
  const final = (await jobEvents(api, jobId)).at(-1);
  assert.equal(final?.event, 'completed');
  const result = bulkDeleteResult.parse(final?.data.result);
  assert.equal(result.deleted, rows, 'every batch counted once, none twice');
  assert.equal(result.total, rows);
  assert.equal(await countProducts(stack.deps.db), 0);
  assert.equal(await deletedSoFar(stack.deps.db, jobId), rows);
});
