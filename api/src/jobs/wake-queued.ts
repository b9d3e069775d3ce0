import { type Database, queuedWorkflowIds } from '@catalog/db';
import { signalNames } from '@catalog/domain';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Logger } from '../logger';
import type { Temporal } from '../temporal';

/**
 * The API ended a job (failed one whose workflow never started): tells the workflows of the jobs
 * still queued that their turn may have come. The worker's activities do the same when a job ends
 * there (activities/src/jobs/wake-queued.ts). Only a hint — a queued workflow also looks at the
 * queue by itself — so no failure here reaches the request.
 */
export async function wakeQueuedJobs(deps: { db: Database; temporal: Temporal; logger: Logger }): Promise<void> {
  let workflowIds: string[];
  try {
    workflowIds = await queuedWorkflowIds(deps.db.pool);
  } catch (error: unknown) {
    deps.logger.warn({ err: error }, 'could not list queued jobs to wake');
    return;
  }
  await Promise.all(
    workflowIds.map(async (workflowId) => {
      try {
        await deps.temporal.client.workflow.getHandle(workflowId).signal(signalNames.jobTurn);
      } catch (error: unknown) {
        if (error instanceof WorkflowNotFoundError)
          deps.logger.debug({ workflowId }, 'queued job has no workflow to wake');
        else deps.logger.warn({ err: error, workflowId }, 'could not wake a queued job');
      }
    }),
  );
}
