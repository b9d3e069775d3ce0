import { authProvidersSchema, oidcSettings, type SsoErrorCode, sameSitePath } from '@catalog/domain';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { recordAudit } from '../../audit/record-audit';
import { setLoginCookie, takeLoginCookie } from '../../auth/oidc/login-cookie';
import { createOidcClient, SsoRefusal } from '../../auth/oidc/oidc-client';
import { userForSignOn } from '../../auth/oidc/oidc-user';
import { startSession } from '../../auth/start-session';
import type { AppDeps } from '../../deps';
import type { Logger } from '../../logger';

export { documentOidc } from './oidc-openapi';

/**
 * How people sign in here, and single sign-on with OpenID Connect. All public: they are how one
 * gets a session. A browser goes to `start`, signs in at the provider, comes back to `callback`
 * with a session cookie and lands on `next`; a refusal lands on `/sign-in?error=<code>`.
 */
export function oidcRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/auth' });
  const settings = oidcSettings(deps.config);
  const oidc = settings ? createOidcClient(settings, deps.logger) : null;
  const refusals = ssoRefusalRedirect(deps.logger);

  router.get('/providers', (ctx) => {
    ctx.body = authProvidersSchema.parse({ password: true, oidc: settings ? { name: settings.displayName } : null });
  });

  router.get('/oidc/start', refusals, async (ctx) => {
    const next = sameSitePath(ctx.query.next);
    ctx.state.ssoNext = next;
    if (!oidc) throw new SsoRefusal('sso_off', 'OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are not set');
    const { url, login } = await oidc.start(next);
    setLoginCookie(ctx, deps.secrets, login);
    noStore(ctx);
    ctx.redirect(url.href);
  });

  router.get('/oidc/callback', refusals, async (ctx) => {
    if (!oidc || !settings) throw new SsoRefusal('sso_off', 'Single sign-on is not configured');
    const login = takeLoginCookie(ctx, deps.secrets);
    if (!login) throw new SsoRefusal('sso_expired', 'No pending sign-on: its cookie is missing, altered or expired');
    ctx.state.ssoNext = login.next;
    // Checked here too (openid-client checks it again) so a foreign or altered state is named as such.
    if (new URLSearchParams(ctx.querystring).get('state') !== login.state) {
      throw new SsoRefusal('sso_expired', 'The state does not match the pending sign-on');
    }
    const verified = await oidc.finish(ctx.querystring, login);
    // The provider's word is the actor of what a sign-on changes: the user it stands for.
    const asUser = (user: { id: string; email: string }) => ({ kind: 'user' as const, id: user.id, label: user.email });
    const user = await userForSignOn(deps.auth.users, verified, settings, deps.logger, (changed, change) =>
      recordAudit(deps.audit, ctx, { ...change, target: { type: 'user', id: changed.id } }, asUser(changed)),
    );
    // The audit line first: a sign-in the log could not record does not happen.
    await recordAudit(
      deps.audit,
      ctx,
      { action: 'user.signed_in', target: { type: 'user', id: user.id }, details: { method: 'oidc' } },
      asUser(user),
    );
    await startSession(ctx, deps.auth.sessions, user.id);
    deps.logger.info({ userId: user.id, role: user.role, issuer: verified.issuer }, 'signed in with single sign-on');
    noStore(ctx);
    ctx.redirect(login.next);
  });

  return router;
}

function noStore(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
}

/** A refused sign-on goes back to the sign-in page, which explains the code; `next` is kept for a second try. */
function ssoRefusalRedirect(logger: Logger): Middleware {
  return async function ssoRefusal(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof SsoRefusal)) throw error;
      logger.warn({ code: error.code, reason: error.message, err: error.cause }, 'single sign-on refused');
      noStore(ctx);
      ctx.redirect(signInPage(error.code, typeof ctx.state.ssoNext === 'string' ? ctx.state.ssoNext : '/'));
    }
  };
}

function signInPage(code: SsoErrorCode, next: string): string {
  const query = new URLSearchParams({ error: code });
  if (next !== '/') query.set('next', next);
  return `/sign-in?${query}`;
}
