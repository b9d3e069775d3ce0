import { EventEmitter } from 'node:events';
import type { EventBus } from './event-bus';

export function createMemoryBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const leases = new Map<string, { owner: string; until: number }>();
  return {
    kind: 'memory',
    publish: async (channel, message) => {
      emitter.emit(channel, message);
    },
    subscribe: async (channel, onMessage) => {
      emitter.on(channel, onMessage);
      return async () => {
        emitter.off(channel, onMessage);
      };
    },
    lease: async (key, owner, ttlMs) => {
      const now = Date.now();
      const current = leases.get(key);
      if (current && current.owner !== owner && current.until > now) return false;
      leases.set(key, { owner, until: now + ttlMs });
      return true;
    },
    ping: async () => {},
    close: async () => {
      emitter.removeAllListeners();
    },
  };
}
