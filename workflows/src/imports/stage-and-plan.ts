import type { ImportProgress } from '@catalog/domain';
import { failureTypes } from '@catalog/domain/workflows';
import type { ImportCsvInput } from '../definitions';
import type { Job } from '../jobs/definition';
import { failureType } from '../jobs/failure';
import { dataSteps } from './activities';

/** How often an import stages its file again after its staging data was lost, before it gives up. */
export const MAX_RESTAGES = 3;

export type ImportPlan = Awaited<ReturnType<typeof dataSteps.planImport>>;

/**
 * Stages the file and plans its chunks. Plan, too, finds staging data lost (emptied between the
 * two steps, e.g. by a PostgreSQL crash): then it stages again.
 */
export async function stageAndPlan(input: ImportCsvInput, job: Job<ImportProgress>): Promise<ImportPlan> {
  const { progress } = job;
  for (let restages = 0; ; restages++) {
    progress.stage = 'staging';
    job.restartRate(0);
    const staged = await dataSteps.stageImport(input);
    progress.bytesRead = staged.bytesRead;
    progress.rowsParsed = staged.rowsParsed;
    progress.rowsValid = staged.rowsValid;
    progress.rowsInvalid = staged.rowsInvalid;
    progress.rowsSkipped = staged.rowsSkipped ?? 0;
    try {
      return await dataSteps.planImport({
        jobId: input.jobId,
        chunkRows: input.chunkRows,
        expectedValidRows: staged.rowsValid,
        // A reviewed import waits after planning, out of the queue: it must not leave the indexes dropped.
        deferSearchIndexes: input.review !== undefined,
      });
    } catch (error) {
      if (failureType(error) !== failureTypes.stagingLost || restages >= MAX_RESTAGES) throw error;
    }
  }
}
