import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { productSchema, webhookEndpointSchema } from '@catalog/domain';
import type { Browser } from 'playwright-core';
import { z } from 'zod';
import { requestAs } from '../support/auth';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openSignedInPage } from '../support/browser';
import { type Stack, startStack } from '../support/stack';
import {
  type Receiver,
  readSecret,
  startReceiver,
  startWebhookRuntime,
  verifyWith,
  type WebhookRuntime,
} from '../support/webhooks';

/**
 * The Webhooks page with per-endpoint delivery lanes (issue 10): the rate limit and in-order
 * settings set in the form and shown in the table; messages for a disabled endpoint listed as
 * held; Recover, after the endpoint is enabled again, sending them to a real receiver on loopback.
 * A viewer reads all of it without the controls. Every page state visited is checked with axe-core.
 */
const laneEndpointSchema = webhookEndpointSchema.extend({
  rateLimitPerSecond: z.number().int().nullable(),
  ordered: z.boolean(),
  state: z.enum(['active', 'paused', 'disabled']),
});

let stack: Stack;
let runtime: WebhookRuntime;
let browser: Browser;
const receivers: Receiver[] = [];

before(async () => {
  stack = await startStack({ isolated: true, worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  runtime = await startWebhookRuntime(stack);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await runtime?.stop();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await stack?.stop();
});

/** A receiver of the test's own, so what it counts came from that test's endpoint only. */
async function ownReceiver(): Promise<Receiver> {
  const receiver = await startReceiver();
  receivers.push(receiver);
  return receiver;
}

async function createEndpoint(url: string, body: Record<string, unknown>) {
  const response = await requestAs(stack.baseUrl, await stack.keyFor('admin'), '/api/webhooks', {
    method: 'POST',
    body: { name: `Lane ${randomBytes(3).toString('hex')}`, url, ...body },
  });
  assert.equal(response.status, 201, await response.clone().text());
  return laneEndpointSchema.parse(await response.json());
}

/** A product created and then renamed through the API: one product.updated event. Returns its sku. */
async function updateProduct(): Promise<string> {
  const key = await stack.keyFor('editor');
  const sku = `e2e-lane-${randomBytes(4).toString('hex')}`;
  const created = await requestAs(stack.baseUrl, key, '/api/products', { method: 'POST', body: { sku, name: 'Lamp' } });
  assert.equal(created.status, 201, await created.clone().text());
  const product = productSchema.parse(await created.json());
  const edited = await requestAs(stack.baseUrl, key, `/api/products/${product.id}`, {
    method: 'PATCH',
    body: { name: 'Lamp, brass', version: product.version },
  });
  assert.equal(edited.status, 200, await edited.clone().text());
  return sku;
}

test('a rate limit and in-order delivery set in the form show in the table, and clear again', async () => {
  const receiver = await ownReceiver();
  const name = `Limited ${randomBytes(3).toString('hex')}`;
  const { page, errors, close } = await openSignedInPage(browser, stack, '/webhooks', 'admin');
  try {
    await page.locator('[data-testid=webhook-table], [data-testid=webhooks-empty]').first().waitFor();
    await page.getByTestId('webhook-add').click();
    const form = page.getByTestId('webhook-form');
    await form.waitFor();
    await form.getByTestId('webhook-name').fill(name);
    await form.getByTestId('webhook-url').fill(receiver.url);
    await form.getByTestId('webhook-rate-limit').fill('0');
    await form.getByTestId('webhook-save').click();
    await form.getByTestId('webhook-rate-limit-error').waitFor();
    assert.equal(await form.getByTestId('webhook-rate-limit').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'the webhook form refusing a rate limit of 0');

    await form.getByTestId('webhook-rate-limit').fill('25');
    await form.getByTestId('webhook-ordered').check();
    await assertAccessible(page, 'the webhook form with a rate limit and in-order delivery');
    await form.getByTestId('webhook-save').click();
    await form.waitFor({ state: 'hidden' });

    const row = page.getByTestId('webhook-row').filter({ hasText: name });
    await row.waitFor();
    assert.equal(await row.getByTestId('webhook-rate').getAttribute('data-rate'), '25');
    assert.match((await row.getByTestId('webhook-rate').textContent()) ?? '', /Up to 25 a second/);
    assert.equal(await row.getByTestId('webhook-order').getAttribute('data-ordered'), 'true');
    assert.equal(await row.getByTestId('webhook-status').getAttribute('data-state'), 'active');
    await assertAccessible(page, 'a webhook with a rate limit, in order, in the table');

    const id = await row.getAttribute('data-webhook-id');
    const stored = await requestAs(stack.baseUrl, await stack.keyFor('viewer'), `/api/webhooks/${id}`);
    const endpoint = laneEndpointSchema.parse(await stored.json());
    assert.equal(endpoint.rateLimitPerSecond, 25);
    assert.equal(endpoint.ordered, true);

    await row.getByTestId('webhook-edit').click();
    await form.waitFor();
    assert.equal(await form.getByTestId('webhook-rate-limit').inputValue(), '25');
    assert.equal(await form.getByTestId('webhook-ordered').isChecked(), true);
    await form.getByTestId('webhook-rate-limit').fill('');
    await form.getByTestId('webhook-ordered').uncheck();
    await form.getByTestId('webhook-save').click();
    await form.waitFor({ state: 'hidden' });
    await row.locator('[data-testid=webhook-order][data-ordered=false]').waitFor();
    assert.equal(await row.getByTestId('webhook-rate').getAttribute('data-rate'), '');
    assert.match((await row.getByTestId('webhook-rate').textContent()) ?? '', /No rate limit/);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('messages for a disabled endpoint are held, and Recover sends them to the receiver once enabled', async () => {
  const receiver = await ownReceiver();
  const endpoint = await createEndpoint(receiver.url, { enabled: false, events: ['product.updated'] });
  assert.equal(endpoint.state, 'disabled');
  const secret = await readSecret(await stack.as('admin'), endpoint.id);
  const skus = [await updateProduct(), await updateProduct()];

  const { page, errors, close } = await openSignedInPage(browser, stack, '/webhooks', 'admin');
  try {
    const row = page.locator(`[data-testid=webhook-row][data-webhook-id="${endpoint.id}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('webhook-status').getAttribute('data-state'), 'disabled');
    await row.getByTestId('webhook-open').click();
    const messages = page.getByTestId('webhook-details').getByTestId('webhook-messages');
    await messages.getByTestId('webhook-messages-state').selectOption('held');
    const held = messages.locator('[data-testid=webhook-message][data-state=held]');
    await held.nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await held.count(), 2);
    assert.equal(receiver.received.length, 0, 'nothing is sent to a disabled endpoint');
    await assertAccessible(page, 'held messages of a disabled endpoint');

    // The switch shows the server's value until it accepts the change, so it is clicked, not checked.
    await row.getByTestId('webhook-toggle').click();
    await row.locator('[data-testid=webhook-status][data-state=active]').waitFor();

    // Recover is reached and answered from the keyboard.
    await row.getByTestId('webhook-recover').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Recover messages' });
    await dialog.waitFor();
    const since = await dialog.getByTestId('webhook-recover-since').inputValue();
    const sinceMs = new Date(since).getTime();
    assert.ok(Math.abs(Date.now() - 24 * 3_600_000 - sinceMs) < 5 * 60_000, `defaults to 24 hours ago: ${since}`);
    assert.match((await dialog.textContent()) ?? '', /failed or was held since/);
    await assertAccessible(page, 'the Recover dialog');
    await dialog.getByTestId('webhook-recover-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('toast').filter({ hasText: '2 messages queued to be sent again' }).waitFor();

    const delivered = await receiver.waitFor(2, 30_000);
    const bodies = delivered.map((request) => JSON.stringify(verifyWith(secret, request)));
    for (const sku of skus) {
      assert.equal(bodies.filter((body) => body.includes(sku)).length, 1, `${sku} delivered once`);
    }
    await messages.getByTestId('webhook-messages-state').selectOption('delivered');
    const done = messages.locator('[data-testid=webhook-message][data-state=delivered]');
    await done.nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await done.first().getByTestId('webhook-message-attempts').textContent(), '1');
    await assertAccessible(page, 'recovered messages delivered');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a viewer at phone width reads delivery settings, state and messages, without Recover or other controls', async () => {
  const receiver = await ownReceiver();
  const endpoint = await createEndpoint(receiver.url, { rateLimitPerSecond: 10, ordered: true });
  const { page, errors, close } = await openSignedInPage(browser, stack, '/webhooks', 'viewer', { width: 390 });
  try {
    const row = page.locator(`[data-testid=webhook-row][data-webhook-id="${endpoint.id}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('webhook-rate').getAttribute('data-rate'), '10');
    assert.equal(await row.getByTestId('webhook-order').getAttribute('data-ordered'), 'true');
    for (const control of ['webhook-add', 'webhook-toggle', 'webhook-recover', 'webhook-edit', 'webhook-delete']) {
      assert.equal(await page.getByTestId(control).count(), 0, `${control} is not offered`);
    }
    await row.getByTestId('webhook-open').click();
    const messages = page.getByTestId('webhook-details').getByTestId('webhook-messages');
    await messages
      .locator('[data-testid=webhook-messages-table], [data-testid=webhook-messages-empty]')
      .first()
      .waitFor();
    await assertAccessible(page, 'the Webhooks page for a viewer at phone width');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
