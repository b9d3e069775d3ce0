import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage } from '../support/browser';
import { holdProduct, seedProducts } from '../support/delete-all';
import { productsApi } from '../support/products';
import { type Stack, startStack } from '../support/stack';

/**
 * The Products page in a real browser against the real API, worker and a database of its own:
 * filter and page, inline edit, create, delete, and delete-all with cancel and to completion.
 */
let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack({ isolated: true, env: { SSE_POLL_MS: '100' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

const rows = (page: Page) => page.getByTestId('product-row');
const total = async (page: Page) => (await page.getByTestId('total').textContent())?.replace(/,/g, '');

test('filter, sort and page through products; the view is kept in the address', async () => {
  await seedProducts(stack.deps.db, 'grid', 120);
  await productsApi(stack.baseUrl).created({ sku: 'xss-1', name: '<img src=x onerror=alert(1)>' });
  const { page, errors, close } = await openPage(browser, `${stack.baseUrl}/products`);
  try {
    await rows(page).first().waitFor();
    assert.equal(await total(page), '121');
    assert.equal(await rows(page).count(), 50);

    await page.getByTestId('filter-sku').fill('grid-11');
    await page.waitForURL(/sku=grid-11/);
    await page.waitForFunction(`document.querySelector('[data-testid=total]')?.textContent === '11'`);

    await page.getByTestId('sort-sku').click();
    await page.waitForURL(/sort=sku%3Adesc|sort=sku:desc/);
    await page.reload();
    await page.locator('[data-testid=product-row]').first().waitFor();
    assert.equal(await rows(page).first().getAttribute('data-sku'), 'grid-119', 'sort survives a reload');
    assert.equal(await page.getByTestId('filter-sku').inputValue(), 'grid-11');

    await page.getByTestId('filter-sku').fill('');
    await page.getByTestId('filter-active-inactive').check();
    await page.waitForURL(/active=false/);
    await page.waitForFunction(`document.querySelector('[data-testid=total]')?.textContent === '24'`);

    await page.getByTestId('filter-active-all').check();
    await page.waitForFunction(`document.querySelector('[data-testid=total]')?.textContent === '121'`);
    await page.getByTestId('page-last').click();
    await page.waitForURL(/page=3/);
    await page.locator('[data-testid=product-row][data-sku="grid-1"]').waitFor();
    assert.equal(await rows(page).count(), 21);

    await page.goto(`${stack.baseUrl}/products?q=xss`);
    const cell = page.locator('[data-testid=product-row][data-sku="xss-1"] [data-testid=cell-name]');
    assert.equal(await cell.textContent(), '<img src=x onerror=alert(1)>', 'product text is shown as text');
    assert.equal(await page.locator('main img').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('edit a product inline, see field errors and conflicts in place, and find it saved after a reload', async () => {
  const api = productsApi(stack.baseUrl);
  const product = await api.created({ sku: 'edit-me', name: 'Old name', price: '3' });
  const { page, close } = await openPage(browser, `${stack.baseUrl}/products?sku=edit-me`);
  try {
    const row = page.locator(`[data-testid=product-row][data-product-id="${product.id}"]`);
    await row.getByTestId('edit-button').click();
    const editing = page.getByTestId('product-row-editing');
    await editing.getByTestId('edit-price').fill('-1');
    await editing.getByTestId('edit-price').press('Enter');
    await editing.getByTestId('error-price').waitFor();

    await editing.getByTestId('edit-price').fill('12.5');
    await editing.getByTestId('edit-name').fill('Brand new name');
    await editing.getByTestId('edit-name').press('Escape');
    assert.equal(await row.getByTestId('cell-name').textContent(), 'Old name', 'Esc cancels');

    await row.getByTestId('edit-button').click();
    await editing.getByTestId('edit-name').fill('Brand new name');
    await editing.getByTestId('edit-price').fill('12.5');
    // Someone else saves first: the page shows their value and does not overwrite silently.
    await api.patch(product.id, { name: 'Changed elsewhere', version: product.version });
    await editing.getByTestId('edit-name').press('Enter');
    await editing.getByTestId('conflict-message').waitFor();
    assert.match((await editing.getByTestId('conflict-name').textContent()) ?? '', /Changed elsewhere/);
    await editing.getByTestId('edit-name').press('Enter');
    await row.getByTestId('cell-name').waitFor();

    await page.reload();
    await row.waitFor();
    assert.equal(await row.getByTestId('cell-name').textContent(), 'Brand new name');
    assert.equal(await row.getByTestId('cell-price').textContent(), '12.50');
  } finally {
    await close();
  }
});

test('create a product in the dialog, then delete it with a confirmation', async () => {
  const { page, close } = await openPage(browser, `${stack.baseUrl}/products?sku=made-in-ui`);
  try {
    await page.getByTestId('products-empty').waitFor();
    await page.getByTestId('create-button').click();
    const dialog = page.getByTestId('create-dialog');
    await dialog.getByTestId('create-sku').fill('GRID-1');
    await dialog.getByTestId('create-name').fill('Duplicate');
    await dialog.getByTestId('create-submit').click();
    await dialog.getByTestId('create-error-sku').waitFor();
    assert.match((await dialog.getByTestId('create-error-sku').textContent()) ?? '', /already used by product/);

    await dialog.getByTestId('create-sku').fill('made-in-ui');
    await dialog.getByTestId('create-name').fill('Made in the UI');
    await dialog.getByTestId('create-price').fill('4.2');
    await dialog.getByTestId('create-submit').click();
    const row = page.locator('[data-testid=product-row][data-sku="made-in-ui"]');
    await row.waitFor();
    assert.equal(await row.getByTestId('cell-price').textContent(), '4.20');

    await row.getByTestId('delete-button').click();
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('products-empty').waitFor();
    const left = await stack.deps.db.pool.query(`select 1 from products where sku = 'made-in-ui'`);
    assert.equal(left.rowCount, 0);
  } finally {
    await close();
  }
});

test('delete-all: typed confirmation, progress with Cancel keeps the rest, then a run to completion empties the grid', async () => {
  await stack.deps.db.pool.query(`delete from products`);
  await seedProducts(stack.deps.db, 'bulk', 60_000);
  const held = await holdProduct(stack.deps.db, 40_000);
  const { page, close } = await openPage(browser, `${stack.baseUrl}/products`);
  try {
    await rows(page).first().waitFor();
    await page.getByTestId('delete-all-button').click();
    const confirm = page.getByTestId('delete-all-confirm');
    assert.equal(await confirm.isDisabled(), true);
    await page.getByTestId('delete-all-input').fill('DELETE ALL');
    await confirm.click();

    const progress = page.getByTestId('delete-all-progress');
    await progress.waitFor();
    // The delete is stuck behind the held row mid-way; progress shows the job under way.
    await page.waitForFunction(`/ of 60,000 deleted/.test(document.body.textContent ?? '')`);
    await progress.getByTestId('delete-all-cancel').click();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await held.release();
    await progress.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('toast').filter({ hasText: 'cancelled' }).waitFor();
    const remaining = Number(await total(page));
    assert.ok(remaining > 0 && remaining < 60_000, `${remaining} products remain after cancel`);

    await page.getByTestId('delete-all-button').click();
    await page.getByTestId('delete-all-input').fill('DELETE ALL');
    await page.getByTestId('delete-all-confirm').click();
    await page.getByTestId('products-empty').waitFor({ timeout: 30_000 });
    await page.getByTestId('toast').filter({ hasText: 'Deleted' }).first().waitFor();
  } finally {
    await close();
  }
});
