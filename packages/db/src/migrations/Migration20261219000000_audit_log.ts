import { Migration } from '@mikro-orm/migrations';

/**
 * Who did what (issue 9). `audit_log` is append-only: one line per change, sign-in, or secret
 * reveal, with the actor as they were then (the label is kept, not joined, so a deleted user still
 * reads right). Lines are read newest first, by id, optionally narrowed by action, actor or target.
 * Jobs record who asked for them; jobs accepted before this migration have no actor (null).
 */
export class Migration20261219000000_audit_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table audit_log (
        id bigint generated always as identity primary key,
        at timestamptz not null default now(),
        actor_kind text not null check (actor_kind in ('user', 'key', 'system', 'anonymous')),
        actor_id text null,
        actor_label text not null,
        action text not null,
        target_type text null,
        target_id text null,
        details jsonb not null default '{}',
        request_id text null,
        ip text null
      )`);
    this.addSql(`create index audit_log_at_idx on audit_log (at)`);
    this.addSql(`create index audit_log_action_idx on audit_log (action text_pattern_ops, id)`);
    this.addSql(`create index audit_log_actor_idx on audit_log (actor_id, id) where actor_id is not null`);
    this.addSql(`create index audit_log_target_idx on audit_log (target_type, target_id, id)`);
    this.addSql(`
      alter table jobs
        add column actor_kind text null check (actor_kind in ('user', 'key', 'system', 'anonymous')),
        add column actor_id text null,
        add column actor_label text null`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table jobs drop column actor_kind, drop column actor_id, drop column actor_label`);
    this.addSql(`drop table if exists audit_log`);
  }
}
