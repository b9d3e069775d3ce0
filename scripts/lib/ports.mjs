import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

function listenOnAnyPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Ports the OS considers free right now, all different: each is held until all are picked. Test
 * runs take their ports this way so they never collide with `npm start` or with each other.
 */
export async function freePorts(count) {
  const servers = [];
  for (let i = 0; i < count; i += 1) servers.push(await listenOnAnyPort());
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.on('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Fails before anything starts, naming the variable that moves the port. */
export async function assertPortsFree(entries) {
  for (const { port, variable, what } of entries) {
    if (!(await isPortFree(port))) {
      throw new Error(
        `Port ${port} for ${what} is already in use (another npm start still running?). ` +
          `Stop that process or set ${variable} to another port.`,
      );
    }
  }
}

function connects(port, host) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls until `probe` resolves truthy; `isAlive` lets a crashed server fail the wait at once. */
export async function waitUntil(what, probe, { timeoutMs = 120_000, intervalMs = 250, isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error(`${what}: the process exited while starting`);
    if (await probe().catch(() => false)) return;
    await sleep(intervalMs);
  }
  throw new Error(`${what} did not become ready within ${Math.round(timeoutMs / 1000)}s`);
}

export function waitForPort(what, port, options = {}) {
  return waitUntil(what, () => connects(port, options.host ?? '127.0.0.1'), options);
}
