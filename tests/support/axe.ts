import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core found, one line per rule: "color-contrast (serious): .pager button, …". */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.addScriptTag({ content: await axeSource });
  // A string, so it runs in the page as written: the test's own TypeScript has no DOM types.
  return page.evaluate<string[]>(`
    window.axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((result) => result.violations.map((violation) =>
        violation.id + ' (' + violation.impact + '): ' +
        violation.nodes.map((node) => node.target.join(' ')).join(', ')))
  `);
}
