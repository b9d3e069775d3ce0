import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook endpoints and their delivery log. The endpoint row also carries the outcome of its latest
 * delivery and the start of its current failure streak, so the list and auto-disable need no scan of
 * the log. `event_types` null means "every event type".
 */
export class Migration20261122000300_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table webhook_endpoints (
        id uuid primary key,
        name text not null,
        url text not null,
        event_types jsonb null,
        enabled boolean not null default true,
        secret text not null,
        previous_secret text null,
        previous_secret_expires_at timestamptz null,
        disabled_reason text null,
        failing_since timestamptz null,
        last_attempt_at timestamptz null,
        last_ok boolean null,
        last_status_code integer null,
        last_error text null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table webhook_deliveries (
        id uuid primary key,
        seq bigint generated always as identity unique,
        endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
        event_id uuid not null,
        event_type varchar(64) not null,
        attempt integer not null,
        redelivery boolean not null default false,
        ok boolean not null,
        status_code integer null,
        latency_ms integer not null,
        response_snippet text null,
        error text null,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, seq desc)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists webhook_deliveries`);
    this.addSql(`drop table if exists webhook_endpoints`);
  }
}
