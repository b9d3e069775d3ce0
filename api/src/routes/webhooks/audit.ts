import type { Context } from 'koa';
import type { z } from 'zod';
import { recordAudit } from '../../audit/record-audit';
import type { AppDeps } from '../../deps';
import type { updateWebhookBody } from './schema';

type Update = z.output<typeof updateWebhookBody>;

/**
 * An edit's audit lines: enabling or disabling is a line of its own (what an admin looks for after
 * an outage), any other field a `webhook.updated` naming the fields sent. Values stay out: a URL
 * may carry a token in its query.
 */
export async function auditEndpointChanges(
  deps: Pick<AppDeps, 'audit'>,
  ctx: Context,
  id: string,
  body: Update,
): Promise<void> {
  const target = { type: 'webhook' as const, id };
  const fields = (['name', 'url', 'events', 'rateLimitPerSecond', 'ordered'] as const).filter(
    (field) => body[field] !== undefined,
  );
  if (fields.length > 0) await recordAudit(deps.audit, ctx, { action: 'webhook.updated', target, details: { fields } });
  if (body.enabled !== undefined) {
    await recordAudit(deps.audit, ctx, { action: body.enabled ? 'webhook.enabled' : 'webhook.disabled', target });
  }
}
