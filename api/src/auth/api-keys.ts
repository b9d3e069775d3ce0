import { randomUUID } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyRepository } from '@catalog/db';
import type { Role } from '@catalog/domain';
import { randomBase62, sha256Hex } from './tokens';

/**
 * API keys look like `catalog_<prefix>_<secret>`: the prefix (8 characters) is shown in lists so a
 * person can tell keys apart; the secret (32 base62 characters, ~190 bits) makes it unguessable.
 * Only the SHA-256 of the whole key is stored: a fast hash is enough for a random secret this long.
 */
const PREFIX_LENGTH = 8;
const SECRET_LENGTH = 32;
const KEY_PATTERN = new RegExp(`^catalog_([0-9A-Za-z]{${PREFIX_LENGTH}})_[0-9A-Za-z]{${SECRET_LENGTH}}$`);

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

export type IssueApiKey = { name: string; role: Role; createdBy: string | null; expiresInDays?: number | undefined };

/** Stores a new key and returns it whole, the only time it exists outside the caller's hands. */
export async function issueApiKey(
  keys: ApiKeyRepository,
  request: IssueApiKey,
): Promise<{ key: string; record: ApiKeyRecord }> {
  const prefix = randomBase62(PREFIX_LENGTH);
  const key = `catalog_${prefix}_${randomBase62(SECRET_LENGTH)}`;
  const record = await keys.create({
    id: randomUUID(),
    prefix,
    keyHash: sha256Hex(key),
    name: request.name,
    role: request.role,
    createdBy: request.createdBy,
    expiresAt:
      request.expiresInDays === undefined ? null : new Date(Date.now() + request.expiresInDays * 24 * 3600 * 1000),
  });
  return { key, record };
}
