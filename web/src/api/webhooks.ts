import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvents,
  WebhookSecret,
  WebhookTestResult,
} from '@catalog/domain';
import type { ApiClient } from './client';

export interface WebhookInput {
  name: string;
  url: string;
  events: WebhookEvents;
  enabled: boolean;
}

export interface DeliveryPage {
  items: WebhookDelivery[];
  page: number;
  pageSize: number;
  total: number;
}

const webhookPath = (id: string): string => `/api/webhooks/${encodeURIComponent(id)}`;

export const listWebhooks = (api: ApiClient): Promise<{ items: WebhookEndpoint[] }> => api.request('/api/webhooks');

/** Quiet: the form shows the refusal (an invalid or private URL) next to its fields. */
export const createWebhook = (api: ApiClient, input: WebhookInput): Promise<WebhookEndpoint> =>
  api.request('/api/webhooks', { method: 'POST', body: input, quiet: true });

export const updateWebhook = (api: ApiClient, id: string, changes: Partial<WebhookInput>): Promise<WebhookEndpoint> =>
  api.request(webhookPath(id), { method: 'PATCH', body: changes, quiet: true });

export const deleteWebhook = (api: ApiClient, id: string): Promise<void> =>
  api.request(webhookPath(id), { method: 'DELETE' });

export const testWebhook = (api: ApiClient, id: string): Promise<WebhookTestResult> =>
  api.request(`${webhookPath(id)}/test`, { method: 'POST' });

export const revealSecret = (api: ApiClient, id: string): Promise<WebhookSecret> =>
  api.request(`${webhookPath(id)}/secret`);

export const rotateSecret = (api: ApiClient, id: string): Promise<WebhookSecret> =>
  api.request(`${webhookPath(id)}/secret/rotate`, { method: 'POST' });

export const listDeliveries = (api: ApiClient, id: string, page: number, pageSize: number): Promise<DeliveryPage> =>
  api.request(`${webhookPath(id)}/deliveries?page=${page}&pageSize=${pageSize}`);

export const redeliver = (api: ApiClient, deliveryId: string): Promise<unknown> =>
  api.request(`/api/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { method: 'POST' });
