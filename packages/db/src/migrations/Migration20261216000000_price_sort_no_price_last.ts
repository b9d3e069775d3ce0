import { Migration } from '@mikro-orm/migrations';

/**
 * The price sort index keys products without a price as a value above any price (where
 * PostgreSQL's NULLS LAST put them), so a page cursor is one row comparison the index seeks to;
 * with a nullable key, "after this row" is an OR the index cannot seek. It replaces the old
 * index, so imports maintain as many indexes as before.
 */
export class Migration20261216000000_price_sort_no_price_last extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists products_price_sort_idx`);
    this.addSql(`create index products_price_sort_idx on products ((coalesce(price, 10000000000000::numeric)), id)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists products_price_sort_idx`);
    this.addSql(`create index products_price_sort_idx on products (price, id)`);
  }
}
