import { randomUUID } from 'node:crypto';
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
