import { reviewKinds } from '@catalog/domain';
import { z } from 'zod';

export const listImportsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const reviewChangesQuery = z.object({
  kind: z.enum(reviewKinds, { message: `must be one of ${reviewKinds.join(', ')}` }),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be the nextCursor of the previous page')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
