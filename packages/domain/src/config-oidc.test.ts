import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, oidcSettings } from './config';

const valid = { DATABASE_URL: 'postgres://user@localhost:5432/catalog' };
const sso = {
  PUBLIC_URL: 'https://catalog.example.com',
  OIDC_ISSUER_URL: 'https://id.example.com/realms/staff',
  OIDC_CLIENT_ID: 'catalog',
  OIDC_CLIENT_SECRET: 'client-secret-value',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...valid, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('single sign-on is off unless configured, with its defaults', () => {
  const config = loadConfig(valid);
  assert.equal(oidcSettings(config), null);
  assert.equal(config.OIDC_SCOPES, 'openid email profile');
  assert.equal(config.OIDC_ROLE_CLAIM, 'catalog_role');
  assert.equal(config.OIDC_DEFAULT_ROLE, null, 'unmapped people are refused unless a default role is chosen');
  assert.deepEqual(config.OIDC_ROLE_MAP, { viewer: 'viewer', editor: 'editor', admin: 'admin' });
});

test('issuer, client id and secret: all three or none, naming what is missing', () => {
  assert.deepEqual(problems({ PUBLIC_URL: sso.PUBLIC_URL, OIDC_ISSUER_URL: sso.OIDC_ISSUER_URL }), [
    'Invalid configuration: OIDC_CLIENT_ID is required with OIDC_ISSUER_URL (single sign-on needs all three)',
    'Invalid configuration: OIDC_CLIENT_SECRET is required with OIDC_ISSUER_URL (single sign-on needs all three)',
  ]);
  assert.deepEqual(problems({ OIDC_CLIENT_ID: 'catalog', OIDC_CLIENT_SECRET: 'x' }), [
    'Invalid configuration: OIDC_ISSUER_URL is required with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (single sign-on needs all three)',
  ]);
});

test('single sign-on needs PUBLIC_URL, for the redirect URI it registers', () => {
  const { PUBLIC_URL: _publicUrl, ...withoutPublicUrl } = sso;
  assert.deepEqual(problems(withoutPublicUrl), [
    'Invalid configuration: PUBLIC_URL is required with OIDC_ISSUER_URL: the provider sends people back to PUBLIC_URL/api/auth/oidc/callback',
  ]);
  const settings = oidcSettings(loadConfig({ ...valid, ...sso }));
  assert.equal(settings?.redirectUri, 'https://catalog.example.com/api/auth/oidc/callback');
  assert.equal(settings?.displayName, 'SSO');
});

test('the issuer must be https in production, except on loopback', () => {
  const production = { ...sso, NODE_ENV: 'production', SECRETS_KEY: 'a'.repeat(64) };
  assert.deepEqual(problems({ ...production, OIDC_ISSUER_URL: 'http://id.example.com' }), [
    'Invalid configuration: OIDC_ISSUER_URL="http://id.example.com" must use https when NODE_ENV=production',
  ]);
  assert.deepEqual(problems({ ...production, OIDC_ISSUER_URL: 'http://127.0.0.1:8080' }), []);
  assert.deepEqual(problems({ ...sso, OIDC_ISSUER_URL: 'http://id.example.com' }), [], 'allowed in development');
  assert.deepEqual(problems({ ...sso, OIDC_ISSUER_URL: 'id.example.com' }), [
    'Invalid configuration: OIDC_ISSUER_URL="id.example.com" must be a URL starting with http:// or https://',
  ]);
});

test('OIDC_ROLE_MAP is claim=role pairs (the last = splits); OIDC_DEFAULT_ROLE=none refuses the unmapped', () => {
  const config = loadConfig({
    ...valid,
    ...sso,
    OIDC_ROLE_MAP: ' catalog-admins=admin, cn=editors=editor ,',
    OIDC_DEFAULT_ROLE: 'none',
  });
  assert.deepEqual(config.OIDC_ROLE_MAP, { 'catalog-admins': 'admin', 'cn=editors': 'editor' });
  assert.equal(config.OIDC_DEFAULT_ROLE, null);
  assert.deepEqual(problems({ OIDC_ROLE_MAP: 'catalog-admins=owner' }), [
    'Invalid configuration: OIDC_ROLE_MAP="catalog-admins=owner" must be claim=role pairs separated by commas, with role viewer, editor or admin (not "catalog-admins=owner")',
  ]);
  assert.match(
    problems({ OIDC_DEFAULT_ROLE: 'guest' })[0] ?? '',
    /OIDC_DEFAULT_ROLE="guest" must be viewer, editor, admin or none/,
  );
});

test('OIDC_SCOPES must ask for openid, or no ID token comes back', () => {
  assert.equal(loadConfig({ ...valid, OIDC_SCOPES: 'openid email groups' }).OIDC_SCOPES, 'openid email groups');
  assert.deepEqual(problems({ OIDC_SCOPES: 'email profile' }), [
    'Invalid configuration: OIDC_SCOPES="email profile" must include openid (space-separated scopes)',
  ]);
});

test('the client secret is never echoed', () => {
  assert.throws(
    () => loadConfig({ ...valid, ...sso, OIDC_CLIENT_SECRET: 'x'.repeat(5), OIDC_ISSUER_URL: 'nope' }),
    (error: unknown) => error instanceof ConfigError && !error.message.includes('xxxxx'),
  );
});
