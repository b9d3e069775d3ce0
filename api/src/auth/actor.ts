import type { Actor } from '@catalog/domain';
import type { Context } from 'koa';

export type { Actor };

/** The actor `authenticate` found for this request; undefined when it carried no valid credentials. */
export function actorOf(ctx: Context): Actor | undefined {
  return ctx.state.actor;
}

/** The hash of the session the request came with, when it came with one (sign-out, password change). */
export function sessionIdOf(ctx: Context): string | undefined {
  return ctx.state.sessionId;
}
