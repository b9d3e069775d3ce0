import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importSummarySchema } from '@catalog/domain';
import type { Browser } from 'playwright-core';
import { z } from 'zod';
import { requestAs, signedInUser } from '../support/auth';
import { assertAccessible } from '../support/axe';
import { launchBrowser } from '../support/browser';
import { generatedCsv, pollUntil } from '../support/imports';
import { type Stack, startStack } from '../support/stack';

/**
 * An editor undoes an import from the Import page's history: the confirmation says what the undo
 * will do, the row then shows what it did, with the product edited since listed as kept; the
 * catalog is checked in the database. Every page state visited is checked with axe-core.
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

async function importCsv(csv: string, fileName: string): Promise<string> {
  const { key } = await stack.keyFor('editor');
  const form = new FormData();
  form.append('file', new Blob([csv]), fileName);
  const response = await fetch(`${stack.baseUrl}/api/imports`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${key}` },
  });
  assert.equal(response.status, 202);
  const { jobId } = z.object({ jobId: z.string() }).parse(await response.json());
  const done = await pollUntil(
    `import ${fileName}`,
    async () =>
      importSummarySchema.parse(await (await requestAs(stack.baseUrl, { key }, `/api/imports/${jobId}`)).json()),
    (summary) => summary.status === 'completed' || summary.status === 'failed' || summary.status === 'cancelled',
  );
  assert.equal(done.status, 'completed');
  return jobId;
}

test('undo from the import history: confirmed with what it will do, then shows what it did and what it kept', async () => {
  await importCsv(generatedCsv('e2e-u', 10, 'before'), 'before.csv');
  const newRows = generatedCsv('e2e-n', 5, 'new').split('\n').slice(1).join('\n');
  const importId = await importCsv(`${generatedCsv('e2e-u', 10, 'after')}${newRows}`, 'changes.csv');
  await stack.deps.db.pool.query(
    `update products set name = 'edited by hand', version = version + 1 where sku = 'e2e-u-3'`,
  );

  const editor = await signedInUser(stack, 'editor');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [name, value] = editor.cookie.split('=');
  await context.addCookies([{ name: name ?? '', value: value ?? '', url: stack.baseUrl }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`${stack.baseUrl}/import`);
    const row = page.locator(`[data-testid=history-row][data-job-id="${importId}"]`);
    await row.getByTestId('undo-button').click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    assert.equal(
      (await dialog.getByTestId('undo-sentence').textContent())?.trim(),
      'Remove 5 products this import added and restore 10 it changed; rows changed since are kept.',
    );
    await assertAccessible(page, 'the undo confirmation');
    await dialog.getByTestId('confirm-button').click();

    const outcome = row.locator('[data-testid=undo-outcome][data-status=completed]');
    await outcome.waitFor({ timeout: 60_000 });
    assert.match((await outcome.textContent()) ?? '', /Undone: 5 removed, 9 restored, 1 kept/);
    await outcome.locator('[data-testid=undo-conflicts] summary').click();
    assert.match((await outcome.getByTestId('undo-conflicts').textContent()) ?? '', /e2e-u-3/);
    assert.equal(await row.getByTestId('undo-button').count(), 0, 'an undone import is not offered again');
    await assertAccessible(page, 'an undone import with a row kept');

    const { rows } = await stack.deps.db.pool.query<{ sku: string; name: string }>(
      `select sku, name from products where sku like 'e2e-%' order by sku collate "C"`,
    );
    assert.deepEqual(
      rows.map((product) => `${product.sku}:${product.name}`),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `e2e-u-${i}:${i === 3 ? 'edited by hand' : `Item ${i} before`}`).sort(),
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
