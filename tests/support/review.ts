import {
  type ImportSummary,
  importSummarySchema,
  isFinished,
  type ReviewKind,
  reviewChangesPageSchema,
} from '@catalog/domain';
import { uploadSchema } from '../../api/src/routes/uploads/schema';
import type { Api } from './api';
import { pollUntil } from './imports';

/** Review before apply through the API, for tests: upload, start with `review: true`, read the diff, apply. */

export const CSV_HEADER = 'sku,name,description,price,active,image';

/** Uploads `csv` (POST /api/uploads) and starts a reviewed import of it with the suggested mapping; answers its id. */
export async function startReviewedImport(api: Api, csv: string, fileName = 'review.csv'): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([csv]), fileName);
  const uploaded = await api.fetch('/api/uploads', { method: 'POST', body: form });
  const upload = uploadSchema.parse(await uploaded.json());
  const response = await api.fetch('/api/imports', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      uploadId: upload.id,
      mapping: upload.suggestedMapping,
      options: upload.suggestedOptions,
      review: true,
    }),
  });
  const body: unknown = await response.json();
  if (response.status !== 202) throw new Error(`start answered ${response.status}: ${JSON.stringify(body)}`);
  return importSummaryId(body);
}

function importSummaryId(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'jobId' in body && typeof body.jobId === 'string') return body.jobId;
  throw new Error(`no jobId in ${JSON.stringify(body)}`);
}

export const summaryOf = async (api: Api, id: string): Promise<ImportSummary> =>
  importSummarySchema.parse(await (await api.fetch(`/api/imports/${id}`)).json());

/** Waits until the import waits in review (and `also` holds), failing if it ends first. */
export function untilReview(api: Api, id: string, also: (summary: ImportSummary) => boolean = () => true) {
  return pollUntil(
    `import ${id} in review`,
    () => summaryOf(api, id),
    (summary) => {
      if (isFinished(summary.status))
        throw new Error(`import ended as ${summary.status}: ${JSON.stringify(summary.error)}`);
      return summary.status === 'review' && summary.review !== null && also(summary);
    },
  );
}

export const untilFinished = (api: Api, id: string) =>
  pollUntil(
    `import ${id} to end`,
    () => summaryOf(api, id),
    (summary) => isFinished(summary.status),
  );

/** Every row of `kind`, page after page of `limit`, following nextCursor. */
export async function allChanges(api: Api, id: string, kind: ReviewKind, limit: number) {
  const items: ReturnType<typeof reviewChangesPageSchema.parse>['items'] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query = new URLSearchParams({ kind, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const response = await api.fetch(`/api/imports/${id}/changes?${query}`);
    const body: unknown = await response.json();
    if (response.status !== 200) throw new Error(`changes answered ${response.status}: ${JSON.stringify(body)}`);
    const page = reviewChangesPageSchema.parse(body);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null);
  return { items, pages };
}
