import { notifyLane } from '@catalog/db';
import {
  type LaneWake,
  laneSignalWithStart,
  laneWorkflowId,
  signalNames,
  webhookTaskQueue,
  workflowTypes,
} from '@catalog/domain';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AppDeps } from '../../deps';

/**
 * Wakes the endpoint's lane (starting it if needed) after messages were set pending: a batch
 * lingering in a worker hears the notification, and the signal wakes a lane with none running. The
 * messages are committed before, so Temporal being away only delays them: the worker's dispatcher
 * sweep wakes lanes with overdue messages within seconds once it is back. Logged, not thrown.
 */
export async function wakeLane(
  deps: Pick<AppDeps, 'temporal' | 'config' | 'logger' | 'db'>,
  endpoint: { id: string; name: string },
): Promise<void> {
  await ringLingeringBatch(deps, endpoint.id);
  try {
    await deps.temporal.client.workflow.signalWithStart(
      workflowTypes.webhookLane,
      laneSignalWithStart(endpoint, webhookTaskQueue(deps.temporal.taskQueue), deps.config.WEBHOOK_LANE_BATCH, []),
    );
  } catch (error: unknown) {
    deps.logger.warn({ err: error, endpointId: endpoint.id }, 'could not wake a webhook lane; the sweep will');
  }
}

/**
 * After an endpoint is deleted, its lane (if one runs) is woken so that its next batch finds the
 * endpoint gone and the lane ends, rather than waiting for a wake-up that will never come; a batch
 * lingering in a worker hears the notification and ends at once.
 */
export function endLane(deps: Pick<AppDeps, 'temporal' | 'logger' | 'db'>, endpointId: string): Promise<void> {
  return signalRunningLane(deps, endpointId, { eventIds: [] }, 'could not wake the lane of a deleted webhook endpoint');
}

/**
 * After an endpoint is enabled (its breaker closed in the database), its lane, if one still runs,
 * stops waiting for the probe of the breaker it saw open and runs a batch. A lane not running has
 * nothing to forget: the next wake-up starts it afresh.
 */
export function resetLane(deps: Pick<AppDeps, 'temporal' | 'logger' | 'db'>, endpointId: string): Promise<void> {
  return signalRunningLane(
    deps,
    endpointId,
    { eventIds: [], reset: true },
    'could not reset the lane of an enabled webhook endpoint',
  );
}

/**
 * Rings a batch lingering in a worker, and signals the endpoint's lane if it runs. Logged, not
 * thrown: the change it follows is committed.
 */
async function signalRunningLane(
  deps: Pick<AppDeps, 'temporal' | 'logger' | 'db'>,
  endpointId: string,
  wake: LaneWake,
  failure: string,
): Promise<void> {
  await ringLingeringBatch(deps, endpointId);
  try {
    await deps.temporal.client.workflow.getHandle(laneWorkflowId(endpointId)).signal(signalNames.laneWake, wake);
  } catch (error: unknown) {
    if (error instanceof WorkflowNotFoundError) return;
    deps.logger.warn({ err: error, endpointId }, failure);
  }
}

/** The notification a batch lingering in a worker hears; without it, it sees the change when its linger ends. */
async function ringLingeringBatch(deps: Pick<AppDeps, 'logger' | 'db'>, endpointId: string): Promise<void> {
  try {
    await notifyLane(deps.db.pool, endpointId);
  } catch (error: unknown) {
    deps.logger.warn({ err: error, endpointId }, 'could not notify a webhook lane');
  }
}
