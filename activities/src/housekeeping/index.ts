import { unfinishedJobs } from '@catalog/db';
import type { RetentionResult } from '@catalog/workflows';
import { Context } from '@temporalio/activity';
import type { JobActivityDeps } from '../deps';
import { START_GRACE_SECONDS, settleIfOrphaned } from '../jobs/orphans';
import { sweepUploads } from '../uploads/janitor';
import { pruneExpired } from './retention';

/** The steps of `HousekeepingWorkflow`; the Temporal Schedules in ./schedules.ts run them. */
export function createHousekeepingActivities(deps: JobActivityDeps) {
  const { db, uploads, logger } = deps;
  return {
    /**
     * Settles every job whose workflow can no longer finish it (the same check a queued job makes
     * on the jobs ahead of it), so an orphan is failed within a minute even when nothing else is
     * queued. Answers how many jobs no longer hold the queue.
     */
    async reapOrphanedJobs(): Promise<number> {
      let settled = 0;
      for (const job of await unfinishedJobs(db.pool, START_GRACE_SECONDS))
        if (await settleIfOrphaned(deps, job)) settled++;
      if (settled > 0) logger.info({ settled }, 'orphan reaper settled jobs');
      return settled;
    },

    /** Batches of at most `batchRows`, each its own transaction, heartbeating the counts so far. */
    async pruneExpiredData(options: {
      retentionDays: number;
      batchRows: number;
      undoRetentionDays?: number;
    }): Promise<RetentionResult> {
      const context = Context.current();
      const counts = await pruneExpired({ db, ...options, onBatch: (sofar) => context.heartbeat(sofar) });
      logger.info(
        { retentionDays: options.retentionDays, undoRetentionDays: options.undoRetentionDays, counts },
        'retention pruned expired data',
      );
      return counts;
    },

    /** Uploads older than a day that no queued or running job names (see sweepUploads). */
    async sweepStaleUploads(): Promise<number> {
      const removed = await sweepUploads({ db, uploads });
      if (removed.length > 0) logger.info({ removed: removed.length }, 'upload janitor removed stale uploads');
      return removed.length;
    },
  };
}

export type HousekeepingActivities = ReturnType<typeof createHousekeepingActivities>;
