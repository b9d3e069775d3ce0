import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deliveryWorkflowId } from '@catalog/domain';
import type { WebhookDeliveryResult } from '@catalog/workflows';
import { z } from 'zod';
import type { Api } from '../../../tests/support/api';
import { pollUntil } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  deliveryLog,
  type Receiver,
  readSecret,
  startReceiver,
  startWebhookRuntime,
  verifyWith,
  type WebhookRuntime,
} from '../../../tests/support/webhooks';

/**
 * Outbox event → dispatcher → delivery workflow → signed POST to a real receiver on loopback, with
 * the retry rules. Events are committed as the API commits them (product row and outbox row in one
 * transaction).
 */
let stack: Stack;
let api: Api;
let runtime: WebhookRuntime;
const receivers: Receiver[] = [];

before(async () => {
  stack = await startStack({ isolated: true, worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  // Webhooks are the admins'.
  api = await stack.as('admin');
  runtime = await startWebhookRuntime(stack);
});
after(async () => {
  await runtime?.stop();
  for (const receiver of receivers) await receiver.close();
  await stack?.stop();
});

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

/** The delivery workflow's final answer: once it is known, the number of attempts is final too. */
async function deliveryResult(eventId: string, endpointId: string): Promise<WebhookDeliveryResult> {
  const handle = stack.deps.temporal.client.workflow.getHandle(deliveryWorkflowId(eventId, endpointId));
  await pollUntil(
    'the delivery workflow to start',
    () =>
      handle.describe().then(
        () => true,
        () => false,
      ),
    Boolean,
  );
  return handle.result();
}

const messageSchema = z.object({
  type: z.literal('product.updated'),
  timestamp: z.string(),
  data: z.object({ sku: z.string(), name: z.string() }),
});

test('a committed product change is delivered once, signed, with {type, timestamp, data}', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url, events: ['product.updated'] });
  const eventId = await commitProductUpdate(stack.deps.db, 'Blue Mug');

  const [request] = await hook.waitFor(1);
  assert.ok(request);
  assert.equal(request.headers['webhook-id'], eventId);
  const message = messageSchema.parse(verifyWith(await readSecret(api, endpoint.id), request));
  assert.equal(message.data.name, 'Blue Mug');
  assert.ok(Math.abs(Date.parse(message.timestamp) - Date.now()) < 60_000);

  assert.deepEqual(await deliveryResult(eventId, endpoint.id), { outcome: 'delivered', attempt: 1, statusCode: 200 });
  const log = await deliveryLog(api, endpoint.id);
  assert.deepEqual(
    log.map((row) => [row.eventId, row.eventType, row.attempt, row.ok, row.statusCode, row.responseSnippet]),
    [[eventId, 'product.updated', 1, true, 200, 'ok']],
  );
  const { rows } = await stack.deps.db.pool.query(`select dispatched_at from outbox_events where id = $1`, [eventId]);
  assert.ok(rows[0]?.dispatched_at, 'the outbox row is marked dispatched');
  const current = z
    .object({ lastDelivery: z.object({ ok: z.boolean(), statusCode: z.number().nullable() }) })
    .parse(await (await api.fetch(`/api/webhooks/${endpoint.id}`)).json());
  assert.deepEqual(current.lastDelivery, { ...current.lastDelivery, ok: true, statusCode: 200 });
});

test('a receiver that fails twice with 500 gets the event on the third attempt; three log rows', async () => {
  const hook = await receiver();
  hook.respond((_, index) => (index < 2 ? { status: 500, body: 'boom' } : { status: 200, body: 'finally' }));
  const endpoint = await createWebhook(api, { url: hook.url });
  const eventId = await commitProductUpdate(stack.deps.db);

  assert.deepEqual(await deliveryResult(eventId, endpoint.id), { outcome: 'delivered', attempt: 3, statusCode: 200 });
  assert.equal(hook.received.length, 3);
  assert.deepEqual(new Set(hook.received.map((r) => r.headers['webhook-id'])), new Set([eventId]));
  const log = await deliveryLog(api, endpoint.id);
  assert.deepEqual(
    log.map((row) => [row.attempt, row.ok, row.statusCode, row.error]),
    [
      [3, true, 200, null],
      [2, false, 500, 'HTTP 500'],
      [1, false, 500, 'HTTP 500'],
    ],
  );
});

for (const status of [410, 400]) {
  test(`a ${status} answer is final: not retried`, async () => {
    const hook = await receiver();
    hook.respond(() => ({ status, body: 'no such hook' }));
    const endpoint = await createWebhook(api, { url: hook.url });
    const eventId = await commitProductUpdate(stack.deps.db);

    const result = await deliveryResult(eventId, endpoint.id);
    assert.equal(result.outcome, 'failed');
    assert.equal(hook.received.length, 1);
    const log = await deliveryLog(api, endpoint.id);
    assert.deepEqual(
      log.map((row) => [row.attempt, row.ok, row.statusCode]),
      [[1, false, status]],
    );
  });
}

test('429 with Retry-After: the next attempt waits as long as the receiver asked', async () => {
  const hook = await receiver();
  hook.respond((_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '3' } } : { status: 200 }));
  const endpoint = await createWebhook(api, { url: hook.url });
  const eventId = await commitProductUpdate(stack.deps.db);

  assert.deepEqual(await deliveryResult(eventId, endpoint.id), { outcome: 'delivered', attempt: 2, statusCode: 200 });
  const [first, second] = hook.received;
  assert.ok(first && second);
  // The schedule alone would retry after 1 s.
  assert.ok(second.at - first.at >= 3_000, `retried after ${second.at - first.at} ms`);
});

test('a receiver that is down for a while gets the event once it is back', async () => {
  const probe = await startReceiver();
  const url = probe.url;
  await probe.close();
  const endpoint = await createWebhook(api, { url });
  const eventId = await commitProductUpdate(stack.deps.db);

  const failures = await pollUntil(
    'two failed attempts',
    () => deliveryLog(api, endpoint.id),
    (log) => log.length >= 2,
  );
  assert.ok(failures.every((row) => !row.ok && row.statusCode === null && /ECONNREFUSED/.test(row.error ?? '')));

  const revived = await startReceiver({ port: Number(new URL(url).port) });
  receivers.push(revived);
  const result = await deliveryResult(eventId, endpoint.id);
  assert.equal(result.outcome, 'delivered');
  assert.equal(revived.received[0]?.headers['webhook-id'], eventId);
});

test('only enabled endpoints subscribed to the event type get a delivery', async () => {
  const hook = await receiver();
  const all = await createWebhook(api, { url: hook.url, events: 'all' });
  const imports = await createWebhook(api, { url: hook.url, events: ['import.completed'] });
  const disabled = await createWebhook(api, { url: hook.url, enabled: false });
  const eventId = await commitProductUpdate(stack.deps.db);

  assert.equal((await deliveryResult(eventId, all.id)).outcome, 'delivered');
  await pollUntil(
    'the event to be dispatched',
    async () =>
      (await stack.deps.db.pool.query(`select dispatched_at from outbox_events where id = $1`, [eventId])).rows[0],
    (row) => Boolean(row?.dispatched_at),
  );
  for (const skipped of [imports, disabled]) {
    await assert.rejects(
      stack.deps.temporal.client.workflow.getHandle(deliveryWorkflowId(eventId, skipped.id)).describe(),
      /not found/i,
    );
  }
  assert.equal(hook.received.filter((r) => r.headers['webhook-id'] === eventId).length, 1);
});

test('Redeliver sends the same event again under the same webhook-id, logged as a redelivery', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url });
  const eventId = await commitProductUpdate(stack.deps.db);
  await deliveryResult(eventId, endpoint.id);
  const [delivered] = await deliveryLog(api, endpoint.id);

  const response = await api.fetch(`/api/deliveries/${delivered?.id}/redeliver`, { method: 'POST' });
  assert.equal(response.status, 202);
  const [first, again] = await hook.waitFor(2);
  assert.equal(again?.headers['webhook-id'], eventId);
  assert.equal(again?.body, first?.body, 'the same message');
  const log = await pollUntil(
    'the redelivery in the log',
    () => deliveryLog(api, endpoint.id),
    (rows) => rows.length === 2,
  );
  assert.deepEqual(
    log.map((row) => [row.eventId, row.redelivery, row.ok]),
    [
      [eventId, true, true],
      [eventId, false, true],
    ],
  );
});

test('during a secret rotation deliveries verify with the old and the new secret', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url });
  const old = await readSecret(api, endpoint.id);
  await api.fetch(`/api/webhooks/${endpoint.id}/secret/rotate`, { method: 'POST' });
  const fresh = await readSecret(api, endpoint.id);
  await commitProductUpdate(stack.deps.db);

  const [request] = await hook.waitFor(1);
  assert.ok(request);
  messageSchema.parse(verifyWith(old, request));
  messageSchema.parse(verifyWith(fresh, request));
});
