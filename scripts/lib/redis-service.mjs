import { createConnection } from 'node:net';
import { waitUntil } from './ports.mjs';
import { findOnPath } from './which.mjs';

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(2000, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/**
 * REDIS_URL if set, else a redis-server from PATH, else nothing: the api then falls back to its
 * in-process bus. The launched server keeps no data on disk because the bus only carries
 * transient fan-out (progress snapshots, change notifications).
 */
export async function provideRedis(ctx, { port }) {
  if (ctx.env.REDIS_URL) {
    ctx.log.info('Redis: using REDIS_URL');
    return ctx.env.REDIS_URL;
  }
  const redisServer = findOnPath('redis-server', ctx.env.PATH);
  if (!redisServer) {
    ctx.log.info('Redis: no REDIS_URL and no redis-server on PATH; the api uses its in-process bus (single node only)');
    return undefined;
  }
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const handle = ctx.supervisor.start('redis', redisServer, [...args, '--loglevel', 'warning']);
  await waitUntil(`redis-server on port ${port}`, () => answersPing(port), { isAlive: handle.isRunning });
  ctx.log.info(`Redis: redis-server on port ${port}`);
  return `redis://127.0.0.1:${port}`;
}
