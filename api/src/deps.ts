import {
  type AuditRepository,
  createAuditRepository,
  createJobRepository,
  type Database,
  type JobRepository,
  openDatabase,
  refreshSortMarks,
  type SecretBox,
  secretBoxFromConfig,
} from '@catalog/db';
import type { Config } from '@catalog/domain';
import { createUploadStore, type UploadStore } from '@catalog/uploads';
import { type AuthStore, createAuthStore } from './auth/auth-store';
import { createBus } from './bus/create-bus';
import type { EventBus } from './bus/event-bus';
import { createJobFeed, type JobFeed } from './jobs/job-feed';
import { createLiveJobReader, type LiveJobReader } from './jobs/live-job';
import { createLifecycle, type Lifecycle } from './lifecycle';
import { createLimits, type Limits } from './limits/limits';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { createSortMarksRefresher, type SortMarksRefresher } from './products/sort-marks-refresher';
import { createTemporal, type Temporal } from './temporal';

/** Everything a request may touch, created once at start and passed in (no globals). */
export type AppDeps = {
  config: Config;
  logger: Logger;
  db: Database;
  temporal: Temporal;
  bus: EventBus;
  metrics: Metrics;
  jobs: JobRepository;
  readLiveJob: LiveJobReader;
  feed: JobFeed;
  uploads: UploadStore;
  lifecycle: Lifecycle;
  auth: AuthStore;
  /** Seals and opens webhook signing secrets (SECRETS_KEY). */
  secrets: SecretBox;
  /** Who did what: changes that are not one of our transactions write their line here. */
  audit: AuditRepository;
  /** Sign-in attempts, uploads, event streams and downloads per user, account or address. */
  limits: Limits;
  /** Rebuilds the sort position marks deep pages of the Products grid found stale. */
  sortMarks: SortMarksRefresher;
};

export async function openDependencies(
  config: Config,
  logger: Logger,
): Promise<AppDeps & { close: () => Promise<void> }> {
  const secrets = secretBoxFromConfig(config);
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    // Every statement of the API answers a request: none may outlive it, nor hold locks in an idle transaction.
    timeouts: {
      statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
  });
  const temporal = createTemporal(config);
  const bus = createBus(config, logger);
  const jobs = createJobRepository(db);
  const readLiveJob = createLiveJobReader(jobs, temporal);
  const feed = createJobFeed({ readLiveJob, bus, logger, pollMs: config.SSE_POLL_MS });
  const uploads = createUploadStore(config);
  const limits = createLimits(config, logger);
  const sortMarks = createSortMarksRefresher({
    rebuild: (set, signal) => refreshSortMarks(db.pool, set.field, set.scope, undefined, signal),
    logger,
  });
  return {
    config,
    logger,
    db,
    temporal,
    bus,
    metrics: createMetrics(),
    jobs,
    readLiveJob,
    feed,
    uploads,
    lifecycle: createLifecycle(),
    auth: createAuthStore(db, config),
    secrets,
    audit: createAuditRepository(db),
    limits,
    sortMarks,
    close: async () => {
      await feed.close();
      // Before the pool closes under the build it may be running.
      await sortMarks.close();
      await Promise.allSettled([bus.close(), temporal.close(), db.close(), limits.close()]);
      uploads.close();
    },
  };
}
