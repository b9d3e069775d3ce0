import { createServer, type Server } from 'node:http';
import type { Config } from '@catalog/domain';
import type Koa from 'koa';

type ServerLimits = Pick<Config, 'REQUEST_TIMEOUT_MS' | 'UPLOAD_TIMEOUT_MS'>;

/**
 * The Node server around the app, with its socket-level limits: headers must arrive within
 * REQUEST_TIMEOUT_MS (slow-header clients cannot hold sockets) and a whole request within
 * UPLOAD_TIMEOUT_MS, the longest any route reads a body. Per-route deadlines are the app's
 * (limits/deadline.ts); event streams are responses, which these limits do not time.
 */
export function createHttpServer(app: Koa, config: ServerLimits): Server {
  const server = createServer(app.callback());
  applyServerLimits(server, config);
  return server;
}

/** The same limits on a server made elsewhere (tests listen before the app exists, to know their port). */
export function applyServerLimits(server: Server, config: ServerLimits): void {
  server.requestTimeout = config.UPLOAD_TIMEOUT_MS;
  server.headersTimeout = Math.min(config.REQUEST_TIMEOUT_MS, config.UPLOAD_TIMEOUT_MS);
}
