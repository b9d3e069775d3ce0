import type { ReviewKind } from '@catalog/domain';
import type { Pool } from 'pg';
import { importTables } from './tables';

const UNDEFINED_TABLE = '42P01';

/** One row of a reviewed import's diff, as stored (see diffImport): the presenter shapes it per kind. */
export type ReviewChangeRow = {
  row_no: string;
  sku: string | null;
  name: string | null;
  description: string | null;
  price: string | null;
  active: boolean | null;
  product_id: string | null;
  before_sku: string | null;
  before_name: string | null;
  before_description: string | null;
  before_price: string | null;
  before_active: boolean | null;
  reason: string | null;
};

/**
 * A page of a reviewed import's rows of one kind, in file order after `afterRow` (keyset on the
 * `(kind, row_no)` index), one more than `limit` so the caller knows whether another page follows.
 * Null when the import has no review table (never reviewed, or its working data is gone).
 */
export async function reviewChangesPage(
  pool: Pool,
  jobId: string,
  kind: ReviewKind,
  afterRow: number,
  limit: number,
): Promise<ReviewChangeRow[] | null> {
  const { review } = importTables(jobId);
  const exists = await pool.query<{ present: boolean }>(`select to_regclass($1) is not null as present`, [review]);
  if (!exists.rows[0]?.present) return null;
  // A re-review (apply found the catalog changed) builds the table again: between the check and the read it may be gone.
  const page = await pool
    .query<ReviewChangeRow>(
      `select row_no, sku, name, description, price::text as price, active, product_id,
            before_sku, before_name, before_description, before_price::text as before_price, before_active, reason
     from ${review} where kind = $1 and row_no > $2 order by row_no limit $3`,
      [kind, afterRow, limit + 1],
    )
    .catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === UNDEFINED_TABLE) return null;
      throw error;
    });
  return page?.rows ?? null;
}
