import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ImportActivities, ProductActivities } from '@catalog/activities';
import { failureTypes, workflowTypes } from '@catalog/domain/workflows';
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defineQuery } from '@temporalio/workflow';
import { createWorkflowEnv, Gate, uniqueTaskQueue, waitFor, withWorker } from '../../tests/support/workflow-env';
import type { BulkDeleteWorkflow } from './bulk-delete.workflow';
import { type BulkDeleteInput, type BulkDeleteSnapshot, progressQuery } from './definitions';

/**
 * BulkDeleteWorkflow against a real Temporal server with fake activities: its turn in the queue,
 * slice after slice to completion, cancel (keeping what was deleted) and failure.
 */
type Activities = Pick<ImportActivities, 'jobQueuePosition' | 'markJobRunning'> &
  Pick<ProductActivities, 'planBulkDelete' | 'deleteProductSlice' | 'finishBulkDelete'>;
type FinishInput = Parameters<Activities['finishBulkDelete']>[0];
type SliceResult = Awaited<ReturnType<Activities['deleteProductSlice']>>;

/** The query typed with delete-all's snapshot (the shared definition is generic over job kinds). */
const bulkDeleteProgress = defineQuery<BulkDeleteSnapshot>(progressQuery.name);

/** Delete-all's activities as one scripted fake, recording what ran. */
class FakeBulkDelete {
  ahead = 0;
  total = 10;
  readonly log: string[] = [];
  readonly slices: BulkDeleteInput[] = [];
  readonly finished: Omit<FinishInput, 'durationMs'>[] = [];
  markRunningFailure: Error | null = null;
  /** What each slice call answers, in order; a Gate makes that call wait (and end its batch on cancel). */
  readonly script: (SliceResult | Gate | Error)[] = [];
  /** Products deleted so far, as the job's committed cursor would say. */
  deleted = 0;

  activities(): Activities {
    return {
      jobQueuePosition: async () => this.ahead,
      markJobRunning: async () => {
        this.log.push('markRunning');
        if (this.markRunningFailure) throw this.markRunningFailure;
      },
      planBulkDelete: async () => {
        this.log.push('plan');
        return { total: this.total, deleted: this.deleted };
      },
      deleteProductSlice: async (input) => {
        this.log.push('slice');
        this.slices.push(input);
        const step = this.script.shift();
        if (step instanceof Error) throw step;
        if (step instanceof Gate) {
          // As the real slice does: a cancel ends it after its current batch, which stays deleted.
          await step.wait().catch(() => this.log.push('slice:cancelled'));
          this.deleted += 1;
          return { deleted: this.deleted, done: false };
        }
        const result = step ?? { deleted: this.total, done: true };
        this.deleted = result.deleted;
        return result;
      },
      finishBulkDelete: async ({ durationMs, ...input }) => {
        this.log.push(`finish:${input.status}`);
        this.finished.push(input);
        return { deleted: this.deleted, total: this.total, durationMs };
      },
    };
  }
}

let env: TestWorkflowEnvironment;
before(async () => {
  env = await createWorkflowEnv();
});
after(async () => {
  await env?.teardown();
});

async function runBulkDelete(
  name: string,
  fake: FakeBulkDelete,
  body: (handle: WorkflowHandle<typeof BulkDeleteWorkflow>, input: BulkDeleteInput) => Promise<void>,
): Promise<void> {
  const taskQueue = uniqueTaskQueue(name);
  await withWorker(env, taskQueue, fake.activities(), async () => {
    const input: BulkDeleteInput = { jobId: randomUUID(), batchRows: 3, sliceMs: 500 };
    const handle = await env.client.workflow.start<typeof BulkDeleteWorkflow>(workflowTypes.bulkDelete, {
      taskQueue,
      workflowId: `delete-all-${input.jobId}`,
      args: [input],
    });
    await body(handle, input);
  });
}

const snapshotOf = (handle: WorkflowHandle) => handle.query(bulkDeleteProgress);

async function assertCancelled(handle: WorkflowHandle): Promise<void> {
  await assert.rejects(
    handle.result(),
    (error) => error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure,
  );
}

async function assertFailedBy(handle: WorkflowHandle, message: string): Promise<void> {
  await assert.rejects(handle.result(), (error) => {
    assert.ok(error instanceof WorkflowFailedError);
    assert.ok(error.cause instanceof ActivityFailure);
    assert.equal(error.cause.cause?.message, message);
    return true;
  });
}

test('queued behind other jobs, it waits, then deletes slice by slice until done', async () => {
  const fake = new FakeBulkDelete();
  fake.ahead = 1;
  fake.script.push({ deleted: 4, done: false }, { deleted: 8, done: false }, { deleted: 10, done: true });
  await runBulkDelete('turn', fake, async (handle, input) => {
    const queued = await waitFor(
      'the queue position',
      () => snapshotOf(handle),
      (s) => s.progress.queuePosition === 1,
    );
    assert.equal(queued.status, 'queued');
    assert.deepEqual(fake.log, [], 'nothing may run before its turn');

    fake.ahead = 0;
    const result = await handle.result();
    assert.deepEqual({ ...result, durationMs: 0 }, { deleted: 10, total: 10, durationMs: 0 });
    assert.deepEqual(fake.log, ['markRunning', 'plan', 'slice', 'slice', 'slice', 'finish:completed']);
    assert.deepEqual(fake.slices, [input, input, input]);
    assert.deepEqual(fake.finished, [{ jobId: input.jobId, status: 'completed', error: null }]);

    const done = await snapshotOf(handle);
    assert.equal(done.status, 'completed');
    assert.deepEqual(
      { ...done.progress, updatedAt: '' },
      { stage: 'done', queuePosition: null, deleted: 10, total: 10, rowsPerSecond: 0, updatedAt: '' },
    );
    assert.deepEqual(done.result, result);
  });
});

test('an empty catalog: nothing to delete, completed at once', async () => {
  const fake = new FakeBulkDelete();
  fake.total = 0;
  await runBulkDelete('empty', fake, async (handle) => {
    const result = await handle.result();
    assert.equal(result.deleted, 0);
    assert.deepEqual(fake.log, ['markRunning', 'plan', 'finish:completed']);
  });
});

test('cancelled while queued: deletes nothing, and is recorded as cancelled', async () => {
  const fake = new FakeBulkDelete();
  fake.ahead = 1;
  await runBulkDelete('cancel-queued', fake, async (handle) => {
    await waitFor(
      'the queue position',
      () => snapshotOf(handle),
      (s) => s.progress.queuePosition === 1,
    );
    await handle.cancel();
    await assertCancelled(handle);
    assert.deepEqual(fake.log, ['finish:cancelled']);
    assert.equal((await snapshotOf(handle)).status, 'cancelled');
  });
});

test('cancelled mid-way: the slice in flight ends its batch, no further slice runs, the rest is kept', async () => {
  const fake = new FakeBulkDelete();
  const inFlight = new Gate();
  fake.script.push({ deleted: 4, done: false }, inFlight);
  await runBulkDelete('cancel-deleting', fake, async (handle, input) => {
    await waitFor(
      'the second slice',
      () => inFlight.entered,
      (n) => n === 1,
    );
    const deleting = await snapshotOf(handle);
    assert.equal(deleting.status, 'running');
    assert.equal(deleting.progress.stage, 'deleting');
    assert.equal(deleting.progress.deleted, 4);

    await handle.cancel();
    await assertCancelled(handle);
    assert.deepEqual(fake.log, ['markRunning', 'plan', 'slice', 'slice', 'slice:cancelled', 'finish:cancelled']);
    assert.deepEqual(fake.finished, [
      {
        jobId: input.jobId,
        status: 'cancelled',
        error: { code: 'cancelled', message: 'Delete-all was cancelled; the products not yet deleted are kept' },
      },
    ]);
    const snapshot = await snapshotOf(handle);
    assert.equal(snapshot.status, 'cancelled');
    assert.deepEqual(snapshot.result && { ...snapshot.result, durationMs: 0 }, {
      deleted: 5,
      total: 10,
      durationMs: 0,
    });
    assert.equal(snapshot.progress.deleted, 5);
  });
});

test('a slice that fails for good: no further slice runs, and the failure is recorded', async () => {
  const fake = new FakeBulkDelete();
  fake.script.push({ deleted: 4, done: false }, ApplicationFailure.nonRetryable('disk full', 'Boom'));
  await runBulkDelete('fail', fake, async (handle, input) => {
    await assertFailedBy(handle, 'disk full');
    assert.deepEqual(fake.log, ['markRunning', 'plan', 'slice', 'slice', 'finish:failed']);
    assert.deepEqual(fake.finished, [
      { jobId: input.jobId, status: 'failed', error: { code: 'bulk_delete_failed', message: 'disk full' } },
    ]);
    const snapshot = await snapshotOf(handle);
    assert.equal(snapshot.status, 'failed');
    assert.equal(snapshot.progress.deleted, 4);
  });
});

test('a job that is no longer queued when its turn comes deletes nothing', async () => {
  const fake = new FakeBulkDelete();
  fake.markRunningFailure = ApplicationFailure.nonRetryable('Job is failed, not running', failureTypes.jobNotRunning);
  await runBulkDelete('not-running', fake, async (handle) => {
    await assertFailedBy(handle, 'Job is failed, not running');
    assert.equal(fake.log.includes('plan') || fake.log.includes('slice'), false);
  });
});
