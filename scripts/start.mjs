#!/usr/bin/env node
/**
 * The launcher behind `npm start`, `npm run dev`, `npm test` and `npm run bench`: installs what is
 * missing, brings up PostgreSQL, Temporal and Redis (given or embedded), then runs the app, the
 * tests or the benchmarks, and on Ctrl-C or failure stops everything it started, in order.
 * Only Node built-ins are imported statically: node_modules may not exist yet.
 */
import { fileURLToPath } from 'node:url';
import { runApp } from './lib/app-mode.mjs';
import { parseLauncherArgs } from './lib/args.mjs';
import { runBenchmarks } from './lib/bench-mode.mjs';
import { createCleanup } from './lib/cleanup.mjs';
import { formatSummary } from './lib/count-reporter.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { createLog } from './lib/output.mjs';
import { relaunchOnPinnedNode, runsPinnedNode } from './lib/pinned-node.mjs';
import { createSupervisor } from './lib/supervisor.mjs';
import { runTests } from './lib/test-mode.mjs';

const repoDir = fileURLToPath(new URL('..', import.meta.url));
const log = createLog('launcher');

let args;
try {
  args = parseLauncherArgs(process.argv.slice(2));
} catch (error) {
  log.error(error.message);
  process.exit(2);
}

// A test run always ends with its counts line, even when it could not run a single test.
const failedRunLine = args.mode === 'test' ? formatSummary({ passed: 0, failed: 1, skipped: 0 }) : undefined;
const cleanup = createCleanup(log);
const supervisor = createSupervisor({
  cwd: repoDir,
  cleanup,
  log,
  // The app keeps running through a crash of any of its processes; a test or bench run stops instead.
  restartCrashed: args.mode === 'start' || args.mode === 'dev',
  onUnexpectedExit: (name, how) => {
    log.error(`${name} ${how}; stopping everything`);
    void finish(1, failedRunLine);
  },
});
const ctx = { repoDir, env: process.env, log, supervisor, cleanup };

let finishing;
// Set once this launcher has handed over to itself on the pinned Node: it then only relays signals.
let relaunched;
function finish(code, lastLine) {
  finishing ??= (async () => {
    supervisor.beginShutdown();
    await cleanup.run();
    if (lastLine) process.stdout.write(`${lastLine}\n`);
    process.exit(code);
  })();
  return finishing;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (relaunched) return relaunched.forward(signal);
    if (finishing) return;
    log.info(`${signal}: stopping everything`);
    // Stopping the app on request is a success; an interrupted test or bench run is not.
    void finish(args.mode === 'start' || args.mode === 'dev' ? 0 : 130, failedRunLine);
  });
}
// Should the launcher die of a bug, its children must not outlive it.
process.on('exit', () => supervisor.terminateAll());

try {
  await ensureInstalled(ctx);
  if (!runsPinnedNode(repoDir)) {
    log.info(`Node ${process.versions.node} installed the project: continuing on the pinned Node`);
    relaunched = relaunchOnPinnedNode(repoDir);
    process.exit(await relaunched.exited);
  }
  if (args.mode === 'test') {
    const totals = await runTests(ctx, args.targets);
    await finish(totals.failed > 0 || totals.passed === 0 ? 1 : 0, formatSummary(totals));
  } else if (args.mode === 'bench') {
    await finish(await runBenchmarks(ctx, args.targets, args.options));
  } else {
    await runApp(ctx, { dev: args.mode === 'dev' });
  }
} catch (error) {
  if (!finishing) {
    log.error(error instanceof Error ? error.message : String(error));
    await finish(1, failedRunLine);
  }
}
