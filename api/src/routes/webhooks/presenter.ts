import type { WebhookDeliveryEntity, WebhookEndpointEntity, WebhookSecrets } from '@catalog/db';
import type { CatalogEventType, WebhookDelivery, WebhookEndpoint, WebhookEvents, WebhookSecret } from '@catalog/domain';

/**
 * An endpoint as JSON. Below admin the URL loses its user:password part and its query, where
 * receivers often put a token: a viewer reads everything except secrets.
 */
export function presentEndpoint(entity: WebhookEndpointEntity, fullUrl = true): WebhookEndpoint {
  const previousExpiry = entity.previousSecretExpiresAt ?? null;
  return {
    id: entity.id,
    name: entity.name,
    url: fullUrl ? entity.url : withoutCredentials(entity.url),
    events: entity.eventTypes ?? 'all',
    enabled: entity.enabled,
    disabledReason: entity.disabledReason ?? null,
    failingSince: entity.failingSince?.toISOString() ?? null,
    lastDelivery: entity.lastAttemptAt
      ? {
          at: entity.lastAttemptAt.toISOString(),
          ok: entity.lastOk ?? false,
          statusCode: entity.lastStatusCode ?? null,
          error: entity.lastError ?? null,
        }
      : null,
    previousSecretExpiresAt: previousExpiry && previousExpiry > new Date() ? previousExpiry.toISOString() : null,
    rateLimitPerSecond: entity.rateLimitPerSecond ?? null,
    ordered: entity.ordered,
    ...laneState(entity),
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/** `paused`: the circuit breaker is open; a disabled endpoint's breaker does not matter until it is enabled. */
function laneState(entity: WebhookEndpointEntity): Pick<WebhookEndpoint, 'state' | 'circuit'> {
  if (!entity.enabled) return { state: 'disabled', circuit: null };
  if (entity.circuitState !== 'open' || !entity.circuitOpenedAt) return { state: 'active', circuit: null };
  return {
    state: 'paused',
    circuit: {
      openedAt: entity.circuitOpenedAt.toISOString(),
      nextProbeAt: entity.circuitNextProbeAt?.toISOString() ?? null,
    },
  };
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  const query = parsed.search ? '?…' : '';
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
}

export function presentSecrets(secrets: WebhookSecrets): WebhookSecret {
  return {
    secret: secrets.secret,
    previousSecret: secrets.previousSecret,
    previousSecretExpiresAt: secrets.previousSecretExpiresAt?.toISOString() ?? null,
  };
}

export function presentDelivery(entity: WebhookDeliveryEntity): WebhookDelivery {
  return {
    id: entity.id,
    endpointId: entity.endpointId,
    eventId: entity.eventId,
    eventType: entity.eventType,
    attempt: entity.attempt,
    redelivery: entity.redelivery,
    ok: entity.ok,
    statusCode: entity.statusCode ?? null,
    latencyMs: entity.latencyMs,
    responseSnippet: entity.responseSnippet ?? null,
    error: entity.error ?? null,
    createdAt: entity.createdAt.toISOString(),
  };
}

/** "all" is stored as null, so endpoints follow event types added later; a list is stored without repeats. */
export function storedEventTypes(events: WebhookEvents): CatalogEventType[] | null {
  return events === 'all' ? null : [...new Set(events)];
}
