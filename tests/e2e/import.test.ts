import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ImportAccepted } from '@catalog/domain';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openSignedInPage } from '../support/browser';
import { type Stack, startStack } from '../support/stack';

/**
 * A CSV uploaded on the Import page (through the mapping screen, with the suggested mapping), watched
 * live to its summary, then checked in the database.
 * 50,000 rows, small chunks and a fast poll keep the import on screen long enough to be seen live.
 * Signed in as an editor (who may import). Every page state visited is checked with axe-core.
 */
let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack({ isolated: true, env: { IMPORT_CHUNK_ROWS: '500', SSE_POLL_MS: '100' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

// Every stage label the page ever shows, even one that is on screen for a few milliseconds.
const recordStages = `
  window.__stagesSeen = [];
  new MutationObserver(() => {
    for (const label of document.querySelectorAll('[data-testid=stage-label]')) {
      const stage = label.getAttribute('data-stage');
      if (stage && !window.__stagesSeen.includes(stage)) window.__stagesSeen.push(stage);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
`;

/** A dropped file opens the mapping screen; these files' own column names are what it suggests. */
async function importWithSuggestedMapping(page: Page): Promise<void> {
  await page.getByTestId('mapping-screen').waitFor();
  await page.getByTestId('import-now-button').click();
}

function catalogCsv(prefix: string, rows: number): string {
  const lines = ['SKU;Name;Price;Active;Color'];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${i};Item ${i};${i % 100}.50;yes;red`);
  lines.push(`${prefix.toUpperCase()}-0;Last one wins;1.00;no;blue`);
  lines.push(`${prefix}-bad;Bad price;-3;yes;green`);
  return `${lines.join('\r\n')}\r\n`;
}

test('an upload on the Import page shows live progress, the summary, and lands in the catalog', async () => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const rows = 50_000;
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'editor');
  try {
    await page.addInitScript(recordStages);
    await page.reload();
    await page.getByTestId('drop-zone').waitFor();
    await page.locator('[data-testid=history-table], [data-testid=history-empty]').first().waitFor();
    await assertAccessible(page, 'the Import page');

    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST');
    await page.getByTestId('file-input').setInputFiles({
      name: `${prefix}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(catalogCsv(prefix, rows)),
    });
    await importWithSuggestedMapping(page);
    const response = await uploaded;
    assert.equal(response.status(), 202);
    const { jobId }: ImportAccepted = await response.json();
    assert.match((await page.getByTestId('ignored-columns').textContent()) ?? '', /color/i);

    const card = page.locator(`[data-testid=import-job][data-job-id="${jobId}"]`);
    await card.locator('[data-testid=stage-label]').waitFor();
    await assertAccessible(page, 'an import in progress');
    await card.locator('[data-testid=import-outcome][data-status=completed]').waitFor({ timeout: 60_000 });

    const stagesSeen = await page.evaluate<string[]>('window.__stagesSeen');
    assert.ok(stagesSeen.length > 0, 'the page showed the import in progress before its summary');

    const count = async (name: string) =>
      Number(await card.locator(`[data-testid=summary-counts] [data-testid=count-${name}]`).getAttribute('data-value'));
    assert.equal(await count('inserted'), rows);
    assert.equal(await count('updated'), 0);
    assert.equal(await count('unchanged'), 0);
    assert.equal(await count('invalid'), 1);
    assert.equal(await card.getByTestId('error-report-link').getAttribute('href'), `/api/imports/${jobId}/errors.csv`);

    const historyRow = page.locator(`[data-testid=history-row][data-job-id="${jobId}"]`);
    await historyRow.and(page.locator('[data-status=completed]')).waitFor();
    await assertAccessible(page, 'a finished import with an invalid row, and the history');

    const { rows: products } = await stack.deps.db.pool.query<{ sku: string; name: string }>(
      'select sku, name from products where sku_key like lower($1)',
      [`${prefix}-%`],
    );
    assert.equal(products.length, rows);
    assert.equal(products.find((p) => p.sku.toLowerCase() === `${prefix}-0`)?.name, 'Last one wins');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('a remembered import the server does not know is looked up once its stream is refused, then dropped', async () => {
  const unknownId = randomUUID();
  const storageKey = 'catalog-importer.active-imports';
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'editor');
  try {
    const remembered = { key: storageKey, id: unknownId };
    await page.evaluate(({ key, id }) => localStorage.setItem(key, JSON.stringify([id])), remembered);
    const lookedUp = page.waitForResponse((r) => r.url().endsWith(`/api/imports/${unknownId}`) && r.status() === 404);
    await page.reload();
    await lookedUp;
    await page.waitForFunction(({ key, id }) => !(localStorage.getItem(key) ?? '').includes(id), remembered);
    assert.equal(await page.locator(`[data-testid=import-job][data-job-id="${unknownId}"]`).count(), 0);
    // The browser logs each refused request itself; nothing else may fail on the page.
    assert.deepEqual(
      errors.filter((error) => !/404|text\/event-stream/.test(error)),
      [],
    );
  } finally {
    await close();
  }
});

test('a refused upload and a failed import are explained on the page', async () => {
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'editor');
  try {
    await page.getByTestId('drop-zone').waitFor();
    const fileInput = page.getByTestId('file-input');

    await fileInput.setInputFiles({
      name: `${prefix}-blank.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from('\n\n\r\n'),
    });
    await page.getByTestId('upload-error').waitFor();
    await assertAccessible(page, 'a refused upload');

    // A file cut in the middle of a two-byte character is accepted, then fails when read to the end.
    const cut = Buffer.concat([Buffer.from(`sku,name\n${prefix}-1,Lamp\n${prefix}-2,caf`), Buffer.from([0xc3])]);
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST');
    await fileInput.setInputFiles({ name: `${prefix}-cut.csv`, mimeType: 'text/csv', buffer: cut });
    await importWithSuggestedMapping(page);
    const { jobId }: ImportAccepted = await (await uploaded).json();
    const card = page.locator(`[data-testid=import-job][data-job-id="${jobId}"]`);
    await card.getByTestId('import-error').waitFor({ timeout: 60_000 });
    assert.match((await card.getByTestId('import-error').textContent()) ?? '', /middle of a character/);
    await assertAccessible(page, 'a failed import');
    // The browser logs the refused upload itself; nothing else may fail on the page.
    assert.deepEqual(
      errors.filter((error) => !/400/.test(error)),
      [],
    );
  } finally {
    await close();
  }
});
