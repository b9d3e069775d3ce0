import {
  type ColumnMapping,
  type ImportAccepted,
  type ImportSummary,
  type JobStatus,
  type MappingOptions,
  type ReviewChange,
  type ReviewCounts,
  type ReviewKind,
  reviewKinds,
} from '@catalog/domain';
import type { ApiClient } from './client';
import type { JobEndpoints } from './jobs';

export const REVIEW_KINDS = reviewKinds;
export type { ReviewChange, ReviewCounts, ReviewKind };

/** An import's summary; a reviewed one carries its counts and whether the diff was made again. */
export type ReviewedImport = ImportSummary;

/** A page of GET /api/imports/:id/changes: every kind's rows share one shape, filled in by kind. */
export type ReviewPage = { items: ReviewChange[]; nextCursor: string | null };

const importPath = (id: string): string => `/api/imports/${encodeURIComponent(id)}`;

export const isInReview = (status: JobStatus): boolean => status === 'review';

export interface MappedImportRequest {
  uploadId: string;
  mapping: ColumnMapping;
  options: MappingOptions;
  review: boolean;
}

/** Quiet: the mapping screen shows a refusal (a 400 naming the problem) beside the mapping. */
export const startMappedImport = (api: ApiClient, body: MappedImportRequest): Promise<ImportAccepted> =>
  api.request<ImportAccepted>('/api/imports', { method: 'POST', body, quiet: true });

export const getReviewedImport = (api: ApiClient, id: string): Promise<ReviewedImport> =>
  api.request<ReviewedImport>(importPath(id), { quiet: true });

/** Followed over the import's own stream, read as the summary with its review. */
export const reviewedImportJob: JobEndpoints<ReviewedImport> = {
  eventsUrl: (id) => `${importPath(id)}/events`,
  fetch: getReviewedImport,
};

export function listChanges(
  api: ApiClient,
  id: string,
  kind: ReviewKind,
  cursor: string | null,
  limit: number,
): Promise<ReviewPage> {
  const query = new URLSearchParams({ kind, limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  return api.request<ReviewPage>(`${importPath(id)}/changes?${query}`);
}

export const applyImport = (api: ApiClient, id: string): Promise<unknown> =>
  api.request<unknown>(`${importPath(id)}/apply`, { method: 'POST' });
