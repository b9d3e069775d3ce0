import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { ImportActivities } from '@catalog/activities';
import { type Attribution, type ReviewCounts, workflowTypes } from '@catalog/domain';
import type { WorkflowHandle } from '@temporalio/client';
import { defineQuery } from '@temporalio/workflow';
import {
  assertCancelled,
  FakeJobQueue,
  NEVER_MS,
  uniqueTaskQueue,
  useWorkflowEnv,
  waitFor,
  waitUntilJob,
  withWorker,
} from '../../tests/support/workflow-env';
import { applyReviewSignal, type ImportCsvInput, type ImportSnapshot, progressQuery } from './definitions';
import type { ImportCsvWorkflow } from './import-csv.workflow';

/**
 * A reviewed import (ImportCsvWorkflow with `review`) against a real Temporal server with fake
 * activities: it plans without touching the search indexes, waits in review out of the queue,
 * applies on the signal after a new turn, goes back to review when the catalog changed, and is
 * discarded by its timeout or a cancel without applying anything.
 */
type Activities = Pick<
  ImportActivities,
  | 'jobQueuePosition'
  | 'markJobRunning'
  | 'stageImport'
  | 'planImport'
  | 'diffImport'
  | 'requeueReviewedImport'
  | 'verifyReview'
  | 'applyImportChunk'
  | 'finalizeImport'
  | 'compensateImport'
>;
type CompensateInput = Parameters<Activities['compensateImport']>[0];
type DiffInput = Parameters<Activities['diffImport']>[0];

const importProgress = defineQuery<ImportSnapshot>(progressQuery.name);
const COUNTS: ReviewCounts = { inserted: 3, updated: 2, unchanged: 2, invalid: 1, skipped: 0 };
const APPLIER: Attribution = {
  actor: { kind: 'user', id: randomUUID(), label: 'reviewer@example.com' },
  requestId: 'req-1',
  ip: null,
};

class FakeReviewImport {
  readonly log: string[] = [];
  readonly queue = new FakeJobQueue([]);
  readonly diffs: DiffInput[] = [];
  readonly requeuedBy: Attribution[] = [];
  readonly compensations: CompensateInput[] = [];
  /** What each verifyReview answers, in turn; 0 (the review stands) once spent. */
  readonly rowsChanged: number[] = [];
  deferred: boolean[] = [];
  /** When set, diffImport waits for it: the row says `review` before the workflow knows. */
  diffGate: Promise<void> | null = null;
  diffStarted = false;

  activities(): Activities {
    return {
      ...this.queue.activities(),
      markJobRunning: async (_jobId, announce) => {
        this.log.push(`markRunning:${announce ?? true}`);
      },
      stageImport: async () => {
        this.log.push('stage');
        return { bytesRead: 100, rowsParsed: 8, rowsValid: 7, rowsInvalid: 1, rowsSkipped: 0 };
      },
      planImport: async ({ deferSearchIndexes }) => {
        this.log.push('plan');
        this.deferred.push(deferSearchIndexes ?? false);
        return { distinctRows: 7, chunks: 2, chunkRows: 4 };
      },
      diffImport: async (input) => {
        this.log.push('diff');
        this.diffs.push(input);
        this.diffStarted = true;
        await this.diffGate;
        return COUNTS;
      },
      requeueReviewedImport: async ({ by }) => {
        this.log.push('requeue');
        this.requeuedBy.push(by);
      },
      verifyReview: async () => {
        this.log.push('verify');
        return { rowsChanged: this.rowsChanged.shift() ?? 0 };
      },
      applyImportChunk: async ({ chunkNo, expectedRows }) => {
        this.log.push(`apply:${chunkNo}`);
        return { inserted: expectedRows, updated: 0, unchanged: 0 };
      },
      finalizeImport: async () => {
        this.log.push('finalize');
      },
      compensateImport: async (input) => {
        this.log.push(`compensate:${input.status}`);
        this.compensations.push(input);
      },
    };
  }
}

const env = useWorkflowEnv();

async function runReview(
  name: string,
  fake: FakeReviewImport,
  timeoutMs: number,
  body: (handle: WorkflowHandle<typeof ImportCsvWorkflow>) => Promise<void>,
): Promise<void> {
  const taskQueue = uniqueTaskQueue(name);
  await withWorker(env(), taskQueue, fake.activities(), async () => {
    const jobId = randomUUID();
    const input: ImportCsvInput = {
      jobId,
      filePath: `${jobId}.csv`,
      fileSize: 100,
      delimiter: ',',
      columns: { sku: 0, name: 1 },
      chunkRows: 4,
      parallelism: 2,
      turnFallbackMs: NEVER_MS,
      review: { timeoutMs },
    };
    const handle = await env().client.workflow.start<typeof ImportCsvWorkflow>(workflowTypes.importCsv, {
      taskQueue,
      workflowId: `import-${jobId}`,
      args: [input],
    });
    await body(handle);
  });
}

const inReview = (handle: WorkflowHandle) =>
  waitFor(
    'the import to wait in review',
    () => handle.query(importProgress),
    (s) => s.status === 'review' && s.progress.stage === 'review',
  );

test('a reviewed import waits in review, out of the queue, and applies on the signal after a new turn', async () => {
  const fake = new FakeReviewImport();
  await runReview('apply', fake, NEVER_MS, async (handle) => {
    const waiting = await inReview(handle);
    assert.deepEqual(waiting.progress.review, COUNTS);
    assert.equal(waiting.progress.reviewInvalidated, null);
    assert.deepEqual(fake.log, ['markRunning:false', 'stage', 'plan', 'diff'], 'no start announced for a review');
    assert.deepEqual(fake.deferred, [true], 'a review leaves the search indexes alone while it waits');
    assert.equal(fake.diffs[0]?.progress.rowsParsed, 8, 'the row holds the counts read so far');

    await handle.signal(applyReviewSignal, APPLIER);
    await waitUntilJob(handle, 'completed');
    const result = await handle.result();
    assert.equal(result.inserted, 7);
    assert.deepEqual(fake.log.slice(4, 7), ['requeue', 'markRunning:true', 'verify']);
    assert.deepEqual(fake.log.slice(-1), ['finalize']);
    assert.deepEqual(fake.log.filter((step) => step.startsWith('apply:')).sort(), ['apply:0', 'apply:1']);
    assert.deepEqual(fake.requeuedBy, [APPLIER], 'who applied travels to the job row');
    assert.equal(fake.log.filter((step) => step === 'stage').length, 1, 'apply does not read the file again');
    assert.deepEqual(fake.compensations, []);
  });
});

test('an apply signal sent before the review is ready does nothing; the import still waits', async () => {
  const fake = new FakeReviewImport();
  fake.queue.ahead = 1;
  await runReview('early-apply', fake, NEVER_MS, async (handle) => {
    await waitFor(
      'the import to be queued',
      () => handle.query(importProgress),
      (s) => s.status === 'queued' && s.progress.queuePosition === 1,
    );
    await handle.signal(applyReviewSignal, APPLIER);
    fake.queue.ahead = 0;
    await handle.signal('jobTurn');
    await inReview(handle);
    assert.deepEqual(fake.requeuedBy, []);
    await handle.cancel();
    await assertCancelled(handle);
  });
});

test('an apply that arrives while the diff activity is finishing is kept, not dropped', async () => {
  const fake = new FakeReviewImport();
  let release = () => {};
  fake.diffGate = new Promise((resolve) => {
    release = resolve;
  });
  await runReview('apply-during-diff', fake, NEVER_MS, async (handle) => {
    await waitFor(
      'the diff to start',
      async () => fake.diffStarted,
      (started) => started,
    );
    // The API accepted it: the diff's transaction has set the row to `review`.
    await handle.signal(applyReviewSignal, APPLIER);
    release();
    assert.equal((await handle.result()).inserted, 7);
    assert.deepEqual(fake.requeuedBy, [APPLIER]);
  });
});

test('nobody decides within the review time: the import is discarded, nothing applied', async () => {
  const fake = new FakeReviewImport();
  await runReview('timeout', fake, 1_500, async (handle) => {
    await inReview(handle);
    await assertCancelled(handle);
    const ended = await handle.query(importProgress);
    assert.equal(ended.status, 'cancelled');
    assert.equal(ended.error?.code, 'review_expired');
    assert.deepEqual(
      fake.compensations.map(({ status, error }) => ({ status, code: error.code })),
      [{ status: 'cancelled', code: 'review_expired' }],
    );
    assert.ok(!fake.log.some((step) => step.startsWith('apply:') || step === 'requeue' || step === 'finalize'));
  });
});

test('a cancel in review discards it: compensation runs, nothing is applied', async () => {
  const fake = new FakeReviewImport();
  await runReview('cancel', fake, NEVER_MS, async (handle) => {
    await inReview(handle);
    await handle.cancel();
    await assertCancelled(handle);
    assert.equal((await handle.query(importProgress)).error?.code, 'cancelled');
    assert.deepEqual(fake.log.slice(-1), ['compensate:cancelled']);
    assert.ok(!fake.log.some((step) => step.startsWith('apply:') || step === 'requeue'));
  });
});

test('the catalog changed since the review: apply computes the diff again and goes back to review', async () => {
  const fake = new FakeReviewImport();
  fake.rowsChanged.push(3);
  await runReview('invalidated', fake, NEVER_MS, async (handle) => {
    await inReview(handle);
    await handle.signal(applyReviewSignal, APPLIER);
    const again = await waitFor(
      'the import back in review',
      () => handle.query(importProgress),
      (s) =>
        s.status === 'review' && s.progress.reviewInvalidated !== null && s.progress.reviewInvalidated !== undefined,
    );
    assert.equal(again.progress.reviewInvalidated?.rowsChanged, 3);
    assert.deepEqual(fake.log.slice(4), ['requeue', 'markRunning:true', 'verify', 'diff']);
    assert.equal(fake.diffs[1]?.invalidated?.rowsChanged, 3, 'the job row says what changed');
    assert.ok(!fake.log.some((step) => step.startsWith('apply:')), 'nothing applied on an out-of-date review');

    await handle.signal(applyReviewSignal, APPLIER);
    await waitUntilJob(handle, 'completed');
    assert.deepEqual(fake.log.filter((step) => step === 'verify').length, 2);
    assert.equal(fake.log.filter((step) => step === 'stage').length, 1);
    assert.equal(fake.requeuedBy.length, 2);
  });
});
