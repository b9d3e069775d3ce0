import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type Database, openDatabase } from '@catalog/db';
import { failureTypes } from '@catalog/domain';
import { ApplicationFailure } from '@temporalio/common';
import { isolatedDatabase } from '../../../tests/support/database';
import { undoNextBatch } from './undo-batch';

/**
 * The undo's batches against a database of their own: two attempts of the same job racing (a retry
 * while a worker presumed dead still runs) undo every log row exactly once, a call after the end
 * changes nothing, and a job no longer running changes nothing at all.
 */
let database: Awaited<ReturnType<typeof isolatedDatabase>>;
let db: Database;

before(async () => {
  database = await isolatedDatabase();
  db = await openDatabase({ databaseUrl: database.url, poolSize: 6 });
});
after(async () => {
  await db?.close();
  await database?.drop();
});

async function job(kind: string, status: string): Promise<string> {
  const id = randomUUID();
  await db.pool.query(
    `insert into jobs (id, kind, status, workflow_id, created_at, finished_at)
     values ($1, $2, $3::text, $4, now(), case when $3::text = 'completed' then now() end)`,
    [id, kind, status, `${kind}-${id}`],
  );
  return id;
}

/**
 * An import's log as apply-chunk writes it: 20 products it inserted (two chunks of ids, version 1)
 * and 10 it updated (version 2, previous names kept). One of each was edited since.
 */
async function landedImport(importId: string): Promise<void> {
  const sql = db.pool;
  const inserted = await sql.query<{ id: string }>(
    `insert into products (sku, name) select 'ins-' || g, 'Inserted ' || g from generate_series(1, 20) g returning id`,
  );
  const ids = inserted.rows.map((row) => row.id);
  await sql.query(
    `insert into import_undo_inserts (job_id, chunk_no, product_ids) values ($1, 0, $2::bigint[]), ($1, 1, $3::bigint[])`,
    [importId, ids.slice(0, 10), ids.slice(10)],
  );
  await sql.query(
    `insert into products (sku, name, version) select 'upd-' || g, 'Imported ' || g, 2 from generate_series(1, 10) g`,
  );
  await sql.query(
    `insert into import_undo (job_id, sku_key, product_id, written_version, prev_sku, prev_name, prev_description,
                              prev_price, prev_active)
     select $1, p.sku_key, p.id, 2, p.sku, 'Before ' || substr(p.sku, 5), '', null, true
     from products p where p.sku like 'upd-%'`,
    [importId],
  );
  await sql.query(`insert into import_undo_logs (job_id) values ($1)`, [importId]);
  await sql.query(`update products set name = 'edited', version = version + 1 where sku in ('ins-7', 'upd-3')`);
}

async function drain(undoId: string, importId: string): Promise<number> {
  let batches = 0;
  for (;;) {
    const batch = await undoNextBatch(db, undoId, importId, 3);
    if (batch.done) return batches;
    batches++;
  }
}

test('two racing attempts undo every log row exactly once; a call after the end changes nothing', async () => {
  const importId = await job('import', 'completed');
  const undoId = await job('undo', 'running');
  await landedImport(importId);
  await db.pool.query(`insert into import_undo_runs (job_id, import_id, total) values ($1, $2, 30)`, [
    undoId,
    importId,
  ]);

  const [first, second] = await Promise.all([drain(undoId, importId), drain(undoId, importId)]);
  // 20 inserted ids in chunks of 10 take 4 + 4 batches of at most 3; 10 updated rows take 4.
  assert.equal(first + second, 12, 'each batch ran once, in one attempt or the other');

  const counts = await db.pool.query(
    `select processed::int, restored::int, removed::int, conflicts::int from import_undo_runs where job_id = $1`,
    [undoId],
  );
  assert.deepEqual(counts.rows[0], { processed: 30, restored: 9, removed: 19, conflicts: 2 });
  const left = await db.pool.query<{ sku: string; name: string; version: number }>(
    `select sku, name, version from products order by sku collate "C"`,
  );
  assert.deepEqual(
    left.rows.map((row) => `${row.sku}:${row.name}:${row.version}`),
    [
      'ins-7:edited:2',
      ...['1', '10', '2'].map((n) => `upd-${n}:Before ${n}:3`),
      'upd-3:edited:3',
      ...['4', '5', '6', '7', '8', '9'].map((n) => `upd-${n}:Before ${n}:3`),
    ],
  );
  const conflicts = await db.pool.query(
    `select sku, change, reason from import_undo_conflicts where job_id = $1 order by sku`,
    [undoId],
  );
  assert.deepEqual(conflicts.rows, [
    { sku: 'ins-7', change: 'inserted', reason: 'edited' },
    { sku: 'upd-3', change: 'updated', reason: 'edited' },
  ]);

  const again = await undoNextBatch(db, undoId, importId, 3);
  assert.deepEqual(again, { processed: 30, restored: 9, removed: 19, conflicts: 2, done: true });
});

test('a job no longer running undoes nothing: its batches fail with JobNotRunning', async () => {
  const importId = await job('import', 'completed');
  const undoId = await job('undo', 'cancelled');
  await db.pool.query(`delete from products`);
  await landedImport(importId);
  await db.pool.query(`insert into import_undo_runs (job_id, import_id, total) values ($1, $2, 30)`, [
    undoId,
    importId,
  ]);
  await assert.rejects(undoNextBatch(db, undoId, importId, 3), (error: unknown) => {
    assert.ok(error instanceof ApplicationFailure);
    assert.equal(error.type, failureTypes.jobNotRunning);
    return true;
  });
  const log = await db.pool.query(`select 1 from import_undo where job_id = $1`, [importId]);
  assert.equal(log.rowCount, 10, 'the log is untouched');
});
