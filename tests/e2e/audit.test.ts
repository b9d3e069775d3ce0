import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { requestAs, signedInUser } from '../support/auth';
import { assertAccessible } from '../support/axe';
import { launchBrowser, waitForExpression } from '../support/browser';
import { type Stack, startStack } from '../support/stack';

/**
 * The Audit log page, signed in as an admin: entries newest first, filtered by action, paged with
 * Older/Newer; a viewer is told the log is for admins. Every state visited is checked with axe-core.
 */
let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack({ isolated: true, worker: false });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A page in a fresh context whose session cookie is `cookie` (`catalog_session=…`). */
async function openSignedIn(
  cookie: string,
  path: string,
): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [name = '', value = ''] = cookie.split('=');
  await context.addCookies([{ name, value, url: stack.baseUrl }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${stack.baseUrl}${path}`);
  return { page, errors, close: () => context.close() };
}

const rowActions = (page: Page) =>
  page
    .locator('[data-testid=audit-row]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action') ?? ''));

test('an admin reads, filters and pages the audit log', async () => {
  const admin = await signedInUser(stack, 'admin');
  const key = await stack.keyFor('editor');
  for (let i = 0; i < 30; i++) {
    const response = await requestAs(stack.baseUrl, key, '/api/products', {
      method: 'POST',
      body: { sku: `AUDIT-UI-${i}`, name: `Audited ${i}` },
    });
    assert.equal(response.status, 201);
  }

  const { page, errors, close } = await openSignedIn(admin.cookie, '/audit');
  try {
    await page.getByTestId('audit-table').waitFor();
    await assertAccessible(page, 'the Audit log page');
    const first = await rowActions(page);
    assert.equal(first.length, 25, 'a page of 25');
    assert.equal(first[0], 'product.created', 'newest first');
    assert.match((await page.getByTestId('audit-actor').first().textContent()) ?? '', /key test editor/);

    await page.getByTestId('audit-older').click();
    await waitForExpression(page, `document.querySelectorAll('[data-testid=audit-row]').length < 25`);
    const second = await rowActions(page);
    assert.ok(second.includes('user.signed_in'), 'the older page reaches the admin’s sign-in');
    assert.equal(await page.getByTestId('audit-older').isDisabled(), true, 'nothing older');
    await page.getByTestId('audit-newer').click();
    await waitForExpression(page, `document.querySelectorAll('[data-testid=audit-row]').length === 25`);

    await page.getByTestId('audit-filter-action').selectOption('user.sign');
    await page.getByTestId('audit-apply').click();
    await waitForExpression(page, `document.querySelectorAll('[data-testid=audit-row]').length === 1`);
    assert.deepEqual(await rowActions(page), ['user.signed_in']);
    await assertAccessible(page, 'the Audit log filtered');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a viewer is told the log is for admins', async () => {
  const viewer = await signedInUser(stack, 'viewer');
  const { page, close } = await openSignedIn(viewer.cookie, '/audit');
  try {
    const message = page.getByTestId('audit-error');
    await message.waitFor();
    assert.match((await message.textContent()) ?? '', /Only admins/);
    await assertAccessible(page, 'the Audit log refused');
  } finally {
    await close();
  }
});
