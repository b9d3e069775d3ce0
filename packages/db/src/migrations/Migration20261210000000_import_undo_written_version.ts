import { Migration } from '@mikro-orm/migrations';

/**
 * Compensation must leave alone a product changed since the import wrote it (a user's edit made
 * while the import ran). Every write raises `version`, so the undo log keeps which product the
 * import updated and the version it wrote: a product still at that version is exactly as the
 * import left it. Rows logged before this migration take the product's current id and version,
 * the best knowledge there is; a product already gone has nothing left to restore. The previous
 * version and updated_at go: a restore is a new write, so it never puts them back.
 */
export class Migration20261210000000_import_undo_written_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table import_undo add column product_id bigint null, add column written_version integer null`);
    this.addSql(`
      update import_undo u set product_id = p.id, written_version = p.version
      from products p where p.sku_key = u.sku_key`);
    this.addSql(`delete from import_undo where product_id is null`);
    this.addSql(
      `alter table import_undo alter column product_id set not null, alter column written_version set not null`,
    );
    this.addSql(`alter table import_undo drop column prev_version, drop column prev_updated_at`);
  }

  override async down(): Promise<void> {
    // The import raised each version by one; the time it replaced is not known any more.
    this.addSql(
      `alter table import_undo add column prev_version integer null, add column prev_updated_at timestamptz null`,
    );
    this.addSql(`update import_undo set prev_version = written_version - 1, prev_updated_at = now()`);
    this.addSql(
      `alter table import_undo alter column prev_version set not null, alter column prev_updated_at set not null`,
    );
    this.addSql(`alter table import_undo drop column product_id, drop column written_version`);
  }
}
