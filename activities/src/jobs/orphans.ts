import { WorkflowNotFoundError } from '@temporalio/client';
import type { JobActivityDeps } from '../deps';
import { undoImport } from '../imports/finalize';

/** A job created this recently may still be waiting for the API to start its workflow. */
const START_GRACE_SECONDS = 60;

export type BlockingJob = { id: string; kind: string; old: boolean };

/**
 * A job that holds the queue but whose workflow can no longer finish it: terminated or timed out
 * from the Temporal UI, or never started because the API died between the job row and the start.
 * Left alone it would block every later import forever. An orphaned import is undone (its undo
 * log is still there), a delete-all keeps what it deleted, and either is recorded as failed.
 * Returns true when the job no longer holds the queue: settled here, or finished meanwhile.
 */
export async function settleIfOrphaned({ db, temporal, uploads }: JobActivityDeps, job: BlockingJob): Promise<boolean> {
  let reason: string;
  try {
    const { status } = await temporal.workflow.getHandle(job.id).describe();
    if (status.name === 'RUNNING') return false;
    reason = `its workflow ended as ${status.name.toLowerCase()} before finishing the job`;
  } catch (error: unknown) {
    if (!(error instanceof WorkflowNotFoundError) || !job.old) return false;
    reason = 'its workflow was never started';
  }
  // A workflow that closed normally finished its job before closing, and the job was read before
  // the describe: read it again, or a job completed meanwhile would be undone as an orphan.
  const current = await db.pool.query(`select 1 from jobs where id = $1 and status in ('queued', 'running')`, [job.id]);
  if (current.rowCount === 0) return true;
  const failure = { code: 'orphaned', message: `The job did not finish: ${reason}.` };
  if (job.kind === 'import') {
    await undoImport(db, uploads, job.id, 'failed', {
      ...failure,
      message: `${failure.message} Its changes were undone.`,
    });
    return true;
  }
  await db.pool.query(
    `update jobs set status = 'failed', error = $2, finished_at = now() where id = $1 and status in ('queued', 'running')`,
    [job.id, JSON.stringify(failure)],
  );
  return true;
}

export const blockingJobsSql = `
  select id, kind, created_at < now() - interval '${START_GRACE_SECONDS} seconds' as old
  from jobs
  where seq < (select seq from jobs where id = $1)
    and status in ('queued', 'running')
    and kind in ('import', 'bulk_delete')
  order by seq`;

/** Every job that may hold the queue, oldest first: what the scheduled orphan reaper looks at. */
export const unfinishedJobsSql = `
  select id, kind, created_at < now() - interval '${START_GRACE_SECONDS} seconds' as old
  from jobs
  where status in ('queued', 'running')
    and kind in ('import', 'bulk_delete')
  order by seq`;
