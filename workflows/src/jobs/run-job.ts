import { failureTypes } from '@catalog/domain/workflows';
import { CancellationScope, isCancellation, setHandler } from '@temporalio/workflow';
import { type JobState, progressQuery } from '../definitions';
import type { Job, JobDefinition, JobEnding, JobProgress } from './definition';
import { describeCancellation, describeFailure, failureType } from './failure';
import { Rate } from './rate';
import { DEFAULT_TURN_FALLBACK_MS, takeTurn } from './take-turn';

/**
 * Every job's lifecycle: queued until its turn, running its kind's steps, then completed (the
 * kind's `complete`), or failed or cancelled (its `abort`); the snapshot `{status, progress,
 * result, error}` answers the `progress` query throughout. The workflow ends as its steps did: a
 * failure or cancel is recorded, then thrown again, so Temporal shows the run as failed or cancelled.
 */
export async function runJob<P extends JobProgress, R extends Record<string, unknown>, D>(
  definition: JobDefinition<P, R, D>,
): Promise<R> {
  const snapshot: JobState<P, R> = { status: 'queued', progress: definition.progress, result: null, error: null };
  // Writes the fields every kind shares; the kind's own fields are typed through `job.progress`.
  const common: JobProgress = definition.progress;
  const fallbackMs = definition.turnFallbackMs ?? DEFAULT_TURN_FALLBACK_MS;
  const turn = async (announce: boolean) => {
    snapshot.status = 'queued';
    common.stage = 'queued';
    await takeTurn(definition.jobId, fallbackMs, announce, (ahead) => {
      common.queuePosition = ahead;
    });
    snapshot.status = 'running';
  };
  const job = liveJob(definition.jobId, definition.progress, {
    enterReview: () => {
      snapshot.status = 'review';
    },
    waitForTurn: () => turn(true),
  });
  setHandler(progressQuery, () => snapshot);
  definition.listen?.(job);

  const end = (status: JobState['status'], result: R | null, error: JobEnding['error'] | null) => {
    common.stage = 'done';
    Object.assign(snapshot, { status, result, error });
  };

  try {
    await turn(definition.announceFirstTurn ?? true);
    const done = await definition.steps(job);
    const result = await CancellationScope.nonCancellable(() => definition.complete(done, job));
    end('completed', result, null);
    return result;
  } catch (error) {
    const ending: JobEnding = isCancellation(error)
      ? { status: 'cancelled', error: describeCancellation(error, definition.cancelled) }
      : { status: 'failed', error: describeFailure(error, definition.failed) };
    // JobNotRunning: the job's row was settled by someone else (failed before its start was
    // confirmed, or undone as an orphan), so recording an end here would be refused, and there is
    // nothing of this run's to undo.
    const settledElsewhere = failureType(error) === failureTypes.jobNotRunning;
    const result = settledElsewhere
      ? null
      : await CancellationScope.nonCancellable(() => definition.abort(ending, job));
    end(ending.status, result, ending.error);
    throw error;
  }
}

function liveJob<P extends JobProgress>(
  jobId: string,
  progress: P,
  lifecycle: Pick<Job<P>, 'enterReview' | 'waitForTurn'>,
): Job<P> {
  const startedAt = Date.now();
  const common: JobProgress = progress;
  const rate = new Rate(startedAt);
  return {
    ...lifecycle,
    jobId,
    progress,
    startedAt,
    restartRate: (count) => rate.restart(Date.now(), count),
    sample: (count) => {
      const now = Date.now();
      common.rowsPerSecond = rate.sample(now, count) ?? common.rowsPerSecond;
      common.updatedAt = new Date(now).toISOString();
    },
  };
}
