import type { Database } from '@catalog/db';
import { holdPendingMessages, loadLaneBatch, recordLaneBatch, type SecretBox } from '@catalog/db';
import type { WebhookSettings } from '@catalog/domain';
import { laneHealth } from './lane-health';
import { sendMessages } from './send-messages';

/** What one round of a batch did: the endpoint's end, or its sends and the breaker after them. */
export type LaneRound =
  | { ended: 'disabled' | 'gone' }
  | {
      ended: null;
      ordered: boolean;
      sent: number;
      delivered: number;
      failed: number;
      /** Any attempt that did not deliver: its retry (or the breaker) is the lane's to schedule. */
      anyNotDelivered: boolean;
      consecutiveFailures: number;
      circuit: { state: 'closed' | 'open'; nextProbeAt: number | null };
      rateLimitPerSecond: number | null;
      lastSentAt: number | null;
    };

/**
 * One round: the endpoint and its due messages in one query, sent (see sendMessages), then every
 * attempt, message state and the endpoint's health and breaker recorded in one statement. A
 * disabled endpoint's pending messages are held (a wake-up may have raced the disabling).
 */
export async function runLaneRound(
  db: Database,
  secrets: SecretBox,
  settings: WebhookSettings,
  input: { endpointId: string; limit: number },
  onSent: () => void,
): Promise<LaneRound> {
  const loaded = await loadLaneBatch(db.pool, secrets, input.endpointId, input.limit);
  if (!loaded) return { ended: 'gone' };
  const { endpoint, messages } = loaded;
  if (!endpoint.enabled) {
    await holdPendingMessages(db.pool, input.endpointId);
    return { ended: 'disabled' };
  }
  const attempts = await sendMessages(endpoint, messages, settings, onSent);
  const now = Date.now();
  let health = null;
  if (attempts.length > 0) {
    health = laneHealth(endpoint, attempts, settings, now);
    const { disabledNow } = await recordLaneBatch(db.pool, input.endpointId, attempts, health, settings.disableAfterMs);
    if (disabledNow) {
      await holdPendingMessages(db.pool, input.endpointId);
      return { ended: 'disabled' };
    }
  }
  const delivered = attempts.filter((attempt) => attempt.state === 'delivered').length;
  return {
    ended: null,
    ordered: endpoint.ordered,
    sent: attempts.length,
    delivered,
    failed: attempts.filter((attempt) => attempt.state === 'failed').length,
    anyNotDelivered: delivered < attempts.length,
    consecutiveFailures: health?.consecutiveFailures ?? endpoint.consecutiveFailures,
    circuit: health?.circuit ?? endpoint.circuit,
    rateLimitPerSecond: endpoint.rateLimitPerSecond,
    lastSentAt: attempts.length > 0 ? now : null,
  };
}
