import { z } from 'zod';

/**
 * Why a single sign-on did not sign someone in. The API redirects to `/sign-in?error=<code>`; the
 * sign-in page shows the message. Codes are stable; messages are for people.
 */
export const SSO_ERROR_MESSAGES = {
  sso_off: 'Single sign-on is not set up here. Sign in with your email and password.',
  sso_unavailable: 'The sign-on provider could not be reached. Try again in a moment.',
  sso_denied: 'The sign-on provider did not sign you in (cancelled or refused).',
  sso_expired: 'The sign-on took too long or was started in another window. Try again.',
  sso_failed: 'The sign-on provider’s answer could not be verified. Try again, or ask an admin.',
  sso_no_email: 'The sign-on provider did not share your email address, which this catalog needs.',
  sso_no_role: 'Your account at the sign-on provider has no role in this catalog. Ask an admin for access.',
  sso_email_taken:
    'A user with your email exists already and the provider has not verified that address, so they were not linked. Ask an admin.',
  sso_disabled: 'Your account in this catalog is disabled. Ask an admin.',
} as const;

export type SsoErrorCode = keyof typeof SSO_ERROR_MESSAGES;

const isSsoErrorCode = (code: string): code is SsoErrorCode => Object.hasOwn(SSO_ERROR_MESSAGES, code);

/** The message for a code from the sign-in page's query; null for anything else (it is shown, so only ours). */
export function ssoErrorMessage(code: string): string | null {
  return isSsoErrorCode(code) ? SSO_ERROR_MESSAGES[code] : null;
}

/** How people can sign in here; the sign-in page shows a single sign-on button when `oidc` is set. */
export const authProvidersSchema = z
  .object({
    password: z.literal(true),
    oidc: z
      .object({ name: z.string().describe('What the button says: "Sign in with <name>" (OIDC_DISPLAY_NAME)') })
      .nullable()
      .describe('Null unless OpenID Connect single sign-on is configured'),
  })
  .meta({ id: 'AuthProviders' });
export type AuthProviders = z.infer<typeof authProvidersSchema>;

/**
 * Where to go after signing in: a path of this app, else `/`. Anything that would leave the site
 * (`//host`, `/\\host`, a scheme) is dropped, so a sign-in link cannot be an open redirect. The
 * path is parsed as browsers parse it (backslashes are slashes, tabs and newlines vanish) and
 * given back in that parsed form.
 */
export function sameSitePath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > 2048) return '/';
  const base = 'http://same.invalid';
  const url = new URL(next, base);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//host` resolves to the path `//host`, which a Location header would read as another host.
  return url.origin === base && !path.startsWith('//') ? path : '/';
}
