import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Someone at the provider: the claims its ID tokens carry. Tests may change them between sign-ons. */
export type ProviderAccount = { email: string; email_verified: boolean; catalog_role?: string | string[] };

export type TestOidcProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Keyed by login (the subject); the dev login form takes any password. */
  accounts: Map<string, ProviderAccount>;
  /** The environment that points the API at this provider. */
  env: () => Record<string, string>;
  /** Registers the client, whose redirect URI is only known once the stack listens, and starts answering. */
  registerClient: (redirectUri: string) => void;
  stop: () => Promise<void>;
};

/**
 * A real OpenID Connect provider (oidc-provider), in this process, on a loopback port: one
 * confidential client that must use PKCE, ID tokens carrying email and `catalog_role`, and the
 * package's development login and consent pages, which `signOn` below fills in like a person.
 */
export async function startOidcProvider(): Promise<TestOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'catalog';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map<string, ProviderAccount>();
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    env: () => ({ OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret }),
    registerClient: (redirectUri) => {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        async findAccount(_ctx, id) {
          const account = accounts.get(id);
          if (!account) return undefined;
          return { accountId: id, claims: async () => ({ sub: id, ...accounts.get(id) }) };
        },
        // The role claim goes with `openid`, so every ID token has it; email with the `email` scope.
        claims: { openid: ['sub', 'catalog_role'], email: ['email', 'email_verified'], profile: ['name'] },
        // Put the scopes' claims in the ID token itself (the default keeps them for userinfo), as
        // providers configured for groups or roles do.
        conformIdTokenClaims: false,
        features: { devInteractions: { enabled: true } },
        pkce: { required: () => true },
        jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256' }] },
        cookies: { keys: [randomBytes(32).toString('base64url')] },
        // Seconds; set so the provider does not print a notice about each default.
        ttl: { AuthorizationCode: 60, IdToken: 600, AccessToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
      });
      server.on('request', provider.callback());
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Cookies per origin, as a browser keeps them (paths and expiry aside: one short sign-on). */
class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  header(url: URL): string {
    return [...(this.byOrigin.get(url.origin) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  store(url: URL, response: Response): void {
    const jar = this.byOrigin.get(url.origin) ?? new Map<string, string>();
    this.byOrigin.set(url.origin, jar);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((attribute) => /^\s*expires=Thu, 01 Jan 1970/i.test(attribute));
      if (value === '' || expired) jar.delete(name);
      else jar.set(name, value);
    }
  }

  get(origin: string, name: string): string | undefined {
    return this.byOrigin.get(origin)?.get(name);
  }
}

export type SignOnResult = {
  /** Where the API sent the browser at the end: `next`, or `/sign-in?error=<code>`. */
  landing: URL;
  /** `catalog_session=<token>` when the API signed the browser in. */
  sessionCookie: string | undefined;
};

const decodeHtml = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x2F;/g, '/');

/**
 * Signs on as a browser would: `GET /api/auth/oidc/start`, following redirects by hand with
 * cookies per host, filling the provider's login form (`login` and any password) and its consent
 * form, until the API redirects to a page of the app. `tamper` may rewrite the provider's redirect
 * back to the API (an attacker's state); `cancel` gives up at the login form, as a person who
 * changed their mind.
 */
export async function signOn(
  baseUrl: string,
  login: string,
  options: { next?: string; tamper?: (callback: URL) => URL; cancel?: boolean } = {},
): Promise<SignOnResult> {
  const jar = new CookieJar();
  const appOrigin = new URL(baseUrl).origin;
  const query = options.next === undefined ? '' : `?next=${encodeURIComponent(options.next)}`;
  let url = new URL(`/api/auth/oidc/start${query}`, baseUrl);
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    if (url.origin === appOrigin && url.pathname === '/api/auth/oidc/callback' && options.tamper) {
      url = options.tamper(url);
    }
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, response);
    init = {};
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, url);
      if (target.origin === appOrigin && !target.pathname.startsWith('/api/auth/oidc/')) {
        const session = jar.get(appOrigin, 'catalog_session');
        return { landing: target, sessionCookie: session ? `catalog_session=${session}` : undefined };
      }
      url = target;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action) {
      throw new Error(`sign-on stopped at ${url.href}: ${response.status} ${html.slice(0, 500)}`);
    }
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      fields.set(decodeHtml(name ?? ''), decodeHtml(value ?? ''));
    }
    if (/name="login"/.test(html)) {
      fields.set('login', login);
      fields.set('password', 'any password: the development login form checks none');
    }
    url = new URL(decodeHtml(action), url);
    if (options.cancel) {
      url = new URL(`${url.pathname}/abort`, url);
      continue;
    }
    init = { method: 'POST', body: fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('sign-on did not finish in 20 steps');
}
