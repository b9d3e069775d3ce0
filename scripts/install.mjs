#!/usr/bin/env node
/**
 * `node scripts/install.mjs`: the launcher's install step alone (npm ci when node_modules is missing
 * or stale, then the stamp), for CI, which lints before it tests and must not install twice.
 */
import { fileURLToPath } from 'node:url';
import { createCleanup } from './lib/cleanup.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { createLog } from './lib/output.mjs';
import { createSupervisor } from './lib/supervisor.mjs';

const repoDir = fileURLToPath(new URL('..', import.meta.url));
const log = createLog('install');
const supervisor = createSupervisor({ cwd: repoDir, cleanup: createCleanup(log), onUnexpectedExit: () => {} });
// npm runs in its own process group, so a Ctrl-C reaches it only through us.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    supervisor.terminateAll();
    process.exit(130);
  });
}
try {
  await ensureInstalled({ repoDir, env: process.env, log, supervisor });
} catch (error) {
  log.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
