import { once } from 'node:events';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';

type ShutdownOptions = {
  server: Server;
  lifecycle: Lifecycle;
  logger: Logger;
  /** Readiness reads 503 this long while connections are still accepted (load balancers catch up). */
  delayMs: number;
  /** In-flight requests get this long to finish; whatever is left then is cut. */
  timeoutMs: number;
  closeDependencies: () => Promise<void>;
};

/**
 * The API's SIGTERM path, in order: readiness 503 and SSE streams told to end (drain), stop
 * accepting, let in-flight requests (uploads included) finish up to the deadline, then close the
 * dependencies they were using.
 */
export async function shutDownGracefully(options: ShutdownOptions): Promise<void> {
  const { server, lifecycle, logger, delayMs, timeoutMs } = options;
  lifecycle.drain();
  if (delayMs > 0) await sleep(delayMs);
  const closed = once(server, 'close');
  // Stops accepting; idle keep-alive connections close now, busy ones after their response.
  server.close();
  server.closeIdleConnections();
  const deadline = setTimeout(() => {
    logger.warn({ timeoutMs }, 'requests still in flight at the shutdown deadline: closing their connections');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearTimeout(deadline);
  await options.closeDependencies();
}
