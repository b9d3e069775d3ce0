import { hasNoNul, NUL_MESSAGE, roleSchema } from '@catalog/domain';
import { z } from 'zod';

export const apiKeyIdParams = z.object({ id: z.uuid({ message: 'must be an API key id (UUID)' }) });

export const apiKeyName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters')
  .refine(hasNoNul, NUL_MESSAGE);

export const createApiKeyBody = z.object({
  name: apiKeyName,
  role: roleSchema,
  expiresInDays: z.number().int().min(1).max(3650).optional().describe('Unset: the key does not expire'),
});
