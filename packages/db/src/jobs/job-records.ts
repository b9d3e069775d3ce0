import { type Attribution, type JobKind, jobStartedActions, jobWorkflowId } from '@catalog/domain';
import { appendAudit } from '../audit/append-audit';
import { type JobEntity, JobSchema } from '../entities/job.entity';
import type { Database } from '../orm';
import { transactionExecutor } from '../products/transaction-executor';

/** A job's row as the repository reads it. */
export type JobRecord = JobEntity;

export type NewJob = {
  id: string;
  kind: JobKind;
  fileName?: string;
  fileSize?: number;
  filePath?: string;
  /** Who asked for it: stored with the job, and its acceptance is an audit line. */
  by: Attribution;
  /** For kind `undo`: the import it takes back. */
  undoOf?: string;
};

/**
 * A new job, queued: `seq` (assigned by the database) fixes its turn. Its workflow id carries its
 * kind and is stored with it, so everything that addresses the workflow later reads it from here
 * (jobs created before ids had a kind keep their bare id). The job and the audit line of its
 * acceptance (`import.started`, `delete_all.started`) commit together.
 */
export async function createJob(db: Database, job: NewJob): Promise<JobRecord> {
  return db.orm.em.fork().transactional(async (tx) => {
    const entity = tx.create(JobSchema, {
      id: job.id,
      kind: job.kind,
      status: 'queued',
      workflowId: jobWorkflowId(job.kind, job.id),
      fileName: job.fileName ?? null,
      fileSize: job.fileSize ?? null,
      filePath: job.filePath ?? null,
      undoOf: job.undoOf ?? null,
      actorKind: job.by.actor.kind,
      actorId: job.by.actor.id,
      actorLabel: job.by.actor.label,
      createdAt: new Date(),
    });
    await tx.flush();
    await appendAudit(transactionExecutor(tx), job.by, {
      action: jobStartedActions[job.kind],
      target: { type: 'job', id: job.id },
      details: job.fileName === undefined ? { kind: job.kind } : { kind: job.kind, fileName: job.fileName },
    });
    return entity;
  });
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
