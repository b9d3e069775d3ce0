import type { JobKind } from '@catalog/domain';
import type { Database } from '../orm';
import { createJob, findJob, listJobs, type NewJob } from './job-records';
import { failUnstartedJob } from './job-transitions';

/** What the API does with jobs, bound to its database: accept, read, list, and fail one that never started. */
export function createJobRepository(db: Database) {
  return {
    create: (job: NewJob) => createJob(db, job),
    find: (id: string) => findJob(db, id),
    list: (kind: JobKind, page: number, pageSize: number) => listJobs(db, kind, page, pageSize),
    failUnstarted: (id: string, message: string) => failUnstartedJob(db.pool, id, message),
  };
}

export type JobRepository = ReturnType<typeof createJobRepository>;
