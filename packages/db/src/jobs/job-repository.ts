import type { Attribution, JobKind } from '@catalog/domain';
import type { Database } from '../orm';
import { createJob, findJob, listJobs, type NewJob } from './job-records';
import { failUnstartedJob } from './job-transitions';
import { createUndoJob, importUndoStates } from './job-undo';

/** What the API does with jobs, bound to its database: accept, read, list, and fail one that never started; undo jobs and the undo state of imports. */
export function createJobRepository(db: Database) {
  return {
    create: (job: NewJob) => createJob(db, job),
    find: (id: string) => findJob(db, id),
    list: (kind: JobKind, page: number, pageSize: number) => listJobs(db, kind, page, pageSize),
    failUnstarted: (id: string, message: string) => failUnstartedJob(db.pool, id, message),
    createUndo: (id: string, importId: string, by: Attribution) => createUndoJob(db, id, importId, by),
    undoStates: (importIds: string[]) => importUndoStates(db.pool, importIds),
  };
}

export type JobRepository = ReturnType<typeof createJobRepository>;
