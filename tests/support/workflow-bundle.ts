import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflows } from '@catalog/activities/create-worker';
import type { WorkflowBundleOption } from '@temporalio/worker';

const SOURCES = ['workflows/src', 'packages/domain/src'];
const root = path.resolve(import.meta.dirname, '../..');

/**
 * Bundling workflows takes seconds; every test file runs in its own process, so the bundle is
 * cached on disk under a hash of the sources it is built from.
 */
export async function testWorkflowBundle(): Promise<WorkflowBundleOption> {
  const hash = createHash('sha256');
  for (const dir of SOURCES) {
    const files = (await readdir(path.join(root, dir), { recursive: true })).filter((f) => f.endsWith('.ts')).sort();
    for (const file of files) {
      hash.update(file);
      hash.update(await readFile(path.join(root, dir, file)));
    }
  }
  const codePath = path.join(tmpdir(), `catalog-workflows-${hash.digest('hex').slice(0, 16)}.js`);
  if (existsSync(codePath)) return { codePath };
  const bundle = await bundleWorkflows();
  if ('code' in bundle) await writeFile(codePath, bundle.code);
  return bundle;
}
