import type { ProductActivities } from '@catalog/activities';
import type { BulkDeleteProgress, BulkDeleteResult } from '@catalog/domain';
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { BulkDeleteInput } from './definitions';
import type { Job, JobEnding } from './jobs/definition';
import { runJob } from './jobs/run-job';

/** Short bookkeeping calls: the plan. */
const bookkeeping = proxyActivities<ProductActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', maximumAttempts: 30 },
});

/**
 * A slice deletes for about half a second and heartbeats every second; a worker killed mid-slice
 * is noticed within the heartbeat timeout and the slice runs again elsewhere, from the job's
 * committed cursor. Cancellation waits for the slice to finish its batch, so the outcome is
 * recorded only once nothing is deleting any more.
 */
const deleting = proxyActivities<ProductActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** Recording the outcome must happen whatever else failed: retried until done. */
const settlement = proxyActivities<ProductActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Delete-all as a job: waits its turn behind earlier imports and delete-alls (so they never
 * interleave), then deletes every product that existed when it started, batch by batch. Cancelling
 * keeps what was deleted and leaves the rest intact; however it ends, what it deleted is recorded.
 */
export async function BulkDeleteWorkflow(input: BulkDeleteInput): Promise<BulkDeleteResult> {
  return runJob<BulkDeleteProgress, BulkDeleteResult, void>({
    jobId: input.jobId,
    progress: {
      stage: 'queued',
      queuePosition: null,
      deleted: 0,
      total: 0,
      rowsPerSecond: 0,
      updatedAt: new Date().toISOString(),
    },
    turnFallbackMs: input.turnFallbackMs,
    cancelled: { code: 'cancelled', message: 'Delete-all was cancelled; the products not yet deleted are kept' },
    failed: { code: 'bulk_delete_failed', message: 'Delete-all failed' },
    steps: (job) => deleteEverything(input, job),
    complete: (_, job) => finish(job, { status: 'completed', error: null }),
    abort: (ending, job) => finish(job, ending),
  });
}

async function deleteEverything(input: BulkDeleteInput, job: Job<BulkDeleteProgress>): Promise<void> {
  const { progress } = job;
  const plan = await bookkeeping.planBulkDelete(input.jobId);
  progress.stage = 'deleting';
  progress.total = plan.total;
  progress.deleted = plan.deleted;
  job.restartRate(plan.deleted);
  for (let done = plan.total === 0; !done; ) {
    const slice = await deleting.deleteProductSlice(input);
    progress.deleted = slice.deleted;
    job.sample(slice.deleted);
    done = slice.done;
  }
}

/** Records the outcome with the counts the job committed, which the snapshot then shows too. */
async function finish(
  job: Job<BulkDeleteProgress>,
  { status, error }: { status: 'completed'; error: null } | JobEnding,
): Promise<BulkDeleteResult> {
  const result = await settlement.finishBulkDelete({
    jobId: job.jobId,
    status,
    error,
    durationMs: Date.now() - job.startedAt,
  });
  job.progress.deleted = result.deleted;
  job.progress.total = result.total;
  job.progress.rowsPerSecond = 0;
  job.progress.updatedAt = new Date().toISOString();
  return result;
}
