export { jobActor } from './job-actor';
export { type FoundStatus, JobNotRunningError, JobStateError, JobTransitionError } from './job-errors';
export { type FinalStatus, queueHoldingStatuses, unfinishedStatuses } from './job-guard';
export { activeJobFilePaths, jobFilePath, jobsFinishedBefore, lastJobDurationMs } from './job-housekeeping';
export {
  isJobRunning,
  isJobUnfinished,
  jobsAhead,
  type QueuedJob,
  queuedWorkflowIds,
  unfinishedJobs,
} from './job-queue';
export { createJob, findJob, type JobRecord, listJobs, type NewJob } from './job-records';
export { createJobRepository, type JobRepository } from './job-repository';
export type { JobSql } from './job-sql';
export {
  failUnstartedJob,
  finishJob,
  type JobOutcome,
  moveJobToReview,
  requeueReviewedJob,
  requireJobRunning,
  type StartedJob,
  startJob,
} from './job-transitions';
export {
  createUndoJob,
  type ImportUndoState,
  importUndoStates,
  type UndoConflictRow,
  undoConflictsPage,
} from './job-undo';
