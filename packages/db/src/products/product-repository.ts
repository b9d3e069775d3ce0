import { type Attribution, errors, type Product, type ProductList } from '@catalog/domain';
import type { Database } from '../orm';
import {
  DEFAULT_LIST_TUNING,
  type ListRequest,
  type ListTuning,
  listProducts,
  type StaleMarksHandler,
} from './list-products';
import { PRODUCT_COLUMNS } from './list-sql';
import { writeProductChange } from './product-change';
import { type ProductRow, productFromRow } from './product-rows';

/** A product's fields once validated at the edge (the importer's rules, price normalized). */
export type ProductFields = {
  sku: string;
  name: string;
  description: string;
  price: string | null;
  active: boolean;
};

/**
 * The products aggregate, in SQL on the ORM's pool: lists (see list-sql.ts), and single-product
 * writes that each commit with their outbox event (carrying the actor) and audit line in one
 * statement (see writeProductChange), so no committed change can miss its webhook or go unrecorded.
 * `onStaleMarks`: told of the sort position marks a deep page could not use (see listProducts).
 */
export function createProductRepository(
  db: Database,
  options: { listTuning?: ListTuning; onStaleMarks?: StaleMarksHandler } = {},
) {
  const { listTuning = DEFAULT_LIST_TUNING, onStaleMarks } = options;
  async function findBySkuKey(sku: string): Promise<Product | null> {
    const { rows } = await db.pool.query<ProductRow>(
      `select ${PRODUCT_COLUMNS} from products where sku_key = lower($1)`,
      [sku],
    );
    return rows[0] ? productFromRow(rows[0]) : null;
  }

  async function find(id: number): Promise<Product | null> {
    const { rows } = await db.pool.query<ProductRow>({
      name: 'product-find',
      text: `select ${PRODUCT_COLUMNS} from products where id = $1`,
      values: [id],
    });
    return rows[0] ? productFromRow(rows[0]) : null;
  }

  async function skuConflict(sku: string): Promise<Error> {
    const existing = await findBySkuKey(sku);
    if (!existing) return errors.conflict(`Another product was just saved with the SKU "${sku}"; try again`);
    return errors.conflict(
      `The SKU "${sku}" is already used by product ${existing.id} ("${existing.sku}"); SKUs are unique ignoring case`,
      { existing },
    );
  }

  async function staleConflict(id: number): Promise<Error> {
    const current = await find(id);
    if (!current) return errors.notFound('Product', String(id));
    return errors.conflict(
      `Product ${id} was changed by someone else (now version ${current.version}); review the current values and try again`,
      { current },
    );
  }

  return {
    find,

    list(request: ListRequest): Promise<ProductList> {
      return listProducts(db.pool, request, listTuning, onStaleMarks);
    },

    async create(fields: ProductFields, by: Attribution): Promise<Product> {
      const now = new Date();
      try {
        const product = await writeProductChange(
          db.pool,
          {
            kind: 'product.created',
            write: `insert into products (sku, name, description, price, active, created_at, updated_at)
                    values ($1, $2, $3, $4, $5, $6, $6)`,
            params: [fields.sku, fields.name, fields.description, fields.price, fields.active, now],
          },
          by,
        );
        if (!product) throw new Error('the product insert returned no row');
        return product;
      } catch (error) {
        if (isUniqueViolation(error)) throw await skuConflict(fields.sku);
        throw error;
      }
    },

    /** Applies `changes` if the product is still at `expectedVersion`; a no-op edit writes nothing. */
    async update(
      id: number,
      expectedVersion: number,
      changes: Partial<ProductFields>,
      by: Attribution,
    ): Promise<Product> {
      const previous = await find(id);
      if (!previous) throw errors.notFound('Product', String(id));
      if (previous.version !== expectedVersion) throw await staleConflict(id);
      // In COLUMN_OF's order, whatever the request's: at most 31 statement texts to prepare.
      const changed = (Object.keys(COLUMN_OF) as (keyof ProductFields)[]).filter(
        (key) => changes[key] !== undefined && changes[key] !== previous[key],
      );
      if (changed.length === 0) return previous;
      const values = changed.map((key) => changes[key]);
      // `version = $2` makes a concurrent write (another edit, an import) since the read above
      // match no row: the edit is refused as stale rather than overwriting it.
      const sets = changed.map((key, index) => `${COLUMN_OF[key]} = $${index + 4}`);
      try {
        const product = await writeProductChange(
          db.pool,
          {
            kind: 'product.updated',
            write: `update products set ${sets.join(', ')}, version = version + 1, updated_at = $3
                    where id = $1 and version = $2`,
            params: [id, expectedVersion, new Date(), ...values],
            eventData: { previous },
            auditDetails: { fields: changed },
          },
          by,
        );
        if (!product) throw await staleConflict(id);
        return product;
      } catch (error) {
        if (isUniqueViolation(error) && changes.sku !== undefined) throw await skuConflict(changes.sku);
        throw error;
      }
    },

    /** Deletes the product; with `expectedVersion`, only if nobody changed it since. */
    async remove(id: number, expectedVersion: number | undefined, by: Attribution): Promise<Product> {
      const product = await writeProductChange(
        db.pool,
        {
          kind: 'product.deleted',
          write: `delete from products where id = $1 and ($2::int is null or version = $2)`,
          params: [id, expectedVersion ?? null],
        },
        by,
      );
      if (!product) throw await staleConflict(id);
      return product;
    },
  };
}

/** The columns an edit may set, by field; also what keeps field names out of the SQL text. */
const COLUMN_OF: Record<keyof ProductFields, string> = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  price: 'price',
  active: 'active',
};

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === UNIQUE_VIOLATION;
const UNIQUE_VIOLATION = '23505';

export type ProductRepository = ReturnType<typeof createProductRepository>;
