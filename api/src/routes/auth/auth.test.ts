import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { meSchema } from '@catalog/domain';
import { z } from 'zod';
import { createTestUser, requestAs, signedInUser, signIn } from '../../../../tests/support/auth';
import { type Stack, startStack } from '../../../../tests/support/stack';

/** Sign-in, sessions and the session cookie, password changes. */
let stack: Stack;
before(async () => {
  stack = await startStack({ worker: false });
});
after(async () => {
  await stack?.stop();
});

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const signInRequest = (body: unknown, headers: Record<string, string> = {}) =>
  requestAs(stack.baseUrl, null, '/api/auth/sign-in', { method: 'POST', body, headers });

test('signing in sets a session cookie that /me recognises, and signing out ends it', async () => {
  const user = await createTestUser(stack, 'editor');
  const response = await signInRequest({ email: user.email.toUpperCase(), password: user.password });
  assert.equal(response.status, 200);
  assert.deepEqual(meSchema.parse(await response.json()).user, { id: user.id, email: user.email, role: 'editor' });
  const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';

  const me = await requestAs(stack.baseUrl, { cookie }, '/api/auth/me');
  assert.equal(me.status, 200);
  assert.equal(meSchema.parse(await me.json()).user.email, user.email);

  const signOut = await requestAs(stack.baseUrl, { cookie }, '/api/auth/sign-out', { method: 'POST' });
  assert.equal(signOut.status, 204);
  assert.match(signOut.headers.getSetCookie()[0] ?? '', /^catalog_session=;.*expires=Thu, 01 Jan 1970/i);
  assert.equal((await requestAs(stack.baseUrl, { cookie }, '/api/auth/me')).status, 401, 'the session is gone');
  assert.equal((await requestAs(stack.baseUrl, null, '/api/auth/me')).status, 401);
});

test('the session cookie is HttpOnly, SameSite=Lax, Path=/, and not Secure over http, whatever X-Forwarded-Proto says', async () => {
  const user = await createTestUser(stack, 'viewer');
  const overHttp = await signInRequest({ email: user.email, password: user.password });
  const attributes = (setCookie: string) => setCookie.split(';').map((part) => part.trim().toLowerCase());
  const plain = attributes(overHttp.headers.getSetCookie()[0] ?? '');
  assert.match(plain[0] ?? '', /^catalog_session=[\w-]{43}$/, 'a 32-byte random token');
  for (const flag of ['httponly', 'samesite=lax', 'path=/']) assert.ok(plain.includes(flag), flag);
  assert.ok(!plain.includes('secure'));

  // Without TRUST_PROXY anyone could claim https; only a proxy we run is believed (next test).
  const claimedHttps = await signInRequest(
    { email: user.email, password: user.password },
    { 'x-forwarded-proto': 'https' },
  );
  assert.equal(claimedHttps.status, 200);
  assert.ok(!attributes(claimedHttps.headers.getSetCookie()[0] ?? '').includes('secure'));
});

test("with TRUST_PROXY=true the proxy's X-Forwarded-Proto: https makes the cookie Secure", async () => {
  const behindProxy = await startStack({ worker: false, env: { TRUST_PROXY: 'true' } });
  try {
    const user = await createTestUser(behindProxy, 'viewer');
    const signInVia = (headers: Record<string, string>) =>
      requestAs(behindProxy.baseUrl, null, '/api/auth/sign-in', {
        method: 'POST',
        body: { email: user.email, password: user.password },
        headers,
      });
    const secure = (response: Response) =>
      (response.headers.getSetCookie()[0] ?? '').split(';').some((part) => part.trim().toLowerCase() === 'secure');
    assert.equal(secure(await signInVia({ 'x-forwarded-proto': 'https' })), true);
    assert.equal(secure(await signInVia({ 'x-forwarded-proto': 'http' })), false);
  } finally {
    await behindProxy.stop();
  }
});

test('only the SHA-256 of the session token is stored', async () => {
  const user = await createTestUser(stack, 'viewer');
  const cookie = await signIn(stack.baseUrl, user.email, user.password);
  const token = cookie.split('=')[1] ?? '';
  const { rows } = await stack.deps.db.pool.query<{ id: string; ttl_hours: number }>(
    `select id, extract(epoch from expires_at - created_at) / 3600 as ttl_hours from sessions where user_id = $1`,
    [user.id],
  );
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.id, createHash('sha256').update(token).digest('hex'));
  assert.equal(Math.round(Number(rows[0]?.ttl_hours)), stack.config.SESSION_IDLE_HOURS);
});

test('a wrong password, an unknown email and a disabled account get the same 401', async () => {
  const user = await createTestUser(stack, 'editor');
  const disabled = await createTestUser(stack, 'editor');
  await stack.deps.db.pool.query('update users set disabled_at = now() where id = $1', [disabled.id]);
  const attempts = [
    { email: user.email, password: `${user.password}x` },
    { email: `nobody-${user.email}`, password: user.password },
    { email: disabled.email, password: disabled.password },
  ];
  const answers = [];
  for (const attempt of attempts) {
    const response = await signInRequest(attempt);
    assert.equal(response.status, 401, attempt.email);
    assert.deepEqual(response.headers.getSetCookie(), []);
    answers.push(errorBody.parse(await response.json()).error);
  }
  assert.equal(answers[0]?.code, 'unauthenticated');
  assert.deepEqual(answers[1], answers[0]);
  assert.deepEqual(answers[2], answers[0]);
  assert.equal((await signInRequest({ email: user.email })).status, 400, 'a missing password is a bad request');
});

test('a user changes their password: the old one stops working and their other sessions end', async () => {
  const user = await signedInUser(stack, 'viewer');
  const otherSession = await signIn(stack.baseUrl, user.email, user.password);
  const change = (body: unknown) =>
    requestAs(stack.baseUrl, { cookie: user.cookie }, '/api/auth/password', { method: 'POST', body });

  const wrongCurrent = await change({ currentPassword: 'not it at all', newPassword: 'a-new-password-1' });
  assert.equal(wrongCurrent.status, 400);
  assert.match(errorBody.parse(await wrongCurrent.json()).error.message, /currentPassword/);
  const tooShort = await change({ currentPassword: user.password, newPassword: 'short-11chr' });
  assert.equal(tooShort.status, 400);
  assert.match(errorBody.parse(await tooShort.json()).error.message, /newPassword.*at least 12/);

  assert.equal((await change({ currentPassword: user.password, newPassword: 'a-new-password-1' })).status, 204);
  assert.equal((await signInRequest({ email: user.email, password: user.password })).status, 401);
  assert.equal((await signInRequest({ email: user.email, password: 'a-new-password-1' })).status, 200);
  assert.equal((await requestAs(stack.baseUrl, { cookie: user.cookie }, '/api/auth/me')).status, 200);
  assert.equal((await requestAs(stack.baseUrl, { cookie: otherSession }, '/api/auth/me')).status, 401);

  const anonymous = await requestAs(stack.baseUrl, null, '/api/auth/password', {
    method: 'POST',
    body: { currentPassword: 'a-new-password-1', newPassword: 'another-password-2' },
  });
  assert.equal(anonymous.status, 401);
});

test('an expired session is refused', async () => {
  const user = await signedInUser(stack, 'viewer');
  await stack.deps.db.pool.query(`update sessions set expires_at = now() - interval '1 second' where user_id = $1`, [
    user.id,
  ]);
  assert.equal((await requestAs(stack.baseUrl, { cookie: user.cookie }, '/api/auth/me')).status, 401);
});
