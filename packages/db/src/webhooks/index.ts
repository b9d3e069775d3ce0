export { type WebhookDeliveryEntity, WebhookDeliverySchema } from './delivery.entity';
export { readStoredEvent, type StoredEvent } from './delivery-context';
export { type DeliveryAttempt, logTestAttempt } from './delivery-log';
export { type WebhookEndpointEntity, WebhookEndpointSchema } from './endpoint.entity';
export {
  createWebhookRepository,
  type NewWebhookEndpoint,
  type WebhookEndpointChanges,
  type WebhookRepository,
  type WebhookSecrets,
} from './endpoint-repository';
export { type LaneEndpoint, type LaneMessage, loadLaneBatch, nextDueAt } from './lane-batch';
export { LANE_NOTIFY_CHANNEL, notifyLane } from './lane-notify';
export {
  dispatchEvents,
  holdPendingMessages,
  type LaneToWake,
  lanesWithOverdueMessages,
  listMessages,
  recoverMessages,
  requeueMessage,
  type Sql,
} from './message-store';
export { type LaneAttempt, type LaneHealth, recordLaneBatch } from './record-lane-batch';
export { type ReencryptScope, reencryptWebhookSecrets } from './reencrypt-secrets';
