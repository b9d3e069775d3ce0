import { appendEvent } from '@catalog/db';
import type { JobActivityDeps } from '../deps';
import { inTransaction } from '../transaction';
import { type BlockingJob, blockingJobsSql, settleIfOrphaned } from './orphans';

/**
 * Background jobs that write the whole catalog (imports, delete-all) take turns in the order they
 * were accepted (`jobs.seq`). A job's turn comes when no earlier such job is still queued or running.
 */
export function createJobQueueActivities(deps: JobActivityDeps) {
  const { db } = deps;
  return {
    /** How many earlier jobs must finish before this one may start; settles orphans on the way. */
    async jobQueuePosition(jobId: string): Promise<number> {
      const { rows } = await db.pool.query<BlockingJob>(blockingJobsSql, [jobId]);
      let ahead = 0;
      for (const job of rows) if (!(await settleIfOrphaned(deps, job))) ahead++;
      return ahead;
    },

    /** Queued → running, once; an import announces itself (import.started) in the same transaction. */
    async markJobRunning(jobId: string): Promise<void> {
      await inTransaction(db, async (client) => {
        const started = await client.query<{ kind: string; file_name: string | null; file_size: string | null }>(
          `update jobs set status = 'running', started_at = now()
           where id = $1 and status = 'queued'
           returning kind, file_name, file_size`,
          [jobId],
        );
        const job = started.rows[0];
        if (job?.kind === 'import') {
          await appendEvent(client, 'import.started', {
            importId: jobId,
            fileName: job.file_name,
            fileSize: Number(job.file_size ?? 0),
          });
        }
      });
    },
  };
}
