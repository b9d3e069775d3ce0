import { JobStateError } from '@catalog/db';
import { failureTypes } from '@catalog/domain';
import { ApplicationFailure } from '@temporalio/common';

/**
 * Runs one step of a job's workflow, turning the repository's refusal (the job is not in a status
 * the step needs: failed before its start was confirmed, settled as an orphan, cancelled) into the
 * non-retryable `JobNotRunning` failure: the workflow must stop without touching the catalog, and
 * retrying cannot change the row.
 */
export async function asJobStep<T>(step: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error: unknown) {
    if (!(error instanceof JobStateError)) throw error;
    throw ApplicationFailure.create({
      message: `${error.message}: ${step} was refused`,
      type: failureTypes.jobNotRunning,
      nonRetryable: true,
      cause: error,
    });
  }
}
