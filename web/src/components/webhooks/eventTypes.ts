import type { CatalogEventType, WebhookEvents } from '@catalog/domain';

/** Every event type an endpoint can subscribe to, with the words the page uses for it. */
export const eventTypeLabels: Record<CatalogEventType, string> = {
  'product.created': 'Product created',
  'product.updated': 'Product updated',
  'product.deleted': 'Product deleted',
  'products.bulk_deleted': 'All products deleted',
  'import.started': 'Import started',
  'import.completed': 'Import completed',
  'import.failed': 'Import failed or cancelled',
  'import.undone': 'Import undone',
};

export const eventTypes = Object.keys(eventTypeLabels).filter((key): key is CatalogEventType => key in eventTypeLabels);

export function describeEvents(events: WebhookEvents): string {
  if (events === 'all') return 'All events';
  return events.map((type) => eventTypeLabels[type]).join(', ');
}
