import type { Readable } from 'node:stream';
import type { Database } from '@catalog/db';
import { to as copyTo } from 'pg-copy-streams';

/**
 * Streams the error report straight out of PostgreSQL with COPY … TO STDOUT (CSV), in constant
 * memory however many rows failed. `jobId` is a UUID checked at the edge, so inlining it is safe.
 */
export async function streamImportErrors(db: Database, jobId: string): Promise<Readable> {
  const client = await db.pool.connect();
  const stream = client.query(
    copyTo(`copy (
      select row_no as row, column_name as column, reason, sku, name, description, price, active
      from import_errors where job_id = '${jobId}' order by row_no
    ) to stdout with (format csv, header true)`),
  );
  let released = false;
  let ended = false;
  // A connection left mid-COPY (the client went away) must be destroyed, not returned to the pool.
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  stream.on('end', () => {
    ended = true;
    release();
  });
  stream.on('error', (error: Error) => release(error));
  stream.on('close', () => release(ended ? undefined : new Error('error report stream closed early')));
  return stream;
}
