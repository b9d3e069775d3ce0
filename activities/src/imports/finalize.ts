import { appendEvent, type Database } from '@catalog/db';
import type { ImportProgress, ImportResult, JobError, JobStatus } from '@catalog/domain';
import type { UploadStore } from '@catalog/uploads';
import type { PoolClient } from 'pg';
import type { JobActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import { inTransaction } from '../transaction';
import { revertImportChanges } from './revert-changes';
import { importTables } from './tables';

export type FinalizeInput = { jobId: string; result: ImportResult; progress: ImportProgress };
export type CompensateInput = { jobId: string; status: Extract<JobStatus, 'failed' | 'cancelled'>; error: JobError };

/**
 * The import has landed: keep the error report, record the result, and drop what only the running
 * import needed (undo log, chunk ledger, working tables, the uploaded file). Safe to run twice.
 */
export function createFinalizeImport({ db, uploads }: JobActivityDeps) {
  return async function finalizeImport({ jobId, result, progress }: FinalizeInput): Promise<void> {
    const { staged } = importTables(jobId);
    const stop = keepHeartbeating();
    try {
      await inTransaction(db, async (client) => {
        const exists = await client.query(`select to_regclass($1) is not null as present`, [staged]);
        if (exists.rows[0]?.present) {
          await client.query(
            `insert into import_errors (job_id, row_no, column_name, reason, sku, name, description, price, active, raw)
             select $1, row_no, error_column, error_reason, sku, name, description, price, active, raw
             from ${staged} where error_reason is not null
             on conflict do nothing`,
            [jobId],
          );
        }
        const settled = await client.query(
          `update jobs set status = 'completed', result = $2, progress = $3, finished_at = now()
           where id = $1 and status <> 'completed'`,
          [jobId, JSON.stringify(result), JSON.stringify({ ...progress, stage: 'done' })],
        );
        if (settled.rowCount) await appendEvent(client, 'import.completed', { importId: jobId, ...result });
        await clearUndo(client, jobId);
      });
    } finally {
      stop();
    }
    await dropWorkingData(db, uploads, jobId);
  };
}

/** The saga's compensation as an activity: see `undoImport`. */
export function createCompensateImport({ db, uploads }: JobActivityDeps) {
  return async function compensateImport({ jobId, status, error }: CompensateInput): Promise<void> {
    const stop = keepHeartbeating();
    try {
      await undoImport(db, uploads, jobId, status, error);
    } finally {
      stop();
    }
  };
}

/**
 * Puts every product a failed or cancelled import touched back as it was, unless it was changed
 * since (see `revertImportChanges`), in one transaction, then records the outcome with what the
 * undo did as the job's result. Safe to run twice: the undo log is consumed.
 */
export async function undoImport(
  db: Database,
  uploads: UploadStore,
  jobId: string,
  status: CompensateInput['status'],
  error: JobError,
) {
  await inTransaction(db, async (client) => {
    // Waits for chunk transactions still in flight (see applyImportChunk) and keeps new ones out.
    await client.query(`select pg_advisory_xact_lock(hashtext($1))`, [jobId]);
    const undo = await revertImportChanges(client, jobId);
    await clearUndo(client, jobId);
    const settled = await client.query(
      `update jobs set status = $2, error = $3, result = $4, finished_at = now()
       where id = $1 and status not in ('failed', 'cancelled')`,
      [jobId, status, JSON.stringify(error), JSON.stringify(undo)],
    );
    // There is no import.cancelled event type: a cancelled import is an import that did not land.
    if (settled.rowCount) await appendEvent(client, 'import.failed', { importId: jobId, status, error });
  });
  await dropWorkingData(db, uploads, jobId);
}

/** The undo log and chunk ledger live only as long as the import can still be undone. */
async function clearUndo(client: PoolClient, jobId: string) {
  await client.query(`delete from import_undo where job_id = $1`, [jobId]);
  await client.query(`delete from import_undo_inserts where job_id = $1`, [jobId]);
  await client.query(`delete from import_chunks where job_id = $1`, [jobId]);
}

async function dropWorkingData(db: Database, uploads: UploadStore, jobId: string): Promise<void> {
  const { staged, final } = importTables(jobId);
  await db.pool.query(`drop table if exists ${staged}, ${final}`);
  const job = await db.pool.query<{ file_path: string | null }>(`select file_path from jobs where id = $1`, [jobId]);
  const filePath = job.rows[0]?.file_path;
  if (filePath) await uploads.remove(filePath);
}
