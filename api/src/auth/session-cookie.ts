import type { Context } from 'koa';

export const SESSION_COOKIE = 'catalog_session';

/**
 * HttpOnly (scripts never see it), SameSite=Lax (other sites' forms and fetches do not carry it),
 * Secure whenever the request came over https. No Max-Age: the server ends sessions (idle and
 * absolute limits); the browser forgets the cookie when it closes.
 */
export function setSessionCookie(ctx: Context, token: string): void {
  ctx.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: ctx.secure,
    overwrite: true,
  });
}

export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, null, { httpOnly: true, sameSite: 'lax', path: '/', secure: ctx.secure });
}

export function readSessionCookie(ctx: Context): string | undefined {
  return ctx.cookies.get(SESSION_COOKIE) || undefined;
}
