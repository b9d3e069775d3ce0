import { Migration } from '@mikro-orm/migrations';

/**
 * Undoing a completed import (issue 13) as a job of kind `undo`:
 * - `jobs.undo_of` names the import an undo job takes back. At most one undo per import may be
 *   queued, running or completed (a unique partial index, so two racing requests cannot both pass);
 *   a cancelled or failed undo leaves the rest of the log for another try.
 * - `import_undo_logs` marks a completed import whose undo log was kept (imports finalized before
 *   this change dropped theirs). Pruning removes the mark first, so a half-pruned log is never undone.
 * - `import_undo_runs` is an undo job's durable progress, written with every batch it commits.
 * - `import_undo_conflicts` lists the products an undo left as they were (changed since the import).
 */
export class Migration20261223000000_import_undo_jobs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table jobs add column undo_of uuid null references jobs (id) on delete cascade`);
    this.addSql(`
      create unique index jobs_one_undo_per_import on jobs (undo_of)
      where undo_of is not null and status in ('queued', 'running', 'completed')`);
    this.addSql(`create index jobs_undo_of_idx on jobs (undo_of, seq) where undo_of is not null`);
    this.addSql(`
      create table import_undo_logs (
        job_id uuid primary key references jobs (id) on delete cascade,
        kept_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table import_undo_runs (
        job_id uuid primary key references jobs (id) on delete cascade,
        import_id uuid not null references jobs (id) on delete cascade,
        total bigint not null,
        processed bigint not null default 0,
        restored bigint not null default 0,
        removed bigint not null default 0,
        conflicts bigint not null default 0
      )`);
    this.addSql(`
      create table import_undo_conflicts (
        job_id uuid not null references jobs (id) on delete cascade,
        sku varchar(255) not null,
        change text not null,
        reason text not null,
        primary key (job_id, sku)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists import_undo_conflicts`);
    this.addSql(`drop table if exists import_undo_runs`);
    this.addSql(`drop table if exists import_undo_logs`);
    this.addSql(`drop index if exists jobs_undo_of_idx`);
    this.addSql(`drop index if exists jobs_one_undo_per_import`);
    this.addSql(`alter table jobs drop column if exists undo_of`);
  }
}
