import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { ConfigError, loadConfig } from '@catalog/domain';
import { createApp } from './app';
import { openDependencies } from './deps';
import { createLogger } from './logger';

/** The API process: config → dependencies → HTTP server; SIGTERM/SIGINT drain and close. */
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error: unknown) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(problem);
  process.exit(1);
}

const logger = createLogger(config, 'api');
await mkdir(config.UPLOAD_DIR, { recursive: true });
const deps = await openDependencies(config, logger);
const server = createServer(createApp(deps).callback());
// Long SSE streams and large uploads must not be cut by Node's default request timeout.
server.requestTimeout = 0;
server.listen(config.PORT, config.HOST, () => {
  logger.info({ port: config.PORT, host: config.HOST }, 'api listening');
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'api stopping');
  server.close();
  server.closeAllConnections();
  await deps.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
