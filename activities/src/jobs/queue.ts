import { appendEvent } from '@catalog/db';
import type { JobActivityDeps } from '../deps';
import { inTransaction } from '../transaction';
import { type BlockingJob, blockingJobsSql, settleIfOrphaned } from './orphans';
import { jobNotRunning } from './running';

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

    /**
     * Queued → running, once; an import announces itself (import.started) in the same transaction.
     * A job that is neither queued nor running (marked failed while its start was unconfirmed)
     * fails the workflow before it touches the catalog; already running means an earlier attempt
     * of this activity committed and its answer was lost.
     */
    async markJobRunning(jobId: string): Promise<void> {
      await inTransaction(db, async (client) => {
        const current = await client.query<{
          status: string;
          kind: string;
          file_name: string | null;
          file_size: string | null;
        }>(`select status, kind, file_name, file_size from jobs where id = $1 for update`, [jobId]);
        const job = current.rows[0];
        if (job?.status === 'running') return;
        if (job?.status !== 'queued') throw jobNotRunning(jobId, job?.status, 'starting it');
        await client.query(`update jobs set status = 'running', started_at = now() where id = $1`, [jobId]);
        if (job.kind === 'import') {
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
