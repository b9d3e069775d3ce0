import type { WebhookSettings } from '@catalog/domain';
import { webhookTaskQueue } from '@catalog/workflows';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { ActivityDeps } from '../deps';
import { createWebhookActivities } from './index';

export type WebhookWorkerOptions = ActivityDeps & {
  connection: NativeConnection;
  namespace: string;
  /** The main task queue; the webhook worker polls `webhookTaskQueue(taskQueue)`. */
  taskQueue: string;
  settings: WebhookSettings;
  workflowBundle: WorkflowBundleOption;
  overrideActivities?: (
    activities: ReturnType<typeof createWebhookActivities>,
  ) => Partial<ReturnType<typeof createWebhookActivities>>;
};

/**
 * The worker for delivery workflows and their HTTP attempts. A delivery mostly waits on a receiver,
 * so it gets many slots, on a queue of its own, where slow receivers cannot starve imports.
 */
export function createWebhookWorker(options: WebhookWorkerOptions): Promise<Worker> {
  const { db, temporal, logger } = options;
  const activities = createWebhookActivities({ db, temporal, logger }, options.settings);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: webhookTaskQueue(options.taskQueue),
    workflowBundle: options.workflowBundle,
    activities: { ...activities, ...options.overrideActivities?.(activities) },
    maxConcurrentActivityTaskExecutions: 200,
    maxConcurrentWorkflowTaskExecutions: 100,
    shutdownGraceTime: '5 seconds',
  });
}
