import { appendEvent, type Database, finishJob, importTables, isJobRunning, jobActor, jobFilePath } from '@catalog/db';
import type { ImportProgress, ImportResult, JobError, JobStatus } from '@catalog/domain';
import type { UploadStore } from '@catalog/uploads';
import type { PoolClient } from 'pg';
import type { JobActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import { asJobStep } from '../jobs/running';
import { wakeQueuedJobs } from '../jobs/wake-queued';
import { inTransaction } from '../transaction';
import { revertImportChanges } from './revert-changes';
import { ensureSearchIndexes } from './search-indexes';
import { refreshSortMarksAfterImport } from './sort-marks-after-import';
import { vacuumProducts, vacuumsAfterImport } from './vacuum-products';

export type FinalizeInput = { jobId: string; result: ImportResult; progress: ImportProgress };
export type CompensateInput = { jobId: string; status: Extract<JobStatus, 'failed' | 'cancelled'>; error: JobError };

/**
 * The import has landed: keep the error report, record the result, keep the undo log so the import
 * can be undone later (an undo job, until housekeeping prunes it after UNDO_RETENTION_DAYS), and drop
 * what only the running import needed (chunk ledger, working tables, the uploaded file), then wake
 * the queued jobs. Safe to run twice; a job that ended otherwise meanwhile (settled as an orphan, its changes
 * undone) is not marked completed: that fails with `JobNotRunning`.
 */
export function createFinalizeImport(deps: JobActivityDeps) {
  const { db, uploads, logger } = deps;
  return async function finalizeImport({ jobId, result, progress }: FinalizeInput): Promise<void> {
    const { staged } = importTables(jobId);
    const stop = keepHeartbeating();
    try {
      const completed = await asJobStep('finalizing it', () =>
        inTransaction(db, async (client) => {
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
          // Plan may have dropped them for the load; they are back before the import counts as landed.
          await ensureSearchIndexes(client);
          const completed = await finishJob(client, jobId, {
            status: 'completed',
            result,
            progress: { ...progress, stage: 'done' },
          });
          // A retry that finds its own committed finish does nothing more: an undo may have spent the mark since.
          if (completed) {
            const actor = await jobActor(client, jobId);
            await appendEvent(client, 'import.completed', { importId: jobId, ...result, actor });
            await keepUndoLog(client, jobId);
          }
          return completed;
        }),
      );
      // Once, by the run that completed the job; and before the queued jobs are woken, whose plan
      // step may drop the search indexes: it would wait on the vacuum's lock, give up and maintain
      // them row by row (as a job submitted while the vacuum runs still may).
      const tidied = completed && vacuumsAfterImport(result);
      if (tidied) await vacuumProducts(db, logger, jobId);
      // The queue is free once the job's row committed: wake the next job before tidying up.
      await wakeQueuedJobs(deps);
      await dropWorkingData(db, uploads, jobId);
      // The sort position marks last (seconds at 5M products; a queued job would make them stale
      // anyway), after the vacuum: with the table all-visible, an `all` set is an index-only read.
      if (tidied) await refreshSortMarksAfterImport(db, logger, jobId);
    } finally {
      stop();
    }
  };
}

/** The saga's compensation as an activity: see `undoImport`. */
export function createCompensateImport(deps: JobActivityDeps) {
  return async function compensateImport({ jobId, status, error }: CompensateInput): Promise<void> {
    const stop = keepHeartbeating();
    try {
      await asJobStep('undoing it', () => undoImport(deps, jobId, status, error));
    } finally {
      stop();
    }
  };
}

/**
 * Puts every product a failed or cancelled import touched back as it was, unless it was changed
 * since (see `revertImportChanges`), in one transaction, then records the outcome with what the
 * undo did as the job's result, and wakes the queued jobs. Safe to run twice: the undo log is
 * consumed, and a job already ended with this status is left as it is. A job that ended otherwise
 * (completed, or with the other status) throws `JobTransitionError` and the whole undo rolls back.
 */
export async function undoImport(
  deps: JobActivityDeps,
  jobId: string,
  status: CompensateInput['status'],
  error: JobError,
) {
  const { db, uploads } = deps;
  await inTransaction(db, async (client) => {
    // Waits for chunk transactions still in flight (see applyImportChunk) and keeps new ones out.
    await client.query(`select pg_advisory_xact_lock(hashtext($1))`, [jobId]);
    // Only a job that took its turn can have dropped them in plan; a queued one's undo must not
    // rebuild the indexes that the running import dropped for its load (a long SHARE lock).
    const tookItsTurn = await isJobRunning(client, jobId);
    const undo = await revertImportChanges(client, jobId);
    await clearUndo(client, jobId);
    // Plan may have dropped them for the load; an import that did not land must not leave them out.
    if (tookItsTurn) await ensureSearchIndexes(client);
    const ended = await finishJob(client, jobId, { status, error, result: undo });
    // There is no import.cancelled event type: a cancelled import is an import that did not land.
    if (ended) {
      const actor = await jobActor(client, jobId);
      await appendEvent(client, 'import.failed', { importId: jobId, status, error, actor });
    }
  });
  await wakeQueuedJobs(deps);
  await dropWorkingData(db, uploads, jobId);
}

/**
 * A landed import keeps its undo log (written by each chunk anyway, so keeping it costs nothing at
 * import time) and is marked as undoable; only the chunk ledger, which guards a running import's
 * retries, goes.
 */
async function keepUndoLog(client: PoolClient, jobId: string) {
  await client.query(`insert into import_undo_logs (job_id) values ($1) on conflict do nothing`, [jobId]);
  await client.query(`delete from import_chunks where job_id = $1`, [jobId]);
}

/** A failed or cancelled import was undone at once: its undo log and chunk ledger are spent. */
async function clearUndo(client: PoolClient, jobId: string) {
  await client.query(`delete from import_undo where job_id = $1`, [jobId]);
  await client.query(`delete from import_undo_inserts where job_id = $1`, [jobId]);
  await client.query(`delete from import_chunks where job_id = $1`, [jobId]);
}

async function dropWorkingData(db: Database, uploads: UploadStore, jobId: string): Promise<void> {
  const { staged, final, review } = importTables(jobId);
  await db.pool.query(`drop table if exists ${staged}, ${final}, ${review}`);
  const filePath = await jobFilePath(db.pool, jobId);
  if (filePath) await uploads.remove(filePath);
}
