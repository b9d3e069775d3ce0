import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { productSchema } from '@catalog/domain';
import { z } from 'zod';
import { errorOf, productOf, productsApi } from '../../../../tests/support/products';
import { type Stack, startStack } from '../../../../tests/support/stack';

/**
 * Create, read, update and delete one product at a time through the real API and PostgreSQL:
 * the importer's field rules, the case-insensitive SKU conflict, optimistic concurrency
 * (version / If-Match), and the outbox event written with each change.
 */
let stack: Stack;
let api: ReturnType<typeof productsApi>;

before(async () => {
  stack = await startStack({ worker: false });
  api = productsApi(await stack.as('editor'));
});
after(async () => {
  await stack?.stop();
});

const uniqueSku = (label: string) => `${label}-${randomBytes(5).toString('hex')}`;

async function eventsFor(productId: number) {
  const { rows } = await stack.deps.db.pool.query<{ type: string; data: unknown }>(
    `select type, data from outbox_events where data->>'id' = $1 order by seq`,
    [String(productId)],
  );
  return rows;
}

test('POST creates a product with the importer rules applied, an ETag, and a product.created event', async () => {
  const sku = uniqueSku('  create');
  const response = await api.create({ sku, name: 'Desk lamp', price: 19.9, active: 'no' });
  assert.equal(response.status, 201);
  const product = await productOf(response);
  assert.equal(product.sku, sku.trim(), 'the SKU is trimmed, as on import');
  assert.equal(product.price, '19.90');
  assert.equal(product.active, false);
  assert.equal(product.description, '');
  assert.equal(product.version, 1);
  assert.equal(response.headers.get('etag'), '"1"');
  assert.equal(response.headers.get('location'), `/api/products/${product.id}`);

  const events = await eventsFor(product.id);
  assert.deepEqual(
    events.map((e) => e.type),
    ['product.created'],
  );
  assert.deepEqual(productSchema.parse(events[0]?.data), product);

  const read = await api.get(product.id);
  assert.equal(read.status, 200);
  assert.deepEqual(await productOf(read), product);
});

test('invalid fields answer 400 naming the field, with the importer reason', async () => {
  const cases: [unknown, string, RegExp][] = [
    [{ name: 'x' }, 'sku', /sku/],
    [{ sku: '   ', name: 'x' }, 'sku', /sku is required/],
    [{ sku: 'a'.repeat(256), name: 'x' }, 'sku', /longer than 255/],
    [{ sku: uniqueSku('v'), name: ' ' }, 'name', /name is required/],
    [{ sku: uniqueSku('v'), name: 'x', price: '-3' }, 'price', /not a non-negative number/],
    [{ sku: uniqueSku('v'), name: 'x', price: '1.999' }, 'price', /at most 2 decimals/],
    [{ sku: uniqueSku('v'), name: 'x', active: 'maybe' }, 'active', /true\/false/],
    [{ sku: uniqueSku('v'), name: 'bad\u0000name' }, 'name', /NUL/],
    [{ sku: uniqueSku('v'), name: 'x', colour: 'red' }, 'body', /colour/],
  ];
  for (const [body, parameter, reason] of cases) {
    const response = await api.create(body);
    assert.equal(response.status, 400, JSON.stringify(body));
    const error = await errorOf(response);
    assert.equal(error.code, 'validation_failed');
    assert.match(error.message, new RegExp(`"${parameter}"`), error.message);
    assert.match(error.message, reason, error.message);
  }
});

test('a SKU that exists in another letter case is a 409 naming the existing product', async () => {
  const sku = uniqueSku('Case');
  const existing = await api.created({ sku, name: 'Original' });
  const response = await api.create({ sku: sku.toUpperCase(), name: 'Copy' });
  assert.equal(response.status, 409);
  const error = await errorOf(response);
  assert.equal(error.code, 'conflict');
  assert.match(error.message, new RegExp(`product ${existing.id}`));
  assert.deepEqual(z.object({ existing: productSchema }).parse(error.details).existing, existing);

  const other = await api.created({ sku: uniqueSku('Other'), name: 'Other' });
  const renamed = await api.patch(other.id, { sku: sku.toLowerCase(), version: other.version });
  assert.equal(renamed.status, 409, 'renaming onto an existing SKU is the same conflict');
  assert.equal(z.object({ existing: productSchema }).parse((await errorOf(renamed)).details).existing.id, existing.id);
});

test('PATCH with the current version saves, bumps the version, and emits product.updated with previous values', async () => {
  const product = await api.created({ sku: uniqueSku('edit'), name: 'Before', price: '5' });
  const response = await api.patch(product.id, { name: 'After', price: null, version: product.version });
  assert.equal(response.status, 200);
  const saved = await productOf(response);
  assert.equal(saved.name, 'After');
  assert.equal(saved.price, null);
  assert.equal(saved.version, product.version + 1);
  assert.equal(response.headers.get('etag'), `"${saved.version}"`);

  const viaHeader = await api.patch(product.id, { description: 'With If-Match' }, { 'If-Match': `"${saved.version}"` });
  assert.equal(viaHeader.status, 200);
  const final = await productOf(viaHeader);
  assert.equal(final.version, saved.version + 1);

  const unchanged = await api.patch(product.id, { name: 'After', version: final.version });
  assert.equal((await productOf(unchanged)).version, final.version, 'an edit that changes nothing writes nothing');

  const events = await eventsFor(product.id);
  assert.deepEqual(
    events.map((e) => e.type),
    ['product.created', 'product.updated', 'product.updated'],
  );
  const updated = z.object({ previous: productSchema }).passthrough().parse(events[1]?.data);
  assert.equal(updated.previous.name, 'Before');
  assert.equal(productSchema.parse(events[1]?.data).name, 'After');
});

test('a stale edit is a 409 carrying the current values, and nothing is overwritten', async () => {
  const product = await api.created({ sku: uniqueSku('stale'), name: 'Shared' });
  const first = await api.patch(product.id, { name: 'Alice was here', version: product.version });
  assert.equal(first.status, 200);
  const second = await api.patch(product.id, { name: 'Bob was here', version: product.version });
  assert.equal(second.status, 409);
  const error = await errorOf(second);
  const { current } = z.object({ current: productSchema }).parse(error.details);
  assert.equal(current.name, 'Alice was here');
  assert.equal(current.version, product.version + 1);
  assert.equal((await productOf(await api.get(product.id))).name, 'Alice was here');

  const staleHeader = await api.patch(product.id, { name: 'Carol' }, { 'If-Match': `"${product.version}"` });
  assert.equal(staleHeader.status, 409);
});

test('PATCH needs a version, and refuses a body that disagrees with If-Match', async () => {
  const product = await api.created({ sku: uniqueSku('ver'), name: 'Versioned' });
  const missing = await api.patch(product.id, { name: 'No version' });
  assert.equal(missing.status, 400);
  assert.match((await errorOf(missing)).message, /version/);
  const disagree = await api.patch(product.id, { name: 'x', version: 1 }, { 'If-Match': '"2"' });
  assert.equal(disagree.status, 400);
  const badHeader = await api.patch(product.id, { name: 'x' }, { 'If-Match': 'yesterday' });
  assert.equal(badHeader.status, 400);
  assert.match((await errorOf(badHeader)).message, /if-match/i);
});

test('DELETE removes the product and emits product.deleted; unknown and malformed ids are 404 and 400', async () => {
  const product = await api.created({ sku: uniqueSku('gone'), name: 'Short-lived' });
  const stale = await api.remove(product.id, { 'If-Match': '"7"' });
  assert.equal(stale.status, 409, 'a delete with a stale If-Match is refused');
  const response = await api.remove(product.id);
  assert.equal(response.status, 204);
  assert.equal((await api.get(product.id)).status, 404);
  assert.equal((await api.remove(product.id)).status, 404);
  const events = await eventsFor(product.id);
  assert.deepEqual(
    events.map((e) => e.type),
    ['product.created', 'product.deleted'],
  );
  assert.deepEqual(productSchema.parse(events[1]?.data), product);

  const malformed = await api.get('abc');
  assert.equal(malformed.status, 400);
  assert.match((await errorOf(malformed)).message, /"id"/);
});

test('a failed write leaves no outbox event behind (the event shares the transaction)', async () => {
  const sku = uniqueSku('tx');
  await api.created({ sku, name: 'First' });
  assert.equal((await api.create({ sku: sku.toUpperCase(), name: 'Duplicate' })).status, 409);
  const { rows } = await stack.deps.db.pool.query<{ name: string }>(
    `select data->>'name' as name from outbox_events where lower(data->>'sku') = lower($1)`,
    [sku],
  );
  assert.deepEqual(
    rows.map((row) => row.name),
    ['First'],
  );
});

test('product text is stored and returned verbatim', async () => {
  const name = '<img src=x onerror=alert(1)> "quoted", émoji 🚀';
  const product = await api.created({ sku: uniqueSku('xss'), name, description: '  padded\nmultiline  ' });
  assert.equal(product.name, name);
  assert.equal(product.description, '  padded\nmultiline  ');
});
