import { z } from 'zod';

/** Every event type a webhook endpoint can subscribe to (`webhook.test` is sent only by the Test button). */
export const catalogEventTypes = [
  'product.created',
  'product.updated',
  'product.deleted',
  'products.bulk_deleted',
  'import.started',
  'import.completed',
  'import.failed',
  /** One event per undo job, however many products it put back: counts, not rows. */
  'import.undone',
] as const;
export type CatalogEventType = (typeof catalogEventTypes)[number];
export const catalogEventTypeSchema = z.enum(catalogEventTypes);
export type WebhookEventType = CatalogEventType | 'webhook.test';
