import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadTemporalSettings } from '../../scripts/lib/launcher-config.mjs';
import { startDevArgs } from '../../scripts/lib/temporal-settings.mjs';
import { pollUntil } from './imports';
import { freePort } from './processes';

const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

export type TemporalDevServer = {
  address: string;
  /** SIGKILL: no shutdown of any kind, as a crashed host or an OOM kill would do. */
  kill: () => Promise<void>;
  /** Starts it again on the same port and database file; resolves once the namespace answers. */
  start: () => Promise<void>;
  /** Kills it if it runs; for after hooks. */
  stop: () => Promise<void>;
};

/**
 * A Temporal dev server of the test's own, with its state in `dbFile` (SQLite) so that it can be
 * killed and started again with every workflow where it was. Same namespace, search attributes and
 * dynamic config as the launcher's (temporal.yaml); the binary is the one `npm test` resolved.
 */
export async function temporalDevServer(dbFile: string): Promise<TemporalDevServer> {
  const bin = process.env.TEMPORAL_BIN;
  if (!bin) throw new Error('TEMPORAL_BIN is not set: run the tests with npm test');
  const settings = await loadTemporalSettings(root);
  const namespace = process.env.TEMPORAL_NAMESPACE || settings.namespace;
  const port = await freePort();
  const address = `${settings.ip}:${port}`;
  // Headless: the UI port is never opened.
  const args = startDevArgs(settings, { namespace, port, uiPort: port, dbFile, headless: true });
  let child: ChildProcess | null = null;

  const kill = async () => {
    const current = child;
    child = null;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = once(current, 'exit');
    current.kill('SIGKILL');
    await exited;
  };

  const start = async () => {
    if (child) throw new Error('the Temporal dev server is already running');
    const current = spawn(bin, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child = current;
    // The port opens before the namespace is served: a worker's first poll would fail until then.
    await pollUntil(
      `Temporal namespace ${namespace} on ${address}`,
      () =>
        current.exitCode !== null
          ? Promise.reject(new Error(`temporal server start-dev exited with ${current.exitCode}`))
          : execFileAsync(bin, ['operator', 'namespace', 'describe', '--namespace', namespace, '--address', address], {
              timeout: 10_000,
            }).then(
              () => true,
              () => false,
            ),
      Boolean,
      120_000,
      500,
    );
  };

  await start();
  return { address, kill, start, stop: kill };
}
