import type { PoolClient } from 'pg';

/**
 * The trigram GIN indexes behind the grid's "contains" filters, exactly as the migrations create
 * them (products, then search_lowercase). Maintaining them row by row is most of what a large
 * insert costs; building them in one pass after the load costs about half (PostgreSQL's
 * "Populating a Database").
 */
const SEARCH_INDEXES = [
  { name: 'products_sku_trgm_idx', using: 'gin (sku_key gin_trgm_ops)' },
  { name: 'products_name_trgm_idx', using: 'gin (name gin_trgm_ops)' },
  { name: 'products_description_trgm_idx', using: 'gin (description_lower gin_trgm_ops)' },
] as const;

/** Below this many rows, maintaining the indexes row by row is cheap and the drop not worth its lock. */
export const REBUILD_MIN_ROWS = 10_000;

/**
 * Whether an import of `importRows` distinct rows into a catalog of `catalogRows` products should
 * drop the search indexes and build them again afterwards. The rebuild reads the whole catalog
 * after the import (at most 1.5× the import when the catalog holds under half of it), which costs
 * less than maintaining the index for every imported row; a larger catalog keeps its indexes, so
 * searches stay fast while it is being updated.
 */
export function rebuildsSearchIndexes(importRows: number, catalogRows: number): boolean {
  return importRows >= REBUILD_MIN_ROWS && catalogRows * 2 < importRows;
}

/** How long the drop may wait for its exclusive lock: while it waits, every later read of products queues behind it. */
const DROP_LOCK_TIMEOUT = '2s';
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Drops the search indexes for a bulk load. Only ever called in the plan step's transaction, so
 * the drop commits with the import's plan; the import's finalize or compensation (or the orphan
 * reaper's undo) puts them back, whichever way the import ends. When a long transaction on
 * products (an export, an edit) holds the table past `DROP_LOCK_TIMEOUT`, the indexes are kept and
 * maintained row by row instead: slower for the import, but no reader waits behind the drop.
 */
export async function dropSearchIndexes(client: PoolClient): Promise<boolean> {
  await client.query('savepoint drop_search_indexes');
  try {
    await client.query(`set local lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
    await client.query(`drop index if exists ${SEARCH_INDEXES.map(({ name }) => name).join(', ')}`);
    await client.query('release savepoint drop_search_indexes');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
    // Also undoes the SET LOCAL, so the rest of the transaction waits for locks as before.
    await client.query('rollback to savepoint drop_search_indexes');
    return false;
  }
}

/**
 * Builds whichever search index is missing, in the caller's transaction: a crash mid-build rolls it
 * back and the retried step builds it again, so the indexes are never left half-made. A plain
 * (not CONCURRENTLY) build holds a SHARE lock: product reads go on, product writes wait for it.
 */
export async function ensureSearchIndexes(client: PoolClient): Promise<string[]> {
  const present = await client.query<{ name: string }>(
    `select name from unnest($1::text[]) name where to_regclass(name) is not null`,
    [SEARCH_INDEXES.map(({ name }) => name)],
  );
  const missing = SEARCH_INDEXES.filter(({ name }) => !present.rows.some((row) => row.name === name));
  if (missing.length === 0) return [];
  // One sorted pass per index in memory instead of spilling to disk; the session's default is 64 MB.
  await client.query(`set local maintenance_work_mem = '256MB'`);
  for (const { name, using } of missing)
    await client.query(`create index if not exists ${name} on products using ${using}`);
  return missing.map(({ name }) => name);
}
