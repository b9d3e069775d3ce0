import type { Pool, PoolClient } from 'pg';

/**
 * Where a jobs statement runs: the pool for a statement of its own, or the caller's client inside
 * its transaction (finalize writes the job, its outbox event and drops working data in one).
 */
export type JobSql = Pool | PoolClient;
