import { errors } from '@catalog/domain';
import Router from '@koa/router';
import { recordAudit } from '../../audit/record-audit';
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
    await recordAudit(deps.audit, ctx, {
      action: 'api_key.created',
      target: { type: 'api_key', id: record.id },
      details: { name: record.name, prefix: record.prefix, role: record.role, expiresAt: record.expiresAt },
    });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...presentApiKey(record), key };
  });

  router.delete('/:id', admin, async (ctx) => {
    const { id } = parseInput(apiKeyIdParams, ctx.params, 'params');
    const revoked = await apiKeys.revoke(id);
    if (!revoked) throw errors.notFound('API key', id);
    await recordAudit(deps.audit, ctx, {
      action: 'api_key.revoked',
      target: { type: 'api_key', id },
      details: { name: revoked.name, prefix: revoked.prefix },
    });
    ctx.status = 204;
  });

  return router;
}
