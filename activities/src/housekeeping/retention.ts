import type { Database } from '@catalog/db';
import type { PruneCounts, RetentionResult } from '@catalog/workflows';
import { importTables } from '../imports/tables';

const DAY_MS = 24 * 3_600_000;

/** Rows per statement: each is its own short transaction, so no lock is held for long. */
export const RETENTION_BATCH_ROWS = 5_000;

/** Rows of a job table (as `t`) whose job finished before the cutoff ($1): a final status never changes again. */
const ofFinishedJobs = (table: string) =>
  `${table} t join jobs j on j.id = t.job_id where j.finished_at < $1 and j.status not in ('queued', 'running')`;

type PrunedTable = Exclude<keyof RetentionResult, 'workingTables'>;

/**
 * One statement per table, deleting at most $2 rows older than $1. The log tables are walked in
 * `seq` order (their unique index), where the old rows come first; the job tables by their primary
 * keys, from the jobs finished before the cutoff.
 */
const batchStatements: { table: PrunedTable; sql: string }[] = [
  {
    table: 'outboxEvents',
    sql: `delete from outbox_events where seq in (
            select seq from outbox_events where dispatched_at < $1 order by seq limit $2)`,
  },
  {
    table: 'webhookDeliveries',
    sql: `delete from webhook_deliveries where seq in (
            select seq from webhook_deliveries where created_at < $1 order by seq limit $2)`,
  },
  {
    table: 'importErrors',
    sql: `delete from import_errors where (job_id, row_no) in (
            select t.job_id, t.row_no from ${ofFinishedJobs('import_errors')} limit $2)`,
  },
  {
    table: 'importUndo',
    sql: `delete from import_undo where (job_id, sku_key) in (
            select t.job_id, t.sku_key from ${ofFinishedJobs('import_undo')} limit $2)`,
  },
  {
    table: 'importUndoInserts',
    sql: `delete from import_undo_inserts where (job_id, chunk_no) in (
            select t.job_id, t.chunk_no from ${ofFinishedJobs('import_undo_inserts')} limit $2)`,
  },
  {
    table: 'importChunks',
    sql: `delete from import_chunks where (job_id, chunk_no) in (
            select t.job_id, t.chunk_no from ${ofFinishedJobs('import_chunks')} limit $2)`,
  },
  {
    table: 'bulkDeletes',
    sql: `delete from bulk_deletes where job_id in (
            select t.job_id from ${ofFinishedJobs('bulk_deletes')} limit $2)`,
  },
];

/** Finished jobs that still have an import working table (finalize or the undo failed to drop it). */
const jobsWithWorkingTables = `
  select j.id from jobs j
  where j.finished_at < $1 and j.status not in ('queued', 'running')
    and exists (
      select 1 from pg_class c
      where c.relkind = 'r'
        and c.relname in ('import_staged_' || replace(j.id::text, '-', ''), 'import_final_' || replace(j.id::text, '-', '')))
  limit $2`;

export type PruneOptions = {
  db: Database;
  retentionDays: number;
  batchRows?: number;
  /** Called after every statement with the counts so far: the activity heartbeats with them. */
  onBatch?: (counts: RetentionResult) => void;
};

/**
 * Deletes what is older than the retention period: dispatched outbox events, delivery attempts, and
 * the error rows and working data (undo log, chunk ledger, delete-all cursor, working tables) of jobs
 * finished before it. Queued and running jobs' data is never touched. Every statement commits on its
 * own, so a run stopped half-way leaves consistent tables and the next run goes on from there.
 */
export async function pruneExpired({
  db,
  retentionDays,
  batchRows = RETENTION_BATCH_ROWS,
  onBatch,
}: PruneOptions): Promise<RetentionResult> {
  const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
  const none = (): PruneCounts => ({ deleted: 0, batches: 0 });
  const counts: RetentionResult = {
    outboxEvents: none(),
    webhookDeliveries: none(),
    importErrors: none(),
    importUndo: none(),
    importUndoInserts: none(),
    importChunks: none(),
    bulkDeletes: none(),
    workingTables: none(),
  };
  for (const { table, sql } of batchStatements) {
    for (let full = true; full; ) {
      const { rowCount } = await db.pool.query(sql, [cutoff, batchRows]);
      const deleted = rowCount ?? 0;
      counts[table].deleted += deleted;
      counts[table].batches++;
      onBatch?.(counts);
      full = deleted === batchRows;
    }
  }
  for (let full = true; full; ) {
    const { rows } = await db.pool.query<{ id: string }>(jobsWithWorkingTables, [cutoff, batchRows]);
    for (const { id } of rows) {
      const { staged, final } = importTables(id);
      // Each drop locks only the dropped table, and only for the drop.
      await db.pool.query(`drop table if exists ${staged}, ${final}`);
    }
    counts.workingTables.deleted += rows.length;
    counts.workingTables.batches++;
    onBatch?.(counts);
    full = rows.length === batchRows;
  }
  return counts;
}
