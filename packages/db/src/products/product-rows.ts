import type { Product } from '@catalog/domain';

/**
 * A product row as `pg` hands it over through the ORM's pool: bigint and numeric as strings, and
 * timestamps as PostgreSQL's text (the ORM turns off pg's date parsing).
 */
export type ProductRow = {
  id: string | number;
  sku: string;
  name: string;
  description: string;
  price: string | null;
  active: boolean;
  version: number;
  created_at: string | Date;
  updated_at: string | Date;
};

const iso = (value: string | Date) => new Date(value).toISOString();

export function productFromRow(row: ProductRow): Product {
  return {
    id: Number(row.id),
    sku: row.sku,
    name: row.name,
    description: row.description,
    price: row.price,
    active: row.active,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
