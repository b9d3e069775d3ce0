import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Where `npm test` looks when given no paths. */
export const TEST_ROOTS = ['packages', 'api', 'workflows', 'activities', 'web/src', 'tests'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.data', '.tools']);

function collect(dir, suffix, found) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) collect(path, suffix, found);
    } else if (entry.name.endsWith(suffix)) {
      found.push(path);
    }
  }
}

/**
 * Every `*.test.ts` under the given paths (files are taken as they are), relative to the repo and
 * sorted so runs are repeatable. Paths are resolved from `baseDir`, the directory npm was run in.
 */
export function findTestFiles({ repoDir, baseDir, targets }) {
  const roots =
    targets.length > 0
      ? targets.map((target) => resolve(baseDir, target))
      : TEST_ROOTS.map((root) => join(repoDir, root));
  const found = [];
  for (const root of roots) {
    if (!existsSync(root)) {
      if (targets.length > 0) throw new Error(`No such test path: ${relative(baseDir, root) || root}`);
      continue;
    }
    if (statSync(root).isDirectory()) collect(root, '.test.ts', found);
    else found.push(root);
  }
  return [...new Set(found.map((file) => relative(repoDir, file)))].sort();
}
