import type { Attribution, JobStatus } from '@catalog/domain';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Database } from '../orm';
import { createJob, type JobRecord } from './job-records';
import type { JobSql } from './job-sql';

/** What decides whether a completed import can still be undone, and what its history row shows. */
export type ImportUndoState = {
  /** Its undo log was kept when it landed and has not been pruned. */
  logKept: boolean;
  /** Its latest undo job, if any. */
  undo: { id: string; status: JobStatus; result: Record<string, unknown> | null } | null;
};

/** The undo state of each import in `importIds` (one query, for a page of history). */
export async function importUndoStates(sql: JobSql, importIds: string[]): Promise<Map<string, ImportUndoState>> {
  const { rows } = await sql.query<{
    id: string;
    log_kept: boolean;
    undo_id: string | null;
    undo_status: JobStatus | null;
    undo_result: Record<string, unknown> | null;
  }>(
    `select i.id, exists (select 1 from import_undo_logs l where l.job_id = i.id) as log_kept,
            u.id as undo_id, u.status as undo_status, u.result as undo_result
     from unnest($1::uuid[]) as i(id)
     left join lateral (
       select id, status, result from jobs where undo_of = i.id order by seq desc limit 1
     ) u on true`,
    [importIds],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        logKept: row.log_kept,
        undo:
          row.undo_id && row.undo_status ? { id: row.undo_id, status: row.undo_status, result: row.undo_result } : null,
      },
    ]),
  );
}

/**
 * A queued undo job for `importId`, or null when the import already has an undo that is queued,
 * running or completed (the unique index `jobs_one_undo_per_import` decides, so two racing requests
 * cannot both get one).
 */
export async function createUndoJob(
  db: Database,
  id: string,
  importId: string,
  by: Attribution,
): Promise<JobRecord | null> {
  try {
    return await createJob(db, { id, kind: 'undo', undoOf: importId, by });
  } catch (error: unknown) {
    if (error instanceof UniqueConstraintViolationException) return null;
    throw error;
  }
}

/** A product the latest undo of an import left as it was, as `import_undo_conflicts` keeps it. */
export type UndoConflictRow = { sku: string; change: 'inserted' | 'updated'; reason: 'edited' | 'deleted' };

/**
 * One page of the conflicts of the latest undo of `importId`, in SKU order after `afterSku`; null
 * when the import was never undone. The undo's result lists only the first conflicts; this pages
 * through all of them.
 */
export async function undoConflictsPage(
  sql: JobSql,
  importId: string,
  afterSku: string | null,
  limit: number,
): Promise<UndoConflictRow[] | null> {
  // Only the undo batch writes these rows, and only with the union's values.
  const { rows } = await sql.query<{ sku: string | null } & Omit<UndoConflictRow, 'sku'>>(
    `select c.sku, c.change, c.reason
     from (select id from jobs where undo_of = $1 order by seq desc limit 1) u
     left join lateral (
       select sku, change, reason from import_undo_conflicts
       where job_id = u.id and ($2::text is null or sku > $2) order by sku limit $3
     ) c on true`,
    [importId, afterSku, limit],
  );
  if (rows.length === 0) return null;
  return rows.flatMap((row) => (row.sku === null ? [] : [{ sku: row.sku, change: row.change, reason: row.reason }]));
}
