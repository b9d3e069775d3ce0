import { failureTypes } from '@catalog/domain';
import { ApplicationFailure } from '@temporalio/common';
import type { PoolClient } from 'pg';

/**
 * Non-retryable: the job's row says it is not running (failed before its start was confirmed,
 * settled as an orphan, cancelled), so its workflow must stop without touching the catalog.
 */
export const jobNotRunning = (jobId: string, status: string | undefined, step: string) =>
  ApplicationFailure.nonRetryable(
    `Job ${jobId} is ${status ?? 'missing'}, not running: ${step} was refused`,
    failureTypes.jobNotRunning,
  );

/**
 * Throws `jobNotRunning` unless the job is running, and holds a share lock on its row until `client`
 * commits: a concurrent change of its status waits for this transaction, and a transaction
 * starting after such a change sees it.
 */
export async function requireRunning(client: PoolClient, jobId: string, step: string): Promise<void> {
  const { rows } = await client.query<{ status: string }>(`select status from jobs where id = $1 for share`, [jobId]);
  const status = rows[0]?.status;
  if (status !== 'running') throw jobNotRunning(jobId, status, step);
}
