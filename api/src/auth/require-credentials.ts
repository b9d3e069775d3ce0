import { errors } from '@catalog/domain';
import type { Middleware } from 'koa';
import { actorOf } from './actor';

/**
 * What answers without credentials, as "METHOD /path" (a trailing `*` matches any rest of the
 * path, and `ANY` any method). Everything else under /api, and /metrics, needs an actor. The
 * OpenAPI document marks these operations by declaring no `security`; openapi/access.test.ts
 * checks that the two lists agree.
 */
export const PUBLIC_ROUTES: readonly string[] = [
  'POST /api/auth/sign-in',
  // Ending a session that has already ended still clears its cookie.
  'POST /api/auth/sign-out',
  // Single sign-on: the sign-in page lists the providers, and the browser arrives at the start and
  // the callback before it has a session.
  'GET /api/auth/providers',
  'ANY /api/auth/oidc/*',
  'GET /api/openapi.json',
  'GET /api/docs',
  'GET /api/docs/init.js',
  'GET /api/docs/assets/*',
];

// Case-insensitive, as the router matches: `/API/products` reaches the products router too.
const GUARDED = /^\/(api|metrics)(\/|$)/i;

type PublicRoute = { method: string; path: string; prefix: boolean };

const PUBLIC: readonly PublicRoute[] = PUBLIC_ROUTES.map((route) => {
  const [method = '', path = ''] = route.split(' ');
  const prefix = path.endsWith('*');
  return { method, path: prefix ? path.slice(0, -1) : path, prefix };
});

/** Routes match paths whatever their case (the router's default), so the checks here do too. */
export function isPublicRoute(method: string, path: string): boolean {
  // Koa's router answers HEAD with the GET route.
  const asked = method === 'HEAD' ? 'GET' : method;
  const lower = path.toLowerCase();
  return PUBLIC.some(
    (route) =>
      (route.method === 'ANY' || route.method === asked) &&
      (route.prefix ? lower.startsWith(route.path) : lower === route.path),
  );
}

/**
 * Default deny: a request to /api or /metrics without a valid session or API key is a 401 before
 * any router sees it, so a route added without `requireRole` is still closed to the anonymous.
 * Roles are each route's own `requireRole`. /health/* and the web app's files stay open. Runs
 * right after `authenticate`.
 */
export function requireCredentialsMiddleware(): Middleware {
  return async function requireCredentials(ctx, next) {
    const guarded = GUARDED.test(ctx.path);
    if (guarded && !actorOf(ctx) && !isPublicRoute(ctx.method, ctx.path)) throw errors.unauthenticated();
    await next();
  };
}
