import type { JobError, JobStatus } from '@catalog/domain';

/**
 * The contract between the job harness (`runJob`) and a job kind (import, delete-all, and the
 * coming undo): the harness owns the lifecycle — snapshot and `progress` query, the turn, rates,
 * cancel, failure description, the final step out of cancellation's reach — and the kind brings
 * its progress, its steps and how it records its end.
 */

/** What every kind's progress carries beside its own counts. Every kind starts `queued` and ends `done`. */
export type JobProgress = {
  stage: string;
  /** While queued: how many earlier jobs must finish first. Null once it is this job's turn. */
  queuePosition: number | null;
  rowsPerSecond: number;
  updatedAt: string;
};

/** A failed or cancelled job, as its kind's `abort` records it. */
export type JobEnding = { status: Extract<JobStatus, 'failed' | 'cancelled'>; error: JobError };

/** The job as its kind's steps see it: its live progress, and rate sampling on that progress. */
export type Job<P extends JobProgress> = {
  readonly jobId: string;
  readonly progress: P;
  /** Workflow time when the workflow started: a job's duration counts its wait for the turn too. */
  readonly startedAt: number;
  /** A stage that counts something else measures its rate afresh, from `count`. */
  restartRate(count: number): void;
  /** `count` are done now: sets `rowsPerSecond` (since the last sample) and `updatedAt`. */
  sample(count: number): void;
  /**
   * The job left the queue to wait for a person (an import in review): the snapshot says so. The
   * steps have moved the job's row already.
   */
  enterReview(): void;
  /**
   * Takes a turn again, as at the start (the job's row was queued again): status `queued` until
   * it is this job's turn, then `running`. Starting announces the job (import.started).
   */
  waitForTurn(): Promise<void>;
};

/**
 * One job kind, plugged into the harness. `D` is what its steps hand to `complete` (by default
 * the result itself); `R` is the job's result.
 */
export type JobDefinition<P extends JobProgress, R extends Record<string, unknown>, D = R> = {
  jobId: string;
  /** The kind's progress at stage `queued`; the snapshot shares this object, so steps update it in place. */
  progress: P;
  /** How long a queued job waits for a `jobTurn` signal before it looks again anyway (a safety net). */
  turnFallbackMs?: number;
  /** What the job says when cancelled. */
  cancelled: JobError;
  /** What a failure says when the failure itself tells nothing more specific (its code, mostly). */
  failed: JobError;
  /** False when the job's first turn must not announce its start (a reviewed import announces it at apply). */
  announceFirstTurn?: boolean;
  /** Registers the kind's own signal handlers at workflow start, before the job waits for its turn. */
  listen?: (job: Job<P>) => void;
  /** The kind's work, once the job runs. Cancellation reaches it; any failure ends the job. */
  steps: (job: Job<P>) => Promise<D>;
  /** Records success and answers the result. Out of cancellation's reach: once started, the job has landed. */
  complete: (done: D, job: Job<P>) => Promise<R>;
  /**
   * Records a failure or cancellation (undoing what the kind undoes) and answers the result to
   * show, if any. Out of cancellation's reach, and retried until done: it must always happen.
   */
  abort: (ending: JobEnding, job: Job<P>) => Promise<R | null>;
};
