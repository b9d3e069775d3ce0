import { z } from 'zod';
import { productSchema } from './product';

/** The Products grid and REST list: sortable fields, page bounds, and the page it answers. */
export const productSortFields = ['sku', 'name', 'price', 'updatedAt'] as const;
export type ProductSortField = (typeof productSortFields)[number];
export type SortDirection = 'asc' | 'desc';
export type ProductSort = { field: ProductSortField; direction: SortDirection };

export const PRODUCT_PAGE_SIZE_MAX = 200;
export const PRODUCT_PAGE_SIZE_DEFAULT = 50;

/** What a list is narrowed by; text filters are case-insensitive "contains". */
export type ProductFilter = {
  sku?: string;
  name?: string;
  description?: string;
  /** Any of sku, name, description. */
  q?: string;
  active?: boolean;
};

/** How `total` relates to the real number of matches: equal, at least, or about (an estimate). */
export const totalRelations = ['eq', 'gte', 'about'] as const;
export type TotalRelation = (typeof totalRelations)[number];

export const productListSchema = z.object({
  items: z.array(productSchema),
  /** The page number of this page (carried by a cursor when one was sent). */
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  /** Same as `totalRelation === 'eq'`. */
  totalExact: z.boolean(),
  totalRelation: z.enum(totalRelations),
  /** Opaque; send as `cursor` for the next page. Null on the last page. */
  nextCursor: z.string().nullable(),
  /** Opaque; send as `cursor` for the previous page. Null on the first page. */
  prevCursor: z.string().nullable(),
});
export type ProductList = z.infer<typeof productListSchema>;

/** The words a person types to confirm a delete-all; anything else is refused. */
export const DELETE_ALL_CONFIRMATION = 'DELETE ALL';

export const bulkDeleteStages = ['queued', 'deleting', 'done'] as const;

/** What BulkDeleteWorkflow's `progress` query answers, and what its SSE `progress` events carry. */
export const bulkDeleteProgressSchema = z.object({
  stage: z.enum(bulkDeleteStages),
  /** While stage is `queued`: how many earlier jobs must finish first (0 = next). Else null. */
  queuePosition: z.number().int().nullable(),
  deleted: z.number().int(),
  /** Products that existed when the delete started (those created later are kept). */
  total: z.number().int(),
  rowsPerSecond: z.number(),
  updatedAt: z.string(),
});
export type BulkDeleteProgress = z.infer<typeof bulkDeleteProgressSchema>;

export const bulkDeleteResultSchema = z.object({
  deleted: z.number().int(),
  total: z.number().int(),
  durationMs: z.number().int(),
});
export type BulkDeleteResult = z.infer<typeof bulkDeleteResultSchema>;

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return) as a formula, so the
 * export prefixes such cells with an apostrophe. To keep export → import lossless, a cell that
 * already starts with apostrophes followed by such a character gets one more; the importer's
 * `unescapeCsvFormula` removes exactly one, so the two are inverse for every string.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;

export function escapeCsvFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function unescapeCsvFormula(value: string): string {
  return ESCAPED_FORMULA.test(value) ? value.slice(1) : value;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * A text cell as every CSV this product writes it (the export, the import error report): formula
 * escaped, then quoted per RFC 4180 when it holds a quote, comma or line break (or edge spaces, kept
 * verbatim).
 */
export function csvTextCell(value: string): string {
  const escaped = escapeCsvFormula(value);
  return NEEDS_QUOTES.test(escaped) ? `"${escaped.replace(/"/g, '""')}"` : escaped;
}

/** A price as PostgreSQL's numeric(12, 2) prints it ("7.5" → "7.50"), for a valid price string. */
export function normalizePrice(price: string): string {
  const [whole = '0', fraction = ''] = price.split('.');
  return `${BigInt(whole).toString()}.${fraction.padEnd(2, '0')}`;
}
