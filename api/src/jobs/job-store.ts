import { type Database, type JobEntity, JobSchema } from '@catalog/db';
import type { JobKind } from '@catalog/domain';

export type NewJob = {
  id: string;
  kind: JobKind;
  fileName?: string;
  fileSize?: number;
  filePath?: string;
};

/** The jobs aggregate: rows for background jobs, read and written through a forked entity manager. */
export function createJobStore(db: Database) {
  const em = () => db.orm.em.fork();
  return {
    async create(job: NewJob): Promise<JobEntity> {
      const fork = em();
      const entity = fork.create(JobSchema, {
        id: job.id,
        kind: job.kind,
        status: 'queued',
        fileName: job.fileName ?? null,
        fileSize: job.fileSize ?? null,
        filePath: job.filePath ?? null,
        createdAt: new Date(),
      });
      await fork.flush();
      return entity;
    },

    find(id: string): Promise<JobEntity | null> {
      return em().findOne(JobSchema, { id });
    },

    async list(kind: JobKind, page: number, pageSize: number): Promise<{ items: JobEntity[]; total: number }> {
      const [items, total] = await em().findAndCount(
        JobSchema,
        { kind },
        { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize },
      );
      return { items, total };
    },

    /**
     * Marks a job that never reached Temporal as failed, so it does not hold up the queue. Only a
     * queued one: a job its workflow already took as running is that workflow's to settle.
     */
    async failUnstarted(id: string, message: string): Promise<void> {
      await em().nativeUpdate(
        JobSchema,
        { id, status: 'queued' },
        { status: 'failed', error: { code: 'not_started', message }, finishedAt: new Date() },
      );
    },
  };
}

export type JobStore = ReturnType<typeof createJobStore>;
