import { type Database, OUTBOX_NOTIFY_CHANNEL } from '@catalog/db';
import type { CatalogEventType } from '@catalog/domain';
import type { PoolClient } from 'pg';
import type { Logger } from '../../logger';

/** The outbox events after which a product list on screen is out of date as a whole. */
const CATALOG_CHANGES: readonly CatalogEventType[] = ['import.completed', 'products.bulk_deleted', 'import.undone'];
const RECONNECT_MS = 2_000;

export type CatalogChange = { type: CatalogEventType; jobId: string | null };
type Listener = (change: CatalogChange) => void;

/**
 * "The catalog changed" for the Products page, pushed rather than polled. Imports and delete-alls
 * finish in the worker, which writes an outbox event and NOTIFYs in the same transaction; every
 * API process LISTENs on one pooled connection of its own while at least one browser is
 * subscribed, so this works across replicas without a broker. The connection is taken on the
 * first subscriber, given back (closed) after the last, and taken again if the database drops it.
 */
export function createCatalogEvents(deps: { db: Database; logger: Logger }) {
  const listeners = new Set<Listener>();
  let client: PoolClient | null = null;
  let retry: NodeJS.Timeout | undefined;
  let connecting = false;

  async function announce(eventId: string): Promise<void> {
    const { rows } = await deps.db.pool.query<{ type: CatalogEventType; job_id: string | null }>(
      `select type, coalesce(data->>'jobId', data->>'importId') as job_id from outbox_events where id = $1`,
      [eventId],
    );
    const row = rows[0];
    if (!row || !CATALOG_CHANGES.includes(row.type)) return;
    for (const listener of listeners) listener({ type: row.type, jobId: row.job_id });
  }

  /**
   * A LISTENing connection must never serve another query: it is destroyed, not reused. Several
   * paths may give the same connection up (an error event, a failed LISTEN, the last listener
   * leaving); only the first releases it, as pg-pool throws on a second release.
   */
  const releasedClients = new WeakSet<PoolClient>();
  function release(current: PoolClient, reconnect: boolean): void {
    if (releasedClients.has(current)) return;
    releasedClients.add(current);
    if (client === current) client = null;
    current.release(true);
    if (reconnect && listeners.size > 0) retry = setTimeout(() => void connect(), RECONNECT_MS);
  }

  async function connect(): Promise<void> {
    if (client || connecting || listeners.size === 0) return;
    connecting = true;
    let current: PoolClient;
    try {
      current = await deps.db.pool.connect();
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not listen for catalog events');
      retry = setTimeout(() => void connect(), RECONNECT_MS);
      return;
    } finally {
      connecting = false;
    }
    if (listeners.size === 0) {
      current.release();
      return;
    }
    client = current;
    current.on('error', (error) => {
      deps.logger.warn({ err: error }, 'catalog events connection lost');
      release(current, true);
    });
    current.on('notification', (message) => {
      if (!message.payload) return;
      announce(message.payload).catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'catalog event lookup failed'),
      );
    });
    try {
      await current.query(`listen ${OUTBOX_NOTIFY_CHANNEL}`);
    } catch (error) {
      deps.logger.warn({ err: error }, 'could not listen for catalog events');
      release(current, true);
    }
  }

  return {
    async subscribe(listener: Listener): Promise<() => void> {
      listeners.add(listener);
      await connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        clearTimeout(retry);
        if (client) release(client, false);
      };
    },
  };
}

export type CatalogEvents = ReturnType<typeof createCatalogEvents>;
