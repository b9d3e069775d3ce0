import { undoConflictsPage } from '@catalog/db';
import { errors, importUndoConflictSchema, undoConflictMessage } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import { attributionOf } from '../../audit/attribution';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { jobIdParams } from '../jobs/schema';
import { startUndo } from './undo';

const undoAcceptedSchema = z.object({ jobId: z.string() });

const CONFLICTS_PAGE_MAX = 500;
const conflictsQuery = z.object({
  cursor: z.string().trim().min(1).max(400).optional().describe('`nextCursor` of the page before'),
  limit: z.coerce.number().int().min(1).max(CONFLICTS_PAGE_MAX).default(100),
});
const conflictsPageSchema = z.object({
  items: z.array(importUndoConflictSchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

/** The cursor is the page's last SKU, opaque to clients so its form may change. */
const encodeCursor = (sku: string) => Buffer.from(sku, 'utf8').toString('base64url');
function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const sku = Buffer.from(cursor, 'base64url').toString('utf8');
  if (sku.length === 0 || sku.includes('\u0000') || encodeCursor(sku) !== cursor)
    throw errors.validation('The cursor is not one this API gave out; start again without it', { field: 'cursor' });
  return sku;
}

/**
 * `POST /api/imports/:id/undo`: undo a completed import as a job of kind `undo`. The job is then
 * read, followed and cancelled like any job: `/api/jobs/{jobId}`, `/events`, `/cancel`.
 */
export function importUndoRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/imports' });
  router.post('/:id/undo', requireRole('editor'), async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    const jobId = await startUndo(deps, attributionOf(ctx), id);
    ctx.status = 202;
    ctx.set('Location', `/api/jobs/${jobId}`);
    ctx.body = { jobId };
  });
  router.get('/:id/undo/conflicts', requireRole('viewer'), async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    const { cursor, limit } = parseInput(conflictsQuery, ctx.query, 'query');
    // One row more than asked says whether another page follows.
    const rows = await undoConflictsPage(deps.db.pool, id, decodeCursor(cursor), limit + 1);
    if (rows === null) throw errors.notFound('Undo of import', id);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    ctx.body = {
      items: page.map((row) => ({ ...row, message: undoConflictMessage(row.change, row.reason) })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.sku) : null,
    };
  });
  return router;
}

export function documentImportUndo(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/api/imports/{id}/undo',
    operationId: 'undoImport',
    tags: ['Imports'],
    summary:
      'Undo a completed import: remove the products it inserted and restore the values of those it updated, ' +
      'except products changed since (kept, listed as conflicts)',
    ...requiresRole(
      'editor',
      'Starts a job of kind `undo` in the same queue as imports and delete-all; follow it at `/api/jobs/{jobId}` ' +
        '(`/events` for live progress, `/cancel` to stop: what was undone stays undone). Its result is ' +
        '`{importId, restored, removed, conflictCount, conflicts, durationMs}`, also shown as the import’s `undo`. ' +
        'Refused with 409 and a code: `import_not_completed` (queued, running, failed or cancelled: a failed or ' +
        'cancelled import was undone when it ended), `undo_expired` (older than UNDO_RETENTION_DAYS, or finished ' +
        'before undo data was kept), `already_undone`, `undo_in_progress`, `undo_not_undoable` (the id is an undo).',
    ),
    request: { params: jobIdParams },
    responses: {
      202: {
        description: 'Accepted; follow /api/jobs/{jobId}/events',
        ...jsonContent(undoAcceptedSchema),
      },
      ...errorResponses(400, 401, 403, 404, 409, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/imports/{id}/undo/conflicts',
    operationId: 'listUndoConflicts',
    tags: ['Imports'],
    summary: 'Every product the latest undo of an import left as it was, in SKU order, a page at a time',
    ...requiresRole(
      'viewer',
      'The undo’s result lists the first conflicts and `conflictCount`; this pages through all of them, for ' +
        'RETENTION_DAYS after the undo. 404 when the import was never undone.',
    ),
    request: { params: jobIdParams, query: conflictsQuery },
    responses: {
      200: { description: 'A page of conflicts', ...jsonContent(conflictsPageSchema) },
      ...errorResponses(400, 401, 403, 404, 503),
    },
  });
}
