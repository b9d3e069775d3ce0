import { Migration } from '@mikro-orm/migrations';

/**
 * The name and price sort indexes carry the column their key is computed from (`include`), so a
 * deep `page=N` is an index-only scan. PostgreSQL only plans an index-only scan when every column
 * the query names is in the index, and an expression key (`lower(left(name, 200))`,
 * `coalesce(price, …)`) does not count as its column: before, each skipped row was a heap visit
 * (a middle page of 490k names took seconds). It replaces both indexes, so an import maintains as
 * many as before; the name index grows by the names (38 → 47 MB at 490k), the price one barely.
 */
export class Migration20261226000000_sort_indexes_index_only extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index if exists products_name_sort_idx`);
    this.addSql(
      `create index products_name_sort_idx on products ((lower(left(name, 200)) collate "C"), id) include (name)`,
    );
    this.addSql(`drop index if exists products_price_sort_idx`);
    this.addSql(
      `create index products_price_sort_idx on products ((coalesce(price, 10000000000000::numeric)), id) include (price)`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists products_name_sort_idx`);
    this.addSql(`create index products_name_sort_idx on products ((lower(left(name, 200)) collate "C"), id)`);
    this.addSql(`drop index if exists products_price_sort_idx`);
    this.addSql(`create index products_price_sort_idx on products ((coalesce(price, 10000000000000::numeric)), id)`);
  }
}
