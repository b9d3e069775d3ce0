import type { AuditRepository } from '@catalog/db';
import type { ActorRef, AuditChange } from '@catalog/domain';
import type { Context } from 'koa';
import { attributionOf } from './attribution';

/**
 * One audit line for a change that is not a transaction of ours (a webhook edit, a sign-in), written
 * right after it by the request that made it. `actor` names someone else than the request's actor:
 * the user a sign-in just identified (a failed one stays anonymous; what was typed goes in details).
 */
export function recordAudit(
  audit: AuditRepository,
  ctx: Context,
  change: AuditChange,
  actor?: ActorRef,
): Promise<void> {
  return audit.record(attributionOf(ctx, actor), change);
}
