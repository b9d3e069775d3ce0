import type { SecretBox } from '@catalog/db';
import type { Context } from 'koa';
import { z } from 'zod';

/**
 * What a sign-on started here must find when the provider sends the person back: the state, nonce
 * and PKCE verifier it sent, and where to go next. Kept in the browser, sealed with SECRETS_KEY
 * (AES-256-GCM), so the server keeps no record and nobody can read or forge one.
 */
const COOKIE = 'catalog_oidc';
const COOKIE_PATH = '/api/auth/oidc/';
const SEAL_CONTEXT = 'oidc-login';
// Long enough to type a password and pass a second factor at the provider.
const LIFETIME_MS = 10 * 60 * 1000;

const pendingLoginSchema = z.object({
  state: z.string().min(1),
  nonce: z.string().min(1),
  codeVerifier: z.string().min(1),
  next: z.string(),
  expiresAt: z.number(),
});
export type PendingLogin = Omit<z.infer<typeof pendingLoginSchema>, 'expiresAt'>;

/** HttpOnly, SameSite=Lax (the provider's redirect back is a top-level GET, which carries it), only under the OIDC path. */
export function setLoginCookie(ctx: Context, secrets: SecretBox, login: PendingLogin): void {
  const sealed = secrets.seal(JSON.stringify({ ...login, expiresAt: Date.now() + LIFETIME_MS }), SEAL_CONTEXT);
  ctx.cookies.set(COOKIE, sealed, {
    httpOnly: true,
    sameSite: 'lax',
    path: COOKIE_PATH,
    secure: ctx.secure,
    maxAge: LIFETIME_MS,
    overwrite: true,
  });
}

/** The pending sign-on, once: the cookie is cleared as it is read. Null when missing, altered or expired. */
export function takeLoginCookie(ctx: Context, secrets: SecretBox): PendingLogin | null {
  const sealed = ctx.cookies.get(COOKIE);
  ctx.cookies.set(COOKIE, null, { httpOnly: true, sameSite: 'lax', path: COOKIE_PATH, secure: ctx.secure });
  if (!sealed) return null;
  let opened: unknown;
  try {
    opened = JSON.parse(secrets.open(sealed, SEAL_CONTEXT));
  } catch {
    return null;
  }
  const parsed = pendingLoginSchema.safeParse(opened);
  if (!parsed.success || parsed.data.expiresAt < Date.now()) return null;
  const { expiresAt: _expiresAt, ...login } = parsed.data;
  return login;
}
