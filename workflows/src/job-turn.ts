import type { ImportActivities } from '@catalog/activities';
import { proxyActivities, sleep } from '@temporalio/workflow';

const queue = proxyActivities<Pick<ImportActivities, 'jobQueuePosition' | 'markJobRunning'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', maximumAttempts: 30 },
});

const QUEUE_POLL = '1 second';

/**
 * Imports and delete-all change the whole catalog, so they take turns in the order they were
 * accepted. Waits until no earlier such job is queued or running, telling `onAhead` how many are
 * (null once it is this job's turn), then marks the job running.
 */
export async function takeTurn(jobId: string, onAhead: (ahead: number | null) => void): Promise<void> {
  for (;;) {
    const ahead = await queue.jobQueuePosition(jobId);
    if (ahead === 0) break;
    onAhead(ahead);
    await sleep(QUEUE_POLL);
  }
  onAhead(null);
  await queue.markJobRunning(jobId);
}
