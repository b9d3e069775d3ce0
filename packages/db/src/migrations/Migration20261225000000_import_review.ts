import { Migration } from '@mikro-orm/migrations';

/**
 * Review before apply (issue 13): an import may wait in the job status `review` (a text column, no
 * constraint to widen) until someone applies it, who may not be who started it: recorded here.
 */
export class Migration20261225000000_import_review extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table jobs add column applied_by_kind text null,
                       add column applied_by_id text null,
                       add column applied_by_label text null`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table jobs drop column applied_by_kind, drop column applied_by_id, drop column applied_by_label`,
    );
  }
}
