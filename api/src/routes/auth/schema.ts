import { PASSWORD_MAX_LENGTH, passwordSchema } from '@catalog/domain';
import { z } from 'zod';

// No length rule beyond the cap at sign-in: a password set before a rule changed still signs in.
const anyPassword = z.string().min(1, 'is required').max(PASSWORD_MAX_LENGTH, 'is too long');

export const signInBody = z.object({
  email: z.string().trim().min(1, 'is required').max(320, 'is too long'),
  password: anyPassword,
});

export const changePasswordBody = z.object({ currentPassword: anyPassword, newPassword: passwordSchema });
