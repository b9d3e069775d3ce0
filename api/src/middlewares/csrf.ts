import { errors } from '@catalog/domain';
import type { Context, Middleware } from 'koa';
import { type AllowedHosts, sameOrigin } from './allowed-hosts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request authenticated by the session cookie unless the browser says it
 * comes from this app. SameSite=Lax alone does not cover a same-site sibling (another app on a
 * subdomain) nor older browsers, and a multipart form post needs no preflight. API keys are not
 * sent by browsers on their own, so Bearer requests are not checked. A request with no credentials
 * (only the public routes take one: sign-in, sign-out) is refused too when the browser says it
 * comes from another site, so a page cannot sign its visitor into an account of its choosing.
 * Clients that are not browsers send neither header and pass. Runs after `authenticate`.
 */
export function csrfMiddleware(hosts: AllowedHosts): Middleware {
  return async function csrf(ctx, next) {
    if (SAFE_METHODS.has(ctx.method) || ctx.state.actor?.kind === 'key') return next();
    const refused = ctx.state.sessionId === undefined ? fromAnotherSite(ctx, hosts) : !fromThisApp(ctx, hosts);
    if (refused) throw errors.csrfRefused(ctx.get('Origin') || undefined);
    await next();
  };
}

function fromAnotherSite(ctx: Context, hosts: AllowedHosts): boolean {
  if (ctx.get('Origin')) return !fromThisApp(ctx, hosts);
  const site = ctx.get('Sec-Fetch-Site');
  return site === 'cross-site' || site === 'same-site';
}

function fromThisApp(ctx: Context, hosts: AllowedHosts): boolean {
  const origin = ctx.get('Origin');
  if (origin) {
    // The request's own scheme and host, which the host check already vouched for. (Koa 3's
    // ctx.origin is the Origin header itself, so it cannot serve here.)
    const ownOrigin = `${ctx.protocol}://${ctx.host}`;
    return (
      sameOrigin(origin, ownOrigin) || (hosts.publicOrigin !== undefined && sameOrigin(origin, hosts.publicOrigin))
    );
  }
  // Browsers that send no Origin still say where a request comes from; `none` is the user's own navigation.
  const site = ctx.get('Sec-Fetch-Site');
  return site === 'same-origin' || site === 'none';
}
