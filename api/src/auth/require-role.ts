import { errors, type Role, roleAtLeast } from '@catalog/domain';
import type { Context, Middleware } from 'koa';
import { actorOf } from './actor';

/** Throws 401 without an actor, 403 naming the role when the actor's is lower (roles: packages/domain/src/auth.ts). */
export function assertRole(ctx: Context, needed: Role): void {
  const actor = actorOf(ctx);
  if (!actor) throw errors.unauthenticated();
  if (!roleAtLeast(actor.role, needed)) throw errors.forbidden(needed);
}

/** The route's role, checked before its handler runs; declare the same in its OpenAPI (`requiresRole`). */
export function requireRole(needed: Role): Middleware {
  return async function requireRoleCheck(ctx, next) {
    assertRole(ctx, needed);
    await next();
  };
}

/** For what only a person can do (their own password, "who am I"): a session, not an API key. */
export function requireSignedInUser(): Middleware {
  return async function requireSignedInUserCheck(ctx, next) {
    const actor = actorOf(ctx);
    if (actor?.kind !== 'user') throw errors.unauthenticated('Sign in: this needs a session, not an API key');
    await next();
  };
}
