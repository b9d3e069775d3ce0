import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DEFAULT_LIST_TUNING,
  listProducts,
  MARK_SCOPES,
  type MarkScope,
  type MarkSet,
  refreshSortMarks,
} from '@catalog/db';
import { type ProductFilter, type ProductSortField, productSortFields, type SortDirection } from '@catalog/domain';
import { productsApi } from '../../../../tests/support/products';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * Deep pages from sort position marks, on a catalog of its own (12,000 rows, a quarter inactive)
 * with a mark every 100 rows: every sort, direction and scope at many depths equals plain SQL; a set
 * is used only while no product changed since it was built (a corrupted mark shows which: it
 * changes the page only when used); the change counter only rises, TRUNCATE included; concurrent
 * builds of one set skip; the API rebuilds a set a deep page found missing.
 */
let stack: Stack;
const ROWS = 12_000;
const SPACING = 100;
const tuning = { ...DEFAULT_LIST_TUNING, markFrom: 2 * SPACING };

const seed = () =>
  stack.deps.db.pool.query(
    `insert into products (sku, name, description, price, active, updated_at)
     select 'MRK-' || lpad(g::text, 5, '0'),
            (array['Steel', 'oak', 'café', 'Ultra', 'zebra'])[g % 5 + 1] || ' ' || (array['Chair', 'lamp', 'Table'])[g % 3 + 1] || ' ' || g,
            'plain text ' || g,
            case when g % 11 = 0 then null else (g % 500) + 0.25 end,
            g % 4 <> 0,
            now() - (g % 97) * interval '1 minute'
     from generate_series(1, $1::int) g`,
    [ROWS],
  );

before(async () => {
  stack = await startStack({ isolated: true, worker: false });
  await seed();
  // As after a large import. Freshly inserted rows sit in the trigram indexes' pending lists, and
  // until a vacuum the planner looks skus up through one of them: 14 ms a row, whatever the marks.
  await stack.deps.db.pool.query(`vacuum analyze products`);
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
const scopes: Record<MarkScope, { filter: ProductFilter; where: string }> = {
  all: { filter: {}, where: '' },
  active: { filter: { active: true }, where: 'where active' },
  inactive: { filter: { active: false }, where: 'where not active' },
};
type Page = { set: MarkSet; direction: SortDirection; page: number; pageSize: number };

/** The whole scope in order as plain SQL gives it (WHERE, ORDER BY), as ids. */
async function ordered(set: MarkSet, direction: SortDirection): Promise<number[]> {
  const keys = orderBy[set.field].map((key) => `${key} ${direction}`).join(', ');
  const { rows } = await stack.deps.db.pool.query<{ id: string }>(
    `select id from products ${scopes[set.scope].where} order by ${keys}`,
  );
  return rows.map((row) => Number(row.id));
}

/** The page as plain SQL gives it: ORDER BY, OFFSET, LIMIT, and the scope's count. */
async function expected({ set, direction, page, pageSize }: Page, all?: number[]) {
  const ids = all ?? (await ordered(set, direction));
  return { ids: ids.slice((page - 1) * pageSize, page * pageSize), total: ids.length };
}

/** The page as listProducts gives it, and the sets it reported stale. */
async function listed({ set, direction, page, pageSize }: Page) {
  const stale: MarkSet[] = [];
  const list = await listProducts(
    stack.deps.db.pool,
    { filter: scopes[set.scope].filter, sort: { field: set.field, direction }, page, pageSize },
    tuning,
    (each) => stale.push(each),
  );
  return { ids: list.items.map((item) => item.id), total: list.total, stale };
}

async function changes(): Promise<number> {
  const { rows } = await stack.deps.db.pool.query<{ n: string }>(
    `select coalesce(sum(changes), 0)::text as n from product_counts`,
  );
  return Number(rows[0]?.n);
}

/** Builds the set anew (as if never built) with the test's spacing. */
async function rebuild(set: MarkSet) {
  await stack.deps.db.pool.query(`delete from product_sort_mark_sets where field = $1 and scope = $2`, [
    set.field,
    set.scope,
  ]);
  const result = await refreshSortMarks(stack.deps.db.pool, set.field, set.scope, SPACING);
  assert.equal(result.outcome, 'built');
  return result;
}

/** Every mark of the set now names the set's first marked row: any page walked from one goes wrong. */
async function corrupt(set: MarkSet) {
  const { rowCount } = await stack.deps.db.pool.query(
    `update product_sort_marks m set key = first.key, id = first.id
     from (select key, id from product_sort_marks where field = $1 and scope = $2 order by position limit 1) first
     where m.field = $1 and m.scope = $2`,
    [set.field, set.scope],
  );
  assert.ok((rowCount ?? 0) > 10, 'the set has marks to corrupt');
}

function depths(total: number, pageSize: number): number[] {
  const last = Math.ceil(total / pageSize);
  const middle = Math.floor(last / 2);
  // 20 and 21 at 50 a page: the page ends on, and starts just past, the mark at position 999;
  // 28 at 37 a page starts on it (offset 999). The others: start, first marked page, middle, end.
  const pages = [1, 2, Math.ceil(tuning.markFrom / pageSize) + 1, 20, 21, 28, 101, middle, middle + 1];
  pages.push(last - 20, last - 5, last - 1, last);
  return [...new Set(pages)].filter((page) => page >= 1 && page <= last).sort((a, b) => a - b);
}

test('after a build, every sort, direction and scope pages like plain SQL at every depth', async () => {
  for (const field of productSortFields) {
    for (const scope of MARK_SCOPES) await rebuild({ field, scope });
  }
  for (const field of productSortFields) {
    for (const scope of MARK_SCOPES) {
      const set = { field, scope };
      for (const direction of ['asc', 'desc'] as const) {
        const all = await ordered(set, direction);
        for (const pageSize of [50, 37]) {
          for (const page of depths(all.length, pageSize)) {
            const got = await listed({ set, direction, page, pageSize });
            const want = await expected({ set, direction, page, pageSize }, all);
            const label = `${field}/${scope} ${direction} page ${page} of ${pageSize}`;
            assert.deepEqual(got.ids, want.ids, label);
            assert.equal(got.total, want.total, label);
            assert.deepEqual(got.stale, [], `${label}: the set is fresh`);
          }
        }
      }
      // And those pages came from the marks: with every mark corrupted, the middle one is wrong.
      const { total } = await expected({ set, direction: 'asc', page: 1, pageSize: 1 });
      const middle: Page = { set, direction: 'asc', page: Math.ceil(total / 2 / 50), pageSize: 50 };
      await corrupt(set);
      assert.notDeepEqual((await listed(middle)).ids, (await expected(middle)).ids, `${field}/${scope} used`);
      await rebuild(set);
    }
  }
});

test('a fresh set is used; after an insert, update or delete it is not, until rebuilt', async () => {
  const set: MarkSet = { field: 'updatedAt', scope: 'inactive' };
  const deep: Page = { set, direction: 'desc', page: 30, pageSize: 50 };
  const pool = stack.deps.db.pool;
  const edits = {
    insert: () =>
      pool.query(
        `insert into products (sku, name, active, updated_at) values ('MRK-NEW', 'new', false, now() - interval '40 minutes')`,
      ),
    update: () => pool.query(`update products set description = 'edited' where id = (select min(id) from products)`),
    delete: () => pool.query(`delete from products where id = (select max(id) from products where not active)`),
  };
  for (const [kind, edit] of Object.entries(edits)) {
    await rebuild(set);
    await corrupt(set);
    assert.notDeepEqual((await listed(deep)).ids, (await expected(deep)).ids, `${kind}: the fresh set was used`);
    await rebuild(set);

    const before = await changes();
    await edit();
    assert.ok((await changes()) > before, `${kind}: the counter rose`);
    await corrupt(set);
    const stale = await listed(deep);
    assert.deepEqual(stale.ids, (await expected(deep)).ids, `${kind}: the stale set was not used`);
    assert.deepEqual(stale.stale, [set], `${kind}: and was reported stale`);

    const refreshed = await refreshSortMarks(pool, set.field, set.scope, SPACING);
    assert.equal(refreshed.outcome, 'built', kind);
    assert.deepEqual((await listed(deep)).ids, (await expected(deep)).ids, `${kind}: rebuilt`);
    assert.equal((await refreshSortMarks(pool, set.field, set.scope, SPACING)).outcome, 'fresh', kind);
  }
});

test('a statement that touches no product leaves the counter and the set as they were', async () => {
  const set: MarkSet = { field: 'name', scope: 'all' };
  const deep: Page = { set, direction: 'asc', page: 21, pageSize: 50 };
  await rebuild(set);
  const before = await changes();
  await stack.deps.db.pool.query(`update products set name = name where false`);
  await stack.deps.db.pool.query(`delete from products where id < 0`);
  assert.equal(await changes(), before);
  await corrupt(set);
  assert.notDeepEqual((await listed(deep)).ids, (await expected(deep)).ids, 'still fresh: used');
  await rebuild(set);
});

test('TRUNCATE keeps the change counter rising, so no set built before it is used after', async () => {
  const set: MarkSet = { field: 'price', scope: 'active' };
  const deep: Page = { set, direction: 'asc', page: 60, pageSize: 50 };
  await rebuild(set);
  const before = await changes();
  await stack.deps.db.pool.query(`truncate products`);
  const truncated = await changes();
  assert.ok(truncated > before, `${truncated} > ${before}`);
  const { rows } = await stack.deps.db.pool.query(
    `select sum(active)::int as a, sum(inactive)::int as i from product_counts`,
  );
  assert.deepEqual(rows[0], { a: 0, i: 0 });
  assert.deepEqual((await listed(deep)).ids, []);
  await seed();
  assert.ok((await changes()) > truncated);
  await corrupt(set);
  const got = await listed(deep);
  assert.deepEqual(got.ids, (await expected(deep)).ids, 'the set from before the TRUNCATE is not used');
  assert.deepEqual(got.stale, [set]);
  await rebuild(set);
  assert.deepEqual((await listed(deep)).ids, (await expected(deep)).ids);
});

test('a build of a set another build holds is skipped, not queued', async () => {
  const set: MarkSet = { field: 'sku', scope: 'all' };
  const pool = stack.deps.db.pool;
  await pool.query(`insert into products (sku, name) values ('MRK-BUSY', 'busy')`);
  // The first build waits on a table lock while holding its advisory lock.
  const blocker = await pool.connect();
  try {
    await blocker.query(`begin`);
    await blocker.query(`lock table product_sort_marks in exclusive mode`);
    const first = refreshSortMarks(pool, set.field, set.scope, SPACING);
    for (let i = 0; i < 200; i++) {
      const held = await pool.query(
        `select 1 from pg_locks l join pg_database d on d.oid = l.database
         where l.locktype = 'advisory' and l.granted and d.datname = current_database()`,
      );
      if (held.rowCount) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal((await refreshSortMarks(pool, set.field, set.scope, SPACING)).outcome, 'busy');
    await blocker.query(`commit`);
    assert.equal((await first).outcome, 'built');
  } finally {
    blocker.release();
  }
});

test('a deep page through the API that finds its set missing has the API rebuild it', async () => {
  const api = productsApi(await stack.as('viewer'));
  const set: MarkSet = { field: 'price', scope: 'active' };
  await stack.deps.db.pool.query(`delete from product_sort_mark_sets where field = $1 and scope = $2`, [
    set.field,
    set.scope,
  ]);
  // 9,000 active products: page 60 of 50 is more than 2,000 (the default `markFrom`) from both ends.
  const deep: Page = { set, direction: 'desc', page: 60, pageSize: 50 };
  const query = 'active=true&sort=price:desc&page=60&pageSize=50';
  assert.deepEqual(
    (await api.page(query)).items.map((item) => item.id),
    (await expected(deep)).ids,
  );
  let built = false;
  for (let i = 0; i < 100 && !built; i++) {
    const { rowCount } = await stack.deps.db.pool.query(
      `select 1 from product_sort_mark_sets
       where field = $1 and scope = $2 and changes = (select sum(changes) from product_counts)`,
      [set.field, set.scope],
    );
    built = (rowCount ?? 0) > 0;
    if (!built) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(built, 'rebuilt in the background');
  assert.deepEqual(
    (await api.page(query)).items.map((item) => item.id),
    (await expected(deep)).ids,
  );
});
