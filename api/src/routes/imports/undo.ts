import { randomUUID } from 'node:crypto';
import type { ImportUndoState, JobRecord } from '@catalog/db';
import { type AppError, type Attribution, errors, workflowTypes } from '@catalog/domain';
import type { UndoImportInput } from '@catalog/workflows';
import type { AppDeps } from '../../deps';
import { startJobWorkflow } from '../../jobs/job-actions';
import { undoWorkflowMetadata } from '../../jobs/workflow-metadata';

const DAY_MS = 24 * 3_600_000;
/** Log rows per undo transaction: large enough to amortize a commit, small enough to cancel promptly. */
const BATCH_ROWS = 10_000;
/** How long one activity undoes before reporting back: progress reaches the UI about twice a second. */
const SLICE_MS = 500;

/** When a completed import stops being undoable (its undo data is pruned soon after). */
export const undoWindowEnd = (finishedAt: Date, retentionDays: number): Date =>
  new Date(finishedAt.getTime() + retentionDays * DAY_MS);

/**
 * Why `job` cannot be undone now, or null when it can: only a completed import, within
 * UNDO_RETENTION_DAYS, whose undo log was kept, and that no undo is taking back or has taken back.
 * An undo is not undoable (it would need its own log, and "undo the undo" is importing again).
 */
export function refuseUndo(
  job: JobRecord,
  state: ImportUndoState,
  retentionDays: number,
  now = new Date(),
): AppError | null {
  const details = { importId: job.id, status: job.status };
  if (job.kind === 'undo') {
    return errors.undoRefused('undo_not_undoable', 'An undo cannot be undone: import the file again instead', details);
  }
  if (job.status === 'queued' || job.status === 'running' || job.status === 'review') {
    return errors.undoRefused('import_not_completed', 'The import has not finished yet; cancel it instead', details);
  }
  if (job.status !== 'completed') {
    return errors.undoRefused(
      'import_not_completed',
      `The import was ${job.status}: what it had applied was already undone when it ended`,
      details,
    );
  }
  if (state.undo?.status === 'completed') {
    return errors.undoRefused('already_undone', 'The import was already undone', {
      ...details,
      undoJobId: state.undo.id,
    });
  }
  if (state.undo?.status === 'queued' || state.undo?.status === 'running') {
    return errors.undoRefused('undo_in_progress', 'An undo of this import is already under way', {
      ...details,
      undoJobId: state.undo.id,
    });
  }
  const until = job.finishedAt ? undoWindowEnd(job.finishedAt, retentionDays) : now;
  if (!state.logKept || until <= now) {
    return errors.undoRefused(
      'undo_expired',
      `Imports can be undone for ${retentionDays} days after they finish; this one's changes are no longer kept`,
      { ...details, retentionDays },
    );
  }
  return null;
}

/**
 * Records an `undo` job for the import and starts its workflow (`undo-<job id>`): it takes its turn
 * in the same queue as imports and delete-all, in the order jobs were accepted.
 */
export async function startUndo(deps: AppDeps, by: Attribution, importId: string): Promise<string> {
  const retentionDays = deps.config.UNDO_RETENTION_DAYS;
  const target = await deps.jobs.find(importId);
  if (!target || (target.kind !== 'import' && target.kind !== 'undo')) throw errors.notFound('Import', importId);
  const refusal = refuseUndo(target, await undoStateOf(deps, importId), retentionDays);
  if (refusal) throw refusal;

  const jobId = randomUUID();
  const job = await deps.jobs.createUndo(jobId, importId, by);
  // Another request got its undo in first (the unique index decided): refuse as that one would now.
  if (!job) throw refuseUndo(target, await undoStateOf(deps, importId), retentionDays) ?? alreadyStarted(importId);
  const input: UndoImportInput = { jobId, importId, batchRows: BATCH_ROWS, sliceMs: SLICE_MS };
  await startJobWorkflow(deps, job, (workflowId) =>
    deps.temporal.client.workflow.start(workflowTypes.undoImport, {
      workflowId,
      taskQueue: deps.temporal.taskQueue,
      args: [input],
      ...undoWorkflowMetadata(target.fileName ?? importId, by.actor),
    }),
  );
  deps.metrics.jobsStarted.inc({ kind: 'undo' });
  return jobId;
}

async function undoStateOf(deps: AppDeps, importId: string): Promise<ImportUndoState> {
  return (await deps.jobs.undoStates([importId])).get(importId) ?? { logKept: false, undo: null };
}

const alreadyStarted = (importId: string) =>
  errors.undoRefused('undo_in_progress', 'An undo of this import is already under way', { importId });
