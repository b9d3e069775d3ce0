import { queuedWorkflowIds } from '@catalog/db';
import { signalNames } from '@catalog/domain';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ActivityDeps } from '../deps';

/**
 * A job ended: tells the workflow of every job still queued that its turn may have come, so it asks
 * for its queue position at once instead of at its fallback timer. Called after the ending
 * transaction committed. Waking is only a hint — a workflow not started yet (or already gone) looks
 * at the queue by itself — so no failure here may fail the step that ended the job.
 */
export async function wakeQueuedJobs({ db, temporal, logger }: ActivityDeps): Promise<void> {
  let workflowIds: string[];
  try {
    workflowIds = await queuedWorkflowIds(db.pool);
  } catch (error: unknown) {
    logger.warn({ err: error }, 'could not list queued jobs to wake');
    return;
  }
  await Promise.all(
    workflowIds.map(async (workflowId) => {
      try {
        await temporal.workflow.getHandle(workflowId).signal(signalNames.jobTurn);
      } catch (error: unknown) {
        if (error instanceof WorkflowNotFoundError) logger.debug({ workflowId }, 'queued job has no workflow to wake');
        else logger.warn({ err: error, workflowId }, 'could not wake a queued job');
      }
    }),
  );
}
