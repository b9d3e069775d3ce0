import { ConfigError, loadServerConfig, webhookSettings, webhookTaskQueue } from '@catalog/domain';
import { startTracing, temporalClientInterceptors } from '@catalog/telemetry';
import { createUploadStore } from '@catalog/uploads';
import { Client, Connection } from '@temporalio/client';
import { makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { coreLogLevel, pinoSdkLogger } from './sdk-logger';
import { freeLoopbackPort, startWorkerHealth } from './worker-health';
import { prebuiltWorkflowBundle } from './workflow-bundle';

/**
 * The worker process: config → tracing, SDK logs and metrics → database and Temporal connections →
 * run until SIGTERM/SIGINT, then drain (readiness 503 first, then the SDK's graceful shutdown).
 */
let config: ReturnType<typeof loadServerConfig>;
try {
  config = loadServerConfig(process.env);
} catch (error: unknown) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(problem);
  process.exit(1);
}

const logger = pino({ name: 'worker', level: config.LOG_LEVEL });
const tracing = await startTracing({
  serviceName: config.OTEL_SERVICE_NAME ?? 'catalog-worker',
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
const sdkMetricsAddress = `127.0.0.1:${await freeLoopbackPort()}`;
Runtime.install({
  logger: pinoSdkLogger(logger),
  // Signals are handled below: readiness must turn 503 before the SDK starts draining.
  shutdownSignals: [],
  telemetryOptions: {
    logging: { filter: makeTelemetryFilterString({ core: coreLogLevel(config.LOG_LEVEL) }), forward: {} },
    metrics: { prometheus: { bindAddress: sdkMetricsAddress } },
  },
});
// The pg instrumentation patches `pg` as it loads, so what loads it is imported after tracing started.
const { openDatabase, pingDatabase, reencryptWebhookSecrets, secretBoxFromConfig } = await import('@catalog/db');
const { createWebhookWorker, createWorker, LaneBell, startOutboxDispatcher } = await import('./create-worker');
const { ensureHousekeepingSchedules } = await import('./housekeeping/schedules');

const secrets = secretBoxFromConfig(config);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
// Secrets stored before encryption existed are sealed before the first delivery reads one.
const sealedAtStart = await reencryptWebhookSecrets(db.pool, secrets, 'plaintext');
if (sealedAtStart > 0) logger.info({ endpoints: sealedAtStart }, 'encrypted the webhook secrets stored in plaintext');
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const client = new Client({
  connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }),
  namespace: config.TEMPORAL_NAMESPACE,
  interceptors: temporalClientInterceptors(tracing.enabled),
});
const uploads = createUploadStore(config);
const workflowBundle = await prebuiltWorkflowBundle();
const worker = await createWorker({
  connection,
  client,
  db,
  logger,
  uploads,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  workflowBundle,
  tracing,
});
// The webhook worker's lingering batches and the dispatcher meet here (see LaneBell).
const bell = new LaneBell();
const webhookWorker = await createWebhookWorker({
  bell,
  connection,
  temporal: client,
  db,
  logger,
  secrets,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  settings: webhookSettings(config),
  workflowBundle,
  tracing,
});
// The dispatcher lives with the workers: it needs no API process alive to turn committed events into
// messages and wake the endpoints' lanes, which it does on the workers' own connection.
const dispatcher = startOutboxDispatcher({
  db,
  client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
  taskQueue: webhookTaskQueue(config.TEMPORAL_TASK_QUEUE),
  laneBatch: config.WEBHOOK_LANE_BATCH,
  bell,
  logger,
});
// Orphan reaper, retention and upload janitor run as Temporal Schedules (visible in the UI's
// Schedules page), served by this worker; created here, or updated to this worker's settings.
const schedules = await ensureHousekeepingSchedules(client, {
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  retentionDays: config.RETENTION_DAYS,
  undoRetentionDays: config.UNDO_RETENTION_DAYS,
});
const running = Promise.all([worker.run(), webhookWorker.run()]);
const health = await startWorkerHealth({
  host: config.HOST,
  port: config.WORKER_HEALTH_PORT,
  sdkMetricsUrl: `http://${sdkMetricsAddress}/metrics`,
  checks: {
    database: () => pingDatabase(db),
    temporal: async () => {
      await connection.withDeadline(Date.now() + 2_000, () => connection.healthService.check({}));
    },
    workers: async () => {
      const states = [worker.getState(), webhookWorker.getState()];
      if (states.some((state) => state !== 'RUNNING')) throw new Error(`workers are ${states.join(', ')}`);
    },
  },
});
logger.info(
  {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    address: config.TEMPORAL_ADDRESS,
    healthPort: health.port,
    schedules: schedules.map((schedule) => schedule.scheduleId),
  },
  'worker started',
);

function stop(signal: string): void {
  logger.info({ signal }, 'worker stopping');
  health.beginShutdown();
  // The SDK stops polling, lets running tasks finish within shutdownGraceTime, then run() resolves.
  for (const w of [worker, webhookWorker]) if (w.getState() === 'RUNNING') w.shutdown();
}
// Once: a second signal gets Node's default and ends the process at once.
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));

await running;
await dispatcher.stop();
uploads.close();
await Promise.allSettled([
  connection.close(),
  client.connection.close(),
  db.close(),
  tracing.shutdown(),
  health.close(),
]);
logger.info('worker stopped');
