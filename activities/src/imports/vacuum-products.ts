import type { Database } from '@catalog/db';
import type { ImportResult } from '@catalog/domain';
import type { Logger } from 'pino';

/**
 * From this many written rows on, an import ends with a vacuum of products. Autovacuum would come
 * much later (after a fifth of the table changed): until then the freshly written pages are not
 * marked all-visible, so the grid's index-only walks (deep pages, sku and name filters) visit the
 * table for every entry, and the planner works from statistics that predate the import.
 */
export const VACUUM_MIN_WRITTEN_ROWS = 10_000;

export function vacuumsAfterImport(result: Pick<ImportResult, 'inserted' | 'updated'>): boolean {
  return result.inserted + result.updated >= VACUUM_MIN_WRITTEN_ROWS;
}

/**
 * `vacuum (analyze) products`, outside any transaction (VACUUM cannot run in one). It only tidies:
 * the import has already landed, so a failure is logged and left to autovacuum, never raised.
 */
export async function vacuumProducts(db: Database, logger: Logger, jobId: string): Promise<void> {
  const started = Date.now();
  try {
    await db.pool.query('vacuum (analyze) products');
    logger.info({ jobId, ms: Date.now() - started }, 'vacuumed products after a large import');
  } catch (error) {
    logger.warn({ jobId, err: error }, 'vacuum after import failed; autovacuum will catch up');
  }
}
