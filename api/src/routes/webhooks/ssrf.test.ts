import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { webhookEndpointSchema, webhookTestResultSchema } from '@catalog/domain';
import { z } from 'zod';
import { pollUntil } from '../../../../tests/support/imports';
import { type Stack, startStack } from '../../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  deliveryLog,
  type Receiver,
  startReceiver,
  startWebhookRuntime,
  type WebhookRuntime,
} from '../../../../tests/support/webhooks';

/**
 * The SSRF guard: a stack with the default setting refuses private destinations when a URL is saved
 * and again when a message is sent; a stack with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true delivers to them.
 */
let guarded: Stack;
let open: Stack;
let runtime: WebhookRuntime;
let receiver: Receiver;

before(async () => {
  guarded = await startStack({ isolated: true, worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
  open = await startStack({ isolated: true, worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  runtime = await startWebhookRuntime(guarded);
  receiver = await startReceiver();
});
after(async () => {
  await runtime?.stop();
  await receiver?.close();
  await guarded?.stop();
  await open?.stop();
});

const post = async (stack: Stack, path: string, body?: unknown) =>
  (await stack.as('admin')).fetch(path, {
    method: 'POST',
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

test('without the opt-in, URLs that reach loopback, private, link-local or metadata addresses are refused at save time', async () => {
  const port = new URL(receiver.url).port;
  for (const url of [
    receiver.url,
    `http://localhost:${port}/hook`,
    'http://10.0.0.5/hook',
    'http://192.168.1.20/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
  ]) {
    const response = await post(guarded, '/api/webhooks', { name: 'x', url });
    assert.equal(response.status, 400, url);
    const { error } = errorBody.parse(await response.json());
    assert.match(error.message, /"url".*(loopback, private, link-local|could not be resolved)/, url);
  }
  const saved = await post(guarded, '/api/webhooks', { name: 'public', url: 'https://93.184.215.14/hook' });
  assert.equal(saved.status, 201);
  const { id } = webhookEndpointSchema.parse(await saved.json());
  const changed = await (await guarded.as('admin')).fetch(`/api/webhooks/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url }),
  });
  assert.equal(changed.status, 400);
});

test('without the opt-in, a URL that reaches a private address by the time of sending is refused again', async () => {
  const endpoint = await createWebhook(await guarded.as('admin'), { url: 'https://93.184.215.14/hook' });
  // As if the host's DNS changed after the URL was saved: by name (checked in the connection's
  // own lookup) and as a literal address.
  const port = new URL(receiver.url).port;
  for (const url of [`http://localhost:${port}/hook`, receiver.url]) {
    await guarded.deps.db.pool.query(`update webhook_endpoints set url = $2 where id = $1`, [endpoint.id, url]);
    const result = webhookTestResultSchema.parse(
      await (await post(guarded, `/api/webhooks/${endpoint.id}/test`)).json(),
    );
    assert.equal(result.ok, false, url);
    assert.equal(result.status, null);
    assert.match(result.error ?? '', /loopback, private, link-local or reserved address/);
  }

  const eventId = await commitProductUpdate(guarded.deps.db);
  const admin = await guarded.as('admin');
  const log = await pollUntil(
    'the refused delivery in the log',
    () => deliveryLog(admin, endpoint.id),
    (rows) => rows.some((row) => row.eventId === eventId),
  );
  const refused = log.filter((row) => row.eventId === eventId);
  assert.equal(refused.length, 1, 'a refused destination is not retried');
  assert.match(refused[0]?.error ?? '', /loopback, private, link-local or reserved address/);
  assert.equal(receiver.received.length, 0, 'nothing reached the private receiver');
});

test('with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true a loopback receiver is accepted and reached', async () => {
  const endpoint = await createWebhook(await open.as('admin'), { url: receiver.url });
  const result = webhookTestResultSchema.parse(await (await post(open, `/api/webhooks/${endpoint.id}/test`)).json());
  assert.equal(result.ok, true);
  assert.equal(result.status, 200);
  assert.equal(receiver.received.length, 1);
});
