import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { laneWorkflowId } from '@catalog/domain';
import { z } from 'zod';
import type { Api } from '../../../tests/support/api';
import { pollUntil } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  deliveryLog,
  messageLog,
  type Receiver,
  readSecret,
  startReceiver,
  startWebhookRuntime,
  verifyWith,
  type WebhookRuntime,
  waitForMessage,
} from '../../../tests/support/webhooks';

/**
 * Outbox event → dispatcher → message → the endpoint's lane → signed POST to a real receiver on
 * loopback, under each failure class. Events are committed as the API commits them (product row and
 * outbox row in one transaction). A 1.5 s timeout lets the timeout case run quickly.
 */
let stack: Stack;
let api: Api;
let runtime: WebhookRuntime;
const receivers: Receiver[] = [];

before(async () => {
  stack = await startStack({
    isolated: true,
    worker: false,
    env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '1500' },
  });
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

const messageSchema = z.object({
  type: z.literal('product.updated'),
  timestamp: z.string(),
  data: z.object({ sku: z.string(), name: z.string() }),
});

test('a committed product change is delivered once, signed, with {type, timestamp, data}, by the endpoint lane', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url, events: ['product.updated'] });
  const eventId = await commitProductUpdate(stack.deps.db, 'Blue Mug');

  const [request] = await hook.waitFor(1);
  assert.ok(request);
  assert.equal(request.headers['webhook-id'], eventId);
  const message = messageSchema.parse(verifyWith(await readSecret(api, endpoint.id), request));
  assert.equal(message.data.name, 'Blue Mug');
  assert.ok(Math.abs(Date.parse(message.timestamp) - Date.now()) < 60_000);

  const delivered = await waitForMessage(api, endpoint.id, eventId);
  assert.deepEqual([delivered.attempts, delivered.lastStatusCode, delivered.lastError], [1, 200, null]);
  assert.ok(delivered.deliveredAt);
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
  const lane = await stack.deps.temporal.client.workflow.getHandle(laneWorkflowId(endpoint.id)).describe();
  assert.equal(lane.status.name, 'RUNNING', 'one long-lived lane per endpoint');
  assert.deepEqual(await lane.memo, { endpointId: endpoint.id, endpointName: endpoint.name });
});

for (const status of [500, 408]) {
  test(`a receiver that answers ${status} twice gets the event on the third attempt; three log rows`, async () => {
    const hook = await receiver();
    hook.respond((_, index) => (index < 2 ? { status, body: 'boom' } : { status: 200, body: 'finally' }));
    const endpoint = await createWebhook(api, { url: hook.url });
    const eventId = await commitProductUpdate(stack.deps.db);

    const delivered = await waitForMessage(api, endpoint.id, eventId);
    assert.equal(delivered.attempts, 3);
    assert.equal(hook.received.length, 3);
    assert.deepEqual(new Set(hook.received.map((r) => r.headers['webhook-id'])), new Set([eventId]));
    const [first, second, third] = hook.received.map((r) => r.at);
    assert.ok(first && second && third && second - first >= 900 && third - second >= 1_900, 'waits 1 s, then 2 s');
    const log = await deliveryLog(api, endpoint.id);
    assert.deepEqual(
      log.map((row) => [row.attempt, row.ok, row.statusCode, row.error]),
      [
        [3, true, 200, null],
        [2, false, status, `HTTP ${status}`],
        [1, false, status, `HTTP ${status}`],
      ],
    );
  });
}

for (const status of [410, 400]) {
  test(`a ${status} answer is final: not retried, the message failed`, async () => {
    const hook = await receiver();
    hook.respond(() => ({ status, body: 'no such hook' }));
    const endpoint = await createWebhook(api, { url: hook.url });
    const eventId = await commitProductUpdate(stack.deps.db);

    const failed = await waitForMessage(api, endpoint.id, eventId, ['failed', 'delivered']);
    assert.deepEqual([failed.state, failed.attempts, failed.lastStatusCode], ['failed', 1, status]);
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

  assert.equal((await waitForMessage(api, endpoint.id, eventId)).attempts, 2);
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
  await waitForMessage(api, endpoint.id, eventId);
  assert.equal(revived.received[0]?.headers['webhook-id'], eventId);
});

test('a receiver that does not answer in time is retried; the attempt logs the timeout', async () => {
  const hook = await receiver();
  hook.respond(async (_, index) => {
    if (index === 0) await new Promise((resolve) => setTimeout(resolve, 3_000));
    return { status: 200 };
  });
  const endpoint = await createWebhook(api, { url: hook.url });
  const eventId = await commitProductUpdate(stack.deps.db);

  assert.equal((await waitForMessage(api, endpoint.id, eventId)).attempts, 2);
  const log = await deliveryLog(api, endpoint.id);
  assert.deepEqual(
    log.map((row) => [row.attempt, row.ok, row.error]),
    [
      [2, true, null],
      [1, false, 'no answer within 1500 ms'],
    ],
  );
});

test('a failing message holds back no other message of its endpoint', async () => {
  const hook = await receiver();
  hook.respond((request) => (request.body.includes('Always failing') ? { status: 503 } : { status: 200 }));
  const endpoint = await createWebhook(api, { url: hook.url });
  const failing = await commitProductUpdate(stack.deps.db, 'Always failing');
  const later = [await commitProductUpdate(stack.deps.db), await commitProductUpdate(stack.deps.db)];

  for (const eventId of later) await waitForMessage(api, endpoint.id, eventId);
  const messages = await messageLog(api, endpoint.id);
  const retried = messages.find((message) => message.eventId === failing);
  assert.equal(retried?.state, 'pending', 'still being retried on its own schedule');
  assert.ok(retried?.nextAttemptAt && retried.attempts >= 1);
  assert.equal(retried?.lastStatusCode, 503);
});

test('only endpoints subscribed to the event type get a message; a disabled one keeps it as held', async () => {
  const hook = await receiver();
  const all = await createWebhook(api, { url: hook.url, events: 'all' });
  const imports = await createWebhook(api, { url: hook.url, events: ['import.completed'] });
  const disabled = await createWebhook(api, { url: hook.url, enabled: false });
  const eventId = await commitProductUpdate(stack.deps.db);

  await waitForMessage(api, all.id, eventId);
  assert.deepEqual(await messageLog(api, imports.id), []);
  const [held] = await messageLog(api, disabled.id);
  assert.deepEqual([held?.eventId, held?.state, held?.attempts], [eventId, 'held', 0]);
  assert.equal(hook.received.filter((r) => r.headers['webhook-id'] === eventId).length, 1);
});

test('Redeliver sends the same event again under the same webhook-id, logged as a redelivery', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url });
  const eventId = await commitProductUpdate(stack.deps.db);
  await waitForMessage(api, endpoint.id, eventId);
  const [delivered] = await deliveryLog(api, endpoint.id);

  const response = await api.fetch(`/api/deliveries/${delivered?.id}/redeliver`, { method: 'POST' });
  assert.equal(response.status, 202);
  assert.deepEqual(await response.json(), {
    workflowId: laneWorkflowId(endpoint.id),
    eventId,
    endpointId: endpoint.id,
  });
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
  const [message] = await messageLog(api, endpoint.id);
  assert.deepEqual([message?.state, message?.attempts], ['delivered', 1]);
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
