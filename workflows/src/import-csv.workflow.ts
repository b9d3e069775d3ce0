import type { ImportActivities } from '@catalog/activities';
import type { ImportProgress, ImportResult, JobError } from '@catalog/domain';
import { failureTypes } from '@catalog/domain/workflows';
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { type ImportCsvInput, type ImportSnapshot, progressQuery, stagingProgressSignal } from './definitions';
import { takeTurn } from './job-turn';

/**
 * Long data steps heartbeat; a worker killed mid-step is noticed within the heartbeat timeout and
 * the step runs again elsewhere (each is idempotent). Cancellation waits for the activity to
 * acknowledge, so compensation never races a chunk that is still writing.
 */
const dataSteps = proxyActivities<ImportActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '20 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    maximumAttempts: 20,
    nonRetryableErrorTypes: [failureTypes.badFile, failureTypes.stagingLost],
  },
});

/** Finalize and compensate touch every row of a large import: long, heartbeating, retried until done. */
const settlement = proxyActivities<ImportActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const MAX_RESTAGES = 3;

/**
 * Stage the file, wait for this import's turn, apply it in disjoint SKU-key chunks, finalize.
 * Any failure or cancellation runs the compensation, so the catalog is as it was before.
 */
export async function ImportCsvWorkflow(input: ImportCsvInput): Promise<ImportResult> {
  const startedAt = Date.now();
  const snapshot: ImportSnapshot = { status: 'queued', progress: initialProgress(input), result: null, error: null };
  const progress = snapshot.progress;
  let lastRateSample = { at: startedAt, rows: 0 };

  const touch = (rowsNow: number) => {
    const now = Date.now();
    if (now > lastRateSample.at) {
      progress.rowsPerSecond = Math.round(((rowsNow - lastRateSample.rows) * 1000) / (now - lastRateSample.at));
      lastRateSample = { at: now, rows: rowsNow };
    }
    progress.updatedAt = new Date(now).toISOString();
  };

  setHandler(progressQuery, () => snapshot);
  setHandler(stagingProgressSignal, (staging) => {
    if (progress.stage !== 'staging') return;
    Object.assign(progress, staging);
    touch(staging.rowsParsed);
  });

  try {
    await takeTurn(input.jobId, (ahead) => {
      progress.queuePosition = ahead;
    });
    snapshot.status = 'running';

    let plan = await stageAndPlan(input, snapshot, () => (lastRateSample = { at: Date.now(), rows: 0 }));
    progress.stage = 'applying';
    progress.rowsToApply = plan.distinctRows;
    lastRateSample = { at: Date.now(), rows: 0 };

    const pending = Array.from({ length: plan.chunks }, (_, chunkNo) => chunkNo);
    for (let restages = 0; pending.length > 0; restages++) {
      const lost = await applyChunks(input, plan.chunkRows, plan.distinctRows, pending, snapshot, touch);
      if (!lost) break;
      if (restages >= MAX_RESTAGES)
        throw ApplicationFailure.nonRetryable('Staging data was lost repeatedly', 'StagingLost');
      plan = await stageAndPlan(input, snapshot, () => undefined);
      progress.stage = 'applying';
    }

    progress.stage = 'finalizing';
    const result: ImportResult = {
      rowsRead: progress.rowsParsed,
      inserted: progress.inserted,
      updated: progress.updated,
      unchanged: progress.unchanged,
      invalid: progress.rowsInvalid,
      durationMs: Date.now() - startedAt,
    };
    // Past this point the import has landed: a late cancel request no longer undoes it.
    await CancellationScope.nonCancellable(() => settlement.finalizeImport({ jobId: input.jobId, result, progress }));
    progress.stage = 'done';
    snapshot.status = 'completed';
    snapshot.result = result;
    return result;
  } catch (error) {
    const cancelled = isCancellation(error);
    const jobError: JobError = cancelled
      ? { code: 'cancelled', message: 'The import was cancelled; the catalog is unchanged' }
      : describeFailure(error);
    await CancellationScope.nonCancellable(() =>
      settlement.compensateImport({ jobId: input.jobId, status: cancelled ? 'cancelled' : 'failed', error: jobError }),
    );
    progress.stage = 'done';
    snapshot.status = cancelled ? 'cancelled' : 'failed';
    snapshot.error = jobError;
    throw error;
  }
}

/** Plan, too, finds staging data lost (emptied between the two steps): then it stages again. */
async function stageAndPlan(input: ImportCsvInput, snapshot: ImportSnapshot, onStart: () => void) {
  const progress = snapshot.progress;
  for (let restages = 0; ; restages++) {
    progress.stage = 'staging';
    onStart();
    const staged = await dataSteps.stageImport(input);
    Object.assign(progress, {
      bytesRead: staged.bytesRead,
      rowsParsed: staged.rowsParsed,
      rowsValid: staged.rowsValid,
      rowsInvalid: staged.rowsInvalid,
    });
    try {
      return await dataSteps.planImport({
        jobId: input.jobId,
        chunkRows: input.chunkRows,
        expectedValidRows: staged.rowsValid,
      });
    } catch (error) {
      if (failureType(error) !== failureTypes.stagingLost || restages >= MAX_RESTAGES) throw error;
    }
  }
}

/**
 * Runs `pending` chunks with at most `parallelism` in flight. Removes each finished chunk from
 * `pending`. Returns true when staging data was lost and must be rebuilt before continuing.
 * Waits for every in-flight chunk to settle before reporting a failure, so compensation starts
 * only once nothing else is writing.
 */
async function applyChunks(
  input: ImportCsvInput,
  chunkRows: number,
  distinctRows: number,
  pending: number[],
  snapshot: ImportSnapshot,
  touch: (rowsNow: number) => void,
): Promise<boolean> {
  const progress = snapshot.progress;
  const queue = [...pending];
  let failure: unknown = null;
  let lost = false;

  const runner = async () => {
    for (let chunkNo = queue.shift(); chunkNo !== undefined && failure === null && !lost; chunkNo = queue.shift()) {
      const expectedRows = Math.min(chunkRows, distinctRows - chunkNo * chunkRows);
      try {
        const applied = await dataSteps.applyImportChunk({ jobId: input.jobId, chunkNo, expectedRows });
        progress.inserted += applied.inserted;
        progress.updated += applied.updated;
        progress.unchanged += applied.unchanged;
        progress.rowsApplied += expectedRows;
        touch(progress.rowsApplied);
        pending.splice(pending.indexOf(chunkNo), 1);
      } catch (error) {
        if (failureType(error) === failureTypes.stagingLost) lost = true;
        else failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.parallelism) }, runner));
  if (failure !== null) throw failure;
  return lost;
}

function failureType(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

function describeFailure(error: unknown): JobError {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    return { code: cause.type === failureTypes.badFile ? 'bad_file' : 'import_failed', message: cause.message };
  }
  return { code: 'import_failed', message: cause instanceof Error ? cause.message : 'The import failed' };
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
    rowsToApply: 0,
    rowsApplied: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rowsPerSecond: 0,
    updatedAt: new Date().toISOString(),
  };
}
