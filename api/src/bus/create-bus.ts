import type { Config } from '@catalog/domain';
import type { Logger } from '../logger';
import type { EventBus } from './event-bus';
import { createMemoryBus } from './memory-bus';
import { createRedisBus } from './redis-bus';

export function createBus(config: Pick<Config, 'REDIS_URL'>, logger: Logger): EventBus {
  if (config.REDIS_URL) return createRedisBus(config.REDIS_URL, logger);
  logger.warn('REDIS_URL is not set: using an in-process event bus, which serves a single API process only');
  return createMemoryBus();
}
