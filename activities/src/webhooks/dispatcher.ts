import {
  type Database,
  dispatchEvents,
  LANE_NOTIFY_CHANNEL,
  lanesWithOverdueMessages,
  OUTBOX_NOTIFY_CHANNEL,
} from '@catalog/db';
import type { Client } from '@temporalio/client';
import type { Notification, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { LaneBell } from './lane-bell';
import { wakeLanes } from './wake-lanes';

export type DispatcherOptions = {
  db: Database;
  client: Client;
  /** The webhook task queue (`webhookTaskQueue(TEMPORAL_TASK_QUEUE)`). */
  taskQueue: string;
  logger: Logger;
  /** The safety-net sweep for events whose notification was missed, and for lanes that missed a wake-up. */
  sweepEveryMs?: number;
  batchSize?: number;
  /** Messages per lane batch (WEBHOOK_LANE_BATCH), part of a lane's input when a wake-up starts it. */
  laneBatch: number;
  /** Shared with this process's webhook worker: a lane whose batch listens here needs no signal. */
  bell: LaneBell;
};

export type OutboxDispatcher = { stop: () => Promise<void> };

const RECONNECT_MS = 1_000;
/** A pending message due this long without its lane acting on it makes the sweep wake the lane. */
const OVERDUE_GRACE_MS = 2_000;
/**
 * A wake-up waits this long before it drains, so a burst of commits (an integrator's stream of
 * edits) goes out in one transaction and one round per lane rather than one per commit.
 */
const GATHER_MS = 10;

/**
 * Turns outbox events into webhook messages, one per subscribed endpoint (held for a disabled one),
 * and marks the events dispatched, in one transaction; after the commit it wakes each affected
 * endpoint's lane with one signal (signal-with-start). It wakes on the NOTIFY that each outbox
 * insert sends on commit (so a delivery starts within milliseconds), and also sweeps on a timer and
 * at start, so events committed while no dispatcher listened (a worker down, a lost connection)
 * still go out; the sweep also wakes the lanes of endpoints with overdue messages, so a crash
 * between the commit and the signal delays messages but loses none. A lane whose batch lingers in
 * this process is rung rather than signalled (see LaneBell), and the listener rings batches here
 * for lane notifications from other processes. Several dispatchers may run:
 * rows are claimed with SKIP LOCKED, and a message per event and endpoint makes a repeat a no-op.
 */
export function startOutboxDispatcher(options: DispatcherOptions): OutboxDispatcher {
  const { db, logger } = options;
  const batchSize = options.batchSize ?? 200;
  let stopped = false;
  let listener: PoolClient | null = null;
  let reconnect: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let sweepLanes = true;

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        while (!stopped && (await dispatchBatch(options, batchSize)) === batchSize);
        if (sweepLanes && !stopped) {
          sweepLanes = false;
          await wakeLanes(options, await lanesWithOverdueMessages(db.pool, OVERDUE_GRACE_MS));
        }
      } catch (error) {
        // Temporal or the database is away: the rows stay pending for the next wake-up or sweep.
        logger.warn({ err: error }, 'webhook dispatch failed; will retry');
        return;
      }
    } while (again && !stopped);
  }

  function onNotification(notification: Notification): void {
    if (notification.channel === LANE_NOTIFY_CHANNEL) {
      if (notification.payload) options.bell.ring(notification.payload);
    } else wake();
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = new Promise((resolve) => setTimeout(resolve, GATHER_MS)).then(drain).finally(() => {
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
      client.on('notification', onNotification);
      client.once('error', (error) => giveUp(error, 'outbox listener lost its connection; reconnecting'));
      await client.query(`listen ${OUTBOX_NOTIFY_CHANNEL}`);
      await client.query(`listen ${LANE_NOTIFY_CHANNEL}`);
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
    await client.query('unlisten *').catch(() => undefined);
    client.release();
  }

  const sweep = setInterval(() => {
    sweepLanes = true;
    wake();
  }, options.sweepEveryMs ?? 5_000);
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

/** One drain step (see dispatchEvents), then the lanes woken. Returns how many events it claimed. */
async function dispatchBatch(options: DispatcherOptions, limit: number): Promise<number> {
  const { claimed, lanes } = await dispatchEvents(options.db.pool, limit);
  await wakeLanes(options, lanes);
  return claimed;
}
