import { type JobKind, jobSnapshotSchema, type Role } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import { assertRole, requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { cancelJob, requireJob, streamJobEvents } from '../../jobs/job-actions';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { requiresRole } from '../../openapi/security';
import { presentJob } from './presenter';
import { jobIdParams } from './schema';

/** Who may cancel a job: whoever may start one of its kind. */
const CANCEL_ROLE: Record<JobKind, Role> = { import: 'editor', bulk_delete: 'admin', undo: 'editor' };

/** Any background job (import, bulk delete, undo), by id. */
export function jobsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/jobs' });
  const viewer = requireRole('viewer');
  router.get('/:id', viewer, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    ctx.body = presentJob(await requireJob(deps, id));
  });
  router.get('/:id/events', viewer, async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    await streamJobEvents(ctx, deps, id, undefined, presentJob);
  });
  // Editors reach the handler; a delete-all is then theirs to cancel only if they are admins.
  router.post('/:id/cancel', requireRole('editor'), async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    assertRole(ctx, CANCEL_ROLE[(await requireJob(deps, id)).kind]);
    const view = await cancelJob(deps, id);
    ctx.status = 202;
    ctx.body = { jobId: view.id, status: 'cancelling' };
  });
  return router;
}

export function documentJobs(registry: OpenAPIRegistry): void {
  const params = jobIdParams;
  registry.registerPath({
    method: 'get',
    path: '/api/jobs/{id}',
    operationId: 'getJob',
    tags: ['Jobs'],
    summary: 'A background job (import, delete-all or undo) and its live progress',
    ...requiresRole('viewer'),
    request: { params },
    responses: {
      200: { description: 'The job', ...jsonContent(jobSnapshotSchema) },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/jobs/{id}/events',
    operationId: 'streamJobEvents',
    tags: ['Jobs'],
    summary: 'Server-Sent Events: `progress` snapshots, then one of `completed`, `failed`, `cancelled`',
    ...requiresRole('viewer', "A browser's EventSource sends the session cookie."),
    request: { params },
    responses: {
      200: {
        description: 'text/event-stream; each data line is a job snapshot',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...errorResponses(400, 401, 403, 404, 429),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/jobs/{id}/cancel',
    operationId: 'cancelJob',
    tags: ['Jobs'],
    summary: 'Cancel a running job',
    ...requiresRole('editor', 'An import or an undo: the editor role. A delete-all: the admin role (a 403 names it).'),
    request: { params },
    responses: {
      202: {
        description: 'Cancellation requested',
        ...jsonContent(z.object({ jobId: z.string(), status: z.literal('cancelling') })),
      },
      ...errorResponses(400, 401, 403, 404, 409, 503),
    },
  });
}
