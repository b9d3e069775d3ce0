import type { Readable } from 'node:stream';
import type { Config } from '@catalog/domain';
import { errors } from '@catalog/domain';
import type { Context } from 'koa';
import type { Pool } from 'pg';
import { createConcurrencyGate } from './concurrency-gate';

/** A download slot frees when a download ends; a few seconds is a fair guess. */
const BUSY_RETRY_AFTER_SECONDS = 5;

export type StreamingSlots = {
  /**
   * Starts a download (CSV export, error report) on the streaming pool: one slot per connection,
   * so it never queues — with every slot taken the answer is 503 with Retry-After. The stream ends
   * with an error after EXPORT_TIMEOUT_MS, and with the response in any case, giving back its connection.
   */
  open: (ctx: Context, start: (pool: Pool) => Readable | Promise<Readable>) => Promise<Readable>;
};

export function createStreamingSlots(pool: Pool, config: Pick<Config, 'EXPORT_POOL_SIZE' | 'EXPORT_TIMEOUT_MS'>) {
  const gate = createConcurrencyGate(config.EXPORT_POOL_SIZE);
  const slots: StreamingSlots = {
    async open(ctx, start) {
      const release = gate.tryAcquire('downloads');
      if (!release) {
        throw errors.unavailable(
          `Every download slot is busy (${gate.limit} exports or error reports are streaming); try again shortly`,
          { slots: gate.limit },
          BUSY_RETRY_AFTER_SECONDS,
        );
      }
      let stream: Readable;
      try {
        stream = await start(pool);
      } catch (error: unknown) {
        release();
        throw error;
      }
      const deadline = setTimeout(() => {
        stream.destroy(new Error(`The download was still streaming after ${config.EXPORT_TIMEOUT_MS / 1000} s`));
      }, config.EXPORT_TIMEOUT_MS);
      stream.once('close', () => {
        clearTimeout(deadline);
        release();
      });
      // Should the response end before the stream is piped into it (an answer already sent), the
      // stream would hold its connection forever.
      ctx.res.once('close', () => stream.destroy());
      return stream;
    },
  };
  return slots;
}
