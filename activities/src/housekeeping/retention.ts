import { type Database, importTables, jobsFinishedBefore } from '@catalog/db';
import type { PruneCounts, RetentionResult } from '@catalog/workflows';

const DAY_MS = 24 * 3_600_000;

/** Rows per statement: each is its own short transaction, so no lock is held for long. */
export const RETENTION_BATCH_ROWS = 5_000;

/** Rows of a job table (as `t`) whose job is one of $1: the jobs finished before the cutoff. */
const ofFinishedJobs = (table: string) => `${table} t where t.job_id = any($1::uuid[])`;

type PrunedTable = Exclude<keyof RetentionResult, 'workingTables'>;

/**
 * One statement per table, deleting at most $2 rows: of the log tables those older than the cutoff
 * ($1), walked in `seq` order (their unique index) where the old rows come first; of the job tables
 * those of the jobs finished before the cutoff ($1, their ids), by their primary keys; of an import's
 * undo data those of the imports finished before the undo cutoff (UNDO_RETENTION_DAYS); of the
 * sessions those expired by now ($1), whatever the retention period: nothing can use them again.
 */
const batchStatements: {
  table: PrunedTable;
  by: 'cutoff' | 'finishedJobs' | 'undoExpiredJobs' | 'now';
  sql: string;
}[] = [
  // Messages before events, so the events of the messages pruned here go in the same run. A failed
  // or held message goes when its last change (its last attempt, or being held) is that old: past
  // the period it is no longer worth recovering. A pending message is never pruned.
  {
    table: 'webhookMessages',
    by: 'cutoff',
    sql: `delete from webhook_messages where seq in (
            select seq from webhook_messages
            where (state = 'delivered' and delivered_at < $1) or (state in ('failed', 'held') and updated_at < $1)
            limit $2)`,
  },
  {
    table: 'outboxEvents',
    by: 'cutoff',
    // An event a message still has to carry (pending, or failed or held within the period: recover may send it) stays.
    sql: `delete from outbox_events where seq in (
            select o.seq from outbox_events o where o.dispatched_at < $1
              and not exists (select 1 from webhook_messages m where m.event_id = o.id and m.state <> 'delivered')
            order by o.seq limit $2)`,
  },
  {
    table: 'webhookDeliveries',
    by: 'cutoff',
    sql: `delete from webhook_deliveries where seq in (
            select seq from webhook_deliveries where created_at < $1 order by seq limit $2)`,
  },
  {
    table: 'importErrors',
    by: 'finishedJobs',
    sql: `delete from import_errors where (job_id, row_no) in (
            select t.job_id, t.row_no from ${ofFinishedJobs('import_errors')} limit $2)`,
  },
  // An import's undo data goes after UNDO_RETENTION_DAYS; its mark first, so no undo starts on a half-pruned log.
  {
    table: 'importUndoLogs',
    by: 'undoExpiredJobs',
    sql: `delete from import_undo_logs where job_id in (
            select t.job_id from ${ofFinishedJobs('import_undo_logs')} limit $2)`,
  },
  {
    table: 'importUndo',
    by: 'undoExpiredJobs',
    sql: `delete from import_undo where (job_id, sku_key) in (
            select t.job_id, t.sku_key from ${ofFinishedJobs('import_undo')} limit $2)`,
  },
  {
    table: 'importUndoInserts',
    by: 'undoExpiredJobs',
    sql: `delete from import_undo_inserts where (job_id, chunk_no) in (
            select t.job_id, t.chunk_no from ${ofFinishedJobs('import_undo_inserts')} limit $2)`,
  },
  {
    table: 'importChunks',
    by: 'finishedJobs',
    sql: `delete from import_chunks where (job_id, chunk_no) in (
            select t.job_id, t.chunk_no from ${ofFinishedJobs('import_chunks')} limit $2)`,
  },
  {
    table: 'importUndoRuns',
    by: 'finishedJobs',
    sql: `delete from import_undo_runs where job_id in (
            select t.job_id from ${ofFinishedJobs('import_undo_runs')} limit $2)`,
  },
  {
    table: 'importUndoConflicts',
    by: 'finishedJobs',
    sql: `delete from import_undo_conflicts where (job_id, sku) in (
            select t.job_id, t.sku from ${ofFinishedJobs('import_undo_conflicts')} limit $2)`,
  },
  {
    table: 'expiredSessions',
    by: 'now',
    sql: `delete from sessions where id in (
            select id from sessions where expires_at < $1 order by expires_at limit $2)`,
  },
  {
    table: 'bulkDeletes',
    by: 'finishedJobs',
    sql: `delete from bulk_deletes where job_id in (
            select t.job_id from ${ofFinishedJobs('bulk_deletes')} limit $2)`,
  },
];

/** Finished jobs ($1) that still have an import working table (finalize or the undo failed to drop it). */
const jobsWithWorkingTables = `
  select j.id from unnest($1::uuid[]) as j(id)
  where exists (
      select 1 from pg_class c
      where c.relkind = 'r'
        and c.relname in ('import_staged_' || replace(j.id::text, '-', ''), 'import_final_' || replace(j.id::text, '-', ''),
                          'import_review_' || replace(j.id::text, '-', '')))
  limit $2`;

export type PruneOptions = {
  db: Database;
  retentionDays: number;
  /** How long a completed import's undo data is kept (UNDO_RETENTION_DAYS); by default as long as the rest. */
  undoRetentionDays?: number;
  batchRows?: number;
  /** Called after every statement with the counts so far: the activity heartbeats with them. */
  onBatch?: (counts: RetentionResult) => void;
};

/**
 * Deletes what is older than the retention period: dispatched outbox events (but those of messages
 * still kept and not delivered), delivery attempts, webhook messages delivered, failed or held (never
 * pending ones), and
 * the error rows and working data (undo log, chunk ledger, delete-all cursor, working tables) of jobs
 * finished before it; and expired sign-in sessions. Queued and running jobs' data is never touched. Every statement commits on its
 * own, so a run stopped half-way leaves consistent tables and the next run goes on from there.
 */
export async function pruneExpired({
  db,
  retentionDays,
  undoRetentionDays = retentionDays,
  batchRows = RETENTION_BATCH_ROWS,
  onBatch,
}: PruneOptions): Promise<RetentionResult> {
  const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
  const none = (): PruneCounts => ({ deleted: 0, batches: 0 });
  const counts: RetentionResult = {
    outboxEvents: none(),
    webhookDeliveries: none(),
    webhookMessages: none(),
    importErrors: none(),
    importUndo: none(),
    importUndoInserts: none(),
    importUndoLogs: none(),
    importUndoRuns: none(),
    importUndoConflicts: none(),
    importChunks: none(),
    bulkDeletes: none(),
    expiredSessions: none(),
    workingTables: none(),
  };
  const finishedJobs = await jobsFinishedBefore(db.pool, cutoff);
  const undoExpiredJobs = await jobsFinishedBefore(db.pool, new Date(Date.now() - undoRetentionDays * DAY_MS));
  const firstParam = { cutoff, finishedJobs, undoExpiredJobs, now: new Date() };
  for (const { table, by, sql } of batchStatements) {
    for (let full = true; full; ) {
      const { rowCount } = await db.pool.query(sql, [firstParam[by], batchRows]);
      const deleted = rowCount ?? 0;
      counts[table].deleted += deleted;
      counts[table].batches++;
      onBatch?.(counts);
      full = deleted === batchRows;
    }
  }
  for (let full = true; full; ) {
    const { rows } = await db.pool.query<{ id: string }>(jobsWithWorkingTables, [finishedJobs, batchRows]);
    for (const { id } of rows) {
      const { staged, final, review } = importTables(id);
      // Each drop locks only the dropped table, and only for the drop.
      await db.pool.query(`drop table if exists ${staged}, ${final}, ${review}`);
    }
    counts.workingTables.deleted += rows.length;
    counts.workingTables.batches++;
    onBatch?.(counts);
    full = rows.length === batchRows;
  }
  return counts;
}
