import type { Pool } from 'pg';
import type { SecretBox } from '../secrets/secret-box';
import { openEndpointSecret } from './endpoint-secrets';

/** The endpoint as its lane needs it: where to send, how, and the breaker state it persisted. */
export type LaneEndpoint = {
  url: string;
  enabled: boolean;
  secrets: string[];
  ordered: boolean;
  rateLimitPerSecond: number | null;
  consecutiveFailures: number;
  circuit: { state: 'closed' | 'open'; openedAt: number | null; nextProbeAt: number | null };
};

/** A pending message with its event; `event` is null when the event is no longer stored. */
export type LaneMessage = {
  seq: string;
  eventId: string;
  eventType: string;
  attempts: number;
  /** Bumped by redeliver and recover: the batch's outcome is recorded only over the generation it read. */
  generation: number;
  redelivery: boolean;
  firstAttemptAt: number | null;
  nextAttemptAt: number;
  event: { type: string; data: unknown; occurredAt: string } | null;
};

type Row = {
  url: string;
  enabled: boolean;
  secret: string;
  previous: string | null;
  ordered: boolean;
  rate_limit_per_second: number | null;
  consecutive_failures: number;
  circuit_state: 'closed' | 'open';
  circuit_opened_at: number | null;
  circuit_next_probe_at: number | null;
  seq: string | null;
  event_id: string | null;
  event_type: string | null;
  attempts: number | null;
  generation: number | null;
  redelivery: boolean | null;
  first_attempt_at: number | null;
  next_attempt_at: number | null;
  stored_type: string | null;
  data: unknown;
  occurred_at: string | null;
};

const MS = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The endpoint and up to `limit` of its pending messages in event order (the outbox's), with their events, in one
 * query. Unordered: only messages due now. Ordered: the earliest pending ones whether due or not
 * (the lane stops at the first not due). None while the endpoint is disabled or its breaker waits;
 * one (the probe) once the breaker's cool-down is over; at most the rate limit per batch.
 */
export async function loadLaneBatch(
  pool: Pool,
  box: SecretBox,
  endpointId: string,
  limit: number,
): Promise<{ endpoint: LaneEndpoint; messages: LaneMessage[] } | null> {
  const { rows } = await pool.query<Row>({
    name: 'webhook-lane-load',
    text: `select e.url, e.enabled, e.secret,
            case when e.previous_secret_expires_at > now() then e.previous_secret end as previous,
            e.ordered, e.rate_limit_per_second, e.consecutive_failures, e.circuit_state,
            ${MS('e.circuit_opened_at')} as circuit_opened_at, ${MS('e.circuit_next_probe_at')} as circuit_next_probe_at,
            m.seq, m.event_id, m.event_type, m.attempts, m.generation, m.redelivery,
            ${MS('m.first_attempt_at')} as first_attempt_at, ${MS('m.next_attempt_at')} as next_attempt_at,
            o.type as stored_type, o.data,
            to_char(o.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at
     from webhook_endpoints e
     left join lateral (
       select * from webhook_messages m
       where m.endpoint_id = e.id and m.state = 'pending' and (e.ordered or m.next_attempt_at <= now())
       order by m.event_seq, m.seq
       limit case
         when not e.enabled then 0
         when e.circuit_state = 'open' then (case when e.circuit_next_probe_at <= now() then 1 else 0 end)
         else least($2, coalesce(e.rate_limit_per_second, $2)) end
     ) m on true
     left join outbox_events o on o.id = m.event_id
     where e.id = $1
     order by m.event_seq, m.seq`,
    values: [endpointId, limit],
  });
  const first = rows[0];
  if (!first) return null;
  const sealed = [first.secret, ...(first.previous ? [first.previous] : [])];
  const endpoint: LaneEndpoint = {
    url: first.url,
    enabled: first.enabled,
    secrets: sealed.map((value) => openEndpointSecret(box, endpointId, value)),
    ordered: first.ordered,
    rateLimitPerSecond: first.rate_limit_per_second,
    consecutiveFailures: first.consecutive_failures,
    circuit: {
      state: first.circuit_state,
      openedAt: first.circuit_opened_at,
      nextProbeAt: first.circuit_next_probe_at,
    },
  };
  const messages = rows.flatMap((row): LaneMessage[] =>
    row.seq && row.event_id && row.event_type && row.next_attempt_at !== null
      ? [
          {
            seq: row.seq,
            eventId: row.event_id,
            eventType: row.event_type,
            attempts: row.attempts ?? 0,
            generation: row.generation ?? 0,
            redelivery: row.redelivery ?? false,
            firstAttemptAt: row.first_attempt_at,
            nextAttemptAt: row.next_attempt_at,
            event:
              row.stored_type && row.occurred_at
                ? { type: row.stored_type, data: row.data, occurredAt: row.occurred_at }
                : null,
          },
        ]
      : [],
  );
  return { endpoint, messages };
}

/**
 * When the lane should look again: the earliest retry of a pending message (ordered: of the first
 * pending message in event order, which holds the others back), as epoch ms; null when nothing is pending.
 */
export async function nextDueAt(pool: Pool, endpointId: string, ordered: boolean): Promise<number | null> {
  const { rows } = await pool.query<{ due: number | null }>({
    name: ordered ? 'webhook-lane-next-due-ordered' : 'webhook-lane-next-due',
    text: ordered
      ? `select ${MS('next_attempt_at')} as due from webhook_messages
         where endpoint_id = $1 and state = 'pending' order by event_seq, seq limit 1`
      : `select ${MS('min(next_attempt_at)')} as due from webhook_messages where endpoint_id = $1 and state = 'pending'`,
    values: [endpointId],
  });
  return rows[0]?.due ?? null;
}
