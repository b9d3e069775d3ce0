/**
 * How a lane's running batch hears of new messages without a Temporal round trip. A batch that
 * has sent what was due keeps its activity open for a while (WEBHOOK_LANE_LINGER_MS) and listens
 * here; the dispatcher in the same process rings it after each commit instead of signalling the
 * lane's workflow, and the worker's listener rings it on a `LANE_NOTIFY_CHANNEL` notification
 * from any process. `ring` and the batch's `stop` run on one thread, so a message committed after a
 * batch stopped listening always gets a signal: ring answers false and the caller signals.
 */
export class LaneBell {
  readonly #listeners = new Map<string, Set<() => void>>();

  /** Listens for the endpoint's next ring; returns the function that stops listening. */
  listen(endpointId: string, onRing: () => void): () => void {
    let listeners = this.#listeners.get(endpointId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(endpointId, listeners);
    }
    listeners.add(onRing);
    return () => {
      listeners.delete(onRing);
      if (listeners.size === 0 && this.#listeners.get(endpointId) === listeners) this.#listeners.delete(endpointId);
    };
  }

  /** Rings the endpoint's listening batch; false when none listens in this process. */
  ring(endpointId: string): boolean {
    const listeners = this.#listeners.get(endpointId);
    if (!listeners) return false;
    for (const onRing of listeners) onRing();
    return true;
  }
}
