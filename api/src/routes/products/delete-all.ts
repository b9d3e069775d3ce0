import { randomUUID } from 'node:crypto';
import { type Attribution, workflowTypes } from '@catalog/domain';
import type { BulkDeleteInput } from '@catalog/workflows';
import type { AppDeps } from '../../deps';
import { startJobWorkflow } from '../../jobs/job-actions';
import { deleteAllWorkflowMetadata } from '../../jobs/workflow-metadata';

/** Rows per DELETE statement: large enough to amortize a commit, small enough to cancel promptly. */
const BATCH_ROWS = 25_000;
/** How long one activity deletes before reporting back: progress reaches the UI about twice a second. */
const SLICE_MS = 500;

/**
 * Records a `bulk_delete` job and starts its workflow (`delete-all-<job id>`). The job takes its turn
 * in the same queue as imports, in the order jobs were accepted.
 */
export async function startDeleteAll(deps: AppDeps, by: Attribution): Promise<string> {
  const jobId = randomUUID();
  const job = await deps.jobs.create({ id: jobId, kind: 'bulk_delete', by });
  const input: BulkDeleteInput = { jobId, batchRows: BATCH_ROWS, sliceMs: SLICE_MS };
  await startJobWorkflow(deps, job, (workflowId) =>
    deps.temporal.client.workflow.start(workflowTypes.bulkDelete, {
      workflowId,
      taskQueue: deps.temporal.taskQueue,
      args: [input],
      ...deleteAllWorkflowMetadata(by.actor),
    }),
  );
  deps.metrics.jobsStarted.inc({ kind: 'bulk_delete' });
  return jobId;
}
