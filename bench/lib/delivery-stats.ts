import type { WriteRun } from './product-writes';
import type { WebhookReceiver } from './webhook-receiver';

/** What one phase's writes became at a set of endpoints. */
export type DeliveryStats = {
  /** Write requests sent per second, times the endpoints: the deliveries offered per second. */
  offeredPerSecond: number;
  /** Messages received (first copies) per second, from the first write sent to the last message received. */
  deliveredPerSecond: number;
  expected: number;
  received: number;
  missing: number;
  /** Copies beyond the first under the same webhook-id: allowed (at least once), counted. */
  duplicates: number;
  /** The same message under a second webhook-id: a receiver could not deduplicate it; must be 0. */
  newIdRepeats: number;
  /** From the write request being sent (so it holds the API's time before its commit) to the first receipt. */
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  /** The API's own share: write request sent → its answer received. */
  answerMs: { p50: number; p95: number; p99: number } | null;
  /** p95 latency of the writes sent in each 10 s of the phase (null: none arrived): where a tail comes from. */
  p95By10s: (number | null)[];
  failedWrites: number;
  skippedWrites: number;
};

export function deliveryStats(run: WriteRun, receiver: WebhookReceiver, endpoints: number[]): DeliveryStats {
  const latencies: number[] = [];
  const answers = run.writes.map((write) => write.answeredAt - write.sentAt).sort((a, b) => a - b);
  const windows: number[][] = [];
  let missing = 0;
  let duplicates = 0;
  let newIdRepeats = 0;
  let lastAt = run.startedAt;
  for (const write of run.writes) {
    for (const endpoint of endpoints) {
      const arrival = receiver.arrival(endpoint, write.key);
      if (!arrival) {
        missing++;
        continue;
      }
      latencies.push(arrival.firstAt - write.sentAt);
      const window = Math.floor((write.sentAt - run.startedAt) / 10_000);
      const inWindow = windows[window] ?? [];
      inWindow.push(arrival.firstAt - write.sentAt);
      windows[window] = inWindow;
      lastAt = Math.max(lastAt, arrival.firstAt);
      duplicates += arrival.copies - arrival.webhookIds.size;
      newIdRepeats += arrival.webhookIds.size - 1;
    }
  }
  latencies.sort((a, b) => a - b);
  const sentSeconds = Math.max(0.001, (run.endedAt - run.startedAt) / 1000);
  const sent = run.writes.length + run.failed;
  return {
    offeredPerSecond: (sent * endpoints.length) / sentSeconds,
    deliveredPerSecond: latencies.length / Math.max(0.001, (lastAt - run.startedAt) / 1000),
    expected: run.writes.length * endpoints.length,
    received: latencies.length,
    missing,
    duplicates,
    newIdRepeats,
    latencyMs:
      latencies.length === 0
        ? null
        : {
            p50: percentile(latencies, 0.5),
            p95: percentile(latencies, 0.95),
            p99: percentile(latencies, 0.99),
            max: percentile(latencies, 1),
          },
    answerMs:
      answers.length === 0
        ? null
        : { p50: percentile(answers, 0.5), p95: percentile(answers, 0.95), p99: percentile(answers, 0.99) },
    p95By10s: Array.from(windows, (values = []) =>
      values.length === 0
        ? null
        : percentile(
            values.sort((a, b) => a - b),
            0.95,
          ),
    ),
    failedWrites: run.failed,
    skippedWrites: run.skipped,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return Math.round(sorted[index] ?? 0);
}

/** Polls until every expected message has arrived at `endpoints`, or `timeoutMs` passed; false then. */
export async function settle(
  run: WriteRun,
  receiver: WebhookReceiver,
  endpoints: number[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  const outstanding = run.writes.flatMap((write) => endpoints.map((endpoint) => ({ endpoint, key: write.key })));
  let pending = outstanding;
  while (performance.now() < deadline) {
    pending = pending.filter(({ endpoint, key }) => !receiver.arrival(endpoint, key));
    if (pending.length === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
