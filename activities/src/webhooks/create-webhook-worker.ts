import type { SecretBox } from '@catalog/db';
import type { WebhookSettings } from '@catalog/domain';
import { webhookTaskQueue } from '@catalog/domain';
import { type Tracing, temporalWorkerTracing, tracingOff } from '@catalog/telemetry';
import { type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { ActivityDeps } from '../deps';
import { createWebhookActivities } from './index';
import type { LaneBell } from './lane-bell';

/**
 * Batches in flight in one worker: one per endpoint that sent within the last WEBHOOK_LANE_LINGER_MS
 * (a steady stream keeps its batch open). With more such endpoints than slots, the others' batches
 * queue until a lingering one ends: add workers, or shorten the linger.
 */
const LANE_ACTIVITY_SLOTS = 500;

export type WebhookWorkerOptions = ActivityDeps & {
  connection: NativeConnection;
  namespace: string;
  /** The main task queue; the webhook worker polls `webhookTaskQueue(taskQueue)`. */
  taskQueue: string;
  settings: WebhookSettings;
  /** Opens the endpoints' signing secrets. */
  secrets: SecretBox;
  /** Shared with this process's outbox dispatcher, which rings a lingering batch instead of signalling. */
  bell: LaneBell;
  workflowBundle: WorkflowBundleOption;
  /** Off when not given. */
  tracing?: Tracing;
  overrideActivities?: (
    activities: ReturnType<typeof createWebhookActivities>,
  ) => Partial<ReturnType<typeof createWebhookActivities>>;
};

/**
 * The worker for webhook lanes, on a queue of its own where slow receivers cannot starve imports.
 * A lane runs one batch activity at a time, which mostly waits on its receiver or lingers for new
 * messages: a receiver that answers in 5 s or never holds only its own lane's slot, never another
 * endpoint's. On shutdown a lingering batch ends at once (cancellation) and returns what it sent.
 */
export function createWebhookWorker(options: WebhookWorkerOptions): Promise<Worker> {
  const { db, temporal, logger, secrets, bell } = options;
  const activities = createWebhookActivities({ db, temporal, logger, secrets, bell }, options.settings);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: webhookTaskQueue(options.taskQueue),
    workflowBundle: options.workflowBundle,
    activities: { ...activities, ...options.overrideActivities?.(activities) },
    ...temporalWorkerTracing(options.tracing ?? tracingOff()),
    maxConcurrentActivityTaskExecutions: LANE_ACTIVITY_SLOTS,
    maxConcurrentWorkflowTaskExecutions: 64,
    shutdownGraceTime: '5 seconds',
  });
}
