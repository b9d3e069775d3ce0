import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { createActivities } from '@catalog/activities';
import { createWorker } from '@catalog/activities/create-worker';
import { prebuiltWorkflowBundle } from '@catalog/activities/workflow-bundle';
import { type AppDeps, createApp, createLogger, openDependencies } from '@catalog/api';
import type { Config, Role } from '@catalog/domain';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { issueApiKey } from '../../api/src/auth/api-keys';
import { testConfig } from './config';
import { isolatedDatabase } from './database';

type Activities = ReturnType<typeof createActivities>;

export type StackOptions = {
  /** A database of the stack's own instead of the shared test database. */
  isolated?: boolean;
  /** Start an in-process worker (default true). */
  worker?: boolean;
  overrideActivities?: (activities: Activities) => Partial<Activities>;
  env?: Record<string, string>;
  /**
   * Set PUBLIC_URL to the stack's own address, for what must know it before the first request
   * (single sign-on's redirect URI). The port is picked when the server listens, before the app is made.
   */
  publicUrl?: boolean;
};

export type Stack = {
  baseUrl: string;
  config: Config;
  deps: AppDeps;
  worker: Worker | null;
  /** Starts (another) in-process worker on the stack's task queue. */
  startWorker: (overrideActivities?: StackOptions['overrideActivities']) => Promise<Worker>;
  /** An API key with `role` (default admin), made on first use: tests call the API as an integrator would. */
  keyFor: (role?: Role) => Promise<{ key: string }>;
  stop: () => Promise<void>;
};

/**
 * The real API (serving the built web app) and a real worker, in this process, against the
 * PostgreSQL, Temporal and Redis that `npm test` prepared, on a task queue of their own.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  quietTemporalRuntime();
  const database = options.isolated ? await isolatedDatabase() : null;
  const uploadDir = await mkdtemp(path.join(tmpdir(), 'catalog-uploads-'));
  // Listening before the app exists gives the port for PUBLIC_URL; the app answers once it is made, below.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const opened = await (async () => {
    const config = testConfig({
      UPLOAD_DIR: uploadDir,
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...(options.publicUrl ? { PUBLIC_URL: baseUrl } : {}),
      ...options.env,
    });
    const logger = createLogger(config, 'test');
    return { config, logger, deps: await openDependencies(config, logger) };
  })().catch((error: unknown) => {
    server.close();
    throw error;
  });
  const { config, logger, deps } = opened;
  server.on('request', createApp(deps).callback());

  const workers: { worker: Worker; running: Promise<void>; connection: NativeConnection }[] = [];
  const startWorker = async (overrideActivities?: StackOptions['overrideActivities']) => {
    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    const worker = await createWorker({
      connection,
      client: deps.temporal.client,
      db: deps.db,
      logger,
      uploads: deps.uploads,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowBundle: await prebuiltWorkflowBundle(),
      ...(overrideActivities ? { overrideActivities } : {}),
    });
    workers.push({ worker, running: worker.run(), connection });
    return worker;
  };
  const keys = new Map<Role, Promise<{ key: string }>>();
  const keyFor = (role: Role = 'admin') => {
    let key = keys.get(role);
    if (!key) {
      key = issueApiKey(deps.auth.apiKeys, { name: `test ${role}`, role, createdBy: null }).then(({ key }) => ({
        key,
      }));
      keys.set(role, key);
    }
    return key;
  };
  const first = options.worker === false ? null : await startWorker(options.overrideActivities);

  return {
    baseUrl,
    config,
    deps,
    worker: first,
    startWorker,
    keyFor,
    stop: async () => {
      for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.allSettled(workers.map((w) => w.running));
      await Promise.allSettled(workers.map((w) => w.connection.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
      await database?.drop();
    },
  };
}

let runtimeInstalled = false;
/** The SDK logs worker state changes and expected failures; tests want errors only. Once per process. */
function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}
