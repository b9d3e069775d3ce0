import { errors } from '@catalog/domain';
import Router from '@koa/router';
import { actorOf } from '../../auth/actor';
import { issueApiKey } from '../../auth/api-keys';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { presentApiKey } from './presenter';
import { apiKeyIdParams, createApiKeyBody } from './schema';

export { documentApiKeys } from './openapi';

/** API keys for integrators, managed by admins. A key is shown whole once, in the answer to its creation. */
export function apiKeysRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/api-keys' });
  const { apiKeys } = deps.auth;
  const admin = requireRole('admin');

  router.get('/', admin, async (ctx) => {
    ctx.body = { items: (await apiKeys.list()).map(presentApiKey) };
  });

  router.post('/', admin, async (ctx) => {
    const body = parseInput(createApiKeyBody, ctx.request.body, 'body');
    const actor = actorOf(ctx);
    const { key, record } = await issueApiKey(apiKeys, {
      name: body.name,
      role: body.role,
      createdBy: actor?.kind === 'user' ? actor.id : null,
      expiresInDays: body.expiresInDays,
    });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...presentApiKey(record), key };
  });

  router.delete('/:id', admin, async (ctx) => {
    const { id } = parseInput(apiKeyIdParams, ctx.params, 'params');
    if (!(await apiKeys.revoke(id))) throw errors.notFound('API key', id);
    ctx.status = 204;
  });

  return router;
}
