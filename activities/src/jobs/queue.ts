import { appendEvent, jobsAhead, startJob } from '@catalog/db';
import type { JobActivityDeps } from '../deps';
import { inTransaction } from '../transaction';
import { START_GRACE_SECONDS, settleIfOrphaned } from './orphans';
import { asJobStep } from './running';

/**
 * Background jobs that write the whole catalog (imports, delete-all) take turns in the order they
 * were accepted (`jobs.seq`). A job's turn comes when no earlier such job is still queued or running.
 */
export function createJobQueueActivities(deps: JobActivityDeps) {
  const { db } = deps;
  return {
    /** How many earlier jobs must finish before this one may start; settles orphans on the way. */
    async jobQueuePosition(jobId: string): Promise<number> {
      let ahead = 0;
      for (const job of await jobsAhead(db.pool, jobId, START_GRACE_SECONDS)) {
        if (!(await settleIfOrphaned(deps, job))) ahead++;
      }
      return ahead;
    },

    /**
     * Queued → running, once; an import announces itself (import.started) in the same transaction,
     * except the first turn of a reviewed import: nothing is announced for a review, only for its apply.
     * A job that is neither queued nor running (marked failed while its start was unconfirmed)
     * fails the workflow before it touches the catalog; already running means an earlier attempt
     * of this activity committed and its answer was lost.
     */
    async markJobRunning(jobId: string, announce = true): Promise<void> {
      await asJobStep('starting it', () =>
        inTransaction(db, async (client) => {
          const started = await startJob(client, jobId);
          if (started?.kind === 'import' && announce) {
            await appendEvent(client, 'import.started', {
              importId: jobId,
              fileName: started.fileName,
              fileSize: started.fileSize ?? 0,
              actor: started.actor,
            });
          }
        }),
      );
    },
  };
}
