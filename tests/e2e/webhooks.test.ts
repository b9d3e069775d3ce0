import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { productSchema } from '@catalog/domain';
import type { Browser } from 'playwright-core';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openPage } from '../support/browser';
import { type Stack, startStack } from '../support/stack';
import {
  type Receiver,
  startReceiver,
  startWebhookRuntime,
  verifyWith,
  type WebhookRuntime,
} from '../support/webhooks';

/**
 * The Webhooks page: add an endpoint pointing at a receiver on loopback, press Test, then change a
 * product through the API and watch its delivery appear in the page's delivery log.
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
  const response = await fetch(`${stack.baseUrl}/api/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku, name: 'Desk lamp', price: '25.00' }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return productSchema.parse(await response.json());
}

test('a webhook added on the page answers Test with 200 and a latency, and logs a product edit', async () => {
  const name = `Receiver ${randomBytes(3).toString('hex')}`;
  const { page, errors, close } = await openPage(browser, `${stack.baseUrl}/webhooks`);
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
    const edited = await fetch(`${stack.baseUrl}/api/products/${product.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Desk lamp, brass', version: product.version }),
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
