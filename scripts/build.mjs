#!/usr/bin/env node
/**
 * `npm run build`: the production build. Type-checks, compiles the API, the worker and the
 * migration CLI to dist/ (workspace packages inlined), bundles the workflow code once, and builds
 * the web app to web/dist. `npm start`, the Dockerfile and deploy/ run only this output.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { npmCommand } from './lib/npm.mjs';
import { createLog } from './lib/output.mjs';
import { buildServer } from './lib/server-build.mjs';

const repoDir = fileURLToPath(new URL('..', import.meta.url));
const log = createLog('build');

function run(name, command, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoDir, stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

try {
  await buildServer({ repoDir, run, log: log.info });
  log.info('building the web app (vite)');
  const { NODE_ENV: _ignored, ...env } = process.env;
  const [command, args] = npmCommand(env, ['run', 'build', '-w', 'web']);
  await run('web build', command, args, env);
  log.info('done: dist/ (api, worker, migrate) and web/dist');
} catch (error) {
  log.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
