import { Migration } from '@mikro-orm/migrations';

/**
 * Import bookkeeping: the undo log that makes an import all-or-nothing (previous values of every
 * product a chunk updated; ids of those it inserted, one array per chunk, because a first import
 * inserts almost every row and one undo row per product would cost as much as the import), the
 * ledger that makes each chunk run exactly once, and the error report.
 */
export class Migration20261122000100_imports extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table import_undo (
        job_id uuid not null,
        sku_key varchar(255) collate "C" not null,
        prev_sku varchar(255) not null,
        prev_name text not null,
        prev_description text not null,
        prev_price numeric(12, 2) null,
        prev_active boolean not null,
        prev_version integer not null,
        prev_updated_at timestamptz not null,
        primary key (job_id, sku_key)
      )`);
    this.addSql(`
      create table import_undo_inserts (
        job_id uuid not null,
        chunk_no integer not null,
        product_ids bigint[] not null,
        primary key (job_id, chunk_no)
      )`);
    this.addSql(`
      create table import_chunks (
        job_id uuid not null,
        chunk_no integer not null,
        inserted integer not null,
        updated integer not null,
        unchanged integer not null,
        applied_at timestamptz not null default now(),
        primary key (job_id, chunk_no)
      )`);
    this.addSql(`
      create table import_errors (
        job_id uuid not null references jobs (id) on delete cascade,
        row_no bigint not null,
        column_name text not null,
        reason text not null,
        sku text null,
        name text null,
        description text null,
        price text null,
        active text null,
        primary key (job_id, row_no)
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists import_errors`);
    this.addSql(`drop table if exists import_chunks`);
    this.addSql(`drop table if exists import_undo_inserts`);
    this.addSql(`drop table if exists import_undo`);
  }
}
