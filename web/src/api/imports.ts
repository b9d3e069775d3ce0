import type { ImportSummary } from '@catalog/domain';
import type { ApiClient } from './client';
import type { JobEndpoints } from './jobs';

export interface ImportList {
  items: ImportSummary[];
}

const importPath = (id: string): string => `/api/imports/${encodeURIComponent(id)}`;

export const listImports = (api: ApiClient): Promise<ImportList> => api.request<ImportList>('/api/imports');

/** Quiet: callers use it to find out whether a remembered job still exists. */
export const getImport = (api: ApiClient, id: string): Promise<ImportSummary> =>
  api.request<ImportSummary>(importPath(id), { quiet: true });

export const cancelImport = (api: ApiClient, id: string): Promise<unknown> =>
  api.request<unknown>(`${importPath(id)}/cancel`, { method: 'POST' });

export const importEventsUrl = (id: string): string => `${importPath(id)}/events`;

/** An import followed as a job, with its richer summary (file, result, undo) in every event. */
export const importJob: JobEndpoints<ImportSummary> = { eventsUrl: importEventsUrl, fetch: getImport };

/** Starts undoing a completed import: a job of kind `undo`, followed at /api/jobs/{jobId}. */
export const undoImport = (api: ApiClient, id: string): Promise<{ jobId: string }> =>
  api.request<{ jobId: string }>(`${importPath(id)}/undo`, { method: 'POST' });

export const cancelJob = (api: ApiClient, id: string): Promise<unknown> =>
  api.request<unknown>(`/api/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
