import type { ImportProgress } from '@catalog/domain';
import { failureTypes } from '@catalog/domain/workflows';
import type { Job } from '../jobs/definition';
import { failureType } from '../jobs/failure';
import { dataSteps } from './activities';
import type { ImportPlan } from './stage-and-plan';

/**
 * Runs `pending` chunks of `plan` with at most `parallelism` in flight, removing each finished
 * chunk from `pending`. Returns true when staging data was lost and must be rebuilt before going
 * on. Waits for every chunk in flight to settle before reporting a failure, so compensation starts
 * only once nothing else is writing.
 */
export async function applyChunks(
  job: Job<ImportProgress>,
  plan: ImportPlan,
  parallelism: number,
  pending: number[],
): Promise<boolean> {
  const { progress } = job;
  const queue = [...pending];
  let failure: unknown = null;
  let lost = false;

  const runner = async () => {
    for (let chunkNo = queue.shift(); chunkNo !== undefined && failure === null && !lost; chunkNo = queue.shift()) {
      const expectedRows = Math.min(plan.chunkRows, plan.distinctRows - chunkNo * plan.chunkRows);
      try {
        const applied = await dataSteps.applyImportChunk({ jobId: job.jobId, chunkNo, expectedRows });
        progress.inserted += applied.inserted;
        progress.updated += applied.updated;
        progress.unchanged += applied.unchanged;
        progress.rowsApplied += expectedRows;
        job.sample(progress.rowsApplied);
        pending.splice(pending.indexOf(chunkNo), 1);
      } catch (error) {
        if (failureType(error) === failureTypes.stagingLost) lost = true;
        else failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallelism) }, runner));
  if (failure !== null) throw failure;
  return lost;
}
