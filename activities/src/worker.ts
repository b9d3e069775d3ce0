import { openDatabase } from '@catalog/db';
import { ConfigError, loadConfig, webhookSettings } from '@catalog/domain';
import { webhookTaskQueue } from '@catalog/workflows';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { createWebhookWorker, createWorker, startOutboxDispatcher } from './create-worker';
import { prebuiltWorkflowBundle } from './workflow-bundle';

/** The worker process: config → database and Temporal connections → run until SIGTERM/SIGINT. */
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error: unknown) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(problem);
  process.exit(1);
}

const logger = pino({ name: 'worker', level: config.LOG_LEVEL });
const sdkLevel =
  ({ trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' } as const)[config.LOG_LEVEL as string] ?? 'ERROR';
Runtime.install({
  logger: new DefaultLogger(sdkLevel),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
});
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const client = new Client({
  connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }),
  namespace: config.TEMPORAL_NAMESPACE,
});
const workflowBundle = await prebuiltWorkflowBundle();
const worker = await createWorker({
  connection,
  client,
  db,
  logger,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  workflowBundle,
});
const webhookWorker = await createWebhookWorker({
  connection,
  temporal: client,
  db,
  logger,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  settings: webhookSettings(config),
  workflowBundle,
});
// The dispatcher lives with the workers: it needs no API process alive to turn committed events into
// deliveries. It starts them on the workers' own connection, so they can start eagerly: the first
// workflow task comes back with the start call instead of through a poll.
const dispatcher = startOutboxDispatcher({
  db,
  client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
  taskQueue: webhookTaskQueue(config.TEMPORAL_TASK_QUEUE),
  logger,
});
logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, address: config.TEMPORAL_ADDRESS }, 'worker started');
await Promise.all([worker.run(), webhookWorker.run()]);
await dispatcher.stop();
await Promise.allSettled([connection.close(), client.connection.close(), db.close()]);
logger.info('worker stopped');
