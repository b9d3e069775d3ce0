import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Product, type ProductList, productListSchema, productSchema } from '@catalog/domain';
import type { Browser, Page } from 'playwright-core';
import { z } from 'zod';
import { requestAs } from '../support/auth';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openSignedInPage, waitForExpression } from '../support/browser';
import { holdProduct, seedProducts } from '../support/delete-all';
import { pollUntil } from '../support/imports';
import { type Stack, startStack } from '../support/stack';

/**
 * The Products page in a real browser against the real API, worker and a database of its own:
 * filter and page (by number and by cursor), long text, inline edit, create, delete, and
 * delete-all with cancel and to completion. Signed in as an editor, or an admin for delete-all.
 * Every page state visited is checked with axe-core.
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

/** The products API as an editor's integration calls it, to set up and change data beside the page. */
const productsApi = () => {
  const asEditor = async (path: string, init: { method?: string; body?: unknown } = {}) =>
    requestAs(stack.baseUrl, await stack.keyFor('editor'), `/api/products${path}`, init);
  return {
    async created(body: Record<string, unknown>): Promise<Product> {
      const response = await asEditor('', { method: 'POST', body });
      assert.equal(response.status, 201, await response.clone().text());
      return productSchema.parse(await response.json());
    },
    async page(query: string): Promise<ProductList> {
      const response = await asEditor(`?${query}`);
      assert.equal(response.status, 200, await response.clone().text());
      return productListSchema.parse(await response.json());
    },
    patch: (id: number, body: unknown) => asEditor(`/${id}`, { method: 'PATCH', body }),
  };
};

const rows = (page: Page) => page.getByTestId('product-row');
const total = async (page: Page) => (await page.getByTestId('total').textContent())?.replace(/,/g, '');
const skus = (page: Page) => rows(page).evaluateAll((found) => found.map((row) => row.getAttribute('data-sku') ?? ''));
const clampState = z.object({ shown: z.number(), clipped: z.boolean() });
const urlParams = (page: Page) => new URL(page.url()).searchParams;

/** Waits until the grid shows the page the address asks for, then returns its SKUs in order. */
async function shownPage(page: Page, number: number): Promise<string[]> {
  await page.waitForURL((url) => (url.searchParams.get('page') ?? '1') === String(number));
  await waitForExpression(
    page,
    `(document.querySelector('[data-testid=page-position]')?.textContent ?? '').startsWith('page ${number}')`,
  );
  return skus(page);
}

test('filter, sort and page through products; the view is kept in the address', async () => {
  await seedProducts(stack.deps.db, 'grid', 120);
  await productsApi().created({ sku: 'xss-1', name: '<img src=x onerror=alert(1)>' });
  const { page, errors, close } = await openSignedInPage(browser, stack, '/products', 'editor');
  try {
    await rows(page).first().waitFor();
    assert.equal(await total(page), '121');
    assert.equal(await rows(page).count(), 50);

    await page.getByTestId('filter-sku').fill('grid-11');
    await page.waitForURL(/sku=grid-11/);
    await waitForExpression(page, `document.querySelector('[data-testid=total]')?.textContent === '11'`);

    await page.getByTestId('sort-sku').click();
    await page.waitForURL(/sort=sku%3Adesc|sort=sku:desc/);
    await page.reload();
    await page.locator('[data-testid=product-row]').first().waitFor();
    assert.equal(await rows(page).first().getAttribute('data-sku'), 'grid-119', 'sort survives a reload');
    assert.equal(await page.getByTestId('filter-sku').inputValue(), 'grid-11');

    await page.getByTestId('filter-sku').fill('');
    await page.getByTestId('filter-active-inactive').check();
    await page.waitForURL(/active=false/);
    await waitForExpression(page, `document.querySelector('[data-testid=total]')?.textContent === '24'`);

    await page.getByTestId('filter-active-all').check();
    await waitForExpression(page, `document.querySelector('[data-testid=total]')?.textContent === '121'`);
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

test('many matches: an estimated total, Next/Previous by cursor with no row repeated, a reload keeps the page, page size and page number, a stale link', async () => {
  // Rows whose SKUs share "wide-": a filter that matches a large share of the catalog, which the
  // API answers without counting every match.
  await stack.deps.db.pool.query(
    `insert into products (sku, name, description, price, active)
     select 'wide-' || lpad(g::text, 5, '0'), 'Wide ' || g, 'Seeded wide product ' || g, g % 100, true
     from generate_series(1, 20000) g`,
  );
  const api = productsApi();
  const filter = 'sku=wide-&pageSize=25';
  const answered = await api.page(filter);
  assert.notEqual(answered.totalRelation, 'eq', 'the API estimates or caps this total (else this test proves nothing)');

  const { page, close } = await openSignedInPage(browser, stack, `/products?${filter}`, 'editor');
  try {
    const first = await shownPage(page, 1);
    assert.equal(first.length, 25);
    assert.deepEqual(
      first,
      answered.items.map((item) => item.sku),
    );
    // Each answer estimates afresh, so the shape is compared rather than the number.
    const estimated = answered.totalRelation === 'about';
    assert.match((await page.getByTestId('total').textContent()) ?? '', estimated ? /^about [\d,]+$/ : /^[\d,]+\+$/);
    assert.match(
      (await page.getByTestId('page-position').textContent()) ?? '',
      estimated ? /^page 1 of about [\d,]+$/ : /^page 1$/,
    );
    assert.equal(await page.getByTestId('page-last').count(), 0, 'no Last page without an exact total');
    await assertAccessible(page, 'page 1 of an estimated list');

    await page.getByTestId('page-next').click();
    const second = await shownPage(page, 2);
    assert.ok(urlParams(page).get('cursor'), 'Next pages by cursor, and the cursor is in the address');
    await page.getByTestId('page-next').click();
    const third = await shownPage(page, 3);
    const seen = [...first, ...second, ...third];
    assert.equal(new Set(seen).size, 75, 'no row repeats across pages');
    assert.deepEqual(seen, [...seen].sort(), 'pages follow one another in sort order');
    await assertAccessible(page, 'page 3 reached by cursor');

    await page.reload();
    assert.deepEqual(await shownPage(page, 3), third, 'a reload shows the same rows');
    assert.equal(await page.getByTestId('filter-sku').inputValue(), 'wide-');

    await page.getByTestId('page-prev').click();
    assert.deepEqual(await shownPage(page, 2), second);
    await page.getByTestId('page-prev').click();
    assert.deepEqual(await shownPage(page, 1), first);
    assert.equal(await page.getByTestId('page-prev').isDisabled(), true);

    await page.getByTestId('page-size').selectOption('100');
    await page.waitForURL((url) => url.searchParams.get('pageSize') === '100' && !url.searchParams.has('cursor'));
    await waitForExpression(page, `document.querySelectorAll('[data-testid=product-row]').length === 100`);
    assert.deepEqual((await skus(page)).slice(0, 75), seen);

    await page.getByTestId('page-input').fill('3');
    await page.getByTestId('page-input').press('Enter');
    const byNumber = await shownPage(page, 3);
    assert.equal(urlParams(page).has('cursor'), false, 'a typed page number goes by number');
    assert.deepEqual(
      byNumber,
      (await api.page('sku=wide-&pageSize=100&page=3')).items.map((item) => item.sku),
    );
    await assertAccessible(page, 'page 3 by number, 100 rows a page');

    // A shared link whose cursor was made for other filters: page 1 of the link's own filters.
    const foreign = (await api.page('sku=wide-1&pageSize=100')).nextCursor;
    assert.ok(foreign);
    await page.goto(`${stack.baseUrl}/products?sku=wide-&pageSize=100&page=2&cursor=${encodeURIComponent(foreign)}`);
    await page.locator('.toast--info').waitFor();
    await page.waitForURL((url) => !url.searchParams.has('cursor') && url.searchParams.get('sku') === 'wide-');
    assert.deepEqual(
      await shownPage(page, 1),
      (await api.page('sku=wide-&pageSize=100')).items.map((item) => item.sku),
    );
    assert.equal(await page.locator('.toast--error').count(), 0, 'a stale link is not an error');
    assert.equal(await page.getByTestId('toast').count(), 1, 'one notice, not a storm');
  } finally {
    await close();
    await stack.deps.db.pool.query(`delete from products where sku like 'wide-%'`);
  }
});

test('long text is clamped to two lines, in full on hover and on expand (by keyboard too); inline edit still works', async () => {
  const api = productsApi();
  const long = Array.from({ length: 60 }, (_, i) => `clause ${i} of a very long description`).join(', ');
  const clamped = await api.created({
    sku: 'clamp-long',
    name: 'A product with a long description',
    description: long,
  });
  await api.created({ sku: 'clamp-short', name: 'Short', description: 'Fits on a line' });
  const { page, errors, close } = await openSignedInPage(browser, stack, '/products?sku=clamp-', 'editor');
  try {
    const row = page.locator(`[data-testid=product-row][data-product-id="${clamped.id}"]`);
    const description = row.getByTestId('cell-description');
    await row.waitFor();
    // Lines shown, and whether some are hidden (a string: the test's TypeScript has no DOM types).
    const lines = async () =>
      clampState.parse(
        await page.evaluate(`(() => {
          const cell = document.querySelector('[data-product-id="${clamped.id}"] [data-testid=cell-description]');
          return {
            shown: Math.round(cell.clientHeight / Number.parseFloat(getComputedStyle(cell).lineHeight)),
            clipped: cell.scrollHeight > cell.clientHeight,
          };
        })()`),
      );
    assert.deepEqual(await lines(), { shown: 2, clipped: true });
    assert.ok(((await row.boundingBox())?.height ?? 0) < 100, 'the row stays about two lines tall');
    assert.equal(await description.getAttribute('title'), long, 'the full text on hover');
    assert.equal(await rows(page).filter({ hasText: 'Fits on a line' }).getByTestId('expand-button').count(), 0);
    await assertAccessible(page, 'clamped rows');

    const expand = row.getByTestId('expand-button');
    assert.equal(await expand.getAttribute('aria-expanded'), 'false');
    await expand.focus();
    await page.keyboard.press('Enter');
    await waitForExpression(
      page,
      `document.querySelector('[data-testid=expand-button]')?.getAttribute('aria-expanded') === 'true'`,
    );
    const expanded = await lines();
    assert.equal(expanded.clipped, false);
    assert.ok(expanded.shown > 2, 'the whole description shows');
    await assertAccessible(page, 'an expanded row');
    await page.keyboard.press('Enter');
    await waitForExpression(
      page,
      `document.querySelector('[data-testid=expand-button]')?.getAttribute('aria-expanded') === 'false'`,
    );

    await row.getByTestId('edit-button').click();
    const editing = page.getByTestId('product-row-editing');
    assert.equal(await editing.getByTestId('edit-description').inputValue(), long);
    await editing.getByTestId('edit-description').fill('Now short');
    await editing.getByTestId('edit-description').press('Enter');
    await waitForExpression(
      page,
      `document.querySelector('[data-product-id="${clamped.id}"] [data-testid=cell-description]')?.textContent === 'Now short'`,
    );
    assert.equal(await row.getByTestId('expand-button').count(), 0, 'no More once the text fits');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('edit a product inline, see field errors and conflicts in place, and find it saved after a reload', async () => {
  const api = productsApi();
  const product = await api.created({ sku: 'edit-me', name: 'Old name', price: '3' });
  const { page, close } = await openSignedInPage(browser, stack, '/products?sku=edit-me', 'editor');
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
  const { page, close } = await openSignedInPage(browser, stack, '/products?sku=made-in-ui', 'editor');
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
  const { page, close } = await openSignedInPage(browser, stack, '/products', 'admin');
  try {
    await rows(page).first().waitFor();
    await page.getByTestId('delete-all-button').click();
    const confirm = page.getByTestId('delete-all-confirm');
    assert.equal(await confirm.isDisabled(), true);
    await page.getByTestId('delete-all-input').fill('DELETE ALL');
    await confirm.click();

    const progress = page.getByTestId('delete-all-progress');
    await progress.waitFor();
    await waitForExpression(page, `/ of 60,000 deleted/.test(document.body.textContent ?? '')`);
    // The first batch (ids below the held row) commits, then the delete is stuck behind the held
    // row. Cancel only once that commit is in (the page shows progress per slice, and this slice
    // is the one stuck), else a cancel before it keeps every product.
    await pollUntil(
      'the first batch of the delete-all to commit',
      async () =>
        (
          await stack.deps.db.pool.query<{ deleted: string }>(
            `select b.deleted from bulk_deletes b join jobs j on j.id = b.job_id where j.status = 'running'`,
          )
        ).rows[0]?.deleted ?? '0',
      (deleted) => Number(deleted) > 0,
      30_000,
    );
    await progress.getByTestId('delete-all-cancel').click();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await held.release();
    await progress.waitFor({ state: 'detached', timeout: 30_000 });
    const toast = page.getByTestId('toast').filter({ hasText: 'cancelled' });
    await toast.waitFor();
    const { rows: counted } = await stack.deps.db.pool.query<{ n: string }>('select count(*) as n from products');
    const remaining = Number(counted[0]?.n);
    assert.ok(remaining > 0 && remaining < 60_000, `${remaining} products remain after cancel`);
    assert.match(
      (await toast.textContent()) ?? '',
      new RegExp(`after ${(60_000 - remaining).toLocaleString('en-US')} products`),
    );
    // The grid reloads once the job has ended: wait for that list rather than read the one before it.
    await waitForExpression(page, `document.querySelector('[data-testid=total]')?.textContent !== '60,000'`);

    await page.getByTestId('delete-all-button').click();
    await page.getByTestId('delete-all-input').fill('DELETE ALL');
    await page.getByTestId('delete-all-confirm').click();
    await page.getByTestId('products-empty').waitFor({ timeout: 30_000 });
    await page.getByTestId('toast').filter({ hasText: 'Deleted' }).first().waitFor();
  } finally {
    await held.release();
    await close();
  }
});
