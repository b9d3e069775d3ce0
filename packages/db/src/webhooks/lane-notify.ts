import type { Sql } from './message-store';

/**
 * Tells a lane's running batch, in whichever worker process it runs, that its endpoint changed or
 * has new messages: the workers listen on this channel and ring the batch waiting there (see the
 * worker's LaneBell). A hint for speed only; the Temporal signal that goes with it is what wakes
 * a lane with no batch running.
 */
export const LANE_NOTIFY_CHANNEL = 'catalog_webhook_lanes';

export async function notifyLane(sql: Sql, endpointId: string): Promise<void> {
  await sql.query(`select pg_notify($1, $2)`, [LANE_NOTIFY_CHANNEL, endpointId]);
}
