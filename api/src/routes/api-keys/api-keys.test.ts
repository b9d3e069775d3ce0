import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { apiKeySchema, createdApiKeySchema } from '@catalog/domain';
import { z } from 'zod';
import { type Credentials, requestAs, signedInUser, type TestUser } from '../../../../tests/support/auth';
import { type Stack, startStack } from '../../../../tests/support/stack';

/** API keys: made by an admin, shown once, stored hashed, used as Bearer, revoked. */
let stack: Stack;
let admin: TestUser & { cookie: string };
before(async () => {
  stack = await startStack({ worker: false });
  admin = await signedInUser(stack, 'admin');
});
after(async () => {
  await stack?.stop();
});

const as = (credentials: Credentials, path: string, init: { method?: string; body?: unknown } = {}) =>
  requestAs(stack.baseUrl, credentials, path, init);

async function createKey(body: { name: string; role: string; expiresInDays?: number }) {
  const response = await as(admin, '/api/api-keys', { method: 'POST', body });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  return createdApiKeySchema.parse(await response.json());
}

const lastUsedAt = async (id: string) =>
  (
    await stack.deps.db.pool.query<{ last_used_at: string | null }>('select last_used_at from api_keys where id = $1', [
      id,
    ])
  ).rows[0]?.last_used_at ?? null;

test('a key is shown once, works as a Bearer token, records its last use, and stops working when revoked', async () => {
  const created = await createKey({ name: 'ERP sync', role: 'admin', expiresInDays: 90 });
  assert.match(created.key, /^catalog_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
  assert.equal(created.key.split('_')[1], created.prefix);
  assert.equal(created.createdBy, admin.id);
  const days = (Date.parse(created.expiresAt ?? '') - Date.parse(created.createdAt)) / 86_400_000;
  assert.ok(Math.abs(days - 90) < 0.01, `expires in 90 days, not ${days}`);
  assert.equal(await lastUsedAt(created.id), null);

  const key = { key: created.key };
  assert.equal((await as(key, '/api/api-keys')).status, 200);
  assert.notEqual(await lastUsedAt(created.id), null, 'the use is recorded');

  assert.equal((await as(admin, `/api/api-keys/${created.id}`, { method: 'DELETE' })).status, 204);
  const refused = await as(key, '/api/api-keys');
  assert.equal(refused.status, 401);
  const listed = z
    .object({ items: z.array(apiKeySchema) })
    .parse(await (await as(admin, '/api/api-keys')).json())
    .items.find((item) => item.id === created.id);
  assert.notEqual(listed?.revokedAt ?? null, null, 'a revoked key stays listed, marked revoked');
});

test('keys are listed without their secret and stored only as a hash', async () => {
  const created = await createKey({ name: 'Listing check', role: 'viewer' });
  const listText = await (await as(admin, '/api/api-keys')).text();
  assert.ok(!listText.includes(created.key), 'the list never shows the key');
  assert.ok(!listText.includes(created.key.split('_')[2] ?? '-'), 'nor its secret part');
  const listed = z.object({ items: z.array(apiKeySchema.strict()) }).parse(JSON.parse(listText));
  assert.equal(listed.items.find((item) => item.id === created.id)?.prefix, created.prefix);

  const { rows } = await stack.deps.db.pool.query('select * from api_keys where id = $1', [created.id]);
  const row = rows[0];
  assert.equal(row.key_hash, createHash('sha256').update(created.key).digest('hex'));
  const stored = JSON.stringify(row);
  assert.ok(!stored.includes(created.key.split('_')[2] ?? '-'), 'the secret is not in the table');
});

test('an expired key, an unknown key and a malformed Authorization header get 401', async () => {
  const created = await createKey({ name: 'Short-lived', role: 'admin', expiresInDays: 1 });
  assert.equal((await as({ key: created.key }, '/api/api-keys')).status, 200);
  await stack.deps.db.pool.query(`update api_keys set expires_at = now() - interval '1 second' where id = $1`, [
    created.id,
  ]);
  assert.equal((await as({ key: created.key }, '/api/api-keys')).status, 401);

  const unknown = `catalog_${created.prefix}_${'x'.repeat(32)}`;
  assert.equal((await as({ key: unknown }, '/api/api-keys')).status, 401);
  assert.equal((await as({ key: 'not-a-key' }, '/api/api-keys')).status, 401);
  const cookieAndBadKey = await requestAs(stack.baseUrl, { cookie: admin.cookie }, '/api/api-keys', {
    headers: { authorization: `Bearer ${unknown}` },
  });
  assert.equal(cookieAndBadKey.status, 401, 'a bad key is not rescued by a cookie');
});

test('a key acts with its own role; an API key cannot use session-only routes', async () => {
  const viewerKey = await createKey({ name: 'Read-only', role: 'viewer' });
  const response = await as({ key: viewerKey.key }, '/api/api-keys');
  assert.equal(response.status, 403);
  assert.match(await response.text(), /This needs the admin role/);
  assert.equal((await as({ key: viewerKey.key }, '/api/auth/me')).status, 401);
});

test('only admins manage keys; bad input is a 400', async () => {
  const editor = await signedInUser(stack, 'editor');
  for (const [method, path] of [
    ['GET', '/api/api-keys'],
    ['POST', '/api/api-keys'],
    ['DELETE', `/api/api-keys/${admin.id}`],
  ] as const) {
    const body = method === 'POST' ? { name: 'x', role: 'admin' } : undefined;
    assert.equal((await as(editor, path, { method, body })).status, 403, `editor ${method} ${path}`);
    assert.equal((await as(null, path, { method, body })).status, 401, `anonymous ${method} ${path}`);
  }
  for (const body of [
    { name: '', role: 'viewer' },
    { name: 'x', role: 'root' },
    { name: 'x', role: 'viewer', expiresInDays: 0 },
  ]) {
    assert.equal((await as(admin, '/api/api-keys', { method: 'POST', body })).status, 400, JSON.stringify(body));
  }
  assert.equal((await as(admin, `/api/api-keys/${admin.id}`, { method: 'DELETE' })).status, 404);
});
