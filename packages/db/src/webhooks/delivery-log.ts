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

async function insertAttempt(sql: SqlExecutor, attempt: DeliveryAttempt): Promise<void> {
  await sql.query(
    `insert into webhook_deliveries
       (id, endpoint_id, event_id, event_type, attempt, redelivery, ok, status_code, latency_ms, response_snippet, error)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
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
    ],
  );
}

/** A Test-button send is logged, but says nothing about the endpoint's health: the endpoint row is untouched. */
export function logTestAttempt(sql: SqlExecutor, attempt: DeliveryAttempt): Promise<void> {
  return insertAttempt(sql, attempt);
}

/**
 * Logs a delivery attempt and updates the endpoint's health in one transaction. A failure starts (or
 * continues) the endpoint's failure streak; once the streak is `disableAfterMs` old the endpoint is
 * disabled with the reason. Answers whether this attempt disabled it.
 */
export async function recordDeliveryAttempt(
  pool: Pool,
  attempt: DeliveryAttempt,
  disableAfterMs: number,
): Promise<{ disabledNow: boolean }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await insertAttempt(client, attempt);
    await client.query(
      `update webhook_endpoints
       set last_attempt_at = now(), last_ok = $2, last_status_code = $3, last_error = $4,
           failing_since = case when $2 then null else coalesce(failing_since, now()) end
       where id = $1`,
      [attempt.endpointId, attempt.ok, attempt.statusCode, attempt.error],
    );
    const disabled = attempt.ok
      ? { rowCount: 0 }
      : await client.query(
          `update webhook_endpoints
           set enabled = false,
               disabled_reason = 'Disabled automatically: every delivery failed since '
                 || to_char(failing_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
                 || coalesce(' (last error: ' || last_error || ')', '')
           where id = $1 and enabled and failing_since <= now() - make_interval(secs => $2::double precision / 1000)`,
          [attempt.endpointId, disableAfterMs],
        );
    await client.query('commit');
    return { disabledNow: (disabled.rowCount ?? 0) > 0 };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
