import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAPPING_OPTIONS, type MappingOptions } from '@catalog/domain';
import { checkDraft, draftFromSuggestion, generalReasons, previewRows, reasonsFor } from './mappingDraft';

const headers = ['Handle', 'Title', 'Variant SKU', 'Variant Price', 'Status', 'Option1 Value'];
const columns = headers.map((header, index) => ({ index, header, samples: [] }));
const options: MappingOptions = {
  ...DEFAULT_MAPPING_OPTIONS,
  activeValues: 'status',
  priceFormat: { decimal: ',', thousands: '.' },
  group: { column: 'Handle', by: 'same', idColumn: null },
  variantName: { optionColumns: ['Option1 Value'] },
};
const suggested = {
  sku: 'Variant SKU',
  name: 'Title',
  description: null,
  price: 'Variant Price',
  active: { constant: 'active' },
};

test('a suggestion becomes column choices and constants, and checks back into the same mapping', () => {
  const draft = draftFromSuggestion(columns, suggested, options);
  assert.deepEqual(draft.targets, [null, 'name', 'sku', 'price', null, null]);
  assert.equal(draft.constants.active, 'active');
  assert.deepEqual(checkDraft(columns, draft), { mapping: suggested, problems: [] });
});

test('the SKU and name are required, and a field takes one column', () => {
  const draft = draftFromSuggestion(columns, suggested, options);
  draft.targets = [null, null, null, 'price', 'price', null];
  const checked = checkDraft(columns, draft);
  assert.equal(checked.mapping, null);
  assert.deepEqual(checked.problems, [
    'Choose the column that holds the SKU: every product needs one.',
    'Choose the column that holds the name, or give every row the same name.',
    'price is chosen for "Variant Price" and "Status": a field takes one column.',
  ]);
});

test('what the server would refuse is refused here too: a constant outside the vocabulary', () => {
  const draft = draftFromSuggestion(columns, suggested, options);
  draft.constants.active = 'yes';
  const checked = checkDraft(columns, draft);
  assert.equal(checked.mapping, null);
  assert.match(checked.problems[0] ?? '', /mapping\.active is the constant "yes"/);
});

test('the preview reads rows as staging does: groups lend names, option values join them, image rows are skipped', () => {
  const rows = [
    ['shirt', 'T-Shirt', 'TS-1', '1.234,50 €', '', 'Green'],
    ['shirt', '', 'TS-2', '19,99', '', 'Blue'],
    ['shirt', '', '', '', '', ''],
  ];
  const mapped = previewRows(columns, suggested, options, rows);
  assert.deepEqual(mapped.slice(0, 2), [
    { kind: 'valid', sku: 'TS-1', name: 'T-Shirt — Green', description: '', price: '1234.50', active: true },
    { kind: 'valid', sku: 'TS-2', name: 'T-Shirt — Blue', description: '', price: '19.99', active: true },
  ]);
  assert.equal(mapped[2]?.kind, 'skipped');

  const plain = previewRows(columns, suggested, { ...options, priceFormat: { decimal: '.', thousands: '' } }, rows);
  assert.equal(plain[0]?.kind, 'invalid', 'the same cell in another number format is not a price');
});

test('reasons are shown beside their column; the rest above the columns', () => {
  const reasons = [
    'Remembered mapping "Shop" for these headers',
    'Variant SKU → sku: Shopify variant SKU',
    'Status: active read as active/draft/archived',
  ];
  assert.deepEqual(reasonsFor('Variant SKU', reasons), ['Variant SKU → sku: Shopify variant SKU']);
  assert.deepEqual(reasonsFor('Status', reasons), ['Status: active read as active/draft/archived']);
  assert.deepEqual(generalReasons(columns, reasons), ['Remembered mapping "Shop" for these headers']);
});
