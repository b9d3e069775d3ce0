import { errors, importAcceptedSchema, importSummarySchema, isFinished } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import { attributionOf } from '../../audit/attribution';
import { recordAudit } from '../../audit/record-audit';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { cancelJob, requireJob, streamJobEvents } from '../../jobs/job-actions';
import { type JobView, jobViewFromRow } from '../../jobs/job-view';
import { uploadLimitsMiddleware } from '../../limits/upload-limits';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { jobIdParams } from '../jobs/schema';
import { streamImportErrors } from './errors-report';
import { mappedImportBody, startMappedImport } from './mapped-import';
import { presentImport } from './presenter';
import { listImportsQuery } from './schema';
import { readSample, sniffHeader } from './sniff-header';
import { startImport } from './start-import';
import { uploadMiddleware } from './upload';

export function importsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/imports' });
  const links = {
    temporalUiUrl: deps.config.TEMPORAL_UI_URL,
    namespace: deps.temporal.namespace,
    undoRetentionDays: deps.config.UNDO_RETENTION_DAYS,
  };
  /** Imports with their undo state (undone? undoable?), read in one query for the lot. */
  const presentAll = async (views: JobView[]) => {
    const states = await deps.jobs.undoStates(views.map((view) => view.id));
    return views.map((view) => presentImport(view, links, states.get(view.id)));
  };
  const present = async (view: JobView) => (await presentAll([view]))[0];
  const viewer = requireRole('viewer');
  const editor = requireRole('editor');

  // The role is checked before the upload is read: nobody else's bytes are stored.
  router.post(
    '/',
    editor,
    async function mappedImport(ctx, next) {
      if (!ctx.is('application/json')) return next();
      await startMappedImport(deps, ctx);
    },
    uploadLimitsMiddleware(deps.limits.uploads),
    uploadMiddleware(deps.uploads, deps.config.UPLOAD_MAX_BYTES),
    async (ctx) => {
      const file = ctx.file;
      if (!file) throw errors.badRequest('No file received: send the CSV in the multipart form field "file".');
      // file.path is the upload's key in the store; the job row and the workflow carry it.
      try {
        const header = sniffHeader(await readSample(deps.uploads, file.path, file.size));
        const jobId = await startImport(
          deps,
          attributionOf(ctx),
          { fileName: file.originalname, fileSize: file.size, filePath: file.path, delimiter: header.delimiter },
          { columns: header.columns },
        );
        ctx.status = 202;
        ctx.set('Location', `/api/imports/${jobId}`);
        ctx.body = { jobId, ignoredColumns: header.ignoredColumns };
      } catch (error) {
        await deps.uploads.remove(file.path);
        throw error;
      }
    },
  );

  router.get('/', viewer, async (ctx) => {
    const { page, pageSize } = parseInput(listImportsQuery, ctx.query, 'query');
    const { items, total } = await deps.jobs.list('import', page, pageSize);
    const views = await Promise.all(
      items.map((job) => (isFinished(job.status) ? jobViewFromRow(job) : requireJob(deps, job.id))),
    );
    ctx.body = { items: await presentAll(views), page, pageSize, total };
  });

  router.get('/:id', viewer, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    ctx.body = await present(await requireJob(deps, id, 'import'));
  });

  router.get('/:id/events', viewer, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    // An import's undo state does not change while its events stream (it is not undoable until it ends).
    const [state] = (await deps.jobs.undoStates([id])).values();
    await streamJobEvents(ctx, deps, id, 'import', (view) => presentImport(view, links, state));
  });

  router.post('/:id/cancel', editor, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    const view = await cancelJob(deps, id, 'import');
    // Discarding a review is a decision worth a line (who applies is recorded with the job).
    if (view.status === 'review') {
      await recordAudit(deps.audit, ctx, { action: 'import.discarded', target: { type: 'job', id } });
    }
    ctx.status = 202;
    ctx.body = { jobId: id, status: 'cancelling' };
  });

  router.get('/:id/errors.csv', viewer, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    const view = await requireJob(deps, id, 'import');
    if (view.status !== 'completed') {
      throw errors.conflict('The error report is available once the import has completed', { status: view.status });
    }
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment(`${(view.fileName ?? 'import').replace(/\.csv$/i, '')}-errors.csv`);
    ctx.body = await deps.limits.downloads.open(ctx, (pool) => streamImportErrors(pool, id));
  });

  return router;
}

export function documentImports(registry: OpenAPIRegistry): void {
  const params = jobIdParams;
  const summaryList = z.object({
    items: z.array(importSummarySchema),
    page: z.number(),
    pageSize: z.number(),
    total: z.number(),
  });
  registry.registerPath({
    method: 'post',
    path: '/api/imports',
    operationId: 'createImport',
    tags: ['Imports'],
    summary: 'Start an import: a CSV shaped like ours (multipart), or an upload through a mapping (JSON)',
    ...requiresRole(
      'editor',
      'multipart/form-data with the file in the field `file`: header names are matched ignoring case and spaces; ' +
        'comma, semicolon and tab delimiters are detected; unknown columns are ignored and listed in the answer. ' +
        'Or application/json `{uploadId, mapping, options}` for a file sent to POST /api/uploads: each catalog ' +
        'field takes a source header, a constant or null; the mapping is checked against the header line (400 ' +
        'naming each problem) and remembered as the preset for that header line.',
    ),
    request: {
      body: {
        content: {
          'application/json': { schema: mappedImportBody },
          // `contentMediaType` is how OpenAPI 3.1 marks a file part, so generated clients send bytes.
          'multipart/form-data': {
            schema: z.object({ file: z.string().meta({ description: 'the CSV file', contentMediaType: 'text/csv' }) }),
          },
        },
      },
    },
    responses: {
      202: { description: 'Accepted; follow /api/imports/{jobId}/events', ...jsonContent(importAcceptedSchema) },
      ...errorResponses(400, 401, 403, 413, 415, 429, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/imports',
    operationId: 'listImports',
    tags: ['Imports'],
    summary: 'Import history, newest first',
    ...requiresRole('viewer'),
    request: { query: listImportsQuery },
    responses: {
      200: { description: 'A page of imports', ...jsonContent(summaryList) },
      ...errorResponses(400, 401, 403),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/imports/{id}',
    operationId: 'getImport',
    tags: ['Imports'],
    summary: 'One import, with live progress while it runs',
    ...requiresRole('viewer'),
    request: { params },
    responses: {
      200: { description: 'The import', ...jsonContent(importSummarySchema) },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/imports/{id}/events',
    operationId: 'streamImportEvents',
    tags: ['Imports'],
    summary: 'Server-Sent Events: `progress` at least once a second, then one of `completed`, `failed`, `cancelled`',
    ...requiresRole(
      'viewer',
      'Each event carries the import summary as JSON. Reconnecting with Last-Event-ID resumes. ' +
        "A browser's EventSource sends the session cookie.",
    ),
    request: { params },
    responses: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/imports/{id}/cancel',
    operationId: 'cancelImport',
    tags: ['Imports'],
    summary:
      'Cancel an import (or discard one waiting in review); the catalog is left exactly as it was before it started',
    ...requiresRole('editor'),
    request: { params },
    responses: {
      202: {
        description: 'Cancellation requested',
        ...jsonContent(z.object({ jobId: z.string(), status: z.literal('cancelling') })),
      },
      ...errorResponses(400, 401, 403, 404, 409, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/imports/{id}/errors.csv',
    operationId: 'getImportErrorsCsv',
    tags: ['Imports'],
    summary:
      'Every invalid row of a completed import: row number (the header is row 1), column, reason, original values ' +
      '(a line that could not be read as cells has the column `row` and its raw text instead); cells that would ' +
      'start a spreadsheet formula are prefixed with an apostrophe, as in the product export',
    ...requiresRole('viewer'),
    request: { params },
    responses: {
      200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
      ...errorResponses(400, 401, 403, 404, 409, 503),
    },
  });
}
