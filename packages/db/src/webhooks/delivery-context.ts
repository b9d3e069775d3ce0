import type { Pool } from 'pg';

/** An outbox event as a webhook carries it; `occurredAt` is ISO 8601 in UTC with milliseconds. */
export type StoredEvent = { id: string; type: string; data: unknown; occurredAt: string };

const OCCURRED_AT = `to_char(o.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function readStoredEvent(pool: Pool, eventId: string): Promise<StoredEvent | null> {
  const { rows } = await pool.query<{ id: string; type: string; data: unknown; occurred_at: string }>(
    `select o.id, o.type, o.data, ${OCCURRED_AT} as occurred_at from outbox_events o where o.id = $1`,
    [eventId],
  );
  const row = rows[0];
  return row ? { id: row.id, type: row.type, data: row.data, occurredAt: row.occurred_at } : null;
}
