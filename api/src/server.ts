import { ConfigError, loadServerConfig } from '@catalog/domain';
import { startTracing } from '@catalog/telemetry';
import { ensureAdminAtStart } from './auth/first-admin';
import { createHttpServer } from './http-server';
import { createLogger } from './logger';
import { shutDownGracefully } from './shutdown';

/** The API process: config → dependencies → HTTP server; SIGTERM/SIGINT drain and close. */
let config: ReturnType<typeof loadServerConfig>;
try {
  config = loadServerConfig(process.env);
} catch (error: unknown) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(problem);
  process.exit(1);
}

const tracing = await startTracing({
  serviceName: config.OTEL_SERVICE_NAME ?? 'catalog-api',
  endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
});
// The http and pg instrumentations patch those modules as they load: the app is imported after tracing started.
const { createApp } = await import('./app');
const { openDependencies } = await import('./deps');
const { reencryptWebhookSecrets } = await import('@catalog/db');
const logger = createLogger(config, 'api');
const deps = await openDependencies(config, logger);
await ensureAdminAtStart(deps.auth.users, config, logger);
// Secrets stored before encryption existed are sealed before anything can read them.
const sealedAtStart = await reencryptWebhookSecrets(deps.db.pool, deps.secrets, 'plaintext');
if (sealedAtStart > 0) logger.info({ endpoints: sealedAtStart }, 'encrypted the webhook secrets stored in plaintext');
const server = createHttpServer(createApp(deps), config);
server.listen(config.PORT, config.HOST, () => {
  logger.info({ port: config.PORT, host: config.HOST }, 'api listening');
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'api stopping: draining');
  await shutDownGracefully({
    server,
    lifecycle: deps.lifecycle,
    logger,
    delayMs: config.SHUTDOWN_DELAY_MS,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    closeDependencies: deps.close,
  });
  // Spans still buffered would be lost with the process.
  await tracing.shutdown();
  logger.info('api stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
