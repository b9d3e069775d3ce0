import type { JobRepository } from '@catalog/db';
import { isFinished } from '@catalog/domain';
import { type JobState, progressQuery } from '@catalog/workflows';
import type { Temporal } from '../temporal';
import { withTimeout } from '../util/with-timeout';
import { type JobView, jobViewFromRow } from './job-view';

const QUERY_TIMEOUT_MS = 2_000;
const REMEMBERED_JOBS = 1_000;

/**
 * Reads a job as it is right now. Finished jobs are served from the database (the workflow wrote
 * their outcome there before it ended). Running ones answer the workflow's `progress` query,
 * overlaid on the row. While no worker can answer (all down, or Temporal unreachable), the last
 * answer this process saw is shown rather than nothing.
 *
 * Concurrent queries on one workflow can each wait seconds for the worker (measured: ~15 ms
 * alone, up to 2 s when three overlap), so there is at most one in flight per job and every
 * caller in this process shares its answer.
 */
export function createLiveJobReader(store: JobRepository, temporal: Temporal) {
  const lastSeen = new Map<string, JobState>();
  const inFlight = new Map<string, Promise<JobState>>();
  const query = (id: string, workflowId: string): Promise<JobState> => {
    let pending = inFlight.get(id);
    if (!pending) {
      pending = withTimeout(
        temporal.client.workflow.getHandle(workflowId).query(progressQuery),
        QUERY_TIMEOUT_MS,
        'Temporal',
      );
      inFlight.set(id, pending);
      const settled = pending;
      const forget = () => {
        if (inFlight.get(id) === settled) inFlight.delete(id);
      };
      settled.then(forget, forget);
    }
    return pending;
  };
  const remember = (id: string, state: JobState) => {
    lastSeen.delete(id);
    lastSeen.set(id, state);
    if (lastSeen.size > REMEMBERED_JOBS) lastSeen.delete(lastSeen.keys().next().value ?? id);
  };

  return async function readLiveJob(id: string): Promise<JobView | null> {
    const job = await store.find(id);
    if (!job) return null;
    const row = jobViewFromRow(job);
    if (isFinished(row.status)) {
      lastSeen.delete(id);
      return row;
    }
    let state: JobState | undefined;
    try {
      state = await query(id, row.workflowId);
      remember(id, state);
    } catch {
      state = lastSeen.get(id);
    }
    if (!state) return row;
    if (isFinished(state.status)) {
      const settled = await store.find(id);
      if (settled && isFinished(settled.status)) return jobViewFromRow(settled);
    }
    return { ...row, status: state.status, progress: state.progress, result: state.result, error: state.error };
  };
}

export type LiveJobReader = ReturnType<typeof createLiveJobReader>;
