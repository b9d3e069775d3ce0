import { randomUUID } from 'node:crypto';
import type { CatalogEventType } from '@catalog/domain';

/** Anything that runs SQL inside the caller's transaction: a `pg` client, or the ORM's `em.execute`. */
export type SqlExecutor = { query: (sql: string, params: unknown[]) => Promise<unknown> };

export const OUTBOX_NOTIFY_CHANNEL = 'catalog_outbox';

/**
 * Appends an event to the outbox using the caller's transaction, and notifies listeners (the
 * dispatcher) when that transaction commits. Returns the event's stable id.
 */
export async function appendEvent(
  sql: SqlExecutor,
  type: CatalogEventType,
  data: Record<string, unknown>,
): Promise<string> {
  const id = randomUUID();
  await sql.query(`insert into outbox_events (id, type, data) values ($1, $2, $3)`, [id, type, JSON.stringify(data)]);
  await sql.query(`select pg_notify($1, $2)`, [OUTBOX_NOTIFY_CHANNEL, id]);
  return id;
}
