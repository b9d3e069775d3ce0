import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { waitForPort, waitUntil } from './ports.mjs';
import { resolveTemporal, TEMPORAL_MODULE } from './temporal-binary.mjs';
import { startDevArgs } from './temporal-settings.mjs';

const execFileAsync = promisify(execFile);

/** The `temporal` CLI: found, or built once with `go install`, or one message saying how to get it. */
export async function obtainTemporalBinary(ctx) {
  const resolution = resolveTemporal({ pathEnv: ctx.env.PATH, repoDir: ctx.repoDir });
  if (resolution.kind === 'found') return resolution.bin;
  if (resolution.kind === 'missing') throw new Error(resolution.message);
  ctx.log.info(`temporal CLI not found: building it once with \`go install ${TEMPORAL_MODULE}\` into .tools/bin`);
  await ctx.supervisor.run('go', resolution.go, ['install', TEMPORAL_MODULE], {
    env: { ...ctx.env, GOBIN: resolution.gobin },
  });
  return resolution.bin;
}

/**
 * Starts `temporal server start-dev` and waits until the namespace answers, which is later than
 * the port opening: the worker's first poll would otherwise fail with "namespace not found".
 */
export async function startTemporalServer(ctx, { bin, settings, namespace, port, uiPort, persistent }) {
  let dbFile = null;
  if (persistent) {
    dbFile = isAbsolute(settings.dbFile) ? settings.dbFile : join(ctx.repoDir, settings.dbFile);
    await mkdir(dirname(dbFile), { recursive: true });
  }
  const args = startDevArgs(settings, { namespace, port, uiPort, dbFile, headless: !persistent });
  const handle = ctx.supervisor.start('temporal', bin, args);
  const address = `${settings.ip}:${port}`;
  await waitForPort(`Temporal on ${address}`, port, { host: settings.ip, isAlive: handle.isRunning });
  await waitUntil(
    `Temporal namespace ${namespace}`,
    () =>
      execFileAsync(bin, ['operator', 'namespace', 'describe', '--namespace', namespace, '--address', address], {
        timeout: 10_000,
      }).then(() => true),
    { isAlive: handle.isRunning, intervalMs: 500 },
  );
  return { address, uiUrl: `http://localhost:${uiPort}` };
}
