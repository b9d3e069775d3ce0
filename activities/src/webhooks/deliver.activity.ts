import { readDelivery, recordDeliveryAttempt, type SecretBox } from '@catalog/db';
import type { WebhookSettings } from '@catalog/domain';
import { attemptError, judge, messageBody, sendSigned } from '@catalog/webhooks';
import type { WebhookDeliveryInput, WebhookDeliveryResult } from '@catalog/workflows';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps';

/** How an attempt's failure is labelled in Temporal; only `DeliveryFailed` is retried. */
export const deliveryFailureTypes = {
  failed: 'DeliveryFailed',
  rejected: 'DeliveryRejected',
  endpointDisabled: 'EndpointDisabled',
} as const;

/** Deliveries also open the endpoints' signing secrets. */
export type DeliveryDeps = ActivityDeps & { secrets: SecretBox };

/**
 * One attempt to deliver one event to one endpoint (a local activity of the delivery workflow, whose
 * retry policy makes the next ones). Every attempt is logged with the endpoint's health in one
 * statement. An endpoint that is gone or disabled, or an event no longer stored, ends the delivery
 * quietly.
 */
export function createDeliverWebhook({ db, secrets }: DeliveryDeps, settings: WebhookSettings) {
  return async function deliverWebhook(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
    const { attempt } = Context.current().info;
    const { target, event } = await readDelivery(db.pool, secrets, input.endpointId, input.eventId);
    if (!target) return { outcome: 'skipped', reason: 'the endpoint was deleted' };
    if (!target.enabled) return { outcome: 'skipped', reason: 'the endpoint is disabled' };
    if (!event) return { outcome: 'skipped', reason: 'the event is no longer stored' };

    const body = messageBody(event.type, event.occurredAt, event.data);
    const outcome = await sendSigned({ url: target.url, messageId: event.id, body, secrets: target.secrets }, settings);

    const verdict = judge(outcome);
    const { disabledNow } = await recordDeliveryAttempt(
      db.pool,
      {
        endpointId: input.endpointId,
        eventId: event.id,
        eventType: event.type,
        attempt,
        redelivery: input.redelivery,
        ok: verdict.kind === 'delivered',
        statusCode: outcome.kind === 'response' ? outcome.statusCode : null,
        latencyMs: outcome.latencyMs,
        responseSnippet: outcome.kind === 'response' ? outcome.snippet : null,
        error: attemptError(outcome, verdict),
      },
      settings.disableAfterMs,
    );

    if (verdict.kind === 'delivered' && outcome.kind === 'response') {
      return { outcome: 'delivered', attempt, statusCode: outcome.statusCode };
    }
    if (disabledNow) {
      throw ApplicationFailure.nonRetryable(
        'The endpoint failed for too long and was disabled',
        deliveryFailureTypes.endpointDisabled,
      );
    }
    if (verdict.kind === 'reject') throw ApplicationFailure.nonRetryable(verdict.reason, deliveryFailureTypes.rejected);
    const reason = verdict.kind === 'retry' ? verdict.reason : 'not delivered';
    const retryAfterMs = verdict.kind === 'retry' ? verdict.retryAfterMs : null;
    throw ApplicationFailure.create({
      message: reason,
      type: deliveryFailureTypes.failed,
      ...(retryAfterMs !== null ? { nextRetryDelay: retryAfterMs } : {}),
    });
  };
}
