/**
 * The API process's shutdown state. Draining starts on SIGTERM: readiness answers 503 from then
 * on, and whoever holds a long-lived response (SSE streams) is told to end it.
 */
export type Lifecycle = {
  readonly draining: boolean;
  /** Starts draining; runs every drain handler once. Calling it again does nothing. */
  drain: () => void;
  /** Runs `handler` when draining starts (at once if it has); returns the unsubscribe. */
  onDrain: (handler: () => void) => () => void;
};

export function createLifecycle(): Lifecycle {
  const handlers = new Set<() => void>();
  let draining = false;
  return {
    get draining() {
      return draining;
    },
    drain() {
      if (draining) return;
      draining = true;
      for (const handler of handlers) handler();
      handlers.clear();
    },
    onDrain(handler) {
      if (draining) {
        handler();
        return () => undefined;
      }
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}
