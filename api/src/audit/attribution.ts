import { type ActorRef, type Attribution, actorRef } from '@catalog/domain';
import type { Context } from 'koa';
import { actorOf } from '../auth/actor';

/** A request without credentials that still did something worth a line: a failed sign-in. */
const ANONYMOUS: ActorRef = { kind: 'anonymous', id: null, label: 'anonymous' };

/** Who sent this request and from where, as changes and audit lines record it. */
export function attributionOf(ctx: Context, actor: ActorRef | undefined = undefined): Attribution {
  const found = actorOf(ctx);
  return {
    actor: actor ?? (found ? actorRef(found) : ANONYMOUS),
    requestId: typeof ctx.state.requestId === 'string' ? ctx.state.requestId : null,
    ip: ctx.ip || null,
  };
}
