import type { Actor } from '@catalog/domain';
import type { Context, Middleware } from 'koa';
import { looksLikeApiKey } from './api-keys';
import type { AuthStore } from './auth-store';
import { readSessionCookie } from './session-cookie';
import { sha256Hex } from './tokens';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Finds who sent the request: `Authorization: Bearer <API key>` first, else the session cookie.
 * Sets `ctx.state.actor` (and `ctx.state.sessionId` for a session). No or bad credentials leave
 * the request anonymous; routes that need someone say so with `requireRole`.
 */
export function authenticateMiddleware(auth: AuthStore): Middleware {
  return async function authenticate(ctx, next) {
    const actor = await identify(ctx, auth);
    if (actor) ctx.state.actor = actor;
    await next();
  };
}

async function identify(ctx: Context, auth: AuthStore): Promise<Actor | undefined> {
  const bearer = BEARER.exec(ctx.get('Authorization'))?.[1];
  if (bearer !== undefined) {
    if (!looksLikeApiKey(bearer)) return undefined;
    const key = await auth.apiKeys.use(sha256Hex(bearer));
    if (!key) return undefined;
    return { kind: 'key', id: key.id, role: key.role, label: `key ${key.name} (catalog_${key.prefix})` };
  }
  const token = readSessionCookie(ctx);
  if (token === undefined) return undefined;
  const sessionId = sha256Hex(token);
  const session = await auth.sessions.use(sessionId);
  if (!session) return undefined;
  ctx.state.sessionId = sessionId;
  return { kind: 'user', id: session.user.id, role: session.user.role, label: session.user.email };
}
