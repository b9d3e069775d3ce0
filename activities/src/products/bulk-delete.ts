import { appendEvent, finishJob, jobActor } from '@catalog/db';
import type { BulkDeleteResult, JobError, JobStatus } from '@catalog/domain';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import { asJobStep } from '../jobs/running';
import { wakeQueuedJobs } from '../jobs/wake-queued';
import { inTransaction } from '../transaction';
import { deleteNextBatch } from './delete-batch';

export type BulkDeletePlan = { total: number; deleted: number };
export type DeleteSliceInput = { jobId: string; batchRows: number; sliceMs: number };
export type DeleteSliceResult = { deleted: number; done: boolean };
export type FinishBulkDeleteInput = {
  jobId: string;
  status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;
  error: JobError | null;
  durationMs: number;
};

/**
 * Delete-all in three steps. `planBulkDelete` fixes, once, which products the job deletes: every
 * product whose id is at most the largest id at that moment (products created later are kept).
 * `deleteProductSlice` deletes batches for about `sliceMs`, so the workflow hears progress about
 * twice a second; each batch commits on its own with the job's cursor, so a retried slice (worker
 * killed) continues exactly where the last commit left off, and a cancel keeps what is done.
 * `finishBulkDelete` records the outcome and the `products.bulk_deleted` event in one transaction,
 * then wakes the queued jobs.
 */
export function createBulkDeleteActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    async planBulkDelete(jobId: string): Promise<BulkDeletePlan> {
      await db.pool.query(
        `insert into bulk_deletes (job_id, max_id, total)
         select $1, coalesce((select max(id) from products), 0),
                coalesce((select sum(active + inactive) from product_counts), 0)
         on conflict (job_id) do nothing`,
        [jobId],
      );
      const { rows } = await db.pool.query<{ total: string; deleted: string }>(
        `select total, deleted from bulk_deletes where job_id = $1`,
        [jobId],
      );
      return { total: Number(rows[0]?.total ?? 0), deleted: Number(rows[0]?.deleted ?? 0) };
    },

    async deleteProductSlice({ jobId, batchRows, sliceMs }: DeleteSliceInput): Promise<DeleteSliceResult> {
      const { cancellationSignal } = Context.current();
      const started = Date.now();
      let progress = { deleted: 0, done: false };
      const stop = keepHeartbeating(() => progress, 1_000);
      try {
        do {
          progress = await deleteNextBatch(db, jobId, batchRows);
        } while (!progress.done && !cancellationSignal.aborted && Date.now() - started < sliceMs);
        return progress;
      } finally {
        stop();
      }
    },

    async finishBulkDelete({ jobId, status, error, durationMs }: FinishBulkDeleteInput): Promise<BulkDeleteResult> {
      const finished = await asJobStep('recording its outcome', () =>
        inTransaction(db, async (client) => {
          const counts = await client.query<{ total: string; deleted: string }>(
            `select total, deleted from bulk_deletes where job_id = $1`,
            [jobId],
          );
          const result: BulkDeleteResult = {
            deleted: Number(counts.rows[0]?.deleted ?? 0),
            total: Number(counts.rows[0]?.total ?? 0),
            durationMs,
          };
          const progress = {
            stage: 'done',
            queuePosition: null,
            deleted: result.deleted,
            total: result.total,
            rowsPerSecond: 0,
            updatedAt: new Date().toISOString(),
          };
          const ended = await finishJob(client, jobId, { status, result, progress, error });
          // A cancelled or failed job may still have deleted products: subscribers hear of those too.
          if (ended && result.deleted > 0) {
            await appendEvent(client, 'products.bulk_deleted', {
              jobId,
              status,
              deleted: result.deleted,
              total: result.total,
              actor: await jobActor(client, jobId),
            });
          }
          return result;
        }),
      );
      await wakeQueuedJobs(deps);
      return finished;
    },
  };
}

export type BulkDeleteActivities = ReturnType<typeof createBulkDeleteActivities>;
