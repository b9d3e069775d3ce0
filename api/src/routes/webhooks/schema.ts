import {
  hasNoNul,
  NUL_MESSAGE,
  RATE_LIMIT_MAX,
  webhookEventsSchema,
  webhookMessageStateSchema,
  webhookUrlSchema,
} from '@catalog/domain';
import { z } from 'zod';

export const webhookIdParams = z.object({ id: z.uuid({ message: 'must be a webhook id (UUID)' }) });

const name = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters')
  .refine(hasNoNul, NUL_MESSAGE);

/** Messages per second; null: no limit. */
const rateLimitPerSecond = z
  .number({ message: 'must be a whole number of messages per second, or null' })
  .int('must be a whole number of messages per second, or null')
  .min(1, 'must be at least 1')
  .max(RATE_LIMIT_MAX, `must be at most ${RATE_LIMIT_MAX}`)
  .nullable();
const ordered = z.boolean({ message: 'must be true or false' });

export const createWebhookBody = z.object({
  name,
  url: webhookUrlSchema,
  events: webhookEventsSchema.default('all'),
  enabled: z.boolean().default(true),
  rateLimitPerSecond: rateLimitPerSecond.default(null),
  ordered: ordered.default(false),
});

export const updateWebhookBody = z
  .object({
    name,
    url: webhookUrlSchema,
    events: webhookEventsSchema,
    enabled: z.boolean(),
    rateLimitPerSecond,
    ordered,
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'send at least one of name, url, events, enabled, rateLimitPerSecond, ordered',
  });

export const recoverWebhookBody = z.object({
  since: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date and time, e.g. 2026-12-24T10:00:00Z' })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() <= Date.now(), 'must not be in the future'),
});

export const listMessagesQuery = z.object({
  state: webhookMessageStateSchema.optional(),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'must be the nextCursor of a previous page')
    .optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export const listDeliveriesQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
