/**
 * Counts what a key holds open at once (uploads being received, event streams) in this process.
 * In memory on purpose: what these caps protect — sockets, file handles, the event loop — belongs
 * to one process, and a count kept here can never leak when a process dies mid-request, as a
 * shared counter would. With several API processes a user may hold the cap on each.
 */
export type ConcurrencyGate = {
  readonly limit: number;
  /** A slot for `key`, or null when it holds `limit` already; the release is safe to call twice. */
  tryAcquire: (key: string) => (() => void) | null;
  held: (key: string) => number;
};

export function createConcurrencyGate(limit: number): ConcurrencyGate {
  const counts = new Map<string, number>();
  return {
    limit,
    tryAcquire(key) {
      const current = counts.get(key) ?? 0;
      if (current >= limit) return null;
      counts.set(key, current + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (counts.get(key) ?? 1) - 1;
        if (left > 0) counts.set(key, left);
        else counts.delete(key);
      };
    },
    held: (key) => counts.get(key) ?? 0,
  };
}
