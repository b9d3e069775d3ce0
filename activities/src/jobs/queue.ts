import type { ActivityDeps } from '../deps';

/**
 * Background jobs that write the whole catalog (imports, delete-all) take turns in the order they
 * were accepted (`jobs.seq`). A job's turn comes when no earlier such job is still queued or running.
 */
export function createJobQueueActivities({ db }: ActivityDeps) {
  return {
    async jobQueuePosition(jobId: string): Promise<number> {
      const { rows } = await db.pool.query<{ ahead: number }>(
        `select count(*)::int as ahead from jobs
         where seq < (select seq from jobs where id = $1)
           and status in ('queued', 'running')
           and kind in ('import', 'bulk_delete')`,
        [jobId],
      );
      return rows[0]?.ahead ?? 0;
    },

    async markJobRunning(jobId: string): Promise<void> {
      await db.pool.query(
        `update jobs set status = 'running', started_at = coalesce(started_at, now())
         where id = $1 and status in ('queued', 'running')`,
        [jobId],
      );
    },
  };
}
