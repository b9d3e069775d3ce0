import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The compiled server build: the API, the worker, the migration, API-key and secrets CLIs, each one ESM file with the
 * workspace packages inlined and every npm dependency left external (production installs them),
 * plus the workflow bundle built once. Production runs only this output: no tsx, no webpack at start.
 */
export const SERVER_ENTRIES = {
  api: 'api/src/server.ts',
  worker: 'activities/src/worker.ts',
  migrate: 'packages/db/src/cli.ts',
  apikey: 'api/src/auth/apikey-cli.ts',
  secrets: 'packages/db/src/secrets/secrets-cli.ts',
};

/** Where each process's compiled entry lands, relative to the repo. */
export const compiledEntry = (name) => join('dist', name, 'main.js');

/**
 * V8 flags the compiled API and worker run with, wherever they run (launcher, benchmarks, tests,
 * Dockerfile, compose, k8s; tests/compose.test.ts checks the last three). A young generation of
 * 4 MB semi-spaces instead of V8's default 16 MB: each isolate (the main thread and every workflow
 * thread) otherwise keeps up to 48 MB of short-lived garbage. Measured with `npm run
 * bench:import` (500k rows): peak RSS api 218 → 151 MB, worker 334 → 277 MB.
 */
export const RUNTIME_NODE_FLAGS = ['--max-semi-space-size=4'];

/** The command line (after the node binary) that runs a compiled process. */
export const compiledCommand = (name) => [...RUNTIME_NODE_FLAGS, compiledEntry(name)];

/** Written last by a successful build; its mtime is the build's age. */
const STAMP = join('dist', 'build-stamp.json');
const SOURCE_DIRS = ['packages', 'api', 'workflows', 'activities'];
const SKIPPED = new Set(['node_modules', 'dist', '.data', '.tools']);

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (!SKIPPED.has(entry.name)) newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** Stale when any server source, or the lockfile (dependency versions are baked into the bundle), is newer than the build. */
export function isServerBuildStale(repoDir) {
  const stamp = join(repoDir, STAMP);
  if (!existsSync(stamp)) return true;
  const builtAt = statSync(stamp).mtimeMs;
  const inputs = [...SOURCE_DIRS, 'package-lock.json'].map((path) => join(repoDir, path)).filter(existsSync);
  return inputs.some((path) => newestMtime(path) > builtAt);
}

/** The installed SDK version: a bundle built against another version is refused by the worker. */
export function workflowSdkVersion(repoDir) {
  const require = createRequire(join(repoDir, 'workflows', 'package.json'));
  return JSON.parse(readFileSync(require.resolve('@temporalio/workflow/package.json'), 'utf8')).version;
}

/** Keeps bare imports external, except the workspace's own packages, which are TypeScript to inline. */
const externalDependencies = {
  name: 'external-dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@catalog/') || args.path.startsWith('node:') ? undefined : { external: true },
    );
  },
};

/**
 * `run(name, command, args)` runs a child process to completion (the launcher's supervisor or a
 * plain spawner); the type check and the workflow bundle run as their own processes. `typecheck:
 * false` is for test runs, whose CI job type-checks in `npm run lint` already.
 */
export async function buildServer({ repoDir, run, log, typecheck = true }) {
  const distDir = join(repoDir, 'dist');
  await rm(distDir, { recursive: true, force: true });
  if (typecheck) {
    log('type-checking (tsc)');
    await run('tsc', process.execPath, [
      createRequire(join(repoDir, 'package.json')).resolve('typescript/bin/tsc'),
      '-p',
      join(repoDir, 'tsconfig.json'),
      '--noEmit',
    ]);
  }
  log('compiling the api, the worker and the CLIs (esbuild)');
  const esbuild = await import(createRequire(join(repoDir, 'package.json')).resolve('esbuild'));
  await esbuild.build({
    absWorkingDir: repoDir,
    entryPoints: Object.fromEntries(Object.entries(SERVER_ENTRIES).map(([name, entry]) => [`${name}/main`, entry])),
    outdir: distDir,
    bundle: true,
    // Code behind a dynamic import() stays in a chunk of its own, and so do the npm imports it
    // makes: the processes start tracing before `pg` and `http` load, and load the AWS SDK only
    // for the s3 store. Without splitting, esbuild would hoist every external import to the top.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: 'linked',
    // Stack traces in logs keep the names of our functions.
    keepNames: true,
    logLevel: 'warning',
    plugins: [externalDependencies],
  });
  log('bundling the workflow code (webpack, once)');
  const bundleFile = 'workflow-bundle.js';
  await mkdir(join(distDir, 'worker'), { recursive: true });
  await run('bundle', process.execPath, [
    '--import',
    'tsx',
    join(repoDir, 'activities/src/bundle-workflows.ts'),
    join(distDir, 'worker', bundleFile),
  ]);
  const manifest = { file: bundleFile, sdkVersion: workflowSdkVersion(repoDir) };
  await writeFile(join(distDir, 'worker', 'workflow-bundle.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(repoDir, STAMP), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
}
