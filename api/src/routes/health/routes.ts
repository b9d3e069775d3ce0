import { pingDatabase } from '@catalog/db';
import Router from '@koa/router';
import { z } from 'zod';
import type { AppDeps } from '../../deps';
import { clientErrorRange, jsonContent, type OpenAPIRegistry } from '../../openapi/registry';
import { withTimeout } from '../../util/with-timeout';

const CHECK_TIMEOUT_MS = 2_000;

const checkSchema = z.object({
  status: z.enum(['up', 'down', 'in_process']),
  latencyMs: z.number(),
  error: z.string().optional(),
});
const readinessSchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  down: z.array(z.string()),
  checks: z.record(z.string(), checkSchema),
});
type Check = z.infer<typeof checkSchema>;

async function check(run: () => Promise<void>, upStatus: Check['status'] = 'up'): Promise<Check> {
  const started = performance.now();
  try {
    await run();
    return { status: upStatus, latencyMs: Math.round(performance.now() - started) };
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: message };
  }
}

export function healthRouter(deps: AppDeps): Router {
  const router = new Router();
  router.get('/health/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/health/ready', async (ctx) => {
    // A draining process is taken out of rotation before it stops accepting connections.
    if (deps.lifecycle.draining) {
      ctx.status = 503;
      ctx.body = {
        status: 'unavailable',
        down: ['api'],
        checks: { api: { status: 'down', latencyMs: 0, error: 'shutting down' } },
      };
      return;
    }
    const [database, temporal, redis] = await Promise.all([
      check(() => withTimeout(pingDatabase(deps.db), CHECK_TIMEOUT_MS, 'PostgreSQL')),
      check(() => deps.temporal.ping(CHECK_TIMEOUT_MS)),
      check(() => deps.bus.ping(CHECK_TIMEOUT_MS), deps.bus.kind === 'redis' ? 'up' : 'in_process'),
    ]);
    const checks = { database, temporal, redis };
    const down = Object.entries(checks)
      .filter(([, c]) => c.status === 'down')
      .map(([name]) => name);
    ctx.status = down.length ? 503 : 200;
    ctx.body = { status: down.length ? 'unavailable' : 'ready', down, checks };
  });
  return router;
}

export function documentHealth(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/health/live',
    operationId: 'getLiveness',
    tags: ['Health'],
    summary: 'The process is alive',
    responses: {
      200: { description: 'Alive', ...jsonContent(z.object({ status: z.literal('ok') })) },
      ...clientErrorRange,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/health/ready',
    operationId: 'getReadiness',
    tags: ['Health'],
    summary: 'PostgreSQL, Temporal and Redis each answer',
    responses: {
      200: { description: 'All dependencies up', ...jsonContent(readinessSchema) },
      503: { description: 'At least one dependency is down; `down` names it', ...jsonContent(readinessSchema) },
      ...clientErrorRange,
    },
  });
}
