import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { productSchema, webhookEndpointSchema } from '@catalog/domain';
import type { Browser } from 'playwright-core';
import { requestAs } from '../support/auth';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openSignedInPage } from '../support/browser';
import { type Stack, startStack } from '../support/stack';
import {
  type Receiver,
  startReceiver,
  startWebhookRuntime,
  verifyWith,
  type WebhookRuntime,
} from '../support/webhooks';

/**
 * The Webhooks page: an admin adds an endpoint pointing at a receiver on loopback, presses Test,
 * then changes a product through the API and watches its delivery appear in the page's delivery
 * log; an editor reads the same page without its management controls.
 * Every page state visited is checked with axe-core.
 */
let stack: Stack;
let runtime: WebhookRuntime;
let receiver: Receiver;
let browser: Browser;

before(async () => {
  stack = await startStack({ isolated: true, worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  runtime = await startWebhookRuntime(stack);
  receiver = await startReceiver();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await runtime?.stop();
  await receiver?.close();
  await stack?.stop();
});

async function createProduct(sku: string): Promise<{ id: number; version: number }> {
  const response = await requestAs(stack.baseUrl, await stack.keyFor('editor'), '/api/products', {
    method: 'POST',
    body: { sku, name: 'Desk lamp', price: '25.00' },
  });
  assert.equal(response.status, 201, await response.clone().text());
  return productSchema.parse(await response.json());
}

test('a webhook added on the page answers Test with 200 and a latency, and logs a product edit', async () => {
  const name = `Receiver ${randomBytes(3).toString('hex')}`;
  const { page, errors, close } = await openSignedInPage(browser, stack, '/webhooks', 'admin');
  try {
    await page.locator('[data-testid=webhook-table], [data-testid=webhooks-empty]').first().waitFor();
    await assertAccessible(page, 'the Webhooks page');

    await page.getByTestId('webhook-add').click();
    const form = page.getByTestId('webhook-form');
    await form.waitFor();
    await assertAccessible(page, 'the new webhook dialog');
    await form.getByTestId('webhook-name').fill(name);
    await form.getByTestId('webhook-url').fill(receiver.url);
    await form.getByTestId('webhook-events-all').uncheck();
    await form.getByTestId('webhook-event-product.updated').check();
    await assertAccessible(page, 'the new webhook dialog, filled in with one event chosen');
    await form.getByTestId('webhook-save').click();
    await form.waitFor({ state: 'hidden' });

    const row = page.getByTestId('webhook-row').filter({ hasText: name });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Product updated/);
    await page.getByTestId('webhook-details').waitFor();
    await assertAccessible(page, 'a webhook added, its details open');

    await row.getByTestId('webhook-test').click();
    const outcome = row.locator('[data-testid=webhook-test-result][data-state=ok]');
    await outcome.waitFor();
    assert.equal(await outcome.getAttribute('data-status'), '200');
    assert.match((await outcome.getByTestId('webhook-test-status').textContent()) ?? '', /HTTP 200/);
    assert.match((await outcome.getByTestId('webhook-test-latency').textContent()) ?? '', /\d+(\.\d+)? (ms|s)/);
    await assertAccessible(page, 'a webhook test answered');

    // The secret the page reveals is the one that signed the test event.
    const details = page.getByTestId('webhook-details');
    await details.getByTestId('webhook-secret-reveal').click();
    const revealed = details.getByTestId('webhook-secret').filter({ hasText: 'whsec_' });
    await revealed.waitFor();
    const secret = (await revealed.textContent())?.trim() ?? '';
    await assertAccessible(page, 'the signing secret revealed');
    assert.match(secret, /^whsec_/);
    const testRequest = receiver.received.at(-1);
    assert.ok(testRequest);
    verifyWith(secret, testRequest);

    const sku = `e2e-wh-${randomBytes(4).toString('hex')}`;
    const product = await createProduct(sku);
    const edited = await requestAs(stack.baseUrl, await stack.keyFor('editor'), `/api/products/${product.id}`, {
      method: 'PATCH',
      body: { name: 'Desk lamp, brass', version: product.version },
    });
    assert.equal(edited.status, 200, await edited.clone().text());

    const delivered = details.locator('[data-testid=delivery-row][data-event-type="product.updated"]');
    await delivered.waitFor({ timeout: 30_000 });
    assert.equal(await delivered.getAttribute('data-ok'), 'true');
    assert.match((await delivered.getByTestId('delivery-result').textContent()) ?? '', /HTTP 200/);
    await assertAccessible(page, 'the delivery log with a delivery');
    const eventId = await delivered.getAttribute('data-event-id');
    const request = receiver.received.find((r) => r.headers['webhook-id'] === eventId);
    assert.ok(request, 'the receiver got the logged event');
    const message = verifyWith(secret, request);
    assert.match(JSON.stringify(message), new RegExp(sku));
    assert.equal(
      await details.locator('[data-testid=delivery-row][data-event-type="product.created"]').count(),
      0,
      'not subscribed to product.created',
    );

    await row.getByTestId('webhook-edit').click();
    await form.waitFor();
    assert.equal(await form.getByTestId('webhook-name').inputValue(), name);
    await assertAccessible(page, 'the edit webhook dialog');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'hidden' });

    await row.getByTestId('webhook-delete').click();
    const confirm = page.getByRole('dialog', { name: 'Delete this webhook?' });
    await confirm.waitFor();
    await assertAccessible(page, 'the delete confirmation');
    await confirm.getByRole('button', { name: 'Back' }).click();
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await row.count(), 1, 'going back keeps the webhook');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('an editor reads webhooks and their delivery log, without management controls or the secret', async () => {
  const created = await requestAs(stack.baseUrl, await stack.keyFor('admin'), '/api/webhooks', {
    method: 'POST',
    body: { name: `Read only ${randomBytes(3).toString('hex')}`, url: receiver.url },
  });
  assert.equal(created.status, 201, await created.clone().text());
  const endpoint = webhookEndpointSchema.parse(await created.json());
  const { page, errors, close } = await openSignedInPage(browser, stack, '/webhooks', 'editor');
  try {
    const row = page.locator(`[data-testid=webhook-row][data-webhook-id="${endpoint.id}"]`);
    await row.waitFor();
    for (const control of ['webhook-add', 'webhook-toggle', 'webhook-test', 'webhook-edit', 'webhook-delete']) {
      assert.equal(await page.getByTestId(control).count(), 0, `${control} is not offered`);
    }
    assert.equal(await row.getByTestId('webhook-enabled').textContent(), 'Yes');
    await row.getByTestId('webhook-open').click();
    const details = page.getByTestId('webhook-details');
    await details.locator('[data-testid=delivery-log], [data-testid=delivery-log-empty]').first().waitFor();
    assert.equal(await details.getByTestId('webhook-secret').count(), 0, 'no signing secret panel');
    assert.equal(await details.getByTestId('delivery-redeliver').count(), 0);
    await assertAccessible(page, 'the Webhooks page for an editor');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
