import Router from '@koa/router';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { listAuditQuery } from './schema';

export { documentAudit } from './openapi';

/** The audit log, for admins: who did what, newest first. */
export function auditRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/audit' });

  router.get('/', requireRole('admin'), async (ctx) => {
    const { cursor, limit, ...filter } = parseInput(listAuditQuery, ctx.query, 'query');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.audit.list(filter, cursor, limit);
  });

  return router;
}
