import { productSchema } from '@catalog/domain';
import type { Api } from '../../tests/support/api';
import { jsonClient } from './json-client';
import { messageKey } from './webhook-receiver';

/** A write the API accepted: the message its event makes, and when the request was sent. */
export type Write = { key: string; sentAt: number; answeredAt: number };

export type WriteRun = {
  writes: Write[];
  /** Writes the API refused or that failed in transit: no event is expected for them. */
  failed: number;
  /** Writes not started on time because `maxInFlight` requests were still open (the API fell behind). */
  skipped: number;
  startedAt: number;
  /** When the last request was sent. */
  endedAt: number;
};

type Idle = { id: number; sku: string; version: number };

/**
 * Product writes through the API at a steady `perSecond` for `seconds`, whatever the answers'
 * latency (open loop: a slow answer does not slow the offered rate), half creations and half
 * updates of products created earlier. A product is updated only once its previous write has
 * answered, so no update fails on a stale version. `atSecond` runs once at that second, for a
 * disturbance in the middle of the run.
 */
export async function steadyProductWrites(options: {
  api: Api;
  perSecond: number;
  seconds: number;
  skuPrefix: string;
  maxInFlight?: number;
  atSecond?: { second: number; run: () => void };
}): Promise<WriteRun> {
  const { api, perSecond, seconds, skuPrefix, maxInFlight = 256, atSecond } = options;
  const writes: Write[] = [];
  const idle: Idle[] = [];
  const open = new Set<Promise<void>>();
  let failed = 0;
  let skipped = 0;
  let created = 0;
  let disturbed = false;
  const client = jsonClient(api, maxInFlight);

  async function write(index: number): Promise<void> {
    const sentAt = performance.now();
    const product = index % 2 === 1 ? idle.shift() : undefined;
    const answer = product
      ? await client.send('PATCH', `/api/products/${product.id}`, {
          name: `Bench product ${product.sku} v${product.version + 1}`,
          version: product.version,
        })
      : await client.send('POST', '/api/products', { sku: `${skuPrefix}-${created++}`, name: 'Bench product' });
    if (answer.status < 200 || answer.status > 299) {
      failed++;
      return;
    }
    const saved = productSchema.parse(answer.body);
    writes.push({ key: messageKey(saved.sku, saved.version), sentAt, answeredAt: performance.now() });
    idle.push({ id: saved.id, sku: saved.sku, version: saved.version });
  }

  const startedAt = performance.now();
  const total = Math.round(perSecond * seconds);
  let endedAt = startedAt;
  for (let index = 0; index < total; index++) {
    const due = startedAt + (index * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (atSecond && !disturbed && performance.now() - startedAt >= atSecond.second * 1000) {
      disturbed = true;
      atSecond.run();
    }
    if (open.size >= maxInFlight) {
      skipped++;
      continue;
    }
    endedAt = performance.now();
    const request: Promise<void> = write(index)
      .catch(() => {
        failed++;
      })
      .finally(() => open.delete(request));
    open.add(request);
  }
  await Promise.all(open);
  client.close();
  return { writes, failed, skipped, startedAt, endedAt };
}
