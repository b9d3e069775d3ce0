import { finishJob, isJobUnfinished, JobTransitionError, type QueuedJob } from '@catalog/db';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { JobActivityDeps } from '../deps';
import { undoImport } from '../imports/finalize';
import { wakeQueuedJobs } from './wake-queued';

/** A job created this recently may still be waiting for the API to start its workflow. */
export const START_GRACE_SECONDS = 60;

/**
 * A job that holds the queue but whose workflow can no longer finish it: terminated or timed out
 * from the Temporal UI, or never started because the API died between the job row and the start.
 * Left alone it would block every later import forever. An orphaned import is undone (its undo
 * log is still there), a delete-all keeps what it deleted and an undo what it undid (the rest of the
 * import's log stays, so it can be undone again), and each is recorded as failed.
 * Returns true when the job no longer holds the queue: settled here, or finished meanwhile.
 */
export async function settleIfOrphaned(deps: JobActivityDeps, job: QueuedJob): Promise<boolean> {
  const { db, temporal } = deps;
  let reason: string;
  try {
    const { status } = await temporal.workflow.getHandle(job.workflowId).describe();
    if (status.name === 'RUNNING') return false;
    reason = `its workflow ended as ${status.name.toLowerCase()} before finishing the job`;
  } catch (error: unknown) {
    if (!(error instanceof WorkflowNotFoundError) || !job.old) return false;
    reason = 'its workflow was never started';
  }
  // A workflow that closed normally finished its job before closing, and the job was read before
  // the describe: read it again, or a job completed meanwhile would be undone as an orphan.
  if (!(await isJobUnfinished(db.pool, job.id))) return true;
  const failure = { code: 'orphaned', message: `The job did not finish: ${reason}.` };
  try {
    if (job.kind === 'import') {
      // undoImport wakes the queued jobs itself.
      await undoImport(deps, job.id, 'failed', { ...failure, message: `${failure.message} Its changes were undone.` });
      return true;
    }
    await finishJob(db.pool, job.id, { status: 'failed', error: failure });
  } catch (error: unknown) {
    // It ended some other way between the read above and the settling: it no longer holds the queue.
    if (error instanceof JobTransitionError) return true;
    throw error;
  }
  await wakeQueuedJobs(deps);
  return true;
}
