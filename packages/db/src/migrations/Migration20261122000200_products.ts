import { Migration } from '@mikro-orm/migrations';

/**
 * What the Products grid and delete-all need on a catalog of 500k+ rows:
 * - trigram GIN indexes, so "contains" filters on sku, name and description use an index;
 * - one btree per sort order ending in `id`, so every page is an index walk (sku sorts on the
 *   existing unique `sku_key`); names sort by their lowercased first 200 characters, which keeps
 *   index entries far below btree's size limit whatever a name's length;
 * - `product_counts`, the live number of active and inactive products, kept by statement-level
 *   triggers, so the unfiltered total is O(1) instead of a 500k-row count per page view. Triggers
 *   only ever insert delta rows (no row is updated in place), so concurrent writers never wait on
 *   each other or deadlock; every 64th insert folds the deltas into one row;
 * - `bulk_deletes`, the durable progress of each delete-all job (its id watermark, keyset cursor
 *   and count), committed with each batch so a resumed job continues exactly where it stopped.
 */
export class Migration20261122000200_products extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index products_sku_trgm_idx on products using gin (sku gin_trgm_ops)`);
    this.addSql(`create index products_name_trgm_idx on products using gin (name gin_trgm_ops)`);
    this.addSql(`create index products_description_trgm_idx on products using gin (description gin_trgm_ops)`);
    this.addSql(`create index products_name_sort_idx on products ((lower(left(name, 200)) collate "C"), id)`);
    this.addSql(`create index products_price_sort_idx on products (price, id)`);
    this.addSql(`create index products_updated_sort_idx on products (updated_at, id)`);

    this.addSql(`
      create table product_counts (
        id bigint generated always as identity primary key,
        active bigint not null,
        inactive bigint not null
      )`);
    this.addSql(`
      insert into product_counts (active, inactive)
      select count(*) filter (where active), count(*) filter (where not active) from products`);
    this.addSql(`
      create function product_counts_add(d_active bigint, d_inactive bigint) returns void
      language plpgsql as $$
      declare
        added bigint;
      begin
        if d_active = 0 and d_inactive = 0 then
          return;
        end if;
        insert into product_counts (active, inactive) values (d_active, d_inactive) returning id into added;
        if added % 64 = 0 then
          -- Rows other transactions are folding right now are skipped, never waited for.
          with folded as (
            delete from product_counts
            where id in (select id from product_counts for update skip locked)
            returning active, inactive
          )
          insert into product_counts (active, inactive)
          select coalesce(sum(active), 0), coalesce(sum(inactive), 0) from folded;
        end if;
      end $$`);
    this.addSql(`
      create function product_counts_after_insert() returns trigger language plpgsql as $$
      begin
        perform product_counts_add(count(*) filter (where active), count(*) filter (where not active)) from new_rows;
        return null;
      end $$`);
    this.addSql(`
      create function product_counts_after_delete() returns trigger language plpgsql as $$
      begin
        perform product_counts_add(-count(*) filter (where active), -count(*) filter (where not active)) from old_rows;
        return null;
      end $$`);
    this.addSql(`
      create function product_counts_after_update() returns trigger language plpgsql as $$
      declare
        became_active bigint;
      begin
        select count(*) filter (where n.active and not o.active) - count(*) filter (where o.active and not n.active)
          into became_active
          from new_rows n join old_rows o using (id)
          where n.active <> o.active;
        perform product_counts_add(became_active, -became_active);
        return null;
      end $$`);
    this.addSql(`
      create function product_counts_after_truncate() returns trigger language plpgsql as $$
      begin
        delete from product_counts;
        return null;
      end $$`);
    this.addSql(`
      create trigger products_count_insert after insert on products
      referencing new table as new_rows for each statement execute function product_counts_after_insert()`);
    this.addSql(`
      create trigger products_count_delete after delete on products
      referencing old table as old_rows for each statement execute function product_counts_after_delete()`);
    this.addSql(`
      create trigger products_count_update after update on products
      referencing old table as old_rows new table as new_rows
      for each statement execute function product_counts_after_update()`);
    this.addSql(`
      create trigger products_count_truncate after truncate on products
      for each statement execute function product_counts_after_truncate()`);

    this.addSql(`
      create table bulk_deletes (
        job_id uuid primary key references jobs (id) on delete cascade,
        max_id bigint not null,
        total bigint not null,
        cursor_id bigint not null default 0,
        deleted bigint not null default 0
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists bulk_deletes`);
    this.addSql(`drop trigger if exists products_count_truncate on products`);
    this.addSql(`drop trigger if exists products_count_update on products`);
    this.addSql(`drop trigger if exists products_count_delete on products`);
    this.addSql(`drop trigger if exists products_count_insert on products`);
    this.addSql(`drop function if exists product_counts_after_truncate()`);
    this.addSql(`drop function if exists product_counts_after_update()`);
    this.addSql(`drop function if exists product_counts_after_delete()`);
    this.addSql(`drop function if exists product_counts_after_insert()`);
    this.addSql(`drop function if exists product_counts_add(bigint, bigint)`);
    this.addSql(`drop table if exists product_counts`);
    this.addSql(`drop index if exists products_updated_sort_idx`);
    this.addSql(`drop index if exists products_price_sort_idx`);
    this.addSql(`drop index if exists products_name_sort_idx`);
    this.addSql(`drop index if exists products_description_trgm_idx`);
    this.addSql(`drop index if exists products_name_trgm_idx`);
    this.addSql(`drop index if exists products_sku_trgm_idx`);
  }
}
