import { randomUUID } from 'node:crypto';
import { errors, importAcceptedSchema, importSummarySchema, isFinished, workflowTypes } from '@catalog/domain';
import type { ImportCsvInput } from '@catalog/workflows';
import Router from '@koa/router';
import { z } from 'zod';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { cancelJob, requireJob, startJobWorkflow, streamJobEvents } from '../../jobs/job-actions';
import { jobViewFromRow } from '../../jobs/job-view';
import { importWorkflowMetadata } from '../../jobs/workflow-metadata';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { jobIdParams } from '../jobs/schema';
import { streamImportErrors } from './errors-report';
import { presentImport } from './presenter';
import { listImportsQuery } from './schema';
import { readSample, sniffHeader } from './sniff-header';
import { uploadMiddleware } from './upload';

export function importsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/imports' });
  const links = { temporalUiUrl: deps.config.TEMPORAL_UI_URL, namespace: deps.temporal.namespace };
  const present = (view: Parameters<typeof presentImport>[0]) => presentImport(view, links);
  const viewer = requireRole('viewer');
  const editor = requireRole('editor');

  // The role is checked before the upload is read: nobody else's bytes are stored.
  router.post('/', editor, uploadMiddleware(deps.uploads, deps.config.UPLOAD_MAX_BYTES), async (ctx) => {
    const file = ctx.file;
    if (!file) throw errors.badRequest('No file received: send the CSV in the multipart form field "file".');
    // file.path is the upload's key in the store; the job row and the workflow carry it.
    let header: ReturnType<typeof sniffHeader>;
    try {
      header = sniffHeader(await readSample(deps.uploads, file.path, file.size));
    } catch (error) {
      await deps.uploads.remove(file.path);
      throw error;
    }

    const jobId = randomUUID();
    const job = await deps.jobs.create({
      id: jobId,
      kind: 'import',
      fileName: file.originalname,
      fileSize: file.size,
      filePath: file.path,
    });
    const input: ImportCsvInput = {
      jobId,
      filePath: file.path,
      fileSize: file.size,
      delimiter: header.delimiter,
      columns: header.columns,
      chunkRows: deps.config.IMPORT_CHUNK_ROWS,
      parallelism: deps.config.IMPORT_PARALLELISM,
      maxCellBytes: deps.config.IMPORT_MAX_CELL_BYTES,
      maxRecordBytes: deps.config.IMPORT_MAX_RECORD_BYTES,
    };
    try {
      await startJobWorkflow(deps, job, (workflowId) =>
        deps.temporal.client.workflow.start(workflowTypes.importCsv, {
          workflowId,
          taskQueue: deps.temporal.taskQueue,
          args: [input],
          ...importWorkflowMetadata(file.originalname, file.size),
        }),
      );
    } catch (error) {
      await deps.uploads.remove(file.path);
      throw error;
    }
    deps.metrics.jobsStarted.inc({ kind: 'import' });
    ctx.status = 202;
    ctx.set('Location', `/api/imports/${jobId}`);
    ctx.body = { jobId, ignoredColumns: header.ignoredColumns };
  });

  router.get('/', viewer, async (ctx) => {
    const { page, pageSize } = parseInput(listImportsQuery, ctx.query, 'query');
    const { items, total } = await deps.jobs.list('import', page, pageSize);
    const views = await Promise.all(
      items.map((job) => (isFinished(job.status) ? jobViewFromRow(job) : requireJob(deps, job.id))),
    );
    ctx.body = { items: views.map(present), page, pageSize, total };
  });

  router.get('/:id', viewer, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    ctx.body = present(await requireJob(deps, id, 'import'));
  });

  router.get('/:id/events', viewer, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    await streamJobEvents(ctx, deps, id, 'import', present);
  });

  router.post('/:id/cancel', editor, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    await cancelJob(deps, id, 'import');
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
    ctx.body = await streamImportErrors(deps.db, id);
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
    summary: 'Upload a CSV (sku, name, description, price, active) and start importing it',
    ...requiresRole(
      'editor',
      'multipart/form-data with the file in the field `file`. Header names are matched ignoring case and spaces; ' +
        'comma, semicolon and tab delimiters are detected. Unknown columns are ignored and listed in the answer.',
    ),
    request: {
      body: {
        content: {
          // `contentMediaType` is how OpenAPI 3.1 marks a file part, so generated clients send bytes.
          'multipart/form-data': {
            schema: z.object({ file: z.string().meta({ description: 'the CSV file', contentMediaType: 'text/csv' }) }),
          },
        },
      },
    },
    responses: {
      202: { description: 'Accepted; follow /api/imports/{jobId}/events', ...jsonContent(importAcceptedSchema) },
      ...errorResponses(400, 401, 403, 413, 415, 503),
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
      ...errorResponses(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/imports/{id}/cancel',
    operationId: 'cancelImport',
    tags: ['Imports'],
    summary: 'Cancel an import; the catalog is left exactly as it was before it started',
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
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
}
