import { errors } from '@catalog/domain';
import Router from '@koa/router';
import { actorOf, sessionIdOf } from '../../auth/actor';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../auth/passwords';
import { requireSignedInUser } from '../../auth/require-role';
import { clearSessionCookie, setSessionCookie } from '../../auth/session-cookie';
import { newSessionToken, sha256Hex } from '../../auth/tokens';
import type { AppDeps } from '../../deps';
import { parseInput } from '../../http/validate';
import { changePasswordBody, signInBody } from './schema';

export { documentAuth } from './openapi';

// One answer for an unknown email, a wrong password and a disabled account: none tells which.
const SIGN_IN_REFUSED = 'The email or password is not right';

/** Sign-in, sign-out, who am I, and changing one's own password. */
export function authRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/auth' });
  const { users, sessions } = deps.auth;

  router.post('/sign-in', async (ctx) => {
    const body = parseInput(signInBody, ctx.request.body, 'body');
    const attempt = await deps.limits.signIn.begin(body.email, ctx.ip);
    const found = await users.findCredentials({ email: body.email });
    const matches = found
      ? await verifyPassword(body.password, found.passwordHash)
      : await verifyAgainstDummy(body.password);
    if (!found || !matches || found.user.disabledAt) throw errors.unauthenticated(SIGN_IN_REFUSED);
    await attempt.succeeded();
    const token = newSessionToken();
    await sessions.create(sha256Hex(token), found.user.id);
    setSessionCookie(ctx, token);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: { id: found.user.id, email: found.user.email, role: found.user.role } };
  });

  router.post('/sign-out', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    if (sessionId) await sessions.remove(sessionId);
    clearSessionCookie(ctx);
    ctx.status = 204;
  });

  router.get('/me', requireSignedInUser(), async (ctx) => {
    const actor = actorOf(ctx);
    const user = actor ? await users.find(actor.id) : null;
    if (!user) throw errors.unauthenticated();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: { id: user.id, email: user.email, role: user.role } };
  });

  router.post('/password', requireSignedInUser(), async (ctx) => {
    const body = parseInput(changePasswordBody, ctx.request.body, 'body');
    const actor = actorOf(ctx);
    const found = actor ? await users.findCredentials({ id: actor.id }) : null;
    if (!found) throw errors.unauthenticated();
    if (!(await verifyPassword(body.currentPassword, found.passwordHash))) {
      throw errors.validation('Invalid body parameter "currentPassword": is not your current password', {
        issues: [{ parameter: 'currentPassword', message: 'is not your current password' }],
      });
    }
    await users.setPasswordHash(found.user.id, await hashPassword(body.newPassword));
    // Anyone else signed in as this user (perhaps whoever learned the old password) is signed out.
    await sessions.removeForUser(found.user.id, sessionIdOf(ctx) ?? null);
    ctx.status = 204;
  });

  return router;
}
