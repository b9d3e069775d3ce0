import { Migration } from '@mikro-orm/migrations';

/**
 * Webhook messages, review of issue 10:
 * - `event_seq` is the outbox event's `seq`: an ordered endpoint receives its messages in event
 *   order, which is not always the order the dispatcher inserted them (`seq`; a retried dispatch, an
 *   event committed late). The column is added with a default (no table rewrite, so the lock is
 *   brief), and only messages that are still pending, failed or held take their event's `seq`:
 *   delivered ones, most of the table, are never read in event order. A message whose event is no
 *   longer stored fails at its next attempt whatever its place, so it keeps 0. The lane's index on
 *   pending messages follows event order (`seq` breaks the ties of those zeros).
 * - `generation` counts the times an admin sent a message again (redeliver, recover): a batch that
 *   read the message before records its attempt's outcome only if the generation is unchanged, so
 *   a redelivery landing mid-batch is never overwritten by the older attempt.
 * - Failed and held messages are pruned by their last change, like delivered ones by delivery.
 */
export class Migration20261227000000_webhook_message_event_order extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table webhook_messages add column event_seq bigint not null default 0, add column generation integer not null default 0`,
    );
    this.addSql(`
      update webhook_messages m set event_seq = o.seq from outbox_events o
      where o.id = m.event_id and m.state <> 'delivered'`);
    // Every insert names its event's seq; a default would hide one that forgot.
    this.addSql(`alter table webhook_messages alter column event_seq drop default`);
    this.addSql(`drop index if exists webhook_messages_pending_idx`);
    this.addSql(`
      create index webhook_messages_pending_idx on webhook_messages (endpoint_id, event_seq, seq)
      where state = 'pending'`);
    this.addSql(`
      create index webhook_messages_settled_idx on webhook_messages (updated_at)
      where state in ('failed', 'held')`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists webhook_messages_settled_idx`);
    this.addSql(`drop index if exists webhook_messages_pending_idx`);
    this.addSql(`alter table webhook_messages drop column event_seq, drop column generation`);
    this.addSql(
      `create index webhook_messages_pending_idx on webhook_messages (endpoint_id, seq) where state = 'pending'`,
    );
  }
}
