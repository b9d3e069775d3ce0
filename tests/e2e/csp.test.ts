import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, openSignedInPage } from '../support/browser';
import { type Stack, startStack } from '../support/stack';

/**
 * The built app and the API docs page work under their Content-Security-Policy in a real
 * Chromium: a CSP violation is a console error, which `openPage` collects.
 */
let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack({ worker: false });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('every area of the app loads under the CSP without a violation', async () => {
  const { page, errors, close } = await openSignedInPage(browser, stack, '/import', 'admin');
  try {
    await page.getByRole('heading', { level: 1, name: 'Import products' }).waitFor();
    for (const testid of ['nav-products', 'nav-webhooks', 'nav-users', 'nav-api-keys', 'nav-import']) {
      await page.getByTestId(testid).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
    }
    await page.getByTestId('user-menu-toggle').click();
    await page.getByTestId('account-link').click();
    await page.getByTestId('password-form').waitFor();
    await page.getByTestId('user-menu-toggle').click();
    await page.getByTestId('sign-out-button').click();
    await page.getByTestId('sign-in-form').waitFor();
    // Signed out, the sign-in page's "who am I" is answered 401, which the browser logs itself.
    assert.deepEqual(
      errors.filter((error) => !/status of 401/.test(error)),
      [],
    );
  } finally {
    await close();
  }
});

test('the CSP is enforced: an inline script injected into the app is refused and reported', async () => {
  const { page, errors, close } = await openSignedInPage(browser, stack, '/products', 'viewer');
  try {
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    const ran = await page.evaluate(`(() => {
      window.injected = false;
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      return window.injected;
    })()`);
    assert.equal(ran, false, 'the inline script did not run');
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /Content Security Policy/);
  } finally {
    await close();
  }
});

test('the API docs page renders the document under its own CSP without a violation', async () => {
  const { page, errors, close } = await openPage(browser, `${stack.baseUrl}/api/docs`);
  try {
    await page.locator('.swagger-ui .info .title').waitFor();
    assert.match((await page.locator('.swagger-ui .info .title').textContent()) ?? '', /Catalog Importer/);
    // Expanding an operation renders its parameters and highlighted examples.
    await page.locator('.opblock-summary').first().click();
    await page.locator('.opblock-body').first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
