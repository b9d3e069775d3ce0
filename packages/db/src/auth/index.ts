export {
  type ApiKeyRecord,
  type ApiKeyRepository,
  createApiKeyRepository,
  type NewApiKey,
} from './api-key-repository';
export { createSessionRepository, type SessionLifetime, type SessionRepository } from './session-repository';
export {
  createUserRepository,
  type OidcIdentity,
  type UserChangeOutcome,
  type UserChanges,
  type UserRecord,
  type UserRepository,
} from './user-repository';
