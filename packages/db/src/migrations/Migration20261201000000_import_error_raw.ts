import { Migration } from '@mikro-orm/migrations';

/**
 * A line that could not be read as cells (a NUL byte, a cell or row above the size limits, a quote
 * never closed) is reported with the start of its raw text, so the user can find and fix it.
 */
export class Migration20261201000000_import_error_raw extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table import_errors add column raw text null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table import_errors drop column raw`);
  }
}
