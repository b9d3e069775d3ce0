import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook lanes (issue 10): one message per event and endpoint, delivered by the endpoint's lane.
 * - `webhook_messages` is what must reach an endpoint and where it stands (pending, delivered,
 *   failed, held), each with its own retry schedule. `redelivery` marks a message an admin sent again
 *   (redeliver, recover), so its attempts are logged as redeliveries.
 * - Endpoints gain their lane settings (`ordered`, `rate_limit_per_second`) and the circuit breaker
 *   state the lane persists so the API shows it (`consecutive_failures`, `circuit_*`).
 * Indexes: due pending messages of an endpoint in seq order (the lane's batch), pending by due time
 * (the sweep), the log newest first, failed/held by time (recover), delivered by time (retention),
 * and by event (retention keeps an event while a message still needs it).
 */
export class Migration20261224000000_webhook_lanes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table webhook_messages (
        seq bigint generated always as identity primary key,
        endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
        event_id uuid not null,
        event_type varchar(64) not null,
        state text not null default 'pending' check (state in ('pending', 'delivered', 'failed', 'held')),
        attempts integer not null default 0,
        redelivery boolean not null default false,
        first_attempt_at timestamptz null,
        next_attempt_at timestamptz not null default now(),
        last_error text null,
        last_status_code integer null,
        delivered_at timestamptz null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (endpoint_id, event_id)
      )`);
    this.addSql(
      `create index webhook_messages_pending_idx on webhook_messages (endpoint_id, seq) where state = 'pending'`,
    );
    this.addSql(`create index webhook_messages_due_idx on webhook_messages (next_attempt_at) where state = 'pending'`);
    this.addSql(`create index webhook_messages_log_idx on webhook_messages (endpoint_id, seq desc)`);
    this.addSql(`
      create index webhook_messages_recover_idx on webhook_messages (endpoint_id, created_at)
      where state in ('failed', 'held')`);
    this.addSql(
      `create index webhook_messages_delivered_idx on webhook_messages (delivered_at) where state = 'delivered'`,
    );
    this.addSql(`create index webhook_messages_event_idx on webhook_messages (event_id)`);
    this.addSql(`
      alter table webhook_endpoints
        add column ordered boolean not null default false,
        add column rate_limit_per_second integer null check (rate_limit_per_second between 1 and 10000),
        add column consecutive_failures integer not null default 0,
        add column circuit_state text not null default 'closed' check (circuit_state in ('closed', 'open')),
        add column circuit_opened_at timestamptz null,
        add column circuit_next_probe_at timestamptz null`);
    // Deliveries the per-delivery workflows had not finished (retries run for 24 h) become pending
    // messages, or held ones for a disabled endpoint, so the upgrade drops none: an event of the
    // last 24 h with no successful attempt to an endpoint that existed and subscribed to it then.
    // A delivery that had failed for good is sent once more (at least once allows it).
    this.addSql(`
      insert into webhook_messages (endpoint_id, event_id, event_type, state, created_at)
      select e.id, o.id, o.type, case when e.enabled then 'pending' else 'held' end, o.occurred_at
      from outbox_events o
      join webhook_endpoints e
        on e.created_at <= o.occurred_at and (e.event_types is null or e.event_types @> jsonb_build_array(o.type))
      where o.dispatched_at > now() - interval '24 hours'
        and not exists (
          select 1 from webhook_deliveries d where d.event_id = o.id and d.endpoint_id = e.id and d.ok)
      order by o.seq
      on conflict do nothing`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists webhook_messages`);
    this.addSql(`
      alter table webhook_endpoints
        drop column ordered, drop column rate_limit_per_second, drop column consecutive_failures,
        drop column circuit_state, drop column circuit_opened_at, drop column circuit_next_probe_at`);
  }
}
