import type { ImportActivities } from '@catalog/activities';
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { jobTurnSignal } from '../definitions';

const queue = proxyActivities<Pick<ImportActivities, 'jobQueuePosition' | 'markJobRunning'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', maximumAttempts: 30 },
});

/**
 * A finishing job signals `jobTurn` to the jobs queued behind it, so a queued job normally wakes at
 * once. The fallback only covers what no signal reports: a signal lost on the way, a job ahead that
 * was terminated or never started (an orphan, which `jobQueuePosition` settles when it sees it).
 */
export const DEFAULT_TURN_FALLBACK_MS = 60_000;

/**
 * Imports, delete-all and undo change the whole catalog, so they take turns in the order they were
 * accepted (`jobs.seq`, which `jobQueuePosition` reads). Waits until no earlier such job is queued
 * or running, telling `onAhead` how many are (null once it is this job's turn), then marks the job
 * running (announcing an import's start unless `announce` is false); a job that is no longer queued
 * fails there (`JobNotRunning`) before touching anything.
 */
export async function takeTurn(
  jobId: string,
  fallbackMs: number,
  announce: boolean,
  onAhead: (ahead: number | null) => void,
): Promise<void> {
  let woken = false;
  setHandler(jobTurnSignal, () => {
    woken = true;
  });
  for (;;) {
    // Reset before asking, not after: a job that ends while the activity runs has signalled already.
    woken = false;
    const ahead = await queue.jobQueuePosition(jobId);
    if (ahead === 0) break;
    onAhead(ahead);
    await condition(() => woken, fallbackMs);
  }
  onAhead(null);
  await queue.markJobRunning(jobId, announce);
}
