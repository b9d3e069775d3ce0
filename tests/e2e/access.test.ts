import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { DELETE_ALL_CONFIRMATION } from '@catalog/domain';
import type { Browser, Page } from 'playwright-core';
import { z } from 'zod';
import { createTestUser, requestAs, signIn } from '../support/auth';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openPage, openSignedInPage, signInThroughForm } from '../support/browser';
import { seedProducts } from '../support/delete-all';
import { type Stack, startStack } from '../support/stack';

/**
 * Signing in and what each role is offered, in a real browser against the real API and worker:
 * the sign-in form and its redirect back, an editor who imports but is not offered delete-all, an
 * admin who deletes all, a viewer without import or edit controls, API keys and users made on
 * their pages, the account page, and a session that ends under the user.
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

const atPath = (path: string) => (url: URL) => url.pathname === path;

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu-toggle').click();
  await page.getByTestId('sign-out-button').click();
  await page.getByTestId('sign-in-form').waitFor();
}

test('signed out, a page leads to sign-in; a wrong password is explained; signing in returns to that page', async () => {
  const viewer = await createTestUser(stack, 'viewer');
  const { page, errors, close } = await openPage(browser, `${stack.baseUrl}/products?sku=nothing-here`);
  try {
    await page.waitForURL(atPath('/sign-in'));
    assert.equal(new URL(page.url()).searchParams.get('next'), '/products?sku=nothing-here');
    assert.equal(await page.getByTestId('nav-products').count(), 0, 'no navigation before signing in');
    await assertAccessible(page, 'the sign-in page');

    await page.getByTestId('sign-in-email').fill(viewer.email);
    await page.getByTestId('sign-in-password').fill(`${viewer.password}-wrong`);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('sign-in-error').waitFor();
    await assertAccessible(page, 'the sign-in page refusing a wrong password');

    await signInThroughForm(page, viewer.email, viewer.password);
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/products?sku=nothing-here');
    await page.getByTestId('products-empty').waitFor();
    assert.equal(await page.getByTestId('user-role').textContent(), 'viewer');
    // The browser logs the refused sign-in and the anonymous "who am I" itself.
    assert.deepEqual(
      errors.filter((error) => !/401/.test(error)),
      [],
    );
  } finally {
    await close();
  }
});

test('an editor imports through the page and is not offered delete-all; an admin deletes all', async () => {
  const editor = await createTestUser(stack, 'editor');
  const admin = await createTestUser(stack, 'admin');
  const prefix = `access-${randomBytes(4).toString('hex')}`;
  const { page, close } = await openPage(browser, `${stack.baseUrl}/import`);
  try {
    await signInThroughForm(page, editor.email, editor.password);
    assert.equal(new URL(page.url()).pathname, '/import');
    await page.getByTestId('drop-zone').waitFor();
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST');
    await page.getByTestId('file-input').setInputFiles({
      name: `${prefix}.csv`,
      mimeType: 'text/csv',
      buffer: Buffer.from(`sku,name,price\n${prefix}-1,Lamp,10.00\n${prefix}-2,Chair,25.50\n`),
    });
    // The file's own column names are what the mapping screen suggests.
    await page.getByTestId('mapping-screen').waitFor();
    await page.getByTestId('import-now-button').click();
    assert.equal((await uploaded).status(), 202);
    await page.locator('[data-testid=import-outcome][data-status=completed]').waitFor({ timeout: 60_000 });
    await assertAccessible(page, 'an import finished by an editor');

    await page.getByTestId('nav-products').click();
    await page.locator(`[data-testid=product-row][data-sku="${prefix}-1"]`).waitFor();
    assert.equal(await page.getByTestId('create-button').isVisible(), true, 'an editor creates products');
    assert.equal(await page.getByTestId('edit-button').first().isVisible(), true, 'and edits them');
    assert.equal(await page.getByTestId('delete-all-button').count(), 0, 'delete-all is not offered to an editor');
    assert.equal(await page.getByTestId('nav-users').count(), 0);
    await assertAccessible(page, 'the Products page for an editor');
    await signOut(page);

    await signInThroughForm(page, admin.email, admin.password);
    await page.getByTestId('nav-products').click();
    await page.locator(`[data-testid=product-row][data-sku="${prefix}-1"]`).waitFor();
    await page.getByTestId('delete-all-button').click();
    await page.getByTestId('delete-all-input').fill(DELETE_ALL_CONFIRMATION);
    await assertAccessible(page, 'the delete-all confirmation for an admin');
    await page.getByTestId('delete-all-confirm').click();
    await page.getByTestId('products-empty').waitFor({ timeout: 30_000 });
    await assertAccessible(page, 'the empty catalog after delete-all');
    const { rows } = await stack.deps.db.pool.query<{ n: string }>('select count(*) as n from products');
    assert.equal(rows[0]?.n, '0');
  } finally {
    await close();
  }
});

test('a viewer is offered no import, create, edit or delete controls, and no admin pages', async () => {
  await seedProducts(stack.deps.db, `viewer-${randomBytes(3).toString('hex')}`, 3);
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'viewer');
  try {
    await page.getByTestId('import-read-only').waitFor();
    await page.locator('[data-testid=history-table], [data-testid=history-empty]').first().waitFor();
    assert.equal(await page.getByTestId('drop-zone').count(), 0);
    await assertAccessible(page, 'the Import page for a viewer');

    await page.getByTestId('nav-products').click();
    await page.getByTestId('product-row').first().waitFor();
    for (const control of ['create-button', 'delete-all-button', 'edit-button', 'delete-button']) {
      assert.equal(await page.getByTestId(control).count(), 0, `${control} is not offered to a viewer`);
    }
    assert.equal(await page.getByTestId('export-link').isVisible(), true, 'a viewer exports');
    await assertAccessible(page, 'the Products page for a viewer');

    assert.equal(await page.getByTestId('nav-users').count(), 0);
    assert.equal(await page.getByTestId('nav-api-keys').count(), 0);
    await page.goto(`${stack.baseUrl}/users`);
    await page.waitForURL(atPath('/import'));
    await page.getByTestId('toast').filter({ hasText: 'needs the admin role' }).waitFor();
    await assertAccessible(page, 'a viewer turned away from the Users page');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('an admin creates an API key on its page: shown once, it works as a Bearer token, and revoking stops it', async () => {
  const name = `Integration ${randomBytes(3).toString('hex')}`;
  const { page, errors, close } = await openSignedInPage(browser, stack, '/api-keys', 'admin');
  try {
    await page.locator('[data-testid=api-keys-table], [data-testid=api-keys-empty]').first().waitFor();
    await assertAccessible(page, 'the API keys page');
    await page.getByTestId('api-key-name').fill(name);
    await page.getByTestId('api-key-role').selectOption('viewer');
    await page.getByTestId('api-key-expiry').selectOption('30');
    await page.getByTestId('api-key-create').click();

    const created = page.getByTestId('api-key-created');
    await created.waitFor();
    const key = ((await created.getByTestId('api-key-value').textContent()) ?? '').trim();
    assert.match(key, /^catalog_[0-9A-Za-z]{8}_[0-9A-Za-z]+$/);
    assert.match((await created.getByTestId('api-key-warning').textContent()) ?? '', /only time it is shown/);
    await assertAccessible(page, 'a new API key shown once');

    const products = await requestAs(stack.baseUrl, { key }, '/api/products');
    assert.equal(products.status, 200);
    const users = await requestAs(stack.baseUrl, { key }, '/api/users');
    assert.equal(users.status, 403, 'the key is recognised, with its viewer role');

    await created.getByTestId('api-key-done').click();
    await created.waitFor({ state: 'detached' });
    await page.reload();
    const row = page.locator('[data-testid=api-key-row]').filter({ hasText: name });
    await row.waitFor();
    assert.equal(
      await page
        .locator('body')
        .textContent()
        .then((text) => text?.includes(key)),
      false,
      'never again',
    );
    assert.equal(key.startsWith(`catalog_${(await row.getByTestId('api-key-prefix').textContent())?.trim()}_`), true);
    assert.notEqual((await row.getByTestId('api-key-last-used').textContent())?.trim(), 'Never');
    assert.equal(await row.getAttribute('data-state'), 'active');

    await row.getByTestId('api-key-revoke').click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this API key?' });
    await confirm.waitFor();
    await assertAccessible(page, 'the revoke confirmation');
    await confirm.getByTestId('confirm-button').click();
    await page.locator('[data-testid=api-key-row][data-state=revoked]').filter({ hasText: name }).waitFor();
    assert.equal((await requestAs(stack.baseUrl, { key }, '/api/users')).status, 401, 'a revoked key is nobody');
    await assertAccessible(page, 'the list with a revoked key');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the Users page adds a user who can then sign in, and changes their role', async () => {
  const email = `made-in-ui-${randomUUID()}@example.test`;
  const password = `pw-${randomUUID()}`;
  const admin = await openSignedInPage(browser, stack, '/users', 'admin');
  const person = await openPage(browser, `${stack.baseUrl}/sign-in`);
  try {
    await admin.page.getByTestId('users-table').waitFor();
    await assertAccessible(admin.page, 'the Users page');
    await admin.page.getByTestId('user-email-input').fill(email);
    await admin.page.getByTestId('user-password-input').fill('too short');
    await admin.page.getByTestId('user-create-submit').click();
    await admin.page.locator('#new-user-password-error').filter({ hasText: '12' }).waitFor();
    await assertAccessible(admin.page, 'the add-user form refusing a short password');
    await admin.page.getByTestId('user-password-input').fill(password);
    await admin.page.getByTestId('user-role-input').selectOption('editor');
    await admin.page.getByTestId('user-create-submit').click();
    const row = admin.page.locator(`[data-testid=user-row][data-email="${email}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('user-role-select').inputValue(), 'editor');

    await signInThroughForm(person.page, email, password);
    assert.equal(await person.page.getByTestId('user-role').textContent(), 'editor');
    assert.equal(await person.page.getByTestId('drop-zone').isVisible(), true);

    await row.getByTestId('user-role-select').selectOption('viewer');
    await admin.page
      .getByTestId('toast')
      .filter({ hasText: `${email} is now viewer` })
      .waitFor();
    await person.page.reload();
    await person.page.getByTestId('import-read-only').waitFor();
    assert.equal(await person.page.getByTestId('user-role').textContent(), 'viewer');
    await assertAccessible(admin.page, 'the Users page after a role change');
    // The browser logs the refused short password itself.
    assert.deepEqual(
      admin.errors.filter((error) => !/status of 400/.test(error)),
      [],
    );
  } finally {
    await person.close();
    await admin.close();
  }
});

test('the Account page changes your own password: mistakes are explained, then the old one stops working', async () => {
  const { page, errors, close, user } = await openSignedInPage(browser, stack, '/account', 'viewer');
  const newPassword = `new-${randomUUID()}`;
  try {
    await page.getByTestId('password-form').waitFor();
    assert.equal(await page.getByTestId('account-email').textContent(), user.email);
    await assertAccessible(page, 'the Account page');

    await page.getByTestId('current-password').fill('not my password');
    await page.getByTestId('new-password').fill(newPassword);
    await page.getByTestId('repeat-password').fill(`${newPassword}x`);
    await page.getByTestId('password-submit').click();
    await page.locator('#repeat-password-error').filter({ hasText: 'does not match' }).waitFor();

    await page.getByTestId('repeat-password').fill(newPassword);
    await page.getByTestId('password-submit').click();
    await page.locator('#current-password-error').filter({ hasText: 'not your current password' }).waitFor();
    await assertAccessible(page, 'the Account page refusing a wrong current password');

    await page.getByTestId('current-password').fill(user.password);
    await page.getByTestId('password-submit').click();
    await page.getByTestId('toast').filter({ hasText: 'Password changed' }).waitFor();
    assert.equal(await page.getByTestId('current-password').inputValue(), '', 'the form is cleared');
    await assertAccessible(page, 'the Account page after a change');
    await assert.rejects(signIn(stack.baseUrl, user.email, user.password), /401/);
    assert.match(await signIn(stack.baseUrl, user.email, newPassword), /^catalog_session=/);
    assert.deepEqual(
      errors.filter((error) => !/400/.test(error)),
      [],
    );
  } finally {
    await close();
  }
});

test('a session that ends under the user leads to sign-in, and back to the page after signing in again', async () => {
  const { page, close, user } = await openSignedInPage(browser, stack, '/users', 'admin');
  try {
    await page.getByTestId('users-table').waitFor();
    await stack.deps.db.pool.query('delete from sessions where user_id = $1', [user.id]);
    // The API keys list is admin-only, so its request is refused (401) now that the session is gone.
    await page.getByTestId('nav-api-keys').click();
    await page.waitForURL(atPath('/sign-in'));
    assert.equal(new URL(page.url()).searchParams.get('next'), '/api-keys');
    await page.getByTestId('toast').filter({ hasText: 'session has ended' }).waitFor();
    await assertAccessible(page, 'sign-in after the session ended');
    await signInThroughForm(page, user.email, user.password);
    assert.equal(new URL(page.url()).pathname, '/api-keys');
    await page.locator('[data-testid=api-keys-table], [data-testid=api-keys-empty]').first().waitFor();
  } finally {
    await close();
  }
});

// Holds once every route enforces its role (the enforcement branch). Last in the file: should an
// API without enforcement accept it, its delete-all cannot empty the catalog under another test.
test('ENFORCEMENT: the API refuses delete-all to an editor with 403 naming the admin role', async () => {
  const response = await requestAs(stack.baseUrl, await stack.keyFor('editor'), '/api/products', {
    method: 'DELETE',
    body: { confirm: DELETE_ALL_CONFIRMATION },
  });
  assert.equal(response.status, 403, await response.clone().text());
  const body = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).parse(await response.json());
  assert.deepEqual(body.error, { code: 'forbidden', message: 'This needs the admin role' });
});
