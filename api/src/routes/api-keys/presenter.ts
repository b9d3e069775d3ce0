import type { ApiKeyRecord } from '@catalog/db';
import type { ApiKeyDto } from '@catalog/domain';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A key as lists show it: its prefix, never its secret or hash. */
export function presentApiKey(key: ApiKeyRecord): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    expiresAt: iso(key.expiresAt),
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
  };
}
