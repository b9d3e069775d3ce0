import type { ProductFilter } from '@catalog/domain';
import type { Database } from '../orm';
import { whereClause } from './list-sql';

export type ExportRow = { sku: string; name: string; description: string; price: string | null; active: boolean };

const BATCH_ROWS = 2_000;

/**
 * Every product matching `filter`, in SKU order, a batch at a time from a server-side cursor in one
 * read-only snapshot: memory stays flat however large the catalog, and the file is consistent even
 * while imports write. Stopping early (the client went away) closes the cursor and frees the
 * connection.
 */
export async function* exportProductRows(
  db: Pick<Database, 'pool'>,
  filter: ProductFilter,
): AsyncGenerator<ExportRow[]> {
  const client = await db.pool.connect();
  let open = false;
  let failure: Error | undefined;
  try {
    await client.query('begin isolation level repeatable read read only');
    open = true;
    const where = whereClause(filter);
    await client.query(
      `declare product_export no scroll cursor for
       select sku, name, description, price, active from products
       ${where.sql ? `where ${where.sql}` : ''} order by sku_key`,
      where.values,
    );
    for (;;) {
      const { rows } = await client.query<ExportRow>(`fetch ${BATCH_ROWS} from product_export`);
      if (rows.length === 0) break;
      yield rows;
    }
    await client.query('commit');
    open = false;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    if (open) await client.query('rollback').catch(() => undefined);
    // A connection that failed mid-query is destroyed rather than returned to the pool.
    client.release(failure);
  }
}
