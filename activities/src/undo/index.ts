import { appendEvent, finishJob, jobActor } from '@catalog/db';
import {
  type ImportUndoConflict,
  type JobError,
  type JobStatus,
  UNDO_CONFLICTS_LISTED,
  type UndoResult,
  undoConflictMessage,
} from '@catalog/domain';
import { Context } from '@temporalio/activity';
import type { PoolClient } from 'pg';
import type { ActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import { asJobStep } from '../jobs/running';
import { wakeQueuedJobs } from '../jobs/wake-queued';
import { inTransaction } from '../transaction';
import { requireUndoLogKept, type UndoBatch, type UndoCounts, undoNextBatch } from './undo-batch';

export type UndoPlanInput = { jobId: string; importId: string };
export type UndoPlan = UndoCounts & { total: number };
export type UndoSliceInput = UndoPlanInput & { batchRows: number; sliceMs: number };
export type FinishUndoInput = UndoPlanInput & {
  status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;
  error: JobError | null;
  durationMs: number;
};

/**
 * Undo of a completed import in three steps, like delete-all. `planUndo` fixes, once, how many log
 * rows there are to undo. `undoSlice` undoes batches for about `sliceMs`, so the workflow hears
 * progress about twice a second; each batch commits on its own with the job's counts and consumes
 * its log rows, so a retried slice continues exactly where the last commit left off and a cancel
 * keeps what is done (the rest of the log stays: the import can be undone again later).
 * `finishUndo` records the outcome and one `import.undone` event in one transaction, then wakes the
 * queued jobs.
 */
export function createUndoActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    async planUndo({ jobId, importId }: UndoPlanInput): Promise<UndoPlan> {
      return inTransaction(db, async (client) => {
        await requireUndoLogKept(client, importId);
        await client.query(
          `insert into import_undo_runs (job_id, import_id, total)
           select $1, $2,
                  (select count(*) from import_undo where job_id = $2)
                  + coalesce((select sum(cardinality(product_ids)) from import_undo_inserts where job_id = $2), 0)
           on conflict (job_id) do nothing`,
          [jobId, importId],
        );
        const { rows } = await client.query<UndoPlan>(
          `select total::int, processed::int, restored::int, removed::int, conflicts::int
           from import_undo_runs where job_id = $1`,
          [jobId],
        );
        const plan = rows[0];
        if (!plan) throw new Error(`undo ${jobId} has no plan`);
        return plan;
      });
    },

    async undoSlice({ jobId, importId, batchRows, sliceMs }: UndoSliceInput): Promise<UndoBatch> {
      const { cancellationSignal } = Context.current();
      const started = Date.now();
      let progress: UndoBatch | null = null;
      const stop = keepHeartbeating(() => progress, 1_000);
      try {
        do {
          progress = await undoNextBatch(db, jobId, importId, batchRows);
        } while (!progress.done && !cancellationSignal.aborted && Date.now() - started < sliceMs);
        return progress;
      } finally {
        stop();
      }
    },

    async finishUndo({ jobId, importId, status, error, durationMs }: FinishUndoInput): Promise<UndoResult> {
      const finished = await asJobStep('recording its outcome', () =>
        inTransaction(db, async (client) => {
          const result = await undoResult(client, jobId, importId, durationMs);
          const ended = await finishJob(client, jobId, { status, result, error });
          if (!ended) return result;
          // Done: the import cannot be undone again. A cancelled or failed undo keeps the mark and
          // the rest of the log, so a later undo takes back what this one did not reach.
          if (status === 'completed') await client.query(`delete from import_undo_logs where job_id = $1`, [importId]);
          // One event for the whole undo, like delete-all: subscribers hear of a partial one too.
          if (status === 'completed' || result.restored + result.removed > 0) {
            await appendEvent(client, 'import.undone', {
              jobId,
              importId,
              status,
              restored: result.restored,
              removed: result.removed,
              conflictCount: result.conflictCount,
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

async function undoResult(client: PoolClient, jobId: string, importId: string, durationMs: number) {
  const counts = await client.query<UndoCounts>(
    `select restored::int, removed::int, conflicts::int from import_undo_runs where job_id = $1`,
    [jobId],
  );
  const listed = await client.query<Pick<ImportUndoConflict, 'sku' | 'change' | 'reason'>>(
    `select sku, change, reason from import_undo_conflicts where job_id = $1 order by sku limit $2`,
    [jobId, UNDO_CONFLICTS_LISTED],
  );
  const run = counts.rows[0];
  const result: UndoResult = {
    importId,
    restored: run?.restored ?? 0,
    removed: run?.removed ?? 0,
    conflictCount: run?.conflicts ?? 0,
    conflicts: listed.rows.map((row) => ({ ...row, message: undoConflictMessage(row.change, row.reason) })),
    durationMs,
  };
  return result;
}

export type UndoActivities = ReturnType<typeof createUndoActivities>;
