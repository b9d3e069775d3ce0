import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import {
  columnMappingSchema,
  createRowMapper,
  IMPORT_LIMIT_DEFAULTS,
  type MappingPlan,
  mappingOptionsSchema,
  planMapping,
} from '@catalog/domain';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { mappedLine, stagedLine } from '../activities/src/imports/copy-row';
import { CsvRecordReader } from '../activities/src/imports/csv-records';
import { csvText, SHOPIFY_HEADERS } from '../tests/support/shop-exports';
import { writeCatalogCsv } from './lib/catalog-csv';

/**
 * npm run bench -- staging-mapping [-- --rows 100000 --runs 5]
 * Staging as the stage activity does it (read the file, CSV reader, one COPY line per row, COPY
 * into an unlogged table in one transaction), without and with a mapping, on the same file:
 * (a) our own header names, (b) an identity mapping on the same file (issue 13: at most 10% more),
 * (c) a Shopify-shaped file of as many rows through its suggested mapping (group fill, variant
 * names, Status), for scale. Runs alternate and the median counts: the machine may be shared.
 */
const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');

const work = await mkdtemp(path.join(tmpdir(), 'catalog-staging-bench-'));
const ours = path.join(work, 'ours.csv');
await writeCatalogCsv(ours, rows);
const shopify = path.join(work, 'shopify.csv');
await writeFile(shopify, shopifyCsv(rows));
const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });

type LineMaker = (rowNo: number, cells: string[]) => string;
const plain: LineMaker = (rowNo, cells) =>
  stagedLine(rowNo, cells, { sku: 0, name: 1, description: 2, price: 3, active: 4 }).line;
const mapped = (plan: MappingPlan): LineMaker => {
  const mapRow = createRowMapper(plan);
  return (rowNo, cells) => mappedLine(rowNo, mapRow(cells));
};
const identityPlan = planMapping(
  ['sku', 'name', 'description', 'price', 'active'],
  columnMappingSchema.parse({ sku: 'sku', name: 'name', description: 'description', price: 'price', active: 'active' }),
  mappingOptionsSchema.parse({}),
);
const shopifyPlan = planMapping(
  SHOPIFY_HEADERS,
  columnMappingSchema.parse({
    sku: 'Variant SKU',
    name: 'Title',
    description: 'Body (HTML)',
    price: 'Variant Price',
    active: 'Status',
  }),
  mappingOptionsSchema.parse({
    activeValues: 'status',
    group: { column: 'Handle', by: 'same' },
    variantName: { optionColumns: ['Option1 Value', 'Option2 Value', 'Option3 Value'] },
  }),
);

const variants: [string, string, () => LineMaker][] = [
  ['(a) no mapping', ours, () => plain],
  ['(b) identity mapping', ours, () => mapped(identityPlan)],
  ['(c) Shopify file, suggested mapping', shopify, () => mapped(shopifyPlan)],
];
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
try {
  // With COPY, as staging runs; then the CPU side alone (reader and COPY lines), steadier on a busy machine.
  for (const [label, measure] of [
    ['staging (read, map, COPY)', stage],
    ['CPU only (read, map, build COPY lines)', cpuOnly],
  ] as const) {
    const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
    for (let run = 0; run < runs + 1; run++) {
      for (const [name, file, maker] of variants) {
        const ms = await measure(file, maker());
        // The first round warms up the JIT and the database's caches.
        if (run > 0) times.get(name)?.push(ms);
      }
    }
    const baseList = times.get('(a) no mapping') ?? [];
    const base = { median: median(baseList), min: Math.min(...baseList) };
    // On a shared machine the fastest run is the one least disturbed: both are shown.
    console.log(`${label}, ${rows} rows, ${runs} runs`);
    for (const [name] of variants) {
      const list = times.get(name) ?? [];
      const ms = { median: median(list), min: Math.min(...list) };
      const vs = (key: 'median' | 'min') => `${((ms[key] / base[key] - 1) * 100).toFixed(1)}%`;
      const all = list.map((t) => t.toFixed(0)).join(', ');
      console.log(
        `  ${name.padEnd(38)} median ${ms.median.toFixed(0)} ms (${vs('median')}), min ${ms.min.toFixed(0)} ms (${vs('min')}) vs (a); runs: ${all}`,
      );
    }
  }
} finally {
  await pool.end();
  await rm(work, { recursive: true, force: true });
}

async function stage(file: string, toLine: LineMaker): Promise<number> {
  const client = await pool.connect();
  const started = performance.now();
  try {
    await client.query('begin');
    await client.query('drop table if exists bench_staged');
    await client.query(
      `create unlogged table bench_staged (row_no bigint not null, sku text, name text, description text,
        price text, active text, error_column text, error_reason text, raw text)`,
    );
    let buffer = '';
    const reader = new CsvRecordReader(',', IMPORT_LIMIT_DEFAULTS, {
      record(rowNo, cells) {
        if (rowNo > 1) buffer += toLine(rowNo, cells);
      },
      unreadable() {},
    });
    const lines = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        reader.write(chunk);
        const out = buffer;
        buffer = '';
        callback(null, out || undefined);
      },
      flush(callback) {
        reader.end();
        callback(null, buffer || undefined);
      },
    });
    await pipeline(createReadStream(file), lines, client.query(copyFrom('copy bench_staged from stdin')));
    await client.query('commit');
    return performance.now() - started;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    await client.query('drop table if exists bench_staged');
    client.release();
  }
}

async function cpuOnly(file: string, toLine: LineMaker): Promise<number> {
  const started = performance.now();
  let length = 0;
  const reader = new CsvRecordReader(',', IMPORT_LIMIT_DEFAULTS, {
    record(rowNo, cells) {
      if (rowNo > 1) length += toLine(rowNo, cells).length;
    },
    unreadable() {},
  });
  for await (const chunk of createReadStream(file)) reader.write(chunk as Buffer);
  reader.end();
  if (length === 0) throw new Error('no lines were built');
  return performance.now() - started;
}

/** A Shopify export of `count` variant rows: products of three variants, each followed by an image row. */
function shopifyCsv(count: number): string {
  const body: Record<string, string>[] = [];
  for (let index = 0; body.length < count; index++) {
    const handle = `product-${index}`;
    for (const [position, size] of ['S', 'M', 'L'].entries()) {
      body.push({
        Handle: handle,
        ...(position === 0
          ? {
              Title: `Product ${index}, "classic"`,
              'Body (HTML)': `<p>Description of <b>product ${index}</b></p>`,
              Status: index % 5 ? 'active' : 'draft',
              'Option1 Name': 'Size',
            }
          : {}),
        'Option1 Value': size,
        'Variant SKU': `SKU-${index}-${size}`,
        'Variant Price': `${(index % 1000) + 0.99}`,
      });
    }
    body.push({ Handle: handle, 'Image Src': `https://cdn.example.com/${handle}.jpg`, 'Image Position': '2' });
  }
  return csvText(SHOPIFY_HEADERS, body.slice(0, count));
}
