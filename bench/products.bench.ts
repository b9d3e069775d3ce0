import { spawnSync } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { lastJobDurationMs, productListSql } from '@catalog/db';
import { DELETE_ALL_CONFIRMATION, type ProductFilter, type ProductSort } from '@catalog/domain';
import autocannon from 'autocannon';
import pg from 'pg';
import { z } from 'zod';
import { isolatedDatabase } from '../tests/support/database';
import { writeCatalogCsv } from './lib/catalog-csv';
import { startApp } from './lib/processes';

/**
 * npm run bench:products [-- --rows 500000 --seconds 5]
 * On a catalog of `rows` products imported through the real API and worker processes: for each
 * kind of list request, the API's latency at 1 client (p50/p95) and throughput at 32 clients
 * (autocannon), beside the very SQL the API runs (list-sql.ts), run directly with `pg`. Then
 * delete-all through the API against one `DELETE FROM products` (in psql, rolled back).
 */
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '500000' }, seconds: { type: 'string', default: '5' } },
});
const rows = Number(values.rows);
const seconds = Number(values.seconds);
const SAMPLES = 200;
const accepted = z.object({ jobId: z.string() });
const CLIENTS = 32;

const work = await mkdtemp(path.join(tmpdir(), 'catalog-products-bench-'));
const csvPath = path.join(work, 'catalog.csv');
await writeCatalogCsv(csvPath, rows);
const db = await isolatedDatabase();
const { baseUrl, stop } = await startApp(db.url, work, { SSE_POLL_MS: '200' });
const pool = new pg.Pool({ connectionString: db.url, max: CLIENTS });

type Kind = { name: string; query: string; filter: ProductFilter; sort: ProductSort; page: number; pageSize: number };

try {
  const imported = await importCatalog();
  // What autovacuum does after a bulk load; measured plans assume fresh statistics.
  await pool.query('vacuum analyze products');
  await pool.query('checkpoint');
  const total = Number((await pool.query<{ n: string }>('select count(*) as n from products')).rows[0]?.n);
  console.log(`products benchmark: ${total} products imported through the API in ${(imported / 1000).toFixed(1)} s`);

  const asc = (field: ProductSort['field']): ProductSort => ({ field, direction: 'asc' });
  const lastPage = Math.ceil(total / 50);
  const kinds: Kind[] = [
    { name: 'none', query: '', filter: {}, sort: asc('sku'), page: 1, pageSize: 50 },
    { name: 'sku', query: 'sku=sku-4a', filter: { sku: 'sku-4a' }, sort: asc('sku'), page: 1, pageSize: 50 },
    { name: 'name', query: 'name=lamp 4242', filter: { name: 'lamp 4242' }, sort: asc('sku'), page: 1, pageSize: 50 },
    {
      name: 'description',
      query: 'description=item 31337',
      filter: { description: 'item 31337' },
      sort: asc('sku'),
      page: 1,
      pageSize: 50,
    },
    { name: 'q', query: 'q=chair 777', filter: { q: 'chair 777' }, sort: asc('sku'), page: 1, pageSize: 50 },
    { name: 'active', query: 'active=false', filter: { active: false }, sort: asc('sku'), page: 1, pageSize: 50 },
    { name: 'deep page', query: `page=${lastPage}`, filter: {}, sort: asc('sku'), page: lastPage, pageSize: 50 },
    {
      name: 'sorted page',
      query: 'sort=price:desc&page=20',
      filter: {},
      sort: { field: 'price', direction: 'desc' },
      page: 20,
      pageSize: 50,
    },
  ];

  console.log('kind         | API p50 / p95 ms | SQL p50 / p95 ms | p95 ratio | API req/s @32 | SQL req/s @32 | ratio');
  // Every kind once over, so no kind pays for a cold cache the others do not.
  for (const kind of kinds) for (let i = 0; i < 20; i++) await runSql(kind);
  for (const kind of kinds) {
    const url = `${baseUrl}/api/products${kind.query ? `?${encodeURI(kind.query)}` : ''}`;
    const [apiLatency, sqlLatency] = await pairedLatencies(
      async () => {
        const response = await fetch(url);
        if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
        await response.arrayBuffer();
      },
      () => runSql(kind),
    );
    const apiThroughput = await httpThroughput(url);
    const sqlThroughput = await sqlRate(kind);
    const cells = [
      kind.name.padEnd(12),
      `${fmt(apiLatency.p50)} / ${fmt(apiLatency.p95)}`.padEnd(16),
      `${fmt(sqlLatency.p50)} / ${fmt(sqlLatency.p95)}`.padEnd(16),
      `${(apiLatency.p95 / sqlLatency.p95).toFixed(2)}`.padEnd(9),
      `${Math.round(apiThroughput)}`.padEnd(13),
      `${Math.round(sqlThroughput)}`.padEnd(13),
      (apiThroughput / sqlThroughput).toFixed(2),
    ];
    const target = apiLatency.p95 <= 50 && apiLatency.p95 <= 1.5 * sqlLatency.p95 + 3 ? 'ok' : 'MISSED';
    console.log(`${cells.join(' | ')}   (p95 target: ≤ 50 ms and ≤ 1.5×SQL+3 ms: ${target})`);
  }

  const baseline = timeDeleteInPsql(db.url);
  await pool.query('vacuum analyze products');
  await pool.query('checkpoint');
  const run = await timeDeleteAll();
  const jobMs = (await lastJobDurationMs(pool, 'bulk_delete')) ?? run.ms;
  console.log(
    `delete-all of ${total}: job accepted → finished ${fmt(jobMs)} ms (HTTP → completed event ${fmt(run.ms)} ms) vs ` +
      `DELETE FROM products in psql ${fmt(baseline)} ms: ratio ${(jobMs / baseline).toFixed(2)} (target ≤ 2); ` +
      `${run.progressEvents} progress events, longest gap ${fmt(run.maxGapMs)} ms (target ≤ 1000)`,
  );
} finally {
  stop();
  await pool.end();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await db.drop();
}

async function importCatalog(): Promise<number> {
  const started = performance.now();
  const form = new FormData();
  form.append('file', await openAsBlob(csvPath), 'catalog.csv');
  const response = await fetch(`${baseUrl}/api/imports`, { method: 'POST', body: form });
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  const { jobId } = accepted.parse(await response.json());
  const final = await finalJobEvent(jobId);
  if (final.event !== 'completed') throw new Error(`import ended with ${final.event}`);
  return performance.now() - started;
}

/** Follows /api/jobs/:id/events to the end; returns the final event and the progress rhythm. */
async function finalJobEvent(jobId: string) {
  const events = await fetch(`${baseUrl}/api/jobs/${jobId}/events`);
  if (!events.body) throw new Error('no event stream');
  const decoder = new TextDecoder();
  let pending = '';
  let event = '';
  let progressEvents = 0;
  let lastAt = performance.now();
  let maxGapMs = 0;
  for await (const chunk of events.body) {
    pending += decoder.decode(chunk, { stream: true });
    for (let boundary = pending.indexOf('\n\n'); boundary !== -1; boundary = pending.indexOf('\n\n')) {
      const block = pending.slice(0, boundary);
      pending = pending.slice(boundary + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1];
      if (!name) continue;
      const now = performance.now();
      maxGapMs = Math.max(maxGapMs, now - lastAt);
      lastAt = now;
      if (name === 'progress') progressEvents++;
      else event = name;
    }
  }
  return { event, progressEvents, maxGapMs };
}

async function runSql(kind: Kind): Promise<void> {
  const count = productListSql.countQuery(kind.filter);
  const counted = await pool.query(count.text, count.values);
  const total = productListSql.totalFromCountRow(kind.filter, counted.rows[0]);
  const window = productListSql.pageWindow(total, kind.page, kind.pageSize);
  if (!window) return;
  const page = productListSql.pageQuery(kind.filter, kind.sort, total, window);
  await pool.query(page.text, page.values);
}

/** p50/p95 of two ways to do the same thing, sampled alternately so both meet the same caches and noise. */
type Latency = { p50: number; p95: number };

async function pairedLatencies(first: () => Promise<void>, second: () => Promise<void>): Promise<[Latency, Latency]> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = -20; i < SAMPLES; i++) {
    const t0 = performance.now();
    await first();
    const t1 = performance.now();
    await second();
    const t2 = performance.now();
    if (i >= 0) {
      a.push(t1 - t0);
      b.push(t2 - t1);
    }
  }
  return [percentiles(a), percentiles(b)];
}

function percentiles(samples: number[]): Latency {
  samples.sort((x, y) => x - y);
  return { p50: samples[Math.floor(SAMPLES * 0.5)] ?? 0, p95: samples[Math.floor(SAMPLES * 0.95)] ?? 0 };
}

async function httpThroughput(url: string): Promise<number> {
  const result = await autocannon({ url, connections: CLIENTS, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

async function sqlRate(kind: Kind): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        await runSql(kind);
        done++;
      }
    }),
  );
  return done / seconds;
}

/** The single statement, timed by psql itself and rolled back so the catalog stays for the API run. */
function timeDeleteInPsql(url: string): number {
  const psql = spawnSync(
    'psql',
    [url, '-X', '-q', '-c', '\\timing on', '-c', 'begin', '-c', 'delete from products', '-c', 'rollback'],
    {
      encoding: 'utf8',
    },
  );
  const match = /Time: ([\d.]+) ms[\s\S]*?Time: ([\d.]+) ms[\s\S]*?Time: ([\d.]+) ms/.exec(psql.stdout);
  if (psql.status !== 0 || !match?.[2]) throw new Error(`psql failed: ${psql.stderr || psql.stdout}`);
  return Number(match[2]);
}

async function timeDeleteAll(): Promise<{ ms: number; progressEvents: number; maxGapMs: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/products`, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ confirm: DELETE_ALL_CONFIRMATION }),
  });
  const { jobId } = accepted.parse(await response.json());
  const final = await finalJobEvent(jobId);
  if (final.event !== 'completed') throw new Error(`delete-all ended with ${final.event}`);
  return { ms: performance.now() - started, progressEvents: final.progressEvents, maxGapMs: final.maxGapMs };
}

function fmt(ms: number): string {
  return ms.toFixed(1);
}
