import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type WebhookEndpoint, webhookEndpointSchema } from '@catalog/domain';
import type { Api } from '../../../tests/support/api';
import { pollUntil } from '../../../tests/support/imports';
import { type Stack, startStack } from '../../../tests/support/stack';
import {
  commitProductUpdate,
  createWebhook,
  type Receiver,
  startReceiver,
  startWebhookRuntime,
  type WebhookRuntime,
  waitForMessage,
} from '../../../tests/support/webhooks';

/**
 * A breaker that opens on the first failure and waits an hour to probe: enabling the endpoint again
 * must not leave its lane waiting for that probe (the tests wait a minute at most).
 */
let stack: Stack;
let api: Api;
let runtime: WebhookRuntime;
let receiver: Receiver;

before(async () => {
  stack = await startStack({
    isolated: true,
    worker: false,
    env: {
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_BREAKER_FAILURES: '1',
      WEBHOOK_BREAKER_COOLDOWN_MS: '3600000',
    },
  });
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

const patch = (id: string, body: unknown) =>
  api.fetch(`/api/webhooks/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

test('an endpoint disabled while its breaker waits and enabled again gets new messages at once', async () => {
  let healthy = false;
  receiver.respond(() => (healthy ? { status: 200 } : { status: 500 }));
  const endpoint = await createWebhook(api, { url: receiver.url });
  const failed = await commitProductUpdate(stack.deps.db);
  await pollUntil(
    'the breaker to open',
    () => readEndpoint(endpoint.id),
    (e) => e.state === 'paused',
  );

  assert.equal((await patch(endpoint.id, { enabled: false })).status, 200);
  await waitForMessage(api, endpoint.id, failed, ['held']);
  healthy = true;
  const enabled = webhookEndpointSchema.parse(await (await patch(endpoint.id, { enabled: true })).json());
  assert.deepEqual([enabled.state, enabled.circuit], ['active', null], 'enabling closed the breaker');

  // Without the lane forgetting the open breaker it saw, this waits for the probe an hour away.
  const later = await commitProductUpdate(stack.deps.db);
  await waitForMessage(api, endpoint.id, later);
  assert.equal((await waitForMessage(api, endpoint.id, failed, ['held'])).state, 'held', 'held until recovered');
});
