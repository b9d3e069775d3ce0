import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { laneWorkflowId, type WebhookEndpoint, webhookEndpointSchema } from '@catalog/domain';
import type { Api } from '../../../tests/support/api';
import { pollUntil } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  deliveryLog,
  messageLog,
  type Receiver,
  startReceiver,
  startWebhookRuntime,
  type WebhookRuntime,
  waitForMessage,
} from '../../../tests/support/webhooks';

/** WEBHOOK_DISABLE_AFTER_HOURS of 0.001 (3.6 s) lets a failure streak outlast it within a few retries. */
let stack: Stack;
let api: Api;
let runtime: WebhookRuntime;
let receiver: Receiver;

before(async () => {
  stack = await startStack({
    isolated: true,
    worker: false,
    env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_DISABLE_AFTER_HOURS: '0.001' },
  });
  // Webhooks are the admins'.
  api = await stack.as('admin');
  runtime = await startWebhookRuntime(stack);
  receiver = await startReceiver();
});
after(async () => {
  await runtime?.stop();
  await receiver?.close();
  await stack?.stop();
});

const readEndpoint = async (id: string): Promise<WebhookEndpoint> =>
  webhookEndpointSchema.parse(await (await api.fetch(`/api/webhooks/${id}`)).json());

test('an endpoint that keeps failing past the configured time is disabled with the reason; its messages are held', async () => {
  receiver.respond(() => ({ status: 500, body: 'still broken' }));
  const endpoint = await createWebhook(api, { url: receiver.url });
  const eventId = await commitProductUpdate(stack.deps.db);

  const disabled = await pollUntil(
    'the endpoint to be disabled',
    () => readEndpoint(endpoint.id),
    (e) => !e.enabled,
  );
  assert.match(
    disabled.disabledReason ?? '',
    /^Disabled automatically: every delivery failed since .* \(last error: HTTP 500\)$/,
  );
  assert.ok(disabled.failingSince);
  assert.deepEqual(disabled.lastDelivery && [disabled.lastDelivery.ok, disabled.lastDelivery.statusCode], [false, 500]);
  // Its lane ends; the message waits for an admin to recover it.
  const lane = stack.deps.temporal.client.workflow.getHandle(laneWorkflowId(endpoint.id));
  assert.deepEqual(await lane.result(), { ended: 'disabled' });
  assert.equal((await waitForMessage(api, endpoint.id, eventId, ['held'])).state, 'held');
  const attempts = (await deliveryLog(api, endpoint.id)).length;
  assert.ok(attempts >= 2, `${attempts} attempts`);

  // Later events are held too, and nothing more is sent.
  const received = receiver.received.length;
  const later = await commitProductUpdate(stack.deps.db);
  await waitForMessage(api, endpoint.id, later, ['held']);
  assert.equal(receiver.received.length, received);
  assert.equal((await messageLog(api, endpoint.id)).length, 2);

  // Enabling it again by hand clears the reason and the streak.
  const response = await api.fetch(`/api/webhooks/${endpoint.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: true }),
  });
  const enabled = webhookEndpointSchema.parse(await response.json());
  assert.deepEqual([enabled.enabled, enabled.disabledReason, enabled.failingSince], [true, null, null]);
});

test('a success ends the failure streak, so a flaky endpoint is not disabled', async () => {
  const flaky = await startReceiver();
  try {
    flaky.respond((_, index) => (index < 2 ? { status: 502 } : { status: 200 }));
    const endpoint = await createWebhook(api, { url: flaky.url });
    const eventId = await commitProductUpdate(stack.deps.db);
    await waitForMessage(api, endpoint.id, eventId);
    const after = await readEndpoint(endpoint.id);
    assert.deepEqual([after.enabled, after.failingSince, after.lastDelivery?.ok], [true, null, true]);
  } finally {
    await flaky.close();
  }
});
