import { createHash, randomUUID } from 'node:crypto';
import type { Attribution, Product } from '@catalog/domain';
import type { Pool } from 'pg';
import { OUTBOX_NOTIFY_CHANNEL } from '../outbox';
import { PRODUCT_COLUMNS } from './list-sql';
import { type ProductRow, productFromRow } from './product-rows';

/** The product as the API shows it (see productFromRow), as JSON built by PostgreSQL. */
const PRODUCT_JSON = `jsonb_build_object(
  'id', product.id, 'sku', product.sku, 'name', product.name, 'description', product.description,
  'price', product.price::text, 'active', product.active, 'version', product.version,
  'createdAt', to_char(product.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'updatedAt', to_char(product.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;

export type ProductChange = {
  kind: 'product.created' | 'product.updated' | 'product.deleted';
  /** An insert, update or delete of one product, without its `returning`; `$n` numbered from 1 over `params`. */
  write: string;
  params: unknown[];
  /** Added to the event's data beside the product and the actor (an update's `previous`). */
  eventData?: Record<string, unknown>;
  /** Added to the audit line's details beside the product's SKU (an update's `fields`). */
  auditDetails?: Record<string, unknown>;
};

/**
 * Writes one product change with its outbox event (the product, the actor and `eventData`) and its
 * audit line as ONE statement: the rows appendEvent and appendAudit write, and the dispatcher's
 * notification on commit. One round trip instead of a transaction of six is what lets the API take
 * a few hundred edits a second; the statement is atomic like the transaction was. Returns the
 * product as written, or null when the write matched no row.
 */
export async function writeProductChange(pool: Pool, change: ProductChange, by: Attribution): Promise<Product | null> {
  const params = [...change.params];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const eventId = randomUUID();
  const text = `with product as (${change.write} returning ${PRODUCT_COLUMNS}),
     event as (
       insert into outbox_events (id, type, data)
       select ${param(eventId)}::uuid, ${param(change.kind)},
              ${PRODUCT_JSON} || ${param(JSON.stringify({ ...change.eventData, actor: by.actor }))}::jsonb
       from product
     ),
     audit as (
       insert into audit_log (actor_kind, actor_id, actor_label, action, target_type, target_id, details, request_id, ip)
       select ${param(by.actor.kind)}, ${param(by.actor.id)}, ${param(by.actor.label)}, ${param(change.kind)},
              'product', product.id::text,
              jsonb_build_object('sku', product.sku) || ${param(JSON.stringify(change.auditDetails ?? {}))}::jsonb,
              ${param(by.requestId)}, ${param(by.ip)}
       from product
     )
     select ${PRODUCT_COLUMNS}, pg_notify(${param(OUTBOX_NOTIFY_CHANNEL)}, ${param(eventId)}) from product`;
  // Prepared once per connection and kind of change (an update's text varies with the fields it sets).
  const name = `product-change-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  const { rows } = await pool.query<ProductRow>({ name, text, values: params });
  return rows[0] ? productFromRow(rows[0]) : null;
}
