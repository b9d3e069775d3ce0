import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { WorkflowBundleOption } from '@temporalio/worker';

const SOURCES = ['workflows/src', 'packages/domain/src'];

/** Written by `npm run build` beside the compiled worker: which bundle file, built for which SDK. */
type BundleManifest = { file: string; sdkVersion: string };

export class WorkflowBundleError extends Error {
  readonly code = 'workflow_bundle_mismatch';
}

function installedSdkVersion(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@temporalio/workflow/package.json');
  return (require(manifestPath) as { version: string }).version;
}

/**
 * The workflow bundle. The compiled worker (dist/worker/main.js) loads the one `npm run build`
 * wrote beside it, and refuses it if the installed @temporalio/workflow differs from the one it was
 * built against: a stale bundle would run workflow code the SDK never saw. Run from source (tests,
 * `npm run dev`), it is built once per version of its sources and of the SDK and kept on disk, by
 * a short-lived child process: webpack needs a few hundred MB that the long-lived worker should
 * never hold.
 */
export async function prebuiltWorkflowBundle(cacheDir = tmpdir()): Promise<WorkflowBundleOption> {
  const manifestPath = path.join(import.meta.dirname, 'workflow-bundle.json');
  if (existsSync(manifestPath)) return compiledBundle(manifestPath);
  const root = path.resolve(import.meta.dirname, '../..');
  const codePath = path.join(cacheDir, `catalog-workflows-${await sourcesHash(root)}.js`);
  if (!existsSync(codePath)) {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'bundle-workflows.ts'), codePath],
      { cwd: root },
    );
  }
  return { codePath };
}

async function compiledBundle(manifestPath: string): Promise<WorkflowBundleOption> {
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as BundleManifest;
  const sdkVersion = installedSdkVersion();
  if (manifest.sdkVersion !== sdkVersion) {
    throw new WorkflowBundleError(
      `The workflow bundle was built for @temporalio/workflow ${manifest.sdkVersion} but ${sdkVersion} is installed: run npm run build`,
    );
  }
  return { codePath: path.join(path.dirname(manifestPath), manifest.file) };
}

async function sourcesHash(root: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(installedSdkVersion());
  for (const dir of SOURCES) {
    // Tests are not bundled: editing one must not rebuild the bundle.
    const files = (await readdir(path.join(root, dir), { recursive: true }))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .sort();
    for (const file of files) {
      hash.update(file);
      hash.update(await readFile(path.join(root, dir, file)));
    }
  }
  return hash.digest('hex').slice(0, 16);
}
