import type { Context } from 'koa';
import { actorOf } from '../auth/actor';
import { clientAddressKey } from './client-address';

/** Whom a per-user limit counts against: the signed-in user or API key, else the client address. */
export function requesterKey(ctx: Context): string {
  const actor = actorOf(ctx);
  return actor ? `${actor.kind}:${actor.id}` : `address:${clientAddressKey(ctx.ip)}`;
}
