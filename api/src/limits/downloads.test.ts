import assert from 'node:assert/strict';
import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { requestAs } from '../../../tests/support/auth';
import { type Stack, startStack } from '../../../tests/support/stack';

/**
 * Slow export readers against the API: they stream on a pool of their own, so the API's pool (two
 * connections here, fewer than the readers) keeps serving everything else; a download over the
 * deadline ends and gives its connection back. A database of its own, with a catalog far larger
 * than the socket buffers, so a reader that stops reading really holds its transaction open.
 */
const EXPORT_TIMEOUT_MS = 4000;
let stack: Stack;
before(async () => {
  stack = await startStack({
    worker: false,
    isolated: true,
    env: { DATABASE_POOL_SIZE: '2', EXPORT_POOL_SIZE: '2', EXPORT_TIMEOUT_MS: String(EXPORT_TIMEOUT_MS) },
  });
  await stack.deps.db.pool.query(
    `insert into products (sku, name, description, price)
     select 'SLOW-' || n, 'Product ' || n, repeat('d', 1000), 1 from generate_series(1, 40000) n`,
  );
});
after(async () => {
  await stack?.stop();
});

type Reader = { req: ClientRequest; response: IncomingMessage; ended: Promise<'complete' | 'cut'> };

/** Starts an export and reads its first bytes only, then stops reading. */
function slowReader(key: string): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const req = request(`${stack.baseUrl}/api/products/export.csv`, { headers: { authorization: `Bearer ${key}` } });
    req.on('error', reject);
    req.on('response', (response) => {
      const ended = new Promise<'complete' | 'cut'>((settle) => {
        response.on('end', () => settle('complete'));
        response.on('aborted', () => settle('cut'));
        response.on('error', () => settle('cut'));
        response.on('close', () => settle(response.complete ? 'complete' : 'cut'));
      });
      response.once('data', () => response.pause());
      resolve({ req, response, ended });
    });
    req.end();
  });
}

async function exportsHoldingConnections(): Promise<number> {
  const { rows } = await stack.deps.db.pool.query<{ count: number }>(
    `select count(*)::int as count from pg_stat_activity
     where datname = current_database() and state = 'idle in transaction' and query ilike 'fetch%'`,
  );
  return rows[0]?.count ?? 0;
}

test('slow export readers take their own pool, are refused beyond it, never stall the products list, and are cut at the deadline', async () => {
  const { key } = await stack.keyFor('viewer');
  const readers = await Promise.all([slowReader(key), slowReader(key), slowReader(key)]);
  try {
    const statuses = readers.map((reader) => reader.response.statusCode).sort();
    assert.deepEqual(statuses, [200, 200, 503], 'two download slots, the third refused rather than queued');
    const refused = readers.find((reader) => reader.response.statusCode === 503);
    assert.ok(Number(refused?.response.headers['retry-after']) > 0, 'Retry-After');

    for (let waited = 0; (await exportsHoldingConnections()) < 2; waited += 100) {
      assert.ok(waited < 5000, 'both slow readers hold an export transaction open');
      await sleep(100);
    }
    // Were the readers on the API's pool, the list would wait for a connection until its own deadline
    // (504 after REQUEST_TIMEOUT_MS); the bound is loose only for a busy test machine.
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const list = await requestAs(stack.baseUrl, { key }, '/api/products?pageSize=5');
      assert.equal(list.status, 200);
      assert.ok(Date.now() - started < 10_000, `the list answered in ${Date.now() - started} ms`);
    }

    // The server cuts the downloads at the deadline and gives their connections back; the readers,
    // which stopped reading, find out when they read on: their CSV ends early, without its last chunk.
    for (let waited = 0; (await exportsHoldingConnections()) > 0; waited += 100) {
      assert.ok(waited < EXPORT_TIMEOUT_MS + 10_000, 'the deadline ends the downloads and frees their connections');
      await sleep(100);
    }
    const streaming = readers.filter((reader) => reader.response.statusCode === 200);
    for (const reader of streaming) reader.response.resume();
    assert.deepEqual(await Promise.all(streaming.map((reader) => reader.ended)), ['cut', 'cut']);
    const again = await requestAs(stack.baseUrl, { key }, '/api/products/export.csv?sku=SLOW-40000');
    assert.equal(again.status, 200, 'the slots are free again');
    assert.match(await again.text(), /^sku,name,description,price,active\r\nSLOW-40000,/);
  } finally {
    for (const reader of readers) reader.req.destroy();
  }
});
