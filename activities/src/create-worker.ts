import { fileURLToPath } from 'node:url';
import type { Database } from '@catalog/db';
import { type Tracing, temporalWorkerTracing, tracingOff } from '@catalog/telemetry';
import type { UploadStore } from '@catalog/uploads';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, type NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from './index';

export type WorkerOptions = {
  connection: NativeConnection;
  client: Client;
  db: Database;
  logger: Logger;
  uploads: UploadStore;
  namespace: string;
  taskQueue: string;
  workflowBundle: WorkflowBundleOption;
  /** Off when not given. */
  tracing?: Tracing;
  /** Replaces some activities, for failure injection in tests. */
  overrideActivities?: (
    activities: ReturnType<typeof createActivities>,
  ) => Partial<ReturnType<typeof createActivities>>;
};

export const workflowsEntry = (): string => fileURLToPath(import.meta.resolve('@catalog/workflows/workflows'));

export async function bundleWorkflows(): Promise<WorkflowBundleOption> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsEntry(),
    workflowInterceptorModules: [fileURLToPath(import.meta.resolve('@catalog/workflows/interceptors'))],
    logger: quietBundlerLogger,
    // Stack traces still map to file and line, but the inline source map no longer carries every
    // module's source: each workflow thread parses it, which made up most of a worker's start-up peak.
    webpackConfigHook: (config) => ({ ...config, devtool: 'inline-nosources-cheap-module-source-map' }),
  });
  return { code };
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  const activities = createActivities({
    db: options.db,
    temporal: options.client,
    logger: options.logger,
    uploads: options.uploads,
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: { ...activities, ...options.overrideActivities?.(activities) },
    ...temporalWorkerTracing(options.tracing ?? tracingOff()),
    maxConcurrentActivityTaskExecutions: 16,
    // Cancellation reaches an activity only with a heartbeat answer; by default those are flushed
    // every 0.8 × heartbeat timeout (16 s here), which makes Cancel feel broken.
    maxHeartbeatThrottleInterval: '1 second',
    defaultHeartbeatThrottleInterval: '1 second',
    shutdownGraceTime: '10 seconds',
  });
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
  log: () => undefined,
};

export { createWebhookWorker, type WebhookWorkerOptions } from './webhooks/create-webhook-worker';
export { type OutboxDispatcher, startOutboxDispatcher } from './webhooks/dispatcher';
export { LaneBell } from './webhooks/lane-bell';
