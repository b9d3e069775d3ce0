import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';

const CHECK_TIMEOUT_MS = 2_000;

export type WorkerHealthOptions = {
  host: string;
  /** 0 picks a free port; `port` on the result says which. */
  port: number;
  /** Each resolves when its part is up; /health/ready is 503 naming every one that throws. */
  checks: Record<string, () => Promise<void>>;
  /** The SDK's own Prometheus endpoint (task slots, pollers, latencies), appended to /metrics. */
  sdkMetricsUrl: string;
};

export type WorkerHealth = {
  port: number;
  /** Readiness answers 503 from now on, so traffic and rollouts stop counting on this worker. */
  beginShutdown: () => void;
  close: () => Promise<void>;
};

/**
 * The worker's probe and scrape port: /health/live, /health/ready and /metrics (this process's
 * default metrics followed by the SDK's, so one scrape target covers both).
 */
export async function startWorkerHealth(options: WorkerHealthOptions): Promise<WorkerHealth> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let stopping = false;

  const ready = async (response: ServerResponse) => {
    const results = await Promise.all(
      Object.entries(options.checks).map(async ([name, run]) => {
        try {
          await withTimeout(run(), CHECK_TIMEOUT_MS, name);
          return null;
        } catch {
          return name;
        }
      }),
    );
    const down = results.filter((name) => name !== null);
    const status = stopping ? 'stopping' : down.length ? 'unavailable' : 'ready';
    json(response, status === 'ready' ? 200 : 503, { status, down });
  };

  const metrics = async (response: ServerResponse) => {
    const sdk = await fetch(options.sdkMetricsUrl, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    if (!sdk.ok) throw new Error(`SDK metrics answered ${sdk.status}`);
    const body = `${await registry.metrics()}\n${await sdk.text()}`;
    response.writeHead(200, { 'content-type': registry.contentType }).end(body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET') return json(response, 405, { error: 'method not allowed' });
    if (request.url === '/health/live') return json(response, 200, { status: 'ok' });
    if (request.url === '/health/ready') return ready(response);
    if (request.url === '/metrics') return metrics(response);
    return json(response, 404, { error: 'not found' });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      json(response, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    beginShutdown: () => {
      stopping = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A loopback port free right now, for the SDK's Prometheus exporter: it needs a fixed address and
 * cannot report one it picked itself. Only this process scrapes it, through /metrics.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
