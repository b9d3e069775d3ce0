import { isFinished } from '@catalog/domain';
import { type JobState, progressQuery } from '@catalog/workflows';
import type { Temporal } from '../temporal';
import { withTimeout } from '../util/with-timeout';
import type { JobStore } from './job-store';
import { type JobView, jobViewFromRow } from './job-view';

const QUERY_TIMEOUT_MS = 2_000;

/**
 * A job as it is right now. Finished jobs are served from the database (the workflow wrote their
 * outcome there before it ended). Running ones answer the workflow's `progress` query, overlaid
 * on the row; if Temporal cannot answer, the row is the best we know.
 */
export async function readLiveJob(store: JobStore, temporal: Temporal, id: string): Promise<JobView | null> {
  const job = await store.find(id);
  if (!job) return null;
  const row = jobViewFromRow(job);
  if (isFinished(row.status)) return row;
  let snapshot: JobState;
  try {
    snapshot = await withTimeout(temporal.client.workflow.getHandle(id).query(progressQuery), QUERY_TIMEOUT_MS, 'Temporal');
  } catch {
    return row;
  }
  if (isFinished(snapshot.status)) {
    const settled = await store.find(id);
    if (settled && isFinished(settled.status)) return jobViewFromRow(settled);
  }
  return { ...row, status: snapshot.status, progress: snapshot.progress, result: snapshot.result, error: snapshot.error };
}
