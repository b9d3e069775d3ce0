import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { npmCommand } from './npm.mjs';

/** The built UI is stale when any file of web/ (outside dist and node_modules) is newer than it. */
export function isWebBuildStale({ builtAt, sourcesChangedAt }) {
  return builtAt === undefined || sourcesChangedAt > builtAt;
}

function newestMtime(dir, skip) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path, skip) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

export function webDistDir(repoDir) {
  return join(repoDir, 'web', 'dist');
}

export async function buildWeb(ctx, { always }) {
  const marker = join(webDistDir(ctx.repoDir), 'index.html');
  const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : undefined;
  const sourcesChangedAt = newestMtime(join(ctx.repoDir, 'web'), new Set(['dist', 'node_modules']));
  if (!always && !isWebBuildStale({ builtAt, sourcesChangedAt })) return;
  ctx.log.info('building the web app (npm run build -w web)');
  // Vite decides between development and production bundles from NODE_ENV; a test run's NODE_ENV=test must not leak in.
  const { NODE_ENV: _ignored, ...env } = ctx.env;
  const [command, args] = npmCommand(env, ['run', 'build', '-w', 'web']);
  await ctx.supervisor.run('web', command, args, { env });
}
