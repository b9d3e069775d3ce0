import type { ProductActivities } from '@catalog/activities';
import type { BulkDeleteResult, JobError } from '@catalog/domain';
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { type BulkDeleteInput, type BulkDeleteSnapshot, progressQuery } from './definitions';
import { takeTurn } from './job-turn';

type Activities = ProductActivities;

/** Short bookkeeping calls: the plan. */
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', maximumAttempts: 30 },
});

/**
 * A slice deletes for about half a second and heartbeats every second; a worker killed mid-slice
 * is noticed within the heartbeat timeout and the slice runs again elsewhere, from the job's
 * committed cursor. Cancellation waits for the slice to finish its batch, so the outcome is
 * recorded only once nothing is deleting any more.
 */
const deleting = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** Recording the outcome must happen whatever else failed: retried until done. */
const settlement = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Waits its turn behind earlier imports and delete-alls (so they never interleave), then deletes
 * every product that existed when it started, batch by batch. Cancelling keeps what was deleted
 * and leaves the rest intact.
 */
export async function BulkDeleteWorkflow(input: BulkDeleteInput): Promise<BulkDeleteResult> {
  const startedAt = Date.now();
  const snapshot: BulkDeleteSnapshot = {
    status: 'queued',
    progress: {
      stage: 'queued',
      queuePosition: null,
      deleted: 0,
      total: 0,
      rowsPerSecond: 0,
      updatedAt: new Date(startedAt).toISOString(),
    },
    result: null,
    error: null,
  };
  const progress = snapshot.progress;
  setHandler(progressQuery, () => snapshot);

  const finish = async (status: 'completed' | 'failed' | 'cancelled', error: JobError | null) => {
    const result = await CancellationScope.nonCancellable(() =>
      settlement.finishBulkDelete({ jobId: input.jobId, status, error, durationMs: Date.now() - startedAt }),
    );
    Object.assign(progress, { stage: 'done', deleted: result.deleted, total: result.total, rowsPerSecond: 0 });
    progress.updatedAt = new Date().toISOString();
    snapshot.status = status;
    snapshot.result = result;
    snapshot.error = error;
    return result;
  };

  try {
    await takeTurn(input.jobId, (ahead) => {
      progress.queuePosition = ahead;
    });
    snapshot.status = 'running';

    const plan = await bookkeeping.planBulkDelete(input.jobId);
    Object.assign(progress, { stage: 'deleting', total: plan.total, deleted: plan.deleted });
    let sample = { at: Date.now(), deleted: plan.deleted };
    for (let done = plan.total === 0; !done; ) {
      const slice = await deleting.deleteProductSlice(input);
      const now = Date.now();
      if (now > sample.at)
        progress.rowsPerSecond = Math.round(((slice.deleted - sample.deleted) * 1000) / (now - sample.at));
      sample = { at: now, deleted: slice.deleted };
      progress.deleted = slice.deleted;
      progress.updatedAt = new Date(now).toISOString();
      done = slice.done;
    }
    return await finish('completed', null);
  } catch (error) {
    if (isCancellation(error)) {
      await finish('cancelled', {
        code: 'cancelled',
        message: 'Delete-all was cancelled; the products not yet deleted are kept',
      });
    } else {
      await finish('failed', describeFailure(error));
    }
    throw error;
  }
}

function describeFailure(error: unknown): JobError {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  const message = cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : 'Delete-all failed';
  return { code: 'bulk_delete_failed', message };
}
