import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { Lifecycle } from '../lifecycle';

const KEEPALIVE_MS = 15_000;

export type SseStream = {
  send: (event: string, data: unknown, id?: string | number) => void;
  close: () => void;
  onClose: (handler: () => void) => void;
};

/** The last event of a stream the server ends because it is shutting down; clients reconnect. */
export const SHUTDOWN_EVENT = 'shutdown';

/**
 * Turns the response into a Server-Sent Events stream. The stream is Koa's body, so Koa ends it
 * when the client goes away; `onClose` handlers run exactly once either way. When the process
 * starts draining, the stream gets a final `shutdown` event and ends, so shutdown never waits on it.
 */
export function openSse(ctx: Context, lifecycle: Lifecycle): SseStream {
  const stream = new PassThrough();
  const closeHandlers: (() => void)[] = [];
  let closed = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    stopWatchingDrain();
    for (const handler of closeHandlers) handler();
    stream.end();
  };

  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  ctx.status = 200;
  ctx.body = stream;
  stream.write('retry: 2000\n\n');
  const keepalive = setInterval(() => stream.write(': keepalive\n\n'), KEEPALIVE_MS);
  ctx.req.on('close', finish);
  stream.on('close', finish);
  const stopWatchingDrain = lifecycle.onDrain(() => {
    stream.write(
      `event: ${SHUTDOWN_EVENT}\ndata: ${JSON.stringify({ reason: 'The server is restarting; reconnect.' })}\n\n`,
    );
    finish();
  });

  return {
    send: (event, data, id) => {
      if (closed) return;
      const idLine = id === undefined ? '' : `id: ${id}\n`;
      stream.write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close: finish,
    onClose: (handler) => {
      if (closed) handler();
      else closeHandlers.push(handler);
    },
  };
}
