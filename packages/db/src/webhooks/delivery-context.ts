import type { Pool } from 'pg';
import type { SecretBox } from '../secrets/secret-box';
import { openEndpointSecret } from './endpoint-secrets';

/** Where and how to send: the endpoint's URL and every secret that currently signs, decrypted. */
export type DeliveryTarget = { url: string; enabled: boolean; secrets: string[] };

/** An outbox event as a webhook carries it; `occurredAt` is ISO 8601 in UTC with milliseconds. */
export type StoredEvent = { id: string; type: string; data: unknown; occurredAt: string };

const OCCURRED_AT = `to_char(o.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

type Row = {
  url: string | null;
  enabled: boolean | null;
  secret: string | null;
  previous: string | null;
  event_id: string | null;
  type: string | null;
  data: unknown;
  occurred_at: string | null;
};

/**
 * The endpoint and the event of one delivery, in one round trip; either is null when it no longer
 * exists. The previous secret signs too while its overlap after a rotation lasts.
 */
export async function readDelivery(
  pool: Pool,
  box: SecretBox,
  endpointId: string,
  eventId: string,
): Promise<{ target: DeliveryTarget | null; event: StoredEvent | null }> {
  const { rows } = await pool.query<Row>(
    `select e.url, e.enabled, e.secret,
            case when e.previous_secret_expires_at > now() then e.previous_secret end as previous,
            o.id as event_id, o.type, o.data, ${OCCURRED_AT} as occurred_at
     from (select 1) as one
     left join webhook_endpoints e on e.id = $1
     left join outbox_events o on o.id = $2`,
    [endpointId, eventId],
  );
  const row = rows[0];
  const sealed = row?.secret ? [row.secret, ...(row.previous ? [row.previous] : [])] : [];
  const target =
    row?.url && row.enabled !== null && sealed.length > 0
      ? {
          url: row.url,
          enabled: row.enabled,
          secrets: sealed.map((value) => openEndpointSecret(box, endpointId, value)),
        }
      : null;
  const event =
    row?.event_id && row.type && row.occurred_at
      ? { id: row.event_id, type: row.type, data: row.data, occurredAt: row.occurred_at }
      : null;
  return { target, event };
}

export async function readStoredEvent(pool: Pool, eventId: string): Promise<StoredEvent | null> {
  const { rows } = await pool.query<{ id: string; type: string; data: unknown; occurred_at: string }>(
    `select o.id, o.type, o.data, ${OCCURRED_AT} as occurred_at from outbox_events o where o.id = $1`,
    [eventId],
  );
  const row = rows[0];
  return row ? { id: row.id, type: row.type, data: row.data, occurredAt: row.occurred_at } : null;
}
