import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appPorts, loadTemporalSettings, validateAppConfig } from './launcher-config.mjs';
import { npmCommand } from './npm.mjs';
import { assertPortsFree, waitForPort } from './ports.mjs';
import { provideAppDatabase } from './postgres-service.mjs';
import { embeddedServerUrl, withDatabase } from './postgres-urls.mjs';
import { waitForReady } from './readiness.mjs';
import { provideRedis } from './redis-service.mjs';
import { devSecretsKey } from './secrets-key.mjs';
import { buildServer, compiledCommand, isServerBuildStale, SERVER_ENTRIES } from './server-build.mjs';
import { settleAll } from './settle.mjs';
import { obtainTemporalBinary, startTemporalServer } from './temporal-service.mjs';
import { buildWeb, webDistDir } from './web-build.mjs';

/** The processes' TypeScript entry points (`npm run dev`); `npm start` runs their compiled output. */
const SOURCE_ENTRIES = { api: SERVER_ENTRIES.api, worker: SERVER_ENTRIES.worker };

async function provideTemporal(ctx, { bin, settings, ports }) {
  const namespace = ctx.env.TEMPORAL_NAMESPACE || settings.namespace;
  if (!bin) {
    ctx.log.info('Temporal: using TEMPORAL_ADDRESS');
    return { address: ctx.env.TEMPORAL_ADDRESS, namespace, uiUrl: ctx.env.TEMPORAL_UI_URL };
  }
  const server = await startTemporalServer(ctx, {
    bin,
    settings,
    namespace,
    port: ports.temporal,
    uiPort: ports.temporalUi,
    persistent: true,
  });
  ctx.log.info(`Temporal: dev server on ${server.address}, state in ${settings.dbFile}`);
  return { ...server, namespace, uiUrl: ctx.env.TEMPORAL_UI_URL || server.uiUrl };
}

/** The ports this run would bind, checked up front so a clash is one clear line, not a crash halfway. */
function portsToBind(env, ports, dev) {
  const wanted = [{ port: ports.api, variable: 'PORT', what: 'the api' }];
  if (dev) wanted.push({ port: ports.webDev, variable: 'WEB_DEV_PORT', what: 'the Vite dev server' });
  if (!env.DATABASE_URL) wanted.push({ port: ports.postgres, variable: 'EMBEDDED_PG_PORT', what: 'PostgreSQL' });
  if (!env.TEMPORAL_ADDRESS) {
    wanted.push({ port: ports.temporal, variable: 'TEMPORAL_PORT', what: 'Temporal' });
    wanted.push({ port: ports.temporalUi, variable: 'TEMPORAL_UI_PORT', what: 'the Temporal UI' });
  }
  if (!env.REDIS_URL) wanted.push({ port: ports.redis, variable: 'EMBEDDED_REDIS_PORT', what: 'Redis' });
  return wanted;
}

function startNodeProcess(ctx, name, env, dev) {
  const args = dev
    ? [fileURLToPath(import.meta.resolve('tsx/cli')), 'watch', '--clear-screen=false', SOURCE_ENTRIES[name]]
    : compiledCommand(name);
  if (!existsSync(join(ctx.repoDir, args.at(-1))))
    throw new Error(`${args.at(-1)} does not exist: cannot start the ${name}`);
  return ctx.supervisor.start(name, process.execPath, args, { env });
}

/** `npm start` runs the production build, rebuilt first when a source is newer than it. */
async function ensureServerBuild(ctx) {
  if (!isServerBuildStale(ctx.repoDir)) return;
  ctx.log.info('building the api and the worker (npm run build; sources are newer than dist/)');
  await buildServer({
    repoDir: ctx.repoDir,
    run: (name, command, args) => ctx.supervisor.run(name, command, args),
    log: ctx.log.info,
  });
}

function printUrls(urls) {
  const rows = Object.entries(urls).map(([name, url]) => `  ${name.padEnd(12)} ${url}`);
  process.stdout.write(`\nCatalog Importer is up\n${rows.join('\n')}\n  Ctrl-C stops everything.\n\n`);
}

/** Where the api keeps the first admin's generated password (ADMIN_CREDENTIALS_FILE, or under .data/). */
function adminCredentialsFile(ctx) {
  const file = ctx.env.ADMIN_CREDENTIALS_FILE || '.data/admin-credentials.txt';
  return isAbsolute(file) ? file : join(ctx.repoDir, file);
}

/** The first admin's sign-in, when the api generated it during this run: shown once, beside the URLs. */
function firstAdminSignIn(ctx, file, startedAt) {
  if (!existsSync(file) || statSync(file).mtimeMs < startedAt) return undefined;
  const field = (name) => readFileSync(file, 'utf8').match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1];
  return `${field('email')} / ${field('password')} (kept in ${relative(ctx.repoDir, file)}; change it after signing in)`;
}

/** `npm start` (built UI served by the api) and `npm run dev` (Vite, tsx watch). Runs until stopped. */
export async function runApp(ctx, { dev }) {
  const settings = await loadTemporalSettings(ctx.repoDir);
  const ports = appPorts(ctx.env, settings);
  const secretsKey = devSecretsKey(ctx.repoDir, ctx.env);
  await validateAppConfig(ctx.repoDir, {
    ...ctx.env,
    ...(secretsKey ? { SECRETS_KEY: secretsKey } : {}),
    DATABASE_URL: ctx.env.DATABASE_URL || withDatabase(embeddedServerUrl(ports.postgres), 'catalog'),
  });
  await assertPortsFree(portsToBind(ctx.env, ports, dev));
  // Before any server starts: without a way to get the CLI there is nothing to start.
  const temporalBin = ctx.env.TEMPORAL_ADDRESS ? undefined : await obtainTemporalBinary(ctx);

  const serverBuild = dev ? undefined : ensureServerBuild(ctx);
  const [database, temporal, redisUrl] = await settleAll([
    provideAppDatabase(ctx, { pgPort: ports.postgres, compiledMigrations: serverBuild }),
    provideTemporal(ctx, { bin: temporalBin, settings, ports }),
    provideRedis(ctx, { port: ports.redis }),
    dev ? undefined : buildWeb(ctx, { always: false }),
    serverBuild,
  ]);

  const startedAt = Date.now();
  const credentialsFile = adminCredentialsFile(ctx);
  const env = {
    ...ctx.env,
    ADMIN_CREDENTIALS_FILE: credentialsFile,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    WEB_DIST_DIR: webDistDir(ctx.repoDir),
    ...(secretsKey ? { SECRETS_KEY: secretsKey } : {}),
    ...(temporal.uiUrl ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  startNodeProcess(ctx, 'worker', env, dev);
  const api = startNodeProcess(ctx, 'api', env, dev);
  let appUrl = `http://localhost:${ports.api}`;
  if (dev) {
    const [command, args] = npmCommand(env, [
      'run',
      'dev',
      '-w',
      'web',
      '--',
      '--host',
      '127.0.0.1',
      '--port',
      String(ports.webDev),
      '--strictPort',
    ]);
    const vite = ctx.supervisor.start('vite', command, args, { env: { ...env, API_PORT: String(ports.api) } });
    await waitForPort('the Vite dev server', ports.webDev, { isAlive: vite.isRunning });
    appUrl = `http://localhost:${ports.webDev}`;
  }
  await waitForReady(`http://127.0.0.1:${ports.api}/health/ready`, { isAlive: api.isRunning });
  const adminSignIn = firstAdminSignIn(ctx, credentialsFile, startedAt);
  printUrls({
    App: appUrl,
    ...(adminSignIn ? { Admin: adminSignIn } : {}),
    'API docs': `${appUrl}/api/docs`,
    'Temporal UI': temporal.uiUrl ?? 'set TEMPORAL_UI_URL to link the UI of your Temporal server',
  });
  return new Promise(() => {});
}
