import type { Context } from 'koa';
import type { AuthStore } from './auth-store';
import { setSessionCookie } from './session-cookie';
import { newSessionToken, sha256Hex } from './tokens';

/** Signs `userId` in on this response: a new session (stored as its token's hash) and its cookie. */
export async function startSession(ctx: Context, sessions: AuthStore['sessions'], userId: string): Promise<void> {
  const token = newSessionToken();
  await sessions.create(sha256Hex(token), userId);
  setSessionCookie(ctx, token);
}
