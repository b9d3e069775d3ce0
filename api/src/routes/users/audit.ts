import type { UserRecord } from '@catalog/db';
import type { Context } from 'koa';
import { recordAudit } from '../../audit/record-audit';
import type { AppDeps } from '../../deps';

/** A user change's audit lines: one per thing that changed (role, enabled), none for a no-op. */
export async function auditUserChange(
  deps: Pick<AppDeps, 'audit'>,
  ctx: Context,
  before: UserRecord | null,
  after: UserRecord,
): Promise<void> {
  const target = { type: 'user' as const, id: after.id };
  if (before?.role !== after.role) {
    await recordAudit(deps.audit, ctx, {
      action: 'user.role_changed',
      target,
      details: { email: after.email, from: before?.role ?? null, to: after.role },
    });
  }
  const wasDisabled = before ? before.disabledAt !== null : null;
  const isDisabled = after.disabledAt !== null;
  if (wasDisabled !== isDisabled) {
    await recordAudit(deps.audit, ctx, {
      action: isDisabled ? 'user.disabled' : 'user.enabled',
      target,
      details: { email: after.email },
    });
  }
}
