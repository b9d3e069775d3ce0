import type { WebhookSettings } from '@catalog/domain';
import { createDeliverBatch, type DeliveryDeps } from './deliver-batch.activity';

export function createWebhookActivities(deps: DeliveryDeps, settings: WebhookSettings) {
  return { deliverBatch: createDeliverBatch(deps, settings) };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
