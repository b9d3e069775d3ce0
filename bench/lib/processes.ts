import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { compiledCommand } from '../../scripts/lib/server-build.mjs';
import { type Api, apiAs } from '../../tests/support/api';
import { apiKeyInDatabase } from '../../tests/support/api-keys';
import { signIn } from '../../tests/support/auth';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Starts the compiled API or worker (dist/, which the bench launcher builds first) as its own
 * process, as `npm start` and production do: memory and speed are measured on what ships.
 */
export function startProcess(name: 'api' | 'worker', env: Record<string, string | undefined>): ChildProcess {
  // BENCH_CPU_PROF=<dir>: V8 CPU profiles of each process, written as it exits (open in Chrome DevTools).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return spawn(process.execPath, [...prof, ...compiledCommand(name)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Peak resident set size of a live process, in MB (Linux VmHWM). */
export function peakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export type AppProcesses = {
  baseUrl: string;
  /** The API called with an admin API key, as an integrator would (made as `npm run apikey` does). */
  admin: Api;
  /** The API called with the first admin's session cookie, as the web app would. */
  adminSession: Api;
  api: ChildProcess;
  worker: ChildProcess;
  stop: () => void;
};

// The first admin the API creates on its first start, from ADMIN_EMAIL / ADMIN_PASSWORD.
const FIRST_ADMIN = { email: 'bench-admin@example.test', password: `bench-${randomUUID()}` };

/**
 * The real API and worker as their own processes (as `npm start` runs them), on a free port, a
 * task queue of their own and `databaseUrl` (which has no user yet), with uploads under `workDir`.
 * Resolves once the API answers, with an admin key and an admin session to call it with.
 */
export async function startApp(
  databaseUrl: string,
  workDir: string,
  env: Record<string, string> = {},
): Promise<AppProcesses> {
  const port = await freePort();
  const processEnv = {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
    // Used when UPLOAD_STORE=fs (the default); the store creates the folder on the first upload.
    UPLOAD_DIR: path.join(workDir, 'uploads'),
    UPLOAD_MAX_BYTES: String(64 * 1024 ** 3),
    // A 5M-row catalog is about 2.6 GB, over a user's default hourly upload allowance.
    UPLOAD_BYTES_PER_HOUR_PER_USER: String(64 * 1024 ** 3),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    WORKER_HEALTH_PORT: '0',
    ADMIN_EMAIL: FIRST_ADMIN.email,
    ADMIN_PASSWORD: FIRST_ADMIN.password,
    ...env,
  };
  const api = startProcess('api', processEnv);
  const worker = startProcess('worker', processEnv);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => {
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
  };
  try {
    await waitForHttp(`${baseUrl}/health/live`);
    const admin = apiAs(baseUrl, await apiKeyInDatabase(databaseUrl, 'admin'));
    const adminSession = apiAs(baseUrl, { cookie: await signIn(baseUrl, FIRST_ADMIN.email, FIRST_ADMIN.password) });
    return { baseUrl, admin, adminSession, api, worker, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
