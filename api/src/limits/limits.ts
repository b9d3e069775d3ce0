import { openStreamingPool } from '@catalog/db';
import type { Config } from '@catalog/domain';
import type { Logger } from '../logger';
import { type ConcurrencyGate, createConcurrencyGate } from './concurrency-gate';
import { createLimiterStore } from './limiter-store';
import { createSignInLimits, type SignInLimits } from './sign-in-limits';
import { createStreamingSlots, type StreamingSlots } from './streaming-slots';
import { createUploadLimits, type UploadLimits } from './upload-limits';

const DOWNLOAD_BACKSTOP_MS = 30_000;

/** What keeps one client from taking the API from the others; created once at start (see deps.ts). */
export type Limits = {
  signIn: SignInLimits;
  uploads: UploadLimits;
  eventStreams: ConcurrencyGate;
  downloads: StreamingSlots;
};

export function createLimits(config: Config, logger: Logger): Limits & { close: () => Promise<void> } {
  const store = createLimiterStore(config, logger);
  const downloadPool = openStreamingPool({
    databaseUrl: config.DATABASE_URL,
    size: config.EXPORT_POOL_SIZE,
    // A download's transaction is idle while its reader is slow: bounded by the download's deadline,
    // with PostgreSQL's own limit a little later only as a backstop.
    timeouts: {
      statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: config.EXPORT_TIMEOUT_MS + DOWNLOAD_BACKSTOP_MS,
    },
  });
  return {
    signIn: createSignInLimits(store, config),
    uploads: createUploadLimits(store, config),
    eventStreams: createConcurrencyGate(config.SSE_STREAMS_PER_USER),
    downloads: createStreamingSlots(downloadPool, config),
    close: async () => {
      await Promise.allSettled([store.close(), downloadPool.end()]);
    },
  };
}
