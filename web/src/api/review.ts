import type { ColumnMapping, ImportAccepted, ImportSummary, MappingOptions } from '@catalog/domain';
import type { ApiClient } from './client';
import type { JobEndpoints } from './jobs';

export const REVIEW_KINDS = ['inserted', 'updated', 'unchanged', 'invalid', 'skipped'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export type ReviewCounts = Record<ReviewKind, number>;

/** An import's summary with what review-before-apply adds to it. */
export type ReviewedImport = ImportSummary & {
  review?: ReviewCounts | null;
  /** The catalog changed since the diff was made in rows this import touches; the diff was made again. */
  reviewInvalidated?: { rowsChanged: number; at: string } | null;
};

export type ProductValues = {
  sku: string;
  name: string;
  description: string | null;
  price: string | null;
  active: boolean;
};
export type FieldChange = { field: string; before: unknown; after: unknown };
export type UpdatedChange = { sku: string; productId: string; changes: FieldChange[] };
export type RejectedRow = { line: number; sku?: string; reason: string };

/** What GET /api/imports/:id/changes lists for each kind. */
export type ReviewChange = {
  inserted: ProductValues;
  updated: UpdatedChange;
  unchanged: ProductValues;
  invalid: RejectedRow;
  skipped: RejectedRow;
};
export type ReviewPage<K extends ReviewKind> = { items: ReviewChange[K][]; nextCursor: string | null };

const importPath = (id: string): string => `/api/imports/${encodeURIComponent(id)}`;

/** The job waits for review once status is `review` (a status the API adds for this; JobStatus does not list it yet). */
export const isInReview = (status: string): boolean => status === 'review';

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

export function listChanges<K extends ReviewKind>(
  api: ApiClient,
  id: string,
  kind: K,
  cursor: string | null,
  limit: number,
): Promise<ReviewPage<K>> {
  const query = new URLSearchParams({ kind, limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  return api.request<ReviewPage<K>>(`${importPath(id)}/changes?${query}`);
}

export const applyImport = (api: ApiClient, id: string): Promise<unknown> =>
  api.request<unknown>(`${importPath(id)}/apply`, { method: 'POST' });
