import { emailSchema, passwordSchema, roleSchema } from '@catalog/domain';
import { z } from 'zod';

export const userIdParams = z.object({ id: z.uuid({ message: 'must be a user id (UUID)' }) });

export const createUserBody = z.object({ email: emailSchema, password: passwordSchema, role: roleSchema });

export const updateUserBody = z
  .object({ role: roleSchema, disabled: z.boolean() })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one of role, disabled' });
