import type { CatalogEventType } from '@catalog/domain';
import { defineEntity, p } from '@mikro-orm/core';

/**
 * A receiver of catalog events. Besides what the user set, the row keeps the signing secrets and the
 * outcome of the latest delivery, which the worker updates after every attempt.
 */
export const WebhookEndpointSchema = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    url: p.text(),
    /** null: every event type. */
    eventTypes: p.json<CatalogEventType[]>().fieldName('event_types').nullable(),
    enabled: p.boolean().default(true),
    secret: p.text().lazy(),
    previousSecret: p.text().fieldName('previous_secret').nullable().lazy(),
    previousSecretExpiresAt: p.datetime().fieldName('previous_secret_expires_at').nullable(),
    disabledReason: p.text().fieldName('disabled_reason').nullable(),
    failingSince: p.datetime().fieldName('failing_since').nullable(),
    lastAttemptAt: p.datetime().fieldName('last_attempt_at').nullable(),
    lastOk: p.boolean().fieldName('last_ok').nullable(),
    lastStatusCode: p.integer().fieldName('last_status_code').nullable(),
    lastError: p.text().fieldName('last_error').nullable(),
    /** Deliver one message at a time, in event order: later messages wait while one is retried. */
    ordered: p.boolean().default(false),
    rateLimitPerSecond: p.integer().fieldName('rate_limit_per_second').nullable(),
    /** The lane's circuit breaker, persisted by the lane after every batch so the API can show it. */
    consecutiveFailures: p.integer().fieldName('consecutive_failures').default(0),
    circuitState: p.string().$type<'closed' | 'open'>().fieldName('circuit_state').default('closed'),
    circuitOpenedAt: p.datetime().fieldName('circuit_opened_at').nullable(),
    circuitNextProbeAt: p.datetime().fieldName('circuit_next_probe_at').nullable(),
    createdAt: p
      .datetime()
      .fieldName('created_at')
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .fieldName('updated_at')
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type WebhookEndpointEntity = InstanceType<typeof WebhookEndpointSchema.class>;
