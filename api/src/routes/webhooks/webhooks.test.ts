import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  webhookEndpointSchema,
  webhookMessageLogSchema,
  webhookSecretSchema,
  webhookTestResultSchema,
} from '@catalog/domain';
import { z } from 'zod';
import type { Api } from '../../../../tests/support/api';
import { type Stack, startStack } from '../../../../tests/support/stack';
import {
  createWebhook,
  deliveryLog,
  type Receiver,
  startReceiver,
  verifyWith,
} from '../../../../tests/support/webhooks';

/** The endpoints API and the Test button, against a real receiver on loopback. */
let stack: Stack;
let api: Api;
let receiver: Receiver;

before(async () => {
  stack = await startStack({ isolated: true, worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  // Webhooks are the admins'.
  api = await stack.as('admin');
  receiver = await startReceiver();
});
after(async () => {
  await receiver?.close();
  await stack?.stop();
});

const call = (path: string, init: { method?: string; body?: unknown } = {}) =>
  api.fetch(path, {
    method: init.method ?? 'GET',
    ...(init.body !== undefined
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }
      : {}),
  });
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

test('an endpoint is created, listed, read, changed and deleted', async () => {
  const created = await createWebhook(api, {
    url: receiver.url,
    name: 'Orders',
    events: ['product.updated'],
  });
  assert.equal(created.enabled, true);
  assert.deepEqual(created.events, ['product.updated']);
  assert.equal(created.lastDelivery, null);
  assert.equal('secret' in created, false, 'the secret is shown on demand only');

  const list = z.object({ items: z.array(webhookEndpointSchema) }).parse(await (await call('/api/webhooks')).json());
  assert.ok(list.items.some((item) => item.id === created.id));

  const patched = await call(`/api/webhooks/${created.id}`, {
    method: 'PATCH',
    body: { name: 'Orders v2', events: 'all', enabled: false },
  });
  assert.equal(patched.status, 200);
  const changed = webhookEndpointSchema.parse(await patched.json());
  assert.deepEqual([changed.name, changed.events, changed.enabled], ['Orders v2', 'all', false]);
  assert.equal(webhookEndpointSchema.parse(await (await call(`/api/webhooks/${created.id}`)).json()).name, 'Orders v2');

  assert.equal((await call(`/api/webhooks/${created.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await call(`/api/webhooks/${created.id}`)).status, 404);
  assert.equal((await call(`/api/webhooks/${created.id}`, { method: 'DELETE' })).status, 404);
});

test('bad input is refused with a 400 that names the parameter', async () => {
  const cases: [unknown, RegExp][] = [
    [{ name: 'x', url: 'ftp://example.com/hook' }, /"url".*http/],
    [{ name: 'x', url: 'not a url' }, /"url"/],
    [{ name: 'x', url: 'http://user:pw@example.com/' }, /"url".*user name or password/],
    [{ name: '', url: receiver.url }, /"name"/],
    [{ name: 'x', url: receiver.url, events: [] }, /"events"/],
    [{ name: 'x', url: receiver.url, events: ['product.exploded'] }, /"events/],
  ];
  for (const [body, message] of cases) {
    const response = await call('/api/webhooks', { method: 'POST', body });
    assert.equal(response.status, 400, JSON.stringify(body));
    const { error } = errorBody.parse(await response.json());
    assert.equal(error.code, 'validation_failed');
    assert.match(error.message, message);
  }
  assert.equal((await call('/api/webhooks/not-a-uuid')).status, 400);
  const created = await createWebhook(api, { url: receiver.url });
  assert.equal((await call(`/api/webhooks/${created.id}`, { method: 'PATCH', body: {} })).status, 400);
});

test('Test sends a signed webhook.test event and reports status, latency and the response snippet', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  const secret = webhookSecretSchema.parse(await (await call(`/api/webhooks/${created.id}/secret`)).json());
  assert.match(secret.secret, /^whsec_[A-Za-z0-9+/=]{40,}$/);
  receiver.respond(() => ({ status: 200, body: `accepted ${'x'.repeat(3000)}` }));
  const before = receiver.received.length;

  const response = await call(`/api/webhooks/${created.id}/test`, { method: 'POST' });
  assert.equal(response.status, 200);
  const result = webhookTestResultSchema.parse(await response.json());
  assert.equal(result.ok, true);
  assert.equal(result.status, 200);
  assert.ok(result.latencyMs >= 0);
  assert.equal(result.responseSnippet?.length, 1024, 'only the first 1 KB of the answer is kept');

  const request = receiver.received[before];
  assert.ok(request);
  const message = z
    .object({ type: z.literal('webhook.test'), timestamp: z.string(), data: z.record(z.string(), z.unknown()) })
    .parse(verifyWith(secret.secret, request));
  assert.equal(message.data.endpointId, created.id);
  assert.equal(request.headers['content-type'], 'application/json');

  const [logged] = await deliveryLog(api, created.id);
  assert.equal(logged?.eventType, 'webhook.test');
  assert.equal(logged?.eventId, request.headers['webhook-id']);
  assert.equal(logged?.statusCode, 200);
});

test('Test reports a failing receiver and an unreachable one without failing itself', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  receiver.respond(() => ({ status: 503, body: '<h1>down</h1>' }));
  const failing = webhookTestResultSchema.parse(
    await (await call(`/api/webhooks/${created.id}/test`, { method: 'POST' })).json(),
  );
  assert.deepEqual(
    [failing.ok, failing.status, failing.responseSnippet, failing.error],
    [false, 503, '<h1>down</h1>', 'HTTP 503'],
  );

  const gone = await startReceiver();
  await gone.close();
  const unreachable = await createWebhook(api, { url: gone.url });
  const result = webhookTestResultSchema.parse(
    await (await call(`/api/webhooks/${unreachable.id}/test`, { method: 'POST' })).json(),
  );
  assert.equal(result.ok, false);
  assert.equal(result.status, null);
  assert.match(result.error ?? '', /ECONNREFUSED/);
});

test('after a rotation the old and the new secret both verify, until the overlap ends', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  receiver.respond(() => ({ status: 204 }));
  const old = webhookSecretSchema.parse(await (await call(`/api/webhooks/${created.id}/secret`)).json()).secret;
  const rotated = webhookSecretSchema.parse(
    await (await call(`/api/webhooks/${created.id}/secret/rotate`, { method: 'POST' })).json(),
  );
  assert.notEqual(rotated.secret, old);
  assert.equal(rotated.previousSecret, old);
  const overlapHours = (Date.parse(rotated.previousSecretExpiresAt ?? '') - Date.now()) / 3_600_000;
  assert.ok(overlapHours > 23.9 && overlapHours <= 24, `overlap of ${overlapHours} h`);

  const before = receiver.received.length;
  await call(`/api/webhooks/${created.id}/test`, { method: 'POST' });
  const request = receiver.received[before];
  assert.ok(request);
  assert.equal(request.headers['webhook-signature']?.split(' ').length, 2);
  verifyWith(old, request);
  verifyWith(rotated.secret, request);

  // Once the overlap is over only the new secret signs.
  await stack.deps.db.pool.query(`update webhook_endpoints set previous_secret_expires_at = now() where id = $1`, [
    created.id,
  ]);
  await call(`/api/webhooks/${created.id}/test`, { method: 'POST' });
  const later = receiver.received[before + 1];
  assert.ok(later);
  verifyWith(rotated.secret, later);
  assert.throws(() => verifyWith(old, later), /No matching signature/);
  const secret = webhookSecretSchema.parse(await (await call(`/api/webhooks/${created.id}/secret`)).json());
  assert.equal(secret.previousSecret, null);
});

test('the delivery log is paginated, newest first', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  receiver.respond(() => ({ status: 200 }));
  for (let i = 0; i < 3; i++) await call(`/api/webhooks/${created.id}/test`, { method: 'POST' });
  const page = z
    .object({
      items: z.array(z.object({ eventId: z.string() })),
      page: z.number(),
      pageSize: z.number(),
      total: z.number(),
    })
    .parse(await (await call(`/api/webhooks/${created.id}/deliveries?page=1&pageSize=2`)).json());
  assert.equal(page.total, 3);
  assert.equal(page.items.length, 2);
  const ids = receiver.received.slice(-3).map((r) => r.headers['webhook-id']);
  assert.deepEqual(
    page.items.map((item) => item.eventId),
    [ids[2], ids[1]],
  );
  assert.equal((await call(`/api/webhooks/${created.id}/deliveries?pageSize=1000`)).status, 400);
});

test('redelivering a test delivery is refused: only catalog events are stored to send again', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  await call(`/api/webhooks/${created.id}/test`, { method: 'POST' });
  const [logged] = await deliveryLog(api, created.id);
  const response = await call(`/api/deliveries/${logged?.id}/redeliver`, { method: 'POST' });
  assert.equal(response.status, 409);
  assert.equal(
    (await call(`/api/deliveries/00000000-0000-4000-8000-000000000000/redeliver`, { method: 'POST' })).status,
    404,
  );
});

test('the webhook routes are in the OpenAPI document', async () => {
  const document = z
    .object({ paths: z.record(z.string(), z.unknown()) })
    .parse(await (await call('/api/openapi.json')).json());
  for (const path of [
    '/api/webhooks',
    '/api/webhooks/{id}',
    '/api/webhooks/{id}/test',
    '/api/webhooks/{id}/secret',
    '/api/webhooks/{id}/secret/rotate',
    '/api/webhooks/{id}/deliveries',
    '/api/webhooks/{id}/messages',
    '/api/webhooks/{id}/recover',
    '/api/deliveries/{id}/redeliver',
  ]) {
    assert.ok(path in document.paths, path);
  }
});

test('a NUL character in a name or URL is a 400, not a database error', async () => {
  for (const body of [
    { name: 'a\u0000b', url: 'https://example.com/hook' },
    { name: 'ok', url: 'https://example.com/\u0000' },
  ]) {
    const response = await api.fetch(`/api/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match(await response.text(), /NUL character/);
  }
});

test('viewers and editors see endpoints and their log, never a secret, and cannot send, sign or change', async () => {
  // Receivers often take a token in the query: it is a secret too.
  const created = await createWebhook(api, { url: `${receiver.url}?token=query-secret` });
  assert.equal(created.url, `${receiver.url}?token=query-secret`, 'an admin sees the whole URL');
  for (const role of ['viewer', 'editor'] as const) {
    const reader = await stack.as(role);
    const listed = await reader.fetch('/api/webhooks');
    assert.equal(listed.status, 200);
    const text = await listed.text();
    assert.ok(text.includes(created.id), `${role} lists it`);
    assert.ok(!text.includes('whsec_'), `no secret in the list for ${role}`);
    assert.ok(!text.includes('query-secret'), `no URL query in the list for ${role}`);
    const one = await (await reader.fetch(`/api/webhooks/${created.id}`)).text();
    assert.ok(!one.includes('query-secret') && one.includes('?…'), `the URL's query is hidden from ${role}`);
    assert.equal((await reader.fetch(`/api/webhooks/${created.id}/deliveries`)).status, 200);
    for (const [method, path] of [
      ['GET', '/secret'],
      ['POST', '/secret/rotate'],
      ['POST', '/test'],
      ['DELETE', ''],
    ] as const) {
      const response = await reader.fetch(`/api/webhooks/${created.id}${path}`, { method });
      assert.equal(response.status, 403, `${role} ${method} ${path}`);
      assert.match(errorBody.parse(await response.json()).error.message, /needs the admin role/);
    }
  }
  assert.equal(receiver.received.filter((r) => r.body.includes(created.id)).length, 0, 'no test was sent');
});

test('rate limit and ordered mode are set on create and PATCH; state and circuit are read-only', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  assert.deepEqual(
    [created.rateLimitPerSecond, created.ordered, created.state, created.circuit],
    [null, false, 'active', null],
  );
  const response = await call(`/api/webhooks/${created.id}`, {
    method: 'PATCH',
    body: { rateLimitPerSecond: 25, ordered: true },
  });
  const changed = webhookEndpointSchema.parse(await response.json());
  assert.deepEqual([changed.rateLimitPerSecond, changed.ordered], [25, true]);
  const cleared = webhookEndpointSchema.parse(
    await (await call(`/api/webhooks/${created.id}`, { method: 'PATCH', body: { rateLimitPerSecond: null } })).json(),
  );
  assert.equal(cleared.rateLimitPerSecond, null);
  const disabled = webhookEndpointSchema.parse(
    await (await call(`/api/webhooks/${created.id}`, { method: 'PATCH', body: { enabled: false } })).json(),
  );
  assert.equal(disabled.state, 'disabled');

  const made = webhookEndpointSchema.parse(
    await (
      await call('/api/webhooks', {
        method: 'POST',
        body: { name: 'x', url: receiver.url, rateLimitPerSecond: 3, ordered: true },
      })
    ).json(),
  );
  assert.deepEqual([made.rateLimitPerSecond, made.ordered], [3, true]);

  for (const [body, message] of [
    [{ rateLimitPerSecond: 0 }, /"rateLimitPerSecond".*at least 1/],
    [{ rateLimitPerSecond: 10_001 }, /"rateLimitPerSecond".*at most 10000/],
    [{ rateLimitPerSecond: 2.5 }, /"rateLimitPerSecond".*whole number/],
    [{ rateLimitPerSecond: 'fast' }, /"rateLimitPerSecond"/],
    [{ ordered: 'yes' }, /"ordered".*true or false/],
  ] as const) {
    const refused = await call(`/api/webhooks/${created.id}`, { method: 'PATCH', body });
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.match(errorBody.parse(await refused.json()).error.message, message);
  }
});

test('recover refuses a bad or future date, an unknown endpoint and a disabled one', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  const recover = (id: string, body: unknown) => call(`/api/webhooks/${id}/recover`, { method: 'POST', body });
  for (const body of [{}, { since: 'yesterday' }, { since: new Date(Date.now() + 3_600_000).toISOString() }]) {
    const response = await recover(created.id, body);
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.match(errorBody.parse(await response.json()).error.message, /"since"/);
  }
  assert.equal(
    (await recover('00000000-0000-4000-8000-000000000000', { since: new Date().toISOString() })).status,
    404,
  );
  const nothing = await recover(created.id, { since: new Date(Date.now() - 60_000).toISOString() });
  assert.equal(nothing.status, 202);
  assert.deepEqual(await nothing.json(), { recovered: 0 });

  await call(`/api/webhooks/${created.id}`, { method: 'PATCH', body: { enabled: false } });
  const conflict = await recover(created.id, { since: new Date(Date.now() - 60_000).toISOString() });
  assert.equal(conflict.status, 409);
  assert.match(errorBody.parse(await conflict.json()).error.message, /enable it first/);
  const viewer = await stack.as('viewer');
  const forbidden = await viewer.fetch(`/api/webhooks/${created.id}/recover`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ since: new Date().toISOString() }),
  });
  assert.equal(forbidden.status, 403);
});

test('the message log is keyset paged newest first and filtered by state; a bad cursor or state is a 400', async () => {
  const created = await createWebhook(api, { url: receiver.url });
  // Messages as the dispatcher writes them (no worker runs here).
  for (const state of ['delivered', 'failed', 'held', 'delivered', 'pending']) {
    await stack.deps.db.pool.query(
      `insert into webhook_messages (endpoint_id, event_id, event_type, event_seq, state) values ($1, gen_random_uuid(), 'product.updated', 0, $2)`,
      [created.id, state],
    );
  }
  const page = z.object({
    items: z.array(webhookMessageLogSchema),
    nextCursor: z.string().nullable(),
  });
  const first = page.parse(await (await call(`/api/webhooks/${created.id}/messages?pageSize=3`)).json());
  assert.deepEqual(
    first.items.map((item) => item.state),
    ['pending', 'delivered', 'held'],
  );
  assert.ok(first.items[0]?.nextAttemptAt, 'a pending message says when it is sent');
  assert.ok(first.nextCursor);
  const second = page.parse(
    await (await call(`/api/webhooks/${created.id}/messages?pageSize=3&cursor=${first.nextCursor}`)).json(),
  );
  assert.deepEqual(
    second.items.map((item) => item.state),
    ['failed', 'delivered'],
  );
  assert.equal(second.nextCursor, null);
  const failed = page.parse(await (await call(`/api/webhooks/${created.id}/messages?state=failed`)).json());
  assert.deepEqual(
    failed.items.map((item) => item.state),
    ['failed'],
  );
  for (const query of ['state=lost', 'cursor=abc']) {
    const response = await call(`/api/webhooks/${created.id}/messages?${query}`);
    assert.equal(response.status, 400, query);
  }
  const viewer = await stack.as('viewer');
  assert.equal((await viewer.fetch(`/api/webhooks/${created.id}/messages`)).status, 200);
});
