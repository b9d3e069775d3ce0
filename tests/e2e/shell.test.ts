import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openSignedInPage } from '../support/browser';
import { type Stack, startStack } from '../support/stack';

/**
 * The app shell as a user meets it: served by the API from web/dist, in a real Chromium, signed in
 * as an admin (who sees every area). Every page state visited is checked with axe-core.
 */
let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

// `loaded` is what each page shows once its data arrived, so the check sees the page, not a placeholder.
const areas = [
  {
    testid: 'nav-products',
    path: '/products',
    heading: 'Products',
    loaded: '[data-testid=products-table], [data-testid=products-empty]',
  },
  {
    testid: 'nav-webhooks',
    path: '/webhooks',
    heading: 'Webhooks',
    loaded: '[data-testid=webhook-table], [data-testid=webhooks-empty]',
  },
  {
    testid: 'nav-users',
    path: '/users',
    heading: 'Users',
    loaded: '[data-testid=users-table]',
  },
  {
    testid: 'nav-api-keys',
    path: '/api-keys',
    heading: 'API keys',
    loaded: '[data-testid=api-keys-table], [data-testid=api-keys-empty]',
  },
  {
    testid: 'nav-import',
    path: '/import',
    heading: 'Import products',
    loaded: '[data-testid=history-table], [data-testid=history-empty]',
  },
] as const;
const account = { path: '/account', loaded: '[data-testid=password-form]' };

// The Import page may add ?job=… when an import is running, so only the path is compared.
const atPath = (path: string) => (url: URL) => url.pathname === path;

async function heading(page: Page): Promise<string> {
  return ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
}

test('the app opens on Import and the top navigation reaches every area an admin has, the user menu the account', async () => {
  const { page, errors, close, user } = await openSignedInPage(browser, stack, '/', 'admin');
  try {
    await page.waitForURL(atPath('/import'));
    assert.equal(await heading(page), 'Import products');
    for (const area of areas) {
      await page.getByTestId(area.testid).click();
      await page.waitForURL(atPath(area.path));
      assert.equal(await heading(page), area.heading);
      await page.locator(area.loaded).first().waitFor();
      await assertAccessible(page, `${area.path} reached from the navigation`);
    }

    await page.getByTestId('user-menu-toggle').click();
    assert.equal(await page.getByTestId('user-email').textContent(), user.email);
    assert.equal(await page.getByTestId('user-role').textContent(), 'admin');
    await assertAccessible(page, 'the open user menu');
    await page.getByTestId('account-link').click();
    await page.waitForURL(atPath(account.path));
    assert.equal(await heading(page), 'Your account');
    await page.locator(account.loaded).waitFor();
    assert.equal(await page.getByTestId('sign-out-button').isVisible(), false, 'navigating folds the menu away');
    await assertAccessible(page, 'the account page');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('the header links to the Temporal UI and to the API docs', async () => {
  const { page, errors, close } = await openSignedInPage(browser, stack, '/products', 'viewer');
  try {
    const temporal = page.getByTestId('temporal-ui-link');
    await temporal.waitFor();
    assert.match((await temporal.textContent()) ?? '', /Temporal UI/);
    const temporalHref = await temporal.getAttribute('href');
    assert.ok(temporalHref, 'the Temporal UI link has an address');
    assert.ok(URL.canParse(temporalHref, stack.baseUrl));

    const docsHref = await page.getByTestId('api-docs-link').getAttribute('href');
    assert.ok(docsHref, 'the API docs link has an address');
    const docs = await fetch(new URL(docsHref, stack.baseUrl));
    assert.equal(docs.status, 200);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('at phone width (360px) no page scrolls sideways', async () => {
  for (const area of [...areas, account]) {
    const { page, errors, close } = await openSignedInPage(browser, stack, area.path, 'admin', {
      width: 360,
      height: 740,
    });
    try {
      await page.getByTestId('temporal-ui-link').waitFor();
      await page.locator(area.loaded).first().waitFor();
      await assertAccessible(page, `${area.path} at 360px`);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      assert.equal(overflow, 0, `${area.path} is ${overflow}px wider than the screen`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  }
});

test('an unknown address shows the not-found page inside the shell', async () => {
  const { page, errors, close } = await openSignedInPage(browser, stack, '/no-such-page', 'viewer');
  try {
    await page.getByTestId('temporal-ui-link').waitFor();
    assert.equal(await heading(page), 'Page not found');
    await assertAccessible(page, 'the not-found page');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
