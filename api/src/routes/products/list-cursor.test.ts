import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listProducts, productListSql } from '@catalog/db';
import type { ProductFilter, ProductSortField } from '@catalog/domain';
import { errorOf, productsApi } from '../../../../tests/support/products';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * Keyset paging of GET /api/products on a catalog of its own (6,000 rows): cursors forwards and
 * back give exactly the plain-SQL pages (ORDER BY … OFFSET) for every sort and filter, every read
 * path (bounded walk, GIN matches in memory, walk on), rows edited between pages are neither
 * skipped nor repeated, totals are exact or honestly estimated, and a foreign cursor is a 400.
 */
let stack: Stack;
let api: ReturnType<typeof productsApi>;
const ROWS = 6_000;

before(async () => {
  stack = await startStack({ isolated: true, worker: false });
  api = productsApi(await stack.as('editor'));
  await stack.deps.db.pool.query(
    `insert into products (sku, name, description, price, active, updated_at)
     select 'CUR-' || lpad(g::text, 5, '0'),
            (array['Steel', 'oak', 'Ultra', 'zebra'])[g % 4 + 1] || ' ' || (array['Chair', 'lamp', 'Table'])[g % 3 + 1] || ' ' || g,
            case when g % 97 = 0 then 'rare gem ' || g when g % 89 = 0 then 'Crème BRÛLÉE 50%_off ' || g
                 when g > 5000 then 'late tail ' || g else 'plain ' || g end,
            case when g % 13 = 0 then null else (g % 300) + 0.5 end,
            g % 5 <> 0,
            now() - (g % 61) * interval '1 minute'
     from generate_series(1, $1::int) g`,
    [ROWS],
  );
  await stack.deps.db.pool.query(`analyze products`);
});
after(async () => {
  await stack?.stop();
});

const orderBy: Record<ProductSortField, string[]> = {
  sku: ['sku_key'],
  name: ['lower(left(name, 200)) collate "C"', 'id'],
  price: ['price', 'id'],
  updatedAt: ['updated_at', 'id'],
};

type Case = { query: string; filter: ProductFilter; where: string; values: unknown[] };
const cases: Case[] = [
  { query: '', filter: {}, where: '', values: [] },
  { query: 'active=false', filter: { active: false }, where: 'active = $1', values: [false] },
  { query: 'name=steel', filter: { name: 'steel' }, where: 'name ilike $1', values: ['%steel%'] },
  {
    query: 'q=rare gem',
    filter: { q: 'rare gem' },
    where: 'sku ilike $1 or name ilike $1 or description ilike $1',
    values: ['%rare gem%'],
  },
  {
    query: 'description=late tail',
    filter: { description: 'late tail' },
    where: 'description ilike $1',
    values: ['%late tail%'],
  },
  {
    query: 'name=lamp&active=true',
    filter: { name: 'lamp', active: true },
    where: 'name ilike $1 and active = $2',
    values: ['%lamp%', true],
  },
  // The filters match stored lowercase copies with LIKE: the same rows as ILIKE on the columns,
  // non-ASCII letters and the term's own % and _ included.
  { query: 'sku=r-01', filter: { sku: 'r-01' }, where: 'sku ilike $1', values: ['%r-01%'] },
  {
    query: 'sku=r-0&active=false',
    filter: { sku: 'r-0', active: false },
    where: 'sku ilike $1 and active = $2',
    values: ['%r-0%', false],
  },
  {
    query: `description=${encodeURIComponent('brûlée 50%_')}`,
    filter: { description: 'brûlée 50%_' },
    where: 'description ilike $1',
    values: ['%brûlée 50\\%\\_%'],
  },
  {
    query: `q=${encodeURIComponent('CRÈME')}&active=false`,
    filter: { q: 'CRÈME', active: false },
    where: '(sku ilike $1 or name ilike $1 or description ilike $1) and active = $2',
    values: ['%CRÈME%', false],
  },
];

/** Every matching id in the sort's order, as plain SQL gives it. */
async function referenceIds(c: Case, field: ProductSortField, direction: string): Promise<number[]> {
  const keys = orderBy[field].map((key) => `${key} ${direction}`).join(', ');
  const { rows } = await stack.deps.db.pool.query<{ id: string }>(
    `select id from products ${c.where ? `where ${c.where}` : ''} order by ${keys}`,
    c.values,
  );
  return rows.map((row) => Number(row.id));
}

const ids = (page: { items: { id: number }[] }) => page.items.map((item) => item.id);

test('cursors forwards then back give the plain-SQL pages, for every sort, direction and filter', async () => {
  const pageSize = 40;
  for (const c of cases) {
    for (const field of Object.keys(orderBy) as ProductSortField[]) {
      for (const direction of ['asc', 'desc']) {
        const want = await referenceIds(c, field, direction);
        const base = `${c.query}&sort=${field}:${direction}&pageSize=${pageSize}`;
        const label = `${base}`;
        let page = await api.page(base);
        const seen: number[][] = [ids(page)];
        // The first three pages, then back to the first: each equals its OFFSET page.
        for (let n = 2; n <= 3 && page.nextCursor; n++) {
          page = await api.page(`${base}&cursor=${page.nextCursor}`);
          assert.equal(page.page, n, label);
          seen.push(ids(page));
        }
        for (const [i, got] of seen.entries()) {
          assert.deepEqual(got, want.slice(i * pageSize, (i + 1) * pageSize), `${label} page ${i + 1}`);
        }
        for (let n = page.page - 1; n >= 1; n--) {
          assert.ok(page.prevCursor, `${label} prevCursor on page ${n + 1}`);
          page = await api.page(`${base}&cursor=${page.prevCursor}`);
          assert.equal(page.page, n, label);
          assert.deepEqual(ids(page), seen[n - 1], `${label} back to page ${n}`);
        }
        assert.equal(page.prevCursor, null, `${label}: no page before the first`);
      }
    }
  }
});

test('every read path (bounded walk, longer walk, GIN matches in memory, walking on) pages like plain SQL', async () => {
  const tunings = [
    {
      scanRows: 2_000,
      walkRows: 20_000,
      sampleRows: 5_000,
      inMemoryMatches: 10_000,
      exactUpTo: 2_000,
      markFrom: 2_000,
    },
    { scanRows: 20, walkRows: 1_000_000, sampleRows: 500, inMemoryMatches: 0, exactUpTo: 0, markFrom: 2_000 },
    { scanRows: 20, walkRows: 0, sampleRows: 500, inMemoryMatches: 1_000_000, exactUpTo: 0, markFrom: 2_000 },
    { scanRows: 20, walkRows: 0, sampleRows: 500, inMemoryMatches: 0, exactUpTo: 0, markFrom: 2_000 },
  ];
  for (const tuning of tunings) {
    for (const c of cases.filter((each) => each.where.includes('ilike'))) {
      for (const field of ['sku', 'name', 'price'] as const) {
        const want = await referenceIds(c, field, 'desc');
        const sort = { field, direction: 'desc' as const };
        const got: number[] = [];
        let cursor: string | undefined;
        for (let n = 1; n <= 4; n++) {
          const page = await listProducts(
            stack.deps.db.pool,
            { filter: c.filter, sort, page: 1, pageSize: 25, cursor },
            tuning,
          );
          got.push(...ids(page));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        assert.deepEqual(got, want.slice(0, got.length), `${c.query} ${field} ${JSON.stringify(tuning)}`);
        assert.equal(got.length, Math.min(100, want.length), `${c.query} ${field} ${JSON.stringify(tuning)}`);
        const deep = await listProducts(stack.deps.db.pool, { filter: c.filter, sort, page: 3, pageSize: 25 }, tuning);
        assert.deepEqual(ids(deep), want.slice(50, 75), `${c.query} ${field} page 3 ${JSON.stringify(tuning)}`);
      }
    }
  }
});

test('the GIN path reads at most the cap of text matches, counted before `active` narrows them', async () => {
  // name=lamp matches 2,000 rows, of which `active` keeps 1,600: the cap weighs the 2,000.
  const request = {
    filter: { name: 'lamp', active: true },
    sort: { field: 'sku' as const, direction: 'asc' as const },
    page: 1,
    pageSize: 25,
  };
  const want = await referenceIds(cases[5] as Case, 'sku', 'asc');
  const tuning = (cap: number) => ({
    scanRows: 20,
    walkRows: 0,
    sampleRows: 500,
    inMemoryMatches: cap,
    exactUpTo: 0,
    markFrom: 2_000,
  });
  const read = await listProducts(stack.deps.db.pool, request, tuning(2_000));
  assert.deepEqual([read.total, read.totalRelation], [1_600, 'eq'], 'all 2,000 text matches read: an exact total');
  assert.deepEqual(ids(read), want.slice(0, 25));
  const walked = await listProducts(stack.deps.db.pool, request, tuning(1_999));
  assert.notEqual(walked.totalRelation, 'eq', 'over the cap: walked on in sort order, the total estimated');
  assert.deepEqual(ids(walked), want.slice(0, 25));
});

test('a deep page of a name or price sort is an index-only scan', async () => {
  // The sort indexes include the column their expression key is computed from; without it
  // PostgreSQL visits the table for every row an OFFSET skips.
  const client = await stack.deps.db.pool.connect();
  try {
    await client.query('begin');
    await client.query('set local enable_seqscan = off');
    await client.query('set local enable_sort = off');
    for (const [field, index] of [
      ['name', 'products_name_sort_idx'],
      ['price', 'products_price_sort_idx'],
    ] as const) {
      const spec = { field, descending: false, backward: false, seek: null, offset: 3_000, limit: 26 };
      const query = productListSql.walkQuery({}, spec);
      const plan = await client.query<{ 'QUERY PLAN': string }>(`explain ${query.text}`, query.values);
      const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
      assert.match(text, new RegExp(`Index Only Scan using ${index}`), text);
    }
  } finally {
    await client.query('rollback');
    client.release();
  }
});

test('a walk filtered by sku in sku order, or by name in name order, skips non-matches in the index', async () => {
  // `sku_key` (the lowercase sku) is the sku sort's key and the name sort's index includes `name`:
  // a match far along the sort order costs no table visit for each entry skipped on the way.
  const client = await stack.deps.db.pool.connect();
  try {
    await client.query('begin');
    await client.query('set local enable_seqscan = off');
    await client.query('set local enable_bitmapscan = off');
    for (const [field, filter, index] of [
      ['sku', { sku: 'r-05' }, 'products_sku_key_unique'],
      ['name', { name: 'zebra' }, 'products_name_sort_idx'],
      // With `active`, only the text matches' rows are read, for it.
      ['sku', { sku: 'r-05', active: false }, 'products_sku_key_unique'],
      ['name', { name: 'zebra', active: true }, 'products_name_sort_idx'],
    ] as const) {
      const spec = { field, descending: false, backward: false, seek: null, offset: 0, limit: 26 };
      const query = productListSql.walkQuery(filter, spec);
      const plan = await client.query<{ 'QUERY PLAN': string }>(`explain ${query.text}`, query.values);
      const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
      assert.match(text, new RegExp(`Index Only Scan using ${index}`), text);
    }
  } finally {
    await client.query('rollback');
    client.release();
  }
});

test('rows added and removed between pages are neither skipped nor repeated', async () => {
  const base = 'q=zebra&sort=sku&pageSize=50';
  const first = await api.page(base);
  const lastSeen = first.items.at(-1);
  assert.ok(lastSeen && first.nextCursor);
  // One new row before the boundary (already passed), one after it; one unread row deleted, one read row deleted.
  const passed = await api.created({ sku: 'CUR-00000-zebra', name: 'zebra early' });
  const ahead = await api.created({ sku: 'CUR-99999-zebra', name: 'zebra late' });
  const unread = await stack.deps.db.pool.query<{ id: string }>(
    `delete from products where id = (select id from products where name ilike '%zebra%' and sku_key > $1 order by sku_key offset 10 limit 1) returning id`,
    [lastSeen.sku.toLowerCase()],
  );
  await stack.deps.db.pool.query(`delete from products where id = $1`, [first.items[3]?.id]);
  const deletedUnread = Number(unread.rows[0]?.id);

  const walked = [...ids(first)];
  let page = first;
  while (page.nextCursor) {
    page = await api.page(`${base}&cursor=${page.nextCursor}`);
    walked.push(...ids(page));
  }
  assert.equal(new Set(walked).size, walked.length, 'no row repeated');
  assert.ok(!walked.includes(passed.id), 'a row added behind the reader is not shown');
  assert.ok(walked.includes(ahead.id), 'a row added ahead of the reader is shown');
  assert.ok(!walked.includes(deletedUnread), 'a row deleted ahead of the reader is not shown');
  const everyOther = await stack.deps.db.pool.query<{ id: string }>(
    `select id from products where name ilike '%zebra%' and id <> $1 order by sku_key`,
    [passed.id],
  );
  const expectedIds = [...ids(first), ...everyOther.rows.map((row) => Number(row.id))];
  assert.deepEqual([...new Set(expectedIds)].sort(), [...walked].sort(), 'every row present throughout is shown once');

  // Back from the end to the start: the same rows in the same order.
  const backwards: number[][] = [];
  while (page.prevCursor) {
    backwards.unshift(ids(page));
    page = await api.page(`${base}&cursor=${page.prevCursor}`);
  }
  backwards.unshift(ids(page));
  assert.equal(page.page, 1);
  const now = await referenceIds({ query: '', filter: {}, where: 'name ilike $1', values: ['%zebra%'] }, 'sku', 'asc');
  assert.deepEqual(backwards.flat(), now);
});

test('totals: exact from counts or few matches, estimated for many, and never below what was shown', async () => {
  const all = await api.page('');
  assert.equal(all.totalRelation, 'eq');
  assert.equal(all.total, ROWS + 2 - 2);
  const rare = await api.page('q=rare gem');
  assert.equal(rare.totalRelation, 'eq');
  assert.equal(rare.totalExact, true);
  assert.equal(rare.total, Math.floor(ROWS / 97));
  const steel = await api.page('name=steel');
  const count =
    (
      await stack.deps.db.pool.query<{ n: number }>(
        `select count(*)::int as n from products where name ilike '%steel%'`,
      )
    ).rows[0]?.n ?? 0;
  assert.equal(steel.totalExact, false);
  assert.equal(steel.totalRelation, 'about');
  assert.ok(Math.abs(steel.total - count) <= count * 0.3, `about ${steel.total} for ${count}`);
  // A sample that covers the whole table counts exactly.
  const whole = await listProducts(
    stack.deps.db.pool,
    { filter: { name: 'steel' }, sort: { field: 'sku', direction: 'asc' }, page: 1, pageSize: 10 },
    {
      scanRows: 2_000,
      walkRows: 20_000,
      sampleRows: 1_000_000,
      inMemoryMatches: 10_000,
      exactUpTo: 2_000,
      markFrom: 2_000,
    },
  );
  assert.deepEqual([whole.total, whole.totalRelation, whole.totalExact], [count, 'eq', true]);
});

test('a cursor that cannot be read, or belongs to other filters, sort or page size, is a 400', async () => {
  const page = await api.page('name=oak&pageSize=10');
  assert.ok(page.nextCursor);
  const foreign = [
    `name=lamp&pageSize=10&cursor=${page.nextCursor}`,
    `name=oak&pageSize=20&cursor=${page.nextCursor}`,
    `name=oak&pageSize=10&sort=price&cursor=${page.nextCursor}`,
  ];
  for (const query of foreign) {
    const response = await api.list(query);
    assert.equal(response.status, 400, query);
    const error = await errorOf(response);
    assert.equal(error.code, 'validation_failed');
    assert.equal(error.message, 'The cursor belongs to other filters; start again from page 1');
  }
  // A cursor edited by hand keeps its fingerprint (which is no signature): its key is checked too.
  for (const sort of ['price', 'updatedAt']) {
    const sorted = await api.page(`name=oak&pageSize=10&sort=${sort}`);
    assert.ok(sorted.nextCursor, sort);
    const body = JSON.parse(Buffer.from(sorted.nextCursor, 'base64url').toString('utf8'));
    const edited = Buffer.from(JSON.stringify({ ...body, k: 'not a key' })).toString('base64url');
    const response = await api.list(`name=oak&pageSize=10&sort=${sort}&cursor=${edited}`);
    assert.equal(response.status, 400, sort);
    assert.match((await errorOf(response)).message, /cursor/);
  }
  const tampered = Buffer.from('{"k":1}').toString('base64url');
  for (const cursor of ['not-a-cursor', tampered, '%%%', 'x'.repeat(2_001)]) {
    const response = await api.list(`name=oak&pageSize=10&cursor=${cursor}`);
    assert.equal(response.status, 400, cursor);
    assert.match((await errorOf(response)).message, /cursor/);
  }
});
