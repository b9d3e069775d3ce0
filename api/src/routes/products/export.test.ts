import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { escapeCsvFormula, unescapeCsvFormula } from '@catalog/domain';
import { finalEvent, startImport } from '../../../../tests/support/imports';
import { productsApi } from '../../../../tests/support/products';
import { type Stack, startStack } from '../../../../tests/support/stack';

/** GET /api/products/export.csv on a catalog of its own, and the file fed back to the importer. */
let stack: Stack;
let api: ReturnType<typeof productsApi>;

before(async () => {
  stack = await startStack({ isolated: true });
  api = productsApi(await stack.as('editor'));
});
after(async () => {
  await stack?.stop();
});

const tricky = [
  { sku: 'RT-1', name: 'Plain', price: '10' },
  { sku: 'RT-2', name: 'Comma, "quotes" and\nnewline', description: 'Multi\r\nline, "quoted"', price: null },
  { sku: 'RT-3', name: '  padded  ', description: '', active: false },
  { sku: 'RT-4', name: 'Ünïcødé 🚀', description: 'tab\there', price: '0.5' },
  { sku: 'RT-5', name: '<img src=x onerror=alert(1)>', description: '\\backslash\\', price: '9999999999.99' },
];
const formulas = [
  { sku: 'RT-F1', name: '=1+1', description: '+SUM(A1)' },
  { sku: 'RT-F2', name: '-minus', description: '@cmd' },
  { sku: 'RT-F3', name: "'=already quoted", description: "''+twice" },
];

test('formula escaping is lossless: unescape(escape(x)) === x for any text', () => {
  for (const value of ['=1', '+1', '-1', '@x', '\tx', "'=x", "''-x", "'x", 'x=1', '', "'", 'plain']) {
    assert.equal(unescapeCsvFormula(escapeCsvFormula(value)), value, JSON.stringify(value));
  }
  assert.equal(escapeCsvFormula('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
  assert.equal(escapeCsvFormula('x=1'), 'x=1');
});

test('the export is the importer format, filtered, with formula cells escaped', async () => {
  for (const product of [...tricky, ...formulas]) await api.created(product);
  const response = await api.exportCsv('sku=rt-f');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/csv/);
  assert.match(response.headers.get('content-disposition') ?? '', /attachment; filename="products.csv"/);
  assert.equal(
    await response.text(),
    [
      'sku,name,description,price,active',
      `RT-F1,'=1+1,'+SUM(A1),,true`,
      `RT-F2,'-minus,'@cmd,,true`,
      `RT-F3,''=already quoted,'''+twice,,true`,
      '',
    ].join('\r\n'),
  );
  const bad = await api.exportCsv('active=sometimes');
  assert.equal(bad.status, 400);
});

test('export, then import of that file, leaves every product unchanged', async () => {
  const before = await api.page('pageSize=200');
  const csv = await (await api.exportCsv()).text();
  const editor = await stack.as('editor');
  const final = await finalEvent(editor, await startImport(editor, csv));
  assert.equal(final.event, 'completed');
  assert.equal(final.data.result?.invalid, 0);
  assert.equal(final.data.result?.inserted, 0);
  assert.equal(final.data.result?.updated, 0);
  assert.equal(final.data.result?.unchanged, before.total);
  assert.deepEqual((await api.page('pageSize=200')).items, before.items);
});
