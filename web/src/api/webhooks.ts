import {
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEvents,
  type WebhookMessageLog,
  type WebhookMessageState,
  type WebhookSecret,
  type WebhookTestResult,
  webhookMessageStates,
} from '@catalog/domain';
import type { ApiClient } from './client';

/** An endpoint as the page shows it: what the user set, its lane's settings and state. */
export type WebhookEndpointView = WebhookEndpoint;

export const RATE_LIMIT_MAX = 10_000;

export interface WebhookInput {
  name: string;
  url: string;
  events: WebhookEvents;
  enabled: boolean;
  rateLimitPerSecond: number | null;
  ordered: boolean;
}

export const messageStates = webhookMessageStates;
export type MessageState = WebhookMessageState;
/** One event for one endpoint, whatever number of attempts it took. */
export type WebhookMessage = WebhookMessageLog;

export interface MessagePage {
  items: WebhookMessage[];
  nextCursor: string | null;
}

export interface DeliveryPage {
  items: WebhookDelivery[];
  page: number;
  pageSize: number;
  total: number;
}

const webhookPath = (id: string): string => `/api/webhooks/${encodeURIComponent(id)}`;

export const listWebhooks = (api: ApiClient): Promise<{ items: WebhookEndpointView[] }> => api.request('/api/webhooks');

/** Quiet: the form shows the refusal (an invalid or private URL) next to its fields. */
export const createWebhook = (api: ApiClient, input: WebhookInput): Promise<WebhookEndpointView> =>
  api.request('/api/webhooks', { method: 'POST', body: input, quiet: true });

export const updateWebhook = (
  api: ApiClient,
  id: string,
  changes: Partial<WebhookInput>,
): Promise<WebhookEndpointView> => api.request(webhookPath(id), { method: 'PATCH', body: changes, quiet: true });

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

/** Quiet: the dialog shows the refusal (a disabled endpoint, a time in the future) itself. */
export const recoverMessages = (api: ApiClient, id: string, since: string): Promise<{ recovered: number }> =>
  api.request(`${webhookPath(id)}/recover`, { method: 'POST', body: { since }, quiet: true });

export function listMessages(
  api: ApiClient,
  id: string,
  state: MessageState | null,
  cursor: string | null,
): Promise<MessagePage> {
  const query = new URLSearchParams();
  if (state) query.set('state', state);
  if (cursor) query.set('cursor', cursor);
  const search = query.size > 0 ? `?${query}` : '';
  return api.request(`${webhookPath(id)}/messages${search}`);
}
