import { type Database, requireJobRunning } from '@catalog/db';
import { failureTypes } from '@catalog/domain';
import { ApplicationFailure } from '@temporalio/common';
import type { PoolClient } from 'pg';
import { asJobStep } from '../jobs/running';
import { inTransaction } from '../transaction';

/** An inserted product starts at version 1 (the column default), and every later write raises it. */
const INSERTED_VERSION = 1;

/**
 * Fails the undo (not retryable) when the import's undo log is no longer kept. The mark is locked
 * for share until the caller's transaction ends: retention deletes the mark first, so it waits for
 * a batch under way, and the next batch finds it gone instead of finding nothing left and calling
 * a half-done undo complete.
 */
export async function requireUndoLogKept(client: PoolClient, importId: string): Promise<void> {
  const kept = await client.query(`select 1 from import_undo_logs where job_id = $1 for share`, [importId]);
  if (kept.rowCount === 0) {
    throw ApplicationFailure.create({
      message: `The changes of import ${importId} are no longer kept (pruned after the undo period)`,
      type: failureTypes.undoExpired,
      nonRetryable: true,
    });
  }
}

export type UndoCounts = { processed: number; restored: number; removed: number; conflicts: number };
export type UndoBatch = UndoCounts & { done: boolean };

const COUNTS = 'processed::int, restored::int, removed::int, conflicts::int';

type BatchRow = { taken: number; done: number; conflicts: number };

/**
 * Up to $2 ids the import inserted (from its first remaining chunk; what is left of the chunk's array
 * stays for the next batch) are deleted where the product is still as the import wrote it; one edited
 * since is kept and listed as a conflict ($3: the undo job). One deleted since needs nothing.
 */
const REMOVE_INSERTED_SQL = `
  with chunk as (
    select chunk_no, product_ids from import_undo_inserts where job_id = $1 order by chunk_no limit 1
  ),
  ids as (select unnest(product_ids[1:$2::int]) as id from chunk),
  kept_rest as (
    update import_undo_inserts t set product_ids = t.product_ids[$2::int + 1:]
    from chunk where t.job_id = $1 and t.chunk_no = chunk.chunk_no and cardinality(chunk.product_ids) > $2::int
    returning 1
  ),
  spent as (
    delete from import_undo_inserts t using chunk
    where t.job_id = $1 and t.chunk_no = chunk.chunk_no and cardinality(chunk.product_ids) <= $2::int
    returning 1
  ),
  removed as (
    delete from products p using ids where p.id = ids.id and p.version = ${INSERTED_VERSION} returning p.id
  ),
  conflicts as (
    insert into import_undo_conflicts (job_id, sku, change, reason)
    select $3, p.sku, 'inserted', 'edited' from products p join ids on ids.id = p.id
    where p.id not in (select id from removed)
    on conflict do nothing
    returning 1
  )
  select (select count(*) from ids)::int as taken, (select count(*) from removed)::int as done,
         (select count(*) from conflicts)::int as conflicts`;

/**
 * Up to $2 products the import updated (in key order) get their previous values back where the
 * product is still exactly as the import wrote it (same id, same version). A restore is a new write:
 * `version` goes up and `updated_at` forward, so a client holding a pre-import ETag is refused rather
 * than silently matching again. One changed since is kept and listed as a conflict. A row that an edit
 * changes while this runs is re-checked by PostgreSQL against the version condition, so skipped.
 */
const RESTORE_UPDATED_SQL = `
  with batch as (
    delete from import_undo where job_id = $1 and sku_key in (
      select sku_key from import_undo where job_id = $1 order by sku_key limit $2)
    returning *
  ),
  restored as (
    update products p
    set sku = u.prev_sku, name = u.prev_name, description = u.prev_description, price = u.prev_price,
        active = u.prev_active, version = p.version + 1, updated_at = now()
    from batch u
    where p.id = u.product_id and p.version = u.written_version
    returning p.id
  ),
  conflicts as (
    insert into import_undo_conflicts (job_id, sku, change, reason)
    select $3, coalesce(p.sku, u.prev_sku), 'updated', case when p.id is null then 'deleted' else 'edited' end
    from batch u left join products p on p.id = u.product_id
    where u.product_id not in (select id from restored)
    on conflict do nothing
    returning 1
  )
  select (select count(*) from batch)::int as taken, (select count(*) from restored)::int as done,
         (select count(*) from conflicts)::int as conflicts`;

/**
 * Undoes the next batch of the import's log in one transaction, which also consumes those log rows
 * and adds to the undo job's counts: a retried or second attempt (a worker presumed dead) finds them
 * gone and never undoes a row twice, and a cancel keeps exactly what committed. Locking the job's run
 * row serializes two attempts; checking the job is still running first makes one marked failed or
 * cancelled meanwhile change nothing more.
 */
export async function undoNextBatch(
  db: Database,
  jobId: string,
  importId: string,
  batchRows: number,
): Promise<UndoBatch> {
  return asJobStep('undoing a batch', () =>
    inTransaction(db, async (client) => {
      await requireJobRunning(client, jobId);
      await requireUndoLogKept(client, importId);
      const counts = await lockRun(client, jobId);
      const removing = await batch(client, REMOVE_INSERTED_SQL, importId, batchRows, jobId);
      const restoring =
        removing.taken > 0 ? null : await batch(client, RESTORE_UPDATED_SQL, importId, batchRows, jobId);
      const removed = removing.done;
      const restored = restoring?.done ?? 0;
      const conflicts = removing.conflicts + (restoring?.conflicts ?? 0);
      const processed = removing.taken + (restoring?.taken ?? 0);
      if (processed === 0) return { ...counts, done: true };
      const { rows } = await client.query<UndoCounts>(
        `update import_undo_runs
         set processed = processed + $2, restored = restored + $3, removed = removed + $4, conflicts = conflicts + $5
         where job_id = $1
         returning ${COUNTS}`,
        [jobId, processed, restored, removed, conflicts],
      );
      const after = rows[0] ?? counts;
      return { ...after, done: false };
    }),
  );
}

/** The job's counts so far, locked until the batch commits. */
export async function lockRun(client: PoolClient, jobId: string): Promise<UndoCounts> {
  const { rows } = await client.query<UndoCounts>(
    `select ${COUNTS} from import_undo_runs where job_id = $1 for update`,
    [jobId],
  );
  const counts = rows[0];
  if (!counts) throw new Error(`undo ${jobId} has no plan`);
  return counts;
}

async function batch(client: PoolClient, sql: string, importId: string, batchRows: number, jobId: string) {
  const { rows } = await client.query<BatchRow>(sql, [importId, batchRows, jobId]);
  return rows[0] ?? { taken: 0, done: 0, conflicts: 0 };
}
