import type { LaneAttempt, LaneEndpoint, LaneMessage } from '@catalog/db';
import type { WebhookSettings } from '@catalog/domain';
import { attemptError, judge, messageBody, messageFate, sendSigned } from '@catalog/webhooks';

/**
 * Sends a batch's messages to one endpoint, and answers each one's attempt in the order they
 * finished. Unordered: up to `endpointConcurrency` at once, a failure holding back nothing. Ordered:
 * one after another, stopping at the first message not due yet or to be retried (a message failed
 * for good no longer holds the rest back). Under a rate limit the sends start 1/rate s apart.
 */
/** Sends a batch starts within; with the timeout (60 s at most) it stays well inside the activity's 15 minutes. */
export const BATCH_SEND_BUDGET_MS = 120_000;

export async function sendMessages(
  endpoint: LaneEndpoint,
  messages: LaneMessage[],
  settings: WebhookSettings,
  onSent: () => void,
): Promise<LaneAttempt[]> {
  const attempts: LaneAttempt[] = [];
  const started = Date.now();
  // A batch is recorded when it ends: past its budget it starts no more sends, so slow receivers
  // (an ordered endpoint, one answering near the timeout) never keep it past the activity's limit,
  // where nothing would be recorded and the same messages would be sent again. The rest stay
  // pending for the lane's next batch.
  const overBudget = () => Date.now() - started >= BATCH_SEND_BUDGET_MS;
  const spacingMs = endpoint.rateLimitPerSecond ? 1_000 / endpoint.rateLimitPerSecond : 0;
  let next = 0;
  const sendNext = async (): Promise<LaneAttempt | null> => {
    if (overBudget()) return null;
    const index = next++;
    const message = messages[index];
    if (!message) return null;
    const wait = started + index * spacingMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const attempt = await sendOne(endpoint, message, settings);
    attempts.push(attempt);
    onSent();
    return attempt;
  };

  if (endpoint.ordered) {
    for (const message of messages) {
      if (message.nextAttemptAt > Date.now()) break;
      const attempt = await sendNext();
      if (attempt?.state === 'pending') break;
    }
    return attempts;
  }
  const runner = async () => {
    while ((await sendNext()) !== null);
  };
  await Promise.all(Array.from({ length: Math.min(settings.endpointConcurrency, messages.length) }, runner));
  return attempts;
}

/** One message's attempt, signed at send time under the message's stable `webhook-id` (the event id). */
async function sendOne(endpoint: LaneEndpoint, message: LaneMessage, settings: WebhookSettings): Promise<LaneAttempt> {
  const attempt = message.attempts + 1;
  const base = {
    seq: message.seq,
    eventId: message.eventId,
    eventType: message.eventType,
    attempt,
    generation: message.generation,
    redelivery: message.redelivery,
  };
  const { event } = message;
  if (!event) {
    // Only a deleted outbox row gets here: retention keeps the events of undelivered messages.
    const error = 'the event is no longer stored';
    return {
      ...base,
      ok: false,
      statusCode: null,
      latencyMs: 0,
      responseSnippet: null,
      error,
      state: 'failed',
      retryInMs: null,
    };
  }
  const body = messageBody(event.type, event.occurredAt, event.data);
  const outcome = await sendSigned(
    { url: endpoint.url, messageId: message.eventId, body, secrets: endpoint.secrets },
    settings,
  );
  const verdict = judge(outcome);
  const now = Date.now();
  const fate = messageFate(verdict, attempt, message.firstAttemptAt ?? now, now);
  return {
    ...base,
    ok: verdict.kind === 'delivered',
    statusCode: outcome.kind === 'response' ? outcome.statusCode : null,
    latencyMs: outcome.latencyMs,
    responseSnippet: outcome.kind === 'response' ? outcome.snippet : null,
    error: attemptError(outcome, verdict),
    state: fate.state,
    retryInMs: fate.state === 'pending' ? fate.nextAttemptAt - now : null,
  };
}
