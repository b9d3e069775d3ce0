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
}
