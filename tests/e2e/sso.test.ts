import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { meSchema, SSO_ERROR_MESSAGES } from '@catalog/domain';
import type { Browser } from 'playwright-core';
import { assertAccessible } from '../support/axe';
import { launchBrowser, openPage } from '../support/browser';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { type Stack, startStack } from '../support/stack';

/** Single sign-on as a person meets it: the sign-in page's button, the provider's pages, and back. */
let provider: TestOidcProvider;
let stack: Stack;
let browser: Browser;

before(async () => {
  provider = await startOidcProvider();
  stack = await startStack({
    worker: false,
    publicUrl: true,
    env: { ...provider.env(), OIDC_DISPLAY_NAME: 'Test IdP', OIDC_ROLE_MAP: 'catalog-editors=editor' },
  });
  provider.registerClient(`${stack.baseUrl}/api/auth/oidc/callback`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
  await provider?.stop();
});

test('"Sign in with Test IdP" goes through the provider and lands signed in on next', async () => {
  const login = `person-${randomUUID()}`;
  provider.accounts.set(login, {
    email: `${login}@example.test`,
    email_verified: true,
    catalog_role: 'catalog-editors',
  });
  const { page, errors, close } = await openPage(browser, `${stack.baseUrl}/sign-in?next=/products`);
  try {
    const button = page.getByTestId('sso-sign-in');
    await button.waitFor();
    assert.equal((await button.textContent())?.trim(), 'Sign in with Test IdP');
    await assertAccessible(page, 'the sign-in page with single sign-on');
    // Checked here only: the provider's development pages load web fonts from the internet, offline here.
    // Signed out, the app's "who am I" is answered 401, which the browser logs itself.
    assert.deepEqual(
      errors.filter((error) => !/status of 401/.test(error)),
      [],
    );

    await button.click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();
    // The provider asks for consent once: the catalog wants the email and profile scopes.
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.origin === new URL(stack.baseUrl).origin && url.pathname === '/products');

    const me = meSchema.parse(await page.evaluate<unknown>(`fetch('/api/auth/me').then((r) => r.json())`));
    assert.equal(me.user.email, `${login}@example.test`);
    assert.equal(me.user.role, 'editor');
  } finally {
    await close();
  }
});

test('a refused sign-on is explained on the sign-in page', async () => {
  const { page, close } = await openPage(browser, `${stack.baseUrl}/sign-in?error=sso_no_role&next=/import`);
  try {
    const message = page.getByTestId('sso-error');
    await message.waitFor();
    assert.equal((await message.textContent())?.trim(), SSO_ERROR_MESSAGES.sso_no_role);
    assert.equal(
      await page.getByTestId('sso-sign-in').getAttribute('href'),
      '/api/auth/oidc/start?next=%2Fimport',
      'a second try keeps next',
    );
    await assertAccessible(page, 'the sign-in page after a refused sign-on');
  } finally {
    await close();
  }
});
