import { finishedStatuses, type JobStatus, jobStatuses } from '@catalog/domain';

/** Every status a job can still leave: whatever is not final. Such a job holds the queue. */
export const unfinishedStatuses: readonly JobStatus[] = jobStatuses.filter(
  (status) => !finishedStatuses.includes(status),
);

export type FinalStatus = Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;

/**
 * The one guard: each transition names the statuses it may leave. `sameAgain` says whether finding
 * the job already in the target status counts as done — true where a retried activity whose first
 * attempt committed calls it again (start, finish); false where a second call means something else
 * happened (failing a job whose start could not be confirmed).
 */
export type Transition = { from: readonly JobStatus[]; to: JobStatus; sameAgain: boolean };

export const transitions = {
  start: { from: ['queued'], to: 'running', sameAgain: true },
  finish: (to: FinalStatus): Transition => ({ from: unfinishedStatuses, to, sameAgain: true }),
  failUnstarted: { from: ['queued'], to: 'failed', sameAgain: false },
} satisfies Record<string, Transition | ((to: FinalStatus) => Transition)>;
