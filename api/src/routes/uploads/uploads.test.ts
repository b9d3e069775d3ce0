import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ImportSummary, importSummarySchema, isFinished } from '@catalog/domain';
import { parse } from 'csv-parse/sync';
import { type Credentials, requestAs } from '../../../../tests/support/auth';
import { pollUntil } from '../../../../tests/support/imports';
import {
  csvText,
  type ShopExport,
  shopifyClassicExport,
  shopifyExport,
  wooCommerceExport,
} from '../../../../tests/support/shop-exports';
import { type Stack, startStack } from '../../../../tests/support/stack';
import { uploadSchema } from './schema';

/**
 * Upload, then map, through the real API, worker, Temporal and PostgreSQL: shop exports import
 * with only the suggested mapping, presets are remembered, and bad input is a 400 naming it. The
 * database is the test's own, so presets and products start empty.
 */
let stack: Stack;
let editor: Credentials;
before(async () => {
  stack = await startStack({ isolated: true, env: { SSE_POLL_MS: '100' } });
  editor = await stack.keyFor('editor');
});
after(async () => {
  await stack?.stop();
});

function sendFile(credentials: Credentials, csv: string | Uint8Array, fileName = 'products_export.csv') {
  const form = new FormData();
  form.append('file', new Blob([csv]), fileName);
  const headers: Record<string, string> =
    credentials && 'key' in credentials ? { authorization: `Bearer ${credentials.key}` } : {};
  return fetch(`${stack.baseUrl}/api/uploads`, { method: 'POST', body: form, headers });
}

async function uploaded(csv: string, fileName?: string, credentials: Credentials = editor) {
  const response = await sendFile(credentials, csv, fileName);
  const body: unknown = await response.json();
  assert.equal(response.status, 201, JSON.stringify(body));
  return uploadSchema.parse(body);
}

const startMapped = (body: unknown, credentials: Credentials = editor) =>
  requestAs(stack.baseUrl, credentials, '/api/imports', { method: 'POST', body });

async function finished(jobId: string): Promise<ImportSummary> {
  return pollUntil(
    `import ${jobId} to end`,
    async () =>
      importSummarySchema.parse(await (await requestAs(stack.baseUrl, editor, `/api/imports/${jobId}`)).json()),
    (summary) => isFinished(summary.status),
  );
}

async function products(skus: string[]) {
  const { rows } = await stack.deps.db.pool.query<{
    sku: string;
    name: string;
    description: string;
    price: string | null;
    active: boolean;
  }>(`select sku, name, description, price::text as price, active from products where sku = any($1) order by sku`, [
    skus,
  ]);
  return rows;
}

/** Uploads the export, imports it with exactly what was suggested, checks every product. */
async function importsWithSuggestion(fixture: ShopExport, fileName: string) {
  const upload = await uploaded(fixture.csv, fileName);
  const response = await startMapped({
    uploadId: upload.id,
    mapping: upload.suggestedMapping,
    options: upload.suggestedOptions,
    review: false,
  });
  const body = (await response.json()) as { jobId: string };
  assert.equal(response.status, 202, JSON.stringify(body));
  const summary = await finished(body.jobId);
  assert.equal(summary.status, 'completed', JSON.stringify(summary.error));
  assert.equal(summary.result?.invalid, 0);
  assert.equal(summary.result?.skipped, fixture.skipped);
  assert.equal(summary.result?.inserted, fixture.expected.length);
  const landed = await products(fixture.expected.map((product) => product.sku));
  const bySku = new Map(landed.map((product) => [product.sku, product]));
  for (const expected of fixture.expected) {
    const product = bySku.get(expected.sku);
    assert.ok(product, `${expected.sku} landed`);
    assert.deepEqual(
      { sku: product.sku, name: product.name, price: product.price, active: product.active },
      { sku: expected.sku, name: expected.name, price: expected.price, active: expected.active },
    );
    if (expected.description !== undefined) assert.equal(product.description, expected.description, expected.sku);
  }
  return { upload, summary, jobId: body.jobId };
}

describe('shop exports import with only the suggested mapping', () => {
  test('Shopify (current template): variants named by their options, Status read, image rows skipped with a reason', async () => {
    const fixture = shopifyExport();
    const { upload, jobId } = await importsWithSuggestion(fixture, 'products_export_1.csv');
    assert.equal(upload.platform, 'Shopify');
    assert.equal(upload.delimiter, ',');
    assert.equal(upload.preset, null);
    assert.ok(upload.reasons.includes('Variant SKU → sku: Shopify variant SKU'));
    const handle = upload.columns.find((column) => column.header === 'Handle');
    assert.deepEqual(handle, {
      index: 0,
      header: 'Handle',
      samples: ['example-t-shirt', 'example-t-shirt', 'example-t-shirt'],
    });

    const report = await requestAs(stack.baseUrl, editor, `/api/imports/${jobId}/errors.csv`);
    const rows = parse(await report.text(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      rows.map((row) => [row.row, row.column]),
      [
        ['5', 'skipped'],
        ['6', 'skipped'],
        ['10', 'skipped'],
      ],
    );
    assert.match(rows[0]?.reason ?? '', /^Skipped: no SKU, name, description or price, only Handle, Image Src/);
  });

  test('Shopify (classic template): Published TRUE/FALSE', async () => {
    await importsWithSuggestion(shopifyClassicExport(), 'products_export_classic.csv');
  });

  test('WooCommerce (decimal commas, Published -1/0/1, variations under Parent): regular prices, not sale prices', async () => {
    const { upload } = await importsWithSuggestion(wooCommerceExport(), 'wc-product-export-1-12-2026.csv');
    assert.equal(upload.platform, 'WooCommerce');
    assert.deepEqual(upload.suggestedOptions.priceFormat, { decimal: ',', thousands: '' });
  });
});

describe('presets', () => {
  test('an applied mapping is remembered for the next file with the same headers; it can be renamed and deleted', async () => {
    const fixture = wooCommerceExport();
    // Another file with the same header line, in another case: the signature ignores case and punctuation.
    const [header = '', ...rest] = fixture.csv.split('\n');
    const upload = await uploaded([header.toUpperCase(), ...rest].join('\n'), 'again.csv');
    assert.ok(upload.preset, 'the WooCommerce import above left a preset');
    assert.equal(upload.preset.name, 'WooCommerce export (wc-product-export-1-12-2026.csv)');
    assert.deepEqual(upload.suggestedOptions, upload.preset.options);
    assert.equal(upload.reasons[0]?.startsWith('Remembered mapping "WooCommerce export'), true);

    const viewer = await stack.keyFor('viewer');
    const list = await requestAs(stack.baseUrl, viewer, '/api/mapping-presets');
    assert.equal(list.status, 200);
    const { items } = (await list.json()) as { items: { id: string; name: string }[] };
    assert.ok(items.some((item) => item.id === upload.preset?.id));

    const presetPath = `/api/mapping-presets/${upload.preset.id}`;
    assert.equal(
      (await requestAs(stack.baseUrl, viewer, presetPath, { method: 'PATCH', body: { name: 'x' } })).status,
      403,
    );
    const renamed = await requestAs(stack.baseUrl, editor, presetPath, { method: 'PATCH', body: { name: 'Woo shop' } });
    assert.equal(renamed.status, 200);
    assert.equal(((await renamed.json()) as { name: string }).name, 'Woo shop');
    assert.equal(
      (await requestAs(stack.baseUrl, editor, presetPath, { method: 'PATCH', body: { name: ' ' } })).status,
      400,
    );

    // Applying again replaces the mapping and keeps the name.
    const options = { ...upload.suggestedOptions, description: 'text' };
    const again = await startMapped({ uploadId: upload.id, mapping: upload.suggestedMapping, options });
    assert.equal(again.status, 202);
    await finished(((await again.json()) as { jobId: string }).jobId);
    const next = await uploaded(fixture.csv);
    assert.equal(next.preset?.name, 'Woo shop');
    assert.equal(next.suggestedOptions.description, 'text');

    assert.equal((await requestAs(stack.baseUrl, editor, presetPath, { method: 'DELETE' })).status, 204);
    assert.equal((await requestAs(stack.baseUrl, editor, presetPath, { method: 'DELETE' })).status, 404);
    assert.equal((await uploaded(fixture.csv)).preset, null);
  });
});

describe('bad input is a 400 naming it', () => {
  const csv = csvText(['Code', 'Title', 'Cost'], [{ Code: 'A-1', Title: 'Mug', Cost: '5' }]);
  const message = async (response: Response) => {
    const body = (await response.json()) as { error: { message: string } };
    return `${response.status} ${body.error.message}`;
  };

  test('a mapping naming a column the file lacks, two targets on one column, unknown options, review', async () => {
    const upload = await uploaded(csv);
    assert.deepEqual(upload.suggestedMapping, {
      sku: 'Code',
      name: 'Title',
      description: null,
      price: null,
      active: null,
    });
    const send = (body: Record<string, unknown>) => startMapped({ uploadId: upload.id, ...body }).then(message);
    assert.match(
      await send({ mapping: { sku: 'Code', name: 'Name' } }),
      /^400 The mapping does not fit the file: mapping.name names the column "Name", which is not in the file/,
    );
    assert.match(
      await send({ mapping: { sku: 'Code', name: 'Code' } }),
      /^400 .*mapping.sku and mapping.name both take the column "Code"/,
    );
    assert.match(
      await send({ mapping: { sku: 'Code', name: 'Title' }, options: { activeValues: 'sometimes' } }),
      /^400 Invalid body parameter "options.activeValues": must be one of true_false/,
    );
    assert.match(
      await send({
        mapping: { sku: 'Code', name: 'Title' },
        options: { priceFormat: { decimal: ';', thousands: '' } },
      }),
      /^400 Invalid body parameter "options.priceFormat.decimal"/,
    );
    assert.match(
      await send({ mapping: { sku: 'Code', name: 'Title' }, review: 'yes' }),
      /^400 Invalid body parameter "review"/,
    );
    assert.match(await send({ mapping: { sku: 'Code' } }), /^400 Invalid body parameter "mapping.name"/);
    // Nothing was started: the upload still waits and imports once the mapping fits.
    const ok = await startMapped({ uploadId: upload.id, mapping: { sku: 'Code', name: 'Title' } });
    assert.equal(ok.status, 202);
    const started = (await ok.json()) as { jobId: string; ignoredColumns: string[] };
    assert.deepEqual(started.ignoredColumns, ['Cost']);
    assert.equal((await finished(started.jobId)).result?.inserted, 1);
    assert.match(await send({ mapping: { sku: 'Code', name: 'Title' } }), /^400 uploadId .* is not an upload of yours/);
  });

  test("another actor's upload, or none, is refused; viewers and anonymous callers cannot upload or import", async () => {
    const upload = await uploaded(csv);
    const other = await stack.keyFor('admin');
    const mapping = { sku: 'Code', name: 'Title' };
    assert.match(
      await message(await startMapped({ uploadId: upload.id, mapping }, other)),
      /^400 uploadId .* is not an upload of yours/,
    );
    assert.match(
      await message(await startMapped({ uploadId: '00000000-0000-4000-8000-000000000000', mapping })),
      /^400 uploadId/,
    );
    assert.match(
      await message(await startMapped({ uploadId: 'nope', mapping })),
      /^400 Invalid body parameter "uploadId"/,
    );
    const viewer = await stack.keyFor('viewer');
    assert.equal((await sendFile(viewer, csv)).status, 403);
    assert.equal((await sendFile(null, csv)).status, 401);
    assert.equal((await startMapped({ uploadId: upload.id, mapping }, viewer)).status, 403);
    assert.equal((await startMapped({ uploadId: upload.id, mapping }, null)).status, 401);
  });

  test('the upload checks of imports: empty, binary, not UTF-8', async () => {
    assert.match(await message(await sendFile(editor, '')), /^400 The file is empty/);
    assert.equal((await sendFile(editor, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).status, 415);
    assert.equal((await sendFile(editor, new Uint8Array([0x73, 0x6b, 0x75, 0x0a, 0xff, 0xfe]))).status, 415);
  });
});
