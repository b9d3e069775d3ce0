import { z } from 'zod';
import type { Config } from './config';
import { catalogEventTypeSchema } from './events';
import { hasNoNul, NUL_MESSAGE } from './text';

/** The webhook settings of every process that sends (API test button, worker deliveries). */
export type WebhookSettings = {
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  /** An endpoint whose every delivery failed for this long is disabled automatically. */
  disableAfterMs: number;
  /** Messages per lane batch (WEBHOOK_LANE_BATCH) and sends in flight per endpoint (WEBHOOK_ENDPOINT_CONCURRENCY). */
  laneBatch: number;
  endpointConcurrency: number;
  /** How long a batch listens for new messages after its last send (WEBHOOK_LANE_LINGER_MS). */
  laneLingerMs: number;
  /** Failed attempts in a row that open an endpoint's circuit breaker, and its first cool-down. */
  breakerFailures: number;
  breakerCooldownMs: number;
};

export function webhookSettings(config: Config): WebhookSettings {
  return {
    allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    disableAfterMs: Math.round(config.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000),
    laneBatch: config.WEBHOOK_LANE_BATCH,
    endpointConcurrency: config.WEBHOOK_ENDPOINT_CONCURRENCY,
    laneLingerMs: config.WEBHOOK_LANE_LINGER_MS,
    breakerFailures: config.WEBHOOK_BREAKER_FAILURES,
    breakerCooldownMs: config.WEBHOOK_BREAKER_COOLDOWN_MS,
  };
}

/**
 * The published retry schedule: attempts 1 s, 2 s, 4 s … apart, at most 2 hours apart, for 24 hours
 * after the first attempt (about 24 attempts); a receiver's Retry-After replaces the wait.
 */
export const WEBHOOK_RETRY = { firstDelayMs: 1_000, maxDelayMs: 2 * 3_600_000, giveUpAfterMs: 24 * 3_600_000 } as const;

/** Per-endpoint rate limit bounds (messages per second). */
export const RATE_LIMIT_MAX = 10_000;

/** Where a message stands: `held` waits for an admin (the endpoint was disabled), see recover. */
export const webhookMessageStates = ['pending', 'delivered', 'failed', 'held'] as const;
export const webhookMessageStateSchema = z.enum(webhookMessageStates);
export type WebhookMessageState = z.infer<typeof webhookMessageStateSchema>;

/** How long a rotated-out secret keeps signing next to the new one, so receivers can switch over. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;
/** The part of a receiver's answer that is kept in the delivery log. */
export const RESPONSE_SNIPPET_BYTES = 1024;

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine(hasNoNul, NUL_MESSAGE)
  .superRefine((value, ctx) => {
    const url = parseUrl(value);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
      ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
    } else if (url.username !== '' || url.password !== '') {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password' });
    }
  });

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** `"all"` subscribes to every catalog event, including types added later. */
export const webhookEventsSchema = z.union([
  z.literal('all'),
  z.array(catalogEventTypeSchema).min(1, 'choose at least one event type, or "all"'),
]);
export type WebhookEvents = z.infer<typeof webhookEventsSchema>;

export const lastDeliverySchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
});

export const webhookEndpointSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  events: webhookEventsSchema,
  enabled: z.boolean(),
  /** Why the endpoint is disabled, when the system disabled it; null when a person did, or it is enabled. */
  disabledReason: z.string().nullable(),
  /** Start of the current run of failed deliveries; null while deliveries succeed. */
  failingSince: z.string().nullable(),
  lastDelivery: lastDeliverySchema.nullable(),
  /** While a rotated-out secret still signs next to the current one. */
  previousSecretExpiresAt: z.string().nullable(),
  /** At most this many messages a second; null: no limit. */
  rateLimitPerSecond: z.number().int().nullable(),
  /** One message at a time, in event order: later messages wait while one is retried. */
  ordered: z.boolean(),
  /** `paused`: the circuit breaker is open (too many failures in a row) and the lane waits to probe. */
  state: z.enum(['active', 'paused', 'disabled']),
  circuit: z.object({ openedAt: z.string(), nextProbeAt: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const webhookSecretSchema = z.object({
  secret: z.string(),
  previousSecret: z.string().nullable(),
  previousSecretExpiresAt: z.string().nullable(),
});
export type WebhookSecret = z.infer<typeof webhookSecretSchema>;

export const webhookTestResultSchema = z.object({
  ok: z.boolean(),
  status: z.number().int().nullable(),
  latencyMs: z.number().int(),
  responseSnippet: z.string().nullable(),
  error: z.string().nullable(),
});
export type WebhookTestResult = z.infer<typeof webhookTestResultSchema>;

export const webhookDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  attempt: z.number().int(),
  redelivery: z.boolean(),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  responseSnippet: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** One event for one endpoint, in the delivery log (`GET /api/webhooks/:id/messages`). */
export const webhookMessageLogSchema = z.object({
  eventId: z.string(),
  eventType: z.string(),
  state: webhookMessageStateSchema,
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  /** When a pending message is sent next. */
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookMessageLog = z.infer<typeof webhookMessageLogSchema>;
