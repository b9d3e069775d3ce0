import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { WorkflowBundleOption } from '@temporalio/worker';

const root = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['workflows/src', 'packages/domain/src'];

/**
 * The workflow bundle, built once per version of its sources and kept on disk. It is built by a
 * short-lived child process: webpack needs a few hundred MB that the long-lived worker should
 * never hold.
 */
export async function prebuiltWorkflowBundle(cacheDir = tmpdir()): Promise<WorkflowBundleOption> {
  const codePath = path.join(cacheDir, `catalog-workflows-${await sourcesHash()}.js`);
  if (!existsSync(codePath)) {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'bundle-workflows.ts'), codePath],
      {
        cwd: root,
      },
    );
  }
  return { codePath };
}

async function sourcesHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of SOURCES) {
    const files = (await readdir(path.join(root, dir), { recursive: true })).filter((f) => f.endsWith('.ts')).sort();
    for (const file of files) {
      hash.update(file);
      hash.update(await readFile(path.join(root, dir, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}
