import { jobSnapshotSchema } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { cancelJob, requireJob, streamJobEvents } from '../../jobs/job-actions';
import { errorResponses, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { presentJob } from './presenter';
import { jobIdParams } from './schema';

/** Any background job (import, bulk delete), by id. */
export function jobsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/jobs' });
  router.get('/:id', async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    ctx.body = presentJob(await requireJob(deps, id));
  });
  router.get('/:id/events', async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
    await streamJobEvents(ctx, deps, id, undefined, presentJob);
  });
  router.post('/:id/cancel', async (ctx) => {
    const { id } = parseInput(jobIdParams, ctx.params, 'params');
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
    summary: 'A background job (import or bulk delete) and its live progress',
    request: { params },
    responses: { 200: { description: 'The job', ...jsonContent(jobSnapshotSchema) }, ...errorResponses(400, 404) },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/jobs/{id}/events',
    operationId: 'streamJobEvents',
    tags: ['Jobs'],
    summary: 'Server-Sent Events: `progress` snapshots, then one of `completed`, `failed`, `cancelled`',
    request: { params },
    responses: {
      200: {
        description: 'text/event-stream; each data line is a job snapshot',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      ...errorResponses(400, 404, 429),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/jobs/{id}/cancel',
    operationId: 'cancelJob',
    tags: ['Jobs'],
    summary: 'Cancel a running job',
    request: { params },
    responses: {
      202: {
        description: 'Cancellation requested',
        ...jsonContent(z.object({ jobId: z.string(), status: z.literal('cancelling') })),
      },
      ...errorResponses(400, 404, 409, 503),
    },
  });
}
