import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { ImportActivities } from '@catalog/activities';
import { failureTypes, workflowTypes } from '@catalog/domain/workflows';
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
  waitForWorkflowTaskAfter,
  waitUntilJob,
  waitUntilQueued,
  withWorker,
} from '../../tests/support/workflow-env';
import { type ImportCsvInput, type ImportSnapshot, progressQuery, stagingProgressSignal } from './definitions';
import type { ImportCsvWorkflow } from './import-csv.workflow';

/**
 * ImportCsvWorkflow against a real Temporal server with fake activities: every branch of its
 * lifecycle through the job harness, driven through the queue, gates the fakes wait on and
 * failures they throw. The harness's own branches (the turn, its signal and fallback) are covered
 * here once, with the import as the job.
 */
type Activities = Pick<
  ImportActivities,
  | 'jobQueuePosition'
  | 'markJobRunning'
  | 'stageImport'
  | 'planImport'
  | 'applyImportChunk'
  | 'finalizeImport'
  | 'compensateImport'
>;
type StageResult = Awaited<ReturnType<Activities['stageImport']>>;
type PlanResult = Awaited<ReturnType<Activities['planImport']>>;
type CompensateInput = Parameters<Activities['compensateImport']>[0];

/** The query typed with the import's snapshot (the shared definition is generic over job kinds). */
const importProgress = defineQuery<ImportSnapshot>(progressQuery.name);

const STAGED: StageResult = { bytesRead: 200, rowsParsed: 8, rowsValid: 7, rowsInvalid: 1 };
/** 7 distinct rows in chunks of 2: chunks 0-2 hold 2 rows, chunk 3 holds 1. */
const PLAN: PlanResult = { distinctRows: 7, chunks: 4, chunkRows: 2 };

/**
 * The import's activities as one scripted fake. `log` records each step as it happens, so tests can
 * check what ran, what did not, and in which order.
 */
class FakeImport {
  readonly log: string[] = [];
  readonly queue = new FakeJobQueue(this.log);
  readonly compensations: CompensateInput[] = [];
  stageGate: Gate | null = null;
  stageFailure: Error | null = null;
  planGate: Gate | null = null;
  finalizeGate: Gate | null = null;
  /** Thrown by the next calls of planImport, one per call. */
  readonly planFailures: Error[] = [];
  /** Per chunk: thrown by its next attempts, one per attempt. */
  readonly chunkFailures = new Map<number, Error[]>();
  readonly chunkGates = new Map<number, Gate>();
  /** Rows applied per chunk, to prove no chunk lands twice. */
  readonly applied = new Map<number, number>();

  count(step: string): number {
    return this.log.filter((entry) => entry === step).length;
  }

  activities(): Activities {
    return {
      ...this.queue.activities(),
      stageImport: async () => {
        this.log.push('stage');
        if (this.stageFailure) throw this.stageFailure;
        await this.settle('stage', this.stageGate);
        return STAGED;
      },
      planImport: async () => {
        this.log.push('plan');
        const failure = this.planFailures.shift();
        if (failure) throw failure;
        await this.settle('plan', this.planGate);
        return PLAN;
      },
      applyImportChunk: async ({ chunkNo, expectedRows }) => {
        this.log.push(`apply:${chunkNo}`);
        const failure = this.chunkFailures.get(chunkNo)?.shift();
        if (failure) {
          this.log.push(`apply:${chunkNo}:failed`);
          throw failure;
        }
        await this.settle(`apply:${chunkNo}`, this.chunkGates.get(chunkNo) ?? null);
        this.applied.set(chunkNo, (this.applied.get(chunkNo) ?? 0) + expectedRows);
        this.log.push(`apply:${chunkNo}:done`);
        return { inserted: expectedRows, updated: 0, unchanged: 0 };
      },
      finalizeImport: async () => {
        this.log.push('finalize');
        await this.settle('finalize', this.finalizeGate);
        this.log.push('finalize:done');
      },
      compensateImport: async (input) => {
        this.log.push(`compensate:${input.status}`);
        this.compensations.push(input);
      },
    };
  }

  /**
   * Waits on `gate` (if any). A cancelled step takes a moment to wind down before it says so, as a
   * real chunk finishing its statement does: a workflow that did not wait for it would log its
   * compensation first.
   */
  private async settle(step: string, gate: Gate | null): Promise<void> {
    if (!gate) return;
    try {
      await gate.wait();
    } catch (error) {
      await delay(200);
      this.log.push(`${step}:cancelled`);
      throw error;
    }
  }
}

const env = useWorkflowEnv();

function inputFor(jobId: string): ImportCsvInput {
  return {
    jobId,
    filePath: `${jobId}.csv`,
    fileSize: STAGED.bytesRead,
    delimiter: ',',
    columns: { sku: 0, name: 1 },
    chunkRows: PLAN.chunkRows,
    parallelism: 2,
  };
}

/** Starts an import on its own task queue with `fake` as its activities and runs `body` meanwhile. */
async function runImport(
  name: string,
  fake: FakeImport,
  body: (handle: WorkflowHandle<typeof ImportCsvWorkflow>) => Promise<void>,
  input: Partial<ImportCsvInput> = {},
): Promise<void> {
  const taskQueue = uniqueTaskQueue(name);
  await withWorker(env(), taskQueue, fake.activities(), async () => {
    const jobId = randomUUID();
    const handle = await env().client.workflow.start<typeof ImportCsvWorkflow>(workflowTypes.importCsv, {
      taskQueue,
      workflowId: `import-${jobId}`,
      args: [{ ...inputFor(jobId), ...input }],
    });
    await body(handle);
  });
}

const snapshotOf = (handle: WorkflowHandle) => handle.query(importProgress);

test('queued behind other jobs, it waits for a jobTurn signal, asks once more, then applies every chunk once', async () => {
  const fake = new FakeImport();
  fake.queue.ahead = 2;
  await runImport(
    'turn',
    fake,
    async (handle) => {
      const queued = await waitUntilQueued(handle, 2);
      assert.equal(queued.progress.stage, 'queued');
      // A staging report before the import stages (a late one from a previous attempt) is ignored.
      await handle.signal(stagingProgressSignal, { bytesRead: 99, rowsParsed: 9, rowsValid: 9, rowsInvalid: 0 });
      assert.equal((await snapshotOf(handle)).progress.bytesRead, 0);
      assert.deepEqual(fake.log, [], 'nothing may run before its turn');
      assert.equal(fake.queue.checks, 1);

      fake.queue.ahead = 0;
      await signalTurn(handle);
      await waitUntilJob(handle, 'completed');
      const result = await handle.result();
      assert.equal(fake.queue.checks, 2, 'one check before the signal, one after');
      assert.deepEqual(
        { ...result, durationMs: 0 },
        { rowsRead: 8, inserted: 7, updated: 0, unchanged: 0, invalid: 1, durationMs: 0 },
      );
      assert.deepEqual(fake.log.slice(0, 3), ['markRunning', 'stage', 'plan']);
      assert.deepEqual([...fake.applied.entries()].sort(), [
        [0, 2],
        [1, 2],
        [2, 2],
        [3, 1],
      ]);
      assert.equal(fake.log.at(-1), 'finalize:done');
      assert.deepEqual(fake.compensations, []);

      const done = await snapshotOf(handle);
      assert.equal(done.status, 'completed');
      assert.equal(done.progress.stage, 'done');
      assert.equal(done.progress.queuePosition, null);
      assert.equal(done.progress.rowsApplied, 7);
      assert.deepEqual(done.result, result);
      assert.equal(done.error, null);
    },
    { turnFallbackMs: NEVER_MS },
  );
});

test('a jobTurn signal that arrives while the queue is being checked is not lost', async () => {
  const fake = new FakeImport();
  fake.queue.ahead = 1;
  const checking = new Gate();
  fake.queue.checkGate = checking;
  await runImport(
    'turn-during-check',
    fake,
    async (handle) => {
      await waitFor(
        'the first queue check',
        () => checking.entered,
        (n) => n === 1,
      );
      // The job ahead ends while this job's check (which saw it) is still running.
      await signalTurn(handle);
      await waitForWorkflowTaskAfter(handle, (event) => Boolean(event.workflowExecutionSignaledEventAttributes));
      fake.queue.ahead = 0;
      checking.open();

      await waitUntilJob(handle, 'completed');
      assert.equal(fake.queue.checks, 2);
    },
    { turnFallbackMs: NEVER_MS },
  );
});

test('with no signal, the fallback timer looks at the queue again', async () => {
  const fake = new FakeImport();
  fake.queue.ahead = 1;
  await runImport(
    'turn-fallback',
    fake,
    async (handle) => {
      await waitUntilQueued(handle, 1);
      // The job ahead vanished without a word (terminated, say): only the fallback can notice.
      fake.queue.ahead = 0;
      await waitUntilJob(handle, 'completed');
      assert.ok(fake.queue.checks >= 2, `${fake.queue.checks} checks`);
      assert.deepEqual(fake.compensations, []);
    },
    { turnFallbackMs: 500 },
  );
});

test('cancelled while queued: it never runs, and is recorded as cancelled', async () => {
  const fake = new FakeImport();
  fake.queue.ahead = 1;
  await runImport('cancel-queued', fake, async (handle) => {
    await waitUntilQueued(handle, 1);
    await handle.cancel();
    await assertCancelled(handle);
    assert.deepEqual(fake.log, ['compensate:cancelled']);
    assert.deepEqual(fake.compensations[0]?.error, {
      code: 'cancelled',
      message: 'The import was cancelled; the catalog is unchanged',
    });
    const snapshot = await snapshotOf(handle);
    assert.equal(snapshot.status, 'cancelled');
    assert.equal(snapshot.progress.stage, 'done');
    assert.equal(snapshot.error?.code, 'cancelled');
    assert.equal(snapshot.result, null);
  });
});

test('staging progress reaches the query; cancelled while staging, nothing is applied', async () => {
  const fake = new FakeImport();
  fake.stageGate = new Gate();
  await runImport('cancel-staging', fake, async (handle) => {
    await waitFor(
      'staging to start',
      () => fake.stageGate?.entered ?? 0,
      (n) => n === 1,
    );
    await handle.signal(stagingProgressSignal, { bytesRead: 40, rowsParsed: 2, rowsValid: 2, rowsInvalid: 0 });
    const staging = await waitFor(
      'the staging progress',
      () => snapshotOf(handle),
      (s) => s.progress.bytesRead === 40,
    );
    assert.equal(staging.status, 'running');
    assert.equal(staging.progress.stage, 'staging');
    assert.equal(staging.progress.rowsParsed, 2);

    await handle.cancel();
    await assertCancelled(handle);
    assert.deepEqual(fake.log, ['markRunning', 'stage', 'stage:cancelled', 'compensate:cancelled']);
    assert.equal((await snapshotOf(handle)).status, 'cancelled');
  });
});

test('cancelled while planning: the plan settles first, nothing is applied, and it compensates', async () => {
  const fake = new FakeImport();
  fake.planGate = new Gate();
  await runImport('cancel-planning', fake, async (handle) => {
    await waitFor(
      'planning to start',
      () => fake.planGate?.entered ?? 0,
      (n) => n === 1,
    );
    const planning = await snapshotOf(handle);
    assert.equal(planning.status, 'running');
    assert.equal(planning.progress.stage, 'staging', 'planning shows as the end of staging');
    assert.equal(planning.progress.rowsParsed, STAGED.rowsParsed);

    await handle.cancel();
    await assertCancelled(handle);
    assert.deepEqual(fake.log, ['markRunning', 'stage', 'plan', 'plan:cancelled', 'compensate:cancelled']);
    assert.equal((await snapshotOf(handle)).status, 'cancelled');
  });
});

test('cancelled while applying: chunks in flight settle before compensation, and no further chunk starts', async () => {
  const fake = new FakeImport();
  // Chunk 0 lands; the next two (one per parallel slot) hang until cancelled; chunk 3 must never start.
  fake.chunkGates.set(1, new Gate());
  fake.chunkGates.set(2, new Gate());
  await runImport('cancel-applying', fake, async (handle) => {
    await waitFor(
      'two chunks in flight',
      () => [...fake.chunkGates.values()].every((gate) => gate.entered === 1),
      Boolean,
    );
    const applying = await snapshotOf(handle);
    assert.equal(applying.progress.stage, 'applying');
    assert.equal(applying.progress.rowsApplied, 2);

    await handle.cancel();
    await assertCancelled(handle);
    const compensated = fake.log.indexOf('compensate:cancelled');
    assert.ok(compensated > fake.log.indexOf('apply:1:cancelled'), fake.log.join(' '));
    assert.ok(compensated > fake.log.indexOf('apply:2:cancelled'), fake.log.join(' '));
    assert.ok(fake.log.indexOf('apply:1:cancelled') >= 0 && fake.log.indexOf('apply:2:cancelled') >= 0);
    assert.equal(fake.count('apply:3'), 0);
    assert.equal(fake.count('finalize'), 0);
    assert.equal((await snapshotOf(handle)).status, 'cancelled');
  });
});

test('a cancel that arrives once finalize has started does not undo the import', async () => {
  const fake = new FakeImport();
  fake.finalizeGate = new Gate();
  await runImport('cancel-finalizing', fake, async (handle) => {
    await waitFor(
      'finalize to start',
      () => fake.finalizeGate?.entered ?? 0,
      (n) => n === 1,
    );
    assert.equal((await snapshotOf(handle)).progress.stage, 'finalizing');
    await handle.cancel();
    // Only once the workflow has seen the cancel may finalize finish: else the test proves nothing.
    await waitForWorkflowTaskAfter(handle, (event) => Boolean(event.workflowExecutionCancelRequestedEventAttributes));
    fake.finalizeGate?.open();

    const result = await handle.result();
    assert.equal(result.inserted, 7);
    assert.equal(fake.count('finalize:cancelled'), 0);
    assert.deepEqual(fake.compensations, []);
    assert.equal((await snapshotOf(handle)).status, 'completed');
  });
});

test('staging lost while applying: stages again and applies only the chunks not yet applied', async () => {
  const fake = new FakeImport();
  fake.chunkFailures.set(1, [ApplicationFailure.nonRetryable('chunk 1 has 0 of 2 rows', failureTypes.stagingLost)]);
  await runImport('restage-apply', fake, async (handle) => {
    const result = await handle.result();
    assert.equal(fake.count('stage'), 2);
    assert.equal(fake.count('plan'), 2);
    assert.equal(fake.count('apply:1'), 2);
    assert.deepEqual([...fake.applied.entries()].sort(), [
      [0, 2],
      [1, 2],
      [2, 2],
      [3, 1],
    ]);
    assert.equal(result.inserted, 7, 'a chunk counted twice');
    assert.deepEqual(fake.compensations, []);
    assert.equal((await snapshotOf(handle)).progress.rowsApplied, 7);
  });
});

test('staging lost when planning: stages again', async () => {
  const fake = new FakeImport();
  fake.planFailures.push(ApplicationFailure.nonRetryable('the staging table is missing', failureTypes.stagingLost));
  await runImport('restage-plan', fake, async (handle) => {
    const result = await handle.result();
    assert.equal(result.inserted, 7);
    assert.equal(fake.count('stage'), 2);
    assert.equal(fake.count('plan'), 2);
    assert.deepEqual(fake.compensations, []);
  });
});

test('staging lost at every plan: gives up after three restages, and compensates', async () => {
  const fake = new FakeImport();
  const lost = () => ApplicationFailure.nonRetryable('the staging table is missing', failureTypes.stagingLost);
  fake.planFailures.push(...Array.from({ length: 10 }, lost));
  await runImport('restage-plan-limit', fake, async (handle) => {
    await assertFailedBy(handle, 'the staging table is missing', failureTypes.stagingLost);
    assert.equal(fake.count('stage'), 4);
    assert.equal(fake.count('apply:0'), 0);
    assert.deepEqual(
      fake.compensations.map((c) => [c.status, c.error.code]),
      [['failed', 'import_failed']],
    );
  });
});

test('staging lost at every apply: gives up after three restages, and compensates', async () => {
  const fake = new FakeImport();
  const lost = () => ApplicationFailure.nonRetryable('the chunk table is missing', failureTypes.stagingLost);
  fake.chunkFailures.set(0, Array.from({ length: 10 }, lost));
  await runImport('restage-limit', fake, async (handle) => {
    await assertFailedBy(handle, 'Staging data was lost repeatedly', failureTypes.stagingLost);
    assert.equal(fake.count('stage'), 4);
    assert.equal(fake.count('finalize'), 0);
    assert.deepEqual(
      fake.compensations.map((c) => [c.status, c.error.code]),
      [['failed', 'import_failed']],
    );
  });
});

test('a chunk that fails for good: the chunk in flight settles first, no further chunk starts, and it compensates', async () => {
  const fake = new FakeImport();
  fake.chunkFailures.set(0, [ApplicationFailure.nonRetryable('duplicate key value', 'Boom')]);
  fake.chunkGates.set(1, new Gate());
  await runImport('fail-chunk', fake, async (handle) => {
    await waitFor(
      'chunk 1 in flight',
      () => fake.chunkGates.get(1)?.entered ?? 0,
      (n) => n === 1,
    );
    await waitFor(
      'chunk 0 to fail',
      () => fake.count('apply:0:failed'),
      (n) => n === 1,
    );
    // Let the workflow react to the failure before chunk 1 ends, so compensating too early would show.
    await waitForWorkflowTaskAfter(handle, (event) => Boolean(event.activityTaskFailedEventAttributes));
    fake.chunkGates.get(1)?.open();

    await assertFailedBy(handle, 'duplicate key value', 'Boom');
    assert.ok(fake.log.indexOf('apply:1:done') < fake.log.indexOf('compensate:failed'), fake.log.join(' '));
    assert.equal(fake.count('apply:2') + fake.count('apply:3'), 0);
    assert.deepEqual(fake.compensations[0]?.error, { code: 'import_failed', message: 'duplicate key value' });
    const snapshot = await snapshotOf(handle);
    assert.equal(snapshot.status, 'failed');
    assert.deepEqual(snapshot.error, { code: 'import_failed', message: 'duplicate key value' });
  });
});

test('a chunk that fails once with a retryable error is retried, and the import completes', async () => {
  const fake = new FakeImport();
  fake.chunkFailures.set(2, [new Error('connection reset')]);
  await runImport('retry-chunk', fake, async (handle) => {
    const result = await handle.result();
    assert.equal(result.inserted, 7);
    assert.equal(fake.count('apply:2'), 2);
    assert.deepEqual(fake.compensations, []);
  });
});

test('a bad file fails at once, unretried, as bad_file, and compensates', async () => {
  const fake = new FakeImport();
  fake.stageFailure = ApplicationFailure.nonRetryable('Row 3 is not UTF-8', failureTypes.badFile);
  await runImport('bad-file', fake, async (handle) => {
    await assertFailedBy(handle, 'Row 3 is not UTF-8', failureTypes.badFile);
    assert.equal(fake.count('stage'), 1);
    assert.equal(fake.count('plan'), 0);
    assert.deepEqual(fake.compensations[0]?.error, { code: 'bad_file', message: 'Row 3 is not UTF-8' });
    assert.equal((await snapshotOf(handle)).error?.code, 'bad_file');
  });
});

test('a job that is no longer queued when its turn comes touches nothing, and fails', async () => {
  const fake = new FakeImport();
  fake.queue.markRunningFailure = ApplicationFailure.nonRetryable(
    'Job is failed, not running',
    failureTypes.jobNotRunning,
  );
  await runImport('not-running', fake, async (handle) => {
    await assertFailedBy(handle, 'Job is failed, not running', failureTypes.jobNotRunning);
    // The row was settled elsewhere: no compensation, which would be refused.
    assert.deepEqual(fake.log, ['markRunning']);
    const snapshot = await snapshotOf(handle);
    assert.equal(snapshot.status, 'failed');
    assert.deepEqual(snapshot.error, { code: 'import_failed', message: 'Job is failed, not running' });
  });
});
