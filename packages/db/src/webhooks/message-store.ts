import type { WebhookMessageLog, WebhookMessageState } from '@catalog/domain';
import type { Pool, QueryResult, QueryResultRow } from 'pg';

/** A pool or a transaction's client. */
export type Sql = { query: <R extends QueryResultRow>(text: string, values?: unknown[]) => Promise<QueryResult<R>> };

/** An endpoint whose lane should be woken, and the events that made it so (hints only). */
export type LaneToWake = { endpointId: string; name: string; eventIds: string[] };

type LaneRow = { endpoint_id: string; name: string; event_ids: string[] };

/**
 * The dispatcher's drain in one statement: claims up to `limit` undispatched events in outbox
 * order (SKIP LOCKED, so several dispatchers share the work), marks them dispatched, and turns each
 * into one message per subscribed endpoint: `pending` for an enabled endpoint, `held` for a
 * disabled one (kept for recover, never lost); a repeat is a no-op (one message per event and
 * endpoint). Returns how many events it claimed and the lanes given pending messages. One statement
 * instead of a transaction of five is most of the dispatcher's database cost.
 */
export async function dispatchEvents(pool: Pool, limit: number): Promise<{ claimed: number; lanes: LaneToWake[] }> {
  const { rows } = await pool.query<{ claimed: number } & Partial<LaneRow>>({
    name: 'webhook-dispatch-events',
    text: `with events as (
             select id, type, seq from outbox_events where dispatched_at is null
             order by seq limit $1 for update skip locked
           ),
           marked as (update outbox_events o set dispatched_at = now() from events c where o.id = c.id),
           inserted as (
             insert into webhook_messages (endpoint_id, event_id, event_type, event_seq, state)
             select e.id, o.id, o.type, o.seq, case when e.enabled then 'pending' else 'held' end
             from events o
             join webhook_endpoints e on e.event_types is null or e.event_types ? o.type
             order by o.seq
             on conflict (endpoint_id, event_id) do nothing
             returning endpoint_id, event_id, state
           ),
           lanes as (
             select i.endpoint_id, e.name, array_agg(i.event_id::text) as event_ids
             from inserted i join webhook_endpoints e on e.id = i.endpoint_id
             where i.state = 'pending'
             group by i.endpoint_id, e.name
           )
           select (select count(*)::int from events) as claimed, lanes.* from (select 1) as one
           left join lanes on true`,
    values: [limit],
  });
  return {
    claimed: rows[0]?.claimed ?? 0,
    lanes: rows.flatMap((row) =>
      row.endpoint_id && row.name && row.event_ids
        ? [{ endpointId: row.endpoint_id, name: row.name, eventIds: row.event_ids }]
        : [],
    ),
  };
}

/**
 * Enabled endpoints with a pending message due for longer than `graceMs` whose breaker is not
 * waiting: their lane missed a wake-up (a crash between commit and signal) or is not running. Of an
 * ordered endpoint only the first pending message (in event order) counts: the rest wait for it, so
 * a first message waiting on its retry makes the lane due at that retry, not before.
 */
export async function lanesWithOverdueMessages(pool: Pool, graceMs: number): Promise<LaneToWake[]> {
  const { rows } = await pool.query<{ id: string; name: string }>(
    `select e.id, e.name from webhook_endpoints e
     where e.enabled and (e.circuit_state = 'closed' or e.circuit_next_probe_at <= now())
       and case when e.ordered
         then (select m.next_attempt_at from webhook_messages m
               where m.endpoint_id = e.id and m.state = 'pending' order by m.event_seq, m.seq limit 1)
              <= now() - make_interval(secs => $1::double precision / 1000)
         else exists (select 1 from webhook_messages m
                      where m.endpoint_id = e.id and m.state = 'pending'
                        and m.next_attempt_at <= now() - make_interval(secs => $1::double precision / 1000))
       end`,
    [graceMs],
  );
  return rows.map((row) => ({ endpointId: row.id, name: row.name, eventIds: [] }));
}

/**
 * Redeliver: the message back to pending, due now, with a fresh retry schedule (created if missing,
 * in its event's place: nothing is created for an event no longer stored). A new `generation`, so a
 * batch in flight that read the message before records nothing over it. False when the event is gone.
 */
export async function requeueMessage(
  sql: Sql,
  message: { endpointId: string; eventId: string; eventType: string },
): Promise<boolean> {
  const { rowCount } = await sql.query(
    `insert into webhook_messages (endpoint_id, event_id, event_type, event_seq, state, redelivery)
     select $1, o.id, $3, o.seq, 'pending', true from outbox_events o where o.id = $2
     on conflict (endpoint_id, event_id) do update
     set state = 'pending', redelivery = true, attempts = 0, first_attempt_at = null, next_attempt_at = now(),
         generation = webhook_messages.generation + 1, updated_at = now()`,
    [message.endpointId, message.eventId, message.eventType],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Recover: every failed or held message of the endpoint created since `since` back to pending, due
 * now, with a fresh schedule and a new `generation` (as redeliver). Those sent before are logged as
 * redeliveries. Returns how many.
 */
export async function recoverMessages(sql: Sql, endpointId: string, since: Date): Promise<number> {
  const { rowCount } = await sql.query(
    `update webhook_messages
     set state = 'pending', redelivery = attempts > 0, attempts = 0, first_attempt_at = null, next_attempt_at = now(),
         generation = generation + 1, updated_at = now()
     where endpoint_id = $1 and state in ('failed', 'held') and created_at >= $2`,
    [endpointId, since],
  );
  return rowCount ?? 0;
}

/** A disabled endpoint's pending messages wait for an admin (recover) as `held`. */
export async function holdPendingMessages(sql: Sql, endpointId: string): Promise<number> {
  const { rowCount } = await sql.query(
    `update webhook_messages set state = 'held', updated_at = now() where endpoint_id = $1 and state = 'pending'`,
    [endpointId],
  );
  return rowCount ?? 0;
}

const ISO = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The endpoint's messages newest first, `limit` per page, keyset paged by `seq` (the cursor). */
export async function listMessages(
  pool: Pool,
  endpointId: string,
  options: { state?: WebhookMessageState; cursor?: string; limit: number },
): Promise<{ items: WebhookMessageLog[]; nextCursor: string | null }> {
  const { rows } = await pool.query<{
    seq: string;
    event_id: string;
    event_type: string;
    state: WebhookMessageState;
    attempts: number;
    last_status_code: number | null;
    last_error: string | null;
    next_attempt_at: string | null;
    delivered_at: string | null;
    created_at: string;
  }>(
    `select seq, event_id, event_type, state, attempts, last_status_code, last_error,
            case when state = 'pending' then ${ISO('next_attempt_at')} end as next_attempt_at,
            ${ISO('delivered_at')} as delivered_at, ${ISO('created_at')} as created_at
     from webhook_messages
     where endpoint_id = $1 and ($2::text is null or state = $2) and ($3::bigint is null or seq < $3)
     order by seq desc limit $4`,
    [endpointId, options.state ?? null, options.cursor ?? null, options.limit + 1],
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      eventId: row.event_id,
      eventType: row.event_type,
      state: row.state,
      attempts: row.attempts,
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at,
      deliveredAt: row.delivered_at,
      createdAt: row.created_at,
    })),
    nextCursor: rows.length > options.limit && last ? last.seq : null,
  };
}
