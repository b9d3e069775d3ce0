import { type Attribution, errors, type Product, type ProductList } from '@catalog/domain';
import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { appendAudit } from '../audit/append-audit';
import { ProductSchema } from '../entities/product.entity';
import type { Database } from '../orm';
import { appendEvent } from '../outbox';
import { DEFAULT_LIST_TUNING, type ListRequest, type ListTuning, listProducts } from './list-products';
import { PRODUCT_COLUMNS } from './list-sql';
import { type ProductRow, productFromEntity, productFromRow } from './product-rows';
import { transactionExecutor } from './transaction-executor';

/** A product's fields once validated at the edge (the importer's rules, price normalized). */
export type ProductFields = {
  sku: string;
  name: string;
  description: string;
  price: string | null;
  active: boolean;
};

/**
 * The products aggregate. Lists are raw SQL on the ORM's pool (see list-sql.ts); single-product
 * writes go through a forked entity manager, and each one appends its outbox event (carrying the
 * actor) and its audit line in the same transaction, so no committed change can miss its webhook
 * or go unrecorded.
 */
export function createProductRepository(db: Database, listTuning: ListTuning = DEFAULT_LIST_TUNING) {
  const em = (): EntityManager => db.orm.em.fork();

  async function findBySkuKey(sku: string): Promise<Product | null> {
    const { rows } = await db.pool.query<ProductRow>(
      `select ${PRODUCT_COLUMNS} from products where sku_key = lower($1)`,
      [sku],
    );
    return rows[0] ? productFromRow(rows[0]) : null;
  }

  async function find(id: number): Promise<Product | null> {
    const { rows } = await db.pool.query<ProductRow>(`select ${PRODUCT_COLUMNS} from products where id = $1`, [id]);
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

  /** Turns the ORM's write errors into the API's; anything else passes through. */
  async function translate(error: unknown, sku: string | undefined, id: number | undefined): Promise<never> {
    if (error instanceof UniqueConstraintViolationException && sku !== undefined) throw await skuConflict(sku);
    if (error instanceof OptimisticLockError && id !== undefined) throw await staleConflict(id);
    throw error;
  }

  return {
    find,

    list(request: ListRequest): Promise<ProductList> {
      return listProducts(db.pool, request, listTuning);
    },

    async create(fields: ProductFields, by: Attribution): Promise<Product> {
      try {
        return await em().transactional(async (tx) => {
          const entity = tx.create(ProductSchema, { ...fields, createdAt: new Date(), updatedAt: new Date() });
          await tx.flush();
          const product = productFromEntity(entity);
          const sql = transactionExecutor(tx);
          await appendEvent(sql, 'product.created', { ...product, actor: by.actor });
          await appendAudit(sql, by, {
            action: 'product.created',
            target: productTarget(product),
            details: { sku: product.sku },
          });
          return product;
        });
      } catch (error) {
        return translate(error, fields.sku, undefined);
      }
    },

    /** Applies `changes` if the product is still at `expectedVersion`; a no-op edit writes nothing. */
    async update(
      id: number,
      expectedVersion: number,
      changes: Partial<ProductFields>,
      by: Attribution,
    ): Promise<Product> {
      try {
        return await em().transactional(async (tx) => {
          const entity = await tx.findOne(ProductSchema, { id });
          if (!entity) throw errors.notFound('Product', String(id));
          if (entity.version !== expectedVersion) throw await staleConflict(id);
          const previous = productFromEntity(entity);
          const changed = (Object.keys(changes) as (keyof ProductFields)[]).filter(
            (key) => changes[key] !== undefined && changes[key] !== previous[key],
          );
          if (changed.length === 0) return previous;
          tx.assign(entity, changes);
          // The ORM's version check makes this `… where id = ? and version = ?`: a concurrent
          // write (another edit, an import) in between fails it with OptimisticLockError.
          await tx.flush();
          const product = productFromEntity(entity);
          const sql = transactionExecutor(tx);
          await appendEvent(sql, 'product.updated', { ...product, previous, actor: by.actor });
          await appendAudit(sql, by, {
            action: 'product.updated',
            target: productTarget(product),
            details: { sku: product.sku, fields: changed },
          });
          return product;
        });
      } catch (error) {
        return translate(error, changes.sku, id);
      }
    },

    /** Deletes the product; with `expectedVersion`, only if nobody changed it since. */
    async remove(id: number, expectedVersion: number | undefined, by: Attribution): Promise<Product> {
      return em().transactional(async (tx) => {
        const entity = await tx.findOne(ProductSchema, { id });
        if (!entity) throw errors.notFound('Product', String(id));
        if (expectedVersion !== undefined && entity.version !== expectedVersion) throw await staleConflict(id);
        const product = productFromEntity(entity);
        const deleted = await tx.nativeDelete(ProductSchema, { id, version: entity.version });
        if (deleted === 0) throw await staleConflict(id);
        const sql = transactionExecutor(tx);
        await appendEvent(sql, 'product.deleted', { ...product, actor: by.actor });
        await appendAudit(sql, by, {
          action: 'product.deleted',
          target: productTarget(product),
          details: { sku: product.sku },
        });
        return product;
      });
    },
  };
}

/** Audit lines name the product by id, with its SKU in details: an id alone says little once it is gone. */
function productTarget(product: Product) {
  return { type: 'product' as const, id: String(product.id) };
}

export type ProductRepository = ReturnType<typeof createProductRepository>;
