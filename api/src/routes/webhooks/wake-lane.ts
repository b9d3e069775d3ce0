import { laneSignalWithStart, webhookTaskQueue, workflowTypes } from '@catalog/domain';
import type { AppDeps } from '../../deps';

/**
 * Wakes the endpoint's lane (starting it if needed) after messages were set pending. The messages
 * are committed before, so Temporal being away only delays them: the worker's dispatcher sweep
 * wakes lanes with overdue messages within seconds once it is back. Logged, not thrown.
 */
export async function wakeLane(
  deps: Pick<AppDeps, 'temporal' | 'config' | 'logger'>,
  endpoint: { id: string; name: string },
): Promise<void> {
  try {
    await deps.temporal.client.workflow.signalWithStart(
      workflowTypes.webhookLane,
      laneSignalWithStart(endpoint, webhookTaskQueue(deps.temporal.taskQueue), deps.config.WEBHOOK_LANE_BATCH, []),
    );
  } catch (error: unknown) {
    deps.logger.warn({ err: error, endpointId: endpoint.id }, 'could not wake a webhook lane; the sweep will');
  }
}
