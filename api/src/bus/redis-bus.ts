import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { withTimeout } from '../util/with-timeout';
import type { EventBus } from './event-bus';

/** Renews the lease only if we still own it, in one atomic step. */
const LEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

export function createRedisBus(url: string, logger: Logger): EventBus {
  // Commands fail fast while Redis is down instead of queueing forever; both connections keep retrying.
  const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false } as const;
  const commands = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
  const handlers = new Map<string, Set<(message: string) => void>>();
  for (const connection of [commands, subscriber]) {
    connection.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis connection error'));
  }
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });

  return {
    kind: 'redis',
    publish: async (channel, message) => {
      await commands.publish(channel, message);
    },
    subscribe: async (channel, onMessage) => {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await subscriber.subscribe(channel);
      }
      set.add(onMessage);
      return async () => {
        const current = handlers.get(channel);
        current?.delete(onMessage);
        if (current && current.size === 0) {
          handlers.delete(channel);
          await subscriber.unsubscribe(channel).catch(() => undefined);
        }
      };
    },
    lease: async (key, owner, ttlMs) => (await commands.eval(LEASE_SCRIPT, 1, key, owner, String(ttlMs))) === 1,
    ping: async (timeoutMs) => {
      await withTimeout(commands.ping(), timeoutMs, 'Redis');
    },
    close: async () => {
      subscriber.disconnect();
      commands.disconnect();
    },
  };
}
