import { z } from 'zod';
import type { Actor } from './auth';
import type { JobKind } from './jobs';

/**
 * Who did something, as it is recorded (jobs, outbox events, the audit log): a signed-in user, an
 * API key, the system itself (a command line, a scheduled task), or nobody known (a failed sign-in).
 * `label` is what people read ("ana@example.com", "key ci (catalog_ab12cd34)") and is kept as it was
 * then, so a renamed key or a deleted user still reads right in old lines.
 */
export const actorKinds = ['user', 'key', 'system', 'anonymous'] as const;
export type ActorKind = (typeof actorKinds)[number];

export const actorRefSchema = z
  .object({
    kind: z.enum(actorKinds),
    id: z.string().nullable().describe('The user or API key id; null for the system or an unknown caller'),
    label: z.string().describe('For people: an email, or the key name and its prefix'),
  })
  .meta({ id: 'ActorRef' });
export type ActorRef = z.infer<typeof actorRefSchema>;

export function actorRef(actor: Actor): ActorRef {
  return { kind: actor.kind, id: actor.id, label: actor.label };
}

/** Who did it and where the request came from: what every recorded change carries. */
export type Attribution = { actor: ActorRef; requestId: string | null; ip: string | null };

/** For changes no request asked for: command-line tools, and tests that arrange rows. */
export function systemAttribution(label: string): Attribution {
  return { actor: { kind: 'system', id: null, label }, requestId: null, ip: null };
}

/** Every action the audit log records: `<target>.<what happened>`, past tense. */
export const auditActions = [
  'product.created',
  'product.updated',
  'product.deleted',
  'import.started',
  'import.applied',
  'import.discarded',
  'delete_all.started',
  'undo.started',
  'webhook.created',
  'webhook.updated',
  'webhook.enabled',
  'webhook.disabled',
  'webhook.deleted',
  'webhook.secret_revealed',
  'webhook.secret_rotated',
  'webhook.redelivered',
  'webhook.recovered',
  'user.created',
  'user.role_changed',
  'user.oidc_linked',
  'user.enabled',
  'user.disabled',
  'user.deleted',
  'user.signed_in',
  'user.sign_in_failed',
  'user.signed_out',
  'user.password_changed',
  'api_key.created',
  'api_key.revoked',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** The line a job's acceptance writes; a new job kind must name its own. */
export const jobStartedActions: Record<JobKind, AuditAction> = {
  import: 'import.started',
  bulk_delete: 'delete_all.started',
  undo: 'undo.started',
};

export const auditTargetTypes = ['product', 'job', 'webhook', 'user', 'api_key'] as const;
export type AuditTargetType = (typeof auditTargetTypes)[number];

/**
 * What happened, beside who did it. `details` stays small: field names that changed, a new role,
 * a count. Never a secret, a password or a key: the log is kept long and read by every admin.
 */
export type AuditChange = {
  action: AuditAction;
  target: { type: AuditTargetType; id: string } | null;
  details?: Record<string, unknown>;
};

export const auditEntrySchema = z
  .object({
    id: z.string().describe('Increases with each entry'),
    at: z.iso.datetime({ offset: true }),
    actor: actorRefSchema,
    action: z.string().describe('`<target>.<what happened>`, e.g. `product.updated`, `webhook.secret_revealed`'),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    details: z.record(z.string(), z.unknown()).describe('Small context: changed field names, a new role'),
    requestId: z.string().nullable().describe('The X-Request-Id of the request that did it'),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const AUDIT_PAGE_SIZE_MAX = 200;
export const AUDIT_PAGE_SIZE_DEFAULT = 50;

export const auditPageSchema = z
  .object({
    items: z.array(auditEntrySchema).describe('Newest first'),
    nextCursor: z.string().nullable().describe('Opaque; send as `cursor` for older entries. Null on the last page'),
  })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof auditPageSchema>;

/** What the log can be narrowed by. */
export type AuditFilter = {
  /** `webhook` matches every `webhook.…` action; `webhook.created` matches that one. */
  action?: string | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
};
