import type { OidcSettings, SsoErrorCode } from '@catalog/domain';
import * as client from 'openid-client';
import type { Logger } from '../../logger';
import type { PendingLogin } from './login-cookie';

/** A sign-on that did not succeed, with the code the sign-in page explains. */
export class SsoRefusal extends Error {
  readonly code: SsoErrorCode;
  constructor(code: SsoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SsoRefusal';
    this.code = code;
  }
}

/** What the ID token says about the person, validated (signature, issuer, audience, expiry, nonce). */
export type VerifiedClaims = { issuer: string; subject: string; claims: Record<string, unknown> };

export type OidcClient = {
  /** Where to send the browser, and what to keep until it comes back. */
  start(next: string): Promise<{ url: URL; login: PendingLogin }>;
  /** Checks the provider's answer (the callback's query) against the pending login and trades the code. */
  finish(query: string, login: PendingLogin): Promise<VerifiedClaims>;
};

/**
 * The relying party, with openid-client: authorization code flow with PKCE (S256), state and nonce.
 * The provider's metadata is discovered on first use, not at start, so a provider that is down
 * delays no start; a failed discovery is retried by the next sign-on.
 */
export function createOidcClient(settings: OidcSettings, logger: Logger): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= client
      .discovery(new URL(settings.issuerUrl), settings.clientId, settings.clientSecret, undefined, {
        // config.ts allows http only outside production or on loopback (a provider on this machine).
        ...(new URL(settings.issuerUrl).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        logger.error({ err: error, issuer: settings.issuerUrl }, 'OpenID Connect discovery failed');
        throw new SsoRefusal('sso_unavailable', 'The OpenID Connect provider could not be reached', { cause: error });
      });
    return discovered;
  };

  return {
    async start(next) {
      const config = await configuration();
      const login: PendingLogin = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
        next,
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        state: login.state,
        nonce: login.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(login.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, login };
    },

    async finish(query, login) {
      const config = await configuration();
      // The redirect URI as registered, whatever host or proxy the request came through.
      const currentUrl = new URL(settings.redirectUri);
      currentUrl.search = query;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: login.state,
          expectedNonce: login.nonce,
        });
      } catch (error) {
        if (error instanceof client.AuthorizationResponseError) {
          throw new SsoRefusal('sso_denied', `The provider answered ${error.error}`, { cause: error });
        }
        throw new SsoRefusal('sso_failed', 'The provider’s answer did not verify', { cause: error });
      }
      const claims = tokens.claims();
      if (!claims) throw new SsoRefusal('sso_failed', 'The provider sent no ID token');
      return { issuer: claims.iss, subject: claims.sub, claims };
    },
  };
}
