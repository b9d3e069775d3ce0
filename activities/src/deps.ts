import type { Database } from '@catalog/db';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';

/** What activities are built from: created once per worker process and passed in. */
export type ActivityDeps = {
  db: Database;
  temporal: Client;
  logger: Logger;
};
