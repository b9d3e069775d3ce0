import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type Database, importTables, openDatabase } from '@catalog/db';
import type { RetentionResult } from '@catalog/workflows';
import { isolatedDatabase } from '../../../tests/support/database';
import { pruneExpired } from './retention';

/**
 * Retention against a database of its own (so the counts are exact): rows older than the period go,
 * in batches of `batchRows`, and nothing recent, pending, queued or running does.
 */
let database: Awaited<ReturnType<typeof isolatedDatabase>>;
let db: Database;

before(async () => {
  database = await isolatedDatabase();
  db = await openDatabase({ databaseUrl: database.url, poolSize: 2 });
});
after(async () => {
  await db?.close();
  await database?.drop();
});

const OLD = `now() - interval '40 days'`;
const RECENT = `now() - interval '1 day'`;

async function job(kind: string, status: string, finishedAt: string | null): Promise<string> {
  const id = randomUUID();
  await db.pool.query(
    `insert into jobs (id, kind, status, workflow_id, created_at, finished_at)
     values ($1, $2, $3, $4, ${OLD}, ${finishedAt ?? 'null'})`,
    [id, kind, status, `${kind}-${id}`],
  );
  return id;
}

async function ids(sql: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(sql);
  return rows.map((row) => row.id).sort();
}

test('prunes exactly the expired rows, in batches, and keeps the rest', async () => {
  // Outbox: five old dispatched events go; an old one never dispatched and a recent one stay (and
  // see the messages below).
  for (let i = 0; i < 5; i++) {
    await db.pool.query(
      `insert into outbox_events (id, type, data, occurred_at, dispatched_at) values ($1, 'test', '{}', ${OLD}, ${OLD})`,
      [randomUUID()],
    );
  }
  const pendingEvent = randomUUID();
  const recentEvent = randomUUID();
  await db.pool.query(`insert into outbox_events (id, type, data, occurred_at) values ($1, 'test', '{}', ${OLD})`, [
    pendingEvent,
  ]);
  await db.pool.query(
    `insert into outbox_events (id, type, data, dispatched_at) values ($1, 'test', '{}', ${RECENT})`,
    [recentEvent],
  );

  // Delivery log: four old attempts go, a recent one stays.
  const endpoint = randomUUID();
  // The secret is never opened here: a stand-in in the sealed form the table requires.
  await db.pool.query(
    `insert into webhook_endpoints (id, name, url, secret) values ($1, 'retention', 'https://example.com/hook', 'v1:00000000:unused')`,
    [endpoint],
  );
  const delivery = (createdAt: string) =>
    db.pool.query(
      `insert into webhook_deliveries (id, endpoint_id, event_id, event_type, attempt, ok, latency_ms, created_at)
       values ($1, $2, $3, 'test', 1, true, 5, ${createdAt}) returning id`,
      [randomUUID(), endpoint, randomUUID()],
    );
  for (let i = 0; i < 4; i++) await delivery(OLD);
  const recentDelivery = (await delivery(RECENT)).rows[0]?.id;

  // Messages: two delivered long ago go, and so do a failed and a held one last changed long ago,
  // with the old dispatched events they carried. A recently delivered one, a failed and a held one
  // changed recently (though created long ago) and a pending one however old stay, and so do the
  // old dispatched events the held and the pending ones still have to carry.
  const oldEvent = async () => {
    const id = randomUUID();
    await db.pool.query(
      `insert into outbox_events (id, type, data, occurred_at, dispatched_at) values ($1, 'test', '{}', ${OLD}, ${OLD})`,
      [id],
    );
    return id;
  };
  const [failedEvent, heldEvent, recentlyHeldEvent, pendingMessageEvent] = [
    await oldEvent(),
    await oldEvent(),
    await oldEvent(),
    await oldEvent(),
  ];
  const message = (state: string, createdAt: string, updatedAt: string, eventId: string = randomUUID()) =>
    db.pool.query<{ id: string }>(
      `insert into webhook_messages (endpoint_id, event_id, event_type, event_seq, state, created_at, updated_at, delivered_at)
       values ($1, $2, 'test', coalesce((select seq from outbox_events where id = $2), 0), $3, ${createdAt}, ${updatedAt},
               case when $3 = 'delivered' then ${updatedAt} end)
       returning seq::text as id`,
      [endpoint, eventId, state],
    );
  for (let i = 0; i < 2; i++) await message('delivered', OLD, OLD);
  await message('failed', OLD, OLD, failedEvent);
  await message('held', OLD, OLD, heldEvent);
  const keptMessages = [
    (await message('delivered', RECENT, RECENT)).rows[0]?.id,
    (await message('failed', OLD, RECENT)).rows[0]?.id,
    (await message('held', OLD, RECENT, recentlyHeldEvent)).rows[0]?.id,
    (await message('pending', OLD, OLD, pendingMessageEvent)).rows[0]?.id,
  ];

  // Jobs: only those finished before the period lose their data; a running one never does.
  const oldDone = await job('import', 'completed', OLD);
  const oldRunning = await job('import', 'running', null);
  const recentDone = await job('import', 'failed', RECENT);
  const oldDelete = await job('bulk_delete', 'completed', OLD);
  const runningDelete = await job('bulk_delete', 'running', null);
  const errors = (jobId: string, rows: number) =>
    db.pool.query(
      `insert into import_errors (job_id, row_no, column_name, reason)
       select $1, n, 'sku', 'missing' from generate_series(2, $2::int + 1) n`,
      [jobId, rows],
    );
  await errors(oldDone, 3);
  await errors(oldRunning, 2);
  await errors(recentDone, 2);
  const chunks = (jobId: string, count: number) =>
    db.pool.query(
      `insert into import_chunks (job_id, chunk_no, inserted, updated, unchanged)
       select $1, n, 1, 0, 0 from generate_series(0, $2::int - 1) n`,
      [jobId, count],
    );
  await chunks(oldDone, 3);
  await chunks(oldRunning, 1);
  await chunks(recentDone, 1);
  for (const [jobId, chunkNo] of [
    [oldDone, 0],
    [oldDone, 1],
    [oldRunning, 0],
  ] as const) {
    await db.pool.query(`insert into import_undo_inserts (job_id, chunk_no, product_ids) values ($1, $2, '{1}')`, [
      jobId,
      chunkNo,
    ]);
  }
  for (const jobId of [oldDelete, runningDelete]) {
    await db.pool.query(`insert into bulk_deletes (job_id, max_id, total) values ($1, 10, 10)`, [jobId]);
  }
  for (const jobId of [oldDone, oldRunning]) {
    await db.pool.query(`create unlogged table ${importTables(jobId).staged} (row_no bigint)`);
  }

  // Sessions: the three that ended go, however recently; the one still valid stays.
  const user = randomUUID();
  await db.pool.query(`insert into users (id, email, password_hash, role) values ($1, $2, 'unused', 'viewer')`, [
    user,
    `${user}@example.test`,
  ]);
  const session = (expiresAt: string) =>
    db.pool.query(`insert into sessions (id, user_id, expires_at) values ($1, $2, ${expiresAt}) returning id`, [
      randomUUID(),
      user,
    ]);
  for (const expiresAt of [OLD, RECENT, `now() - interval '1 second'`]) await session(expiresAt);
  const liveSession = (await session(`now() + interval '1 hour'`)).rows[0]?.id;

  let heartbeats = 0;
  const result = await pruneExpired({
    db,
    retentionDays: 30,
    batchRows: 2,
    onBatch: () => {
      heartbeats++;
    },
  });

  // A batch that deletes fewer than batchRows is the last: 5 rows take 2+2+1, 4 rows take 2+2+0.
  const expected: RetentionResult = {
    outboxEvents: { deleted: 7, batches: 4 },
    webhookDeliveries: { deleted: 4, batches: 3 },
    webhookMessages: { deleted: 4, batches: 3 },
    importErrors: { deleted: 3, batches: 2 },
    importUndo: { deleted: 0, batches: 1 },
    importUndoInserts: { deleted: 2, batches: 2 },
    importUndoLogs: { deleted: 0, batches: 1 },
    importUndoRuns: { deleted: 0, batches: 1 },
    importUndoConflicts: { deleted: 0, batches: 1 },
    importChunks: { deleted: 3, batches: 2 },
    bulkDeletes: { deleted: 1, batches: 1 },
    expiredSessions: { deleted: 3, batches: 2 },
    workingTables: { deleted: 1, batches: 1 },
  };
  assert.deepEqual(result, expected);
  assert.equal(heartbeats, 24, 'one heartbeat per statement');
  assert.deepEqual(await ids(`select id from sessions`), [liveSession]);

  assert.deepEqual(
    await ids(`select id::text from outbox_events`),
    [pendingEvent, recentEvent, recentlyHeldEvent, pendingMessageEvent].sort(),
  );
  assert.deepEqual(await ids(`select seq::text as id from webhook_messages`), keptMessages.sort());
  assert.deepEqual(await ids(`select id::text from webhook_deliveries`), [recentDelivery]);
  assert.deepEqual(
    await ids(`select job_id::text || ':' || row_no as id from import_errors`),
    [`${oldRunning}:2`, `${oldRunning}:3`, `${recentDone}:2`, `${recentDone}:3`].sort(),
  );
  assert.deepEqual(
    await ids(`select job_id::text || ':' || chunk_no as id from import_chunks`),
    [`${oldRunning}:0`, `${recentDone}:0`].sort(),
  );
  assert.deepEqual(await ids(`select job_id::text as id from import_undo_inserts`), [oldRunning]);
  assert.deepEqual(await ids(`select job_id::text as id from bulk_deletes`), [runningDelete]);
  assert.deepEqual(await ids(`select relname as id from pg_class where relname like 'import_staged_%'`), [
    importTables(oldRunning).staged,
  ]);
  assert.equal((await db.pool.query(`select 1 from jobs`)).rowCount, 5, 'job rows themselves are history, kept');

  const again = await pruneExpired({ db, retentionDays: 30, batchRows: 2 });
  assert.ok(
    Object.values(again).every((counts) => counts.deleted === 0),
    'a second run finds nothing left to prune',
  );
});

test("an import's undo data goes after the undo period; its error rows stay for the retention period", async () => {
  const pastUndo = await job('import', 'completed', `now() - interval '10 days'`);
  const recent = await job('import', 'completed', RECENT);
  const mine = [pastUndo, recent];
  for (const id of mine) {
    await db.pool.query(`insert into import_undo_logs (job_id) values ($1)`, [id]);
    await db.pool.query(`insert into import_undo_inserts (job_id, chunk_no, product_ids) values ($1, 0, '{1}')`, [id]);
    await db.pool.query(
      `insert into import_undo (job_id, sku_key, product_id, written_version, prev_sku, prev_name, prev_description,
                                prev_price, prev_active)
       values ($1, 'k', 1, 2, 'K', 'n', '', null, true)`,
      [id],
    );
    await db.pool.query(
      `insert into import_errors (job_id, row_no, column_name, reason) values ($1, 2, 'price', 'bad')`,
      [id],
    );
  }

  const result = await pruneExpired({ db, retentionDays: 30, undoRetentionDays: 7 });
  assert.equal(result.importUndoLogs.deleted, 1);
  const of = async (table: string) =>
    (await ids(`select job_id::text as id from ${table}`)).filter((id) => mine.includes(id));
  for (const table of ['import_undo_logs', 'import_undo', 'import_undo_inserts']) {
    assert.deepEqual(await of(table), [recent], `${table}: only the recent import's undo data is left`);
  }
  assert.deepEqual(await of('import_errors'), [...mine].sort(), 'error rows follow RETENTION_DAYS');
});
