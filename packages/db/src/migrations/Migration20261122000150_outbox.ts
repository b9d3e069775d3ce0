import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox: a catalog change and its event are written in one transaction, so no
 * committed change can miss its event. The dispatcher marks rows as dispatched once it has handed
 * them to Temporal.
 */
export class Migration20261122000150_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table outbox_events (
        id uuid primary key,
        seq bigint generated always as identity unique,
        type varchar(64) not null,
        data jsonb not null,
        occurred_at timestamptz not null default now(),
        dispatched_at timestamptz null
      )`);
    this.addSql(`create index outbox_events_pending_idx on outbox_events (seq) where dispatched_at is null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists outbox_events`);
  }
}
