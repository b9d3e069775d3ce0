import type { WebhookSettings } from '@catalog/domain';
import { createDeliverWebhook, type DeliveryDeps } from './deliver.activity';

export function createWebhookActivities(deps: DeliveryDeps, settings: WebhookSettings) {
  return { deliverWebhook: createDeliverWebhook(deps, settings) };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
