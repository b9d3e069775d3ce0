import type { ReviewChangeRow } from '@catalog/db';
import type { ReviewChange, ReviewKind } from '@catalog/domain';

type Field = 'sku' | 'name' | 'description' | 'price' | 'active';
const FIELDS: readonly Field[] = ['sku', 'name', 'description', 'price', 'active'];

/** One reviewed row as GET /api/imports/{id}/changes shows rows of its kind. */
export function presentReviewChange(kind: ReviewKind, row: ReviewChangeRow): ReviewChange {
  const line = Number(row.row_no);
  if (kind === 'invalid' || kind === 'skipped') return { line, sku: row.sku, reason: row.reason ?? '' };
  if (kind === 'inserted') {
    return {
      line,
      sku: row.sku,
      values: {
        name: row.name ?? '',
        description: row.description ?? '',
        price: row.price,
        active: row.active ?? true,
      },
    };
  }
  const productId = row.product_id === null ? null : Number(row.product_id);
  if (kind === 'unchanged') return { line, sku: row.sku, productId };
  return { line, sku: row.sku, productId, changes: changedFields(row) };
}

function changedFields(row: ReviewChangeRow): NonNullable<ReviewChange['changes']> {
  const before: Record<Field, string | boolean | null> = {
    sku: row.before_sku,
    name: row.before_name,
    description: row.before_description,
    price: row.before_price,
    active: row.before_active,
  };
  const after: Record<Field, string | boolean | null> = {
    sku: row.sku,
    name: row.name,
    description: row.description,
    price: row.price,
    active: row.active,
  };
  return FIELDS.filter((field) => before[field] !== after[field]).map((field) => ({
    field,
    before: before[field],
    after: after[field],
  }));
}
