import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { waitUntil } from './ports.mjs';
import { embeddedServerUrl, withDatabase } from './postgres-urls.mjs';
import { compiledEntry, SERVER_ENTRIES } from './server-build.mjs';

const APP_DATABASE = 'catalog';

/** `pg` is a dependency of packages/db, so resolve it from there rather than rely on hoisting. */
function pgClient(repoDir, url) {
  const { Client } = createRequire(join(repoDir, 'packages/db/package.json'))('pg');
  return new Client({ connectionString: url });
}

async function withClient(ctx, url, work) {
  const client = pgClient(ctx.repoDir, url);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function startEmbedded(ctx, { dataDir, port, quiet }) {
  const { supervisor, repoDir } = ctx;
  await mkdir(dataDir, { recursive: true });
  const runner = join(repoDir, 'scripts/lib/embedded-postgres-server.mjs');
  const handle = supervisor.start('postgres', process.execPath, [runner, JSON.stringify({ dataDir, port, quiet })]);
  const adminUrl = embeddedServerUrl(port);
  await waitUntil(
    `embedded PostgreSQL on port ${port}`,
    () => withClient(ctx, adminUrl, (client) => client.query('select 1')).then(() => true),
    { isAlive: handle.isRunning, intervalMs: 500 },
  );
  return adminUrl;
}

/**
 * From source through tsx, or, when `compiled` is given (a promise of the build), with the compiled
 * migration CLI once that build is done.
 */
async function migrate(ctx, url, compiled) {
  let args = ['--import', 'tsx', SERVER_ENTRIES.migrate];
  if (compiled) {
    await compiled;
    args = [compiledEntry('migrate')];
  }
  await ctx.supervisor.run('migrate', process.execPath, args, { env: { ...ctx.env, DATABASE_URL: url } });
}

/** `npm start`: DATABASE_URL as given, or the persistent embedded cluster under .data/postgres. */
export async function provideAppDatabase(ctx, { pgPort, compiledMigrations }) {
  let url = ctx.env.DATABASE_URL;
  if (url) {
    ctx.log.info('PostgreSQL: using DATABASE_URL');
  } else {
    const adminUrl = await startEmbedded(ctx, { dataDir: join(ctx.repoDir, '.data/postgres'), port: pgPort });
    await withClient(ctx, adminUrl, async (client) => {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [APP_DATABASE]);
      if (rowCount === 0) await client.query(`create database ${client.escapeIdentifier(APP_DATABASE)}`);
    });
    url = withDatabase(adminUrl, APP_DATABASE);
    ctx.log.info(`PostgreSQL: embedded, data in .data/postgres, port ${pgPort}`);
  }
  await migrate(ctx, url, compiledMigrations);
  return { url };
}

/**
 * `npm test` / bench: a migrated template database plus a copy of it, both dropped afterwards.
 * Tests that need a pristine database of their own clone the template, which is far faster than
 * migrating again; that is why no connection may stay open on it.
 */
export async function provideThrowawayDatabase(ctx, { tempDir, port }) {
  const serverUrl = ctx.env.DATABASE_URL
    ? withDatabase(ctx.env.DATABASE_URL, 'postgres')
    : await startEmbedded(ctx, { dataDir: join(tempDir, 'postgres'), port, quiet: true });
  const name = `catalog_test_${randomBytes(4).toString('hex')}`;
  const template = `${name}_tpl`;
  const admin = (work) => withClient(ctx, serverUrl, work);
  // Clones tests made from the template share the run's prefix, so one left behind by a failed test goes too.
  const dropAll = () =>
    admin(async (client) => {
      const { rows } = await client.query(
        'select datname from pg_database where datname = $1 or starts_with(datname, $2) order by datname = $3',
        [name, `${name}_`, template],
      );
      for (const { datname } of rows) {
        await client.query(`drop database if exists ${client.escapeIdentifier(datname)} with (force)`);
      }
    });
  await admin((client) => client.query(`create database ${client.escapeIdentifier(template)}`));
  ctx.cleanup.defer('test databases', dropAll);
  await migrate(ctx, withDatabase(serverUrl, template));
  await admin((client) =>
    client.query(`create database ${client.escapeIdentifier(name)} template ${client.escapeIdentifier(template)}`),
  );
  ctx.log.info(`PostgreSQL: ${ctx.env.DATABASE_URL ? 'DATABASE_URL server' : 'embedded'}, database ${name}`);
  return { url: withDatabase(serverUrl, name), template, adminUrl: serverUrl };
}
