import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createSecretBox, reencryptWebhookSecrets } from '@catalog/db';
import { webhookSecretSchema, webhookTestResultSchema } from '@catalog/domain';
import type { Api } from '../../../../tests/support/api';
import { type Stack, startStack } from '../../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  type Receiver,
  startReceiver,
  startWebhookRuntime,
  verifyWith,
} from '../../../../tests/support/webhooks';

/**
 * Signing secrets through the API: the table holds them sealed, the API reveals and signs with them,
 * and after a key rotation an API and a worker on the new key still sign with the same secrets.
 */
let stack: Stack;
let api: Api;
let receiver: Receiver;
const receivers: Receiver[] = [];
const stacks: Stack[] = [];

before(async () => {
  stack = await startStack({ isolated: true, worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  // Webhooks are the admins'.
  api = await stack.as('admin');
  receiver = await startReceiver();
});
after(async () => {
  for (const other of [receiver, ...receivers]) await other?.close();
  for (const other of stacks) await other.stop();
  await stack?.stop();
});

const call = async (base: Stack, path: string, method = 'GET') => (await base.as('admin')).fetch(path, { method });
const reveal = async (base: Stack, id: string) =>
  webhookSecretSchema.parse(await (await call(base, `/api/webhooks/${id}/secret`)).json());

async function stored(base: Stack, id: string): Promise<{ secret: string; previous_secret: string | null }> {
  const { rows } = await base.deps.db.pool.query<{ secret: string; previous_secret: string | null }>(
    'select secret, previous_secret from webhook_endpoints where id = $1',
    [id],
  );
  assert.ok(rows[0]);
  return rows[0];
}

const keyIdOf = (value: string | null) => value?.split(':')[1];

test('the table holds sealed secrets only, after create and after a rotation; lists never carry them', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  const first = await reveal(stack, created.id);
  const row = await stored(stack, created.id);
  assert.ok(row.secret.startsWith(`v1:${stack.deps.secrets.keyId}:`), row.secret);
  assert.ok(!row.secret.includes(first.secret) && !row.secret.includes(first.secret.slice(6)));

  const rotated = webhookSecretSchema.parse(
    await (await call(stack, `/api/webhooks/${created.id}/secret/rotate`, 'POST')).json(),
  );
  assert.equal(rotated.previousSecret, first.secret);
  const after = await stored(stack, created.id);
  for (const value of [after.secret, after.previous_secret]) {
    assert.ok(value?.startsWith(`v1:${stack.deps.secrets.keyId}:`), String(value));
    for (const secret of [first.secret, rotated.secret]) assert.ok(!value?.includes(secret.slice(6)));
  }
  assert.equal(after.previous_secret, row.secret, 'the sealed secret moved to previous_secret as it was');

  for (const path of ['/api/webhooks', `/api/webhooks/${created.id}`]) {
    const text = await (await call(stack, path)).text();
    for (const secret of [first.secret, rotated.secret]) assert.ok(!text.includes(secret.slice(6)), path);
    assert.ok(!text.includes('v1:'), `${path} shows no sealed value either`);
  }
});

test('after a key rotation, an API and a worker on the new key sign with the secrets revealed before', async () => {
  // A receiver of its own: every endpoint of this database gets the product event below.
  const hook = await startReceiver();
  receivers.push(hook);
  const endpoint = await createWebhook(api, { url: hook.url, events: ['product.updated'] });
  await call(stack, `/api/webhooks/${endpoint.id}/secret/rotate`, 'POST');
  const before = await reveal(stack, endpoint.id);
  assert.ok(before.previousSecret);

  const newKey = randomBytes(32);
  const oldKey = stack.config.SECRETS_KEY;
  assert.ok(oldKey);
  const rotating = createSecretBox({ key: newKey, previousKey: oldKey });
  assert.ok((await reencryptWebhookSecrets(stack.deps.db.pool, rotating, 'stale')) >= 1);
  const row = await stored(stack, endpoint.id);
  assert.equal(keyIdOf(row.secret), rotating.keyId);
  assert.equal(keyIdOf(row.previous_secret), rotating.keyId);
  assert.notEqual(rotating.keyId, stack.deps.secrets.keyId);

  // The old key alone no longer opens it: a 500 whose log names the key ids, with nothing secret in the answer.
  const refused = await call(stack, `/api/webhooks/${endpoint.id}/secret`);
  assert.equal(refused.status, 500);
  const refusal = await refused.text();
  assert.ok(!refusal.includes(before.secret.slice(6)) && !refusal.includes('v1:'));

  const renewed = await startStack({
    worker: false,
    env: {
      DATABASE_URL: stack.config.DATABASE_URL,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      SECRETS_KEY: newKey.toString('base64'),
    },
  });
  stacks.push(renewed);
  assert.deepEqual(await reveal(renewed, endpoint.id), before);

  hook.respond(() => ({ status: 200 }));
  const result = webhookTestResultSchema.parse(
    await (await call(renewed, `/api/webhooks/${endpoint.id}/test`, 'POST')).json(),
  );
  assert.equal(result.ok, true, result.error ?? '');
  const [testRequest] = await hook.waitFor(1);
  assert.ok(testRequest);
  verifyWith(before.secret, testRequest);
  verifyWith(before.previousSecret, testRequest);

  const runtime = await startWebhookRuntime(renewed);
  try {
    const eventId = await commitProductUpdate(renewed.deps.db, 'Rotated Mug');
    const [, delivered] = await hook.waitFor(2);
    assert.ok(delivered);
    assert.equal(delivered.headers['webhook-id'], eventId);
    verifyWith(before.secret, delivered);
  } finally {
    await runtime.stop();
  }
});
