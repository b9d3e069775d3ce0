import { reviewChangesPage } from '@catalog/db';
import { errors, reviewChangesPageSchema, signalNames } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import { attributionOf } from '../../audit/attribution';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { requireJob } from '../../jobs/job-actions';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { jobIdParams } from '../jobs/schema';
import { presentReviewChange } from './review-presenter';
import { reviewChangesQuery } from './schema';

const applyAcceptedSchema = z.object({ jobId: z.string(), status: z.literal('applying') });

/**
 * Review before apply: `GET /api/imports/:id/changes` pages through a reviewed import's diff, and
 * `POST /api/imports/:id/apply` applies it (the workflow takes a turn and checks the catalog first).
 * Discarding is `POST /api/imports/:id/cancel`, like any cancel.
 */
export function importReviewRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/imports' });

  router.get('/:id/changes', requireRole('viewer'), async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    const { kind, cursor, limit } = parseInput(reviewChangesQuery, ctx.query, 'query');
    const view = await requireJob(deps, id, 'import');
    const rows = await reviewChangesPage(deps.db.pool, id, kind, cursor ? Number(cursor) : 0, limit);
    if (rows === null) {
      throw errors.notInReview('This import has no review to show: it was not reviewed, or it has ended', {
        status: view.status,
      });
    }
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    ctx.body = {
      items: page.map((row) => presentReviewChange(kind, row)),
      nextCursor: rows.length > limit && last ? String(last.row_no) : null,
    };
  });

  router.post('/:id/apply', requireRole('editor'), async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    const view = await requireJob(deps, id, 'import');
    if (view.status !== 'review') {
      throw errors.notInReview(`The import is ${view.status}, not waiting in review`, { status: view.status });
    }
    try {
      await deps.temporal.client.workflow
        .getHandle(view.workflowId)
        .signal(signalNames.applyReview, attributionOf(ctx));
    } catch (error: unknown) {
      throw errors.unavailable('Temporal did not accept the apply request; try again', {
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    ctx.status = 202;
    ctx.set('Location', `/api/imports/${id}`);
    ctx.body = { jobId: id, status: 'applying' };
  });

  return router;
}

export function documentImportReview(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/api/imports/{id}/changes',
    operationId: 'listImportChanges',
    tags: ['Imports'],
    summary: 'Page through what a reviewed import does, one kind of row at a time, in file order',
    ...requiresRole(
      'viewer',
      'An inserted row carries its values; an updated row `{sku, productId, changes: [{field, before, after}]}`; ' +
        'an unchanged row `{sku, productId}`; invalid and skipped rows `{line, sku, reason}`. Follow `nextCursor` ' +
        '(null on the last page). 409 `not_in_review` when the import has no review (not reviewed, or ended).',
    ),
    request: { params: jobIdParams, query: reviewChangesQuery },
    responses: {
      200: { description: 'A page of rows', ...jsonContent(reviewChangesPageSchema) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/imports/{id}/apply',
    operationId: 'applyImport',
    tags: ['Imports'],
    summary: 'Apply a reviewed import, without reading the file again',
    ...requiresRole(
      'editor',
      'The import queues again and, in its turn, first checks that no product it touches changed since the ' +
        'review: if some did, it computes the diff again and goes back to `review` with `reviewInvalidated: ' +
        '{rowsChanged, at}`; else it applies. 409 `not_in_review` when the import is not waiting in review.',
    ),
    request: { params: jobIdParams },
    responses: {
      202: { description: 'Apply requested; follow /api/imports/{jobId}/events', ...jsonContent(applyAcceptedSchema) },
      ...errorResponses(400, 401, 403, 404, 409, 503),
    },
  });
}
