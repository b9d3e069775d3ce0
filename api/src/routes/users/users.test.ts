import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { userSchema } from '@catalog/domain';
import { z } from 'zod';
import { type Credentials, requestAs, signedInUser, signIn, type TestUser } from '../../../../tests/support/auth';
import { type Stack, startStack } from '../../../../tests/support/stack';

/** Users managed by admins. A database of its own: the last-admin rule counts every admin in it. */
let stack: Stack;
let admin: TestUser & { cookie: string };
before(async () => {
  stack = await startStack({ isolated: true, worker: false });
  admin = await signedInUser(stack, 'admin');
});
after(async () => {
  await stack?.stop();
});

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const as = (credentials: Credentials, path: string, init: { method?: string; body?: unknown } = {}) =>
  requestAs(stack.baseUrl, credentials, path, init);

test('an admin creates, lists, changes and deletes users; no answer carries a password or its hash', async () => {
  const email = `New.Person-${randomUUID()}@Example.test`;
  const created = await as(admin, '/api/users', {
    method: 'POST',
    body: { email, password: 'initial-password-1', role: 'viewer' },
  });
  assert.equal(created.status, 201);
  const createdText = await created.text();
  assert.doesNotMatch(createdText, /password|scrypt/i);
  const user = userSchema.parse(JSON.parse(createdText));
  assert.deepEqual([user.email, user.role, user.disabled], [email, 'viewer', false]);
  assert.equal(created.headers.get('location'), `/api/users/${user.id}`);

  const duplicate = await as(admin, '/api/users', {
    method: 'POST',
    body: { email: email.toLowerCase(), password: 'initial-password-1', role: 'editor' },
  });
  assert.equal(duplicate.status, 409, 'emails are unique whatever their case');

  const listText = await (await as(admin, '/api/users')).text();
  assert.doesNotMatch(listText, /password|scrypt/i);
  const list = z.object({ items: z.array(userSchema) }).parse(JSON.parse(listText));
  assert.ok(list.items.some((item) => item.id === user.id));

  const promoted = await as(admin, `/api/users/${user.id}`, { method: 'PATCH', body: { role: 'editor' } });
  assert.equal(promoted.status, 200);
  assert.equal(userSchema.parse(await promoted.json()).role, 'editor');
  const cookie = await signIn(stack.baseUrl, email, 'initial-password-1');

  const disabled = await as(admin, `/api/users/${user.id}`, { method: 'PATCH', body: { disabled: true } });
  assert.equal(userSchema.parse(await disabled.json()).disabled, true);
  assert.equal((await as({ cookie }, '/api/auth/me')).status, 401, 'disabling ends their sessions');
  const refused = await as(null, '/api/auth/sign-in', {
    method: 'POST',
    body: { email, password: 'initial-password-1' },
  });
  assert.equal(refused.status, 401);
  await as(admin, `/api/users/${user.id}`, { method: 'PATCH', body: { disabled: false } });
  assert.equal((await signIn(stack.baseUrl, email, 'initial-password-1')).startsWith('catalog_session='), true);

  assert.equal((await as(admin, `/api/users/${user.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await as(admin, `/api/users/${user.id}`, { method: 'DELETE' })).status, 404);
  assert.equal((await as(admin, `/api/users/${user.id}`, { method: 'PATCH', body: { role: 'admin' } })).status, 404);
});

test('bad input is a 400 naming the parameter', async () => {
  const cases: [unknown, RegExp][] = [
    [{ email: 'not an email', password: 'initial-password-1', role: 'viewer' }, /"email"/],
    [{ email: 'a@example.test', password: 'short', role: 'viewer' }, /"password".*12/],
    [{ email: 'a@example.test', password: 'initial-password-1', role: 'owner' }, /"role"/],
  ];
  for (const [body, message] of cases) {
    const response = await as(admin, '/api/users', { method: 'POST', body });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match(errorBody.parse(await response.json()).error.message, message);
  }
  assert.equal((await as(admin, `/api/users/${admin.id}`, { method: 'PATCH', body: {} })).status, 400);
  assert.equal((await as(admin, '/api/users/not-a-uuid', { method: 'DELETE' })).status, 400);
});

test('the last enabled admin cannot be demoted, disabled or deleted', async () => {
  const { rows } = await stack.deps.db.pool.query<{ n: string }>(
    `select count(*) as n from users where role = 'admin' and disabled_at is null`,
  );
  assert.equal(rows[0]?.n, '1', 'this test database has one admin');
  for (const [method, body] of [
    ['PATCH', { role: 'editor' }],
    ['PATCH', { disabled: true }],
    ['DELETE', undefined],
  ] as const) {
    const response = await as(admin, `/api/users/${admin.id}`, { method, body });
    assert.equal(response.status, 409, `${method} ${JSON.stringify(body)}`);
    assert.equal(errorBody.parse(await response.json()).error.code, 'conflict');
  }

  const second = await signedInUser(stack, 'admin');
  const demoted = await as(second, `/api/users/${admin.id}`, { method: 'PATCH', body: { role: 'editor' } });
  assert.equal(demoted.status, 200, 'with another admin, demoting one is fine');
  await as(second, `/api/users/${admin.id}`, { method: 'PATCH', body: { role: 'admin' } });
});

test('editors and viewers get 403 naming the admin role; anonymous requests get 401', async () => {
  const editor = await signedInUser(stack, 'editor');
  const viewer = await signedInUser(stack, 'viewer');
  const id = randomUUID();
  const requests: [string, string, unknown][] = [
    ['GET', '/api/users', undefined],
    ['POST', '/api/users', { email: `x-${id}@example.test`, password: 'initial-password-1', role: 'admin' }],
    ['PATCH', `/api/users/${editor.id}`, { role: 'admin' }],
    ['DELETE', `/api/users/${admin.id}`, undefined],
  ];
  for (const [method, path, body] of requests) {
    for (const user of [editor, viewer]) {
      const response = await as(user, path, { method, body });
      assert.equal(response.status, 403, `${user.role} ${method} ${path}`);
      assert.deepEqual(errorBody.parse(await response.json()).error, {
        code: 'forbidden',
        message: 'This needs the admin role',
      });
    }
    const anonymous = await as(null, path, { method, body });
    assert.equal(anonymous.status, 401, `anonymous ${method} ${path}`);
    assert.equal(errorBody.parse(await anonymous.json()).error.code, 'unauthenticated');
  }
  const { rows } = await stack.deps.db.pool.query(`select 1 from users where email = $1`, [`x-${id}@example.test`]);
  assert.equal(rows.length, 0, 'nothing was created');
});
