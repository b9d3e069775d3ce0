import { authProvidersSchema, SSO_ERROR_MESSAGES } from '@catalog/domain';
import { z } from 'zod';
import { clientErrorRange, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';

const redirect = (description: string) => ({
  description,
  headers: { Location: { description: 'Where the browser goes next', schema: { type: 'string' as const } } },
});

const errorCodes = Object.keys(SSO_ERROR_MESSAGES)
  .map((code) => `\`${code}\``)
  .join(', ');

/** Public operations: they are how a browser gets a session. */
export function documentOidc(registry: OpenAPIRegistry): void {
  const tags = ['Access'];
  registry.registerPath({
    method: 'get',
    path: '/api/auth/providers',
    operationId: 'getAuthProviders',
    tags,
    summary: 'How people can sign in here: password, and single sign-on when OpenID Connect is configured',
    responses: { 200: { description: 'Sign-in methods', ...jsonContent(authProvidersSchema) }, ...clientErrorRange },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/auth/oidc/start',
    operationId: 'startSingleSignOn',
    tags,
    summary: 'Start single sign-on: redirects the browser to the OpenID Connect provider',
    description:
      'Authorization code flow with PKCE (S256), state and nonce, kept until the callback in the sealed, ' +
      'HttpOnly `catalog_oidc` cookie (10 minutes). When single sign-on is not configured or the provider ' +
      'cannot be reached, redirects to `/sign-in?error=<code>` instead.',
    request: {
      query: z.object({
        next: z
          .string()
          .optional()
          .describe('A path of this app to land on after signing in; anything else (another site) means `/`'),
      }),
    },
    responses: { 302: redirect('To the provider, or to the sign-in page with an error'), ...clientErrorRange },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/auth/oidc/callback',
    operationId: 'finishSingleSignOn',
    tags,
    summary: 'Where the provider sends the browser back: signs in and redirects to `next`',
    description:
      'Checks the state against the `catalog_oidc` cookie, trades the code (with the PKCE verifier) and ' +
      'validates the ID token and its nonce. The user is found by issuer and subject, else linked by a ' +
      'verified email, else created without a password; their role follows OIDC_ROLE_CLAIM through ' +
      'OIDC_ROLE_MAP at every sign-on. Sets the `catalog_session` cookie and redirects to `next`; a ' +
      `refusal redirects to \`/sign-in?error=<code>\`, one of ${errorCodes}.`,
    request: {
      query: z.object({
        code: z.string().optional(),
        state: z.string().optional(),
        iss: z.string().optional(),
        error: z.string().optional().describe('Set by the provider when it did not sign the person in'),
        error_description: z.string().optional(),
      }),
    },
    responses: {
      302: {
        ...redirect('To `next` when signed in, else to `/sign-in?error=<code>`'),
        headers: {
          Location: { description: 'Where the browser goes next', schema: { type: 'string' as const } },
          'Set-Cookie': {
            description: '`catalog_session` when signed in; `catalog_oidc` cleared either way',
            schema: { type: 'string' as const },
          },
        },
      },
      ...clientErrorRange,
    },
  });
}
