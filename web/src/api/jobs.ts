import type { JobError, JobSnapshot, JobStatus } from '@catalog/domain';
import type { ApiClient } from './client';

/** What a job's stream and lookup answer with: the generic snapshot, or a kind's own view of it. */
export interface JobView {
  status: JobStatus;
  progress: unknown;
  result: unknown;
  error: JobError | null;
}

/** Where one kind of job is followed: its SSE stream, and the lookup used when the stream is refused. */
export interface JobEndpoints<T extends JobView> {
  eventsUrl(id: string): string;
  fetch(api: ApiClient, id: string): Promise<T>;
}

const jobPath = (id: string): string => `/api/jobs/${encodeURIComponent(id)}`;

/** Quiet: callers use it to find out whether a job still exists. */
export const getJob = (api: ApiClient, id: string): Promise<JobSnapshot> =>
  api.request<JobSnapshot>(jobPath(id), { quiet: true });

export const jobEventsUrl = (id: string): string => `${jobPath(id)}/events`;

/** Any job, whatever its kind, as the generic snapshot. */
export const anyJob: JobEndpoints<JobSnapshot> = { eventsUrl: jobEventsUrl, fetch: getJob };
