import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { laneWorkflowId, type WebhookEndpoint, webhookEndpointSchema } from '@catalog/domain';
import type { Api } from '../../../tests/support/api';
import { pollUntil } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  messageLog,
  type Receiver,
  startReceiver,
  startWebhookRuntime,
  type WebhookRuntime,
  waitForMessage,
} from '../../../tests/support/webhooks';

/**
 * What a lane does per endpoint setting, against real receivers on loopback: ordered delivery, the
 * rate limit as the receiver sees it, the circuit breaker (3 failures in a row, 1.5 s cool-down
 * here), and held messages of a disabled endpoint recovered exactly once.
 */
let stack: Stack;
let api: Api;
let runtime: WebhookRuntime;
const receivers: Receiver[] = [];

before(async () => {
  stack = await startStack({
    isolated: true,
    worker: false,
    env: {
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_BREAKER_FAILURES: '3',
      WEBHOOK_BREAKER_COOLDOWN_MS: '1500',
    },
  });
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

const readEndpoint = async (id: string): Promise<WebhookEndpoint> =>
  webhookEndpointSchema.parse(await (await api.fetch(`/api/webhooks/${id}`)).json());

const send = (path: string, method: string, body: unknown) =>
  api.fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('ordered: later messages wait while the first is retried, then go in event order', async () => {
  const hook = await receiver();
  hook.respond((request, index) =>
    request.body.includes('First in line') && index < 2 ? { status: 500 } : { status: 200 },
  );
  const endpoint = await createWebhook(api, { url: hook.url, name: 'ordered receiver' });
  await send(`/api/webhooks/${endpoint.id}`, 'PATCH', { ordered: true });
  const events = [
    await commitProductUpdate(stack.deps.db, 'First in line'),
    await commitProductUpdate(stack.deps.db),
    await commitProductUpdate(stack.deps.db),
  ];

  for (const eventId of events) await waitForMessage(api, endpoint.id, eventId);
  const [first, second, third] = events;
  assert.deepEqual(
    hook.received.map((request) => request.headers['webhook-id']),
    [first, first, first, second, third],
    'one at a time, the first retried until delivered before the next is sent',
  );
});

test('a rate limit is observed by the receiver', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url });
  await send(`/api/webhooks/${endpoint.id}`, 'PATCH', { rateLimitPerSecond: 5 });
  const events: string[] = [];
  for (let i = 0; i < 16; i++) events.push(await commitProductUpdate(stack.deps.db));

  const received = await hook.waitFor(events.length);
  const times = received.map((request) => request.at).sort((a, b) => a - b);
  // No six requests within a second: each one at least ~1 s after the fifth before it.
  for (let i = 5; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 5] ?? 0);
    assert.ok(gap >= 900, `requests ${i - 5} and ${i} only ${gap} ms apart`);
  }
  assert.deepEqual(new Set(received.map((request) => request.headers['webhook-id'])), new Set(events));
});

test('the circuit breaker opens after failures in a row, probes after its cool-down, and closes on success', async () => {
  const hook = await receiver();
  let healthy = false;
  hook.respond(() => (healthy ? { status: 200 } : { status: 500 }));
  const endpoint = await createWebhook(api, { url: hook.url });
  const events: string[] = [];
  for (let i = 0; i < 4; i++) events.push(await commitProductUpdate(stack.deps.db));

  const paused = await pollUntil(
    'the breaker to open',
    () => readEndpoint(endpoint.id),
    (e) => e.state === 'paused',
  );
  assert.ok(paused.circuit?.openedAt && paused.circuit.nextProbeAt);
  const cooldown = Date.parse(paused.circuit.nextProbeAt) - Date.parse(paused.circuit.openedAt);
  assert.equal(cooldown, 1_500);
  const sentWhenOpened = hook.received.length;

  // The probe fails: open again, for twice as long.
  const reopened = await pollUntil(
    'a failed probe',
    () => readEndpoint(endpoint.id),
    (e) => e.state === 'paused' && e.circuit?.openedAt !== paused.circuit?.openedAt,
  );
  assert.equal(hook.received.length, sentWhenOpened + 1, 'one probe, nothing else while open');
  const probeAt = hook.received.at(-1)?.at ?? 0;
  assert.ok(probeAt >= Date.parse(paused.circuit.nextProbeAt) - 50, 'the probe waited for the cool-down');
  const longer = Date.parse(reopened.circuit?.nextProbeAt ?? '') - Date.parse(reopened.circuit?.openedAt ?? '');
  assert.equal(longer, 3_000);

  healthy = true;
  for (const eventId of events) await waitForMessage(api, endpoint.id, eventId);
  const closed = await readEndpoint(endpoint.id);
  assert.deepEqual([closed.state, closed.circuit, closed.enabled], ['active', null, true]);
});

test('a disabled endpoint holds its messages; enabled and recovered, each is delivered exactly once', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url, enabled: false });
  const since = new Date(Date.now() - 1_000).toISOString();
  const events: string[] = [];
  for (let i = 0; i < 3; i++) events.push(await commitProductUpdate(stack.deps.db));
  for (const eventId of events) await waitForMessage(api, endpoint.id, eventId, ['held']);
  assert.equal(hook.received.length, 0);

  const enabled = await send(`/api/webhooks/${endpoint.id}`, 'PATCH', { enabled: true });
  assert.equal(webhookEndpointSchema.parse(await enabled.json()).state, 'active');
  const recover = await send(`/api/webhooks/${endpoint.id}/recover`, 'POST', { since });
  assert.equal(recover.status, 202);
  assert.deepEqual(await recover.json(), { recovered: 3 });
  for (const eventId of events) await waitForMessage(api, endpoint.id, eventId);
  const again = await send(`/api/webhooks/${endpoint.id}/recover`, 'POST', { since });
  assert.deepEqual(await again.json(), { recovered: 0 }, 'delivered messages are not recovered');

  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const ids = hook.received.map((request) => request.headers['webhook-id']).sort();
  assert.deepEqual(ids, [...events].sort(), 'each held message exactly once');
  const messages = await messageLog(api, endpoint.id);
  assert.ok(messages.every((message) => message.state === 'delivered' && message.attempts === 1));
  const audit = await (await api.fetch(`/api/audit?action=webhook.recovered&targetId=${endpoint.id}`)).json();
  assert.match(JSON.stringify(audit), /"recovered":3/);
});

test('deleting an endpoint ends its lane', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url, name: 'deleted receiver' });
  const eventId = await commitProductUpdate(stack.deps.db);
  await waitForMessage(api, endpoint.id, eventId);
  const lane = stack.deps.temporal.client.workflow.getHandle(laneWorkflowId(endpoint.id));
  assert.equal((await lane.describe()).status.name, 'RUNNING', 'the lane waits for its next wake-up');

  assert.equal((await api.fetch(`/api/webhooks/${endpoint.id}`, { method: 'DELETE' })).status, 204);
  assert.deepEqual(await lane.result(), { ended: 'gone' });
});

test('a steady stream goes out through one lingering batch: no signal or activity per message', async () => {
  const hook = await receiver();
  const endpoint = await createWebhook(api, { url: hook.url, name: 'steady receiver' });
  await commitProductUpdate(stack.deps.db);
  await hook.waitFor(1);
  const lane = stack.deps.temporal.client.workflow.getHandle(laneWorkflowId(endpoint.id));
  const countEvents = async () => {
    const { events } = await lane.fetchHistory();
    return {
      signals: (events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes).length,
      batches: (events ?? []).filter((event) => event.activityTaskScheduledEventAttributes).length,
    };
  };
  const before = await countEvents();

  // Each one committed after the last arrived: the batch has gone idle and lingers in between.
  for (let sent = 2; sent <= 21; sent++) {
    await commitProductUpdate(stack.deps.db);
    await hook.waitFor(sent);
  }
  assert.deepEqual(await countEvents(), before, 'the lingering batch heard each message on the bell');
});
