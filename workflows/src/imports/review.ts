import type { Attribution, ImportProgress, ReviewInvalidated } from '@catalog/domain';
import { failureTypes } from '@catalog/domain/workflows';
import { condition, setHandler } from '@temporalio/workflow';
import { applyReviewSignal, type ImportCsvInput } from '../definitions';
import type { Job } from '../jobs/definition';
import { endAsCancelled, failureType } from '../jobs/failure';
import { dataSteps } from './activities';
import { type ImportPlan, stageAndPlan } from './stage-and-plan';

/** Who applied the review the import waits in, once someone did. */
type Decision = { by: Attribution | null };

/**
 * Registers the apply signal at workflow start. An apply is kept as soon as it arrives, even before
 * the workflow starts waiting: the API accepts one once the diff's activity has committed status
 * `review`, which is before the workflow sees that activity complete. What arrived before a diff
 * was computed is forgotten when it starts (see reviewThenTurn), so an apply is never carried over
 * to a diff nobody saw.
 */
export function listenForApply(): Decision {
  const decision: Decision = { by: null };
  setHandler(applyReviewSignal, (by) => {
    if (decision.by === null) decision.by = by;
  });
  return decision;
}

/**
 * Review before apply, inside the import's first turn: stage and plan, compute the diff, leave the
 * queue (status `review`) and wait for apply; then take a turn again, and there check that no
 * product this import touches changed since the diff. If some did, the diff is computed again and
 * the import waits in review once more, saying how many changed. Answers the plan to apply.
 * Without a decision within the timeout the import is discarded (cancelled, nothing applied).
 */
export async function reviewThenTurn(
  input: ImportCsvInput & { review: { timeoutMs: number } },
  job: Job<ImportProgress>,
  decision: Decision,
): Promise<ImportPlan> {
  const { progress } = job;
  let plan = await stageAndPlan(input, job);
  let invalidated: ReviewInvalidated | null = null;
  for (;;) {
    // The API refuses applies until this diff's `review` status commits: any decision held now was
    // made on an earlier diff.
    decision.by = null;
    progress.stage = 'diffing';
    progress.review = await dataSteps.diffImport({
      jobId: input.jobId,
      progress: { ...progress, reviewInvalidated: invalidated },
      ...(invalidated ? { invalidated } : {}),
    });
    progress.reviewInvalidated = invalidated;
    progress.stage = 'review';
    job.enterReview();

    const decided = await condition(() => decision.by !== null, input.review.timeoutMs);
    if (!decided || decision.by === null) {
      throw endAsCancelled({
        code: 'review_expired',
        message: 'Nobody applied the import within the review time; it was discarded and the catalog is unchanged',
      });
    }
    await dataSteps.requeueReviewedImport({ jobId: input.jobId, by: decision.by });
    await job.waitForTurn();
    progress.stage = 'diffing';
    let rowsChanged: number;
    try {
      ({ rowsChanged } = await dataSteps.verifyReview({ jobId: input.jobId, distinctRows: plan.distinctRows }));
    } catch (error) {
      // Its tables are logged once reviewed, so only a restore of the database loses them: read the file again.
      if (failureType(error) !== failureTypes.stagingLost) throw error;
      plan = await stageAndPlan(input, job);
      rowsChanged = plan.distinctRows;
    }
    if (rowsChanged === 0) return plan;
    invalidated = { rowsChanged, at: new Date().toISOString() };
  }
}
