import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ImportAccepted } from '@catalog/domain';
import type { Browser, Page } from 'playwright-core';
import { z } from 'zod';
import { requestAs } from '../support/auth';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openSignedInPage } from '../support/browser';
import { productsApi } from '../support/products';
import { type ExpectedProduct, SHOPIFY_HEADERS, type ShopExport, shopifyExport } from '../support/shop-exports';
import { type Stack, startStack } from '../support/stack';

/**
 * The browser's import flow for a shop's export: upload → mapping screen (the suggestion, its
 * reasons, options that change the live preview) → import at once, or review (counts, tabs per
 * kind, an update as before → after) → apply → undo, checking the catalog in the database at each
 * step. Every page state visited is checked with axe-core.
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

type CatalogRow = { sku: string; name: string; price: string | null; active: boolean; description: string | null };

async function catalog(skus: readonly string[]): Promise<CatalogRow[]> {
  const { rows } = await stack.deps.db.pool.query<CatalogRow>(
    `select sku, name, price::text as price, active, description from products where sku = any($1) order by sku collate "C"`,
    [skus],
  );
  return rows;
}

/** The catalog rows of the export's SKUs, with the description where the fixture says what it should be. */
async function landed(shop: ShopExport): Promise<ExpectedProduct[]> {
  const rows = await catalog(shop.expected.map((product) => product.sku));
  return rows.map(({ description, ...row }) => {
    const wanted = shop.expected.find((product) => product.sku === row.sku);
    return wanted?.description === undefined ? row : { ...row, description: description ?? '' };
  });
}

const sortedBySku = (products: readonly ExpectedProduct[]): ExpectedProduct[] =>
  [...products].sort((a, b) => (a.sku < b.sku ? -1 : 1));

/** The fixture's SKUs made unique per test, so the tests share nothing in the catalog. */
function uniqueShop(prefix: string): ShopExport {
  const shop = shopifyExport();
  const skus = shop.expected.map((product) => product.sku);
  let csv = shop.csv;
  for (const sku of skus) csv = csv.replaceAll(`,${sku},`, `,${prefix}${sku},`);
  return {
    ...shop,
    csv,
    expected: shop.expected.map((product) => ({ ...product, sku: `${prefix}${product.sku}` })),
  };
}

async function dropFile(page: Page, name: string, csv: string): Promise<void> {
  await page.getByTestId('drop-zone').waitFor();
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('mapping-screen').waitFor();
  await page.getByTestId('mapping-preview').waitFor();
}

const focusedText = (page: Page) => page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');
const previewKinds = (page: Page) =>
  page.getByTestId('preview-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')));
const columnTarget = (page: Page, header: string) =>
  page.locator(`[data-testid=mapping-column][data-header="${header}"] [data-testid=column-target]`).inputValue();

test('a Shopify export: the mapping screen shows the suggestion, its preview follows the options, Import now lands it', async () => {
  const prefix = `m${randomBytes(3).toString('hex')}-`;
  const shop = uniqueShop(prefix);
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'editor');
  try {
    await dropFile(page, 'products_export_1.csv', shop.csv);
    assert.match(
      await focusedText(page),
      /^Map the columns of products_export_1\.csv/,
      'focus moves to the new screen',
    );
    assert.match((await page.getByTestId('mapping-platform').textContent()) ?? '', /Shopify/);
    assert.equal(await columnTarget(page, 'Variant SKU'), 'sku');
    assert.equal(await columnTarget(page, 'Title'), 'name');
    assert.equal(await columnTarget(page, 'Body (HTML)'), 'description');
    assert.equal(await columnTarget(page, 'Variant Price'), 'price');
    // A long export opens on the columns it imports; the rest are one button away.
    assert.equal(await page.getByTestId('mapping-column').count(), 5);
    await page.getByTestId('columns-toggle').click();
    assert.equal(await page.getByTestId('mapping-column').count(), SHOPIFY_HEADERS.length);
    assert.equal(await columnTarget(page, 'Variant Compare At Price'), '', 'the list price, not the compare-at price');
    assert.equal(await columnTarget(page, 'Status'), 'active');
    const skuReasons = page.locator(
      '[data-testid=mapping-column][data-header="Variant SKU"] [data-testid=column-reason]',
    );
    assert.match((await skuReasons.first().textContent()) ?? '', /Variant SKU → sku/);

    // The first rows as they will land: the shirt's variants named from the group, two image rows skipped.
    assert.deepEqual(await previewKinds(page), ['valid', 'valid', 'valid', 'skipped', 'skipped', 'valid']);
    const first = page.getByTestId('preview-row').first();
    assert.equal(await first.locator('[data-field=name]').textContent(), 'Example T-Shirt — Green / S');
    assert.equal(await first.locator('[data-field=price]').textContent(), '19.99');
    assert.match((await first.locator('[data-field=description]').textContent()) ?? '', /^<p>Soft <strong>organic/);
    await assertAccessible(page, 'the mapping screen');

    await page.getByTestId('option-description-text').check();
    await waitForText(first.locator('[data-field=description]'), /^Soft organic cotton/);
    await page.getByTestId('option-description-keep').check();
    await waitForText(first.locator('[data-field=description]'), /^<p>Soft/);

    // Validation: without a SKU column there is nothing to import, and the screen says why.
    await page
      .locator('[data-testid=mapping-column][data-header="Variant SKU"] [data-testid=column-target]')
      .selectOption('');
    assert.match((await page.getByTestId('mapping-problems').textContent()) ?? '', /column that holds the SKU/);
    assert.equal(await page.getByTestId('import-now-button').isDisabled(), true);
    await page
      .locator('[data-testid=mapping-column][data-header="Title"] [data-testid=column-target]')
      .selectOption('sku');
    assert.match((await page.getByTestId('mapping-problems').textContent()) ?? '', /column that holds the name/);
    await assertAccessible(page, 'a mapping with problems');
    await page
      .locator('[data-testid=mapping-column][data-header="Title"] [data-testid=column-target]')
      .selectOption('name');
    await page
      .locator('[data-testid=mapping-column][data-header="Variant SKU"] [data-testid=column-target]')
      .selectOption('sku');

    const started = page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST');
    await page.getByTestId('import-now-button').click();
    const response = await started;
    assert.equal(response.status(), 202);
    const { jobId }: ImportAccepted = await response.json();
    const card = page.locator(`[data-testid=import-job][data-job-id="${jobId}"]`);
    await card.locator('[data-testid=import-outcome][data-status=completed]').waitFor({ timeout: 60_000 });
    assert.deepEqual(await landed(shop), sortedBySku(shop.expected));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('at phone width the mapping screen is one column, fits the screen and passes axe', async () => {
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'editor', {
    width: 375,
    height: 740,
  });
  try {
    await dropFile(page, 'phone.csv', uniqueShop(`p${randomBytes(3).toString('hex')}-`).csv);
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    assert.equal(overflow, 0, 'nothing wider than the screen');
    await assertAccessible(page, 'the mapping screen at phone width');
    await page.getByTestId('mapping-back').click();
    await page.getByTestId('drop-zone').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a viewer is not offered an upload', async () => {
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'viewer');
  try {
    await page.getByTestId('import-read-only').waitFor();
    assert.equal(await page.getByTestId('drop-zone').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('review before apply: counts, an update as before → after, Apply, then Undo, the catalog checked at each step', async () => {
  const prefix = `r${randomBytes(3).toString('hex')}-`;
  const shop = uniqueShop(prefix);
  const mug = `${prefix}MUG-1`;
  const editorApi = productsApi(await stack.as('editor'));
  await editorApi.created({ sku: mug, name: 'Old Mug', price: '10.00', active: true });
  const before = await catalog([mug]);

  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'editor');
  try {
    await dropFile(page, 'review.csv', shop.csv);
    const started = page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST');
    await page.getByTestId('review-button').click();
    const { jobId }: ImportAccepted = await (await started).json();

    const screen = page.getByTestId('review-screen');
    await screen.waitFor();
    assert.match(await focusedText(page), /^Review/, 'focus moves to the review screen');
    await screen.getByTestId('review-counts').waitFor({ timeout: 60_000 });
    const count = async (kind: string) =>
      Number(await screen.getByTestId(`review-count-${kind}`).getAttribute('data-value'));
    assert.deepEqual(
      {
        inserted: await count('inserted'),
        updated: await count('updated'),
        unchanged: await count('unchanged'),
        invalid: await count('invalid'),
        skipped: await count('skipped'),
      },
      { inserted: shop.expected.length - 1, updated: 1, unchanged: 0, invalid: 0, skipped: shop.skipped },
    );
    assert.deepEqual(await catalog([mug]), before, 'nothing changes before Apply');

    // The updates tab is open first; its row shows each changed field as before → after.
    const updated = screen.getByTestId('review-panel-updated').locator(`[data-testid=review-row][data-sku="${mug}"]`);
    await updated.waitFor();
    const change = async (field: string) =>
      ((await updated.locator(`[data-testid=review-change][data-field=${field}]`).textContent()) ?? '').replace(
        /\s+/g,
        ' ',
      );
    assert.match(await change('name'), /from Old Mug → to Draft Mug/);
    assert.match(await change('price'), /from 10(\.00)? → to 12(\.00)?/);
    assert.match(await change('active'), /from (yes|true) → to (no|false)/);
    await assertAccessible(page, 'the review screen');

    // Tabs by keyboard (WAI-ARIA): arrows move between kinds and show their rows.
    await screen.getByTestId('review-tab-updated').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await screen.getByTestId('review-tab-inserted').getAttribute('aria-selected'), 'true');
    await screen.getByTestId('review-panel-inserted').getByTestId('review-row').first().waitFor();
    await page.keyboard.press('End');
    assert.equal(await screen.getByTestId('review-tab-skipped').getAttribute('aria-selected'), 'true');
    const skipped = screen.getByTestId('review-panel-skipped').getByTestId('review-row');
    await skipped.first().waitFor();
    assert.equal(await skipped.count(), shop.skipped);
    assert.match((await skipped.first().textContent()) ?? '', /Skipped: no SKU/);
    await assertAccessible(page, 'the review screen, skipped rows');

    await screen.getByTestId('apply-button').click();
    const card = page.locator(`[data-testid=import-job][data-job-id="${jobId}"]`);
    await card.locator('[data-testid=import-outcome][data-status=completed]').waitFor({ timeout: 60_000 });
    assert.deepEqual(await landed(shop), sortedBySku(shop.expected));

    const row = page.locator(`[data-testid=history-row][data-job-id="${jobId}"]`);
    await row.getByTestId('undo-button').click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await dialog.getByTestId('confirm-button').click();
    await row.locator('[data-testid=undo-outcome][data-status=completed]').waitFor({ timeout: 60_000 });
    assert.deepEqual(await catalog(shop.expected.map((product) => product.sku)), before, 'only the mug, as it was');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('Discard asks first, then leaves the catalog as it was', async () => {
  const prefix = `d${randomBytes(3).toString('hex')}-`;
  const shop = uniqueShop(prefix);
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'editor');
  try {
    await dropFile(page, 'discard.csv', shop.csv);
    await page.getByTestId('review-button').click();
    const screen = page.getByTestId('review-screen');
    await screen.getByTestId('review-counts').waitFor({ timeout: 60_000 });
    await screen.getByTestId('discard-button').click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await assertAccessible(page, 'the discard confirmation');
    await dialog.getByTestId('confirm-button').click();
    await page.getByTestId('drop-zone').waitFor();
    assert.deepEqual(await catalog(shop.expected.map((product) => product.sku)), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

async function waitForText(locator: ReturnType<Page['locator']>, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = (await locator.textContent()) ?? '';
    if (pattern.test(text)) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${pattern}: last "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
