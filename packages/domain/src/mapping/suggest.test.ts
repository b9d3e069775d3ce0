import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  SHOPIFY_CLASSIC_HEADERS,
  SHOPIFY_HEADERS,
  sampled,
  shopifyClassicExport,
  shopifyExport,
  WOOCOMMERCE_HEADERS,
  wooCommerceExport,
} from '../../../../tests/support/shop-exports';
import { type SampledColumn, suggestMapping } from './suggest';

const bare = (headers: string[]): SampledColumn[] => headers.map((header) => ({ header, samples: [] }));

test('Shopify, current template: variant SKU, title, body, variant price, Status; Handle groups; options name variants', () => {
  const suggestion = suggestMapping(sampled(shopifyExport().csv));
  assert.equal(suggestion.platform, 'Shopify');
  assert.deepEqual(suggestion.suggestedMapping, {
    sku: 'Variant SKU',
    name: 'Title',
    description: 'Body (HTML)',
    price: 'Variant Price',
    active: 'Status',
  });
  assert.equal(suggestion.suggestedOptions.activeValues, 'status');
  assert.deepEqual(suggestion.suggestedOptions.priceFormat, { decimal: '.', thousands: '' });
  assert.deepEqual(suggestion.suggestedOptions.group, { column: 'Handle', by: 'same', idColumn: null });
  assert.deepEqual(suggestion.suggestedOptions.variantName, {
    optionColumns: ['Option1 Value', 'Option2 Value', 'Option3 Value'],
  });
  assert.ok(suggestion.reasons.includes('Variant SKU → sku: Shopify variant SKU'), suggestion.reasons.join('\n'));
  assert.ok(suggestion.reasons.some((line) => line.startsWith('Variant Price → price: ')));
  assert.ok(suggestion.reasons.some((line) => line.startsWith('Body (HTML): holds HTML')));
});

test('Shopify, classic template: Published TRUE/FALSE is the active state', () => {
  const suggestion = suggestMapping(sampled(shopifyClassicExport().csv));
  assert.equal(suggestion.suggestedMapping.active, 'Published');
  assert.equal(suggestion.suggestedOptions.activeValues, 'true_false');
  assert.equal(suggestMapping(bare(SHOPIFY_CLASSIC_HEADERS)).suggestedMapping.sku, 'Variant SKU');
  assert.equal(suggestMapping(bare(SHOPIFY_HEADERS)).suggestedMapping.active, 'Status');
});

test('WooCommerce: Regular price over Sale price, Published -1/0/1, decimal commas, Parent groups by SKU or id', () => {
  const suggestion = suggestMapping(sampled(wooCommerceExport().csv));
  assert.equal(suggestion.platform, 'WooCommerce');
  assert.deepEqual(suggestion.suggestedMapping, {
    sku: 'SKU',
    name: 'Name',
    description: 'Description',
    price: 'Regular price',
    active: 'Published',
  });
  assert.equal(suggestion.suggestedOptions.activeValues, 'woo_published');
  assert.deepEqual(suggestion.suggestedOptions.priceFormat, { decimal: ',', thousands: '' });
  assert.deepEqual(suggestion.suggestedOptions.group, { column: 'Parent', by: 'parent', idColumn: 'ID' });
  assert.equal(suggestion.suggestedOptions.variantName, null);
  assert.equal(suggestMapping(bare(WOOCOMMERCE_HEADERS)).suggestedMapping.price, 'Regular price');
});

test('BigCommerce, Magento/Adobe Commerce, Amazon flat files and Google Merchant Center by their headers', () => {
  const big = suggestMapping(
    bare([
      'Item Type',
      'Product ID',
      'Product Name',
      'Product Type',
      'Product Code/SKU',
      'Product Description',
      'Price',
      'Cost Price',
      'Retail Price',
      'Sale Price',
      'Product Visible?',
    ]),
  );
  assert.equal(big.platform, 'BigCommerce');
  assert.deepEqual(big.suggestedMapping, {
    sku: 'Product Code/SKU',
    name: 'Product Name',
    description: 'Product Description',
    price: 'Price',
    active: 'Product Visible?',
  });
  assert.equal(big.suggestedOptions.activeValues, 'y_n');

  const magento = suggestMapping(
    bare([
      'sku',
      'store_view_code',
      'attribute_set_code',
      'product_type',
      'name',
      'description',
      'short_description',
      'price',
      'special_price',
      'product_online',
    ]),
  );
  assert.equal(magento.platform, 'Magento');
  assert.deepEqual(magento.suggestedMapping, {
    sku: 'sku',
    name: 'name',
    description: 'description',
    price: 'price',
    active: 'product_online',
  });
  assert.equal(magento.suggestedOptions.activeValues, 'magento_online');

  const amazon = suggestMapping(
    bare([
      'feed_product_type',
      'item_sku',
      'brand_name',
      'item_name',
      'product_description',
      'standard_price',
      'sale_price',
    ]),
  );
  assert.equal(amazon.platform, 'Amazon');
  assert.deepEqual(amazon.suggestedMapping, {
    sku: 'item_sku',
    name: 'item_name',
    description: 'product_description',
    price: 'standard_price',
    active: null,
  });

  const google = suggestMapping([
    { header: 'id', samples: ['A1'] },
    { header: 'title', samples: ['Mug'] },
    { header: 'description', samples: ['A mug'] },
    { header: 'availability', samples: ['in_stock'] },
    { header: 'sale_price', samples: ['12.00 USD'] },
    { header: 'price', samples: ['15.00 USD', '1,299.00 USD'] },
  ]);
  assert.equal(google.platform, 'Google Merchant Center');
  assert.deepEqual(google.suggestedMapping, {
    sku: 'id',
    name: 'title',
    description: 'description',
    price: 'price',
    active: null,
  });
  assert.deepEqual(google.suggestedOptions.priceFormat, { decimal: '.', thousands: ',' });
});

test('unknown files: header synonyms first, then values (a column of prices, a column of statuses)', () => {
  const suggestion = suggestMapping([
    { header: 'Artikelnummer', samples: ['A-1'] },
    { header: 'Product Title', samples: ['Mug'] },
    { header: 'Preis (price)', samples: ['1.234,50 €', '9,99 €'] },
    { header: 'Zustand', samples: ['active', 'draft'] },
  ]);
  assert.deepEqual(suggestion.suggestedMapping, {
    sku: null,
    name: 'Product Title',
    description: null,
    price: 'Preis (price)',
    active: 'Zustand',
  });
  assert.deepEqual(suggestion.suggestedOptions.priceFormat, { decimal: ',', thousands: '.' });
  assert.equal(suggestion.suggestedOptions.activeValues, 'status');
  assert.ok(suggestion.reasons.includes('Zustand → active: the values look like a status (active/draft/archived)'));

  const ours = suggestMapping(bare(['sku', 'name', 'description', 'price', 'active']));
  assert.equal(ours.platform, null);
  assert.deepEqual(ours.suggestedMapping, {
    sku: 'sku',
    name: 'name',
    description: 'description',
    price: 'price',
    active: 'active',
  });
  assert.equal(ours.reasons.length >= 5, true);

  const currency = suggestMapping([
    { header: 'code', samples: ['X'] },
    { header: 'Betrag', samples: ['€ 5,00', '€ 7,50'] },
  ]);
  assert.equal(currency.suggestedMapping.price, 'Betrag');
  assert.equal(currency.suggestedMapping.sku, 'code');
});
