import {
  type ApiKeyRepository,
  createApiKeyRepository,
  createSessionRepository,
  createUserRepository,
  type Database,
  type SessionRepository,
  type UserRepository,
} from '@catalog/db';
import type { Config } from '@catalog/domain';

/** The three stores access control reads and writes, created once per process. */
export type AuthStore = { users: UserRepository; sessions: SessionRepository; apiKeys: ApiKeyRepository };

const HOUR_MS = 3600 * 1000;

export function createAuthStore(db: Database, config: Config): AuthStore {
  return {
    users: createUserRepository(db),
    sessions: createSessionRepository(db, {
      idleMs: config.SESSION_IDLE_HOURS * HOUR_MS,
      maxMs: config.SESSION_MAX_DAYS * 24 * HOUR_MS,
    }),
    apiKeys: createApiKeyRepository(db),
  };
}
