import type { Pool } from 'pg';
import type { DeliveryAttempt } from './delivery-log';

/** One attempt of a batch (as the delivery log keeps it) and the message's state after it. */
export type LaneAttempt = Omit<DeliveryAttempt, 'endpointId'> & {
  seq: string;
  /** The message's generation when the batch read it (see LaneMessage). */
  generation: number;
  state: 'pending' | 'delivered' | 'failed';
  /** When still pending: how long from now (the database's clock, which the due check reads) until the next attempt. */
  retryInMs: number | null;
};

/** The endpoint's health and breaker after the batch, as the lane computed them. */
export type LaneHealth = {
  /** The attempt that finished last. */
  last: { ok: boolean; statusCode: number | null; error: string | null };
  anySuccess: boolean;
  consecutiveFailures: number;
  circuit: { state: 'closed' | 'open'; openedAt: number | null; nextProbeAt: number | null };
};

const column = <T>(attempts: LaneAttempt[], pick: (attempt: LaneAttempt) => T): T[] => attempts.map(pick);

/**
 * Records a batch in one statement: every attempt in one multi-row insert into the delivery log,
 * every message's new state in one update, and the endpoint's health and breaker. A failure while
 * the endpoint's failure streak is `disableAfterMs` old (and nothing in the batch succeeded)
 * disables it with the reason, as a single attempt did before lanes; `old` reads and locks the row
 * as it was (`for no key update`: the dispatcher's message inserts take key-share locks on the row
 * through their foreign key, and `for update` would queue every record behind them). A message is
 * updated only if it is as the batch read it: its attempts one short of this attempt and its
 * generation unchanged (a redeliver or recover meanwhile keeps its new state and schedule); and
 * pending, or held by a disabling meanwhile, where only a delivery is recorded (the receiver
 * accepted it) and a message not delivered stays held. Every attempt is logged.
 */
export async function recordLaneBatch(
  pool: Pool,
  endpointId: string,
  attempts: LaneAttempt[],
  health: LaneHealth,
  disableAfterMs: number,
): Promise<{ disabledNow: boolean }> {
  const { rows } = await pool.query<{ disabled_now: boolean }>({
    name: 'webhook-lane-record',
    text: `with attempts as (
       select * from unnest($2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::bool[], $7::bool[], $8::int[],
                            $9::int[], $10::text[], $11::text[], $12::text[], $13::float8[], $23::int[])
         as a(seq, event_id, event_type, attempt, redelivery, ok, status_code, latency_ms, snippet, error, state, retry_in_ms,
              generation)
     ), logged as (
       insert into webhook_deliveries
         (id, endpoint_id, event_id, event_type, attempt, redelivery, ok, status_code, latency_ms, response_snippet, error)
       select gen_random_uuid(), $1, event_id, event_type, attempt, redelivery, ok, status_code, latency_ms, snippet, error
       from attempts
     ), messages as (
       update webhook_messages m
       set state = a.state, attempts = a.attempt, first_attempt_at = coalesce(m.first_attempt_at, now()),
           next_attempt_at = coalesce(now() + a.retry_in_ms * interval '1 millisecond', m.next_attempt_at),
           last_status_code = a.status_code, last_error = a.error,
           delivered_at = case when a.state = 'delivered' then now() else m.delivered_at end, updated_at = now()
       from attempts a
       where m.seq = a.seq and m.generation = a.generation and m.attempts = a.attempt - 1
         and (m.state = 'pending' or (m.state = 'held' and a.state = 'delivered'))
     )
     update webhook_endpoints e
     set last_attempt_at = now(), last_ok = $14, last_status_code = $15, last_error = $16,
         failing_since = case when $18::int = 0 then null when $17::boolean then now() else coalesce(e.failing_since, now()) end,
         consecutive_failures = $18, circuit_state = $19,
         circuit_opened_at = to_timestamp($20::float8 / 1000), circuit_next_probe_at = to_timestamp($21::float8 / 1000),
         enabled = e.enabled and not old.tripped,
         disabled_reason = case when old.tripped
           then 'Disabled automatically: every delivery failed since '
             || to_char(e.failing_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
             || coalesce(' (last error: ' || $16 || ')', '')
           else e.disabled_reason end
     from (
       select id, (not $17::boolean and $18::int > 0 and enabled
                   and coalesce(failing_since <= now() - make_interval(secs => $22::double precision / 1000), false)) as tripped
       from webhook_endpoints where id = $1 for no key update
     ) as old
     where e.id = old.id
     returning old.tripped as disabled_now`,
    values: [
      endpointId,
      column(attempts, (a) => a.seq),
      column(attempts, (a) => a.eventId),
      column(attempts, (a) => a.eventType),
      column(attempts, (a) => a.attempt),
      column(attempts, (a) => a.redelivery),
      column(attempts, (a) => a.ok),
      column(attempts, (a) => a.statusCode),
      column(attempts, (a) => a.latencyMs),
      column(attempts, (a) => a.responseSnippet),
      column(attempts, (a) => a.error),
      column(attempts, (a) => a.state),
      column(attempts, (a) => a.retryInMs),
      health.last.ok,
      health.last.statusCode,
      health.last.error,
      health.anySuccess,
      health.consecutiveFailures,
      health.circuit.state,
      health.circuit.openedAt,
      health.circuit.nextProbeAt,
      disableAfterMs,
      column(attempts, (a) => a.generation),
    ],
  });
  return { disabledNow: rows[0]?.disabled_now === true };
}
