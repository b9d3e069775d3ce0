import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { SqlExecutor } from '../outbox';

/** What one HTTP attempt produced, as the delivery log keeps it. */
export type DeliveryAttempt = {
  endpointId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  redelivery: boolean;
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  responseSnippet: string | null;
  error: string | null;
};

const attemptValues = (attempt: DeliveryAttempt) => [
  randomUUID(),
  attempt.endpointId,
  attempt.eventId,
  attempt.eventType,
  attempt.attempt,
  attempt.redelivery,
  attempt.ok,
  attempt.statusCode,
  attempt.latencyMs,
  attempt.responseSnippet,
  attempt.error,
];

const INSERT_ATTEMPT = `
  insert into webhook_deliveries
    (id, endpoint_id, event_id, event_type, attempt, redelivery, ok, status_code, latency_ms, response_snippet, error)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;

/** A Test-button send is logged, but says nothing about the endpoint's health: the endpoint row is untouched. */
export async function logTestAttempt(sql: SqlExecutor, attempt: DeliveryAttempt): Promise<void> {
  await sql.query(INSERT_ATTEMPT, attemptValues(attempt));
}

/**
 * Logs a delivery attempt and updates the endpoint's health, in one statement (so atomically, and in
 * one round trip: this runs for every delivery). A failure starts or continues the endpoint's failure
 * streak; a failure when the streak is `disableAfterMs` old disables the endpoint with the reason.
 * `old` reads (and locks) the row as it was: SET and RETURNING would otherwise see different rows.
 */
export async function recordDeliveryAttempt(
  pool: Pool,
  attempt: DeliveryAttempt,
  disableAfterMs: number,
): Promise<{ disabledNow: boolean }> {
  const { rows } = await pool.query<{ disabled_now: boolean }>(
    `with logged as (${INSERT_ATTEMPT})
     update webhook_endpoints e
     set last_attempt_at = now(), last_ok = $7, last_status_code = $8, last_error = $11,
         failing_since = case when $7 then null else coalesce(e.failing_since, now()) end,
         enabled = e.enabled and not old.tripped,
         disabled_reason = case when old.tripped
           then 'Disabled automatically: every delivery failed since '
             || to_char(e.failing_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
             || coalesce(' (last error: ' || $11 || ')', '')
           else e.disabled_reason end
     from (
       select id, (not $7::boolean and enabled
                   and coalesce(failing_since <= now() - make_interval(secs => $12::double precision / 1000), false)) as tripped
       from webhook_endpoints where id = $2 for update
     ) as old
     where e.id = old.id
     returning old.tripped as disabled_now`,
    [...attemptValues(attempt), disableAfterMs],
  );
  return { disabledNow: rows[0]?.disabled_now === true };
}
