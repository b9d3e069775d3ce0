import { type Database, OUTBOX_NOTIFY_CHANNEL } from '@catalog/db';
import { deliveryWorkflowId, workflowTypes } from '@catalog/domain';
import type { WebhookDeliveryInput } from '@catalog/workflows';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import { inTransaction } from '../transaction';
import { mapLimit } from './map-limit';

export type DispatcherOptions = {
  db: Database;
  client: Client;
  /** The webhook task queue (`webhookTaskQueue(TEMPORAL_TASK_QUEUE)`). */
  taskQueue: string;
  logger: Logger;
  /** The safety-net sweep for events whose notification was missed. */
  sweepEveryMs?: number;
  batchSize?: number;
};

export type OutboxDispatcher = { stop: () => Promise<void> };

const STARTS_IN_FLIGHT = 64;
const RECONNECT_MS = 1_000;

/**
 * Turns outbox events into delivery workflows, one per subscribed, enabled endpoint, and marks the
 * events dispatched. It wakes on the NOTIFY that each outbox insert sends on commit (so a delivery
 * starts within milliseconds), and also sweeps on a timer and at start, so events committed while
 * no dispatcher listened (a worker down, a lost connection) still go out. Several dispatchers may
 * run: rows are claimed with SKIP LOCKED, and a workflow id per event and endpoint makes a repeated
 * start (after a crash between start and mark) a no-op.
 */
export function startOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const { db, logger } = options;
  const batchSize = options.batchSize ?? 200;
  let stopped = false;
  let listener: PoolClient | null = null;
  let reconnect: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        while (!stopped && (await dispatchBatch(options, batchSize)) === batchSize);
      } catch (error) {
        // Temporal or the database is away: the rows stay pending for the next wake-up or sweep.
        logger.warn({ err: error }, 'webhook dispatch failed; will retry');
        return;
      }
    } while (again && !stopped);
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain().finally(() => {
      running = null;
    });
  }

  async function listen(): Promise<void> {
    if (stopped) return;
    let client: PoolClient | undefined;
    // A lost connection may show up both as an 'error' event and as a failed LISTEN: the
    // connection is released and a reconnect scheduled once, whichever comes first.
    let settled = false;
    const giveUp = (error: unknown, message: string) => {
      if (settled) return;
      settled = true;
      logger.warn({ err: error }, message);
      if (client && listener === client) listener = null;
      client?.release(true);
      reconnect = setTimeout(() => void listen(), RECONNECT_MS);
    };
    try {
      client = await db.pool.connect();
      client.on('notification', wake);
      client.once('error', (error) => giveUp(error, 'outbox listener lost its connection; reconnecting'));
      await client.query(`listen ${OUTBOX_NOTIFY_CHANNEL}`);
      listener = client;
      if (stopped) await stopListening();
      else wake();
    } catch (error) {
      giveUp(error, 'outbox listener could not connect; retrying');
    }
  }

  async function stopListening(): Promise<void> {
    const client = listener;
    listener = null;
    if (!client) return;
    client.removeAllListeners('notification');
    await client.query(`unlisten ${OUTBOX_NOTIFY_CHANNEL}`).catch(() => undefined);
    client.release();
  }

  const sweep = setInterval(wake, options.sweepEveryMs ?? 5_000);
  // Detached on purpose: listen() handles its own failures by retrying until stop().
  void listen();

  return {
    stop: async () => {
      stopped = true;
      clearInterval(sweep);
      clearTimeout(reconnect);
      await running;
      await stopListening();
    },
  };
}

type PendingEvent = { id: string; type: string };
type Subscriber = { id: string; event_types: string[] | null };

/** Claims up to `limit` pending events, starts their deliveries, marks them dispatched. Returns how many it claimed. */
function dispatchBatch({ db, client, taskQueue }: DispatcherOptions, limit: number): Promise<number> {
  return inTransaction(db, async (sql) => {
    const { rows: events } = await sql.query<PendingEvent>(
      `select id, type from outbox_events where dispatched_at is null
       order by seq limit $1 for update skip locked`,
      [limit],
    );
    if (events.length === 0) return 0;
    const { rows: endpoints } = await sql.query<Subscriber>(
      `select id, event_types from webhook_endpoints where enabled`,
    );
    const starts: WebhookDeliveryInput[] = events.flatMap((event) =>
      endpoints
        .filter((endpoint) => endpoint.event_types === null || endpoint.event_types.includes(event.type))
        .map((endpoint) => ({ eventId: event.id, endpointId: endpoint.id, redelivery: false })),
    );
    await mapLimit(starts, STARTS_IN_FLIGHT, (input) => startDelivery(client, taskQueue, input));
    await sql.query(`update outbox_events set dispatched_at = now() where id = any($1::uuid[])`, [
      events.map((event) => event.id),
    ]);
    return events.length;
  });
}

async function startDelivery(client: Client, taskQueue: string, input: WebhookDeliveryInput): Promise<void> {
  try {
    await client.workflow.start(workflowTypes.webhookDelivery, {
      workflowId: deliveryWorkflowId(input.eventId, input.endpointId),
      taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      requestEagerStart: true,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
