import { errors, type Role, roleAtLeast } from '@catalog/domain';
import type { Middleware } from 'koa';
import { actorOf } from './actor';

/** 401 without an actor, 403 naming the role when the actor's is lower (roles: packages/domain/src/auth.ts). */
export function requireRole(needed: Role): Middleware {
  return async function requireRoleCheck(ctx, next) {
    const actor = actorOf(ctx);
    if (!actor) throw errors.unauthenticated();
    if (!roleAtLeast(actor.role, needed)) throw errors.forbidden(needed);
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
