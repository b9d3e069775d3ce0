import { Migration } from '@mikro-orm/migrations';

/**
 * Deep pages of the Products grid in O(page) (see products/sort-marks-*.ts):
 * - `product_counts.changes`, a transactional change counter: every statement that touches products
 *   adds the rows it touched, still as delta rows (no row updated in place, so writers never wait on
 *   each other), folded every 64th insert. An UPDATE now always leaves a delta row, even when no
 *   product changed `active`. TRUNCATE folds the rows into one and adds 1 rather than resetting the
 *   counter: `sum(changes)` never repeats, so a snapshot whose sum equals a mark set's `changes`
 *   sees exactly the products that set was built from.
 * - `product_sort_mark_sets` and `product_sort_marks`: every MARK_SPACING-th row of each sort, for
 *   all products and for each `active` value, with the sort key as text (as cursors carry it) and
 *   the id, so a deep page seeks to the nearest mark and walks at most a spacing more.
 * Adding the column with a constant default rewrites nothing; the existing rows start at 0.
 */
export class Migration20261229000000_product_sort_marks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table product_counts add column changes bigint not null default 0`);
    this.addSql(`drop function if exists product_counts_add(bigint, bigint)`);
    this.addSql(`
      create function product_counts_add(d_active bigint, d_inactive bigint, d_changes bigint) returns void
      language plpgsql as $$
      declare
        added bigint;
      begin
        if d_changes = 0 then
          return;
        end if;
        insert into product_counts (active, inactive, changes) values (d_active, d_inactive, d_changes)
          returning id into added;
        if added % 64 = 0 then
          -- Rows other transactions are folding right now are skipped, never waited for.
          with folded as (
            delete from product_counts
            where id in (select id from product_counts for update skip locked)
            returning active, inactive, changes
          )
          insert into product_counts (active, inactive, changes)
          select coalesce(sum(active), 0), coalesce(sum(inactive), 0), coalesce(sum(changes), 0) from folded;
        end if;
      end $$`);
    this.addSql(`
      create or replace function product_counts_after_insert() returns trigger language plpgsql as $$
      begin
        perform product_counts_add(count(*) filter (where active), count(*) filter (where not active), count(*))
          from new_rows;
        return null;
      end $$`);
    this.addSql(`
      create or replace function product_counts_after_delete() returns trigger language plpgsql as $$
      begin
        perform product_counts_add(-count(*) filter (where active), -count(*) filter (where not active), count(*))
          from old_rows;
        return null;
      end $$`);
    this.addSql(`
      create or replace function product_counts_after_update() returns trigger language plpgsql as $$
      declare
        became_active bigint;
        touched bigint;
      begin
        select count(*) filter (where n.active and not o.active) - count(*) filter (where o.active and not n.active),
               count(*)
          into became_active, touched
          from new_rows n join old_rows o using (id);
        perform product_counts_add(became_active, -became_active, touched);
        return null;
      end $$`);
    // TRUNCATE holds products exclusively: no trigger of another statement can be folding meanwhile.
    this.addSql(`
      create or replace function product_counts_after_truncate() returns trigger language plpgsql as $$
      begin
        with gone as (delete from product_counts returning changes)
        insert into product_counts (active, inactive, changes) select 0, 0, coalesce(sum(changes), 0) + 1 from gone;
        return null;
      end $$`);

    this.addSql(`
      create table product_sort_mark_sets (
        field text not null,
        scope text not null check (scope in ('all', 'active', 'inactive')),
        changes bigint not null,
        -- The sort key the marks were built with: a deploy that changes it leaves them unusable.
        definition text not null,
        total bigint not null,
        spacing integer not null,
        built_at timestamptz not null default now(),
        primary key (field, scope)
      )`);
    this.addSql(`
      create table product_sort_marks (
        field text not null,
        scope text not null,
        position bigint not null,
        key text not null,
        id bigint not null,
        primary key (field, scope, position),
        foreign key (field, scope) references product_sort_mark_sets (field, scope) on delete cascade
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists product_sort_marks`);
    this.addSql(`drop table if exists product_sort_mark_sets`);
    this.addSql(`drop function if exists product_counts_add(bigint, bigint, bigint)`);
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
      create or replace function product_counts_after_insert() returns trigger language plpgsql as $$
      begin
        perform product_counts_add(count(*) filter (where active), count(*) filter (where not active)) from new_rows;
        return null;
      end $$`);
    this.addSql(`
      create or replace function product_counts_after_delete() returns trigger language plpgsql as $$
      begin
        perform product_counts_add(-count(*) filter (where active), -count(*) filter (where not active)) from old_rows;
        return null;
      end $$`);
    this.addSql(`
      create or replace function product_counts_after_update() returns trigger language plpgsql as $$
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
      create or replace function product_counts_after_truncate() returns trigger language plpgsql as $$
      begin
        delete from product_counts;
        return null;
      end $$`);
    this.addSql(`alter table product_counts drop column if exists changes`);
  }
}
