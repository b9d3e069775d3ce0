import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Puts axe-core into the page. Evaluated through the DevTools protocol rather than added as a
 * <script>: the app's Content-Security-Policy forbids inline scripts, and that must not blind the check.
 */
async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate<boolean>('typeof window.axe === "object"')) return;
  await page.evaluate(await axeSource);
  assert.ok(await page.evaluate<boolean>('typeof window.axe === "object"'), 'axe-core did not load in the page');
}

/** What axe-core found, one line per rule: "color-contrast (serious): .pager button, …". */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await injectAxe(page);
  // A string, so it runs in the page as written: the test's own TypeScript has no DOM types.
  // Running transitions (a toast fading in) settle first: mid-fade, text has a contrast it never
  // keeps, and the check would fail by timing alone. Two frames first, so a transition just
  // triggered (Vue starts one on the next frame) has begun; endless ones (a spinner) are not waited for.
  return page.evaluate<string[]>(`
    new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      .then(() => Promise.all(document.getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined))))
      .then(() => window.axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((violation) =>
        violation.id + ' (' + violation.impact + '): ' +
        violation.nodes.map((node) => node.target.join(' ')).join(', '))))
  `);
}

/** The project rule for browser tests: every page state they visit has 0 WCAG 2 AA violations. */
export async function assertAccessible(page: Page, state: string): Promise<void> {
  assert.deepEqual(await accessibilityViolations(page), [], `axe (WCAG 2 AA) on ${state}`);
}
