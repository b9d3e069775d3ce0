import type { LaneToWake } from '@catalog/db';
import { laneSignalWithStart, workflowTypes } from '@catalog/domain';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { mapLimit } from './map-limit';

const SIGNALS_IN_FLIGHT = 32;

export type LaneWaker = { client: Client; taskQueue: string; laneBatch: number; logger: Logger };

/**
 * One signal-with-start per lane (the ids are hints; the lane reads its messages from the database).
 * Failures are logged, not thrown: the messages are committed, and the dispatcher's sweep wakes
 * lanes whose messages stay overdue.
 */
export async function wakeLanes(
  { client, taskQueue, laneBatch, logger }: LaneWaker,
  lanes: LaneToWake[],
): Promise<void> {
  try {
    await mapLimit(lanes, SIGNALS_IN_FLIGHT, async (lane) => {
      await client.workflow.signalWithStart(
        workflowTypes.webhookLane,
        laneSignalWithStart({ id: lane.endpointId, name: lane.name }, taskQueue, laneBatch, lane.eventIds),
      );
    });
  } catch (error) {
    logger.warn({ err: error, lanes: lanes.length }, 'could not wake every webhook lane; the sweep will');
  }
}
