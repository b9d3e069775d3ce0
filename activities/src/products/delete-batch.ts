import { type Database, requireJobRunning } from '@catalog/db';
import { asJobStep } from '../jobs/running';
import { inTransaction } from '../transaction';

/**
 * Deletes the job's next `batchRows` products (by id, from its cursor up to its watermark) and
 * moves the cursor, in one transaction. Locking the job's plan row serializes two attempts of the
 * same job (a retry racing a worker presumed dead), so no batch is counted twice. Each batch first
 * checks that the job is still running: one marked failed or cancelled meanwhile deletes nothing more.
 */
export async function deleteNextBatch(
  db: Database,
  jobId: string,
  batchRows: number,
): Promise<{ deleted: number; done: boolean }> {
  return asJobStep('deleting a batch', () =>
    inTransaction(db, async (client) => {
      await requireJobRunning(client, jobId);
      const job = await client.query<{ max_id: string; cursor_id: string; deleted: string }>(
        `select max_id, cursor_id, deleted from bulk_deletes where job_id = $1 for update`,
        [jobId],
      );
      const state = job.rows[0];
      if (!state) throw new Error(`bulk delete ${jobId} has no plan`);
      // The batch is an id range: one index range scan. (Joining a list of ids made PostgreSQL hash
      // join against the whole table, 10x slower per batch.)
      const bound = await client.query<{ upper: string | null }>(
        `select id as upper from products where id > $1 and id <= $2 order by id offset $3 limit 1`,
        [state.cursor_id, state.max_id, batchRows - 1],
      );
      // Fewer than batchRows products are left under the watermark: this batch is the last.
      const upper = bound.rows[0]?.upper ?? state.max_id;
      const gone = await client.query(`delete from products where id > $1 and id <= $2`, [state.cursor_id, upper]);
      const updated = await client.query<{ deleted: string }>(
        `update bulk_deletes set cursor_id = $2, deleted = deleted + $3 where job_id = $1 returning deleted`,
        [jobId, upper, gone.rowCount ?? 0],
      );
      return { deleted: Number(updated.rows[0]?.deleted ?? state.deleted), done: bound.rows.length === 0 };
    }),
  );
}
