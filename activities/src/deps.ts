import type { Database } from '@catalog/db';
import type { UploadStore } from '@catalog/uploads';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';

/** What activities are built from: created once per worker process and passed in. */
export type ActivityDeps = {
  db: Database;
  temporal: Client;
  logger: Logger;
};

/** Import and job-queue activities also read and remove uploaded files (webhook activities do not). */
export type JobActivityDeps = ActivityDeps & { uploads: UploadStore };
