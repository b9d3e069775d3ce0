import { randomUUID } from 'node:crypto';
import { type Database, logTestAttempt } from '@catalog/db';
import type { WebhookSettings, WebhookTestResult } from '@catalog/domain';
import { messageBody } from './message';
import { sendSigned } from './send-signed';
import { attemptError, judge } from './verdict';

export type TestTarget = { endpointId: string; url: string; secrets: string[] };

/**
 * The Test button: a signed `webhook.test` message sent at once (not through Temporal, so it answers
 * even while workers are busy), logged like any attempt but without touching the endpoint's health.
 */
export async function sendTestEvent(
  db: Database,
  target: TestTarget,
  settings: WebhookSettings,
): Promise<WebhookTestResult> {
  const eventId = randomUUID();
  const body = messageBody('webhook.test', new Date().toISOString(), {
    endpointId: target.endpointId,
    message: 'This is a test event',
  });
  const outcome = await sendSigned({ url: target.url, messageId: eventId, body, secrets: target.secrets }, settings);
  const verdict = judge(outcome);
  const result: WebhookTestResult = {
    ok: verdict.kind === 'delivered',
    status: outcome.kind === 'response' ? outcome.statusCode : null,
    latencyMs: outcome.latencyMs,
    responseSnippet: outcome.kind === 'response' ? outcome.snippet : null,
    error: attemptError(outcome, verdict),
  };
  await logTestAttempt(db.pool, {
    endpointId: target.endpointId,
    eventId,
    eventType: 'webhook.test',
    attempt: 1,
    redelivery: false,
    ok: result.ok,
    statusCode: result.status,
    latencyMs: result.latencyMs,
    responseSnippet: result.responseSnippet,
    error: result.error,
  });
  return result;
}
