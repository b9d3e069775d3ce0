import type { Role } from '@catalog/domain';
import { type Browser, chromium, type Page } from 'playwright-core';
import { signedInUser, type TestUser } from './auth';
import type { Stack } from './stack';

/** Chromium found on the machine; flags keep it quiet and off the network beyond the app. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface OpenPageOptions {
  width?: number;
  height?: number;
  /** A session the browser carries from its first request: the `Cookie` value `signIn` answers. */
  session?: string;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far; a healthy page leaves this empty. */
  errors: string[];
  close(): Promise<void>;
}

/** Opens `url` in a fresh context (no shared storage between tests) and collects its errors. */
export async function openPage(
  browser: Browser,
  url: string,
  { width = 1280, height = 800, session }: OpenPageOptions = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width, height } });
  if (session) {
    const [name = '', value = ''] = session.split('=', 2);
    await context.addCookies([{ name, value, url: new URL(url).origin, httpOnly: true, sameSite: 'Lax' }]);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors, close: () => context.close() };
}

/**
 * Waits until `expression` (page JavaScript as a string: the tests' TypeScript has no DOM types) is
 * truthy. `page.waitForFunction` compiles a string predicate with `new Function` inside the page,
 * which the app's CSP (no unsafe-eval) refuses; `page.evaluate` runs through the DevTools protocol.
 */
export async function waitForExpression(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type SignedInPage = OpenedPage & { user: TestUser & { cookie: string } };

/**
 * Opens `path` as a new user of `role`, signed in through the API beforehand (the session cookie
 * is in the browser before the first request): for tests about a page rather than about signing in.
 */
export async function openSignedInPage(
  browser: Browser,
  stack: Stack,
  path: string,
  role: Role,
  options: Omit<OpenPageOptions, 'session'> = {},
): Promise<SignedInPage> {
  const user = await signedInUser(stack, role);
  const opened = await openPage(browser, `${stack.baseUrl}${path}`, { ...options, session: user.cookie });
  return { ...opened, user };
}

/** Signs in through the sign-in form, as a person would, and waits until the app has left it. */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  const form = page.getByTestId('sign-in-form');
  await form.waitFor();
  await form.getByTestId('sign-in-email').fill(email);
  await form.getByTestId('sign-in-password').fill(password);
  await form.getByTestId('sign-in-submit').click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}
