import type { UndoActivities } from '@catalog/activities';
import type { UndoProgress, UndoResult } from '@catalog/domain';
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { UndoImportInput } from '../definitions';
import type { Job, JobEnding } from '../jobs/definition';
import { runJob } from '../jobs/run-job';

/** Short bookkeeping calls: the plan. */
const bookkeeping = proxyActivities<UndoActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', maximumAttempts: 30 },
});

/**
 * A slice undoes batches for about half a second and heartbeats every second; a worker killed
 * mid-slice is noticed within the heartbeat timeout and the slice runs again elsewhere, from the
 * job's committed counts. Cancellation waits for the slice to finish its batch, so the outcome is
 * recorded only once nothing is undoing any more.
 */
const undoing = proxyActivities<UndoActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

/** Recording the outcome must happen whatever else failed: retried until done. */
const settlement = proxyActivities<UndoActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Undo of a completed import as a job: waits its turn behind earlier imports, delete-alls and undos,
 * then takes back the import batch by batch: the products it inserted are removed and those it
 * updated get their values from before, except products changed since, which are kept and listed
 * as conflicts. Cancelling keeps what was undone; however it ends, what it did is recorded.
 */
export async function UndoImportWorkflow(input: UndoImportInput): Promise<UndoResult> {
  return runJob<UndoProgress, UndoResult, void>({
    jobId: input.jobId,
    progress: {
      stage: 'queued',
      queuePosition: null,
      total: 0,
      processed: 0,
      restored: 0,
      removed: 0,
      conflicts: 0,
      rowsPerSecond: 0,
      updatedAt: new Date().toISOString(),
    },
    turnFallbackMs: input.turnFallbackMs,
    cancelled: { code: 'cancelled', message: 'The undo was cancelled; what it had undone stays undone' },
    failed: { code: 'undo_failed', message: 'The undo failed' },
    steps: (job) => undoEverything(input, job),
    complete: (_, job) => finish(input, job, { status: 'completed', error: null }),
    abort: (ending, job) => finish(input, job, ending),
  });
}

async function undoEverything(input: UndoImportInput, job: Job<UndoProgress>): Promise<void> {
  const { progress } = job;
  const plan = await bookkeeping.planUndo({ jobId: input.jobId, importId: input.importId });
  Object.assign(progress, plan, { stage: 'undoing' });
  job.restartRate(plan.processed);
  for (let done = plan.total === 0; !done; ) {
    const slice = await undoing.undoSlice(input);
    const { done: finished, ...counts } = slice;
    Object.assign(progress, counts);
    job.sample(slice.processed);
    done = finished;
  }
}

/** Records the outcome with the counts the job committed, which the snapshot then shows too. */
async function finish(
  input: UndoImportInput,
  job: Job<UndoProgress>,
  { status, error }: { status: 'completed'; error: null } | JobEnding,
): Promise<UndoResult> {
  const result = await settlement.finishUndo({
    jobId: input.jobId,
    importId: input.importId,
    status,
    error,
    durationMs: Date.now() - job.startedAt,
  });
  job.progress.restored = result.restored;
  job.progress.removed = result.removed;
  job.progress.conflicts = result.conflictCount;
  job.progress.rowsPerSecond = 0;
  job.progress.updatedAt = new Date().toISOString();
  return result;
}
