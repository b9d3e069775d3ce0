import { openAsBlob } from 'node:fs';
import path from 'node:path';
import { type ImportSummary, importSummarySchema, isFinished } from '@catalog/domain';
import { uploadSchema } from '../../api/src/routes/uploads/schema';
import type { Api } from '../../tests/support/api';

const POLL_MS = 200;

/**
 * A reviewed import as a person runs it (issue 13): upload, start with the suggested mapping and
 * `review: true`, wait until the diff is ready, apply, wait until it completed. Times each wait.
 */
export async function reviewThenApply(api: Api, file: string) {
  const started = performance.now();
  const form = new FormData();
  form.append('file', await openAsBlob(file), path.basename(file));
  const uploaded = await api.fetch('/api/uploads', { method: 'POST', body: form });
  if (uploaded.status !== 201) throw new Error(`upload answered ${uploaded.status}: ${await uploaded.text()}`);
  const upload = uploadSchema.parse(await uploaded.json());
  const uploadMs = performance.now() - started;
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
  const body = (await response.json()) as { jobId?: string };
  if (response.status !== 202 || !body.jobId)
    throw new Error(`start answered ${response.status}: ${JSON.stringify(body)}`);
  const jobId = body.jobId;
  const ready = await waitFor(api, jobId, (summary) => summary.status === 'review');
  const reviewReadyMs = performance.now() - started;

  const applyStarted = performance.now();
  const applied = await api.fetch(`/api/imports/${jobId}/apply`, { method: 'POST' });
  if (applied.status !== 202) throw new Error(`apply answered ${applied.status}: ${await applied.text()}`);
  const done = await waitFor(api, jobId, (summary) => isFinished(summary.status));
  if (done.status !== 'completed')
    throw new Error(`reviewed import ended ${done.status}: ${JSON.stringify(done.error)}`);
  const r = done.result;
  return {
    jobId,
    uploadMs,
    reviewReadyMs,
    applyMs: performance.now() - applyStarted,
    review: ready.review,
    result: r ? `inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, invalid ${r.invalid}` : '',
  };
}

async function waitFor(api: Api, jobId: string, done: (summary: ImportSummary) => boolean): Promise<ImportSummary> {
  for (;;) {
    const summary = importSummarySchema.parse(await (await api.fetch(`/api/imports/${jobId}`)).json());
    if (done(summary)) return summary;
    if (isFinished(summary.status)) throw new Error(`import ended ${summary.status}: ${JSON.stringify(summary.error)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
