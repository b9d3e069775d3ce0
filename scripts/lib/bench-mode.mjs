import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bootIsolatedStack } from './isolated-stack.mjs';
import { buildServer, isServerBuildStale } from './server-build.mjs';
import { settleAll } from './settle.mjs';

const BENCH_DIR = 'bench';
const SUFFIX = '.bench.ts';

function benchFiles(repoDir, names) {
  const dir = join(repoDir, BENCH_DIR);
  const available = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(SUFFIX)) : [];
  if (names.length === 0) return available.sort().map((file) => join(BENCH_DIR, file));
  const missing = names.filter((name) => !available.includes(`${name}${SUFFIX}`));
  if (missing.length > 0) {
    const known = available.map((file) => file.slice(0, -SUFFIX.length)).join(', ') || 'none yet';
    throw new Error(
      `No benchmark ${missing.join(', ')} (looked for ${BENCH_DIR}/<name>${SUFFIX}; available: ${known})`,
    );
  }
  return names.map((name) => join(BENCH_DIR, `${name}${SUFFIX}`));
}

/** `npm run bench [names...] [options...]`: each bench/<name>.bench.ts in turn, on the isolated stack in production mode. */
export async function runBenchmarks(ctx, names, options) {
  const files = benchFiles(ctx.repoDir, names);
  if (files.length === 0) {
    ctx.log.info(`no benchmarks yet: add ${BENCH_DIR}/<name>${SUFFIX} files and run npm run bench [-- <name>...]`);
    return 0;
  }
  // Benchmarks run the compiled API and worker, as production does.
  const [stack] = await settleAll([
    bootIsolatedStack(ctx, { nodeEnv: 'production' }),
    isServerBuildStale(ctx.repoDir)
      ? buildServer({
          repoDir: ctx.repoDir,
          run: (name, command, args) => ctx.supervisor.run(name, command, args),
          log: ctx.log.info,
        })
      : undefined,
  ]);
  let failures = 0;
  for (const file of files) {
    ctx.log.info(`benchmark ${file}`);
    // BENCH_CPU_PROF=<dir> profiles the benchmark process too (its load generator shares the CPU).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const bench = ctx.supervisor.start('bench', process.execPath, [...profile, '--import', 'tsx', file, ...options], {
      env: stack.env,
      output: 'inherit',
      critical: false,
    });
    const { code } = await bench.exited;
    if (code !== 0) {
      ctx.log.error(`${file} failed (exit code ${code})`);
      failures += 1;
    }
  }
  return failures === 0 ? 0 : 1;
}
