import { type JobKind, jobWorkflowId } from '@catalog/domain';
import { type JobEntity, JobSchema } from '../entities/job.entity';
import type { Database } from '../orm';

/** A job's row as the repository reads it. */
export type JobRecord = JobEntity;

export type NewJob = {
  id: string;
  kind: JobKind;
  fileName?: string;
  fileSize?: number;
  filePath?: string;
  /** For kind `undo`: the import it takes back. */
  undoOf?: string;
};

/**
 * A new job, queued: `seq` (assigned by the database) fixes its turn. Its workflow id carries its
 * kind and is stored with it, so everything that addresses the workflow later reads it from here
 * (jobs created before ids had a kind keep their bare id).
 */
export async function createJob(db: Database, job: NewJob): Promise<JobRecord> {
  const em = db.orm.em.fork();
  const entity = em.create(JobSchema, {
    id: job.id,
    kind: job.kind,
    status: 'queued',
    workflowId: jobWorkflowId(job.kind, job.id),
    fileName: job.fileName ?? null,
    fileSize: job.fileSize ?? null,
    filePath: job.filePath ?? null,
    undoOf: job.undoOf ?? null,
    createdAt: new Date(),
  });
  await em.flush();
  return entity;
}

export function findJob(db: Database, id: string): Promise<JobRecord | null> {
  return db.orm.em.fork().findOne(JobSchema, { id });
}

/** A page of a kind's history, newest first. */
export async function listJobs(
  db: Database,
  kind: JobKind,
  page: number,
  pageSize: number,
): Promise<{ items: JobRecord[]; total: number }> {
  const [items, total] = await db.orm.em
    .fork()
    .findAndCount(
      JobSchema,
      { kind },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
    );
  return { items, total };
}
