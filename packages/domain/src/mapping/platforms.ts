import type { GroupOption } from './options';
import type { MappingTarget } from './targets';
import type { ActiveVocabulary } from './vocabularies';

/** One choice of a profile: the first header of `headers` the file has (normalised), and why. */
type Pick = { headers: string[]; reason: string };

/**
 * What a shop system's product export looks like and how to read it. `markers` (normalised
 * headers) must all be present. Headers are as the admin screens export them today.
 */
export type PlatformProfile = {
  platform: string;
  markers: string[];
  targets: Partial<Record<MappingTarget, Pick>>;
  activeValues?: { header: string; vocabulary: ActiveVocabulary }[];
  group?: GroupOption & { reason: string };
  optionColumns?: string[];
};

export const PLATFORM_PROFILES: PlatformProfile[] = [
  {
    platform: 'Shopify',
    markers: ['handle', 'variant sku'],
    targets: {
      sku: { headers: ['variant sku'], reason: 'Shopify variant SKU' },
      name: { headers: ['title'], reason: 'Shopify product title' },
      description: { headers: ['body html'], reason: 'Shopify product description (HTML)' },
      price: {
        headers: ['variant price'],
        reason: 'Shopify variant price (Variant Compare At Price is a former price, not the list price)',
      },
      // The current template has Status; the classic one only Published (TRUE/FALSE).
      active: { headers: ['status', 'published'], reason: 'Shopify product status' },
    },
    activeValues: [
      { header: 'status', vocabulary: 'status' },
      { header: 'published', vocabulary: 'true_false' },
    ],
    group: {
      column: 'Handle',
      by: 'same',
      idColumn: null,
      reason: "Handle groups a product's rows: variant rows take its title, description and status",
    },
    optionColumns: ['option1 value', 'option2 value', 'option3 value'],
  },
  {
    platform: 'WooCommerce',
    markers: ['sku', 'name', 'regular price'],
    targets: {
      sku: { headers: ['sku'], reason: 'WooCommerce SKU' },
      name: { headers: ['name'], reason: 'WooCommerce product name' },
      description: { headers: ['description'], reason: 'WooCommerce description (not the short description)' },
      price: { headers: ['regular price'], reason: 'WooCommerce regular price (the list price, not Sale price)' },
      active: { headers: ['published'], reason: 'WooCommerce Published: 1 published, 0 private, -1 draft' },
    },
    activeValues: [{ header: 'published', vocabulary: 'woo_published' }],
    group: {
      column: 'Parent',
      by: 'parent',
      idColumn: 'ID',
      reason: 'Parent links a variation to its product: a variation takes its blank name and description from it',
    },
  },
  {
    platform: 'BigCommerce',
    markers: ['product name', 'product type'],
    targets: {
      sku: { headers: ['product code sku', 'product sku', 'sku'], reason: 'BigCommerce product code/SKU' },
      name: { headers: ['product name'], reason: 'BigCommerce product name' },
      description: { headers: ['product description'], reason: 'BigCommerce product description' },
      price: { headers: ['price'], reason: 'BigCommerce default price (not Sale Price or Retail Price)' },
      active: { headers: ['product visible'], reason: 'BigCommerce Product Visible? (Y/N)' },
    },
    activeValues: [{ header: 'product visible', vocabulary: 'y_n' }],
  },
  {
    platform: 'Magento',
    markers: ['sku', 'product type', 'attribute set code'],
    targets: {
      sku: { headers: ['sku'], reason: 'Magento/Adobe Commerce sku' },
      name: { headers: ['name'], reason: 'Magento/Adobe Commerce name' },
      description: { headers: ['description'], reason: 'Magento/Adobe Commerce description (not short_description)' },
      price: { headers: ['price'], reason: 'Magento/Adobe Commerce price (not special_price)' },
      active: { headers: ['product online'], reason: 'Magento/Adobe Commerce product_online: 1 enabled, 2 disabled' },
    },
    activeValues: [{ header: 'product online', vocabulary: 'magento_online' }],
  },
  {
    platform: 'Amazon',
    markers: ['item sku', 'item name'],
    targets: {
      sku: { headers: ['item sku'], reason: 'Amazon flat file item_sku' },
      name: { headers: ['item name'], reason: 'Amazon flat file item_name' },
      description: { headers: ['product description'], reason: 'Amazon flat file product_description' },
      price: { headers: ['standard price'], reason: 'Amazon flat file standard_price (not sale_price)' },
    },
  },
  {
    platform: 'Google Merchant Center',
    markers: ['id', 'title', 'price'],
    targets: {
      sku: { headers: ['id'], reason: 'Google Merchant Center id' },
      name: { headers: ['title'], reason: 'Google Merchant Center title' },
      description: { headers: ['description'], reason: 'Google Merchant Center description' },
      price: {
        headers: ['price'],
        reason: 'Google Merchant Center price (not sale_price; its currency code is dropped)',
      },
    },
  },
];

/** Headers any file might use, most telling first, for targets no profile filled. */
export const GENERIC_SYNONYMS: Record<MappingTarget, string[]> = {
  sku: [
    'sku',
    'variant sku',
    'item sku',
    'product sku',
    'product code',
    'article number',
    'item number',
    'part number',
    'code',
  ],
  name: ['name', 'title', 'product name', 'product title', 'item name'],
  description: ['description', 'body html', 'body', 'product description', 'long description', 'details'],
  price: ['price', 'regular price', 'list price', 'standard price', 'retail price', 'unit price', 'variant price'],
  active: ['active', 'status', 'published', 'enabled', 'visible', 'is active', 'product online', 'visibility'],
};
