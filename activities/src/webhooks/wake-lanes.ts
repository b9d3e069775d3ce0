import { LANE_NOTIFY_CHANNEL, type LaneToWake } from '@catalog/db';
import { laneSignalWithStart, workflowTypes } from '@catalog/domain';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { LaneBell } from './lane-bell';
import { mapLimit } from './map-limit';

const SIGNALS_IN_FLIGHT = 32;

export type LaneWaker = {
  client: Client;
  taskQueue: string;
  laneBatch: number;
  logger: Logger;
  bell: LaneBell;
  db: { pool: Pool };
};

/**
 * Wakes each lane: a batch lingering in this process hears the bell and needs nothing more. The
 * others get a notification (heard by a batch lingering in another worker process) and one
 * signal-with-start (the ids are hints; the lane reads its messages from the database).
 * Failures are logged, not thrown: the messages are committed, and the dispatcher's sweep wakes
 * lanes whose messages stay overdue.
 */
export async function wakeLanes(
  { client, taskQueue, laneBatch, logger, bell, db }: LaneWaker,
  lanes: LaneToWake[],
): Promise<void> {
  const unheard = lanes.filter((lane) => !bell.ring(lane.endpointId));
  if (unheard.length === 0) return;
  try {
    await db.pool.query(`select pg_notify($1, id) from unnest($2::text[]) as id`, [
      LANE_NOTIFY_CHANNEL,
      unheard.map((lane) => lane.endpointId),
    ]);
  } catch (error) {
    // Only a batch lingering in another worker misses it (until its linger ends); the signals still go.
    logger.warn({ err: error, lanes: unheard.length }, 'could not notify the webhook lanes');
  }
  try {
    await mapLimit(unheard, SIGNALS_IN_FLIGHT, async (lane) => {
      await client.workflow.signalWithStart(
        workflowTypes.webhookLane,
        laneSignalWithStart({ id: lane.endpointId, name: lane.name }, taskQueue, laneBatch, lane.eventIds),
      );
    });
  } catch (error) {
    logger.warn({ err: error, lanes: unheard.length }, 'could not wake every webhook lane; the sweep will');
  }
}
