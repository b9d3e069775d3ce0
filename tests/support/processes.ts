import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { compiledCommand, compiledEntry } from '../../scripts/lib/server-build.mjs';

const root = path.resolve(import.meta.dirname, '../..');

export type AppProcess = {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first stdout line (past or future) that `matches`; rejects if the process exits first. */
  waitForLine: (matches: (line: string) => boolean) => Promise<string>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
};

/**
 * The compiled API or worker (`npm test` builds dist/ first), as `npm start` and production run
 * it, with stdout kept for the test to read.
 */
export function spawnEntry(name: 'api' | 'worker', env: Record<string, string | undefined>): AppProcess {
  const entry = compiledEntry(name);
  const child = spawn(process.execPath, compiledCommand(name), {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!child.stdout) throw new Error('stdout is piped');
  const lines: string[] = [];
  const waiters = new Set<{ matches: (line: string) => boolean; resolve: (line: string) => void }>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters) {
      if (waiter.matches(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitForLine = (matches: (line: string) => boolean) => {
    const seen = lines.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return Promise.race([
      new Promise<string>((resolve) => waiters.add({ matches, resolve })),
      exited.then((code) => {
        throw new Error(`${entry} exited (${code}) before the expected line; stdout:\n${lines.join('\n')}`);
      }),
    ]);
  };
  return { child, lines, waitForLine, exited };
}

/** A TCP port free right now on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
