import { Migration } from '@mikro-orm/migrations';

/**
 * Upload, then map (issue 13). `uploads`: a stored file waiting for its mapping, owned by the actor
 * (user or API key) that sent it; the import that uses it deletes the row. `mapping_presets`: the
 * mapping and options last applied to files with a header signature (the SHA-256 of the normalised
 * header list), offered again to the next such file.
 */
export class Migration20261222000000_uploads_mapping_presets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table uploads (
        id uuid primary key,
        actor_kind text not null check (actor_kind in ('user', 'key')),
        actor_id text not null,
        file_key text not null,
        file_name text not null,
        bytes bigint not null,
        delimiter text not null,
        headers jsonb not null,
        signature text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`create index uploads_created_idx on uploads (created_at)`);
    this.addSql(`
      create table mapping_presets (
        id uuid primary key,
        name text not null,
        signature text not null unique,
        headers jsonb not null,
        mapping jsonb not null,
        options jsonb not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists mapping_presets`);
    this.addSql(`drop table if exists uploads`);
  }
}
