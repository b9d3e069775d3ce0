import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvents,
  WebhookSecret,
  WebhookTestResult,
} from '@catalog/domain';
import type { ApiClient } from './client';

/** How an endpoint's lane stands: paused while its circuit breaker is open, between probes. */
export type WebhookLaneState = 'active' | 'paused' | 'disabled';

/**
 * What per-endpoint delivery lanes (issue 10) add to an endpoint. Partial on the endpoint the page
 * reads, because an API from before the lanes omits them: the page then shows what it had before.
 */
export interface WebhookLaneFields {
  /** Messages per second at most; null sends as fast as the receiver answers. */
  rateLimitPerSecond: number | null;
  /** Later messages wait while one is retried. */
  ordered: boolean;
  state: WebhookLaneState;
  circuit: { openedAt: string; nextProbeAt: string } | null;
}

export type WebhookEndpointView = WebhookEndpoint & Partial<WebhookLaneFields>;

export const RATE_LIMIT_MAX = 10_000;

export interface WebhookInput {
  name: string;
  url: string;
  events: WebhookEvents;
  enabled: boolean;
  rateLimitPerSecond: number | null;
  ordered: boolean;
}

export const messageStates = ['pending', 'delivered', 'failed', 'held'] as const;
export type MessageState = (typeof messageStates)[number];

/** One event for one endpoint, whatever number of attempts it took. */
export interface WebhookMessage {
  eventId: string;
  eventType: string;
  state: MessageState;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

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
