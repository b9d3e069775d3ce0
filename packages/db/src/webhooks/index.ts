export { type WebhookDeliveryEntity, WebhookDeliverySchema } from './delivery.entity';
export { type DeliveryTarget, readDelivery, readStoredEvent, type StoredEvent } from './delivery-context';
export { type DeliveryAttempt, logTestAttempt, recordDeliveryAttempt } from './delivery-log';
export { type WebhookEndpointEntity, WebhookEndpointSchema } from './endpoint.entity';
export {
  createWebhookRepository,
  type NewWebhookEndpoint,
  type WebhookEndpointChanges,
  type WebhookRepository,
  type WebhookSecrets,
} from './endpoint-repository';
export { type ReencryptScope, reencryptWebhookSecrets } from './reencrypt-secrets';
