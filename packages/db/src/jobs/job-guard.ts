import { finishedStatuses, type JobStatus, jobStatuses } from '@catalog/domain';

/** Every status a job can still leave: whatever is not final. */
export const unfinishedStatuses: readonly JobStatus[] = jobStatuses.filter(
  (status) => !finishedStatuses.includes(status),
);

/**
 * The statuses that hold the queue: a later job waits for a job in one of these. An import waiting
 * in `review` does not: it takes its turn again (queued, with a new `seq`) once it is applied.
 */
export const queueHoldingStatuses: readonly JobStatus[] = ['queued', 'running'];

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
  /** A reviewed import's diff is ready (or computed again): it leaves the queue to wait for a decision. */
  toReview: { from: ['running'], to: 'review', sameAgain: true },
  /** Applied after review: it queues again, behind every job accepted so far. */
  requeue: { from: ['review'], to: 'queued', sameAgain: true },
} satisfies Record<string, Transition | ((to: FinalStatus) => Transition)>;
