import type { JobStatus } from '@catalog/domain';

/** What a job's row held when a step needed something else: its status, or `missing` when there is no row. */
export type FoundStatus = JobStatus | 'missing';

/** A step on a job that its row refused: the caller decides what that means (activities: stop the workflow). */
export abstract class JobStateError extends Error {
  abstract readonly code: string;
  constructor(
    readonly jobId: string,
    readonly found: FoundStatus,
    message: string,
  ) {
    super(message);
  }
}

/** A transition that did not happen because the job was not in a status it may leave. */
export class JobTransitionError extends JobStateError {
  readonly code = 'job_transition_refused';
  override readonly name = 'JobTransitionError';
  constructor(
    jobId: string,
    readonly from: readonly JobStatus[],
    readonly to: JobStatus,
    found: FoundStatus,
  ) {
    super(jobId, found, `Job ${jobId} is ${found}: it moves to ${to} only from ${from.join(' or ')}`);
  }
}

/** A step that may only run while its job is running (a chunk, a delete batch) found it otherwise. */
export class JobNotRunningError extends JobStateError {
  readonly code = 'job_not_running';
  override readonly name = 'JobNotRunningError';
  constructor(jobId: string, found: FoundStatus) {
    super(jobId, found, `Job ${jobId} is ${found}, not running`);
  }
}
