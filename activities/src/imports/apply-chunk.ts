import { importTables, requireJobRunning } from '@catalog/db';
import type { ActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import { asJobStep } from '../jobs/running';
import { inTransaction } from '../transaction';
import { stagingLost } from './failures';

export type ApplyChunkInput = { jobId: string; chunkNo: number; expectedRows: number };
export type ChunkResult = { inserted: number; updated: number; unchanged: number };

/**
 * Upserts one chunk in one transaction, together with (a) what compensation needs: the previous
 * values of every product it updates with the version this write gave it, and the ids of those it
 * inserts; and (b) a ledger row that makes a second run of the same chunk a no-op. Rows whose
 * values are unchanged are not written at all, so their updated_at and version stay.
 */
const APPLY_SQL = (final: string) => `
  with src as (
    select sku, sku_key, name, description, price, active from ${final} where chunk_no = $2
  ),
  -- A chunk is a contiguous key range: bounding the products side to it reads one slice of the
  -- unique key's index instead of every product, which is what a re-import of a large catalog paid.
  -- One join both finds the current row and compares it, so an unchanged row costs one lookup.
  changed as (
    select s.*, c.id as cur_id, c.sku as cur_sku, c.name as cur_name, c.description as cur_description,
           c.price as cur_price, c.active as cur_active, c.version as cur_version
    from src s left join products c on c.sku_key = s.sku_key
      and c.sku_key between (select min(sku_key) from src) and (select max(sku_key) from src)
    where c.id is null
       or (c.sku, c.name, c.description, c.price, c.active)
          is distinct from (s.sku, s.name, s.description, s.price, s.active)
  ),
  upserted as (
    insert into products as p (sku, name, description, price, active)
    select sku, name, description, price, active from changed
    on conflict (sku_key) do update
      set sku = excluded.sku, name = excluded.name, description = excluded.description,
          price = excluded.price, active = excluded.active,
          version = p.version + 1, updated_at = now()
    returning p.id, p.sku_key, p.version, (xmax = 0) as inserted
  ),
  undo_updates as (
    insert into import_undo (job_id, sku_key, product_id, written_version, prev_sku, prev_name,
                             prev_description, prev_price, prev_active)
    -- An edit that committed between this statement's snapshot and its upsert makes the values
    -- read here stale (the upsert wrote over the edit, so the version skips ahead). Such a row is
    -- logged with written version 0, which no product has: undoing leaves it alone and lists it as
    -- a conflict, rather than bring back values from before the edit. No row locks are needed
    -- for this, so an unchanged re-import still writes nothing.
    select $1, c.sku_key, u.id, case when u.version = c.cur_version + 1 then u.version else 0 end,
           c.cur_sku, c.cur_name, c.cur_description, c.cur_price, c.cur_active
    from changed c join upserted u on u.sku_key = c.sku_key
    where not u.inserted
  ),
  undo_inserts as (
    insert into import_undo_inserts (job_id, chunk_no, product_ids)
    select $1, $2, array_agg(id) from upserted where inserted having count(*) > 0
  )
  select (select count(*)::int from src) as total,
         count(*) filter (where inserted)::int as inserted,
         count(*) filter (where not inserted)::int as updated
  from upserted`;

export function createApplyImportChunk({ db }: ActivityDeps) {
  return async function applyImportChunk({ jobId, chunkNo, expectedRows }: ApplyChunkInput): Promise<ChunkResult> {
    const { final } = importTables(jobId);
    const stop = keepHeartbeating();
    try {
      return await asJobStep(`applying chunk ${chunkNo}`, () =>
        inTransaction(db, async (client) => {
          await client.query(`set local work_mem = '64MB'`);
          // Compiling the statement (JIT) took a quarter of an unchanged chunk's time and saves nothing
          // on 50,000 rows: the plan is a few hash joins, each row touched once.
          await client.query(`set local jit = off`);
          // Two attempts of one chunk (a retry racing a worker presumed dead) serialize here.
          await client.query(`select pg_advisory_xact_lock(hashtext($1), $2)`, [jobId, chunkNo]);
          // An undo of this import holds this lock exclusively; once it has run, the job is no longer
          // running and a chunk arriving late must not apply anything.
          await client.query(`select pg_advisory_xact_lock_shared(hashtext($1))`, [jobId]);
          await requireJobRunning(client, jobId);
          const done = await client.query<ChunkResult>(
            `select inserted, updated, unchanged from import_chunks where job_id = $1 and chunk_no = $2`,
            [jobId, chunkNo],
          );
          if (done.rows[0]) return done.rows[0];
          const exists = await client.query(`select to_regclass($1) is not null as present`, [final]);
          if (!exists.rows[0]?.present) throw stagingLost('the chunk table is missing');

          const applied = await client.query<{ total: number; inserted: number; updated: number }>(APPLY_SQL(final), [
            jobId,
            chunkNo,
          ]);
          const row = applied.rows[0] ?? { total: 0, inserted: 0, updated: 0 };
          if (row.total !== expectedRows)
            throw stagingLost(`chunk ${chunkNo} has ${row.total} of ${expectedRows} rows`);
          const result: ChunkResult = {
            inserted: row.inserted,
            updated: row.updated,
            unchanged: row.total - row.inserted - row.updated,
          };
          await client.query(
            `insert into import_chunks (job_id, chunk_no, inserted, updated, unchanged) values ($1, $2, $3, $4, $5)`,
            [jobId, chunkNo, result.inserted, result.updated, result.unchanged],
          );
          return result;
        }),
      );
    } finally {
      stop();
    }
  };
}
