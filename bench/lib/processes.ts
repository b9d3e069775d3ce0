import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { compiledCommand } from '../../scripts/lib/server-build.mjs';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Starts the compiled API or worker (dist/, which the bench launcher builds first) as its own
 * process, as `npm start` and production do: memory and speed are measured on what ships.
 */
export function startProcess(name: 'api' | 'worker', env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, compiledCommand(name), {
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

export type AppProcesses = { baseUrl: string; api: ChildProcess; worker: ChildProcess; stop: () => void };

/**
 * The real API and worker as their own processes (as `npm start` runs them), on a free port, a
 * task queue of their own and `databaseUrl`, with uploads under `workDir`. Resolves once the API
 * answers.
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
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    WORKER_HEALTH_PORT: '0',
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
  } catch (error) {
    stop();
    throw error;
  }
  return { baseUrl, api, worker, stop };
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
