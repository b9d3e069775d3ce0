import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { compiledCommand } from '../scripts/lib/server-build.mjs';
import { type Api, apiAs } from './support/api';
import { signIn } from './support/auth';
import { isolatedDatabase } from './support/database';
import { finalEvent, generatedCsv, getImport, pollUntil, startImport } from './support/imports';

/**
 * What an operator runs: the compiled build (`npm run build`) started as its own processes, the
 * API's SIGTERM path, and `npm start` bringing a killed worker back by itself.
 */
const repoDir = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

type Processes = { children: ChildProcess[]; output: string[] };

function startProcess(procs: Processes, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: repoDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk) => procs.output.push(String(chunk)));
  procs.children.push(child);
  return child;
}

async function stopAll(procs: Processes): Promise<void> {
  await Promise.all(
    procs.children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map(async (child) => {
        const exited = once(child, 'exit');
        child.kill('SIGINT');
        await exited;
      }),
  );
}

async function waitForReady(baseUrl: string, child: ChildProcess, procs: Processes): Promise<void> {
  await pollUntil(
    `${baseUrl}/health/ready`,
    async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${procs.output.join('')}`);
      return fetch(`${baseUrl}/health/ready`).then(
        (response) => response.status,
        () => 0,
      );
    },
    (status) => status === 200,
    180_000,
  );
}

async function catalogOf(databaseUrl: string, prefix: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: number; stale: number }>(
      `select count(*)::int as total, count(*) filter (where name not like '% new')::int as stale
       from products where sku like $1`,
      [`${prefix}-%`],
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

// The first admin the API creates at its first start (the database has no user yet), as an operator sets it.
const ADMIN = { email: 'owner@example.test', password: `pw-${process.pid}-production-test` };

/** Signs in as the first admin, as a person at the browser would: the API has no key yet. */
async function signedInAdmin(baseUrl: string): Promise<Api> {
  return apiAs(baseUrl, { cookie: await signIn(baseUrl, ADMIN.email, ADMIN.password) });
}

/** The environment of one app instance: a database of its own, the test run's Temporal and Redis. */
async function appEnv(databaseUrl: string, uploadDir: string) {
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    WORKER_HEALTH_PORT: String(await freePort()),
    EMBEDDED_REDIS_PORT: String(await freePort()),
    TEMPORAL_TASK_QUEUE: `production-${port}`,
    UPLOAD_STORE: 'fs',
    UPLOAD_DIR: uploadDir,
    IMPORT_CHUNK_ROWS: '1000',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
  return { env, baseUrl: `http://127.0.0.1:${port}` };
}

let database: Awaited<ReturnType<typeof isolatedDatabase>>;
let uploadDir: string;

// The build under test is the one `npm test` made before running the tests (dist/, as `npm run build` makes it).
before(async () => {
  database = await isolatedDatabase();
  uploadDir = await mkdtemp(path.join(tmpdir(), 'catalog-production-'));
});

after(async () => {
  await database?.drop();
  await rm(uploadDir, { recursive: true, force: true });
});

describe('the compiled build', () => {
  const procs: Processes = { children: [], output: [] };
  let baseUrl: string;
  let api: ChildProcess;
  let admin: Api;

  before(async () => {
    const app = await appEnv(database.url, uploadDir);
    baseUrl = app.baseUrl;
    execFileSync(process.execPath, ['dist/migrate/main.js'], { cwd: repoDir, env: { ...process.env, ...app.env } });
    startProcess(procs, compiledCommand('worker'), app.env);
    // Long enough to see readiness turn 503 before the listener closes.
    api = startProcess(procs, compiledCommand('api'), { ...app.env, SHUTDOWN_DELAY_MS: '1000' });
    await waitForReady(baseUrl, api, procs);
    admin = await signedInAdmin(baseUrl);
  });
  after(() => stopAll(procs));

  it('is closed until signed in: the first admin from ADMIN_EMAIL / ADMIN_PASSWORD signs in', async () => {
    for (const path of ['/api/products', '/api/imports', '/metrics']) {
      assert.equal((await fetch(`${baseUrl}${path}`)).status, 401, path);
    }
    assert.equal((await admin.fetch('/api/auth/me')).status, 200);
  });

  it('runs on the pinned Node 24 and imports a file', async () => {
    const metrics = await (await admin.fetch('/metrics')).text();
    assert.match(metrics, /nodejs_version_info\{version="v24\./);
    const jobId = await startImport(admin, generatedCsv('compiled', 500, 'new'));
    const final = await finalEvent(admin, jobId);
    assert.equal(final.event, 'completed', JSON.stringify(final.data.error));
    assert.deepEqual(await catalogOf(database.url, 'compiled'), { total: 500, stale: 0 });
  });

  it('on SIGTERM turns unready, ends SSE streams with a final event, finishes an in-flight upload, exits 0', async () => {
    const stream = await admin.fetch('/api/products/events');
    assert.equal(stream.status, 200);
    const streamText = stream.text();

    const boundary = 'catalogboundary';
    const upload = request(`${baseUrl}/api/imports`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    const answered = once(upload, 'response');
    upload.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="late.csv"\r\n`);
    upload.write('Content-Type: text/csv\r\n\r\nsku,name\r\n');
    upload.flushHeaders();
    await sleep(200);

    api.kill('SIGTERM');
    const readiness = await pollUntil(
      'readiness to turn 503',
      () => fetch(`${baseUrl}/health/ready`).then((response) => response.status),
      (status) => status !== 200,
    );
    assert.equal(readiness, 503);
    assert.match(await streamText, /event: shutdown\n/);
    // The listener closes after the delay; the upload started before it still completes.
    await pollUntil(
      'the api to stop accepting connections',
      () =>
        fetch(`${baseUrl}/health/live`).then(
          () => 'accepting',
          () => 'refused',
        ),
      (state) => state === 'refused',
    );
    upload.end(`late-1,Late item new\r\n\r\n--${boundary}--\r\n`);
    const [response] = (await answered) as [import('node:http').IncomingMessage];
    assert.equal(response.statusCode, 202);
    response.resume();
    const [code] = await once(api, 'exit');
    assert.equal(code, 0);
  });
});

describe('npm start', () => {
  const procs: Processes = { children: [], output: [] };

  after(() => stopAll(procs));

  it('restarts a worker killed with SIGKILL mid-import, and the import completes with the exact catalog', async () => {
    const app = await appEnv(database.url, uploadDir);
    const launcher = startProcess(procs, ['scripts/start.mjs'], app.env);
    await waitForReady(app.baseUrl, launcher, procs);
    const admin = await signedInAdmin(app.baseUrl);
    const rows = 40_000;
    const jobId = await startImport(admin, generatedCsv('restarted', rows, 'new'));
    const midway = await pollUntil(
      'the import to start applying',
      () => getImport(admin, jobId),
      (summary) =>
        (summary.progress?.rowsApplied ?? 0) > 0 || (summary.status !== 'running' && summary.status !== 'queued'),
      120_000,
    );
    assert.equal(midway.status, 'running', 'the worker is killed while the import applies');

    const workerPid = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(launcher.pid)], { encoding: 'utf8' })
      .split('\n')
      .find((line) => line.includes('dist/worker/main.js'))
      ?.trim()
      .split(/\s+/)[0];
    assert.ok(workerPid, `no worker process under the launcher:\n${procs.output.join('')}`);
    process.kill(Number(workerPid), 'SIGKILL');

    const final = await finalEvent(admin, jobId);
    assert.equal(final.event, 'completed', JSON.stringify(final.data.error));
    assert.deepEqual(await catalogOf(database.url, 'restarted'), { total: rows, stale: 0 });
    assert.match(procs.output.join(''), /worker was killed by SIGKILL; restarting it in/);

    const exited = once(launcher, 'exit');
    launcher.kill('SIGINT');
    assert.deepEqual(await exited, [0, null]);
  });
});
