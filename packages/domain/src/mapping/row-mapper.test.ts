import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import {
  sampled,
  shopifyClassicExport,
  shopifyExport,
  wooCommerceExport,
} from '../../../../tests/support/shop-exports';
import { mappingOptionsSchema } from './options';
import { planMapping } from './plan';
import { createRowMapper, type MappedRow } from './row-mapper';
import { suggestMapping } from './suggest';
import { columnMappingSchema } from './targets';

/** A file read through its suggested mapping, as staging reads it. */
function mapFile(csv: string, change: (options: Record<string, unknown>) => void = () => {}): MappedRow[] {
  const [headers = [], ...rows] = parse(csv, { relax_column_count: true }) as string[][];
  const suggestion = suggestMapping(sampled(csv));
  const options = { ...suggestion.suggestedOptions };
  change(options);
  const plan = planMapping(
    headers,
    columnMappingSchema.parse(suggestion.suggestedMapping),
    mappingOptionsSchema.parse(options),
  );
  const mapRow = createRowMapper(plan);
  return rows.map((row) => mapRow(row));
}

const valid = (rows: MappedRow[]) => rows.flatMap((row) => (row.kind === 'valid' ? [row] : []));

for (const [platform, build] of [
  ['Shopify', shopifyExport],
  ['Shopify classic', shopifyClassicExport],
  ['WooCommerce', wooCommerceExport],
] as const) {
  test(`${platform}: every product is valid with its name, list price and active state; image rows are skipped`, () => {
    const fixture = build();
    const rows = mapFile(fixture.csv);
    assert.deepEqual(
      rows.filter((row) => row.kind === 'invalid'),
      [],
    );
    assert.equal(rows.filter((row) => row.kind === 'skipped').length, fixture.skipped);
    const landed = valid(rows);
    assert.deepEqual(
      landed.map(({ sku, name, price, active }) => ({
        sku,
        name,
        price: price === null ? null : Number(price).toFixed(2),
        active,
      })),
      fixture.expected.map(({ sku, name, price, active }) => ({ sku, name, price, active })),
    );
    for (const expected of fixture.expected.filter((product) => product.description !== undefined)) {
      assert.equal(landed.find((row) => row.sku === expected.sku)?.description, expected.description, expected.sku);
    }
  });
}

test('a skipped row says why and names what it still had', () => {
  const skipped = mapFile(shopifyExport().csv).find((row) => row.kind === 'skipped');
  assert.equal(
    skipped?.kind === 'skipped' && skipped.reason,
    'Skipped: no SKU, name, description or price, only Handle, Image Src, Image Position (an image or option row, not a product)',
  );
});

test('descriptions become plain text by choice', () => {
  const rows = valid(mapFile(shopifyExport().csv, (options) => Object.assign(options, { description: 'text' })));
  assert.equal(rows[0]?.description, 'Soft organic cotton, "heavyweight",\nmade to last & wash well.');
});

test('without a group, variant rows keep their own blanks: no name is invalid, and no option values are added', () => {
  const rows = mapFile(shopifyExport().csv, (options) => Object.assign(options, { group: null, variantName: null }));
  const second = rows[1];
  assert.equal(second?.kind, 'invalid');
  assert.equal(second?.kind === 'invalid' && second.reason, 'name is required');
  assert.equal(valid(rows)[0]?.name, 'Example T-Shirt');
});

test('constants, a price outside the number format, an active word outside the vocabulary', () => {
  const headers = ['code', 'title', 'cost', 'state'];
  const plan = planMapping(
    headers,
    columnMappingSchema.parse({ sku: 'code', name: 'title', price: 'cost', active: { constant: 'yes' } }),
    mappingOptionsSchema.parse({ activeValues: 'yes_no', priceFormat: { decimal: ',', thousands: '.' } }),
  );
  const mapRow = createRowMapper(plan);
  assert.deepEqual(mapRow(['A', 'Mug', '1.234,50 €', 'whatever']), {
    kind: 'valid',
    sku: 'A',
    name: 'Mug',
    description: '',
    price: '1234.50',
    active: true,
  });
  const bad = mapRow(['B', 'Cup', '$1,299.00', '']);
  assert.equal(bad.kind, 'invalid');
  assert.equal(
    bad.kind === 'invalid' && bad.reason,
    'price "$1,299.00" is not a number in the chosen format (decimal ",", thousands ".")',
  );
  const status = createRowMapper(
    planMapping(
      headers,
      columnMappingSchema.parse({ sku: 'code', name: 'title', active: 'state' }),
      mappingOptionsSchema.parse({ activeValues: 'status' }),
    ),
  )(['C', 'Plate', '', 'yes']);
  assert.equal(status.kind === 'invalid' && status.reason, 'active "yes" is not one of active/draft/archived');
  assert.deepEqual(createRowMapper(plan)(['', '', '', '']), { kind: 'skipped', reason: 'Skipped: the row is empty' });
  assert.equal(createRowMapper(plan)(['', 'Named', '', '']).kind, 'invalid');
});

test('planning refuses what does not fit the file, naming each problem', () => {
  const headers = ['SKU', 'Name', 'Name ', 'Price'];
  const attempt = (mapping: unknown, options: unknown = {}) => {
    try {
      planMapping(headers, columnMappingSchema.parse(mapping), mappingOptionsSchema.parse(options));
      return [];
    } catch (error) {
      return (error as { details: { problems: string[] } }).details.problems;
    }
  };
  assert.deepEqual(attempt({ sku: 'SKU', name: 'Title' }), [
    'mapping.name names the column "Title", which is not in the file (its columns: SKU, Name, Name , Price)',
  ]);
  assert.deepEqual(attempt({ sku: 'SKU', name: 'SKU' }), [
    'mapping.sku and mapping.name both take the column "SKU": a column feeds one field',
  ]);
  assert.deepEqual(attempt({ sku: 'sku', name: 'Name', price: { constant: 'free' } }), [
    'mapping.price is the constant "free", which is not a price',
  ]);
  assert.deepEqual(attempt({ sku: 'SKU', name: 'Name', active: { constant: 'maybe' } }), [
    'mapping.active is the constant "maybe": active "maybe" is not one of true/false',
  ]);
  assert.deepEqual(attempt({ sku: 'SKU', name: 'name' }), [
    'mapping.name names the column "name", which the file has 2 times',
  ]);
  assert.deepEqual(attempt({ sku: 'SKU', name: 'Name' }, { group: { column: 'Handle', by: 'same' } }), [
    'options.group.column names the column "Handle", which is not in the file (its columns: SKU, Name, Name , Price)',
  ]);
  assert.equal(mappingOptionsSchema.safeParse({ activeValues: 'sometimes' }).success, false);
  assert.equal(mappingOptionsSchema.safeParse({ priceFormat: { decimal: ',', thousands: ',' } }).success, false);
  assert.equal(mappingOptionsSchema.safeParse({ colour: 'red' }).success, false);
  assert.equal(columnMappingSchema.safeParse({ sku: { constant: 'x' }, name: 'Name' }).success, false);
});
