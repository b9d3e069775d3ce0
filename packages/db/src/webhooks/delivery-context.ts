import type { Pool } from 'pg';

/** Where and how to send: the endpoint's URL and every secret that currently signs. */
export type DeliveryTarget = { url: string; enabled: boolean; secrets: string[] };

/** An outbox event as a webhook carries it; `occurredAt` is ISO 8601 in UTC with milliseconds. */
export type StoredEvent = { id: string; type: string; data: unknown; occurredAt: string };

/** The previous secret signs too while its overlap after a rotation lasts. */
export async function readDeliveryTarget(pool: Pool, endpointId: string): Promise<DeliveryTarget | null> {
  const { rows } = await pool.query<{ url: string; enabled: boolean; secret: string; previous: string | null }>(
    `select url, enabled, secret,
            case when previous_secret_expires_at > now() then previous_secret end as previous
     from webhook_endpoints where id = $1`,
    [endpointId],
  );
  const row = rows[0];
  if (!row) return null;
  return { url: row.url, enabled: row.enabled, secrets: row.previous ? [row.secret, row.previous] : [row.secret] };
}

export async function readStoredEvent(pool: Pool, eventId: string): Promise<StoredEvent | null> {
  const { rows } = await pool.query<{ id: string; type: string; data: unknown; occurred_at: string }>(
    `select id, type, data, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at
     from outbox_events where id = $1`,
    [eventId],
  );
  const row = rows[0];
  return row ? { id: row.id, type: row.type, data: row.data, occurredAt: row.occurred_at } : null;
}
