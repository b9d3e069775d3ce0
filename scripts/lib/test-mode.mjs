import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bootIsolatedStack } from './isolated-stack.mjs';
import { buildServer } from './server-build.mjs';
import { settleAll } from './settle.mjs';
import { findTestFiles } from './test-files.mjs';
import { buildWeb } from './web-build.mjs';

function readTotals(summaryFile) {
  if (!existsSync(summaryFile)) return undefined;
  const text = readFileSync(summaryFile, 'utf8').trim();
  return text ? JSON.parse(text) : undefined;
}

/**
 * `npm test [paths...]`: boots the isolated stack, builds the UI and the server (so browser tests
 * and spawned processes see current code) and runs the files one at a time: integration tests share one Temporal server and database
 * server, and a 2-core machine gains nothing from running them side by side.
 * Returns the totals; the launcher prints them as the run's last line after cleanup.
 */
export async function runTests(ctx, targets) {
  const files = findTestFiles({ repoDir: ctx.repoDir, baseDir: ctx.env.INIT_CWD || process.cwd(), targets });
  if (files.length === 0) {
    ctx.log.error(`no *.test.ts files under ${targets.length > 0 ? targets.join(', ') : 'the test folders'}`);
    return { passed: 0, failed: 0, skipped: 0 };
  }
  // Tests that start the API or the worker as processes run the compiled build, as production does.
  const [stack] = await settleAll([
    bootIsolatedStack(ctx, { nodeEnv: 'test' }),
    buildWeb(ctx, { always: true }),
    buildServer({
      repoDir: ctx.repoDir,
      run: (name, command, args) => ctx.supervisor.run(name, command, args),
      log: ctx.log.info,
      typecheck: false,
    }),
  ]);
  const summaryFile = join(stack.tempDir, 'test-summary.json');
  const reporter = pathToFileURL(join(ctx.repoDir, 'scripts/lib/count-reporter.mjs')).href;
  ctx.log.info(`running ${files.length} test file${files.length === 1 ? '' : 's'}`);
  const runner = ctx.supervisor.start(
    'test',
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-timeout=600000',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${reporter}`,
      `--test-reporter-destination=${summaryFile}`,
      ...files,
    ],
    { env: stack.env, output: 'inherit', critical: false },
  );
  const { code } = await runner.exited;
  const totals = readTotals(summaryFile) ?? { passed: 0, failed: 0, skipped: 0 };
  // The runner can fail outside any test (a crash, a bad flag); that must not read as a green run.
  if (code !== 0 && totals.failed === 0) totals.failed = 1;
  return totals;
}
