import type { WebhookSettings } from '@catalog/domain';
import type { ActivityDeps } from '../deps';
import { createDeliverWebhook } from './deliver.activity';

export function createWebhookActivities(deps: ActivityDeps, settings: WebhookSettings) {
  return { deliverWebhook: createDeliverWebhook(deps, settings) };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
