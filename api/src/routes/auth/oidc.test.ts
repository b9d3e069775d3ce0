import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { authProvidersSchema, meSchema } from '@catalog/domain';
import { createTestUser, requestAs } from '../../../../tests/support/auth';
import {
  type ProviderAccount,
  signOn,
  startOidcProvider,
  type TestOidcProvider,
} from '../../../../tests/support/oidc-provider';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider, in this process): the
 * browser's whole round trip, the role claim, and what must be refused.
 */
let provider: TestOidcProvider;
let stack: Stack;
let withoutSso: Stack;
before(async () => {
  provider = await startOidcProvider();
  stack = await startStack({
    worker: false,
    publicUrl: true,
    env: {
      ...provider.env(),
      OIDC_DISPLAY_NAME: 'Test IdP',
      OIDC_ROLE_MAP: 'catalog-admins=admin,catalog-editors=editor,catalog-viewers=viewer',
      OIDC_DEFAULT_ROLE: 'none',
    },
  });
  provider.registerClient(`${stack.baseUrl}/api/auth/oidc/callback`);
  withoutSso = await startStack({ worker: false });
});
after(async () => {
  await stack?.stop();
  await withoutSso?.stop();
  await provider?.stop();
});

/** An account of the test's own at the provider; the login is also its subject. */
function account(claims: Partial<ProviderAccount> = {}): { login: string; email: string } {
  const login = `person-${randomUUID()}`;
  const email = `${login}@example.test`;
  provider.accounts.set(login, { email, email_verified: true, ...claims });
  return { login, email };
}

async function me(baseUrl: string, cookie: string | undefined) {
  assert.ok(cookie, 'signed in: a catalog_session cookie was set');
  const response = await requestAs(baseUrl, { cookie }, '/api/auth/me');
  assert.equal(response.status, 200);
  return meSchema.parse(await response.json()).user;
}

test('the providers endpoint is public and says whether single sign-on is on, and by what name', async () => {
  const on = await requestAs(stack.baseUrl, null, '/api/auth/providers');
  assert.equal(on.status, 200);
  assert.deepEqual(authProvidersSchema.parse(await on.json()), { password: true, oidc: { name: 'Test IdP' } });

  const off = await requestAs(withoutSso.baseUrl, null, '/api/auth/providers');
  assert.deepEqual(authProvidersSchema.parse(await off.json()), { password: true, oidc: null });
  const start = await fetch(`${withoutSso.baseUrl}/api/auth/oidc/start?next=/products`, { redirect: 'manual' });
  assert.equal(start.status, 302);
  assert.equal(start.headers.get('location'), '/sign-in?error=sso_off&next=%2Fproducts');
});

test('start redirects to the provider with PKCE, state and nonce, kept in a sealed HttpOnly cookie', async () => {
  const response = await fetch(`${stack.baseUrl}/api/auth/oidc/start?next=/products`, { redirect: 'manual' });
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location') ?? '');
  assert.equal(location.origin, provider.issuer);
  const params = location.searchParams;
  assert.equal(params.get('client_id'), provider.clientId);
  assert.equal(params.get('redirect_uri'), `${stack.baseUrl}/api/auth/oidc/callback`);
  assert.equal(params.get('code_challenge_method'), 'S256');
  for (const name of ['state', 'nonce', 'code_challenge']) assert.ok(params.get(name), name);

  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('catalog_oidc=')) ?? '';
  const attributes = cookie.split(';').map((part) => part.trim().toLowerCase());
  for (const flag of ['httponly', 'samesite=lax', 'path=/api/auth/oidc/']) assert.ok(attributes.includes(flag), flag);
  const value = decodeURIComponent(attributes[0] ?? '');
  assert.ok(!value.includes(params.get('state') ?? '-'), 'the state is not readable in the cookie');
  assert.ok(!value.includes('/products'), 'nor is next');
});

test('an admin-claim person signs on: session cookie, role admin, landing on next; no password of theirs works', async () => {
  const person = account({ catalog_role: ['staff', 'catalog-admins', 'catalog-viewers'] });
  const result = await signOn(stack.baseUrl, person.login, { next: '/products?q=tea' });
  assert.equal(`${result.landing.pathname}${result.landing.search}`, '/products?q=tea');
  const user = await me(stack.baseUrl, result.sessionCookie);
  assert.equal(user.email, person.email);
  assert.equal(user.role, 'admin', 'the highest mapped role wins');

  const withPassword = await requestAs(stack.baseUrl, null, '/api/auth/sign-in', {
    method: 'POST',
    body: { email: person.email, password: 'any password at all' },
  });
  assert.equal(withPassword.status, 401, 'a user made by single sign-on has no password');
  const change = await requestAs(stack.baseUrl, { cookie: result.sessionCookie ?? '' }, '/api/auth/password', {
    method: 'POST',
    body: { currentPassword: 'any password at all', newPassword: 'a new password of theirs' },
  });
  assert.equal(change.status, 400);
  assert.match(await change.text(), /single sign-on/);
});

test("the role follows the provider's claim at every sign-on, for the same user", async () => {
  const person = account({ catalog_role: 'catalog-editors' });
  const first = await me(stack.baseUrl, (await signOn(stack.baseUrl, person.login)).sessionCookie);
  assert.equal(first.role, 'editor');

  provider.accounts.set(person.login, { email: person.email, email_verified: true, catalog_role: 'catalog-viewers' });
  const second = await me(stack.baseUrl, (await signOn(stack.baseUrl, person.login)).sessionCookie);
  assert.deepEqual(second, { ...first, role: 'viewer' });
});

test('a claim that maps to no role is refused when OIDC_DEFAULT_ROLE=none, and no user is made', async () => {
  const person = account({ catalog_role: 'marketing' });
  const result = await signOn(stack.baseUrl, person.login, { next: '/import' });
  assert.equal(result.landing.pathname, '/sign-in');
  assert.equal(result.landing.searchParams.get('error'), 'sso_no_role');
  assert.equal(result.landing.searchParams.get('next'), '/import', 'kept for the next try');
  assert.equal(result.sessionCookie, undefined);
  const identity = { issuer: provider.issuer, subject: person.login };
  assert.equal(await stack.deps.auth.users.findByOidcIdentity(identity), null);
});

test('a person who cancels at the provider lands on the sign-in page, told so', async () => {
  const person = account({ catalog_role: 'catalog-admins' });
  const result = await signOn(stack.baseUrl, person.login, { cancel: true });
  assert.equal(result.landing.pathname, '/sign-in');
  assert.equal(result.landing.searchParams.get('error'), 'sso_denied');
  assert.equal(result.sessionCookie, undefined);
});

test('a tampered state is refused', async () => {
  const person = account({ catalog_role: 'catalog-admins' });
  const result = await signOn(stack.baseUrl, person.login, {
    tamper: (callback) => {
      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged-by-someone-else');
      return forged;
    },
  });
  assert.equal(result.landing.pathname, '/sign-in');
  assert.equal(result.landing.searchParams.get('error'), 'sso_expired');
  assert.equal(result.sessionCookie, undefined);
});

test('a callback without the pending sign-on cookie is refused', async () => {
  const response = await fetch(`${stack.baseUrl}/api/auth/oidc/callback?code=abc&state=xyz`, { redirect: 'manual' });
  assert.equal(response.status, 302);
  assert.equal(response.headers.get('location'), '/sign-in?error=sso_expired');
  assert.ok(!response.headers.getSetCookie().some((line) => line.startsWith('catalog_session=')));
});

test('a next that leaves the site is ignored: the sign-on lands on /', async () => {
  for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/.//evil.example']) {
    const person = account({ catalog_role: 'catalog-viewers' });
    const result = await signOn(stack.baseUrl, person.login, { next });
    assert.equal(result.landing.origin, new URL(stack.baseUrl).origin, next);
    assert.equal(result.landing.pathname, '/', next);
    assert.equal((await me(stack.baseUrl, result.sessionCookie)).role, 'viewer');
  }
});

test('an existing user is linked by a verified email, never by an unverified one', async () => {
  const existing = await createTestUser(stack, 'viewer');
  const unverified = `person-${randomUUID()}`;
  provider.accounts.set(unverified, { email: existing.email, email_verified: false, catalog_role: 'catalog-admins' });
  const refused = await signOn(stack.baseUrl, unverified);
  assert.equal(refused.landing.searchParams.get('error'), 'sso_email_taken');
  assert.equal(refused.sessionCookie, undefined);

  const verified = `person-${randomUUID()}`;
  provider.accounts.set(verified, { email: existing.email, email_verified: true, catalog_role: 'catalog-editors' });
  const linked = await me(stack.baseUrl, (await signOn(stack.baseUrl, verified)).sessionCookie);
  assert.deepEqual(linked, { id: existing.id, email: existing.email, role: 'editor' });
});

test('a disabled user is refused', async () => {
  const person = account({ catalog_role: 'catalog-editors' });
  const user = await me(stack.baseUrl, (await signOn(stack.baseUrl, person.login)).sessionCookie);
  await stack.deps.auth.users.update(user.id, { disabled: true });
  const result = await signOn(stack.baseUrl, person.login);
  assert.equal(result.landing.searchParams.get('error'), 'sso_disabled');
  assert.equal(result.sessionCookie, undefined);
});
