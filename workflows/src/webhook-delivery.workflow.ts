import type { WebhookActivities } from '@catalog/activities';
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { WebhookDeliveryInput, WebhookDeliveryResult } from './definitions';

/**
 * Attempts 1 s, 2 s, 4 s … apart, at most 2 hours apart, for a day: about 24 attempts. A receiver's
 * Retry-After replaces the wait before the next one. Heartbeats (while a receiver is slow to answer)
 * let a dead worker's attempt be retried within seconds; the start-to-close timeout only needs to
 * cover the largest WEBHOOK_TIMEOUT_MS (60 s) and the bookkeeping around it.
 */
const delivery = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '90 seconds',
  heartbeatTimeout: '5 seconds',
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 hours' },
});

/** Delivers one event to one endpoint; every HTTP attempt is logged by the activity. */
export async function WebhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
  try {
    return await delivery.deliverWebhook(input);
  } catch (error) {
    // The receiver refused for good, the endpoint was disabled, or a day of retries ran out: a
    // final answer for this delivery, which the log already shows, not a failure of the system.
    if (error instanceof ActivityFailure) return { outcome: 'failed', reason: describe(error) };
    throw error;
  }
}

function describe(failure: ActivityFailure): string {
  const cause = failure.cause;
  if (cause instanceof ApplicationFailure) return cause.message;
  return cause?.message ?? failure.message;
}
