import type { HousekeepingActivities } from '@catalog/activities';
import { proxyActivities } from '@temporalio/workflow';
import type { HousekeepingInput, HousekeepingResult } from './definitions';

/** Reaping and sweeping are a few queries and removals; a failed run is retried by the next schedule tick. */
const brief = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 3 },
});

/**
 * Pruning a backlog (the first run after a long retention period) may take long, so it is bounded
 * by its heartbeats, not by a short timeout; each batch commits on its own, so a retry goes on
 * from what is left.
 */
const pruning = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 5 },
});

/** One housekeeping task, as a schedule (see activities/src/housekeeping/schedules.ts) asks for it. */
export async function HousekeepingWorkflow(input: HousekeepingInput): Promise<HousekeepingResult> {
  switch (input.task) {
    case 'reap-orphans':
      return { task: input.task, settled: await brief.reapOrphanedJobs() };
    case 'retention':
      return {
        task: input.task,
        ...(await pruning.pruneExpiredData({
          retentionDays: input.retentionDays,
          batchRows: input.batchRows,
          undoRetentionDays: input.undoRetentionDays,
        })),
      };
    case 'sweep-uploads':
      return { task: input.task, removed: await brief.sweepStaleUploads() };
  }
}
