import { type Browser, chromium, type Page } from 'playwright-core';

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
  { width = 1280, height = 800 }: OpenPageOptions = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width, height } });
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
