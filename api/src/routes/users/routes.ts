import { randomUUID } from 'node:crypto';
import type { UserChangeOutcome } from '@catalog/db';
import { errors } from '@catalog/domain';
import Router from '@koa/router';
import { recordAudit } from '../../audit/record-audit';
import { hashPassword } from '../../auth/passwords';
import { requireRole } from '../../auth/require-role';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { auditUserChange } from './audit';
import { presentUser } from './presenter';
import { createUserBody, updateUserBody, userIdParams } from './schema';

export { documentUsers } from './openapi';

function changed(id: string, outcome: UserChangeOutcome) {
  if ('user' in outcome) return outcome.user;
  if (outcome.refused === 'not_found') throw errors.notFound('User', id);
  throw errors.conflict('This is the last enabled admin: make another user admin first', { id });
}

/** Users, managed by admins. */
export function usersRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/users' });
  const { users, sessions } = deps.auth;
  const admin = requireRole('admin');

  router.get('/', admin, async (ctx) => {
    ctx.body = { items: (await users.list()).map(presentUser) };
  });

  router.post('/', admin, async (ctx) => {
    const body = parseInput(createUserBody, ctx.request.body, 'body');
    const user = await users.create({
      id: randomUUID(),
      email: body.email,
      role: body.role,
      passwordHash: await hashPassword(body.password),
    });
    if (!user) throw errors.conflict(`A user with the email ${body.email} exists already`, { email: body.email });
    await recordAudit(deps.audit, ctx, {
      action: 'user.created',
      target: { type: 'user', id: user.id },
      details: { email: user.email, role: user.role },
    });
    ctx.status = 201;
    ctx.set('Location', `/api/users/${user.id}`);
    ctx.body = presentUser(user);
  });

  router.patch('/:id', admin, async (ctx) => {
    const { id } = parseInput(userIdParams, ctx.params, 'params');
    const body = parseInput(updateUserBody, ctx.request.body, 'body');
    const before = await users.find(id);
    const user = changed(id, await users.update(id, body));
    // A disabled user's sessions end now, not when they would have expired.
    if (user.disabledAt) await sessions.removeForUser(user.id);
    await auditUserChange(deps, ctx, before, user);
    ctx.body = presentUser(user);
  });

  router.delete('/:id', admin, async (ctx) => {
    const { id } = parseInput(userIdParams, ctx.params, 'params');
    const removed = changed(id, await users.remove(id));
    await recordAudit(deps.audit, ctx, {
      action: 'user.deleted',
      target: { type: 'user', id },
      details: { email: removed.email },
    });
    ctx.status = 204;
  });

  return router;
}
