import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashLockfile, INSTALL_STAMP, installState } from './install-state.mjs';
import { npmCommand } from './npm.mjs';

function readIfExists(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function runNpm(ctx, args) {
  const [command, fullArgs] = npmCommand(ctx.env, args);
  return ctx.supervisor.run('npm', command, fullArgs);
}

/** `npm ci` when node_modules is missing or was installed from another package-lock.json. */
export async function ensureInstalled(ctx) {
  const lockPath = join(ctx.repoDir, 'package-lock.json');
  const stampPath = join(ctx.repoDir, INSTALL_STAMP);
  const state = installState({
    hasNodeModules: existsSync(join(ctx.repoDir, 'node_modules')),
    lockHash: hashLockfile(readFileSync(lockPath)),
    stampHash: readIfExists(stampPath),
  });
  if (state === 'fresh') return;
  ctx.log.info(
    state === 'missing'
      ? 'node_modules is missing: running npm ci'
      : 'package-lock.json differs from the last install: running npm ci',
  );
  try {
    await runNpm(ctx, ['ci', '--no-audit', '--no-fund']);
  } catch {
    // npm ci refuses a lockfile that lacks other platforms' optional binaries (npm/cli#4828), which is
    // what a registry without those platforms produces; npm install accepts it and keeps the locked versions.
    ctx.log.info('npm ci failed: retrying with npm install (package-lock.json may be incomplete for some platforms)');
    await runNpm(ctx, ['install', '--no-audit', '--no-fund']);
  }
  // Hashed after the install, which may have completed the lockfile.
  writeFileSync(stampPath, `${hashLockfile(readFileSync(lockPath))}\n`);
}
