import type { Config } from '@catalog/domain';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../logger';

export type WindowLimit = {
  /** Redis keys start with it, so each limit counts on its own. */
  name: string;
  points: number;
  windowSeconds: number;
};

/** Makes fixed-window counters: in Redis when the app has it (shared by every API process), else in memory. */
export type LimiterStore = {
  window: (limit: WindowLimit) => RateLimiterAbstract;
  close: () => Promise<void>;
};

export function createLimiterStore(config: Pick<Config, 'REDIS_URL'>, logger: Logger): LimiterStore {
  if (!config.REDIS_URL) {
    logger.info('REDIS_URL is not set: sign-in and upload limits count in this API process only');
    return {
      window: ({ name, points, windowSeconds }) =>
        new RateLimiterMemory({ keyPrefix: `limit:${name}`, points, duration: windowSeconds }),
      close: async () => undefined,
    };
  }
  // The counters' own connection: the bus's may be busy subscribing. Commands fail fast while Redis
  // is down (no offline queue), and the in-memory insurance limiter counts meanwhile, so a Redis
  // outage never opens the limits nor refuses every request.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis connection error (limits)'));
  return {
    window: ({ name, points, windowSeconds }) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `limit:${name}`,
        points,
        duration: windowSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `limit:${name}`, points, duration: windowSeconds }),
      }),
    close: async () => {
      redis.disconnect();
    },
  };
}
