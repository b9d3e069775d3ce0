import { Migration } from '@mikro-orm/migrations';

/**
 * Access control (issue 9). Emails are unique whatever their case. Sessions and API keys are
 * stored as the SHA-256 of their secret only, so a copy of the database signs nobody in.
 * Deleting a user ends their sessions and keeps the keys they made (`created_by` becomes null).
 */
export class Migration20261217000000_users_sessions_api_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table users (
        id uuid primary key,
        email text not null,
        password_hash text not null,
        role text not null check (role in ('viewer', 'editor', 'admin')),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        disabled_at timestamptz null
      )`);
    this.addSql(`create unique index users_email_key on users (lower(email))`);
    this.addSql(`
      create table sessions (
        id text primary key,
        user_id uuid not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        last_seen_at timestamptz not null default now()
      )`);
    this.addSql(`create index sessions_user_idx on sessions (user_id)`);
    this.addSql(`create index sessions_expires_idx on sessions (expires_at)`);
    this.addSql(`
      create table api_keys (
        id uuid primary key,
        prefix text not null,
        key_hash text not null unique,
        name text not null,
        role text not null check (role in ('viewer', 'editor', 'admin')),
        created_by uuid null references users (id) on delete set null,
        created_at timestamptz not null default now(),
        expires_at timestamptz null,
        last_used_at timestamptz null,
        revoked_at timestamptz null
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists api_keys`);
    this.addSql(`drop table if exists sessions`);
    this.addSql(`drop table if exists users`);
  }
}
