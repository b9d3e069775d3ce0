import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { UndoActivities } from '@catalog/activities';
import { failureTypes, jobWorkflowId, workflowTypes } from '@catalog/domain/workflows';
import { ApplicationFailure, type WorkflowHandle } from '@temporalio/client';
import { defineQuery } from '@temporalio/workflow';
import {
  assertCancelled,
  assertFailedBy,
  FakeJobQueue,
  Gate,
  NEVER_MS,
  signalTurn,
  uniqueTaskQueue,
  useWorkflowEnv,
  waitFor,
  waitUntilJob,
  waitUntilQueued,
  withWorker,
} from '../../../tests/support/workflow-env';
import { progressQuery, type UndoImportInput, type UndoSnapshot } from '../definitions';
import type { UndoImportWorkflow } from './undo-import.workflow';

/**
 * UndoImportWorkflow against a real Temporal server with fake activities: its turn in the queue
 * (behind imports and delete-alls), slice after slice to completion, cancel while queued and
 * mid-way (what was undone stays undone and is reported), a retried slice, and failures.
 */
type Activities = ReturnType<FakeJobQueue['activities']> &
  Pick<UndoActivities, 'planUndo' | 'undoSlice' | 'finishUndo'>;
type FinishInput = Parameters<Activities['finishUndo']>[0];
type SliceResult = Awaited<ReturnType<Activities['undoSlice']>>;
type Counts = Omit<SliceResult, 'done'>;

const undoProgress = defineQuery<UndoSnapshot>(progressQuery.name);

/**
 * The undo's activities as one scripted fake over a committed state, as the real ones keep it in
 * `import_undo_runs`: a slice adds to the committed counts, so a retried slice goes on from them.
 */
class FakeUndo {
  total = 10;
  committed: Counts = { processed: 0, restored: 0, removed: 0, conflicts: 0 };
  readonly log: string[] = [];
  readonly queue = new FakeJobQueue(this.log);
  readonly finished: Omit<FinishInput, 'durationMs'>[] = [];
  /** What each slice call does, in order: a batch of counts to commit, a Gate to wait on, an Error to throw. */
  readonly script: (Partial<Counts> | Gate | Error)[] = [];
  planFailure: Error | null = null;

  private commit(batch: Partial<Counts>): SliceResult {
    const next = { ...this.committed };
    for (const key of ['restored', 'removed', 'conflicts'] as const) next[key] += batch[key] ?? 0;
    next.processed = next.restored + next.removed + next.conflicts;
    this.committed = next;
    return { ...next, done: next.processed >= this.total };
  }

  activities(): Activities {
    return {
      ...this.queue.activities(),
      planUndo: async () => {
        this.log.push('plan');
        if (this.planFailure) throw this.planFailure;
        return { total: this.total, ...this.committed };
      },
      undoSlice: async () => {
        this.log.push('slice');
        const step = this.script.shift();
        if (step instanceof Error) {
          // A batch committed before the attempt failed: its retry must not count it again.
          this.commit({ removed: 1 });
          throw step;
        }
        if (step instanceof Gate) {
          await step.wait().catch(() => this.log.push('slice:cancelled'));
          return this.commit({ restored: 1 });
        }
        return this.commit(step ?? { restored: this.total - this.committed.processed });
      },
      finishUndo: async ({ durationMs, ...input }) => {
        this.log.push(`finish:${input.status}`);
        this.finished.push(input);
        return {
          importId: input.importId,
          restored: this.committed.restored,
          removed: this.committed.removed,
          conflictCount: this.committed.conflicts,
          conflicts: [],
          durationMs,
        };
      },
    };
  }
}

const env = useWorkflowEnv();

async function runUndo(
  name: string,
  fake: FakeUndo,
  body: (handle: WorkflowHandle<typeof UndoImportWorkflow>, input: UndoImportInput) => Promise<void>,
  options: Partial<UndoImportInput> = {},
): Promise<void> {
  const input: UndoImportInput = {
    jobId: randomUUID(),
    importId: randomUUID(),
    batchRows: 3,
    sliceMs: 500,
    ...options,
  };
  const taskQueue = uniqueTaskQueue(name);
  await withWorker(env(), taskQueue, fake.activities(), async () => {
    const handle = await env().client.workflow.start<typeof UndoImportWorkflow>(workflowTypes.undoImport, {
      taskQueue,
      workflowId: jobWorkflowId('undo', input.jobId),
      args: [input],
    });
    await body(handle, input);
  });
}

const snapshotOf = (handle: WorkflowHandle) => handle.query(undoProgress);
const CANCELLED = { code: 'cancelled', message: 'The undo was cancelled; what it had undone stays undone' };

test('queued behind other jobs, it waits for its turn, then undoes slice by slice until done', async () => {
  const fake = new FakeUndo();
  fake.queue.ahead = 2;
  fake.script.push({ removed: 3 }, { restored: 2, conflicts: 1 }, { restored: 4 });
  await runUndo(
    'turn',
    fake,
    async (handle, input) => {
      assert.equal(handle.workflowId, `undo-${input.jobId}`);
      const queued = await waitUntilQueued(handle, 2);
      assert.equal(queued.progress.stage, 'queued');
      assert.deepEqual(fake.log, [], 'nothing may run before its turn');

      fake.queue.ahead = 0;
      await signalTurn(handle);
      await waitUntilJob(handle, 'completed');
      const result = await handle.result();
      assert.deepEqual(
        { ...result, durationMs: 0 },
        { importId: input.importId, restored: 6, removed: 3, conflictCount: 1, conflicts: [], durationMs: 0 },
      );
      assert.deepEqual(fake.log, ['markRunning', 'plan', 'slice', 'slice', 'slice', 'finish:completed']);
      assert.deepEqual(fake.finished, [
        { jobId: input.jobId, importId: input.importId, status: 'completed', error: null },
      ]);
      const done = await snapshotOf(handle);
      assert.equal(done.status, 'completed');
      assert.deepEqual(
        { ...done.progress, updatedAt: '' },
        {
          stage: 'done',
          queuePosition: null,
          total: 10,
          processed: 10,
          restored: 6,
          removed: 3,
          conflicts: 1,
          rowsPerSecond: 0,
          updatedAt: '',
        },
      );
    },
    { turnFallbackMs: NEVER_MS },
  );
});

test('an import that changed nothing: no slice runs, completed at once', async () => {
  const fake = new FakeUndo();
  fake.total = 0;
  await runUndo('empty', fake, async (handle) => {
    const result = await handle.result();
    assert.equal(result.restored + result.removed, 0);
    assert.deepEqual(fake.log, ['markRunning', 'plan', 'finish:completed']);
  });
});

test('cancelled while queued: undoes nothing, and is recorded as cancelled', async () => {
  const fake = new FakeUndo();
  fake.queue.ahead = 1;
  await runUndo('cancel-queued', fake, async (handle, input) => {
    await waitUntilQueued(handle, 1);
    await handle.cancel();
    await assertCancelled(handle);
    assert.deepEqual(fake.log, ['finish:cancelled']);
    assert.deepEqual(fake.finished, [
      { jobId: input.jobId, importId: input.importId, status: 'cancelled', error: CANCELLED },
    ]);
    assert.equal((await snapshotOf(handle)).status, 'cancelled');
  });
});

test('cancelled mid-way: the slice in flight ends its batch, nothing more runs, and what was undone is reported', async () => {
  const fake = new FakeUndo();
  const inFlight = new Gate();
  fake.script.push({ removed: 4 }, inFlight);
  await runUndo('cancel-undoing', fake, async (handle, input) => {
    await waitFor(
      'the second slice',
      () => inFlight.entered,
      (n) => n === 1,
    );
    const undoing = await snapshotOf(handle);
    assert.equal(undoing.status, 'running');
    assert.equal(undoing.progress.stage, 'undoing');
    assert.equal(undoing.progress.removed, 4);

    await handle.cancel();
    await assertCancelled(handle);
    assert.deepEqual(fake.log, ['markRunning', 'plan', 'slice', 'slice', 'slice:cancelled', 'finish:cancelled']);
    assert.deepEqual(fake.finished, [
      { jobId: input.jobId, importId: input.importId, status: 'cancelled', error: CANCELLED },
    ]);
    const snapshot = await snapshotOf(handle);
    assert.equal(snapshot.status, 'cancelled');
    assert.deepEqual(snapshot.error, CANCELLED);
    assert.deepEqual(snapshot.result && { ...snapshot.result, durationMs: 0 }, {
      importId: input.importId,
      restored: 1,
      removed: 4,
      conflictCount: 0,
      conflicts: [],
      durationMs: 0,
    });
    assert.equal(snapshot.progress.removed, 4);
    assert.equal(snapshot.progress.restored, 1);
  });
});

test('a slice that fails after committing a batch is retried and goes on from the committed counts', async () => {
  const fake = new FakeUndo();
  fake.script.push(new Error('connection reset'), { restored: 5 });
  await runUndo('retry', fake, async (handle) => {
    const result = await handle.result();
    // The failed attempt's batch (1 removed) counts once, from what was committed.
    assert.equal(result.removed, 1);
    assert.equal(result.restored, 9);
    assert.deepEqual(fake.log, ['markRunning', 'plan', 'slice', 'slice', 'slice', 'finish:completed']);
  });
});

test('an undo whose log was pruned before its turn fails with undo_expired and changes nothing', async () => {
  const fake = new FakeUndo();
  fake.planFailure = ApplicationFailure.nonRetryable('no longer kept', failureTypes.undoExpired);
  await runUndo('expired', fake, async (handle, input) => {
    await assertFailedBy(handle, 'no longer kept', failureTypes.undoExpired);
    assert.deepEqual(fake.log, ['markRunning', 'plan', 'finish:failed']);
    assert.deepEqual(fake.finished, [
      {
        jobId: input.jobId,
        importId: input.importId,
        status: 'failed',
        error: { code: 'undo_expired', message: 'no longer kept' },
      },
    ]);
  });
});

test('a job that is no longer queued when its turn comes undoes nothing, and fails', async () => {
  const fake = new FakeUndo();
  fake.queue.markRunningFailure = ApplicationFailure.nonRetryable(
    'Job is failed, not running',
    failureTypes.jobNotRunning,
  );
  await runUndo('not-running', fake, async (handle) => {
    await assertFailedBy(handle, 'Job is failed, not running', failureTypes.jobNotRunning);
    assert.deepEqual(fake.log, ['markRunning']);
  });
});
