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
