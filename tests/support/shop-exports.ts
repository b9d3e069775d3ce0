import { parse } from 'csv-parse/sync';

/**
 * Product exports as shop admin screens write them today, with their exact header lines, for
 * tests of auto-match and mapped imports: Shopify (current and classic templates) and WooCommerce
 * (a store whose prices use a decimal comma, as in much of Europe). Each comes with what the
 * catalog should hold after importing it with only the suggested mapping.
 */

export const SHOPIFY_HEADERS = [
  'Handle',
  'Title',
  'Body (HTML)',
  'Vendor',
  'Product Category',
  'Type',
  'Tags',
  'Published',
  'Option1 Name',
  'Option1 Value',
  'Option1 Linked To',
  'Option2 Name',
  'Option2 Value',
  'Option2 Linked To',
  'Option3 Name',
  'Option3 Value',
  'Option3 Linked To',
  'Variant SKU',
  'Variant Grams',
  'Variant Inventory Tracker',
  'Variant Inventory Policy',
  'Variant Fulfillment Service',
  'Variant Price',
  'Variant Compare At Price',
  'Variant Requires Shipping',
  'Variant Taxable',
  'Unit Price Total Measure',
  'Unit Price Total Measure Unit',
  'Unit Price Base Measure',
  'Unit Price Base Measure Unit',
  'Variant Barcode',
  'Image Src',
  'Image Position',
  'Image Alt Text',
  'Gift Card',
  'SEO Title',
  'SEO Description',
  'Google Shopping / Google Product Category',
  'Google Shopping / Gender',
  'Google Shopping / Age Group',
  'Google Shopping / MPN',
  'Google Shopping / Condition',
  'Google Shopping / Custom Product',
  'Google Shopping / Custom Label 0',
  'Google Shopping / Custom Label 1',
  'Google Shopping / Custom Label 2',
  'Google Shopping / Custom Label 3',
  'Google Shopping / Custom Label 4',
  'Variant Image',
  'Variant Weight Unit',
  'Variant Tax Code',
  'Cost per item',
  'Status',
];

/** The classic template: no Status, no Product Category, no unit prices; Published TRUE/FALSE says it all. */
export const SHOPIFY_CLASSIC_HEADERS = [
  'Handle',
  'Title',
  'Body (HTML)',
  'Vendor',
  'Type',
  'Tags',
  'Published',
  'Option1 Name',
  'Option1 Value',
  'Option2 Name',
  'Option2 Value',
  'Option3 Name',
  'Option3 Value',
  'Variant SKU',
  'Variant Grams',
  'Variant Inventory Tracker',
  'Variant Inventory Qty',
  'Variant Inventory Policy',
  'Variant Fulfillment Service',
  'Variant Price',
  'Variant Compare At Price',
  'Variant Requires Shipping',
  'Variant Taxable',
  'Variant Barcode',
  'Image Src',
  'Image Position',
  'Image Alt Text',
  'Gift Card',
  'SEO Title',
  'SEO Description',
  'Variant Image',
  'Variant Weight Unit',
  'Variant Tax Code',
  'Cost per item',
];

export const WOOCOMMERCE_HEADERS = [
  'ID',
  'Type',
  'SKU',
  'GTIN, UPC, EAN, or ISBN',
  'Name',
  'Published',
  'Is featured?',
  'Visibility in catalog',
  'Short description',
  'Description',
  'Date sale price starts',
  'Date sale price ends',
  'Tax status',
  'Tax class',
  'In stock?',
  'Stock',
  'Low stock amount',
  'Backorders allowed?',
  'Sold individually?',
  'Weight (kg)',
  'Length (cm)',
  'Width (cm)',
  'Height (cm)',
  'Allow customer reviews?',
  'Purchase note',
  'Sale price',
  'Regular price',
  'Categories',
  'Tags',
  'Shipping class',
  'Images',
  'Download limit',
  'Download expiry days',
  'Parent',
  'Grouped products',
  'Upsells',
  'Cross-sells',
  'External URL',
  'Button text',
  'Position',
  'Attribute 1 name',
  'Attribute 1 value(s)',
  'Attribute 1 visible',
  'Attribute 1 global',
  'Attribute 1 default',
];

export type ExpectedProduct = {
  sku: string;
  name: string;
  price: string | null;
  active: boolean;
  description?: string;
};
export type ShopExport = { csv: string; expected: ExpectedProduct[]; skipped: number };

type Row = Record<string, string>;

export function csvText(headers: readonly string[], rows: readonly Row[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return `${[headers, ...rows.map((row) => headers.map((header) => row[header] ?? ''))].map((cells) => cells.map(cell).join(',')).join('\n')}\n`;
}

const image = (handle: string, position: number): Row => ({
  Handle: handle,
  'Image Src': `https://cdn.shopify.com/s/files/1/0000/products/${handle}-${position}.jpg`,
  'Image Position': String(position),
  'Image Alt Text': '',
});

/** Shopify, current template: variants under one Handle, image-only rows, HTML bodies, Status active/draft/archived. */
export function shopifyExport(): ShopExport {
  const shirt = 'example-t-shirt';
  const body = '<p>Soft <strong>organic</strong> cotton, "heavyweight",\nmade to last &amp; wash well.</p>';
  const variant = (color: string, size: string, sku: string, price: string): Row => ({
    Handle: shirt,
    'Option1 Value': color,
    'Option2 Value': size,
    'Variant SKU': sku,
    'Variant Grams': '200',
    'Variant Inventory Tracker': 'shopify',
    'Variant Inventory Policy': 'deny',
    'Variant Fulfillment Service': 'manual',
    'Variant Price': price,
    'Variant Compare At Price': '29.99',
    'Variant Requires Shipping': 'true',
    'Variant Taxable': 'true',
    'Variant Weight Unit': 'kg',
  });
  const single = (handle: string, title: string, sku: string, price: string, status: string): Row => ({
    Handle: handle,
    Title: title,
    'Body (HTML)': `<p>${title}</p>`,
    Vendor: 'Example Store',
    'Product Category': 'Home & Garden > Kitchen & Dining',
    Type: 'Kitchen',
    Tags: 'gift, kitchen',
    Published: status === 'active' ? 'true' : 'false',
    'Option1 Name': 'Title',
    'Option1 Value': 'Default Title',
    'Variant SKU': sku,
    'Variant Price': price,
    'Variant Compare At Price': '',
    'Gift Card': 'false',
    Status: status,
  });
  const rows: Row[] = [
    {
      ...variant('Green', 'S', 'TS-GRN-S', '19.99'),
      Title: 'Example T-Shirt',
      'Body (HTML)': body,
      Vendor: 'Acme',
      'Product Category': 'Apparel & Accessories > Clothing > Clothing Tops > T-Shirts',
      Type: 'Shirts',
      Tags: 'cotton, summer',
      Published: 'true',
      'Option1 Name': 'Color',
      'Option2 Name': 'Size',
      ...image(shirt, 1),
      'Gift Card': 'false',
      Status: 'active',
    },
    variant('Green', 'M', 'TS-GRN-M', '19.99'),
    variant('Blue', 'L', 'TS-BLU-L', '21.00'),
    image(shirt, 2),
    image(shirt, 3),
    single('draft-mug', 'Draft Mug', 'MUG-1', '12.00', 'draft'),
    single('old-poster', 'Old Poster', 'POSTER-1', '1299.00', 'archived'),
    single('gift-box', 'Gift Box, large', 'BOX-L', '5.50', 'active'),
    image('gift-box', 2),
  ];
  return {
    csv: csvText(SHOPIFY_HEADERS, rows),
    skipped: 3,
    expected: [
      { sku: 'TS-GRN-S', name: 'Example T-Shirt — Green / S', price: '19.99', active: true, description: body },
      { sku: 'TS-GRN-M', name: 'Example T-Shirt — Green / M', price: '19.99', active: true, description: body },
      { sku: 'TS-BLU-L', name: 'Example T-Shirt — Blue / L', price: '21.00', active: true, description: body },
      { sku: 'MUG-1', name: 'Draft Mug', price: '12.00', active: false },
      { sku: 'POSTER-1', name: 'Old Poster', price: '1299.00', active: false },
      { sku: 'BOX-L', name: 'Gift Box, large', price: '5.50', active: true },
    ],
  };
}

/** Shopify, classic template: Published TRUE/FALSE is the active state. */
export function shopifyClassicExport(): ShopExport {
  const rows: Row[] = [
    {
      Handle: 'tea',
      Title: 'Green Tea',
      'Body (HTML)': '<p>Tea</p>',
      Published: 'TRUE',
      'Option1 Name': 'Title',
      'Option1 Value': 'Default Title',
      'Variant SKU': 'TEA-1',
      'Variant Price': '4.50',
    },
    { Handle: 'tea', 'Image Src': 'https://cdn.shopify.com/tea-2.jpg', 'Image Position': '2' },
    {
      Handle: 'coffee',
      Title: 'Coffee',
      'Body (HTML)': '',
      Published: 'FALSE',
      'Option1 Name': 'Title',
      'Option1 Value': 'Default Title',
      'Variant SKU': 'COF-1',
      'Variant Price': '9.00',
    },
  ];
  return {
    csv: csvText(SHOPIFY_CLASSIC_HEADERS, rows),
    skipped: 1,
    expected: [
      { sku: 'TEA-1', name: 'Green Tea', price: '4.50', active: true },
      { sku: 'COF-1', name: 'Coffee', price: '9.00', active: false },
    ],
  };
}

/**
 * WooCommerce: a simple product on sale (Sale price below Regular price), a variable product with
 * variations naming their parent by SKU and by id:<ID>, one variation leaving its name blank, a
 * draft (-1) and a private (0) product, prices with a decimal comma.
 */
export function wooCommerceExport(): ShopExport {
  const common: Row = {
    'Is featured?': '0',
    'Visibility in catalog': 'visible',
    'Tax status': 'taxable',
    'In stock?': '1',
    'Backorders allowed?': '0',
    'Sold individually?': '0',
    'Allow customer reviews?': '1',
    Position: '0',
  };
  const rows: Row[] = [
    {
      ...common,
      ID: '10',
      Type: 'simple',
      SKU: 'woo-beanie',
      Name: 'Beanie',
      Published: '1',
      'Short description': 'Warm.',
      Description: '<p>A warm beanie, knitted.</p>',
      'Sale price': '18,00',
      'Regular price': '20,00',
      Categories: 'Clothing > Accessories',
      Images: 'https://example.com/beanie.jpg',
    },
    {
      ...common,
      ID: '11',
      Type: 'variable',
      SKU: 'woo-hoodie',
      Name: 'Hoodie',
      Published: '1',
      Description: '<p>A hoodie.</p>',
      Categories: 'Clothing > Hoodies',
      'Attribute 1 name': 'Color',
      'Attribute 1 value(s)': 'Blue, Green',
      'Attribute 1 visible': '1',
      'Attribute 1 global': '1',
      'Attribute 1 default': 'Blue',
    },
    {
      ...common,
      ID: '12',
      Type: 'variation',
      SKU: 'woo-hoodie-blue',
      Name: 'Hoodie - Blue',
      Published: '1',
      'Regular price': '45,00',
      Parent: 'woo-hoodie',
      'Attribute 1 name': 'Color',
      'Attribute 1 value(s)': 'Blue',
      'Attribute 1 global': '1',
      Position: '1',
    },
    {
      ...common,
      ID: '13',
      Type: 'variation',
      SKU: 'woo-hoodie-green',
      Name: '',
      Published: '1',
      'Sale price': '39,99',
      'Regular price': '42,50',
      Parent: 'id:11',
      'Attribute 1 name': 'Color',
      'Attribute 1 value(s)': 'Green',
      'Attribute 1 global': '1',
      Position: '2',
    },
    {
      ...common,
      ID: '14',
      Type: 'simple',
      SKU: 'woo-cap',
      Name: 'Cap',
      Published: '-1',
      Description: 'Draft cap',
      'Regular price': '12,5',
    },
    {
      ...common,
      ID: '15',
      Type: 'simple',
      SKU: 'woo-scarf',
      Name: 'Scarf',
      Published: '0',
      Description: '',
      'Regular price': '1234,99',
    },
  ];
  return {
    csv: csvText(WOOCOMMERCE_HEADERS, rows),
    skipped: 0,
    expected: [
      { sku: 'woo-beanie', name: 'Beanie', price: '20.00', active: true },
      { sku: 'woo-hoodie', name: 'Hoodie', price: null, active: true },
      { sku: 'woo-hoodie-blue', name: 'Hoodie - Blue', price: '45.00', active: true, description: '<p>A hoodie.</p>' },
      { sku: 'woo-hoodie-green', name: 'Hoodie', price: '42.50', active: true, description: '<p>A hoodie.</p>' },
      { sku: 'woo-cap', name: 'Cap', price: '12.50', active: false },
      { sku: 'woo-scarf', name: 'Scarf', price: '1234.99', active: false },
    ],
  };
}

/** Columns with their first non-empty values, as the upload route samples them. */
export function sampled(csv: string): { header: string; samples: string[] }[] {
  const [headers = [], ...rows] = parse(csv, { relax_column_count: true }) as string[][];
  return headers.map((header, index) => ({
    header,
    samples: rows
      .map((row) => row[index] ?? '')
      .filter((value) => value.trim() !== '')
      .slice(0, 20),
  }));
}
