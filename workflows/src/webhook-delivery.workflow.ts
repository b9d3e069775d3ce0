import type { WebhookActivities } from '@catalog/activities';
import { ActivityFailure, ApplicationFailure, proxyLocalActivities, TimeoutFailure } from '@temporalio/workflow';
import type { WebhookDeliveryInput, WebhookDeliveryResult } from './definitions';

/**
 * Attempts 1 s, 2 s, 4 s … apart, at most 2 hours apart, for a day: about 24 attempts. A receiver's
 * Retry-After replaces the wait before the next one.
 *
 * A local activity: a delivery is one short HTTP call, and running it inside the workflow task
 * makes a whole delivery one workflow task (no activity task to schedule, match and report), about
 * a third of the Temporal server's work per delivery, which is what bounds delivery throughput.
 * Every wait but the first (1 s) is a durable timer between workflow tasks, so a day of retries
 * holds no worker, and each attempt's outcome is recorded before the next. A worker that dies mid-attempt is noticed when the workflow task times out (10 s), and
 * the attempt runs again on another worker.
 */
const delivery = proxyLocalActivities<WebhookActivities>({
  // Covers the largest WEBHOOK_TIMEOUT_MS (60 s) and the bookkeeping around it.
  startToCloseTimeout: '90 seconds',
  scheduleToCloseTimeout: '24 hours',
  localRetryThreshold: '1 second',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 hours' },
});

/** Delivers one event to one endpoint; every HTTP attempt is logged by the activity. */
export async function WebhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
  try {
    return await delivery.deliverWebhook(input);
  } catch (error) {
    // The receiver refused for good, the endpoint was disabled, or a day of retries ran out: a
    // final answer for this delivery, which the log already shows, not a failure of the system.
    const reason = finalReason(error);
    if (reason === null) throw error;
    return { outcome: 'failed', reason };
  }
}

/** A local activity's last failure reaches the workflow as itself or wrapped in an ActivityFailure. */
function finalReason(error: unknown): string | null {
  const failure = error instanceof ActivityFailure && error.cause ? error.cause : error;
  if (failure instanceof ApplicationFailure || failure instanceof TimeoutFailure) return failure.message;
  return error instanceof ActivityFailure ? error.message : null;
}
