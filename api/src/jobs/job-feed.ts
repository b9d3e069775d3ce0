import { randomUUID } from 'node:crypto';
import { isFinished } from '@catalog/domain';
import type { EventBus, Unsubscribe } from '../bus/event-bus';
import type { Logger } from '../logger';
import type { JobView } from './job-view';
import type { LiveJobReader } from './live-job';

export type FeedMessage = { id: number; view: JobView };
export type FeedListener = (message: FeedMessage) => void;

type Watched = { listeners: Set<FeedListener>; unsubscribe: Unsubscribe; timer: NodeJS.Timeout | null };

/**
 * Live job snapshots for any number of listeners. Per job, whichever API replica holds the lease
 * polls Temporal once per interval and publishes on the bus; every replica relays what it hears
 * to its own SSE listeners. A replica that dies loses its lease and another one takes over.
 */
export function createJobFeed(deps: { readLiveJob: LiveJobReader; bus: EventBus; logger: Logger; pollMs: number }) {
  const owner = randomUUID();
  const watched = new Map<string, Watched>();
  const channel = (jobId: string) => `catalog:jobs:${jobId}`;

  const schedule = (jobId: string) => {
    const entry = watched.get(jobId);
    if (entry) entry.timer = setTimeout(() => void poll(jobId), deps.pollMs);
  };

  async function poll(jobId: string): Promise<void> {
    if (!watched.has(jobId)) return;
    let finished = false;
    try {
      if (await deps.bus.lease(`catalog:jobs:poller:${jobId}`, owner, deps.pollMs * 4)) {
        const view = await deps.readLiveJob(jobId);
        if (view) {
          finished = isFinished(view.status);
          await deps.bus.publish(channel(jobId), JSON.stringify({ id: Date.now(), view } satisfies FeedMessage));
        }
      }
    } catch (error: unknown) {
      deps.logger.warn({ err: error, jobId }, 'job feed poll failed');
    }
    if (!finished) schedule(jobId);
  }

  return {
    async subscribe(jobId: string, listener: FeedListener): Promise<() => Promise<void>> {
      let entry = watched.get(jobId);
      if (!entry) {
        const listeners = new Set<FeedListener>();
        const unsubscribe = await deps.bus.subscribe(channel(jobId), (raw) => {
          const message = JSON.parse(raw) as FeedMessage;
          for (const each of listeners) each(message);
        });
        entry = { listeners, unsubscribe, timer: null };
        watched.set(jobId, entry);
        schedule(jobId);
      }
      entry.listeners.add(listener);
      const current = entry;
      return async () => {
        current.listeners.delete(listener);
        if (current.listeners.size > 0 || watched.get(jobId) !== current) return;
        watched.delete(jobId);
        if (current.timer) clearTimeout(current.timer);
        await current.unsubscribe();
      };
    },

    async close(): Promise<void> {
      for (const [jobId, entry] of watched) {
        if (entry.timer) clearTimeout(entry.timer);
        watched.delete(jobId);
        await entry.unsubscribe();
      }
    },
  };
}

export type JobFeed = ReturnType<typeof createJobFeed>;
