import { importTables } from '@catalog/db';
import type { PoolClient } from 'pg';
import type { ActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import { inTransaction } from '../transaction';
import { stagingLost } from './failures';
import { dropSearchIndexes, ensureSearchIndexes, rebuildsSearchIndexes } from './search-indexes';

export type PlanInput = {
  jobId: string;
  chunkRows: number;
  expectedValidRows: number;
  /**
   * A reviewed import plans, then leaves the queue to wait for review: it must not leave the search
   * indexes dropped meanwhile, so the choice is made at apply (`verifyReview`) instead.
   */
  deferSearchIndexes?: boolean;
};
export type PlanResult = { distinctRows: number; chunks: number; chunkRows: number };

/**
 * Applies last-row-wins once, for the whole file: keeps the last staged row of each SKU key and
 * numbers the survivors in key order into chunks of `chunkRows`. Chunks are therefore disjoint,
 * contiguous key ranges: they can run in any order or in parallel without touching the same product.
 * A large import into a catalog much smaller than itself drops the search indexes here, so apply
 * does not maintain them row by row; finalize or compensation builds them again in one pass.
 */
export function createPlanImport({ db }: ActivityDeps) {
  return async function planImport({
    jobId,
    chunkRows,
    expectedValidRows,
    deferSearchIndexes = false,
  }: PlanInput): Promise<PlanResult> {
    if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new Error(`chunkRows must be a positive integer`);
    const { staged, final } = importTables(jobId);
    const stop = keepHeartbeating();
    try {
      const distinctRows = await inTransaction(db, async (client) => {
        // The last-row-wins sort is as wide as the file; the default 4 MB would spill it to disk.
        await client.query(`set local work_mem = '256MB'`);
        await client.query(`set local maintenance_work_mem = '256MB'`);
        const exists = await client.query(`select to_regclass($1) is not null as present`, [staged]);
        if (!exists.rows[0]?.present) throw stagingLost('the staging table is missing');
        const valid = await client.query(`select count(*)::int as n from ${staged} where error_reason is null`);
        if (valid.rows[0]?.n !== expectedValidRows) throw stagingLost('the staging table lost rows');

        await client.query(`drop table if exists ${final}`);
        const created = await client.query(`
          create unlogged table ${final} as
          select sku, sku_key, name, description, price, active, row_no,
                 ((row_number() over (order by sku_key)) - 1) / ${chunkRows} as chunk_no
          from (
            select distinct on (lower(sku) collate "C")
                   lower(sku) collate "C" as sku_key, sku, name, description, row_no,
                   price::numeric(12, 2) as price, active::boolean as active
            from ${staged}
            where error_reason is null
            order by lower(sku) collate "C", row_no desc
          ) last_rows`);
        await client.query(`create index on ${final} (chunk_no)`);
        // Apply's plans need only how many rows each chunk holds: a small sample gives that, where
        // the default one read almost every page of the wide table (about 10x longer).
        await client.query(`set local default_statistics_target = 10`);
        await client.query(`analyze ${final}`);
        // The rows written, from the statement's own count rather than a second scan of the table.
        const rows = created.rowCount ?? 0;
        if (!deferSearchIndexes) await chooseSearchIndexes(client, rows);
        return rows;
      });
      return { distinctRows, chunks: Math.ceil(distinctRows / chunkRows), chunkRows };
    } finally {
      stop();
    }
  };
}

/**
 * A large import into a much smaller catalog drops the search indexes for its load (finalize builds
 * them again); otherwise they must be there. Last in its transaction, so the exclusive lock the
 * drop takes is held only until that commits.
 */
export async function chooseSearchIndexes(client: PoolClient, rows: number): Promise<void> {
  // The triggers' running totals: no scan of the catalog, whatever its size.
  const catalog = await client.query<{ n: number }>(
    `select coalesce(sum(active + inactive), 0)::int as n from product_counts`,
  );
  if (rebuildsSearchIndexes(rows, catalog.rows[0]?.n ?? 0)) await dropSearchIndexes(client);
  else await ensureSearchIndexes(client);
}
