import { hasNoNul, NUL_MESSAGE, webhookEventsSchema, webhookUrlSchema } from '@catalog/domain';
import { z } from 'zod';

export const webhookIdParams = z.object({ id: z.uuid({ message: 'must be a webhook id (UUID)' }) });

const name = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters')
  .refine(hasNoNul, NUL_MESSAGE);

export const createWebhookBody = z.object({
  name,
  url: webhookUrlSchema,
  events: webhookEventsSchema.default('all'),
  enabled: z.boolean().default(true),
});

export const updateWebhookBody = z
  .object({ name, url: webhookUrlSchema, events: webhookEventsSchema, enabled: z.boolean() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of name, url, events, enabled' });

export const listDeliveriesQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
