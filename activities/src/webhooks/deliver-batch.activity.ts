import { holdPendingMessages, loadLaneBatch, nextDueAt, recordLaneBatch, type SecretBox } from '@catalog/db';
import type { WebhookSettings } from '@catalog/domain';
import type { LaneBatchInput, LaneBatchSummary } from '@catalog/workflows';
import type { ActivityDeps } from '../deps';
import { keepHeartbeating } from '../heartbeat';
import { laneHealth } from './lane-health';
import { sendMessages } from './send-messages';

/** Deliveries also open the endpoints' signing secrets. */
export type DeliveryDeps = ActivityDeps & { secrets: SecretBox };

const ended = (endpoint: 'disabled' | 'gone'): LaneBatchSummary => ({
  endpoint,
  sent: 0,
  delivered: 0,
  failed: 0,
  consecutiveFailures: 0,
  circuit: 'closed',
  nextDueAt: null,
  rateLimitPerSecond: null,
  lastSentAt: null,
});

/**
 * One batch of an endpoint's lane: the endpoint and its due messages in one query, sent (see
 * sendMessages), then every attempt, message state and the endpoint's health and breaker recorded
 * in one statement. Idempotent: a batch run again (its worker died) reads the messages still
 * pending, so a message is repeated only if its attempt was not recorded, under the same
 * `webhook-id`. A disabled endpoint's pending messages are held (a wake-up may have raced the
 * disabling), and its lane ends.
 */
export function createDeliverBatch({ db, secrets }: DeliveryDeps, settings: WebhookSettings) {
  return async function deliverBatch(input: LaneBatchInput): Promise<LaneBatchSummary> {
    const loaded = await loadLaneBatch(db.pool, secrets, input.endpointId, input.limit);
    if (!loaded) return ended('gone');
    const { endpoint, messages } = loaded;
    if (!endpoint.enabled) {
      await holdPendingMessages(db.pool, input.endpointId);
      return ended('disabled');
    }

    let sent = 0;
    const stopHeartbeating = keepHeartbeating(() => ({ sent }));
    const attempts = await sendMessages(endpoint, messages, settings, () => sent++).finally(stopHeartbeating);
    const now = Date.now();
    let health = null;
    if (attempts.length > 0) {
      health = laneHealth(endpoint, attempts, settings, now);
      const { disabledNow } = await recordLaneBatch(
        db.pool,
        input.endpointId,
        attempts,
        health,
        settings.disableAfterMs,
      );
      if (disabledNow) {
        await holdPendingMessages(db.pool, input.endpointId);
        return ended('disabled');
      }
    }
    const circuit = health?.circuit ?? endpoint.circuit;
    const due = await nextDueAt(db.pool, input.endpointId, endpoint.ordered);
    return {
      endpoint: 'active',
      sent: attempts.length,
      delivered: attempts.filter((attempt) => attempt.state === 'delivered').length,
      failed: attempts.filter((attempt) => attempt.state === 'failed').length,
      consecutiveFailures: health?.consecutiveFailures ?? endpoint.consecutiveFailures,
      circuit: circuit.state,
      nextDueAt: due !== null && circuit.state === 'open' ? Math.max(due, circuit.nextProbeAt ?? due) : due,
      rateLimitPerSecond: endpoint.rateLimitPerSecond,
      lastSentAt: attempts.length > 0 ? now : null,
    };
  };
}
