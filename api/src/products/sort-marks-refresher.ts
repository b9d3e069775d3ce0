import type { MarkSet, RefreshResult } from '@catalog/db';
import type { Logger } from '../logger';

/**
 * Rebuilds, in the background of the API process, the sort position marks that deep pages found
 * stale or missing (see listProducts' `onStaleMarks`). One build at a time in the process (each
 * reads a whole sort order: several at once would take the connections and cores requests need),
 * each set queued once while pending or building, and started at most once per `minIntervalMs`:
 * on a catalog that keeps changing, marks go stale again at once, and rebuilding on every deep
 * page would cost more than the walks it saves. Across processes the build's advisory lock skips
 * a set another process is building.
 */
export type SortMarksRefresher = {
  /** Queues a rebuild of the set unless one is pending, building, or started too recently. */
  request: (set: MarkSet) => void;
  /** Stops taking requests, cancels the build under way and waits for it to end. */
  close: () => Promise<void>;
};

export type SortMarksRefresherOptions = {
  /** One set's build: refreshSortMarks on the API's pool, cancelled when `signal` aborts. */
  rebuild: (set: MarkSet, signal: AbortSignal) => Promise<RefreshResult>;
  logger: Logger;
  minIntervalMs?: number;
  now?: () => number;
};

// A build reads a whole sort order: about a second at 500k products, several at 5M.
const MIN_INTERVAL_MS = 60_000;

export function createSortMarksRefresher(options: SortMarksRefresherOptions): SortMarksRefresher {
  const { rebuild, logger, minIntervalMs = MIN_INTERVAL_MS, now = Date.now } = options;
  const queue: MarkSet[] = [];
  const pending = new Set<string>();
  const lastStarted = new Map<string, number>();
  let running: Promise<void> | null = null;
  let closed = false;
  const closing = new AbortController();

  const nameOf = (set: MarkSet) => `${set.field}/${set.scope}`;

  async function build(set: MarkSet): Promise<void> {
    lastStarted.set(nameOf(set), now());
    try {
      const result = await rebuild(set, closing.signal);
      logger.info({ sortMarks: nameOf(set), ...result }, 'sort position marks refreshed');
    } catch (error) {
      // A deep page walks the sort index meanwhile; the next one to find the set stale asks again.
      logger.warn({ sortMarks: nameOf(set), err: error }, 'sort position marks rebuild failed');
    } finally {
      pending.delete(nameOf(set));
    }
  }

  async function drain(): Promise<void> {
    for (let set = queue.shift(); set && !closed; set = queue.shift()) await build(set);
  }

  function start(): void {
    // Detached on purpose: the page that found the marks stale is answered at once from the sort
    // index; later deep pages use the rebuilt set. `build` logs its errors, so this never rejects.
    running ??= drain().finally(() => {
      running = null;
      if (queue.length && !closed) start();
    });
  }

  return {
    request(set) {
      const name = nameOf(set);
      if (closed || pending.has(name)) return;
      const last = lastStarted.get(name);
      if (last !== undefined && now() - last < minIntervalMs) return;
      pending.add(name);
      queue.push(set);
      start();
    },
    async close() {
      closed = true;
      queue.length = 0;
      closing.abort();
      await running;
    },
  };
}
