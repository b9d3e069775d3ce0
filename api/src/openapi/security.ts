import type { Role } from '@catalog/domain';
import type { OpenAPIRegistry } from './registry';

const SESSION_SCHEME = 'sessionCookie';
const API_KEY_SCHEME = 'apiKey';

/** The two ways to authenticate, declared once for the whole document. */
export function documentSecuritySchemes(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', SESSION_SCHEME, {
    type: 'apiKey',
    in: 'cookie',
    name: 'catalog_session',
    description: 'Set by `POST /api/auth/sign-in`; HttpOnly, SameSite=Lax',
  });
  registry.registerComponent('securitySchemes', API_KEY_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'catalog_<prefix>_<secret>',
    description:
      'An API key made by an admin (UI or `npm run apikey -- create`), sent as `Authorization: Bearer <key>`',
  });
}

const ANY_CREDENTIALS: Record<string, string[]>[] = [{ [SESSION_SCHEME]: [] }, { [API_KEY_SCHEME]: [] }];
const SESSION_ONLY: Record<string, string[]>[] = [{ [SESSION_SCHEME]: [] }];

/**
 * What an operation that needs `role` (or a higher one) declares: either credential, the role as
 * `x-required-role` for tools and generated tests, and a line saying it for people.
 */
export function requiresRole(role: Role, description?: string) {
  const line = `Requires the ${role} role (or higher).`;
  return {
    security: ANY_CREDENTIALS,
    'x-required-role': role,
    description: description ? `${description}\n\n${line}` : line,
  };
}

/** For operations only a signed-in person can call (not an API key). */
export function requiresSession(description: string) {
  return {
    security: SESSION_ONLY,
    'x-required-role': 'viewer' satisfies Role,
    description: `${description}\n\nRequires a session (any role); an API key is refused.`,
  };
}
