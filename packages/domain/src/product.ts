import { z } from 'zod';

/**
 * The rules for one product's fields, shared by the CSV importer and the REST API so that a row
 * the importer accepts is exactly a product the API accepts, and the other way round.
 */
export const SKU_MAX_LENGTH = 255;
export const PRICE_PATTERN = /^\d{1,10}(\.\d{1,2})?$/;
const ACTIVE_WORDS: Record<string, boolean> = { true: true, '1': true, yes: true, false: false, '0': false, no: false };

export type FieldProblem = { column: string; reason: string };

export function checkSku(raw: string): string | FieldProblem {
  const sku = raw.trim();
  if (sku === '') return { column: 'sku', reason: 'sku is required' };
  if (sku.length > SKU_MAX_LENGTH) return { column: 'sku', reason: `sku is longer than ${SKU_MAX_LENGTH} characters` };
  return sku;
}

export function checkName(raw: string): string | FieldProblem {
  if (raw.trim() === '') return { column: 'name', reason: 'name is required' };
  return raw;
}

/** Empty means "no price" (null); otherwise a non-negative decimal with at most 2 places. */
export function checkPrice(raw: string): string | null | FieldProblem {
  const price = raw.trim();
  if (price === '') return null;
  if (!PRICE_PATTERN.test(price)) {
    return { column: 'price', reason: `price "${raw}" is not a non-negative number with at most 2 decimals` };
  }
  return price;
}

/** Empty means active: a catalog row is on sale unless it says otherwise. */
export function checkActive(raw: string): boolean | FieldProblem {
  const word = raw.trim().toLowerCase();
  if (word === '') return true;
  const value = ACTIVE_WORDS[word];
  if (value === undefined) return { column: 'active', reason: `active "${raw}" is not one of true/false/1/0/yes/no` };
  return value;
}

export function isProblem(value: unknown): value is FieldProblem {
  return typeof value === 'object' && value !== null && 'reason' in value;
}

export const productSchema = z.object({
  id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  price: z.string().nullable().describe('Decimal as a string, e.g. "19.99", or null'),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Product = z.infer<typeof productSchema>;
