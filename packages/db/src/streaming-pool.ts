import { Pool } from 'pg';
import { type SessionTimeouts, sessionTimeoutSettings } from './mikro-orm.config';

export type StreamingPoolOptions = {
  databaseUrl: string;
  size: number;
  /** Each statement (one FETCH of a batch, the COPY) is bounded; the idle time between them is the reader's. */
  timeouts?: SessionTimeouts;
};

/**
 * A small pool of its own for long downloads (CSV export, import error reports): a slow reader
 * holds one of these connections, never one the rest of the API needs. Its callers keep at most
 * `size` streams open, so nothing waits here for long; the connect timeout is a backstop.
 */
export function openStreamingPool(options: StreamingPoolOptions): Pool {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.size,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    ...sessionTimeoutSettings(options.timeouts),
  });
  // A connection the server ends (an idle-in-transaction timeout, a restart) emits 'error'; unheard,
  // that would be an uncaught exception. The query in flight rejects on its own, and the pool
  // discards the connection, so there is nothing more to do.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', () => undefined);
  return pool;
}
