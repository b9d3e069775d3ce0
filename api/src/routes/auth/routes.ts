import { errors } from '@catalog/domain';
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/record-audit';
import { actorOf, sessionIdOf } from '../../auth/actor';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../auth/passwords';
import { requireSignedInUser } from '../../auth/require-role';
import { clearSessionCookie } from '../../auth/session-cookie';
import { startSession } from '../../auth/start-session';
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
    // Someone made by a single sign-on has no password: refused like a wrong one, in the same time.
    const matches = found?.passwordHash
      ? await verifyPassword(body.password, found.passwordHash)
      : await verifyAgainstDummy(body.password);
    if (!found || !matches || found.user.disabledAt) {
      // Which of the three it was is for admins reading the log, never for the caller.
      const reason = !found ? 'unknown_email' : !matches ? 'wrong_password' : 'disabled';
      // What was typed as the email is kept only when it is an account's or looks like one: people
      // type passwords there too.
      const email = found ? found.user.email : z.email().safeParse(body.email).success ? body.email : undefined;
      const typed = email === undefined ? {} : { email };
      await recordAudit(deps.audit, ctx, {
        action: 'user.sign_in_failed',
        target: found ? { type: 'user', id: found.user.id } : null,
        details: { ...typed, reason },
      });
      throw errors.unauthenticated(SIGN_IN_REFUSED);
    }
    await attempt.succeeded();
    // The audit line first: a sign-in the log could not record does not happen.
    await recordAudit(
      deps.audit,
      ctx,
      { action: 'user.signed_in', target: { type: 'user', id: found.user.id } },
      { kind: 'user', id: found.user.id, label: found.user.email },
    );
    await startSession(ctx, sessions, found.user.id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: { id: found.user.id, email: found.user.email, role: found.user.role } };
  });

  router.post('/sign-out', async (ctx) => {
    const sessionId = sessionIdOf(ctx);
    if (sessionId) {
      await sessions.remove(sessionId);
      const actor = actorOf(ctx);
      await recordAudit(deps.audit, ctx, {
        action: 'user.signed_out',
        target: actor ? { type: 'user', id: actor.id } : null,
      });
    }
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
    if (!found.passwordHash) {
      throw errors.validation('You sign in with single sign-on and have no password here: change it at your provider', {
        issues: [{ parameter: 'currentPassword', message: 'you have no password here (single sign-on)' }],
      });
    }
    // Counted like sign-ins: a stolen session must not become a way to guess the password.
    const attempt = await deps.limits.signIn.begin(found.user.email, ctx.ip);
    if (!(await verifyPassword(body.currentPassword, found.passwordHash))) {
      throw errors.validation('Invalid body parameter "currentPassword": is not your current password', {
        issues: [{ parameter: 'currentPassword', message: 'is not your current password' }],
      });
    }
    await attempt.succeeded();
    await users.setPasswordHash(found.user.id, await hashPassword(body.newPassword));
    // Anyone else signed in as this user (perhaps whoever learned the old password) is signed out.
    await sessions.removeForUser(found.user.id, sessionIdOf(ctx) ?? null);
    await recordAudit(deps.audit, ctx, {
      action: 'user.password_changed',
      target: { type: 'user', id: found.user.id },
    });
    ctx.status = 204;
  });

  return router;
}
