import type { ImportProgress, ImportResult } from '@catalog/domain';
import { failureTypes } from '@catalog/domain/workflows';
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { type ImportCsvInput, stagingProgressSignal } from './definitions';
import { settlement } from './imports/activities';
import { applyChunks } from './imports/apply-chunks';
import { listenForApply, reviewThenTurn } from './imports/review';
import { MAX_RESTAGES, stageAndPlan } from './imports/stage-and-plan';
import type { Job, JobEnding } from './jobs/definition';
import { runJob } from './jobs/run-job';

/**
 * An import as a job: once its turn comes, stage the file, apply it in disjoint SKU-key chunks,
 * finalize. Any failure or cancellation runs the compensation, so the catalog is as it was before.
 * A reviewed import waits in review between planning and applying (see `reviewThenTurn`).
 */
export async function ImportCsvWorkflow(input: ImportCsvInput): Promise<ImportResult> {
  let decision: ReturnType<typeof listenForApply> = { by: null };
  return runJob({
    jobId: input.jobId,
    progress: initialProgress(input),
    turnFallbackMs: input.turnFallbackMs,
    cancelled: { code: 'cancelled', message: 'The import was cancelled; the catalog is unchanged' },
    failed: { code: 'import_failed', message: 'The import failed' },
    announceFirstTurn: input.review === undefined,
    listen: (job) => {
      listenToStaging(job);
      decision = listenForApply();
    },
    steps: (job) => importFile(input, job, decision),
    // The harness runs this out of cancellation's reach: past this point the import has landed, and
    // a late cancel request no longer undoes it.
    complete: async (result, job) => {
      await settlement.finalizeImport({ jobId: input.jobId, result, progress: job.progress });
      return result;
    },
    abort: async ({ status, error }: JobEnding) => {
      await settlement.compensateImport({ jobId: input.jobId, status, error });
      return null;
    },
  });
}

async function importFile(
  input: ImportCsvInput,
  job: Job<ImportProgress>,
  decision: ReturnType<typeof listenForApply>,
): Promise<ImportResult> {
  const { progress } = job;
  const { review } = input;
  let plan = review ? await reviewThenTurn({ ...input, review }, job, decision) : await stageAndPlan(input, job);
  progress.stage = 'applying';
  progress.rowsToApply = plan.distinctRows;
  job.restartRate(0);

  const pending = Array.from({ length: plan.chunks }, (_, chunkNo) => chunkNo);
  for (let restages = 0; pending.length > 0; restages++) {
    const lost = await applyChunks(job, plan, input.parallelism, pending);
    if (!lost) break;
    if (restages >= MAX_RESTAGES)
      throw ApplicationFailure.nonRetryable('Staging data was lost repeatedly', failureTypes.stagingLost);
    plan = await stageAndPlan(input, job);
    progress.stage = 'applying';
    job.restartRate(progress.rowsApplied);
  }

  progress.stage = 'finalizing';
  return {
    rowsRead: progress.rowsParsed,
    inserted: progress.inserted,
    updated: progress.updated,
    unchanged: progress.unchanged,
    invalid: progress.rowsInvalid,
    ...(input.mapping ? { skipped: progress.rowsSkipped } : {}),
    durationMs: Date.now() - job.startedAt,
  };
}

/** The staging activity reports what it has read so far, so progress lives in workflow state. */
function listenToStaging(job: Job<ImportProgress>): void {
  setHandler(stagingProgressSignal, (staging) => {
    // A report sent before this import stages (a late one from an earlier attempt) says nothing about now.
    if (job.progress.stage !== 'staging') return;
    job.progress.bytesRead = staging.bytesRead;
    job.progress.rowsParsed = staging.rowsParsed;
    job.progress.rowsValid = staging.rowsValid;
    job.progress.rowsInvalid = staging.rowsInvalid;
    job.progress.rowsSkipped = staging.rowsSkipped ?? 0;
    job.sample(staging.rowsParsed);
  });
}

function initialProgress(input: ImportCsvInput): ImportProgress {
  return {
    stage: 'queued',
    queuePosition: null,
    bytesRead: 0,
    bytesTotal: input.fileSize,
    rowsParsed: 0,
    rowsValid: 0,
    rowsInvalid: 0,
    rowsSkipped: 0,
    rowsToApply: 0,
    rowsApplied: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rowsPerSecond: 0,
    updatedAt: new Date().toISOString(),
  };
}
