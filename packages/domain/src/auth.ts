import { z } from 'zod';

/** The roles, lowest first: each one may do everything the ones before it may. The only place this order lives. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { message: 'must be viewer, editor or admin' });

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Who sent a request: a signed-in user or an API key. `label` is for logs and audit lines. */
export type Actor = { kind: 'user' | 'key'; id: string; role: Role; label: string };

export const PASSWORD_MIN_LENGTH = 12;
// scrypt reads the whole password; a cap keeps one request from buying seconds of CPU.
export const PASSWORD_MAX_LENGTH = 1024;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const emailSchema = z
  .string()
  .trim()
  .max(320, 'must be at most 320 characters')
  .pipe(z.email({ message: 'must be an email address' }));

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: roleSchema,
    disabled: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type UserDto = z.infer<typeof userSchema>;

export const meSchema = z
  .object({ user: z.object({ id: z.uuid(), email: z.string(), role: roleSchema }) })
  .meta({ id: 'Me' });

export const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The visible part of the key (`catalog_<prefix>_…`), to recognise it'),
    role: roleSchema,
    createdBy: z.uuid().nullable().describe('The user who created it; null when made with `npm run apikey`'),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable().describe('Updated at most once a minute'),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyDto = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = apiKeySchema
  .extend({ key: z.string().describe('The whole key: shown this once, stored only as a hash') })
  .meta({ id: 'CreatedApiKey' });
