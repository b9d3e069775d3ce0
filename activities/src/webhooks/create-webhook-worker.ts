import type { SecretBox } from '@catalog/db';
import type { WebhookSettings } from '@catalog/domain';
import { webhookTaskQueue } from '@catalog/domain';
import { type Tracing, temporalWorkerTracing, tracingOff } from '@catalog/telemetry';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { ActivityDeps } from '../deps';
import { createWebhookActivities } from './index';

export type WebhookWorkerOptions = ActivityDeps & {
  connection: NativeConnection;
  namespace: string;
  /** The main task queue; the webhook worker polls `webhookTaskQueue(taskQueue)`. */
  taskQueue: string;
  settings: WebhookSettings;
  /** Opens the endpoints' signing secrets. */
  secrets: SecretBox;
  workflowBundle: WorkflowBundleOption;
  /** Off when not given. */
  tracing?: Tracing;
  overrideActivities?: (
    activities: ReturnType<typeof createWebhookActivities>,
  ) => Partial<ReturnType<typeof createWebhookActivities>>;
};

/**
 * The worker for delivery workflows. A delivery is one workflow task that runs its HTTP attempt as
 * a local activity, mostly waiting on a receiver: many slots, on a queue of its own, where slow
 * receivers cannot starve imports. Nearly every delivery is a workflow seen once, so more pollers
 * serve the normal queue than the sticky one.
 */
export function createWebhookWorker(options: WebhookWorkerOptions): Promise<Worker> {
  const { db, temporal, logger, secrets } = options;
  const activities = createWebhookActivities({ db, temporal, logger, secrets }, options.settings);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: webhookTaskQueue(options.taskQueue),
    workflowBundle: options.workflowBundle,
    activities: { ...activities, ...options.overrideActivities?.(activities) },
    ...temporalWorkerTracing(options.tracing ?? tracingOff()),
    maxConcurrentWorkflowTaskExecutions: 64,
    maxConcurrentLocalActivityExecutions: 64,
    maxConcurrentWorkflowTaskPolls: 20,
    nonStickyToStickyPollRatio: 0.8,
    shutdownGraceTime: '5 seconds',
  });
}
